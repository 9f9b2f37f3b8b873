rtaudit_test(phantom_plan_tests
  phantom/beam_geometry_test.cpp
  phantom/plan_model_test.cpp
  phantom/dose_model_test.cpp)
target_link_libraries(phantom_plan_tests PRIVATE rtaudit_phantom_plan)
