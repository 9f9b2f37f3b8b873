# Guideline rule files (issue 4, "Rule language"). Included from tests/CMakeLists.txt.
rtaudit_test(guideline_rule_tests ${CMAKE_CURRENT_LIST_DIR}/rule_set_test.cpp)
target_link_libraries(guideline_rule_tests PRIVATE rtaudit_guideline_rules)
target_compile_definitions(guideline_rule_tests PRIVATE RTAUDIT_RULES_DIR="${PROJECT_SOURCE_DIR}/rules")
