# The IMN node atlas (issue 5): the committed atlases/imn-nodes files, the generator, mapping into a
# synthetic patient built in code, coverage against the published margins, and the phantom end to end.
rtaudit_test(node_atlas_tests ${CMAKE_CURRENT_LIST_DIR}/node_atlas_test.cpp)
target_link_libraries(node_atlas_tests PRIVATE rtaudit_miss_atlas rtaudit_phantom)
target_compile_definitions(node_atlas_tests PRIVATE RTAUDIT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
