# `rtaudit landmarks` end to end (issue 8).
if(TARGET rtaudit_anatomy_ct AND TARGET rtaudit)
  rtaudit_test(landmarks_cli_tests
    ${CMAKE_CURRENT_LIST_DIR}/landmarks_cli_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../dicom/test_files.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../dicom/writer_fixtures.cpp)
  target_link_libraries(landmarks_cli_tests PRIVATE rtaudit_dicom_write DCMTK::dcmdata)
  target_compile_definitions(landmarks_cli_tests PRIVATE RTAUDIT_SCRATCH_PREFIX="rtaudit-landmarks-cli-")
  add_dependencies(landmarks_cli_tests rtaudit)
endif()
