# Heart tests (issue 6): each part owns its fragment.
include(${CMAKE_CURRENT_LIST_DIR}/proxies_tests.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/risk_lib_tests.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/assessment_tests.cmake OPTIONAL)
