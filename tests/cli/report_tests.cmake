# End-to-end tests of the audit's human-readable outputs (issue 7): report.html, summary.csv, --pseudonymize.
if(TARGET rtaudit_report_html)
  rtaudit_test(report_cli_tests
    ${CMAKE_CURRENT_LIST_DIR}/report_cli_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../dicom/test_files.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../dicom/writer_fixtures.cpp)
  target_link_libraries(report_cli_tests PRIVATE rtaudit_dicom_write DCMTK::dcmdata)
  target_compile_definitions(report_cli_tests PRIVATE RTAUDIT_SCRATCH_PREFIX="rtaudit-report-cli-")
  add_dependencies(report_cli_tests rtaudit)
endif()
