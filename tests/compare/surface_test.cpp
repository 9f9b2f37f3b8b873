// The slab-stack surface: closed, with the right area and enclosed volume; exact distances.
#include "rtaudit/geom/surface.hpp"

#include "tests/support/shapes.hpp"

#include <gtest/gtest.h>

#include <cmath>
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
