# The audit queue (issue 9): SQLite, and PostgreSQL when scripts/test-services.sh started a server.
if(TARGET rtaudit_store_jobs)
  rtaudit_test(store_tests ${CMAKE_CURRENT_LIST_DIR}/jobs_test.cpp ${CMAKE_CURRENT_LIST_DIR}/postgres_test.cpp)
  target_link_libraries(store_tests PRIVATE rtaudit_store_jobs rtaudit_cohort_store)
endif()
