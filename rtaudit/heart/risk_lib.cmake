# Department calibration (heart/calibration.hpp), coronary risk and dose constraints as data
# (heart/risk.hpp; docs/heart-risk.md). Included from rtaudit/heart/module.cmake.
if(TARGET rtaudit_dose_metric_parse)
  add_library(rtaudit_heart_risk STATIC ${CMAKE_CURRENT_LIST_DIR}/calibration_fit.cpp ${CMAKE_CURRENT_LIST_DIR}/risk_model.cpp)
  target_link_libraries(rtaudit_heart_risk
    PUBLIC rtaudit_case nlohmann_json::nlohmann_json
    PRIVATE rtaudit_dose_metric_parse pugixml::pugixml fmt::fmt rtaudit_warnings)
  list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_heart_risk)
endif()
