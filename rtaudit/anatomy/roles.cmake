# Structure names to roles (issue 4): the synonym table rules/names.xml, matching, overrides, assignment.
# Included from rtaudit/CMakeLists.txt.
add_library(rtaudit_anatomy_roles STATIC
  ${CMAKE_CURRENT_LIST_DIR}/roles.cpp)
target_link_libraries(rtaudit_anatomy_roles
  PUBLIC rtaudit_case
  PRIVATE pugixml::pugixml fmt::fmt rtaudit_warnings)
