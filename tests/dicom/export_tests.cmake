# Tests of export_rtstruct (issue 4, --export-rtstruct): a clinical structure set with rtaudit's
# reference CTVs appended, checked by dciodvfy, rtaudit's reader and pydicom.
rtaudit_test(dicom_export_tests
  ${CMAKE_CURRENT_LIST_DIR}/test_files.cpp
  ${CMAKE_CURRENT_LIST_DIR}/writer_fixtures.cpp
  ${CMAKE_CURRENT_LIST_DIR}/export_rtstruct_test.cpp)
target_link_libraries(dicom_export_tests PRIVATE rtaudit_dicom_write DCMTK::dcmdata)
