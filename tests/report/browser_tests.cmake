# report.html in a real headless Chromium (issue 7): console, figures, verdict against report.json,
# escaping of a hostile ROI name, A4 printing. Skips (77) without chromium, chromium-driver, selenium.
if(TARGET rtaudit_report_html AND TARGET rtaudit)
  add_test(NAME ReportBrowser.ReportOpensCleanInChromiumAndMatchesItsJson
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/check_report_in_browser.py $<TARGET_FILE:rtaudit>
            ${CMAKE_CURRENT_BINARY_DIR}/browser-scratch)
  set_tests_properties(ReportBrowser.ReportOpensCleanInChromiumAndMatchesItsJson PROPERTIES
    SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS "report;browser")
endif()
if(TARGET rtaudit_cohort AND TARGET rtaudit)
  add_test(NAME ReportBrowser.DashboardOpensCleanInChromiumAndMatchesItsTables
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/check_dashboard_in_browser.py $<TARGET_FILE:rtaudit>
            ${CMAKE_CURRENT_BINARY_DIR}/dashboard-scratch)
  set_tests_properties(ReportBrowser.DashboardOpensCleanInChromiumAndMatchesItsTables PROPERTIES
    SKIP_RETURN_CODE 77 TIMEOUT 600 LABELS "report;browser")
endif()
