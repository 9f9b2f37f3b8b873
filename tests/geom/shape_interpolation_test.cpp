#include "rtaudit/geom/shape_interpolation.hpp"

#include "tests/support/shapes.hpp"

#include <boost/geometry/algorithms/area.hpp>
#include <boost/geometry/algorithms/is_valid.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <functional>
#include <numbers>
#include <random>
#include <string>

namespace rtaudit::geom {
namespace {

constexpr double kPi = std::numbers::pi;

Structure build(const std::vector<Contour>& contours, std::optional<double> fallback = std::nullopt) {
  BuildOptions o;
  o.fallback_slab_mm = fallback;
  StructureBuild b = build_structure(contours, o);
  EXPECT_EQ(b.contours_dropped, 0u);
  return b.structure;
}

/// Circles (N-gons) of radius r(z) centred at (cx, cy) on planes z0, z0 + dz, ... z1.
std::vector<Contour> circle_stack(double z0, double z1, double dz, const std::function<double(double)>& r,
                                  double cx = 0, double cy = 0, int n = 256) {
  std::vector<Contour> out;
  for (int k = 0;; ++k) {
    const double z = z0 + k * dz;
    if (z > z1 + 1e-9) break;
    if (const double rr = r(z); rr > 0) out.push_back(test::ngon(cx, cy, rr, z, n));
  }
  return out;
}

struct Extent {
  double z_lo_mm, z_hi_mm;
};
/// The z-extent of each plane (as geom::slab_extents in rtaudit_compare): slab/2 either side, and
/// neighbours at most 1.5 slabs apart meet at the midpoint.
std::vector<Extent> slab_extents(const Structure& s) {
  std::vector<Extent> out;
  for (const Plane& p : s.planes) out.push_back({p.z_mm - s.slab_mm / 2, p.z_mm + s.slab_mm / 2});
  for (std::size_t k = 0; k + 1 < s.planes.size(); ++k) {
    if (s.planes[k + 1].z_mm - s.planes[k].z_mm <= 1.5 * s.slab_mm) {
      out[k].z_hi_mm = out[k + 1].z_lo_mm = 0.5 * (s.planes[k].z_mm + s.planes[k + 1].z_mm);
    }
  }
  return out;
}

/// interpolate_planes, checking that no interpolated plane fell back to its nearest original.
InterpolatedStructure interpolate(const Structure& s, const ShapeInterpolationOptions& o = {}) {
  InterpolatedStructure r = interpolate_planes(s, o);
  for (const std::string& note : r.notes) EXPECT_EQ(note.find("not valid"), std::string::npos) << note;
  return r;
}

double total_volume(const Structure& s) { return volume_cc(s).value_or(0.0); }

void expect_well_formed(const Structure& s) {
  for (const Plane& p : s.planes) {
    EXPECT_FALSE(p.region.empty()) << "z=" << p.z_mm;
    std::string why;
    EXPECT_TRUE(bg::is_valid(p.region, why)) << "z=" << p.z_mm << ": " << why;
    EXPECT_NEAR(p.area_mm2, bg::area(p.region), 1e-9 * std::max(1.0, p.area_mm2));
    EXPECT_GT(p.area_mm2, 0);
    const auto no_repeats = [&](const Ring& ring) {
      for (std::size_t k = 1; k < ring.size(); ++k) {
        EXPECT_FALSE(ring[k].x() == ring[k - 1].x() && ring[k].y() == ring[k - 1].y()) << "z=" << p.z_mm;
      }
    };
    for (const Polygon& poly : p.region) {
      no_repeats(poly.outer());
      for (const Ring& hole : poly.inners()) no_repeats(hole);
    }
  }
  for (std::size_t k = 1; k < s.planes.size(); ++k) EXPECT_LT(s.planes[k - 1].z_mm, s.planes[k].z_mm);
}

/// True when every neighbour lies within 1.5 slabs (slab_extents tile the z-range: no gap).
bool contiguous(const Structure& s) {
  for (std::size_t k = 1; k < s.planes.size(); ++k) {
    if (s.planes[k].z_mm - s.planes[k - 1].z_mm > 1.5 * s.slab_mm) return false;
  }
  return true;
}

/// Min and max distance of the outer-ring vertices of a region from a centre.
std::pair<double, double> radius_range(const MultiPolygon& m, double cx, double cy) {
  double lo = INFINITY, hi = 0;
  for (const Polygon& p : m) {
    for (const Point2& q : p.outer()) {
      const double d = std::hypot(q.x() - cx, q.y() - cy);
      lo = std::min(lo, d);
      hi = std::max(hi, d);
    }
  }
  return {lo, hi};
}

TEST(ShapeInterpolation, ConcentricCirclesGiveLinearRadius) {
  const double r0 = 10, r1 = 16;
  std::vector<Contour> c{test::ngon(3, -4, r0, 0, 256), test::ngon(3, -4, r1, 3, 256)};
  const Structure s = build(c);
  ASSERT_DOUBLE_EQ(s.slab_mm, 3);
  const ShapeInterpolationOptions opt;  // 0.5 mm, 0.2 mm pixel
  const InterpolatedStructure r = interpolate(s, opt);
  const int n = 7;  // ceil(3 / 0.5) = 6, rounded up to odd
  EXPECT_DOUBLE_EQ(r.structure.slab_mm, 3.0 / n);
  ASSERT_EQ(r.structure.planes.size(), 2u + (n - 1) + 2 * (n - 1) / 2);
  EXPECT_EQ(r.planes_added, r.structure.planes.size() - 2);
  expect_well_formed(r.structure);
  EXPECT_TRUE(contiguous(r.structure));
  const std::size_t first = (n - 1) / 2;  // index of the original plane z = 0
  EXPECT_EQ(r.structure.planes[first].z_mm, s.planes[0].z_mm);
  EXPECT_EQ(r.structure.planes[first + n].z_mm, s.planes[1].z_mm);
  for (int m = 1; m < n; ++m) {
    const Plane& p = r.structure.planes[first + m];
    const double t = static_cast<double>(m) / n;
    EXPECT_NEAR(p.z_mm, 3 * t, 1e-12);
    const double expected = r0 + t * (r1 - r0);
    const auto [lo, hi] = radius_range(p.region, 3, -4);
    EXPECT_NEAR(lo, expected, opt.raster_mm) << "t=" << t;
    EXPECT_NEAR(hi, expected, opt.raster_mm) << "t=" << t;
    EXPECT_NEAR(std::sqrt(p.area_mm2 / kPi), expected, 0.02) << "t=" << t;  // equivalent radius
    ASSERT_EQ(p.region.size(), 1u);
    EXPECT_TRUE(p.region[0].inners().empty());
  }
  EXPECT_NE(r.structure.planes[first].region.size(), 0u);
  EXPECT_EQ(bg::area(r.structure.planes.front().region), s.planes.front().area_mm2);  // cap = copy
}

// ∫ |A_model(z) − A_sphere(z)| dz over all z (mm³): for nested concentric cross-sections, the
// volume of the symmetric difference between the plane model and the sphere.
double area_error_integral(const Structure& s, double R) {
  const auto sphere_area = [R](double z) { return kPi * std::max(0.0, R * R - z * z); };
  const auto ext = slab_extents(s);
  double err = 0;
  const int sub = 64;
  for (std::size_t k = 0; k < s.planes.size(); ++k) {
    const double lo = ext[k].z_lo_mm, hi = ext[k].z_hi_mm, dz = (hi - lo) / sub;
    for (int m = 0; m < sub; ++m) err += std::abs(s.planes[k].area_mm2 - sphere_area(lo + (m + 0.5) * dz)) * dz;
  }
  // The sphere beyond the end caps.
  const double below = ext.front().z_lo_mm, above = ext.back().z_hi_mm;
  const auto cap = [&](double a, double b) {  // ∫_a^b π (R² − z²) dz
    return kPi * (R * R * (b - a) - (b * b * b - a * a * a) / 3);
  };
  if (below > -R) err += cap(-R, below);
  if (above < R) err += cap(above, R);
  return err;
}

TEST(ShapeInterpolation, SphereAt3mmInterpolatedTo0p5mm) {
  const double R = 20;
  const double exact = 4.0 / 3 * kPi * R * R * R / 1000;
  for (const double offset : {0.0, 1.5}) {  // a plane through the centre, or planes either side of it
    const Structure s =
        build(circle_stack(-21 + offset, 21, 3, [&](double z) { return std::sqrt(std::max(0.0, R * R - z * z)); }, 0,
                           0, 720));
    ASSERT_DOUBLE_EQ(s.slab_mm, 3);
    const InterpolatedStructure r = interpolate(s);
    expect_well_formed(r.structure);
    EXPECT_TRUE(contiguous(r.structure));
    EXPECT_DOUBLE_EQ(r.structure.slab_mm, 3.0 / 7);
    const double plain = total_volume(s), interp = total_volume(r.structure);
    const double e_plain = area_error_integral(s, R) / 1000, e_interp = area_error_integral(r.structure, R) / 1000;
    std::printf("sphere R=%.0f mm, planes at 3 mm (offset %.1f): exact %.4f cc; plane model %.4f cc (%+.3f %%), "
                "interpolated to 3/7 mm %.4f cc (%+.3f %%); ∫|ΔA|dz plane model %.4f cc, interpolated %.4f cc\n",
                R, offset, exact, plain, 100 * (plain - exact) / exact, interp, 100 * (interp - exact) / exact,
                e_plain, e_interp);
    // Both volumes are within 1 % of the sphere; the local shape is what the interpolation improves.
    EXPECT_NEAR(plain, exact, 0.01 * exact);
    EXPECT_NEAR(interp, exact, 0.01 * exact);
    EXPECT_LT(e_interp, 0.4 * e_plain);
    // The z-extent is unchanged.
    const auto b0 = bounding_box(s), b1 = bounding_box(r.structure);
    ASSERT_TRUE(b0 && b1);
    EXPECT_NEAR(b1->min.z, b0->min.z, 1e-12);
    EXPECT_NEAR(b1->max.z, b0->max.z, 1e-12);
  }
}

TEST(ShapeInterpolation, PrismIsUnchanged) {
  // The same region on every plane: copied exactly.
  std::vector<Contour> c;
  for (int k = 0; k < 10; ++k) c.push_back(test::ngon(5, 7, 18, 2.5 * k, 100));
  const Structure s = build(c);
  const InterpolatedStructure r = interpolate(s);
  expect_well_formed(r.structure);
  EXPECT_NEAR(total_volume(r.structure), total_volume(s), 1e-12 * total_volume(s));

  // The same region with its vertices listed from another start (and a square): through the
  // distance maps, within 0.1 %.
  std::vector<Contour> d;
  for (int k = 0; k < 10; ++k) {
    Contour q = test::ngon(5, 7, 18, 2.5 * k, 100);
    std::rotate(q.points.begin(), q.points.begin() + 7 * k, q.points.end());
    d.push_back(q);
    Contour sq = test::rectangle(30, -10, 45, 5, 2.5 * k);
    std::rotate(sq.points.begin(), sq.points.begin() + k % 4, sq.points.end());
    d.push_back(sq);
  }
  const Structure t = build(d);
  const InterpolatedStructure u = interpolate(t);
  expect_well_formed(u.structure);
  EXPECT_TRUE(u.notes.empty());
  std::printf("prism: plane model %.5f cc, interpolated %.5f cc (%+.4f %%)\n", total_volume(t),
              total_volume(u.structure), 100 * (total_volume(u.structure) / total_volume(t) - 1));
  EXPECT_NEAR(total_volume(u.structure), total_volume(t), 1e-3 * total_volume(t));
  const auto b0 = bounding_box(t), b1 = bounding_box(u.structure);
  EXPECT_NEAR(b1->min.x, b0->min.x, 0.01);
  EXPECT_NEAR(b1->max.x, b0->max.x, 0.01);
  EXPECT_NEAR(b1->min.z, b0->min.z, 1e-12);
  EXPECT_NEAR(b1->max.z, b0->max.z, 1e-12);
  for (const Plane& p : u.structure.planes) EXPECT_EQ(p.region.size(), 2u);
}

TEST(ShapeInterpolation, RegionOnOnePlaneOnlyShrinksAway) {
  // A main region on three planes; an island on the middle plane only.
  std::vector<Contour> c = circle_stack(0, 6, 3, [](double) { return 15.0; });
  c.push_back(test::ngon(30, 0, 5, 3, 128));
  const Structure s = build(c);
  ASSERT_EQ(s.planes.size(), 3u);
  const InterpolatedStructure r = interpolate(s);
  expect_well_formed(r.structure);
  EXPECT_TRUE(contiguous(r.structure));
  // The island's area (everything right of x = 20) falls off away from the middle plane.
  const auto island = [](const Plane& p) {
    double a = 0;
    for (const Polygon& poly : p.region) {
      if (poly.outer().front().x() > 20) a += bg::area(poly);
    }
    return a;
  };
  double previous = 0;
  for (const Plane& p : r.structure.planes) {
    const double a = island(p);
    if (p.z_mm <= 3) {
      EXPECT_GE(a, previous - 1e-9) << "z=" << p.z_mm;
    } else {
      EXPECT_LE(a, previous + 1e-9) << "z=" << p.z_mm;
    }
    if (p.z_mm < 1e-9 || p.z_mm > 6 - 1e-9) {
      EXPECT_EQ(a, 0.0);
    }
    previous = a;
  }
  EXPECT_NEAR(island(*plane_on_slice(r.structure, 3)), test::ngon_area(5, 128), 1e-9);  // the original plane

  // A single plane with a fallback slab: only the end caps, the planes contiguous.
  const Structure one = build({test::ngon(0, 0, 10, 0, 64)}, 2.5);
  const InterpolatedStructure r1 = interpolate(one);
  ASSERT_EQ(r1.structure.planes.size(), 5u);
  EXPECT_TRUE(contiguous(r1.structure));
  EXPECT_TRUE(r1.structure.slab_from_fallback);
  EXPECT_NEAR(total_volume(r1.structure), total_volume(one), 1e-12);
  EXPECT_NEAR(bounding_box(r1.structure)->min.z, -1.25, 1e-12);
  EXPECT_NEAR(bounding_box(r1.structure)->max.z, 1.25, 1e-12);

  // A hand-built plane with an empty region: the neighbour's region up to the midpoint, noted.
  Structure e = build(circle_stack(0, 5, 2.5, [](double) { return 8.0; }));
  e.planes[2].region.clear();
  e.planes[2].area_mm2 = 0;
  const InterpolatedStructure re = interpolate(e);
  EXPECT_FALSE(re.notes.empty());
  for (const Plane& p : re.structure.planes) {
    if (!p.region.empty()) {
      EXPECT_LT(p.z_mm, 2.5 + 1.25);
    }
  }
  EXPECT_TRUE(re.structure.planes.back().region.empty());  // the original plane, kept as it is
  EXPECT_EQ(re.structure.planes.back().z_mm, 5.0);
  EXPECT_NEAR(total_volume(re.structure), total_volume(e), 1e-12);
}

TEST(ShapeInterpolation, OneCircleSplitsIntoTwo) {
  std::vector<Contour> c{test::ngon(0, 0, 10, 0, 128), test::ngon(-12, 0, 6, 3, 128), test::ngon(12, 0, 6, 3, 128)};
  const Structure s = build(c);
  ASSERT_EQ(s.planes.size(), 2u);
  const InterpolatedStructure r = interpolate(s);
  expect_well_formed(r.structure);
  EXPECT_TRUE(contiguous(r.structure));
  std::vector<std::size_t> counts;
  for (const Plane& p : r.structure.planes) counts.push_back(p.region.size());
  EXPECT_EQ(counts.front(), 1u);
  EXPECT_EQ(counts.back(), 2u);
  EXPECT_TRUE(std::is_sorted(counts.begin(), counts.end()));  // 1 ... 1, 2 ... 2: one split
}

TEST(ShapeInterpolation, AnnulusKeepsItsHole) {
  // Outer radius 20 -> 18, hole radius 8 -> 10 (the hole given as its own contour: nesting parity).
  std::vector<Contour> c{test::ngon(0, 0, 20, 0, 256), test::ngon(0, 0, 8, 0, 256), test::ngon(0, 0, 18, 3, 256),
                         test::ngon(0, 0, 10, 3, 256)};
  const Structure s = build(c);
  ASSERT_EQ(s.planes[0].region.size(), 1u);
  ASSERT_EQ(s.planes[0].region[0].inners().size(), 1u);
  const InterpolatedStructure r = interpolate(s);
  expect_well_formed(r.structure);
  const int n = 7;
  for (int m = 1; m < n; ++m) {
    const Plane& p = r.structure.planes[(n - 1) / 2 + m];
    const double t = static_cast<double>(m) / n;
    ASSERT_EQ(p.region.size(), 1u);
    ASSERT_EQ(p.region[0].inners().size(), 1u) << "t=" << t;
    const double ro = 20 - 2 * t, ri = 8 + 2 * t;
    EXPECT_NEAR(p.area_mm2, kPi * (ro * ro - ri * ri), 0.05 * 2 * kPi * (ro + ri));  // 0.05 mm on each ring
    MultiPolygon hole;
    hole.emplace_back();
    hole[0].outer().assign(p.region[0].inners()[0].rbegin(), p.region[0].inners()[0].rend());
    const auto [lo, hi] = radius_range(hole, 0, 0);
    EXPECT_NEAR(lo, ri, 0.2);
    EXPECT_NEAR(hi, ri, 0.2);
  }
}

TEST(ShapeInterpolation, WideGapIsNotBridged) {
  std::vector<Contour> c;
  for (const double z : {0.0, 2.5, 5.0, 12.5, 15.0}) c.push_back(test::ngon(0, 0, 10 + z / 5, z, 128));
  const Structure s = build(c);
  ASSERT_DOUBLE_EQ(s.slab_mm, 2.5);
  const InterpolatedStructure r = interpolate(s);
  expect_well_formed(r.structure);
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("not bridged"), std::string::npos) << r.notes[0];
  EXPECT_NE(r.notes[0].find("7.50 mm"), std::string::npos) << r.notes[0];
  EXPECT_FALSE(contiguous(r.structure));
  for (const Plane& p : r.structure.planes) EXPECT_FALSE(p.z_mm > 5 + 1.25 + 1e-9 && p.z_mm < 12.5 - 1.25 - 1e-9) << p.z_mm;
  // Each side of the gap keeps its half slab: the planes next to it are repeated up to ±1.25 mm.
  const auto ext = slab_extents(r.structure);
  double edge_lo = 0, edge_hi = 0;
  for (std::size_t k = 0; k + 1 < r.structure.planes.size(); ++k) {
    if (r.structure.planes[k + 1].z_mm - r.structure.planes[k].z_mm > 1.5 * r.structure.slab_mm) {
      edge_lo = ext[k].z_hi_mm;
      edge_hi = ext[k + 1].z_lo_mm;
    }
  }
  EXPECT_NEAR(edge_lo, 6.25, 1e-9);
  EXPECT_NEAR(edge_hi, 11.25, 1e-9);
}

TEST(ShapeInterpolation, OddNumberOfSubPlanesKeepsTheCaps) {
  const struct {
    double slab, max_gap;
    int n;
  } cases[] = {{3, 0.5, 7}, {2.5, 0.5, 5}, {2, 0.5, 5}, {3, 1, 3}, {2.5, 1, 3}, {5, 0.5, 11}, {0.5, 0.5, 1}};
  for (const auto& k : cases) {
    const Structure s =
        build(circle_stack(0, 6 * k.slab, k.slab, [&](double z) { return 12 - std::abs(z - 3 * k.slab) / 2; }));
    ShapeInterpolationOptions o;
    o.max_plane_gap_mm = k.max_gap;
    const InterpolatedStructure r = interpolate(s, o);
    EXPECT_NEAR(r.structure.slab_mm, k.slab / k.n, 1e-12) << k.slab << " / " << k.max_gap;
    EXPECT_EQ(r.structure.planes.size(), 7u + 6u * (k.n - 1) + (k.n - 1)) << k.slab << " / " << k.max_gap;
    const auto b0 = bounding_box(s), b1 = bounding_box(r.structure);
    EXPECT_NEAR(b1->min.z, b0->min.z, 1e-12);
    EXPECT_NEAR(b1->max.z, b0->max.z, 1e-12);
    EXPECT_TRUE(contiguous(r.structure));
    for (std::size_t m = 1; m < r.structure.planes.size(); ++m) {
      EXPECT_NEAR(r.structure.planes[m].z_mm - r.structure.planes[m - 1].z_mm, r.structure.slab_mm, 1e-9);
    }
  }
}

TEST(ShapeInterpolation, VerticesOnLatticeRows) {
  // Vertices exactly on a lattice row (y = -0.2 = -1 x 0.2 mm) reached from y = -2.1: -2.1 + (-0.2 -
  // -2.1) is above -0.2 in floating point, so the scanline parity must use the stored vertex (it once
  // did not, and the rest of the row read as inside up to the window's edge).
  const auto diamond = [](double w, double z) {
    Contour c;
    c.points = {{0, -2.1, z}, {w, -0.2, z}, {0, 3, z}, {-w, -0.2, z}};
    return c;
  };
  const Structure s = build({diamond(10, 0), diamond(12, 2.5), diamond(9, 5)});
  const InterpolatedStructure r = interpolate(s);
  expect_well_formed(r.structure);
  EXPECT_TRUE(r.notes.empty());
  for (const Plane& p : r.structure.planes) {
    EXPECT_GT(p.area_mm2, 9 * 5.1 - 1) << p.z_mm;
    EXPECT_LT(p.area_mm2, 12 * 5.1 + 1) << p.z_mm;
    EXPECT_EQ(p.region.size(), 1u) << p.z_mm;
  }
}

TEST(ShapeInterpolation, JitteredSpacingStaysContiguous) {
  // DS rounding jitter: the gaps differ a little; each is divided into n equal parts.
  std::vector<Contour> c;
  const double zs[] = {0.0, 2.5, 5.02, 7.49, 10.0};
  for (const double z : zs) c.push_back(test::ngon(0, 0, 10 + z / 4, z, 128));
  const Structure s = build(c);
  const InterpolatedStructure r = interpolate(s);
  expect_well_formed(r.structure);
  EXPECT_TRUE(contiguous(r.structure));
  EXPECT_TRUE(r.notes.empty());
  for (const double z : zs) EXPECT_NE(plane_on_slice(r.structure, z, 1e-12), nullptr) << z;  // originals kept
  // The slab is the modal gap (all bins tie: the smallest, 2.47 mm), so n = 5.
  EXPECT_NEAR(r.structure.slab_mm, 2.47 / 5, 1e-12);
  const Plane* p = plane_on_slice(r.structure, 5.02, 1e-12);
  ASSERT_NE(p, nullptr);
  const auto k = static_cast<std::size_t>(p - r.structure.planes.data());
  for (int m = 1; m < 5; ++m) EXPECT_NEAR(r.structure.planes[k + m].z_mm, 5.02 + m * (7.49 - 5.02) / 5, 1e-12);
  EXPECT_NEAR(r.structure.planes[k - 1].z_mm, 5.02 - 2.52 / 5, 1e-12);
}

// Star-shaped blobs, some with a hole, one to three per plane (close enough to merge and split),
// changing at random from plane to plane, on 12 planes 3 mm apart.
std::vector<Contour> random_blobs(unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  const auto blob = [&](double cx, double cy, double r, double z, bool cw) {
    Contour q;
    const int n = 20 + static_cast<int>(60 * u(rng));
    const double a1 = 0.3 * u(rng), a2 = 0.2 * u(rng), p1 = 6 * u(rng), p2 = 6 * u(rng);
    for (int k = 0; k < n; ++k) {
      const double t = 2 * kPi * (cw ? -k : k) / n;
      const double rr = r * (1 + a1 * std::sin(3 * t + p1) + a2 * std::sin(5 * t + p2));
      q.points.push_back({cx + rr * std::cos(t), cy + rr * std::sin(t), z});
    }
    return q;
  };
  std::vector<Contour> c;
  for (int k = 0; k < 12; ++k) {
    const double z = 3.0 * k;
    const int blobs = 1 + static_cast<int>(3 * u(rng));
    for (int b = 0; b < blobs; ++b) {
      const double cx = 17 * b + 6 * u(rng), cy = 8 * u(rng), r = 6 + 8 * u(rng);
      c.push_back(blob(cx, cy, r, z, false));
      if (u(rng) < 0.4) c.push_back(blob(cx, cy, 0.3 * r, z, true));
    }
  }
  return c;
}

TEST(ShapeInterpolation, RandomShapesGiveValidRegions) {
  for (const unsigned seed : {1u, 2u, 3u, 12345u}) {  // (seeds 1 to 59 were run once: all valid)
    const Structure s = build(random_blobs(seed));
    ASSERT_EQ(s.planes.size(), 12u);
    for (const double raster : {0.2, 0.35}) {
      ShapeInterpolationOptions o;
      o.raster_mm = raster;
      const InterpolatedStructure r = interpolate(s, o);
      expect_well_formed(r.structure);
      // Blobs on one plane only shrink away towards their neighbours: the volume drops.
      std::printf("random blobs (seed %u), pixel %.2f mm: plane model %.3f cc, interpolated %.3f cc, %zu planes\n",
                  seed, raster, total_volume(s), total_volume(r.structure), r.structure.planes.size());
      for (const std::string& note : r.notes) std::printf("note: %s\n", note.c_str());
    }
  }
}

TEST(ShapeInterpolation, EllipsoidSpeed) {
  // A ~600 cc ellipsoid (semi-axes 60, 50, 48 mm) contoured at 2.5 mm with 180-point contours.
  const double a = 60, b = 50, c = 48;
  std::vector<Contour> contours;
  for (double z = -c + 1.25; z < c; z += 2.5) {
    const double f = std::sqrt(1 - z * z / (c * c));
    Contour q;
    for (int k = 0; k < 180; ++k) {
      const double t = 2 * kPi * k / 180;
      q.points.push_back({10 + a * f * std::cos(t), -20 + b * f * std::sin(t), z});
    }
    contours.push_back(q);
  }
  const Structure s = build(contours);
  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t c0 = std::clock();
  const InterpolatedStructure r = interpolate(s);  // 0.5 mm planes, 0.2 mm pixel
  const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::size_t vertices = 0;
  for (const Plane& p : r.structure.planes) {
    for (const Polygon& poly : p.region) vertices += poly.outer().size();
  }
  const double exact = 4.0 / 3 * kPi * a * b * c / 1000;
  std::printf("ellipsoid %.1f cc: %zu planes at 2.5 mm -> %zu planes at %.2f mm in %.3f s (CPU %.3f s; %zu "
              "vertices); volume plane model %.3f cc, interpolated %.3f cc\n",
              exact, s.planes.size(), r.structure.planes.size(), r.structure.slab_mm, seconds, cpu, vertices,
              total_volume(s), total_volume(r.structure));
  expect_well_formed(r.structure);
  EXPECT_NEAR(total_volume(r.structure), exact, 0.01 * exact);
}

}  // namespace
}  // namespace rtaudit::geom
