# The department dashboard and the results store (issue 7), on hand-built records.
if(TARGET rtaudit_cohort_store)
  rtaudit_test(cohort_tests ${CMAKE_CURRENT_LIST_DIR}/dashboard_test.cpp)
  target_link_libraries(cohort_tests PRIVATE rtaudit_cohort rtaudit_cohort_store)
endif()
