#pragma once
// Analytic shapes built in code for the geometry tests: polygon stacks whose exact answers are
// known in closed form.

#include "rtaudit/geom/types.hpp"

#include <cmath>
#include <numbers>
#include <vector>

namespace rtaudit::test {

/// A regular N-gon of circumradius r centred at (cx, cy) on plane z, counter-clockwise unless cw.
inline geom::Contour ngon(double cx, double cy, double r, double z, int n, bool cw = false) {
  geom::Contour c;
  for (int k = 0; k < n; ++k) {
    const double a = 2 * std::numbers::pi * (cw ? -k : k) / n;
    c.points.push_back({cx + r * std::cos(a), cy + r * std::sin(a), z});
  }
  return c;
}

/// Exact area of a regular N-gon of circumradius r.
inline double ngon_area(double r, int n) { return 0.5 * n * r * r * std::sin(2 * std::numbers::pi / n); }

inline geom::Contour rectangle(double x0, double y0, double x1, double y1, double z) {
  geom::Contour c;
  c.points = {{x0, y0, z}, {x1, y0, z}, {x1, y1, z}, {x0, y1, z}};
  return c;
}

}  // namespace rtaudit::test
