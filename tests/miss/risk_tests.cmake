# IMN risk, imaging update and guideline fit (issue 5; docs/imn-risk.md), and the patient.json reader
# that feeds them. Included from tests/CMakeLists.txt (OPTIONAL); CMAKE_CURRENT_LIST_DIR is tests/miss.
if(TARGET rtaudit_miss_risk)
  rtaudit_test(miss_risk_tests
    ${CMAKE_CURRENT_LIST_DIR}/imn_risk_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/imaging_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/guideline_fit_test.cpp)
  target_link_libraries(miss_risk_tests PRIVATE rtaudit_miss_risk rtaudit_recurrence)
  # The tests read the shipped rule files (rules/*.xml) from the source tree.
  target_compile_definitions(miss_risk_tests PRIVATE RTAUDIT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
endif()

rtaudit_test(patient_file_tests ${CMAKE_CURRENT_LIST_DIR}/../recurrence/patient_file_test.cpp)
target_link_libraries(patient_file_tests PRIVATE rtaudit_recurrence)
