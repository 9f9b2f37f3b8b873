# IMN-involvement risk from patient factors, the Bayesian imaging update and the guideline fit by
# stage, all read from cited rule files (rules/imn-risk.xml, rules/imaging.xml,
# rules/guideline-fit.xml; docs/imn-risk.md). Included from rtaudit/CMakeLists.txt (OPTIONAL).
add_library(rtaudit_miss_risk STATIC
  ${CMAKE_CURRENT_LIST_DIR}/imn_risk.cpp
  ${CMAKE_CURRENT_LIST_DIR}/imaging.cpp
  ${CMAKE_CURRENT_LIST_DIR}/guideline_fit.cpp)
target_link_libraries(rtaudit_miss_risk
  PUBLIC rtaudit_case
  PRIVATE pugixml::pugixml fmt::fmt rtaudit_warnings)
list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_miss_risk)
