# Heart (issue 6): geometric proxies, calibration, coronary risk and constraints. Each part owns its fragment.
include(${CMAKE_CURRENT_LIST_DIR}/proxies.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/risk_lib.cmake OPTIONAL)

# One case's heart assessment (DVHs, proxies, estimate, risk, constraints): needs every part above.
if(TARGET rtaudit_dvh AND TARGET rtaudit_heart_proxies AND TARGET rtaudit_heart_risk AND TARGET rtaudit_shape_interpolation)
  add_library(rtaudit_heart STATIC ${CMAKE_CURRENT_LIST_DIR}/assessment.cpp)
  target_link_libraries(rtaudit_heart
    PUBLIC rtaudit_anatomy_landmarks rtaudit_dvh rtaudit_heart_proxies rtaudit_heart_risk rtaudit_dose_metric_parse
           rtaudit_shape_interpolation
    PRIVATE fmt::fmt rtaudit_warnings)
  list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_heart)
endif()

if(TARGET rtaudit_heart)
  add_library(rtaudit_report_heart STATIC ${CMAKE_CURRENT_LIST_DIR}/../report/heart_json.cpp)
  target_link_libraries(rtaudit_report_heart PUBLIC rtaudit_heart nlohmann_json::nlohmann_json PRIVATE fmt::fmt rtaudit_warnings)
  list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_report_heart)
endif()
