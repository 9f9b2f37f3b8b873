# Exact partial volumes and the DVH (issue 6): pure functions on the plane model and a dose volume.
add_library(rtaudit_dvh STATIC
  ${CMAKE_CURRENT_LIST_DIR}/coverage.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dvh_compute.cpp)
target_link_libraries(rtaudit_dvh PUBLIC rtaudit_geom rtaudit_case PRIVATE rtaudit_geom_surface fmt::fmt rtaudit_warnings)
list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_dvh)
