# Beam geometry of an external-beam plan (IEC 61217 beam's-eye view, apertures): pure functions on
# the Plan value type, shared by the phantom's dose model and the heart's beam's-eye-view proxies.
add_library(rtaudit_plan STATIC ${CMAKE_CURRENT_LIST_DIR}/beam_geometry.cpp)
target_link_libraries(rtaudit_plan PUBLIC rtaudit_case PRIVATE fmt::fmt rtaudit_warnings)
