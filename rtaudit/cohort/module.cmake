# The department cohort (issue 7): case records, the SQLite results store, the dashboard; and the
# `rtaudit cohort` command that audits many cases in parallel.
find_package(SQLite3 REQUIRED)
add_library(rtaudit_cohort STATIC
  ${CMAKE_CURRENT_LIST_DIR}/records.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dashboard.cpp)
target_link_libraries(rtaudit_cohort
  PUBLIC rtaudit_miss rtaudit_report_miss rtaudit_report_html nlohmann_json::nlohmann_json
  PRIVATE fmt::fmt rtaudit_warnings)
add_library(rtaudit_cohort_store STATIC ${CMAKE_CURRENT_LIST_DIR}/store.cpp)
target_link_libraries(rtaudit_cohort_store PUBLIC rtaudit_cohort rtaudit_store_jobs PRIVATE SQLite::SQLite3 fmt::fmt rtaudit_warnings)
list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_cohort rtaudit_cohort_store OpenSSL::Crypto)
list(APPEND RTAUDIT_CLI_EXTRA_SOURCES ${CMAKE_CURRENT_LIST_DIR}/../cli/cohort_command.cpp ${CMAKE_CURRENT_LIST_DIR}/../cli/content_hash.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../cli/audit_child.cpp ${CMAKE_CURRENT_LIST_DIR}/../cli/case_discovery.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../cli/enqueue_command.cpp ${CMAKE_CURRENT_LIST_DIR}/../cli/dashboard_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../cli/dashboard_files.cpp)
