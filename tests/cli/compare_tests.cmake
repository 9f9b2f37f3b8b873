# `rtaudit compare` end to end (issue 4): closed-form CLI tests and the cross-check against
# plastimatch (skipped when plastimatch is not installed). Included from tests/CMakeLists.txt.
rtaudit_test(compare_cli_tests
  ${CMAKE_CURRENT_LIST_DIR}/compare_cli_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../dicom/test_files.cpp)
target_link_libraries(compare_cli_tests PRIVATE DCMTK::dcmdata)
add_dependencies(compare_cli_tests rtaudit)

rtaudit_test(plastimatch_crosscheck_tests
  ${CMAKE_CURRENT_LIST_DIR}/plastimatch_crosscheck_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../dicom/test_files.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../dicom/writer_fixtures.cpp)
target_link_libraries(plastimatch_crosscheck_tests PRIVATE rtaudit_dicom_write DCMTK::dcmdata)
add_dependencies(plastimatch_crosscheck_tests rtaudit)
