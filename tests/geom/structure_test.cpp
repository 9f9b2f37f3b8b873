#include "rtaudit/geom/structure.hpp"

#include "tests/support/shapes.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

namespace rtaudit::geom {
namespace {

struct Stack {
  std::vector<Contour> contours;
  double exact_volume_cc = 0;
};

// A stack of regular 64-gons with radius r(z) on planes spaced `spacing` apart; the exact volume of
// the plane model is the sum of exact polygon areas times the spacing.
Stack polygon_stack(double z0, double z1, double spacing, const std::function<double(double)>& radius) {
  Stack s;
  double area = 0;
  const int planes = static_cast<int>(std::llround((z1 - z0) / spacing)) + 1;
  for (int k = 0; k < planes; ++k) {
    const double z = z0 + k * spacing;
    const double r = radius(z);
    if (r <= 0) continue;
    s.contours.push_back(test::ngon(1.5, -2.0, r, z, 64));
    area += test::ngon_area(r, 64);
  }
  s.exact_volume_cc = area * spacing / 1000.0;
  return s;
}

void expect_exact(const Stack& s) {
  const auto b = build_structure(s.contours);
  const auto v = volume_cc(b.structure);
  ASSERT_TRUE(v.has_value());
  EXPECT_NEAR(*v, s.exact_volume_cc, 1e-9 * s.exact_volume_cc);
  EXPECT_EQ(b.contours_dropped, 0u);
}

class AnalyticStacks : public ::testing::TestWithParam<double> {};

TEST_P(AnalyticStacks, SphereVolumeIsExactPolygonSum) {
  const double R = 30, h = GetParam();
  expect_exact(polygon_stack(-R + h / 2, R - h / 2, h, [&](double z) { return std::sqrt(R * R - z * z); }));
}

TEST_P(AnalyticStacks, CylinderVolumeIsExactPolygonSum) {
  const double h = GetParam();
  const Stack s = polygon_stack(0, 60, h, [](double) { return 12.0; });
  expect_exact(s);
  // And for a cylinder the plane model is the prism volume: planes x spacing x area.
  const double planes = std::round(60 / h) + 1;
  EXPECT_NEAR(s.exact_volume_cc, planes * h * test::ngon_area(12, 64) / 1000, 1e-12);
}

TEST_P(AnalyticStacks, ConeVolumeIsExactPolygonSum) {
  const double h = GetParam();
  expect_exact(polygon_stack(0, 48, h, [](double z) { return 20.0 * (1 - z / 50.0); }));
}

INSTANTIATE_TEST_SUITE_P(Spacings, AnalyticStacks, ::testing::Values(1.0, 2.0, 3.0));

TEST(Structure, RingStackWithHoleVolume) {
  std::vector<Contour> c;
  for (int k = 0; k < 5; ++k) {
    c.push_back(test::ngon(0, 0, 20, 2.5 * k, 32));
    c.push_back(test::ngon(0, 0, 10, 2.5 * k, 32, true));
  }
  const auto b = build_structure(c);
  const double exact = 5 * 2.5 * (test::ngon_area(20, 32) - test::ngon_area(10, 32)) / 1000;
  EXPECT_NEAR(*volume_cc(b.structure), exact, 1e-9 * exact);
  EXPECT_FALSE(contains(b.structure, {0, 0, 5}));
  EXPECT_TRUE(contains(b.structure, {15, 0, 5}));
}

TEST(Structure, SlabEndCapsAndBoundingBox) {
  std::vector<Contour> c{test::rectangle(0, 0, 10, 10, 0), test::rectangle(0, 0, 10, 10, 3),
                         test::rectangle(0, 0, 10, 10, 6)};
  const auto b = build_structure(c);
  EXPECT_DOUBLE_EQ(b.structure.slab_mm, 3.0);
  EXPECT_NEAR(*volume_cc(b.structure), 0.3 * 3, 1e-12);  // three 3-mm slabs of 1 cm2
  const auto box = bounding_box(b.structure);
  ASSERT_TRUE(box);
  EXPECT_DOUBLE_EQ(box->min.z, -1.5);
  EXPECT_DOUBLE_EQ(box->max.z, 7.5);
  EXPECT_DOUBLE_EQ(box->max.x, 10);
  const auto c0 = centroid(b.structure);
  EXPECT_NEAR(c0->x, 5, 1e-12);
  EXPECT_NEAR(c0->z, 3, 1e-12);
  EXPECT_TRUE(contains(b.structure, {5, 5, 7.4}));
  EXPECT_FALSE(contains(b.structure, {5, 5, 7.6}));
  EXPECT_TRUE(contains(b.structure, {10, 5, 0}));  // boundary counts as inside
}

TEST(Structure, DsJitterStaysOnOnePlane) {
  std::vector<Contour> c{test::rectangle(0, 0, 1, 1, 10.0), test::rectangle(3, 3, 4, 4, 10.02),
                         test::rectangle(0, 0, 1, 1, 12.5)};
  const auto b = build_structure(c);
  EXPECT_EQ(b.structure.planes.size(), 2u);
}

TEST(Structure, MissingPlaneIsAGapAndReported) {
  std::vector<Contour> c;
  for (double z : {0.0, 2.0, 4.0, 10.0, 12.0}) c.push_back(test::rectangle(0, 0, 10, 10, z));
  const auto b = build_structure(c);
  EXPECT_DOUBLE_EQ(b.structure.slab_mm, 2.0);
  EXPECT_NEAR(*volume_cc(b.structure), 5 * 2 * 100 / 1000.0, 1e-12);
  ASSERT_EQ(b.issues.size(), 1u);
  EXPECT_EQ(b.issues[0].code, IssueCode::MissingPlanes);
}

TEST(Structure, SinglePlaneNeedsAFallbackSlab) {
  const std::vector<Contour> c{test::rectangle(0, 0, 10, 10, 0)};
  const auto no = build_structure(c);
  EXPECT_FALSE(volume_cc(no.structure).has_value());
  EXPECT_EQ(no.issues.back().code, IssueCode::SinglePlane);
  BuildOptions o;
  o.fallback_slab_mm = 2.5;
  const auto yes = build_structure(c, o);
  EXPECT_NEAR(*volume_cc(yes.structure), 0.25, 1e-12);
  EXPECT_TRUE(yes.structure.slab_from_fallback);
}

TEST(Structure, EveryUnusableContourIsReportedWithItsReason) {
  std::vector<Contour> c;
  c.push_back(test::rectangle(0, 0, 10, 10, 0));                         // 0 fine
  Contour point;
  point.type = GeometricType::Point;
  point.points = {{1, 1, 0}};
  c.push_back(point);                                                     // 1 not closed planar
  Contour two;
  two.points = {{0, 0, 2}, {1, 1, 2}};
  c.push_back(two);                                                       // 2 too few points
  Contour nan = test::rectangle(0, 0, 1, 1, 2);
  nan.points[1].x = std::numeric_limits<double>::quiet_NaN();
  c.push_back(nan);                                                       // 3 non-finite
  Contour inf = test::rectangle(0, 0, 1, 1, 2);
  inf.points[2].y = std::numeric_limits<double>::infinity();
  c.push_back(inf);                                                       // 4 non-finite
  Contour tilted = test::rectangle(0, 0, 1, 1, 2);
  tilted.points[2].z = 3;
  c.push_back(tilted);                                                    // 5 not on one plane
  Contour flat;
  flat.points = {{0, 0, 2}, {1, 0, 2}, {2, 0, 2}};
  c.push_back(flat);                                                      // 6 zero area
  Contour bowtie;
  bowtie.points = {{0, 0, 2}, {2, 2, 2}, {2, 0, 2}, {0, 2, 2}};
  c.push_back(bowtie);                                                    // 7 repaired, used
  BuildOptions o;
  o.image_bounds = Box3{{-5, -5, -5}, {5, 5, 5}};
  const auto b = build_structure(c, o);
  auto code_of = [&](std::size_t contour) {
    for (const auto& i : b.issues)
      if (i.contour == contour) return i.code;
    return IssueCode::NoContours;
  };
  EXPECT_EQ(code_of(0), IssueCode::OutsideImage);
  EXPECT_EQ(code_of(1), IssueCode::NotClosedPlanar);
  EXPECT_EQ(code_of(2), IssueCode::TooFewPoints);
  EXPECT_EQ(code_of(3), IssueCode::NonFiniteCoordinate);
  EXPECT_EQ(code_of(4), IssueCode::NonFiniteCoordinate);
  EXPECT_EQ(code_of(5), IssueCode::NotOnOnePlane);
  EXPECT_EQ(code_of(6), IssueCode::ZeroArea);
  EXPECT_EQ(code_of(7), IssueCode::SelfIntersectionRepaired);
  EXPECT_EQ(b.contours_dropped, 6u);
  EXPECT_EQ(b.contours_used, 2u);
  EXPECT_NEAR(b.structure.planes[1].area_mm2, 2.0, 1e-12);
}

TEST(Structure, EmptyRoiIsReported) {
  const auto b = build_structure({});
  ASSERT_EQ(b.issues.size(), 1u);
  EXPECT_EQ(b.issues[0].code, IssueCode::NoContours);
  EXPECT_FALSE(volume_cc(b.structure).has_value());
  EXPECT_FALSE(centroid(b.structure).has_value());
  EXPECT_FALSE(contains(b.structure, {0, 0, 0}));
}

TEST(Structure, TwoHundredThousandPointRoi) {
  // 100 planes of 2000-gons: 200,000 points.
  std::vector<Contour> c;
  double area = 0;
  for (int k = 0; k < 100; ++k) {
    const double r = 30 + 10 * std::sin(k * 0.1);
    c.push_back(test::ngon(0, 0, r, k * 2.0, 2000));
    area += test::ngon_area(r, 2000);
  }
  const auto b = build_structure(c);
  EXPECT_NEAR(*volume_cc(b.structure), area * 2 / 1000, 1e-9 * area * 2 / 1000);
}

}  // namespace
}  // namespace rtaudit::geom
