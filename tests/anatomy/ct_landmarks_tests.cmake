# Landmarks found in the CT (issue 8).
if(TARGET rtaudit_anatomy_ct)
  rtaudit_test(anatomy_ct_tests
    ${CMAKE_CURRENT_LIST_DIR}/ct_bone_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ct_structures_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../dicom/test_files.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../dicom/writer_fixtures.cpp)
  target_link_libraries(anatomy_ct_tests PRIVATE rtaudit_anatomy_ct rtaudit_dicom rtaudit_dicom_write DCMTK::dcmdata)
  target_compile_definitions(anatomy_ct_tests PRIVATE RTAUDIT_SCRATCH_PREFIX="rtaudit-ct-bone-")
  add_dependencies(anatomy_ct_tests rtaudit)
  if(RTAUDIT_SANITIZE)
    target_compile_definitions(anatomy_ct_tests PRIVATE RTAUDIT_SANITIZED=1)
  endif()
endif()
