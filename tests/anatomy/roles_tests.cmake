# Structure names to roles (issue 4).
rtaudit_test(anatomy_role_tests ${CMAKE_CURRENT_LIST_DIR}/roles_test.cpp)
target_link_libraries(anatomy_role_tests PRIVATE rtaudit_anatomy_roles)
target_compile_definitions(anatomy_role_tests PRIVATE RTAUDIT_RULES_DIR="${PROJECT_SOURCE_DIR}/rules")
