# Phantom anatomy, CT and structures (issue 3).
rtaudit_test(phantom_tests phantom/atlas_test.cpp phantom/anatomy_test.cpp phantom/phantom_test.cpp phantom/clinical_size_ct_test.cpp)
target_link_libraries(phantom_tests PRIVATE rtaudit_phantom)
target_compile_definitions(phantom_tests PRIVATE RTAUDIT_ATLAS_DIR="${PROJECT_SOURCE_DIR}/atlases")
