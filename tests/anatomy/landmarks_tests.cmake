# Landmarks from the patient's structures (issue 4): against the phantom's truth and hand-built shapes.
rtaudit_test(anatomy_landmark_tests ${CMAKE_CURRENT_LIST_DIR}/landmarks_test.cpp)
target_link_libraries(anatomy_landmark_tests PRIVATE rtaudit_anatomy_landmarks rtaudit_phantom)
target_compile_definitions(anatomy_landmark_tests PRIVATE
  RTAUDIT_RULES_DIR="${PROJECT_SOURCE_DIR}/rules" RTAUDIT_ATLAS_DIR="${PROJECT_SOURCE_DIR}/atlases")
