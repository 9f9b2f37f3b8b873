# End-to-end tests of the heart (issue 6): audit, dvh and calibrate on phantom patients.
rtaudit_test(heart_cli_tests
  ${CMAKE_CURRENT_LIST_DIR}/heart_cli_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../dicom/test_files.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../dicom/writer_fixtures.cpp)
target_link_libraries(heart_cli_tests PRIVATE rtaudit_dicom_write rtaudit_dicom_rt DCMTK::dcmdata)
target_compile_definitions(heart_cli_tests PRIVATE RTAUDIT_SCRATCH_PREFIX="rtaudit-heart-cli-")
add_dependencies(heart_cli_tests rtaudit)
if(RTAUDIT_SANITIZE)
  target_compile_definitions(heart_cli_tests PRIVATE RTAUDIT_SANITIZED=1)
endif()
