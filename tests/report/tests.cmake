# report.json of an audit on hand-built results (issue 4). Included from tests/CMakeLists.txt (OPTIONAL).
rtaudit_test(report_audit_tests ${CMAKE_CURRENT_LIST_DIR}/audit_json_test.cpp)
target_link_libraries(report_audit_tests PRIVATE rtaudit_report_audit)
