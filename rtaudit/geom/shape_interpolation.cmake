# Shape-based interpolation between contour planes (issue 6; docs/shape-interpolation.md).
# Included (OPTIONAL) from rtaudit/CMakeLists.txt.
add_library(rtaudit_shape_interpolation STATIC ${CMAKE_CURRENT_LIST_DIR}/shape_interpolation.cpp)
target_link_libraries(rtaudit_shape_interpolation PUBLIC rtaudit_geom PRIVATE fmt::fmt rtaudit_warnings)
list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_shape_interpolation)
