# Metric names (dose/dvh.hpp: parse_metric, MetricSpec::unit) apart from the DVH so that constraint
# files can be read without the DVH code (issue 6). Included from rtaudit/dose/module.cmake.
add_library(rtaudit_dose_metric_parse STATIC ${CMAKE_CURRENT_LIST_DIR}/metric_parse.cpp)
target_link_libraries(rtaudit_dose_metric_parse PUBLIC rtaudit_geom rtaudit_case PRIVATE fmt::fmt rtaudit_warnings)
list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_dose_metric_parse)
