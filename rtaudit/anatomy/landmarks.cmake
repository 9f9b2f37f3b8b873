# Landmarks from the patient's structures (issue 4): treated side, rib levels, ICS bands, IM vessel
# centrelines, IMV junction, CTVn_L4 caudal limit, sternum edge. Included from rtaudit/CMakeLists.txt.
add_library(rtaudit_anatomy_landmarks STATIC
  ${CMAKE_CURRENT_LIST_DIR}/landmarks.cpp)
target_link_libraries(rtaudit_anatomy_landmarks
  PUBLIC rtaudit_anatomy_roles rtaudit_geom
  PRIVATE fmt::fmt rtaudit_warnings)
