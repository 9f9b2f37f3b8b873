# Metric tests with closed-form answers (issue 4). Included from tests/CMakeLists.txt (OPTIONAL).
rtaudit_test(compare_tests
  ${CMAKE_CURRENT_LIST_DIR}/overlap_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/surface_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/surface_distance_test.cpp)
target_link_libraries(compare_tests PRIVATE rtaudit_compare)
