# Reference CTVs: the CTVn_IMN each guideline implies for this patient (issue 4). Included from
# rtaudit/CMakeLists.txt.
add_library(rtaudit_guideline_reference STATIC
  ${CMAKE_CURRENT_LIST_DIR}/reference_ctv.cpp)
target_link_libraries(rtaudit_guideline_reference
  PUBLIC rtaudit_guideline_rules rtaudit_anatomy_landmarks rtaudit_geom
  PRIVATE fmt::fmt rtaudit_warnings)
