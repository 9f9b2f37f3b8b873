# Landmarks found in the planning CT (issue 8): thorax check, sternum, the ribs' sternal ends.
add_library(rtaudit_anatomy_ct STATIC ${CMAKE_CURRENT_LIST_DIR}/ct_bone.cpp)
target_link_libraries(rtaudit_anatomy_ct PUBLIC rtaudit_case PRIVATE fmt::fmt rtaudit_warnings)
list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_anatomy_ct)
list(APPEND RTAUDIT_CLI_EXTRA_SOURCES ${CMAKE_CURRENT_LIST_DIR}/../cli/landmarks_command.cpp)
