# End-to-end tests of the geographic miss (issue 5): audit and miss-cohort on phantom patients.
if(TARGET rtaudit_report_miss AND TARGET rtaudit_dicom_reg)
  rtaudit_test(miss_cli_tests
    ${CMAKE_CURRENT_LIST_DIR}/miss_cli_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../dicom/test_files.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../dicom/writer_fixtures.cpp)
  target_link_libraries(miss_cli_tests PRIVATE rtaudit_dicom_write rtaudit_dicom_reg rtaudit_registration DCMTK::dcmdata)
  target_compile_definitions(miss_cli_tests PRIVATE RTAUDIT_SCRATCH_PREFIX="rtaudit-miss-cli-")
  add_dependencies(miss_cli_tests rtaudit)
  if(RTAUDIT_SANITIZE)
    target_compile_definitions(miss_cli_tests PRIVATE RTAUDIT_SANITIZED=1)
  endif()
endif()
