# Exact partial volumes and DVH basics (issue 6); the analytic DVH suite is analytic_tests.cmake.
rtaudit_test(dvh_lib_tests ${CMAKE_CURRENT_LIST_DIR}/partial_volume_test.cpp ${CMAKE_CURRENT_LIST_DIR}/dvh_basics_test.cpp)
target_link_libraries(dvh_lib_tests PRIVATE rtaudit_dvh)
