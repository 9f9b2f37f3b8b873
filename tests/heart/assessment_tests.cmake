# The heart assessment of one case (issue 6).
if(TARGET rtaudit_heart)
  rtaudit_test(heart_assessment_tests ${CMAKE_CURRENT_LIST_DIR}/assessment_test.cpp)
  target_link_libraries(heart_assessment_tests PRIVATE rtaudit_heart)
endif()
