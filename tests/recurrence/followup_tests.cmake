# Points from follow-up structure sets and their move into the planning frame (issue 5).
if(TARGET rtaudit_recurrence_followup)
  rtaudit_test(followup_tests ${CMAKE_CURRENT_LIST_DIR}/followup_test.cpp)
  target_link_libraries(followup_tests PRIVATE rtaudit_recurrence_followup)
endif()
