# One case into an AuditResult (issue 4): border checks, margins, vein coverage, organ overlaps and the
# exact comparison metrics against every guideline's reference CTV. Included from rtaudit/CMakeLists.txt.
add_library(rtaudit_audit STATIC
  ${CMAKE_CURRENT_LIST_DIR}/audit.cpp)
target_link_libraries(rtaudit_audit
  PUBLIC rtaudit_guideline_reference rtaudit_compare
  PRIVATE fmt::fmt rtaudit_warnings)
list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_audit)
