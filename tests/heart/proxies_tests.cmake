# Heart-dose proxies (issue 6): closed forms (spheres, cubes, a gantry-90 beam) and the phantom's plan.
# Included from tests/heart/tests.cmake (OPTIONAL).
if(TARGET rtaudit_heart_proxies)
  rtaudit_test(heart_proxies_tests ${CMAKE_CURRENT_LIST_DIR}/proxies_test.cpp)
  target_link_libraries(heart_proxies_tests PRIVATE rtaudit_heart_proxies rtaudit_geom_surface rtaudit_plan rtaudit_phantom)
  target_compile_definitions(heart_proxies_tests PRIVATE RTAUDIT_ATLAS_DIR="${PROJECT_SOURCE_DIR}/atlases")
endif()
