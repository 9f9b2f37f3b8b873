# Recurrences and points of interest from a follow-up RTSTRUCT, brought into the planning frame by
# rigid registrations (issue 5).
add_library(rtaudit_recurrence_followup STATIC ${CMAKE_CURRENT_LIST_DIR}/followup.cpp)
target_link_libraries(rtaudit_recurrence_followup PUBLIC rtaudit_recurrence rtaudit_registration
  PRIVATE fmt::fmt rtaudit_warnings)
list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_recurrence_followup)
