# `rtaudit serve` and `rtaudit worker` end to end with DCMTK's echoscu and storescu (issue 9).
if(TARGET rtaudit_net AND TARGET rtaudit)
  rtaudit_test(serve_cli_tests
    ${CMAKE_CURRENT_LIST_DIR}/serve_cli_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../dicom/test_files.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../dicom/writer_fixtures.cpp)
  target_link_libraries(serve_cli_tests PRIVATE rtaudit_dicom_write rtaudit_cohort_store rtaudit_store_jobs DCMTK::dcmdata)
  target_compile_definitions(serve_cli_tests PRIVATE RTAUDIT_SCRATCH_PREFIX="rtaudit-serve-cli-" RTAUDIT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_dependencies(serve_cli_tests rtaudit)
endif()

# The node behind a real Orthanc (Debian's `orthanc`) that routes received plans to it; skips without Orthanc.
if(TARGET rtaudit_net AND TARGET rtaudit)
  rtaudit_test(serve_orthanc_tests
    ${CMAKE_CURRENT_LIST_DIR}/serve_orthanc_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../dicom/test_files.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../dicom/writer_fixtures.cpp)
  target_link_libraries(serve_orthanc_tests PRIVATE rtaudit_dicom_write rtaudit_cohort_store rtaudit_store_jobs DCMTK::dcmdata)
  target_compile_definitions(serve_orthanc_tests PRIVATE RTAUDIT_SCRATCH_PREFIX="rtaudit-serve-orthanc-")
  add_dependencies(serve_orthanc_tests rtaudit)
endif()
