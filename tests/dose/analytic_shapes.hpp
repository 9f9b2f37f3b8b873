#pragma once
// Analytic shapes, linear dose fields and their exact cumulative DVHs, for validating the DVH code
// in the manner of Nelms et al., "Methods, software and datasets to verify DVH calculations against
// analytical values: Twenty years of progress", Med Phys 42 (2015) 4435 (docs/dvh-analytic.md).
//
// Shapes (all 24 mm across): a sphere (diameter 24 mm), a cylinder (diameter 24 mm, length 24 mm,
// axis along z) and a cone (base diameter 24 mm, height 24 mm, axis along z, base at the bottom).
// Each is contoured as a stack of planes at a given spacing h, the planes at z0 + (k + 1/2) h,
// k = 0 .. n-1 with n = (z1 - z0) / h, so that the slabs of the plane model (each plane standing for
// [z - h/2, z + h/2]) tile the shape's z extent [z0, z1] exactly: the model's volume is then the
// midpoint rule of the cross-section area, exact for the cylinder and of error O(h²) for the
// sphere and the cone. (Planes at z0 + k h instead, with one plane on each end face, would add a
// half slab at each end: a volume error of order h x end-face area that does not vanish as fast,
// e.g. +0.8% for the cylinder at h = 0.2 mm and +12.5% at 3 mm.)
// The region of a plane is the shape's cross-section at the plane's z: a circle, drawn as a
// regular N-gon whose circumradius is enlarged so that its area equals the circle's exactly.
//
// Dose: linear, 1 Gy/mm, 16 Gy at the shape's centre (the centre of its bounding box), along z
// (across the planes) or along y (in the planes), on a grid of voxel centres on a lattice of
// spacing 1, 2 or 3 mm covering the shape with a margin. A linear field is reproduced exactly by
// trilinear interpolation, so any error is the DVH code's (plane model, sampling, binning).
//
// Analytic cumulative DVH: V(>= D) = volume of the shape where (axis coordinate - centre) >= D - 16.
// Closed forms for every case except the cone with a gradient across its axis, where the area of
// the cone's section by a plane parallel to its axis (closed form) is integrated by adaptive
// Gauss-Kronrod quadrature.

#include "rtaudit/dose/dose_volume.hpp"
#include "rtaudit/dose/dvh.hpp"
#include "rtaudit/geom/structure.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace rtaudit::test::analytic {

enum class Shape { Sphere, Cylinder, Cone };
enum class Axis { Y, Z };

inline std::string to_string(Shape s) {
  switch (s) {
    case Shape::Sphere: return "sphere";
    case Shape::Cylinder: return "cylinder";
    case Shape::Cone: return "cone";
  }
  return "?";
}
inline std::string to_string(Axis a) { return a == Axis::Y ? "y" : "z"; }

inline constexpr double kPi = std::numbers::pi;
inline constexpr double kRadius = 12.0;   ///< mm: sphere radius, cylinder and cone base radius
inline constexpr double kLength = 24.0;   ///< mm: cylinder length, cone height (sphere: diameter)
inline constexpr double kCentreDose = 16.0;  ///< Gy at the shape's centre
inline constexpr double kGradient = 1.0;     ///< Gy/mm

/// The shape's centre (the centre of its bounding box; for the cone, mid-height on the axis). Off
/// the dose lattices on purpose (the lattices are multiples of the grid spacing from 0).
inline constexpr double kCx = 1.3, kCy = -2.1, kCz = 0.7;

inline double z_lo() { return kCz - kLength / 2; }
inline double z_hi() { return kCz + kLength / 2; }

/// Radius (mm) of the shape's cross-section at z (0 outside the shape).
inline double section_radius(Shape s, double z) {
  const double u = z - kCz;
  if (u < -kLength / 2 || u > kLength / 2) return 0;
  switch (s) {
    case Shape::Sphere: return std::sqrt(std::max(0.0, kRadius * kRadius - u * u));
    case Shape::Cylinder: return kRadius;
    case Shape::Cone: return kRadius * (1.0 - (u + kLength / 2) / kLength);  // base at z_lo, apex at z_hi
  }
  return 0;
}

/// Exact volume (mm³).
inline double volume_mm3(Shape s) {
  switch (s) {
    case Shape::Sphere: return 4.0 / 3.0 * kPi * kRadius * kRadius * kRadius;
    case Shape::Cylinder: return kPi * kRadius * kRadius * kLength;
    case Shape::Cone: return kPi * kRadius * kRadius * kLength / 3.0;
  }
  return 0;
}

/// A closed regular N-gon (counter-clockwise, first vertex on the +x axis) of the same area as the
/// circle of radius r centred at (cx, cy), in plane z.
inline geom::Contour circle_contour(double cx, double cy, double r, double z, int n) {
  const double step = 2 * kPi / n;
  // Area of the N-gon of circumradius rc: (N/2) rc² sin(2π/N); equal to π r².
  const double rc = r * std::sqrt(2 * kPi / (n * std::sin(step)));
  geom::Contour c;
  c.type = geom::GeometricType::ClosedPlanar;
  c.points.reserve(static_cast<std::size_t>(n));
  for (int k = 0; k < n; ++k) {
    const double a = step * k;
    c.points.push_back({cx + rc * std::cos(a), cy + rc * std::sin(a), z});
  }
  return c;
}

/// Plane positions z0 + (k + 1/2) h covering [z_lo, z_hi]; h must divide the length (0.2, 1, 2, 3 mm).
inline std::vector<double> plane_positions(double spacing_mm) {
  const long n = std::lround(kLength / spacing_mm);
  if (std::abs(static_cast<double>(n) * spacing_mm - kLength) > 1e-9) {
    throw std::invalid_argument("plane spacing must divide the shape's length");
  }
  std::vector<double> z;
  for (long k = 0; k < n; ++k) z.push_back(z_lo() + (static_cast<double>(k) + 0.5) * spacing_mm);
  return z;
}

/// The shape's contours at the given plane spacing (one circle per plane; planes whose section
/// would be empty are left out).
inline std::vector<geom::Contour> contours(Shape s, double spacing_mm, int vertices = 360) {
  std::vector<geom::Contour> out;
  for (const double z : plane_positions(spacing_mm)) {
    const double r = section_radius(s, z);
    if (r > 0) out.push_back(circle_contour(kCx, kCy, r, z, vertices));
  }
  return out;
}

inline geom::Structure structure(Shape s, double spacing_mm, int vertices = 360) {
  return geom::build_structure(contours(s, spacing_mm, vertices)).structure;
}

/// The linear dose at a point (Gy).
inline double dose_at(Axis a, double y, double z) {
  return kCentreDose + kGradient * (a == Axis::Y ? y - kCy : z - kCz);
}

/// A lattice [lo, hi] covered by voxel centres at integer multiples of `step`.
inline std::vector<double> lattice(double lo, double hi, double step) {
  std::vector<double> v;
  for (long k = static_cast<long>(std::floor(lo / step)); static_cast<double>(k) * step <= hi + 1e-9; ++k) {
    v.push_back(static_cast<double>(k) * step);
  }
  return v;
}

/// A dose grid of spacing `grid_mm` (all three axes) with voxel centres at integer multiples of
/// grid_mm, covering the shape's box plus `margin_mm` on every side, dose linear along `a`.
/// Values are clamped at 0 Gy far from the shape (never reached by an interpolation inside it:
/// the shape's lowest dose is 4 Gy and a voxel neighbour is at most 3 mm = 3 Gy lower).
/// `z_from` / `y_from`: the grid's domain starts there instead (for partial-coverage tests): the
/// first voxel centre is put half a spacing above it.
struct GridSpec {
  double grid_mm = 1;
  double margin_mm = 4;
  std::optional<double> y_domain_from;  ///< domain's lower y edge (voxel centres from here + grid/2)
  std::optional<double> z_domain_from;  ///< domain's lower z edge
};

inline dose::DoseVolume dose_grid(Axis a, const GridSpec& g) {
  const double r = kRadius + g.margin_mm;
  const double h = kLength / 2 + g.margin_mm;
  const std::vector<double> xs = lattice(kCx - r, kCx + r, g.grid_mm);
  std::vector<double> ys = lattice(kCy - r, kCy + r, g.grid_mm);
  std::vector<double> zs = lattice(kCz - h, kCz + h, g.grid_mm);
  auto from = [&](std::vector<double>& v, double edge, double hi) {
    v.clear();
    for (double c = edge + g.grid_mm / 2; c <= hi + 1e-9; c += g.grid_mm) v.push_back(c);
  };
  if (g.y_domain_from) from(ys, *g.y_domain_from, kCy + r);
  if (g.z_domain_from) from(zs, *g.z_domain_from, kCz + h);
  dose::DoseVolume d;
  d.x0_mm = xs.front();
  d.y0_mm = ys.front();
  d.dx_mm = d.dy_mm = g.grid_mm;
  d.nx = static_cast<int>(xs.size());
  d.ny = static_cast<int>(ys.size());
  d.z_mm = zs;
  d.gy.resize(xs.size() * ys.size() * zs.size());
  std::size_t idx = 0;
  for (const double z : zs) {
    for (const double y : ys) {
      for (std::size_t i = 0; i < xs.size(); ++i) {
        d.gy[idx++] = static_cast<float>(std::max(0.0, dose_at(a, y, z)));
      }
    }
  }
  return d;
}

// ---- Analytic cumulative DVH ----

/// Adaptive Gauss-Kronrod (7-15) quadrature of f on [a, b] to absolute tolerance tol.
inline double integrate(const std::function<double(double)>& f, double a, double b, double tol, int depth = 0) {
  static constexpr double xk[8] = {0.991455371120812639, 0.949107912342758525, 0.864864423359769073,
                                   0.741531185599394440, 0.586087235467691130, 0.405845151377397167,
                                   0.207784955007898468, 0.000000000000000000};
  static constexpr double wk[8] = {0.022935322010529225, 0.063092092629978553, 0.104790010322250184,
                                   0.140653259715525919, 0.169004726639267903, 0.190350578064785410,
                                   0.204432940075298892, 0.209482141084727828};
  static constexpr double wg[4] = {0.129484966168869693, 0.279705391489276668, 0.381830050505118945,
                                   0.417959183673469388};
  const double c = 0.5 * (a + b), h = 0.5 * (b - a);
  double k15 = wk[7] * f(c), g7 = wg[3] * f(c);
  for (int i = 0; i < 7; ++i) {
    const double f1 = f(c - h * xk[i]), f2 = f(c + h * xk[i]);
    k15 += wk[i] * (f1 + f2);
    if (i % 2 == 1) g7 += wg[i / 2] * (f1 + f2);
  }
  k15 *= h;
  g7 *= h;
  if (std::abs(k15 - g7) <= tol || depth > 40) return k15;
  return integrate(f, a, c, tol / 2, depth + 1) + integrate(f, c, b, tol / 2, depth + 1);
}

/// Area (mm²) of the cone's section by a plane parallel to its axis at distance d from it:
/// S(d) = (H/R) [R sqrt(R² - d²) - d² ln((R + sqrt(R² - d²)) / d)] (hyperbolic segment).
inline double cone_axial_section_mm2(double d) {
  d = std::abs(d);
  if (d >= kRadius) return 0;
  const double q = std::sqrt(kRadius * kRadius - d * d);
  const double log_term = d > 0 ? d * d * std::log((kRadius + q) / d) : 0.0;
  return kLength / kRadius * (kRadius * q - log_term);
}

/// Exact volume (mm³) of the shape where the dose is at least `gy`.
inline double volume_at_least_mm3(Shape s, Axis a, double gy) {
  const double t = (gy - kCentreDose) / kGradient;  // offset from the centre along the gradient axis
  const double R = kRadius, L = kLength;
  switch (s) {
    case Shape::Sphere: {
      const double h = std::clamp(R - t, 0.0, 2 * R);
      return kPi * h * h * (3 * R - h) / 3;
    }
    case Shape::Cylinder: {
      if (a == Axis::Z) return kPi * R * R * std::clamp(L / 2 - t, 0.0, L);
      if (t >= R) return 0;
      if (t <= -R) return kPi * R * R * L;
      return (R * R * std::acos(t / R) - t * std::sqrt(R * R - t * t)) * L;  // circular segment x length
    }
    case Shape::Cone: {
      if (a == Axis::Z) {
        const double f = std::clamp((L / 2 - t) / L, 0.0, 1.0);  // apex part of relative height f
        return kPi * R * R * L / 3 * f * f * f;
      }
      if (t >= R) return 0;
      const double lo = std::max(t, -R);
      return integrate(cone_axial_section_mm2, lo, R, 1e-11);
    }
  }
  return 0;
}

struct AnalyticMetrics {
  double volume_cc = 0;
  double mean_gy = 0, min_gy = 0, max_gy = 0;
  double d0_03cc_gy = 0, d2_gy = 0, d50_gy = 0, d95_gy = 0, d98_gy = 0;
  std::vector<double> v_levels_gy;
  std::vector<double> v_cc, v_pct;
};

/// The dose at which V(>= D) equals `mm3` (bisection to 1e-12 Gy).
inline double dose_at_volume_mm3(Shape s, Axis a, double mm3) {
  double lo = kCentreDose - kLength / 2, hi = kCentreDose + kLength / 2;  // Dmin, Dmax of every case
  for (int i = 0; i < 200 && hi - lo > 1e-12; ++i) {
    const double mid = 0.5 * (lo + hi);
    (volume_at_least_mm3(s, a, mid) >= mm3 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

inline AnalyticMetrics analytic_metrics(Shape s, Axis a, const std::vector<double>& v_levels_gy = {10, 16, 22}) {
  AnalyticMetrics m;
  const double v = volume_mm3(s);
  m.volume_cc = v / 1000;
  // Every shape spans 24 mm along either axis, centred: 4 .. 28 Gy.
  m.min_gy = kCentreDose - kGradient * kLength / 2;
  m.max_gy = kCentreDose + kGradient * kLength / 2;
  // Mean = dose at the centroid: the centre, except the cone along z (centroid a quarter of the
  // height above the base, i.e. H/4 below the centre).
  m.mean_gy = (s == Shape::Cone && a == Axis::Z) ? kCentreDose - kGradient * kLength / 4 : kCentreDose;
  m.d0_03cc_gy = dose_at_volume_mm3(s, a, 30.0);
  m.d2_gy = dose_at_volume_mm3(s, a, 0.02 * v);
  m.d50_gy = dose_at_volume_mm3(s, a, 0.50 * v);
  m.d95_gy = dose_at_volume_mm3(s, a, 0.95 * v);
  m.d98_gy = dose_at_volume_mm3(s, a, 0.98 * v);
  m.v_levels_gy = v_levels_gy;
  for (const double gy : v_levels_gy) {
    const double w = volume_at_least_mm3(s, a, gy);
    m.v_cc.push_back(w / 1000);
    m.v_pct.push_back(100 * w / v);
  }
  return m;
}

// ---- Comparison of a computed DVH with the analytic one ----

struct MetricError {
  std::string name;
  double analytic = 0, computed = 0;
  double error = 0;      ///< D metrics: Gy; V metrics: percentage points of the structure volume
  double error_pct = 0;  ///< D metrics: % of the analytic value; V metrics: = error
  bool is_dose = true;
};

struct Comparison {
  std::vector<MetricError> metrics;
  double max_d_gy = 0, max_d_pct = 0, max_v_pp = 0;
  double max_dx_pct = 0;  ///< the largest D error (%) without Dmin and Dmax (point values of the curve)
  std::string worst_d, worst_v;  ///< the metric of the largest relative D error / V error
  double model_volume_error_pct = 0;  ///< structure_volume_cc vs the exact volume
};

/// Errors of every metric. D metrics (Dmean, Dmin, Dmax, D0.03cc, D2%, D50%, D95%, D98%): computed
/// minus analytic, in Gy and in % of the analytic value. V metrics (V10Gy, V16Gy, V22Gy): in
/// percentage points of the structure volume, both as % (the DVH's percent of its sampled volume
/// minus the analytic percent of the exact volume) and as cc (the difference in cc over the exact
/// volume, x 100).
inline Comparison compare(const dose::Dvh& dvh, Shape s, Axis a) {
  const AnalyticMetrics an = analytic_metrics(s, a);
  const dose::StandardMetrics m = dose::standard_metrics(dvh, an.v_levels_gy);
  Comparison c;
  auto add_d = [&](const std::string& name, double analytic, double computed) {
    MetricError e{name, analytic, computed, computed - analytic, 100 * (computed - analytic) / analytic, true};
    c.metrics.push_back(e);
    if (!(std::abs(e.error_pct) <= c.max_d_pct)) {  // NaN counts as worst
      c.max_d_pct = std::isnan(e.error_pct) ? std::numeric_limits<double>::infinity() : std::abs(e.error_pct);
      c.worst_d = name;
    }
    if (name != "Dmin" && name != "Dmax") {
      c.max_dx_pct = std::max(c.max_dx_pct, std::isnan(e.error_pct) ? std::numeric_limits<double>::infinity()
                                                                      : std::abs(e.error_pct));
    }
    c.max_d_gy = std::max(c.max_d_gy, std::isnan(e.error) ? std::numeric_limits<double>::infinity() : std::abs(e.error));
  };
  auto add_v = [&](const std::string& name, double analytic, double computed, double pp) {
    MetricError e{name, analytic, computed, pp, pp, false};
    c.metrics.push_back(e);
    if (!(std::abs(pp) <= c.max_v_pp)) {
      c.max_v_pp = std::isnan(pp) ? std::numeric_limits<double>::infinity() : std::abs(pp);
      c.worst_v = name;
    }
  };
  add_d("Dmean", an.mean_gy, m.mean_gy);
  add_d("Dmin", an.min_gy, m.min_gy);
  add_d("Dmax", an.max_gy, m.max_gy);
  add_d("D0.03cc", an.d0_03cc_gy, m.d0_03cc_gy);
  add_d("D2%", an.d2_gy, m.d2_gy);
  add_d("D50%", an.d50_gy, m.d50_gy);
  add_d("D95%", an.d95_gy, m.d95_gy);
  add_d("D98%", an.d98_gy, m.d98_gy);
  for (std::size_t k = 0; k < an.v_levels_gy.size(); ++k) {
    const std::string level = "V" + std::to_string(std::lround(an.v_levels_gy[k])) + "Gy";
    const double pct = k < m.v.size() ? m.v[k].volume_pct : std::nan("");
    const double cc = k < m.v.size() ? m.v[k].volume_cc : std::nan("");
    add_v(level + "[%]", an.v_pct[k], pct, pct - an.v_pct[k]);
    add_v(level + "[cc]", an.v_cc[k], cc, 100 * (cc - an.v_cc[k]) / an.volume_cc);
  }
  c.model_volume_error_pct = 100 * (dvh.structure_volume_cc - an.volume_cc) / an.volume_cc;
  return c;
}

}  // namespace rtaudit::test::analytic
