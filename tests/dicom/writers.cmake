# Tests of the DICOM writers (rtaudit/dicom/writers.cmake): dciodvfy, rtaudit's reader, pydicom and
# plastimatch read what they write, and identical inputs give identical bytes.
rtaudit_test(dicom_writer_tests
  ${CMAKE_CURRENT_LIST_DIR}/test_files.cpp
  ${CMAKE_CURRENT_LIST_DIR}/writer_fixtures.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ds_format_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/write_ct_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/write_rtstruct_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/write_rtplan_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/write_rtdose_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/write_patient_test.cpp)
target_link_libraries(dicom_writer_tests PRIVATE rtaudit_dicom_write DCMTK::dcmdata)
