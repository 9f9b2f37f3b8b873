# Reference CTVs (issue 4): hand-built vessels and landmarks with exact answers, and the phantom's own
# ESTRO / RTOG readings. Included from tests/CMakeLists.txt (OPTIONAL).
rtaudit_test(guideline_reference_tests ${CMAKE_CURRENT_LIST_DIR}/reference_test.cpp)
target_link_libraries(guideline_reference_tests PRIVATE rtaudit_guideline_reference rtaudit_compare rtaudit_phantom)
target_compile_definitions(guideline_reference_tests PRIVATE
  RTAUDIT_RULES_DIR="${PROJECT_SOURCE_DIR}/rules" RTAUDIT_ATLAS_DIR="${PROJECT_SOURCE_DIR}/atlases")
