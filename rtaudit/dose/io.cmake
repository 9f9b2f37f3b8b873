# Dose grids in patient axes and their sums (pure functions), and the RTDOSE / RTPLAN readers.
add_library(rtaudit_dose_volume STATIC ${CMAKE_CURRENT_LIST_DIR}/dose_volume.cpp)
target_link_libraries(rtaudit_dose_volume PUBLIC rtaudit_case PRIVATE fmt::fmt rtaudit_warnings)

add_library(rtaudit_dicom_rt STATIC
  ${CMAKE_CURRENT_LIST_DIR}/../dicom/rtdose_reader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../dicom/rtplan_reader.cpp)
target_link_libraries(rtaudit_dicom_rt PUBLIC rtaudit_dicom rtaudit_case
  PRIVATE DCMTK::dcmdata DCMTK::dcmjpeg DCMTK::dcmjpls fmt::fmt rtaudit_warnings)

list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_dose_volume rtaudit_dicom_rt)
