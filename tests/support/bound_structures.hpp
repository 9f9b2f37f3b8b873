#pragma once
// Hand-built role-bound structures for the guideline-engine tests (anatomy, guideline, audit): the
// plane model of given contours, with the 2.5 mm fallback slab of the phantom's CT.

#include "rtaudit/anatomy/landmarks.hpp"
#include "tests/support/shapes.hpp"

#include <string>
#include <utility>
#include <vector>

namespace rtaudit::test {

inline anatomy::BoundStructure bound(int roi_number, std::string name, const std::vector<geom::Contour>& contours) {
  geom::BuildOptions o;
  o.fallback_slab_mm = 2.5;
  anatomy::BoundStructure b;
  b.roi_number = roi_number;
  b.roi_name = std::move(name);
  b.structure = geom::build_structure(contours, o).structure;
  return b;
}

/// The rectangle [x0, x1] x [y0, y1] on each plane of `zs`.
inline anatomy::BoundStructure box_stack(int roi_number, std::string name, double x0, double y0, double x1, double y1,
                                         const std::vector<double>& zs) {
  std::vector<geom::Contour> contours;
  for (const double z : zs) contours.push_back(rectangle(x0, y0, x1, y1, z));
  return bound(roi_number, std::move(name), contours);
}

}  // namespace rtaudit::test
