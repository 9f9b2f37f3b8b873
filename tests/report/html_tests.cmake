# report.html and summary.csv (issue 7): escaping, page, figures, CSV on hand-built documents.
# The real-browser test of the audit's page is tests/report/browser_tests.cmake.
if(TARGET rtaudit_report_html)
  rtaudit_test(report_html_tests
    ${CMAKE_CURRENT_LIST_DIR}/escape_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/html_report_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/pseudonym_test.cpp)
  target_link_libraries(report_html_tests PRIVATE rtaudit_report_html rtaudit_report_pseudonym)
endif()
