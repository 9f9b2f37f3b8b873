# The DICOM node (issue 9): storage SCP, storage folder, case assembly; the audit queue; `rtaudit serve`
# and `rtaudit worker`.
add_library(rtaudit_net_core STATIC
  ${CMAKE_CURRENT_LIST_DIR}/received_object.cpp
  ${CMAKE_CURRENT_LIST_DIR}/case_assembly.cpp)
target_link_libraries(rtaudit_net_core PUBLIC rtaudit_case PRIVATE rtaudit_warnings)
add_library(rtaudit_net STATIC
  ${CMAKE_CURRENT_LIST_DIR}/dataset_check.cpp
  ${CMAKE_CURRENT_LIST_DIR}/archive.cpp
  ${CMAKE_CURRENT_LIST_DIR}/storage_node.cpp)
target_link_libraries(rtaudit_net PUBLIC rtaudit_net_core rtaudit_dicom
  PRIVATE DCMTK::dcmnet DCMTK::dcmtls DCMTK::dcmdata spdlog::spdlog fmt::fmt rtaudit_warnings)
list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_net rtaudit_store_jobs)
list(APPEND RTAUDIT_CLI_EXTRA_SOURCES ${CMAKE_CURRENT_LIST_DIR}/../cli/serve_command.cpp ${CMAKE_CURRENT_LIST_DIR}/../cli/queue_worker.cpp)
