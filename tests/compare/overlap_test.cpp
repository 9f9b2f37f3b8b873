// Overlap metrics against closed-form or independently computed polygon answers.
#include "rtaudit/compare/overlap.hpp"

#include "rtaudit/geom/surface.hpp"
#include "tests/support/shapes.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

namespace rtaudit::compare {
namespace {

using geom::Contour;
using geom::Structure;

constexpr int kSides = 64;

Structure build(const std::vector<Contour>& contours) { return geom::build_structure(contours).structure; }

// Planes z0, z0 + h, ... (z1 included) of a regular N-gon of radius r(z) centred at (cx, 0).
std::vector<Contour> ngon_stack(double cx, double z0, double z1, double h, const std::function<double(double)>& r) {
  std::vector<Contour> out;
  const int n = static_cast<int>(std::llround((z1 - z0) / h)) + 1;
  for (int k = 0; k < n; ++k) {
    const double z = z0 + k * h;
    if (r(z) > 0) out.push_back(test::ngon(cx, 0, r(z), z, kSides));
  }
  return out;
}

std::vector<Contour> box_stack(double half_x, double half_y, double z0, double z1, double h) {
  std::vector<Contour> out;
  const int n = static_cast<int>(std::llround((z1 - z0) / h)) + 1;
  for (int k = 0; k < n; ++k) out.push_back(test::rectangle(-half_x, -half_y, half_x, half_y, z0 + k * h));
  return out;
}

// Independent exact area of the intersection of two convex CCW polygons (Sutherland–Hodgman).
struct P2 {
  double x, y;
};
std::vector<P2> to_p2(const Contour& c) {
  std::vector<P2> out;
  for (const auto& p : c.points) out.push_back({p.x, p.y});
  return out;
}
double shoelace(const std::vector<P2>& p) {
  double a = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const P2& u = p[i];
    const P2& v = p[(i + 1) % p.size()];
    a += u.x * v.y - v.x * u.y;
  }
  return a / 2;
}
double convex_intersection_area(std::vector<P2> subject, const std::vector<P2>& clip) {
  for (std::size_t e = 0; e < clip.size() && !subject.empty(); ++e) {
    const P2 a = clip[e], b = clip[(e + 1) % clip.size()];
    auto side = [&](const P2& p) { return (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x); };
    std::vector<P2> out;
    for (std::size_t i = 0; i < subject.size(); ++i) {
      const P2 p = subject[i], q = subject[(i + 1) % subject.size()];
      const double sp = side(p), sq = side(q);
      if (sp >= 0) out.push_back(p);
      if ((sp >= 0) != (sq >= 0)) {
        const double t = sp / (sp - sq);
        out.push_back({p.x + t * (q.x - p.x), p.y + t * (q.y - p.y)});
      }
    }
    subject = std::move(out);
  }
  return subject.size() < 3 ? 0.0 : shoelace(subject);
}

Overlap ok(const OverlapResult& r) {
  EXPECT_FALSE(r.error.has_value()) << (r.error ? r.error->reason : "");
  return r.overlap.value_or(Overlap{});
}

void expect_rel(double got, double want, double rel) { EXPECT_NEAR(got, want, rel * std::abs(want)) << "want " << want; }

TEST(Overlap, OffsetSpheresMatchIndependentPolygonIntersection) {
  const double R = 30, h = 2, dx = 12;
  auto radius = [&](double z) { return std::sqrt(std::max(0.0, R * R - z * z)); };
  const auto ca = ngon_stack(0, -R + h / 2, R - h / 2, h, radius);
  const auto cb = ngon_stack(dx, -R + h / 2, R - h / 2, h, radius);
  double va = 0, vb = 0, vi = 0;
  for (std::size_t k = 0; k < ca.size(); ++k) {
    va += shoelace(to_p2(ca[k])) * h;
    vb += shoelace(to_p2(cb[k])) * h;
    vi += convex_intersection_area(to_p2(ca[k]), to_p2(cb[k])) * h;
  }
  const Overlap o = ok(overlap(build(ca), build(cb)));
  expect_rel(o.volume_a_cc, va / 1000, 1e-9);
  expect_rel(o.volume_b_cc, vb / 1000, 1e-9);
  expect_rel(o.intersection_cc, vi / 1000, 1e-9);
  ASSERT_TRUE(o.dice && o.jaccard && o.volume_ratio);
  expect_rel(*o.dice, 2 * vi / (va + vb), 1e-6);
  expect_rel(*o.jaccard, vi / (va + vb - vi), 1e-6);
  expect_rel(*o.volume_ratio, 1.0, 1e-12);
  expect_rel(o.missed_cc, (va - vi) / 1000, 1e-9);
  expect_rel(o.added_cc, (vb - vi) / 1000, 1e-9);
  EXPECT_EQ(o.matched_planes, ca.size());
}

TEST(Overlap, CoaxialCylindersDiceIsTwiceInnerOverSum) {
  const double h = 2.5;
  const auto inner = ngon_stack(0, 0, 50, h, [](double) { return 10.0; });
  const auto outer = ngon_stack(0, 0, 50, h, [](double) { return 15.0; });
  const double vin = test::ngon_area(10, kSides) * h * static_cast<double>(inner.size());
  const double vout = test::ngon_area(15, kSides) * h * static_cast<double>(outer.size());
  const Overlap o = ok(overlap(build(outer), build(inner)));
  expect_rel(o.intersection_cc, vin / 1000, 1e-9);
  expect_rel(*o.dice, 2 * vin / (vin + vout), 1e-6);
  expect_rel(*o.jaccard, vin / vout, 1e-6);
  expect_rel(*o.volume_ratio, vin / vout, 1e-9);
  expect_rel(o.missed_cc, (vout - vin) / 1000, 1e-9);
  EXPECT_NEAR(o.added_cc, 0, 1e-9);
}

TEST(Overlap, NestedBoxesDiceIsTwoVinOverVinPlusVout) {
  const double h = 3;
  const Structure in = build(box_stack(10, 8, -12, 12, h));   // 9 planes, extent [-13.5, 13.5]
  const Structure out = build(box_stack(15, 12, -18, 18, h));  // 13 planes, extent [-19.5, 19.5]
  const double vin = 20.0 * 16 * 27, vout = 30.0 * 24 * 39;
  const Overlap o = ok(overlap(in, out));
  expect_rel(o.volume_a_cc, vin / 1000, 1e-12);
  expect_rel(o.volume_b_cc, vout / 1000, 1e-12);
  expect_rel(*o.dice, 2 * vin / (vin + vout), 1e-6);
  expect_rel(*o.jaccard, vin / vout, 1e-6);
  EXPECT_NEAR(o.missed_cc, 0, 1e-12);
  expect_rel(o.added_cc, (vout - vin) / 1000, 1e-12);
  EXPECT_EQ(o.matched_planes, 9u);
  EXPECT_EQ(o.planes_only_b, 4u);
  EXPECT_EQ(o.planes_only_a, 0u);
}

TEST(Overlap, DifferentSliceSpacingsIntersectTheSlabExtentsExactly) {
  // a: r = 10 on 2 mm planes 0..40 (extent [-1, 41]); b: r = 15 on 3 mm planes 6..60 (extent [4.5, 61.5]).
  const Structure a = build(ngon_stack(0, 0, 40, 2, [](double) { return 10.0; }));
  const Structure b = build(ngon_stack(0, 6, 60, 3, [](double) { return 15.0; }));
  ASSERT_DOUBLE_EQ(a.slab_mm, 2);
  ASSERT_DOUBLE_EQ(b.slab_mm, 3);
  const double area_a = test::ngon_area(10, kSides), area_b = test::ngon_area(15, kSides);
  const double va = area_a * 42, vb = area_b * 57, vi = area_a * (41 - 4.5);
  const Overlap o = ok(overlap(a, b));
  expect_rel(o.volume_a_cc, va / 1000, 1e-12);
  expect_rel(o.volume_b_cc, vb / 1000, 1e-12);
  expect_rel(o.intersection_cc, vi / 1000, 1e-12);
  expect_rel(*o.dice, 2 * vi / (va + vb), 1e-6);
  // Symmetric in its symmetric metrics.
  const Overlap r = ok(overlap(b, a));
  expect_rel(*r.dice, *o.dice, 1e-12);
  expect_rel(r.missed_cc, o.added_cc, 1e-12);
}

TEST(Overlap, IdenticalStructuresGiveDiceOneAndNothingMissed) {
  const Structure s = build(ngon_stack(3, -20, 20, 2, [](double z) { return 12 - 0.2 * z; }));
  const Overlap o = ok(overlap(s, s));
  EXPECT_DOUBLE_EQ(*o.dice, 1.0);
  EXPECT_DOUBLE_EQ(*o.jaccard, 1.0);
  EXPECT_NEAR(o.missed_cc, 0, 1e-12);
  EXPECT_NEAR(o.added_cc, 0, 1e-12);
  expect_rel(o.volume_a_cc, *geom::volume_cc(s), 1e-12);
}

TEST(Overlap, PlanesWithinTheToleranceAreTheSameSlice) {
  // b is a on planes jittered by 0.01 mm (DS rounding): still the same slices, Dice 1.
  const auto ca = ngon_stack(0, 0, 20, 2, [](double) { return 9.0; });
  auto cb = ca;
  for (auto& c : cb) {
    for (auto& p : c.points) p.z += 0.01;
  }
  const Overlap o = ok(overlap(build(ca), build(cb)));
  EXPECT_NEAR(*o.dice, 1.0, 1e-12);
  EXPECT_EQ(o.matched_planes, ca.size());
}

TEST(Overlap, PlaneInOnlyOneStructureCountsForItsOwnVolumeOnly) {
  auto ca = ngon_stack(0, 0, 20, 2, [](double) { return 9.0; });
  auto cb = ca;
  cb.pop_back();  // b lacks a's last plane (z = 20)
  const double area = test::ngon_area(9, kSides);
  const Overlap o = ok(overlap(build(ca), build(cb)));
  EXPECT_EQ(o.planes_only_a, 1u);
  EXPECT_EQ(o.planes_only_b, 0u);
  expect_rel(o.missed_cc, area * 2 / 1000, 1e-9);
  expect_rel(*o.dice, 2.0 * 10 / 21, 1e-9);
}

TEST(Overlap, DisjointStructuresGiveDiceZero) {
  const Structure a = build(box_stack(5, 5, 0, 10, 2));
  const Structure b = build(ngon_stack(50, 0, 10, 2, [](double) { return 5.0; }));
  const Overlap o = ok(overlap(a, b));
  EXPECT_EQ(*o.dice, 0.0);
  EXPECT_EQ(*o.jaccard, 0.0);
}

TEST(Overlap, EmptyStructureGivesDiceZeroAndNoRatio) {
  const Structure a = build(box_stack(5, 5, 0, 10, 2));
  const Overlap o = ok(overlap(a, Structure{}));
  EXPECT_EQ(*o.dice, 0.0);
  EXPECT_EQ(*o.volume_ratio, 0.0);
  const Overlap r = ok(overlap(Structure{}, a));
  EXPECT_FALSE(r.volume_ratio.has_value());
  const Overlap e = ok(overlap(Structure{}, Structure{}));
  EXPECT_FALSE(e.dice.has_value());
  EXPECT_FALSE(e.jaccard.has_value());
}

TEST(Overlap, SinglePlaneWithoutSlabIsAnError) {
  const Structure a = build({test::rectangle(0, 0, 1, 1, 0)});
  ASSERT_EQ(a.slab_mm, 0);
  const OverlapResult r = overlap(a, a);
  EXPECT_FALSE(r.overlap.has_value());
  ASSERT_TRUE(r.error.has_value());
  EXPECT_NE(r.error->reason.find("slab"), std::string::npos);
  EXPECT_FALSE(dice(a, a).has_value());
}

TEST(SlabExtents, NeighboursWithinOneAndAHalfSlabsMeetAtTheMidpoint) {
  const auto e = geom::slab_extents(std::vector<double>{0, 2, 4.02, 10}, 2.0);
  ASSERT_EQ(e.size(), 4u);
  EXPECT_DOUBLE_EQ(e[0].z_lo_mm, -1);
  EXPECT_DOUBLE_EQ(e[0].z_hi_mm, 1);
  EXPECT_EQ(e[1].z_lo_mm, e[0].z_hi_mm);
  EXPECT_DOUBLE_EQ(e[1].z_hi_mm, 3.01);
  EXPECT_DOUBLE_EQ(e[2].z_hi_mm, 5.02);  // 6 mm gap: a gap stays a gap
  EXPECT_DOUBLE_EQ(e[3].z_lo_mm, 9);
}

}  // namespace
}  // namespace rtaudit::compare
