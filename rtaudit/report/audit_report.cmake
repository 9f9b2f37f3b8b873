# The audit's report views (issue 4): report.json (schema rtaudit-audit/1, docs/report-json.md) and the
# text summary. Included from rtaudit/CMakeLists.txt, after audit/audit.cmake.
add_library(rtaudit_report_audit STATIC
  ${CMAKE_CURRENT_LIST_DIR}/audit_json.cpp)
target_include_directories(rtaudit_report_audit PRIVATE "${CMAKE_CURRENT_BINARY_DIR}/generated")
target_link_libraries(rtaudit_report_audit
  PUBLIC rtaudit_audit nlohmann_json::nlohmann_json
  PRIVATE fmt::fmt rtaudit_warnings)
list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_report_audit)
