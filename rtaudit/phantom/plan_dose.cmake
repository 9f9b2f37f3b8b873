# The phantom's plan and analytic dose model (pure functions, no I/O).
add_library(rtaudit_phantom_plan STATIC
  ${CMAKE_CURRENT_LIST_DIR}/plan_model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dose_model.cpp)
target_link_libraries(rtaudit_phantom_plan PUBLIC rtaudit_case rtaudit_plan PRIVATE fmt::fmt rtaudit_warnings)

# The phantom's heart answers (truth.json "heart"), independent of the dose and heart modules.
add_library(rtaudit_phantom_heart_truth STATIC ${CMAKE_CURRENT_LIST_DIR}/heart_truth.cpp)
target_link_libraries(rtaudit_phantom_heart_truth PUBLIC rtaudit_phantom_plan nlohmann_json::nlohmann_json
  PRIVATE rtaudit_plan fmt::fmt rtaudit_warnings)
list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_phantom_heart_truth)
