# Dose (issue 6): dose grids in patient axes and their sums, exact-partial-volume DVHs, metric names.
# Each part owns its fragment.
include(${CMAKE_CURRENT_LIST_DIR}/io.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/dvh_lib.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/metric_parse.cmake OPTIONAL)
