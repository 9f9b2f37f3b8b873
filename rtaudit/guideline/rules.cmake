# Guideline rule sets as data (issue 4, "Rule language"): rules/*.xml read with pugixml, format in
# docs/rules.md. Included from rtaudit/CMakeLists.txt.
add_library(rtaudit_guideline_rules STATIC ${CMAKE_CURRENT_LIST_DIR}/rule_set.cpp)
target_link_libraries(rtaudit_guideline_rules
  PUBLIC rtaudit_case rtaudit_anatomy_roles
  PRIVATE pugixml::pugixml fmt::fmt rtaudit_warnings)
