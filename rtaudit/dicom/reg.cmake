# Rigid spatial registrations (issue 5): the frame algebra (pure, no DICOM) and the REG reader/writer.
add_library(rtaudit_registration STATIC ${CMAKE_CURRENT_LIST_DIR}/../case/registration.cpp)
target_link_libraries(rtaudit_registration PUBLIC rtaudit_geom rtaudit_case PRIVATE rtaudit_warnings)

add_library(rtaudit_dicom_reg STATIC
  ${CMAKE_CURRENT_LIST_DIR}/reg_reader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/write_reg.cpp)
target_link_libraries(rtaudit_dicom_reg PUBLIC rtaudit_dicom rtaudit_dicom_write rtaudit_registration
  PRIVATE DCMTK::dcmdata fmt::fmt rtaudit_warnings)

list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_dicom_reg)
