# Comparison metrics of two structures on the exact plane model (issue 4): overlap (Dice, Jaccard,
# volumes) from polygon Booleans, surface distances (HD, HD95, MSD, surface Dice, added path length)
# on the slab stack's closed surface (CGAL). Included from rtaudit/CMakeLists.txt .
#
# CGAL stays inside rtaudit/geom/surface.cpp (no CGAL in any header). CGAL::CGAL brings
# -frounding-math for GCC, which its exact predicates need; it is linked PRIVATE, so it applies to
# this library's translation units only.
find_package(CGAL REQUIRED)

# The slab stack's surface (geom/surface.hpp) is part of the geometry layer; it is a library of its
# own so that only what needs 3-D surfaces pays for CGAL.
add_library(rtaudit_geom_surface STATIC
  ${CMAKE_CURRENT_LIST_DIR}/../geom/slab_extents.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../geom/surface.cpp)
target_link_libraries(rtaudit_geom_surface
  PUBLIC rtaudit_geom
  PRIVATE CGAL::CGAL fmt::fmt rtaudit_warnings)

add_library(rtaudit_compare STATIC
  ${CMAKE_CURRENT_LIST_DIR}/overlap.cpp
  ${CMAKE_CURRENT_LIST_DIR}/surface_distance.cpp)
target_link_libraries(rtaudit_compare
  PUBLIC rtaudit_geom rtaudit_geom_surface
  PRIVATE fmt::fmt rtaudit_warnings)
list(APPEND RTAUDIT_CLI_EXTRA_LIBS rtaudit_compare)
