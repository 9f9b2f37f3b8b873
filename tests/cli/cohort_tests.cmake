# `rtaudit cohort` end to end (issue 7): phantoms across departments, planners and months.
if(TARGET rtaudit_cohort)
  rtaudit_test(cohort_cli_tests
    ${CMAKE_CURRENT_LIST_DIR}/cohort_cli_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../dicom/test_files.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../dicom/writer_fixtures.cpp)
  target_link_libraries(cohort_cli_tests PRIVATE rtaudit_dicom_write DCMTK::dcmdata)
  target_compile_definitions(cohort_cli_tests PRIVATE RTAUDIT_SCRATCH_PREFIX="rtaudit-cohort-cli-")
  add_dependencies(cohort_cli_tests rtaudit)
  if(RTAUDIT_SANITIZE)
    target_compile_definitions(cohort_cli_tests PRIVATE RTAUDIT_SANITIZED=1)
  endif()
endif()
