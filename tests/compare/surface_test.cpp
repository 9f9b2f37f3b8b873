// The slab-stack surface: closed, with the right area and enclosed volume; exact distances.
#include "rtaudit/geom/surface.hpp"

#include "tests/support/shapes.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <vector>

namespace rtaudit::geom {
namespace {

Structure build(const std::vector<Contour>& contours) { return build_structure(contours).structure; }

// Box [-hx, hx] x [-hy, hy] on planes z0, z0 + h, ..., z1.
Structure box_stack(double hx, double hy, double z0, double z1, double h) {
  std::vector<Contour> c;
  const int n = static_cast<int>(std::llround((z1 - z0) / h)) + 1;
  for (int k = 0; k < n; ++k) c.push_back(test::rectangle(-hx, -hy, hx, hy, z0 + k * h));
  return build(c);
}

TEST(SurfaceMesh, BoxStackIsClosedWithBoxAreaAndVolume) {
  const Structure s = box_stack(10, 8, 0, 20, 2);  // box 20 x 16 x 22 (extent [-1, 21])
  const SurfaceMesh m(s);
  EXPECT_TRUE(m.is_closed());
  EXPECT_NEAR(m.area_mm2(), 2 * (20.0 * 16 + 20.0 * 22 + 16.0 * 22), 1e-9);
  EXPECT_NEAR(m.enclosed_volume_cc(), *volume_cc(s), 1e-12);
  EXPECT_NEAR(m.enclosed_volume_cc(), 20.0 * 16 * 22 / 1000, 1e-12);
}

TEST(SurfaceMesh, StaircaseOfShiftedBoxesIsClosedWithExactCapsAndVolume) {
  // Plane k: [k, k + 10] x [0, 10] at z = 2k. Caps between planes are the two 1 x 10 strips of the
  // symmetric difference; walls are the perimeters times the slab.
  std::vector<Contour> c;
  const int n = 6;
  for (int k = 0; k < n; ++k) c.push_back(test::rectangle(k, 0, k + 10, 10, 2.0 * k));
  const Structure s = build(c);
  const SurfaceMesh m(s);
  EXPECT_TRUE(m.is_closed());
  const double walls = n * 40.0 * 2, end_caps = 2 * 100.0, inner_caps = (n - 1) * 2 * 10.0;
  EXPECT_NEAR(m.area_mm2(), walls + end_caps + inner_caps, 1e-9);
  EXPECT_NEAR(m.enclosed_volume_cc(), *volume_cc(s), 1e-12);
}

TEST(SurfaceMesh, AnnulusStackWithVaryingRadiiIsClosedAndEnclosesTheVolume) {
  std::vector<Contour> c;
  for (int k = 0; k < 8; ++k) {
    const double z = 3.0 * k;
    c.push_back(test::ngon(0, 0, 20 + k, z, 48));
    c.push_back(test::ngon(0.5, 0, 8 - 0.5 * k, z, 32, true));  // hole
  }
  const Structure s = build(c);
  const SurfaceMesh m(s);
  EXPECT_TRUE(m.is_closed());
  EXPECT_NEAR(m.enclosed_volume_cc(), *volume_cc(s), 1e-9 * *volume_cc(s));
}

TEST(SurfaceMesh, GapBetweenPlanesClosesBothSides) {
  const Structure s = build({test::rectangle(0, 0, 5, 5, 0), test::rectangle(0, 0, 5, 5, 2), test::rectangle(0, 0, 5, 5, 10)});
  ASSERT_DOUBLE_EQ(s.slab_mm, 2);
  const SurfaceMesh m(s);
  EXPECT_TRUE(m.is_closed());
  EXPECT_NEAR(m.enclosed_volume_cc(), *volume_cc(s), 1e-12);
  EXPECT_NEAR(m.area_mm2(), (2 * 25 + 20 * 4) + (2 * 25 + 20 * 2), 1e-9);
}

TEST(SurfaceMesh, SignedDistanceToABoxIsExact) {
  const SurfaceMesh m(box_stack(10, 8, 0, 20, 2));  // [-10, 10] x [-8, 8] x [-1, 21]
  EXPECT_NEAR(m.signed_distance_mm({1, 2, 3}), -4.0, 1e-9);       // nearest face z = -1
  EXPECT_NEAR(m.signed_distance_mm({9.5, 0, 10}), -0.5, 1e-9);    // face x = 10
  EXPECT_NEAR(m.signed_distance_mm({15, 0, 10}), 5.0, 1e-9);
  EXPECT_NEAR(m.signed_distance_mm({13, 12, 25}), std::sqrt(9.0 + 16 + 16), 1e-9);  // corner
  EXPECT_NEAR(m.signed_distance_mm({10, 0, 10}), 0.0, 1e-9);
  EXPECT_NEAR(m.distance_mm({1, 2, 3}), 4.0, 1e-9);
}

// Distance from p to triangle t by brute force: the nearest of the face's projection (when it falls
// inside) and the three edges. Independent of surface.cpp's Voronoi-region code and of its faces
// (which merge each wall's triangles into one rectangle).
double point_triangle_distance(const Point3& p, const std::array<Point3, 3>& t) {
  const auto sub = [](const Point3& u, const Point3& v) { return Point3{u.x - v.x, u.y - v.y, u.z - v.z}; };
  const auto dot = [](const Point3& u, const Point3& v) { return u.x * v.x + u.y * v.y + u.z * v.z; };
  const auto cross = [](const Point3& u, const Point3& v) { return Point3{u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x}; };
  const auto segment = [&](const Point3& a, const Point3& b) {
    const Point3 ab = sub(b, a);
    const double len2 = dot(ab, ab);
    const double s = len2 > 0 ? std::clamp(dot(sub(p, a), ab) / len2, 0.0, 1.0) : 0.0;
    const Point3 c{a.x + s * ab.x, a.y + s * ab.y, a.z + s * ab.z};
    return std::sqrt(dot(sub(p, c), sub(p, c)));
  };
  double best = std::min({segment(t[0], t[1]), segment(t[1], t[2]), segment(t[2], t[0])});
  const Point3 n = cross(sub(t[1], t[0]), sub(t[2], t[0]));
  const double n2 = dot(n, n);
  if (n2 > 0) {
    const double h = dot(sub(p, t[0]), n) / n2;
    const Point3 q{p.x - h * n.x, p.y - h * n.y, p.z - h * n.z};
    const bool in = dot(cross(sub(t[1], t[0]), sub(q, t[0])), n) >= 0 && dot(cross(sub(t[2], t[1]), sub(q, t[1])), n) >= 0 &&
                    dot(cross(sub(t[0], t[2]), sub(q, t[2])), n) >= 0;
    if (in) best = std::min(best, std::abs(h) * std::sqrt(n2));
  }
  return best;
}

// closest() against the minimum over every mesh triangle, for random points in and around shapes
// with holes, a staircase and a gap between planes; its point lies at its distance and on the side
// its normal says when the nearest point is inside a face.
TEST(SurfaceMesh, ClosestEqualsTheBruteForceMinimumOverAllTriangles) {
  std::vector<Contour> annulus, stairs;
  for (int k = 0; k < 8; ++k) {
    annulus.push_back(test::ngon(0, 0, 20 + k, 3.0 * k, 48));
    annulus.push_back(test::ngon(0.5, 0, 8 - 0.5 * k, 3.0 * k, 32, true));
    stairs.push_back(test::rectangle(k, 0, k + 10, 10, 2.0 * k));
  }
  const Structure gap = build({test::rectangle(0, 0, 5, 5, 0), test::rectangle(0, 0, 5, 5, 2), test::rectangle(0, 0, 5, 5, 10)});
  std::mt19937_64 rng(7);
  for (const Structure& s : {build(annulus), build(stairs), gap}) {
    const SurfaceMesh m(s);
    const auto tris = m.triangles();
    ASSERT_FALSE(tris.empty());
    double lo[3] = {1e9, 1e9, 1e9}, hi[3] = {-1e9, -1e9, -1e9};
    for (const auto& t : tris) {
      for (const Point3& v : t) {
        lo[0] = std::min(lo[0], v.x), lo[1] = std::min(lo[1], v.y), lo[2] = std::min(lo[2], v.z);
        hi[0] = std::max(hi[0], v.x), hi[1] = std::max(hi[1], v.y), hi[2] = std::max(hi[2], v.z);
      }
    }
    std::uniform_real_distribution<double> ux(lo[0] - 6, hi[0] + 6), uy(lo[1] - 6, hi[1] + 6), uz(lo[2] - 6, hi[2] + 6);
    std::optional<std::size_t> hint;
    for (int i = 0; i < 1500; ++i) {
      const Point3 p{ux(rng), uy(rng), uz(rng)};
      double brute = std::numeric_limits<double>::infinity();
      for (const auto& t : tris) brute = std::min(brute, point_triangle_distance(p, t));
      const auto c = m.closest(p, hint);
      ASSERT_TRUE(c);
      hint = c->face;
      EXPECT_NEAR(c->distance_mm, brute, 1e-9) << p.x << " " << p.y << " " << p.z;
      EXPECT_NEAR(std::hypot(c->point.x - p.x, c->point.y - p.y, c->point.z - p.z), c->distance_mm, 1e-9);
      EXPECT_NEAR(std::hypot(c->normal.x, c->normal.y, c->normal.z), 1.0, 1e-12);
      if (c->on_face_interior && c->distance_mm > 1e-6) {
        const double side = (p.x - c->point.x) * c->normal.x + (p.y - c->point.y) * c->normal.y + (p.z - c->point.z) * c->normal.z;
        EXPECT_EQ(side < 0, contains(s, p)) << p.x << " " << p.y << " " << p.z;
      }
    }
  }
}

TEST(SurfaceMesh, EmptyStructureGivesAnEmptyMesh) {
  const SurfaceMesh m{Structure{}};
  EXPECT_TRUE(m.empty());
  EXPECT_FALSE(m.is_closed());
  EXPECT_TRUE(std::isinf(m.distance_mm({0, 0, 0})));
  EXPECT_TRUE(m.sample().empty());
}

TEST(SurfaceSampling, WeightsSumToTheAreaAndSamplingIsDeterministic) {
  const SurfaceMesh m(box_stack(10, 8, 0, 20, 2));
  const SamplingOptions opt{.density_per_mm2 = 2.0, .include_vertices = false};
  const auto s1 = m.sample(opt);
  const auto s2 = m.sample(opt);
  double w = 0;
  for (const auto& s : s1) w += s.weight_mm2;
  EXPECT_NEAR(w, m.area_mm2(), 1e-9 * m.area_mm2());
  ASSERT_EQ(s1.size(), s2.size());
  for (std::size_t i = 0; i < s1.size(); ++i) EXPECT_EQ(s1[i].point, s2[i].point);
  EXPECT_GE(static_cast<double>(s1.size()), 2.0 * m.area_mm2());  // at least the requested density
  for (const auto& s : s1) EXPECT_NEAR(m.distance_mm(s.point), 0.0, 1e-9);  // on the surface
}

}  // namespace
}  // namespace rtaudit::geom
