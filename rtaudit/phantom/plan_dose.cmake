# The phantom's plan and analytic dose model (pure functions, no I/O).
add_library(rtaudit_phantom_plan STATIC
  ${CMAKE_CURRENT_LIST_DIR}/plan_model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dose_model.cpp)
target_link_libraries(rtaudit_phantom_plan PUBLIC rtaudit_case rtaudit_plan PRIVATE fmt::fmt rtaudit_warnings)
