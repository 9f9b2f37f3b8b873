# The synthetic thorax phantom's anatomy, CT and structures (issue 3). Included from
# rtaudit/CMakeLists.txt after phantom/plan_dose.cmake.
add_library(rtaudit_phantom STATIC
  ${CMAKE_CURRENT_LIST_DIR}/atlas.cpp
  ${CMAKE_CURRENT_LIST_DIR}/anatomy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/phantom.cpp
  ${CMAKE_CURRENT_LIST_DIR}/clinical_size_ct.cpp)
target_link_libraries(rtaudit_phantom
  PUBLIC rtaudit_case nlohmann_json::nlohmann_json
  PRIVATE pugixml::pugixml fmt::fmt rtaudit_warnings)
target_link_libraries(rtaudit_phantom PUBLIC rtaudit_phantom_plan)
list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_phantom)
