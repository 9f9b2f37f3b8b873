# Points against CTVs (issue 5): analytic shapes and dose grids built in code.
if(TARGET rtaudit_miss_classify)
  rtaudit_test(miss_classify_tests ${CMAKE_CURRENT_LIST_DIR}/classify_test.cpp)
  target_link_libraries(miss_classify_tests PRIVATE rtaudit_miss_classify)
endif()
