rtaudit_test(phantom_plan_tests
  phantom/plan_model_test.cpp
  phantom/dose_model_test.cpp)
target_link_libraries(phantom_plan_tests PRIVATE rtaudit_phantom_plan)

rtaudit_test(plan_tests plan/beam_geometry_test.cpp)
target_link_libraries(plan_tests PRIVATE rtaudit_plan)
