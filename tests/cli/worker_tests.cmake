# `rtaudit enqueue`, `rtaudit worker` and `rtaudit dashboard` end to end on SQLite and PostgreSQL (issue 9).
if(TARGET rtaudit_cohort_store AND TARGET rtaudit)
  rtaudit_test(worker_cli_tests
    ${CMAKE_CURRENT_LIST_DIR}/worker_cohort_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../dicom/test_files.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../dicom/writer_fixtures.cpp)
  target_link_libraries(worker_cli_tests PRIVATE rtaudit_dicom_write rtaudit_cohort_store rtaudit_store_jobs DCMTK::dcmdata)
  target_compile_definitions(worker_cli_tests PRIVATE RTAUDIT_SCRATCH_PREFIX="rtaudit-worker-cli-")
  add_dependencies(worker_cli_tests rtaudit)
  # The 300-case cohort takes about 5 minutes on 2 cores when the machine is otherwise idle; ctest -j2
  # runs another test beside it. A hang is still caught.
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${CMAKE_CURRENT_BINARY_DIR}/worker_cli_tests_timeout.cmake")
  file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/worker_cli_tests_timeout.cmake"
    "set_tests_properties(WorkerCli.ThreeWorkersOnOnePostgresqlAuditACohortEachCaseExactlyOnceAndTheDashboardReadsIt PROPERTIES TIMEOUT 1800)\n")
  if(RTAUDIT_SANITIZE)
    target_compile_definitions(worker_cli_tests PRIVATE RTAUDIT_SANITIZED=1)
  endif()
endif()
