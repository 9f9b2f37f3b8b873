# Points against CTVs (issue 5): signed distance, nearest border, dose shares, class; and the
# per-case assessment that ties recurrences, the node atlas and the IMN risk together.
if(TARGET rtaudit_dvh AND TARGET rtaudit_geom_surface)
  add_library(rtaudit_miss_classify STATIC ${CMAKE_CURRENT_LIST_DIR}/classify.cpp)
  target_link_libraries(rtaudit_miss_classify
    PUBLIC rtaudit_geom rtaudit_geom_surface rtaudit_dose_volume
    PRIVATE rtaudit_dvh fmt::fmt rtaudit_warnings)
  list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_miss_classify)
endif()

if(TARGET rtaudit_miss_classify AND TARGET rtaudit_miss_atlas AND TARGET rtaudit_miss_risk)
  add_library(rtaudit_miss STATIC ${CMAKE_CURRENT_LIST_DIR}/assessment.cpp ${CMAKE_CURRENT_LIST_DIR}/cohort.cpp)
  target_link_libraries(rtaudit_miss
    PUBLIC rtaudit_miss_classify rtaudit_miss_atlas rtaudit_miss_risk rtaudit_anatomy_landmarks
    PRIVATE fmt::fmt rtaudit_warnings)
  list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_miss)
endif()

if(TARGET rtaudit_miss)
  add_library(rtaudit_report_miss STATIC ${CMAKE_CURRENT_LIST_DIR}/../report/miss_json.cpp)
  target_link_libraries(rtaudit_report_miss PUBLIC rtaudit_miss rtaudit_report_text nlohmann_json::nlohmann_json PRIVATE fmt::fmt rtaudit_warnings)
  list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_report_miss)
endif()
if(TARGET rtaudit_report_miss)
  list(APPEND RTAUDIT_CLI_EXTRA_SOURCES ${CMAKE_CURRENT_LIST_DIR}/../cli/miss_cohort_command.cpp ${CMAKE_CURRENT_LIST_DIR}/../cli/case_points.cpp)
endif()
