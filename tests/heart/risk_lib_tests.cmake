# Calibration fit, coronary risk, constraint files and metric names (issue 6). Included from
# tests/heart/tests.cmake (OPTIONAL); CMAKE_CURRENT_LIST_DIR is tests/heart.
if(TARGET rtaudit_heart_risk)
  rtaudit_test(heart_risk_lib_tests
    ${CMAKE_CURRENT_LIST_DIR}/calibration_fit_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/risk_model_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../dose/metric_parse_test.cpp)
  target_link_libraries(heart_risk_lib_tests PRIVATE rtaudit_heart_risk rtaudit_dose_metric_parse nlohmann_json::nlohmann_json)
  # The left_ventricle role check needs the name table (rtaudit_anatomy_roles, always built).
  target_link_libraries(heart_risk_lib_tests PRIVATE rtaudit_anatomy_roles)
  target_compile_definitions(heart_risk_lib_tests PRIVATE RTAUDIT_RULES_DIR="${PROJECT_SOURCE_DIR}/rules")
endif()
