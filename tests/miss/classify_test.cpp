// Points against CTVs with known answers: a box, a regular-polygon cylinder and a stacked sphere,
// whose exact distances follow from their vertices; dose classes on dose grids built in code.

#include "rtaudit/miss/classify.hpp"

#include "rtaudit/geom/region_ops.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

namespace rtaudit::miss {
namespace {

using geom::Point3;

constexpr double kTol = 1e-6;

// Planes z = 0, 2.5, ..., each region `region(k)`: the slab solid spans [-1.25, z_last + 1.25].
template <class F>
geom::Structure stack(int planes, F region) {
  geom::Structure s;
  for (int k = 0; k < planes; ++k) {
    geom::Plane p;
    p.z_mm = 2.5 * k;
    p.region = region(k);
    p.area_mm2 = geom::ops::area(p.region);
    s.planes.push_back(std::move(p));
  }
  s.slab_mm = 2.5;
  return s;
}

// Box [0, 40] x [0, 30] x [-1.25, 48.75] (20 planes).
geom::Structure box_structure() { return stack(20, [](int) { return geom::ops::box(0, 0, 40, 30); }); }

double box_signed_distance(const Point3& p) {
  const double lo[3] = {0, 0, -1.25}, hi[3] = {40, 30, 48.75}, v[3] = {p.x, p.y, p.z};
  double out2 = 0, in = std::numeric_limits<double>::infinity();
  bool inside = true;
  for (int i = 0; i < 3; ++i) {
    const double e = std::max({0.0, lo[i] - v[i], v[i] - hi[i]});
    out2 += e * e;
    if (v[i] < lo[i] || v[i] > hi[i]) inside = false;
    in = std::min({in, v[i] - lo[i], hi[i] - v[i]});
  }
  return inside ? -in : std::sqrt(out2);
}

TEST(Classify, BoxSignedDistancesEqualTheAnalyticOnesEverywhere) {
  const CtvTarget box("box", box_structure());
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> ux(-15, 55), uy(-15, 45), uz(-15, 65);
  int inside = 0;
  for (int i = 0; i < 4000; ++i) {
    const Point3 p{ux(rng), uy(rng), uz(rng)};
    const PointGeometry g = locate(box, p, +1);
    ASSERT_NEAR(g.signed_distance_mm, box_signed_distance(p), kTol) << p.x << " " << p.y << " " << p.z;
    EXPECT_EQ(g.inside, box_signed_distance(p) < 0);
    inside += g.inside;
  }
  EXPECT_GT(inside, 300);  // the sample reaches inside as well as outside
  // Corners and edges: the distance is to the corner point.
  EXPECT_NEAR(locate(box, {43, 34, 48.75 + 12}, +1).signed_distance_mm, std::sqrt(9.0 + 16 + 144), kTol);
  EXPECT_NEAR(locate(box, {-3, -4, 10}, +1).signed_distance_mm, 5.0, kTol);
}

TEST(Classify, NearestBorderNamesTheFaceInPatientTerms) {
  const CtvTarget box("box", box_structure());
  // Left side treated: lateral is +x.
  EXPECT_EQ(*locate(box, {20, 15, 55}, +1).nearest_border, NearestBorder::Cranial);
  EXPECT_EQ(*locate(box, {20, 15, -4}, +1).nearest_border, NearestBorder::Caudal);
  EXPECT_EQ(*locate(box, {45, 15, 20}, +1).nearest_border, NearestBorder::Lateral);
  EXPECT_EQ(*locate(box, {-2, 15, 20}, +1).nearest_border, NearestBorder::Medial);
  EXPECT_EQ(*locate(box, {20, -3, 20}, +1).nearest_border, NearestBorder::Ventral);
  EXPECT_EQ(*locate(box, {20, 33, 20}, +1).nearest_border, NearestBorder::Dorsal);
  // Right side: +x is medial.
  EXPECT_EQ(*locate(box, {45, 15, 20}, -1).nearest_border, NearestBorder::Medial);
  // Inside: the nearest face. 1 mm below the cranial edge, centred in x-y.
  const PointGeometry g = locate(box, {20, 15, 47.75}, +1);
  EXPECT_TRUE(g.inside);
  EXPECT_NEAR(g.signed_distance_mm, -1.0, kTol);
  EXPECT_EQ(*g.nearest_border, NearestBorder::Cranial);
  EXPECT_EQ(*locate(box, {1, 15, 20}, +1).nearest_border, NearestBorder::Medial);
}

TEST(Classify, CylinderOfRegularPolygonsMatchesItsVertexGeometry) {
  constexpr int kN = 90;
  constexpr double kR = 12;
  const auto polygon = [&](int) { return geom::ops::ellipse(0, 0, kR, kR, kN); };
  const CtvTarget cyl("cylinder", stack(21, polygon));  // z from -1.25 to 51.25
  const geom::Polygon& ring = cyl.structure().planes[10].region.front();
  const double apothem = kR * std::cos(std::numbers::pi / kN);
  for (std::size_t v = 0; v + 1 < ring.outer().size(); v += 7) {
    const geom::Point2 q = ring.outer()[v];
    const double a = std::atan2(q.y(), q.x());
    for (double d : {0.5, 3.0, 10.0}) {  // outside along the vertex ray: the vertex is the nearest point
      const Point3 p{(kR + d) * std::cos(a), (kR + d) * std::sin(a), 25.0};
      EXPECT_NEAR(locate(cyl, p, +1).signed_distance_mm, std::hypot(p.x - q.x(), p.y - q.y()), kTol);
    }
    for (double rho : {kR - 1.0, kR - 3.0}) {  // inside along the vertex ray: the adjacent edges
      const Point3 p{rho * std::cos(a), rho * std::sin(a), 25.0};
      EXPECT_NEAR(locate(cyl, p, +1).signed_distance_mm, -(kR - rho) * std::cos(std::numbers::pi / kN), 1e-6);
    }
  }
  // Inside on the apothem ray, and on the axis beyond the caps.
  const double am = std::numbers::pi / kN;
  EXPECT_NEAR(locate(cyl, {(apothem - 2) * std::cos(am), (apothem - 2) * std::sin(am), 25}, +1).signed_distance_mm, -2.0, kTol);
  EXPECT_NEAR(locate(cyl, {0, 0, 51.25 + 7}, +1).signed_distance_mm, 7.0, kTol);
  EXPECT_NEAR(locate(cyl, {0, 0, -1.25 - 0.3}, +1).signed_distance_mm, 0.3, kTol);
  EXPECT_NEAR(locate(cyl, {0, 0, 50.25}, +1).signed_distance_mm, -1.0, kTol);
}

TEST(Classify, StackedSphereDistancesOnItsAxisAndEquator) {
  // Sphere of radius 20 about z = 25: planes every 2.5 mm, each a regular 120-gon of the
  // cross-section's radius at the plane.
  constexpr int kN = 120;
  constexpr double kR = 20, kZc = 25;
  const auto cross = [&](int k) {
    const double dz = 2.5 * k - kZc;
    return geom::ops::ellipse(0, 0, std::sqrt(std::max(1.0, kR * kR - dz * dz)), std::sqrt(std::max(1.0, kR * kR - dz * dz)), kN);
  };
  const geom::Structure s = stack(21, cross);
  const CtvTarget sphere("sphere", s);
  // Beyond the poles on the axis: the distance to the end caps.
  EXPECT_NEAR(locate(sphere, {0, 0, 50 + 1.25 + 4}, +1).signed_distance_mm, 4.0, kTol);
  EXPECT_NEAR(locate(sphere, {0, 0, -1.25 - 9}, +1).signed_distance_mm, 9.0, kTol);
  // In the equatorial slab (plane 10, the widest) along a vertex ray: the vertex of the equator.
  const geom::Point2 q = s.planes[10].region.front().outer()[5];
  const double a = std::atan2(q.y(), q.x());
  for (double d : {0.2, 2.0, 6.0}) {
    const Point3 p{(kR + d) * std::cos(a), (kR + d) * std::sin(a), kZc};
    EXPECT_NEAR(locate(sphere, p, +1).signed_distance_mm, std::hypot(p.x - q.x(), p.y - q.y()), kTol);
    EXPECT_EQ(*locate(sphere, p, +1).nearest_border, NearestBorder::Lateral);
  }
}

TEST(Classify, DistanceClassUsesTheLargerOfMarginAndRadius) {
  const CtvTarget box("box", box_structure());
  ClassifyOptions o;
  o.marginal_margin_mm = 2;
  EXPECT_EQ(classify(box, {{20, 15, 20}, 5.0}, +1, nullptr, 0, o).classification, PointClass::InField);
  EXPECT_EQ(classify(box, {{20, 15, 48.75 + 3}, 5.0}, +1, nullptr, 0, o).classification, PointClass::Marginal);
  EXPECT_EQ(classify(box, {{20, 15, 48.75 + 3}, std::nullopt}, +1, nullptr, 0, o).classification, PointClass::Outside);
  const PointVsCtv far = classify(box, {{20, 15, 48.75 + 5.5}, 5.0}, +1, nullptr, 0, o);
  EXPECT_EQ(far.classification, PointClass::Outside);
  EXPECT_DOUBLE_EQ(far.marginal_distance_mm, 5.0);
  EXPECT_EQ(far.basis.rfind("distance", 0), 0u);
}

// A dose grid of 0.5 mm voxels over [-30, 30]^2 x [-30, 30]: `f(x, y, z)` Gy.
template <class F>
dose::DoseVolume grid(F f) {
  dose::DoseVolume v;
  v.dx_mm = v.dy_mm = 0.5;
  v.nx = v.ny = 121;
  v.x0_mm = v.y0_mm = -30;
  for (int k = 0; k <= 120; ++k) v.z_mm.push_back(-30 + 0.5 * k);
  v.gy.resize(static_cast<std::size_t>(v.nx) * v.ny * v.z_mm.size());
  for (std::size_t k = 0; k < v.z_mm.size(); ++k)
    for (int j = 0; j < v.ny; ++j)
      for (int i = 0; i < v.nx; ++i)
        v.gy[(k * v.ny + j) * v.nx + i] = static_cast<float>(f(v.x0_mm + 0.5 * i, v.y0_mm + 0.5 * j, v.z_mm[k]));
  return v;
}

TEST(Classify, DoseClassFollowsDawsonSharesOfTheLesionVolume) {
  const CtvTarget far("far box", stack(2, [](int) { return geom::ops::box(100, 100, 110, 110); }));
  const dose::DoseVolume step = grid([](double x, double, double) { return x < 0 ? 40.0 : 0.0; });
  // Wholly in the 40 Gy half: in-field whatever the CTV says.
  const PointVsCtv in = classify(far, {{-15, 0, 0}, 5.0}, +1, &step, 40.0);
  ASSERT_TRUE(in.dose_class);
  EXPECT_EQ(in.classification, PointClass::InField);
  EXPECT_NEAR(*in.dose->share_high_pct, 100.0, 0.01);
  EXPECT_EQ(in.distance_class, PointClass::Outside);
  // Centred on the step: the trilinear ramp from 40 Gy at x = -0.5 to 0 at x = 0 puts the 95 % isodose
  // (38 Gy) at x = -0.475 and the 20 % one (8 Gy) at x = -0.1; the shares are the spherical caps beyond.
  const auto cap_share = [](double h, double r) {
    const double a = r - h;
    return 100.0 * (std::numbers::pi * a * a * (3 * r - a) / 3) / (4.0 / 3.0 * std::numbers::pi * r * r * r);
  };
  const PointVsCtv half = classify(far, {{0, 0, 0}, 5.0}, +1, &step, 40.0);
  EXPECT_EQ(half.classification, PointClass::Marginal);
  EXPECT_NEAR(*half.dose->share_high_pct, cap_share(0.475, 5.0), 0.5);
  EXPECT_NEAR(*half.dose->share_low_pct, cap_share(0.1, 5.0), 0.5);
  // Wholly in an 88 % dose region: not in-field, but within the 20 % isodose: marginal, not outside.
  const dose::DoseVolume under = grid([](double, double, double) { return 35.2; });
  EXPECT_EQ(classify(far, {{0, 0, 0}, 5.0}, +1, &under, 40.0).classification, PointClass::Marginal);
  // In the 0 Gy half: outside.
  EXPECT_EQ(classify(far, {{15, 0, 0}, 5.0}, +1, &step, 40.0).classification, PointClass::Outside);
  // Without a size: the centre dose against the levels (30 Gy = 75 % -> marginal).
  const dose::DoseVolume flat = grid([](double, double, double) { return 30.0; });
  const PointVsCtv point = classify(far, {{0, 0, 0}, std::nullopt}, +1, &flat, 40.0);
  EXPECT_EQ(point.classification, PointClass::Marginal);
  EXPECT_NEAR(*point.dose->centre_dose_gy, 30.0, 1e-6);
  // Outside the grid or without a prescription: distance class, said in the basis.
  const PointVsCtv off = classify(far, {{200, 0, 0}, 5.0}, +1, &flat, 40.0);
  EXPECT_FALSE(off.dose_class);
  EXPECT_NE(off.basis.find("outside the dose grid"), std::string::npos);
  EXPECT_NE(classify(far, {{0, 0, 0}, 5.0}, +1, &flat, 0.0).basis.find("prescription unknown"), std::string::npos);
}

TEST(Classify, SphereLesionVolumeAndEquivalentRadius) {
  EXPECT_NEAR(sphere_radius_mm(4.0 / 3.0 * std::numbers::pi * 125 / 1000), 5.0, 1e-12);
  EXPECT_EQ(sphere_radius_mm(0), 0);
  const dose::DoseVolume flat = grid([](double, double, double) { return 40.0; });
  const auto d = lesion_dose({{0, 0, 0}, 5.0}, flat, 40.0);
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->complete);
  EXPECT_NEAR(*d->mean_gy, 40.0, 1e-3);
}

TEST(Classify, LocateAllEqualsLocateForEachPoint) {
  const CtvTarget box("box", box_structure());
  std::vector<Point3> pts;
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> u(-20, 70);
  for (int i = 0; i < 3000; ++i) pts.push_back({u(rng), u(rng), u(rng)});
  const auto all = locate_all(box, pts, +1, 2);
  ASSERT_EQ(all.size(), pts.size());
  for (std::size_t i = 0; i < pts.size(); i += 37) EXPECT_EQ(all[i].signed_distance_mm, locate(box, pts[i], +1).signed_distance_mm);
  EXPECT_TRUE(std::isinf(locate(CtvTarget("empty", {}), {0, 0, 0}, +1).signed_distance_mm));
}

}  // namespace
}  // namespace rtaudit::miss
