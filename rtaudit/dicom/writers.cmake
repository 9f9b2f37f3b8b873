# DICOM writers (CT series, RTSTRUCT, RTPLAN, RTDOSE) for the synthetic phantom; deterministic UIDs.
add_library(rtaudit_dicom_write STATIC
  ${CMAKE_CURRENT_LIST_DIR}/ds_format.cpp
  ${CMAKE_CURRENT_LIST_DIR}/write_common.cpp
  ${CMAKE_CURRENT_LIST_DIR}/write_ct.cpp
  ${CMAKE_CURRENT_LIST_DIR}/write_rtstruct.cpp
  ${CMAKE_CURRENT_LIST_DIR}/write_rtplan.cpp
  ${CMAKE_CURRENT_LIST_DIR}/write_rtdose.cpp
  ${CMAKE_CURRENT_LIST_DIR}/export_rtstruct.cpp)
target_link_libraries(rtaudit_dicom_write PUBLIC rtaudit_dicom
  PRIVATE DCMTK::dcmrt DCMTK::dcmdata fmt::fmt rtaudit_warnings)
list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_dicom_write)
