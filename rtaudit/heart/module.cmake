# Heart (issue 6): geometric proxies, calibration, coronary risk and constraints. Each part owns its fragment.
include(${CMAKE_CURRENT_LIST_DIR}/proxies.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/risk.cmake OPTIONAL)
