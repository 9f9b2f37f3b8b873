# The REG reader and writer and the frame algebra (issue 5): dciodvfy and pydicom check the files.
if(TARGET rtaudit_dicom_reg)
  rtaudit_test(reg_tests
    ${CMAKE_CURRENT_LIST_DIR}/reg_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/test_files.cpp
    ${CMAKE_CURRENT_LIST_DIR}/writer_fixtures.cpp)
  target_link_libraries(reg_tests PRIVATE rtaudit_dicom_reg rtaudit_dicom_write DCMTK::dcmdata)
endif()
