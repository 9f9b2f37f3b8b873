# Geometric proxies of heart dose (issue 6; heart/proxies.hpp, docs/heart-proxies.md): minimum
# distances, overlap-volume histograms and beam's-eye-view measures (MHD, CLD, heart area and
# volume in the field) from structures and the plan, without a dose grid. Included from
# rtaudit/heart/module.cmake (rtaudit/CMakeLists.txt's scope). Needs the exact partial volumes
# (rtaudit_dvh, dose/dvh.cmake) and the surface distances (rtaudit_compare).
if(TARGET rtaudit_dvh AND TARGET rtaudit_compare)
  add_library(rtaudit_heart_proxies STATIC ${CMAKE_CURRENT_LIST_DIR}/proxies.cpp)
  target_link_libraries(rtaudit_heart_proxies
    PUBLIC rtaudit_geom rtaudit_case
    PRIVATE rtaudit_geom_surface rtaudit_plan rtaudit_dvh rtaudit_compare fmt::fmt rtaudit_warnings)
  list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_heart_proxies)
endif()
