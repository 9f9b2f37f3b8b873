# End-to-end tests of `rtaudit audit` on phantom patients (issue 4). Included from tests/CMakeLists.txt
# (OPTIONAL). They run the built executable (RTAUDIT_BINARY) and the cross-check tools when installed.
rtaudit_test(audit_cli_tests
  ${CMAKE_CURRENT_LIST_DIR}/audit_cli_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../dicom/test_files.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../dicom/writer_fixtures.cpp)
target_link_libraries(audit_cli_tests PRIVATE rtaudit_dicom_write DCMTK::dcmdata)
add_dependencies(audit_cli_tests rtaudit)

# The audit on every real structure set of ../shared/data/conformance (skips without it).
rtaudit_test(audit_conformance_tests ${CMAKE_CURRENT_LIST_DIR}/audit_conformance_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../dicom/test_files.cpp ${CMAKE_CURRENT_LIST_DIR}/../dicom/writer_fixtures.cpp)
target_link_libraries(audit_conformance_tests PRIVATE rtaudit_dicom_write DCMTK::dcmdata)
add_dependencies(audit_conformance_tests rtaudit)
