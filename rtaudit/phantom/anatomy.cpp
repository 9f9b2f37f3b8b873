#include "rtaudit/phantom/anatomy.hpp"

#include "rtaudit/phantom/polygon_ops.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

namespace rtaudit::phantom {
namespace {

using geom::MultiPolygon;
using geom::Point2;
using geom::Point3;

// ---- Deterministic draws ----

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ULL;
  }
  return h;
}

// Uniform in (0, 1]: 53 random bits.
double uniform01(std::mt19937_64& rng) {
  return (static_cast<double>(rng() >> 11) + 1.0) * (1.0 / 9007199254740992.0);
}

// Standard normal by Box-Muller (std::normal_distribution is not specified exactly).
double standard_normal(std::mt19937_64& rng) {
  const double u1 = uniform01(rng);
  const double u2 = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

double draw(const Dimension& d, std::uint64_t seed) {
  if (d.max <= d.min) return d.min;
  std::mt19937_64 rng(splitmix64(seed ^ fnv1a(d.name)));
  const double sd = (d.max - d.min) / 4.0;
  for (int attempt = 0; attempt < 64; ++attempt) {
    const double v = d.mean + sd * standard_normal(rng);
    if (v >= d.min && v <= d.max) return v;
  }
  return d.mean;
}

double lerp(double a, double b, double t) { return a + (b - a) * t; }

// ---- The rib path: an ellipse per rib, arc length tabulated on a reference ellipse ----

struct ArcTable {
  static constexpr int kSteps = 2048;
  double a = 0;
  double b = 0;
  std::vector<double> arc;  // arc[i] at theta = pi * i / kSteps

  ArcTable(double a_mm, double b_mm) : a(a_mm), b(b_mm), arc(kSteps + 1, 0.0) {
    for (int i = 1; i <= kSteps; ++i) {
      const double t0 = std::numbers::pi * (i - 1) / kSteps;
      const double t1 = std::numbers::pi * i / kSteps;
      const double dx = a * (std::sin(t1) - std::sin(t0));
      const double dy = b * (std::cos(t1) - std::cos(t0));
      arc[static_cast<std::size_t>(i)] = arc[static_cast<std::size_t>(i - 1)] + std::hypot(dx, dy);
    }
  }
  [[nodiscard]] double at(double theta) const {
    const double u = std::clamp(theta / std::numbers::pi, 0.0, 1.0) * kSteps;
    const auto i = std::min(static_cast<std::size_t>(u), static_cast<std::size_t>(kSteps - 1));
    return lerp(arc[i], arc[i + 1], u - static_cast<double>(i));
  }
  [[nodiscard]] double theta(double s) const {
    if (s <= 0) return 0;
    if (s >= arc.back()) return std::numbers::pi;
    const auto it = std::upper_bound(arc.begin(), arc.end(), s);
    const auto i = static_cast<std::size_t>(it - arc.begin()) - 1;
    const double t = (s - arc[i]) / (arc[i + 1] - arc[i]);
    return std::numbers::pi * (static_cast<double>(i) + t) / kSteps;
  }
};

double rib_path_half_depth(const Anatomy& a, double z) {
  return a.body_half_depth_mm - a.presternal_mm - 0.5 * sternal_thickness_mm(a, z);
}

// Chest-wall offset from the rib centreline to the pleura (the IM vessels lie in it).
double pleura_offset(const Anatomy& a) {
  return 0.5 * a.rib_thickness_mm + a.imv_gap_cartilage_mm + 2 * a.imv_radius_mm + a.imv_gap_pleura_mm;
}

double cavity_scale(const Anatomy& a, double z) {
  if (z <= 0) return 1.0;
  const double u = z / a.lung_apex_z_mm;
  return u >= 1 ? 0.0 : std::sqrt(1 - u * u);
}

// y of the ribs' centreline (anterior half) at |x|, for the rib path at level z.
double path_y(const Anatomy& a, double abs_x, double z) {
  const double u = std::min(abs_x / a.rib_path_half_width_mm, 1.0);
  return -rib_path_half_depth(a, z) * std::sqrt(1 - u * u);
}

struct RibBand {
  MultiPolygon full, cartilage, bone, marrow;
};

// One rib cut by plane z: the set of path points whose rib cross-section (an ellipse of half
// thickness ht in-plane and half height hh in z, centred on the path at height z_n(theta)) reaches z.
RibBand rib_section(const Anatomy& a, const ArcTable& ref, const RibLevel& rib, Side side, double z) {
  RibBand out;
  const double s = side_sign(side);
  const double ar = a.rib_path_half_width_mm;
  const double br = rib_path_half_depth(a, rib.centre_z_mm());
  const double theta0 = std::asin(std::min(1.0, sternal_half_width_mm(a, rib.centre_z_mm()) / ar));
  const double theta_rs = std::asin(std::min(1.0, a.rib_rise_start_x_mm / ar));
  const double theta_end = std::numbers::pi - std::asin(std::min(1.0, 30.0 / ar));
  const double arc_rs = ref.at(theta_rs);
  const double theta_ce = ref.theta(ref.at(theta0) + rib.cartilage_length_mm);
  const double dz = z - rib.centre_z_mm();
  const auto rise = [&](double t) { return a.rib_rise_slope * std::max(0.0, ref.at(t) - arc_rs); };
  const auto theta_of_rise = [&](double r) { return r <= 0 ? 0.0 : ref.theta(arc_rs + r / a.rib_rise_slope); };

  const auto band = [&](double ht, double hh, double lo, double hi) -> MultiPolygon {
    if (ht <= 0 || hh <= 0) return {};
    // rise(theta) must lie in [dz - hh, dz + hh].
    if (dz + hh < 0) return {};
    double t_lo = std::max({lo, theta0, theta_of_rise(dz - hh)});
    double t_hi = std::min({hi, theta_end, theta_of_rise(dz + hh)});
    if (dz + hh >= 0 && dz - hh <= 0) t_lo = std::max(lo, theta0);
    if (t_hi - t_lo < 1e-9) return {};
    const double arc_len = ref.at(t_hi) - ref.at(t_lo);
    const int n = std::max(2, static_cast<int>(std::ceil(arc_len / 1.0)) + 1);
    std::vector<Point2> left;
    std::vector<Point2> right;
    for (int i = 0; i < n; ++i) {
      const double t = ref.theta(lerp(ref.at(t_lo), ref.at(t_hi), static_cast<double>(i) / (n - 1)));
      const double u = (dz - rise(t)) / hh;
      const double w = ht * std::sqrt(std::max(0.0, 1 - u * u));
      const double px = s * ar * std::sin(t);
      const double py = -br * std::cos(t);
      double nx = s * std::sin(t) / ar;
      double ny = -std::cos(t) / br;
      const double nn = std::hypot(nx, ny);
      nx /= nn;
      ny /= nn;
      left.emplace_back(px + w * nx, py + w * ny);
      right.emplace_back(px - w * nx, py - w * ny);
    }
    std::vector<Point2> ring;
    for (const auto& p : left) {
      if (ring.empty() || std::hypot(p.x() - ring.back().x(), p.y() - ring.back().y()) > 1e-6) ring.push_back(p);
    }
    for (auto it = right.rbegin(); it != right.rend(); ++it) {
      if (std::hypot(it->x() - ring.back().x(), it->y() - ring.back().y()) > 1e-6) ring.push_back(*it);
    }
    while (ring.size() > 1 && std::hypot(ring.front().x() - ring.back().x(), ring.front().y() - ring.back().y()) <= 1e-6) {
      ring.pop_back();
    }
    if (ring.size() < 3) return {};
    return poly::clean(poly::from_points(ring), 0.2);
  };

  const double ht = 0.5 * a.rib_thickness_mm;
  const double hh = 0.5 * rib.height_mm;
  const double c = a.rib_cortex_mm;
  out.full = band(ht, hh, theta0, theta_end);
  if (out.full.empty()) return out;
  out.cartilage = band(ht, hh, theta0, theta_ce);
  out.bone = band(ht, hh, theta_ce, theta_end);
  out.marrow = band(ht - c, hh - c, theta_ce, theta_end);
  return out;
}

double point_segment_distance(const Point3& p, const Point3& a, const Point3& b) {
  const double dx = b.x - a.x, dy = b.y - a.y, dz = b.z - a.z;
  const double len2 = dx * dx + dy * dy + dz * dz;
  double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy + (p.z - a.z) * dz) / len2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy), p.z - (a.z + t * dz));
}

// Section of one capsule (segment a-b, radius r) by plane z: convex, traced radially from an
// interior point by bisection.
MultiPolygon capsule_section(const Point3& a, const Point3& b, double r, double z, int n = 48) {
  Point3 q;
  if ((a.z - z) * (b.z - z) <= 0 && a.z != b.z) {
    const double t = (z - a.z) / (b.z - a.z);
    q = {lerp(a.x, b.x, t), lerp(a.y, b.y, t), z};
  } else {
    q = std::abs(a.z - z) < std::abs(b.z - z) ? a : b;
  }
  if (std::abs(q.z - z) > r - 0.05) return {};
  const double reach = r + std::hypot(b.x - a.x, b.y - a.y, b.z - a.z) + 1.0;
  std::vector<Point2> ring;
  for (int k = 0; k < n; ++k) {
    const double phi = 2 * std::numbers::pi * k / n;
    const double cx = std::cos(phi);
    const double cy = std::sin(phi);
    double lo = 0;
    double hi = reach;
    for (int it = 0; it < 40; ++it) {
      const double mid = 0.5 * (lo + hi);
      if (point_segment_distance({q.x + mid * cx, q.y + mid * cy, z}, a, b) <= r) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    ring.emplace_back(q.x + lo * cx, q.y + lo * cy);
  }
  return poly::from_points(ring);
}

MultiPolygon tube_section(const Tube& t, double z) {
  MultiPolygon out;
  for (std::size_t i = 0; i + 1 < t.points.size(); ++i) {
    out = poly::unite(out, capsule_section(t.points[i], t.points[i + 1], t.radius_mm, z));
  }
  return out;
}

MultiPolygon axial_section(const AxialTube& t, double z, int n = 32) {
  if (t.knots.empty() || z > t.top_z_mm() || z < t.bottom_z_mm()) return {};
  const Point2 c = centre_at(t, z);
  return poly::ellipse(c.x(), c.y(), t.radius_mm, t.radius_mm, n);
}

Point3 p3(const Point2& p, double z) { return {p.x(), p.y(), z}; }

}  // namespace

// ---- make_anatomy ----

Anatomy make_anatomy(const ThoraxAtlas& atlas, std::uint64_t seed) {
  Anatomy a;
  a.seed = seed;
  for (const auto& d : atlas.dimensions) a.drawn[d.name] = draw(d, seed);
  const auto v = [&](const char* name) { return a.drawn.at(name); };

  a.body_half_width_mm = v("body.half_width");
  a.body_half_depth_mm = v("body.half_depth");
  a.subcutaneous_fat_mm = v("body.subcutaneous_fat");
  a.presternal_mm = v("body.presternal_tissue");
  a.rib_path_half_width_mm = a.body_half_width_mm - v("body.lateral_wall");

  // Ribs: rib 1's top from the notch, then alternating rib heights and ICS heights.
  double top = -v("rib1.top_below_notch");
  for (int n = 1; n <= kRibCount; ++n) {
    RibLevel& r = a.ribs[static_cast<std::size_t>(n - 1)];
    r.number = n;
    r.top_z_mm = top;
    r.height_mm = v(fmt::format("rib{}.height", n).c_str());
    r.cartilage_length_mm = v(fmt::format("rib{}.cartilage_length", n).c_str());
    if (n < kRibCount) top = r.bottom_z_mm() - v(fmt::format("ics{}.height", n).c_str());
  }
  a.rib_thickness_mm = v("rib.thickness");
  a.rib_cortex_mm = v("rib.cortex");
  a.rib_rise_start_x_mm = v("rib.rise_start_x");
  a.rib_rise_slope = v("rib.rise_slope");

  // Sternum: manubriosternal joint at the level of rib 2 (its centre).
  a.sternum_top_z_mm = 0;
  a.manubriosternal_joint_z_mm = a.ribs[1].centre_z_mm();
  a.sternum_bottom_z_mm = a.ribs[5].bottom_z_mm() - v("sternum.end_below_rib6");
  a.sternum_half_width_knots = {
      {a.sternum_top_z_mm, v("sternum.manubrium_half_width_top")},
      {a.manubriosternal_joint_z_mm, v("sternum.half_width_joint")},
      {a.ribs[4].centre_z_mm(), v("sternum.half_width_body")},
      {a.sternum_bottom_z_mm, v("sternum.half_width_end")}};
  a.manubrium_thickness_mm = v("sternum.manubrium_thickness");
  a.sternum_body_thickness_mm = v("sternum.body_thickness");
  a.sternum_cortex_mm = v("sternum.cortex");

  a.imv_offset_mm = v("imv.offset_from_sternal_edge");
  a.ima_offset_from_vein_mm = v("ima.offset_from_vein");
  a.imv_radius_mm = 0.5 * v("imv.diameter");
  a.ima_radius_mm = 0.5 * v("ima.diameter");
  a.imv_gap_cartilage_mm = v("imv.gap_to_cartilage");
  a.imv_gap_pleura_mm = v("imv.gap_to_pleura");
  a.imv_junction_z_mm = -v("imv.junction_below_notch");
  a.ima_origin_z_mm = a.imv_junction_z_mm + v("ima.origin_above_junction");
  a.im_bottom_z_mm = a.ribs[5].bottom_z_mm() - v("im.bottom_below_rib6");

  a.bcv_radius_mm = 0.5 * v("bcv.diameter");
  a.scv_radius_mm = 0.5 * v("scv.diameter");
  a.sca_radius_mm = 0.5 * v("sca.diameter");
  a.ijv_radius_mm = 0.5 * v("ijv.diameter");
  a.svc_radius_mm = 0.5 * v("svc.diameter");

  a.lung_apex_z_mm = v("lung.apex_above_notch");
  a.mediastinum_half_width_mm = v("mediastinum.anterior_half_width");
  a.spine_radius_mm = v("spine.radius");

  // Heart: its anterior surface `anterior_gap` behind the pleura at its centre's x.
  a.heart.half_x_mm = v("heart.half_width");
  a.heart.half_y_mm = v("heart.half_depth");
  a.heart.half_z_mm = v("heart.half_height");
  a.heart.centre.x = v("heart.centre_x");
  a.heart.centre.z = a.ribs[3].top_z_mm - v("heart.centre_below_rib4");
  {
    const double ac = a.rib_path_half_width_mm - pleura_offset(a);
    const double bc = rib_path_half_depth(a, a.heart.centre.z) - pleura_offset(a);
    const double u = a.heart.centre.x / ac;
    a.heart.centre.y = -bc * std::sqrt(1 - u * u) + v("heart.anterior_gap") + a.heart.half_y_mm;
  }
  a.lad_radius_mm = 0.5 * v("lad.diameter");

  a.breast_centre_x_mm = v("breast.centre_x");
  a.breast_centre_z_mm = -v("breast.centre_below_notch");
  a.breast_half_width_mm = v("breast.half_width");
  a.breast_projection_mm = v("breast.projection");
  a.breast_half_height_mm = v("breast.half_height");
  a.breast_contralateral_scale = v("breast.contralateral_scale");
  a.breast_ctv_skin_margin_mm = v("breast.ctv_skin_margin");
  return a;
}

Anatomy with_heart_close(Anatomy a, Side treated) {
  const double s = side_sign(treated);
  const double z = a.ribs[3].top_z_mm - 5.0;
  a.heart.centre.z = z;
  a.heart.centre.x = s * (std::abs(im_vein_centre(a, treated, a.ribs[2].bottom_z_mm()).x()) + 5.0);
  const double ac = a.rib_path_half_width_mm - pleura_offset(a);
  const double bc = rib_path_half_depth(a, z) - pleura_offset(a);
  const double u = std::min(std::abs(a.heart.centre.x) / ac, 1.0);
  // 6 mm into the pleura: the heart is clipped by the cavity, so it lies flat against the chest
  // wall behind the IM vessels.
  a.heart.centre.y = -bc * std::sqrt(1 - u * u) - 6.0 + a.heart.half_y_mm;
  return a;
}

// ---- Landmarks ----

double sternal_half_width_mm(const Anatomy& a, double z) {
  const auto& k = a.sternum_half_width_knots;
  if (k.empty()) return 0;
  if (z >= k.front()[0]) return k.front()[1];
  for (std::size_t i = 0; i + 1 < k.size(); ++i) {
    if (z >= k[i + 1][0]) {
      const double t = (k[i][0] - z) / (k[i][0] - k[i + 1][0]);
      return lerp(k[i][1], k[i + 1][1], t);
    }
  }
  return k.back()[1];
}

double sternal_thickness_mm(const Anatomy& a, double z) {
  const double d = z - a.manubriosternal_joint_z_mm;
  if (d >= 5) return a.manubrium_thickness_mm;
  if (d <= -5) return a.sternum_body_thickness_mm;
  return lerp(a.sternum_body_thickness_mm, a.manubrium_thickness_mm, (d + 5) / 10);
}

double sternal_centre_y_mm(const Anatomy& a, double z) {
  return -a.body_half_depth_mm + a.presternal_mm + 0.5 * sternal_thickness_mm(a, z);
}

bool sternum_exists(const Anatomy& a, double z) { return z <= a.sternum_top_z_mm && z >= a.sternum_bottom_z_mm; }

Point2 im_vein_centre(const Anatomy& a, Side side, double z) {
  const double ax = sternal_half_width_mm(a, z) + a.imv_offset_mm;
  const double y = path_y(a, ax, z) + 0.5 * a.rib_thickness_mm + a.imv_gap_cartilage_mm + a.imv_radius_mm;
  return {side_sign(side) * ax, y};
}

Point2 im_artery_centre(const Anatomy& a, Side side, double z) {
  const double ax = sternal_half_width_mm(a, z) + a.imv_offset_mm + a.ima_offset_from_vein_mm;
  const double y = path_y(a, ax, z) + 0.5 * a.rib_thickness_mm + a.imv_gap_cartilage_mm + a.ima_radius_mm;
  return {side_sign(side) * ax, y};
}

namespace {
AxialTube sampled_tube(const Anatomy& a, Side side, double top, double bottom, double radius,
                       Point2 (*centre)(const Anatomy&, Side, double)) {
  AxialTube t;
  t.radius_mm = radius;
  // Knots at the top, the bottom, every sternal-width knot in between, and every 2.5 mm.
  std::vector<double> zs{top, bottom};
  for (const auto& k : a.sternum_half_width_knots) {
    if (k[0] < top && k[0] > bottom) zs.push_back(k[0]);
  }
  for (int i = 0; i < 2; ++i) {
    const double zj = a.manubriosternal_joint_z_mm + (i == 0 ? 5.0 : -5.0);
    if (zj < top && zj > bottom) zs.push_back(zj);
  }
  for (double z = std::floor(top / 2.5) * 2.5; z > bottom; z -= 2.5) {
    if (z < top) zs.push_back(z);
  }
  std::sort(zs.begin(), zs.end(), std::greater<>());
  zs.erase(std::unique(zs.begin(), zs.end(), [](double p, double q) { return std::abs(p - q) < 1e-9; }), zs.end());
  for (const double z : zs) t.knots.push_back(p3(centre(a, side, z), z));
  return t;
}
}  // namespace

AxialTube im_vein(const Anatomy& a, Side side) {
  return sampled_tube(a, side, a.imv_junction_z_mm, a.im_bottom_z_mm, a.imv_radius_mm, &im_vein_centre);
}

AxialTube im_artery(const Anatomy& a, Side side) {
  return sampled_tube(a, side, a.ima_origin_z_mm, a.im_bottom_z_mm, a.ima_radius_mm, &im_artery_centre);
}

Point2 centre_at(const AxialTube& t, double z) {
  if (t.knots.empty()) return {0, 0};
  if (z >= t.knots.front().z) return {t.knots.front().x, t.knots.front().y};
  for (std::size_t i = 0; i + 1 < t.knots.size(); ++i) {
    const auto& p = t.knots[i];
    const auto& q = t.knots[i + 1];
    if (z >= q.z) {
      const double u = p.z == q.z ? 0.0 : (p.z - z) / (p.z - q.z);
      return {lerp(p.x, q.x, u), lerp(p.y, q.y, u)};
    }
  }
  return {t.knots.back().x, t.knots.back().y};
}

namespace {
// Shared points of the venous confluence on one side.
struct Confluence {
  Point3 junction;  // IMV enters the BCV
  Point3 origin;    // BCV formed by the subclavian and internal jugular veins
  Point3 svc;       // the two BCVs form the SVC (right of the midline)
};
Confluence confluence(const Anatomy& a, Side side) {
  const double s = side_sign(side);
  const Point2 j = im_vein_centre(a, side, a.imv_junction_z_mm);
  const double hw = sternal_half_width_mm(a, a.sternum_top_z_mm);
  Confluence c;
  c.junction = p3(j, a.imv_junction_z_mm);
  c.origin = {s * (hw + 22.0), j.y() + 14.0, a.imv_junction_z_mm + 12.0};
  c.svc = {-22.0, j.y() + 28.0, a.imv_junction_z_mm - 30.0};
  return c;
}
}  // namespace

Tube brachiocephalic_vein(const Anatomy& a, Side side) {
  const Confluence c = confluence(a, side);
  return {{c.origin, c.junction, c.svc}, a.bcv_radius_mm};
}

Tube subclavian_vein(const Anatomy& a, Side side) {
  const double s = side_sign(side);
  const Confluence c = confluence(a, side);
  return {{c.origin,
           {s * 80.0, c.origin.y - 4.0, a.imv_junction_z_mm + 20.0},
           {s * 110.0, c.origin.y + 4.0, a.imv_junction_z_mm + 26.0}},
          a.scv_radius_mm};
}

Tube internal_jugular_vein(const Anatomy& a, Side side) {
  const double s = side_sign(side);
  const Confluence c = confluence(a, side);
  const double hw = sternal_half_width_mm(a, a.sternum_top_z_mm);
  return {{c.origin, {s * (hw + 24.0), c.origin.y + 4.0, a.imv_junction_z_mm + 90.0}}, a.ijv_radius_mm};
}

Tube subclavian_artery(const Anatomy& a, Side side) {
  const double s = side_sign(side);
  const Confluence c = confluence(a, side);
  const Point2 origin = im_artery_centre(a, side, a.ima_origin_z_mm);
  return {{{s * 18.0, c.junction.y + 34.0, a.imv_junction_z_mm - 15.0},
           p3(origin, a.ima_origin_z_mm),
           {s * 105.0, c.origin.y + 14.0, a.ima_origin_z_mm + 8.0}},
          a.sca_radius_mm};
}

AxialTube superior_vena_cava(const Anatomy& a) {
  const Confluence c = confluence(a, Side::Left);
  AxialTube t;
  t.radius_mm = a.svc_radius_mm;
  t.knots = {c.svc, {c.svc.x - 2.0, c.svc.y + 3.0, a.heart.centre.z + 0.55 * a.heart.half_z_mm}};
  if (t.knots[1].z >= t.knots[0].z) t.knots.pop_back();
  return t;
}

AxialTube lad(const Anatomy& a) {
  const Ellipsoid& h = a.heart;
  AxialTube t;
  t.radius_mm = a.lad_radius_mm;
  for (int i = 0; i <= 20; ++i) {
    const double u = i / 20.0;
    const double z = h.centre.z + h.half_z_mm * (0.75 - 1.5 * u);
    const double x = h.centre.x + h.half_x_mm * (-0.15 + 0.45 * u);
    const double ex = (x - h.centre.x) / h.half_x_mm;
    const double ez = (z - h.centre.z) / h.half_z_mm;
    const double y = h.centre.y - h.half_y_mm * std::sqrt(std::max(0.0, 1 - ex * ex - ez * ez)) + a.lad_radius_mm + 1.0;
    t.knots.push_back({x, y, z});
  }
  return t;
}

// ---- Sections ----

AnatomySection section(const Anatomy& a, double z) {
  AnatomySection out;
  out.z_mm = z;
  const double A = a.body_half_width_mm;
  const double B = a.body_half_depth_mm;

  // Body: chest ellipse and both breasts.
  out.body = poly::ellipse(0, 0, A, B, 256);
  for (const Side side : {Side::Left, Side::Right}) {
    const double k = side == a.treated_side ? 1.0 : a.breast_contralateral_scale;
    const double hz = a.breast_half_height_mm * k;
    const double dz = z - a.breast_centre_z_mm;
    if (std::abs(dz) >= hz) continue;
    const double f = std::sqrt(1 - (dz / hz) * (dz / hz));
    const double cx = side_sign(side) * a.breast_centre_x_mm;
    const double u = a.breast_centre_x_mm / A;
    const double cy = -B * std::sqrt(std::max(0.0, 1 - u * u));
    const double ax = a.breast_half_width_mm * k * f;
    const double ay = a.breast_projection_mm * k * f;
    if (ax < 1 || ay < 1) continue;
    out.breast[side_index(side)] = poly::ellipse(cx, cy, ax, ay, 128);
    out.body = poly::unite(out.body, out.breast[side_index(side)]);
  }

  out.chest_muscle = poly::ellipse(0, 0, A - a.subcutaneous_fat_mm, B - a.subcutaneous_fat_mm, 180);

  const double ar = a.rib_path_half_width_mm;
  const double br = rib_path_half_depth(a, z);
  const double po = pleura_offset(a);
  const double f = cavity_scale(a, z);
  out.cavity = f > 0.05 ? poly::ellipse(0, 0, (ar - po) * f, (br - po) * f, 180) : MultiPolygon{};
  out.extrapleural_fat = poly::subtract(
      poly::ellipse(0, 0, ar - 0.5 * a.rib_thickness_mm - 0.5, br - 0.5 * a.rib_thickness_mm - 0.5, 180), out.cavity);

  // Heart (clipped by the pleura) and LAD.
  {
    const Ellipsoid& h = a.heart;
    const double dz = (z - h.centre.z) / h.half_z_mm;
    if (std::abs(dz) < 1) {
      const double g = std::sqrt(1 - dz * dz);
      if (h.half_x_mm * g >= 1 && h.half_y_mm * g >= 1) {
        out.heart = poly::intersect(
            poly::ellipse(h.centre.x, h.centre.y, h.half_x_mm * g, h.half_y_mm * g, 128), out.cavity);
      }
    }
  }
  out.lad = axial_section(lad(a), z);
  out.svc = axial_section(superior_vena_cava(a), z, 48);

  // Spine (CT only): a vertebral body in the posterior mediastinum.
  const double spine_y = (br - po) - a.spine_radius_mm - 8.0;
  out.spine = poly::ellipse(0, spine_y, a.spine_radius_mm, a.spine_radius_mm, 64);
  out.spine_marrow = poly::ellipse(0, spine_y, a.spine_radius_mm - 2.0, a.spine_radius_mm - 2.0, 64);

  // Sternum.
  if (sternum_exists(a, z)) {
    const double hw = sternal_half_width_mm(a, z);
    const double ht = 0.5 * sternal_thickness_mm(a, z);
    const double cy = sternal_centre_y_mm(a, z);
    const double c = a.sternum_cortex_mm;
    out.sternum = poly::superellipse(0, cy, hw, ht, 4.0, 128);
    out.sternum_marrow = poly::superellipse(0, cy, hw - c, ht - c, 4.0, 128);
  }

  // Vessels.
  for (const Side side : {Side::Left, Side::Right}) {
    const std::size_t i = side_index(side);
    out.imv[i] = axial_section(im_vein(a, side), z);
    out.ima[i] = axial_section(im_artery(a, side), z);
    out.bcv[i] = tube_section(brachiocephalic_vein(a, side), z);
    out.scv[i] = tube_section(subclavian_vein(a, side), z);
    out.sca[i] = tube_section(subclavian_artery(a, side), z);
    out.ijv[i] = tube_section(internal_jugular_vein(a, side), z);
  }

  // Ribs.
  const ArcTable ref(ar, rib_path_half_depth(a, a.ribs[3].centre_z_mm()));
  for (const Side side : {Side::Left, Side::Right}) {
    const std::size_t i = side_index(side);
    for (std::size_t n = 0; n < static_cast<std::size_t>(kRibCount); ++n) {
      RibBand rb = rib_section(a, ref, a.ribs[n], side, z);
      out.rib[i][n] = std::move(rb.full);
      out.rib_cartilage[i][n] = std::move(rb.cartilage);
      out.rib_bone[i][n] = std::move(rb.bone);
      out.rib_marrow[i][n] = std::move(rb.marrow);
    }
  }

  // Lungs: the pleural cavity beside the anterior mediastinum, minus the heart, the posterior
  // mediastinum (spine, oesophagus, aorta: an ellipse) and the great veins.
  if (!out.cavity.empty()) {
    const double bc = (br - po) * f;
    MultiPolygon exclude = poly::ellipse(0, 0.55 * bc, 32.0, 0.5 * bc, 96);
    exclude = poly::unite(exclude, out.heart);
    exclude = poly::unite(exclude, out.svc);
    for (const Side side : {Side::Left, Side::Right}) {
      const std::size_t i = side_index(side);
      exclude = poly::unite(exclude, poly::buffer(poly::unite(poly::unite(out.bcv[i], out.ijv[i]),
                                                              poly::unite(out.sca[i], out.scv[i])), 1.0, 24));
    }
    const double m = a.mediastinum_half_width_mm;
    const double far = 1000;
    out.lung[side_index(Side::Left)] = poly::clean(poly::subtract(poly::intersect(out.cavity, poly::box(m, -far, far, far)), exclude), 1.0);
    out.lung[side_index(Side::Right)] = poly::clean(poly::subtract(poly::intersect(out.cavity, poly::box(-far, -far, -m, far)), exclude), 1.0);
  }
  return out;
}

}  // namespace rtaudit::phantom
