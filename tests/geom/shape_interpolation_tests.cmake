# Shape-based interpolation between contour planes (issue 6). Included (OPTIONAL) from tests/CMakeLists.txt.
rtaudit_test(shape_interpolation_tests ${CMAKE_CURRENT_LIST_DIR}/shape_interpolation_test.cpp)
target_link_libraries(shape_interpolation_tests PRIVATE rtaudit_shape_interpolation)
