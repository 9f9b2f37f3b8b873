# Dose tests (issue 6): each part owns its fragment.
include(${CMAKE_CURRENT_LIST_DIR}/io_tests.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/dvh_lib_tests.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/analytic_tests.cmake OPTIONAL)
