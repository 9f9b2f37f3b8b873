# Analytic DVH validation after Nelms et al. 2015 (issue 6; docs/dvh-analytic.md): the test suite
# and the error-table program (bench/dvh_analytic_table.cpp, not a test). Included (OPTIONAL) from
# tests/dose/tests.cmake; needs the DVH library.
if(TARGET rtaudit_dvh AND TARGET rtaudit_shape_interpolation)
  rtaudit_test(dvh_analytic_tests ${CMAKE_CURRENT_LIST_DIR}/analytic_dvh_test.cpp)
  target_link_libraries(dvh_analytic_tests PRIVATE rtaudit_dvh rtaudit_shape_interpolation rtaudit_dose_volume)

  add_executable(dvh_analytic_table ${CMAKE_CURRENT_LIST_DIR}/../../bench/dvh_analytic_table.cpp)
  target_link_libraries(dvh_analytic_table PRIVATE rtaudit_dvh rtaudit_shape_interpolation rtaudit_dose_volume
    fmt::fmt rtaudit_warnings)
  target_include_directories(dvh_analytic_table PRIVATE "${PROJECT_SOURCE_DIR}")
endif()
