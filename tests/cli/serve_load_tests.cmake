# The DICOM node under load: 20 parallel storescu clients with clinical-size CTs (issue 9).
if(TARGET rtaudit_net AND TARGET rtaudit)
  rtaudit_test(serve_load_tests
    ${CMAKE_CURRENT_LIST_DIR}/serve_load_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../dicom/test_files.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../dicom/writer_fixtures.cpp)
  target_link_libraries(serve_load_tests PRIVATE rtaudit_dicom_write rtaudit_cohort_store rtaudit_store_jobs DCMTK::dcmdata)
  target_compile_definitions(serve_load_tests PRIVATE RTAUDIT_SCRATCH_PREFIX="rtaudit-serve-load-")
  add_dependencies(serve_load_tests rtaudit)
  if(RTAUDIT_SANITIZE)
    target_compile_definitions(serve_load_tests PRIVATE RTAUDIT_SANITIZED=1)
  endif()
  # About 5 minutes on 2 cores; a hang is still caught.
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${CMAKE_CURRENT_BINARY_DIR}/serve_load_tests_timeout.cmake")
  file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/serve_load_tests_timeout.cmake"
    "set_tests_properties(ServeLoad.TwentyParallelStorescuClientsWithClinicalSizeCtsAreAllStoredAndEveryCaseAuditedOnce PROPERTIES TIMEOUT 1800)\n")
endif()
