// DVH basics (dose/dvh.hpp) with closed forms: a box in a dose linear along x, y or z (the
// cumulative DVH is linear between the box's extreme doses), a uniform dose, a grid covering half the
// structure, and the metric functions on the curve.

#include "rtaudit/dose/dvh.hpp"

#include "tests/support/shapes.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace rtaudit::dose {
namespace {

// Dose = c + g . p on a regular grid of spacing h covering [-40, 40]^2 x [-30, 30].
DoseVolume linear(double c, double gx, double gy, double gz, double h) {
  DoseVolume v;
  v.x0_mm = v.y0_mm = -40;
  v.dx_mm = v.dy_mm = h;
  v.nx = v.ny = static_cast<int>(std::lround(80 / h)) + 1;
  for (double z = -30; z <= 30 + 1e-9; z += h) v.z_mm.push_back(z);
  v.gy.resize(static_cast<std::size_t>(v.nx) * v.ny * v.z_mm.size());
  for (int k = 0; k < v.nz(); ++k)
    for (int j = 0; j < v.ny; ++j)
      for (int i = 0; i < v.nx; ++i)
        v.gy[(static_cast<std::size_t>(k) * v.ny + j) * v.nx + i] =
            static_cast<float>(c + gx * (v.x0_mm + i * h) + gy * (v.y0_mm + j * h) + gz * v.z_mm[static_cast<std::size_t>(k)]);
  return v;
}

// The box [-10, 10] x [-5, 5] x [-6, 6] (planes every 1 mm at -5.5 ... 5.5): 2.4 cc.
geom::Structure box() {
  std::vector<geom::Contour> c;
  for (double z = -5.5; z <= 5.5 + 1e-9; z += 1) c.push_back(test::rectangle(-10, -5, 10, 5, z));
  return geom::build_structure(c).structure;
}

TEST(Dvh, BoxInALinearDoseAlongEachAxisGivesTheLinearCumulativeCurve) {
  const geom::Structure s = box();
  struct Case {
    double gx, gy, gz, lo, hi;
  };
  for (const Case& c : {Case{0.5, 0, 0, 5, 15}, Case{0, 1, 0, 5, 15}, Case{0, 0, 1, 4, 16}}) {
    for (const double h : {1.0, 2.5, 3.0}) {
      SCOPED_TRACE(testing::Message() << c.gx << " " << c.gy << " " << c.gz << " grid " << h);
      const DvhResult r = compute_dvh(s, linear(10, c.gx, c.gy, c.gz, h));
      ASSERT_TRUE(r.dvh) << r.error;
      const Dvh& d = *r.dvh;
      EXPECT_NEAR(d.structure_volume_cc, 2.4, 1e-12);
      EXPECT_TRUE(d.complete());
      EXPECT_NEAR(d.mean_gy, 10, 1e-4);
      EXPECT_NEAR(d.min_gy, c.lo, 1e-4);
      EXPECT_NEAR(d.max_gy, c.hi, 1e-4);
      // V(>= D) = 2.4 (hi - D) / (hi - lo) in between.
      for (const double gy : {c.lo + 0.3, 9.0, 10.0, 12.7, c.hi - 0.2})
        EXPECT_NEAR(volume_at_dose_cc(d, gy), 2.4 * (c.hi - gy) / (c.hi - c.lo), 2e-4) << gy;
      EXPECT_NEAR(dose_at_volume_pct(d, 50), 10, 2e-3);
      EXPECT_NEAR(dose_at_volume_pct(d, 95), c.lo + 0.05 * (c.hi - c.lo), 2e-3);
      EXPECT_NEAR(dose_at_volume_pct(d, 2), c.lo + 0.98 * (c.hi - c.lo), 2e-3);
      EXPECT_NEAR(dose_at_volume_cc(d, 0.03), c.hi - 0.03 / 2.4 * (c.hi - c.lo), 2e-3);
    }
  }
}

TEST(Dvh, UniformDoseGivesThatDoseForEveryMetric) {
  const DvhResult r = compute_dvh(box(), linear(7.25, 0, 0, 0, 2.5));
  ASSERT_TRUE(r.dvh);
  const StandardMetrics m = standard_metrics(*r.dvh);
  for (const double v : {m.mean_gy, m.min_gy, m.max_gy, m.d0_03cc_gy, m.d2_gy, m.d50_gy, m.d95_gy, m.d98_gy}) EXPECT_NEAR(v, 7.25, 0.011);
  EXPECT_NEAR(volume_at_dose_pct(*r.dvh, 7.2), 100, 1e-9);
  EXPECT_NEAR(volume_at_dose_pct(*r.dvh, 7.3), 0, 1e-9);
}

TEST(Dvh, AGridCoveringHalfTheStructureIsReportedNotExtrapolated) {
  DoseVolume v = linear(10, 0, 0, 0, 1);
  // Keep the planes up to z = 0 (domain ends at z = 0.5).
  std::size_t keep = 0;
  while (keep < v.z_mm.size() && v.z_mm[keep] <= 0) ++keep;
  v.z_mm.resize(keep);
  v.gy.resize(keep * static_cast<std::size_t>(v.nx) * v.ny);
  const DvhResult r = compute_dvh(box(), v);
  ASSERT_TRUE(r.dvh);
  EXPECT_FALSE(r.dvh->complete());
  EXPECT_NEAR(r.dvh->structure_volume_cc, 2.4, 1e-12);
  EXPECT_NEAR(r.dvh->outside_grid_cc, 2.4 * 5.5 / 12, 1e-9);  // z in (0.5, 6] is outside
  EXPECT_FALSE(r.notes.empty());
}

TEST(Dvh, StructureOutsideTheGridOrEmptyIsAnError) {
  DoseVolume v = linear(10, 0, 0, 0, 1);
  v.z_mm = {100, 101};
  v.gy.resize(2 * static_cast<std::size_t>(v.nx) * v.ny);
  EXPECT_FALSE(compute_dvh(box(), v).dvh);
  EXPECT_FALSE(compute_dvh(geom::Structure{}, v).dvh);
}

TEST(Dvh, ContoursCoarserThanTheDosePlanesAreFlagged) {
  std::vector<geom::Contour> c;
  for (double z = -6; z <= 6 + 1e-9; z += 3) c.push_back(test::rectangle(-10, -5, 10, 5, z));
  const geom::Structure coarse = geom::build_structure(c).structure;
  EXPECT_TRUE(compute_dvh(coarse, linear(10, 0, 0, 1, 1)).contours_coarser_than_dose);
  EXPECT_FALSE(compute_dvh(box(), linear(10, 0, 0, 1, 3)).contours_coarser_than_dose);
}

}  // namespace
}  // namespace rtaudit::dose
