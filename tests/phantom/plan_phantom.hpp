#pragma once
// A small thorax built in code for the plan and dose tests: an elliptical chest (a = 170, b = 120 mm)
// with a breast bump on the anterolateral surface, a crescent breast PTV 5 mm under the skin, and a
// nodal PTV made of an IMN strip under the medial chest wall and a supraclavicular box above the
// breast. side Right mirrors everything in x.

#include "rtaudit/geom/structure.hpp"
#include "rtaudit/phantom/side.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace rtaudit::test {

struct PlanPhantom {
  geom::Structure body;
  geom::Structure breast_ptv;
  geom::Structure nodal_ptv;
};

namespace plan_phantom_detail {

constexpr double kA = 170, kB = 120;                      // chest ellipse semi-axes
constexpr double kPhi1 = -80 * std::numbers::pi / 180;    // medial end of the breast (ellipse angle)
constexpr double kPhi2 = -15 * std::numbers::pi / 180;    // lateral end
constexpr double kSkinGap = 5;                            // PTV under the skin

inline double bump_height(double z) { return 45 * std::clamp((90 - std::abs(z)) / 25, 0.0, 1.0); }

inline double bump(double phi, double z) {
  if (phi <= kPhi1 || phi >= kPhi2) return 0;
  return bump_height(z) * std::sin(std::numbers::pi * (phi - kPhi1) / (kPhi2 - kPhi1));
}

// Point of the ellipse at angle phi pushed out along the normal by `out` mm.
inline geom::Point3 surface(double phi, double out, double z, double mirror) {
  const double ex = kA * std::cos(phi), ey = kB * std::sin(phi);
  double nx = kB * std::cos(phi), ny = kA * std::sin(phi);
  const double nl = std::hypot(nx, ny);
  nx /= nl;
  ny /= nl;
  return {mirror * (ex + out * nx), ey + out * ny, z};
}

inline geom::Contour oriented(geom::Contour c, double mirror) {
  if (mirror < 0) std::reverse(c.points.begin(), c.points.end());
  return c;
}

inline geom::Contour box(double x0, double x1, double y0, double y1, double z, double mirror) {
  geom::Contour c;
  c.points = {{mirror * x0, y0, z}, {mirror * x1, y0, z}, {mirror * x1, y1, z}, {mirror * x0, y1, z}};
  return oriented(c, mirror);
}

}  // namespace plan_phantom_detail

inline PlanPhantom make_plan_phantom(phantom::Side side = phantom::Side::Left, bool with_nodal = true) {
  using namespace plan_phantom_detail;
  const double m = side == phantom::Side::Left ? 1.0 : -1.0;
  std::vector<geom::Contour> body, breast, nodal;
  for (int k = -60; k <= 60; ++k) {
    const double z = 2.5 * k;
    geom::Contour c;
    for (int i = 0; i < 360; ++i) {
      const double phi = -std::numbers::pi + 2 * std::numbers::pi * i / 360;
      c.points.push_back(surface(phi, bump(phi, z), z, m));
    }
    body.push_back(oriented(c, m));
  }
  for (int k = -24; k <= 24; ++k) {
    const double z = 2.5 * k;
    const double h = bump_height(z);
    const double u = std::asin(kSkinGap / h) / std::numbers::pi;
    const double pa = kPhi1 + u * (kPhi2 - kPhi1), pb = kPhi2 - u * (kPhi2 - kPhi1);
    geom::Contour c;
    const int n = 60;
    for (int i = 0; i <= n; ++i) {
      const double phi = pa + (pb - pa) * i / n;
      c.points.push_back(surface(phi, bump(phi, z) - kSkinGap, z, m));
    }
    for (int i = n - 1; i >= 1; --i) c.points.push_back(surface(pa + (pb - pa) * i / n, 0, z, m));
    breast.push_back(oriented(c, m));
  }
  if (with_nodal) {
    for (int k = -12; k <= 30; ++k) nodal.push_back(box(22, 36, -104, -92, 2.5 * k, m));  // IMN strip
    for (int k = 31; k <= 52; ++k) nodal.push_back(box(25, 85, -95, -60, 2.5 * k, m));    // SCV box
  }
  PlanPhantom p;
  p.body = geom::build_structure(body).structure;
  p.breast_ptv = geom::build_structure(breast).structure;
  if (with_nodal) p.nodal_ptv = geom::build_structure(nodal).structure;
  return p;
}

}  // namespace rtaudit::test
