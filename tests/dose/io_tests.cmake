# Dose grids in patient axes (pure functions) and the RTDOSE / RTPLAN readers (issue 6).
rtaudit_test(dose_io_tests
  ${CMAKE_CURRENT_LIST_DIR}/dose_volume_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../dicom/rtdose_reader_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../dicom/rtplan_reader_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../dicom/test_files.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../dicom/writer_fixtures.cpp)
target_link_libraries(dose_io_tests PRIVATE rtaudit_dose_volume rtaudit_dicom_rt rtaudit_dicom_write
  rtaudit_phantom_plan DCMTK::dcmdata)
