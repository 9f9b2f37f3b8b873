# The audit queue (issue 9).
if(TARGET rtaudit_store_jobs)
  rtaudit_test(store_tests ${CMAKE_CURRENT_LIST_DIR}/jobs_test.cpp)
  target_link_libraries(store_tests PRIVATE rtaudit_store_jobs)
endif()
