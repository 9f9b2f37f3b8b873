// Analytic DVH validation after Nelms et al. (Med Phys 2015): sphere, cylinder and cone of 24 mm,
// linear dose gradients along z and y, dose grids of 1, 2 and 3 mm (tests/dose/analytic_shapes.hpp,
// docs/dvh-analytic.md).

#include "tests/dose/analytic_shapes.hpp"

#include "rtaudit/dose/dvh.hpp"
#include "rtaudit/geom/shape_interpolation.hpp"
#include "rtaudit/geom/structure.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <tuple>

namespace rtaudit::test::analytic {
namespace {

std::string describe(const Comparison& c) {
  std::ostringstream os;
  os << "model volume error " << c.model_volume_error_pct << " %\n";
  for (const MetricError& e : c.metrics) {
    os << "  " << e.name << ": analytic " << e.analytic << ", computed " << e.computed << ", error " << e.error
       << (e.is_dose ? " Gy (" : " pp (") << e.error_pct << " %)\n";
  }
  return os.str();
}

dose::DvhResult run(const geom::Structure& s, Axis a, double grid_mm, const dose::DvhOptions& o = {}) {
  return dose::compute_dvh(s, dose_grid(a, GridSpec{grid_mm}), o);
}

// ---- The analytic side itself ----

TEST(AnalyticShapes, PolygonAreaEqualsCircleArea) {
  const geom::Contour c = circle_contour(0, 0, 7.5, 0, 360);
  const geom::StructureBuild b = geom::build_structure({c}, geom::BuildOptions{.fallback_slab_mm = 1.0});
  ASSERT_EQ(b.structure.planes.size(), 1U);
  EXPECT_NEAR(b.structure.planes[0].area_mm2, kPi * 7.5 * 7.5, 1e-9 * kPi * 7.5 * 7.5);
}

TEST(AnalyticShapes, CumulativeCurvesSpanTheVolume) {
  for (const Shape s : {Shape::Sphere, Shape::Cylinder, Shape::Cone}) {
    for (const Axis a : {Axis::Y, Axis::Z}) {
      SCOPED_TRACE(to_string(s) + " " + to_string(a));
      EXPECT_NEAR(volume_at_least_mm3(s, a, 4.0), volume_mm3(s), 1e-8 * volume_mm3(s));
      EXPECT_NEAR(volume_at_least_mm3(s, a, 0.0), volume_mm3(s), 1e-8 * volume_mm3(s));
      EXPECT_EQ(volume_at_least_mm3(s, a, 28.0), 0.0);
      // Decreasing.
      double prev = volume_mm3(s) * (1 + 1e-9);
      for (double d = 4; d <= 28; d += 0.25) {
        const double v = volume_at_least_mm3(s, a, d);
        EXPECT_LE(v, prev);
        prev = v;
      }
    }
  }
  // Symmetric shapes: half the volume above the centre dose.
  EXPECT_NEAR(volume_at_least_mm3(Shape::Cone, Axis::Y, 16.0), volume_mm3(Shape::Cone) / 2, 1e-8);
  EXPECT_NEAR(volume_at_least_mm3(Shape::Sphere, Axis::Z, 16.0), volume_mm3(Shape::Sphere) / 2, 1e-8);
  // Cone along z: the apex half of the height holds 1/8 of the volume.
  EXPECT_NEAR(volume_at_least_mm3(Shape::Cone, Axis::Z, 16.0), volume_mm3(Shape::Cone) / 8, 1e-8);
}

TEST(AnalyticShapes, MeanDoseMatchesTheCurve) {
  // Dmean = Dmin + integral of V(>= D) dD / V.
  for (const Shape s : {Shape::Sphere, Shape::Cylinder, Shape::Cone}) {
    for (const Axis a : {Axis::Y, Axis::Z}) {
      SCOPED_TRACE(to_string(s) + " " + to_string(a));
      const double integral = integrate([&](double d) { return volume_at_least_mm3(s, a, d); }, 4, 28, 1e-7);
      EXPECT_NEAR(4 + integral / volume_mm3(s), analytic_metrics(s, a).mean_gy, 1e-6);
    }
  }
}

TEST(AnalyticShapes, PlanesTileTheShape) {
  const std::vector<double> z = plane_positions(3.0);
  ASSERT_EQ(z.size(), 8U);
  EXPECT_NEAR(z.front() - 1.5, z_lo(), 1e-12);
  EXPECT_NEAR(z.back() + 1.5, z_hi(), 1e-12);
  // The cylinder's plane model is exact at any spacing.
  for (const double h : {0.2, 1.0, 2.0, 3.0}) {
    const auto v = geom::volume_cc(structure(Shape::Cylinder, h));
    ASSERT_TRUE(v);
    EXPECT_NEAR(*v, volume_mm3(Shape::Cylinder) / 1000, 1e-9 * volume_mm3(Shape::Cylinder) / 1000) << h;
  }
}

// ---- 0.2 mm contours: every metric within 1% ----
//
// Criterion: |D - D_analytic| <= 1% of D_analytic for Dmean, Dmin, Dmax, D0.03cc, D2%, D50%, D95%,
// D98%; |V - V_analytic| <= 1 percentage point of the exact structure volume for V10Gy, V16Gy and
// V22Gy, both as % (DVH percent of its sampled volume vs analytic percent) and as cc.

using Case = std::tuple<Shape, Axis, double>;

class FineContours : public ::testing::TestWithParam<Case> {};

TEST_P(FineContours, EveryMetricWithinOnePercent) {
  const auto [shape, axis, grid] = GetParam();
  const geom::Structure s = structure(shape, 0.2);
  const dose::DvhResult r = run(s, axis, grid);
  ASSERT_TRUE(r.dvh) << r.error;
  EXPECT_TRUE(r.dvh->complete());
  const Comparison c = compare(*r.dvh, shape, axis);
  for (const MetricError& e : c.metrics) {
    if (shape == Shape::Cone && axis == Axis::Y && e.name == "Dmin") {
      // The cone's lowest dose along y is on its base rim (z = z_lo). The plane model draws the
      // lowest slab [z_lo, z_lo + 0.2] with the section at its plane, z_lo + 0.1, of radius
      // R (1 - 0.1 / H) = 11.95 mm: the model's own minimum is 4.05 Gy, 1.25% above the analytic
      // 4 Gy whatever the DVH code does. Checked against the model's value instead.
      const double model_min = kCentreDose - kGradient * section_radius(shape, z_lo() + 0.1);
      EXPECT_NEAR(e.computed, model_min, 0.01 * model_min) << describe(c);
      EXPECT_LE(std::abs(e.error_pct), 1.5) << describe(c);
      continue;
    }
    if (e.is_dose) {
      EXPECT_LE(std::abs(e.error_pct), 1.0) << e.name << "\n" << describe(c);
    } else {
      EXPECT_LE(std::abs(e.error), 1.0) << e.name << "\n" << describe(c);
    }
  }
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  const auto [shape, axis, grid] = info.param;
  return to_string(shape) + "_" + to_string(axis) + "_grid" + std::to_string(std::lround(grid)) + "mm";
}

INSTANTIATE_TEST_SUITE_P(AnalyticDvh, FineContours,
                         ::testing::Combine(::testing::Values(Shape::Sphere, Shape::Cylinder, Shape::Cone),
                                            ::testing::Values(Axis::Z, Axis::Y), ::testing::Values(1.0, 2.0, 3.0)),
                         case_name);

// ---- Volumes: the structure's, whatever the grid ----

TEST(AnalyticDvh, StructureVolumeIndependentOfTheDoseGrid) {
  for (const Shape shape : {Shape::Sphere, Shape::Cylinder, Shape::Cone}) {
    for (const double h : {1.0, 3.0}) {
      SCOPED_TRACE(to_string(shape) + " contours " + std::to_string(h));
      const geom::Structure s = structure(shape, h);
      const auto v = geom::volume_cc(s);
      ASSERT_TRUE(v);
      for (const Axis a : {Axis::Z, Axis::Y}) {
        for (const double grid : {1.0, 2.0, 3.0}) {
          const dose::DvhResult r = run(s, a, grid);
          ASSERT_TRUE(r.dvh) << r.error;
          EXPECT_NEAR(r.dvh->structure_volume_cc, *v, 1e-9 * *v) << grid;
          EXPECT_NEAR(r.dvh->sampled_volume_cc, *v, 1e-9 * *v) << grid;
          ASSERT_FALSE(r.dvh->cumulative_cc.empty());
          EXPECT_NEAR(r.dvh->cumulative_cc.front(), *v, 1e-9 * *v) << grid;
          EXPECT_EQ(r.dvh->cumulative_cc.back(), 0.0);
          EXPECT_TRUE(r.dvh->complete());
        }
      }
    }
  }
}

// ---- A uniform dose ----

TEST(AnalyticDvh, UniformDoseGivesItForEveryDoseMetric) {
  const double level = 13.37;
  for (const Shape shape : {Shape::Sphere, Shape::Cone}) {
    SCOPED_TRACE(to_string(shape));
    dose::DoseVolume d = dose_grid(Axis::Z, GridSpec{2.0});
    std::fill(d.gy.begin(), d.gy.end(), static_cast<float>(level));
    const double stored = static_cast<double>(static_cast<float>(level));
    const dose::DvhResult r = dose::compute_dvh(structure(shape, 1.0), d);
    ASSERT_TRUE(r.dvh) << r.error;
    const dose::StandardMetrics m = dose::standard_metrics(*r.dvh, {10, 13, 14});
    const double tol = r.dvh->bin_width_gy + 1e-6;  // Dx interpolates within one bin
    EXPECT_NEAR(m.mean_gy, stored, 1e-6);
    EXPECT_NEAR(m.min_gy, stored, 1e-6);
    EXPECT_NEAR(m.max_gy, stored, 1e-6);
    EXPECT_NEAR(m.d0_03cc_gy, stored, tol);
    EXPECT_NEAR(m.d2_gy, stored, tol);
    EXPECT_NEAR(m.d50_gy, stored, tol);
    EXPECT_NEAR(m.d95_gy, stored, tol);
    EXPECT_NEAR(m.d98_gy, stored, tol);
    ASSERT_EQ(m.v.size(), 3U);
    EXPECT_NEAR(m.v[0].volume_pct, 100.0, 1e-9);
    EXPECT_NEAR(m.v[1].volume_pct, 100.0, 1e-9);
    EXPECT_NEAR(m.v[2].volume_pct, 0.0, 1e-9);
  }
}

// ---- A dose grid covering half the structure ----

void expect_half_covered(const dose::DvhResult& r, double domain_edge_dose_gy) {
  ASSERT_TRUE(r.dvh) << r.error;
  const dose::Dvh& h = *r.dvh;
  EXPECT_FALSE(h.complete());
  EXPECT_NEAR(h.outside_grid_cc, 0.5 * h.structure_volume_cc, 1e-6 * h.structure_volume_cc);
  EXPECT_NEAR(h.sampled_volume_cc + h.outside_grid_cc, h.structure_volume_cc, 1e-9 * h.structure_volume_cc);
  EXPECT_NEAR(h.cumulative_cc.front(), h.sampled_volume_cc, 1e-9 * h.structure_volume_cc);
  EXPECT_FALSE(r.notes.empty());
  // Never extrapolated: no sampled dose below the dose at the domain's edge.
  EXPECT_GE(h.min_gy, domain_edge_dose_gy - 1e-6);
  EXPECT_NEAR(h.max_gy, 28.0, 0.3);
}

TEST(AnalyticDvh, HalfCoveredAlongZIsReportedNotExtrapolated) {
  // Planes at kCz +- 0.1, ... : the domain's lower edge at kCz is a slab boundary.
  const geom::Structure s = structure(Shape::Sphere, 0.2);
  for (const double grid : {1.0, 3.0}) {
    SCOPED_TRACE(grid);
    GridSpec g{grid};
    g.z_domain_from = kCz;
    const dose::DvhResult r = dose::compute_dvh(s, dose_grid(Axis::Z, g));
    expect_half_covered(r, 16.0);
  }
}

TEST(AnalyticDvh, HalfCoveredAlongYIsReportedNotExtrapolated) {
  // The N-gon is symmetric about y = kCy (N even, first vertex on the x axis).
  const geom::Structure s = structure(Shape::Cylinder, 1.0);
  for (const double grid : {1.0, 3.0}) {
    SCOPED_TRACE(grid);
    GridSpec g{grid};
    g.y_domain_from = kCy;
    const dose::DvhResult r = dose::compute_dvh(s, dose_grid(Axis::Y, g));
    expect_half_covered(r, 16.0);
  }
}

// ---- Contours coarser than the dose ----

TEST(AnalyticDvh, ContoursCoarserThanDoseFlag) {
  const dose::DvhResult coarse = run(structure(Shape::Sphere, 3.0), Axis::Z, 1.0);
  ASSERT_TRUE(coarse.dvh) << coarse.error;
  EXPECT_TRUE(coarse.contours_coarser_than_dose);
  EXPECT_NEAR(coarse.structure_slab_mm, 3.0, 1e-9);
  EXPECT_NEAR(coarse.dose_plane_gap_mm, 1.0, 1e-9);
  const dose::DvhResult fine = run(structure(Shape::Sphere, 1.0), Axis::Z, 3.0);
  ASSERT_TRUE(fine.dvh) << fine.error;
  EXPECT_FALSE(fine.contours_coarser_than_dose);
  const dose::DvhResult same = run(structure(Shape::Sphere, 1.0), Axis::Z, 1.0);
  ASSERT_TRUE(same.dvh) << same.error;
  EXPECT_FALSE(same.contours_coarser_than_dose);
}

// ---- Shape interpolation at 3 mm contour spacing ----
//
// Measured (docs/dvh-analytic.md, max_plane_gap_mm 0.5 -> 7 sub-planes, 0.43 mm): interpolation
// does not lower every error. Asserted where it does, for the z gradient:
//  - sphere: the model volume error (+0.78% -> +0.06%) and the largest V error (0.59 -> 0.46 pp);
//    not the D errors, dominated by D98% of the end slab, which interpolation leaves as it is (the
//    half-slab end caps are copies of the end planes);
//  - cone: the largest D error (1.31% -> 0.98%); not the volume (-0.39% -> -1.09%) nor the V
//    errors: the midpoint rule's end-slab over- and under-estimates cancel, and interpolation
//    removes one of them (the base cap stays a prism of the first plane's smaller section).
// The cylinder's plane model is exact at any spacing: interpolation must keep it so.

Comparison compare_case(const geom::Structure& s, Shape shape, Axis axis, double grid) {
  const dose::DvhResult r = run(s, axis, grid);
  EXPECT_TRUE(r.dvh) << r.error;
  if (!r.dvh) return {};
  return compare(*r.dvh, shape, axis);
}

TEST(AnalyticDvh, InterpolationReducesErrorsAtThreeMillimetreContoursWhereItCan) {
  for (const Shape shape : {Shape::Sphere, Shape::Cone}) {
    const geom::Structure plain = structure(shape, 3.0);
    const geom::InterpolatedStructure interp = geom::interpolate_planes(plain, geom::ShapeInterpolationOptions{0.5});
    ASSERT_GT(interp.planes_added, 0U);
    for (const double grid : {1.0, 2.0, 3.0}) {
      SCOPED_TRACE(to_string(shape) + " z grid " + std::to_string(grid));
      const Comparison a = compare_case(plain, shape, Axis::Z, grid);
      const Comparison b = compare_case(interp.structure, shape, Axis::Z, grid);
      if (shape == Shape::Sphere) {
        EXPECT_LT(std::abs(b.model_volume_error_pct), std::abs(a.model_volume_error_pct)) << describe(a) << describe(b);
        EXPECT_LT(b.max_v_pp, a.max_v_pp) << "plain:\n" << describe(a) << "interpolated:\n" << describe(b);
      } else {
        EXPECT_LT(b.max_d_pct, a.max_d_pct) << "plain:\n" << describe(a) << "interpolated:\n" << describe(b);
      }
      // Never much worse: within 1 pp and 1.2% model volume at 3 mm.
      EXPECT_LE(b.max_v_pp, 1.0) << describe(b);
      EXPECT_LE(std::abs(b.model_volume_error_pct), 1.2) << describe(b);
    }
  }
}

TEST(AnalyticDvh, InterpolationKeepsTheCylinderWithinTolerance) {
  const geom::Structure plain = structure(Shape::Cylinder, 3.0);
  const geom::InterpolatedStructure interp = geom::interpolate_planes(plain, geom::ShapeInterpolationOptions{0.5});
  for (const Axis axis : {Axis::Z, Axis::Y}) {
    const Comparison b = compare_case(interp.structure, Shape::Cylinder, axis, 2.0);
    EXPECT_LE(b.max_v_pp, 0.05) << describe(b);
    EXPECT_LE(b.max_d_pct, 0.2) << describe(b);
    EXPECT_NEAR(b.model_volume_error_pct, 0.0, 0.01) << describe(b);
  }
}

}  // namespace
}  // namespace rtaudit::test::analytic
