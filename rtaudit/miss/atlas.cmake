# The population IMN node atlas (issue 5): parameters loader, generator, mapping into a patient and CTV
# coverage (docs/node-atlas.md), and the `rtaudit atlas generate` command. Included from
# rtaudit/CMakeLists.txt (OPTIONAL).
add_library(rtaudit_miss_atlas STATIC
  ${CMAKE_CURRENT_LIST_DIR}/node_atlas.cpp
  ${CMAKE_CURRENT_LIST_DIR}/node_atlas_file.cpp)
target_link_libraries(rtaudit_miss_atlas
  PUBLIC rtaudit_anatomy_landmarks rtaudit_geom
  PRIVATE pugixml::pugixml fmt::fmt rtaudit_warnings)
list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_miss_atlas)
list(APPEND RTAUDIT_CLI_EXTRA_SOURCES ${CMAKE_CURRENT_LIST_DIR}/../cli/atlas_command.cpp)
