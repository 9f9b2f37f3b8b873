# `rtaudit audit` with landmarks found in the CT (issue 8).
if(TARGET rtaudit_anatomy_ct AND TARGET rtaudit)
  rtaudit_test(audit_ct_landmarks_tests
    ${CMAKE_CURRENT_LIST_DIR}/audit_ct_landmarks_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../dicom/test_files.cpp
    ${CMAKE_CURRENT_LIST_DIR}/../dicom/writer_fixtures.cpp)
  target_link_libraries(audit_ct_landmarks_tests PRIVATE rtaudit_dicom_write DCMTK::dcmdata)
  target_compile_definitions(audit_ct_landmarks_tests PRIVATE RTAUDIT_SCRATCH_PREFIX="rtaudit-audit-ct-")
  add_dependencies(audit_ct_landmarks_tests rtaudit)
  if(RTAUDIT_SANITIZE)
    target_compile_definitions(audit_ct_landmarks_tests PRIVATE RTAUDIT_SANITIZED=1)
  endif()
endif()
