# The DICOM node's parts (issue 9): path safety, case assembly, dataset checks, the storage folder.
if(TARGET rtaudit_net)
  rtaudit_test(net_tests ${CMAKE_CURRENT_LIST_DIR}/received_object_test.cpp ${CMAKE_CURRENT_LIST_DIR}/archive_test.cpp)
  target_link_libraries(net_tests PRIVATE rtaudit_net DCMTK::dcmdata)
endif()
