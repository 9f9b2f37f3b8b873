# The audit core (issue 4): hand-built cases with exact answers, and every phantom variant against its
# truth.json. Included from tests/CMakeLists.txt (OPTIONAL).
rtaudit_test(audit_tests ${CMAKE_CURRENT_LIST_DIR}/audit_test.cpp)
target_link_libraries(audit_tests PRIVATE rtaudit_audit rtaudit_phantom)
target_compile_definitions(audit_tests PRIVATE
  RTAUDIT_RULES_DIR="${PROJECT_SOURCE_DIR}/rules" RTAUDIT_ATLAS_DIR="${PROJECT_SOURCE_DIR}/atlases")
