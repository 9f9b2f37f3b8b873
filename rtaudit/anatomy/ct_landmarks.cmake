# Landmarks found in the planning CT (issue 8): thorax check, sternum, the ribs' sternal ends, IM vessels,
# and those as structures for the audit (ct_structures).
add_library(rtaudit_anatomy_ct STATIC ${CMAKE_CURRENT_LIST_DIR}/ct_bone.cpp ${CMAKE_CURRENT_LIST_DIR}/ct_structures.cpp)
target_link_libraries(rtaudit_anatomy_ct PUBLIC rtaudit_case rtaudit_anatomy_landmarks PRIVATE fmt::fmt rtaudit_warnings)
list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_anatomy_ct)
list(APPEND RTAUDIT_CLI_EXTRA_SOURCES ${CMAKE_CURRENT_LIST_DIR}/../cli/landmarks_command.cpp ${CMAKE_CURRENT_LIST_DIR}/../cli/ct_landmarks.cpp)
