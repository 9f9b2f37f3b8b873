// Dose grids in patient axes (to_dose_volume), their sums (sum_doses) and trilinear sampling.

#include "rtaudit/dose/dose_volume.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace rtaudit::dose {
namespace {

using ::testing::HasSubstr;

/// The eight patient-position orientations of pymedphys' synthetic RTDOSE set.
const std::vector<std::pair<std::string, std::array<double, 6>>> kOrientations{
    {"HFS", {1, 0, 0, 0, 1, 0}},   {"HFP", {-1, 0, 0, 0, -1, 0}}, {"FFS", {-1, 0, 0, 0, 1, 0}},
    {"FFP", {1, 0, 0, 0, -1, 0}},  {"HFDL", {0, -1, 0, 1, 0, 0}}, {"HFDR", {0, 1, 0, -1, 0, 0}},
    {"FFDL", {0, 1, 0, 1, 0, 0}},  {"FFDR", {0, -1, 0, -1, 0, 0}},
};

double linear(double x, double y, double z) { return 5 + 0.02 * x - 0.03 * y + 0.05 * z; }

/// A grid whose every voxel holds f(voxel position).
template <typename F>
DoseGrid grid_of(const std::array<double, 6>& iop, std::vector<double> offsets, F f, int columns = 5, int rows = 4) {
  DoseGrid g;
  g.sop_instance_uid = "1.2.3.100";
  g.frame_of_reference_uid = "1.2.3.9";
  g.referenced_plan_uid = "1.2.3.50";
  g.orientation = iop;
  g.origin_mm = {12.5, -30, 40};
  g.column_spacing_mm = 3;  // along the row direction
  g.row_spacing_mm = 2;     // along the column direction
  g.columns = columns;
  g.rows = rows;
  g.frame_offsets_mm = std::move(offsets);
  for (int k = 0; k < g.frames(); ++k)
    for (int j = 0; j < rows; ++j)
      for (int i = 0; i < columns; ++i) {
        const auto p = g.voxel_position(i, j, k);
        g.dose_gy.push_back(static_cast<float>(f(p[0], p[1], p[2])));
      }
  return g;
}

DoseGrid linear_grid(const std::array<double, 6>& iop, std::vector<double> offsets = {0, 2.5, 5, 7.5}) {
  return grid_of(iop, std::move(offsets), linear);
}

TEST(DoseVolume, EveryPatientOrientationIsExactInPatientAxes) {
  for (const auto& [name, iop] : kOrientations) {
    for (const auto& offsets : {std::vector<double>{0, 2.5, 5, 7.5}, std::vector<double>{0, -2, -5, -10}}) {
      SCOPED_TRACE(name + (offsets[1] < 0 ? " descending" : " ascending"));
      const DoseGrid g = linear_grid(iop, offsets);
      const DoseVolumeResult r = to_dose_volume(g);
      ASSERT_TRUE(r.volume) << r.error;
      const DoseVolume& v = *r.volume;
      EXPECT_EQ(v.frame_of_reference_uid, "1.2.3.9");
      EXPECT_EQ(v.sources, (std::vector<std::string>{"1.2.3.100"}));
      // Spacing follows the axis each index runs along.
      const bool decubitus = iop[0] == 0;
      EXPECT_EQ(v.dx_mm, decubitus ? 2.0 : 3.0);
      EXPECT_EQ(v.dy_mm, decubitus ? 3.0 : 2.0);
      EXPECT_EQ(v.nx, decubitus ? 4 : 5);
      for (std::size_t k = 1; k < v.z_mm.size(); ++k) EXPECT_LT(v.z_mm[k - 1], v.z_mm[k]);
      // Every stored voxel is found at its own position, with its own value.
      for (int k = 0; k < g.frames(); ++k)
        for (int j = 0; j < g.rows; ++j)
          for (int i = 0; i < g.columns; ++i) {
            const auto p = g.voxel_position(i, j, k);
            EXPECT_NEAR(sample(v, p[0], p[1], p[2]), g.at(i, j, k), 1e-12);
          }
      // Trilinear is exact for a linear dose anywhere in the box of the centres.
      std::mt19937 rng(7);
      std::uniform_real_distribution<double> ux(v.x0_mm, v.x0_mm + (v.nx - 1) * v.dx_mm);
      std::uniform_real_distribution<double> uy(v.y0_mm, v.y0_mm + (v.ny - 1) * v.dy_mm);
      std::uniform_real_distribution<double> uz(v.z_mm.front(), v.z_mm.back());
      for (int n = 0; n < 200; ++n) {
        const double x = ux(rng), y = uy(rng), z = uz(rng);
        EXPECT_NEAR(sample(v, x, y, z), linear(x, y, z), 2e-6) << x << "," << y << "," << z;
      }
    }
  }
}

TEST(DoseVolume, IrregularPlanesAreInterpolatedBetweenTheirNeighbours) {
  const DoseGrid g = linear_grid({1, 0, 0, 0, 1, 0}, {0, 2, 5, 10, 10.5});
  const DoseVolumeResult r = to_dose_volume(g);
  ASSERT_TRUE(r.volume) << r.error;
  const DoseVolume& v = *r.volume;
  EXPECT_EQ(v.z_mm, (std::vector<double>{40, 42, 45, 50, 50.5}));
  EXPECT_EQ(v.max_plane_gap_mm(), 5);
  for (const double z : {40.0, 41.0, 43.7, 45.0, 49.99, 50.25, 50.5})
    EXPECT_NEAR(sample(v, 15.5, -27, z), linear(15.5, -27, z), 2e-6) << z;
  // The domain: half the neighbouring gap beyond the end planes.
  EXPECT_EQ(v.z_lo(), 39);
  EXPECT_EQ(v.z_hi(), 50.75);
}

TEST(DoseVolume, OuterHalfVoxelIsClampedAndOutsideIsNaN) {
  const DoseGrid g = linear_grid({1, 0, 0, 0, 1, 0});
  const DoseVolume v = *to_dose_volume(g).volume;
  // Centres: x 12.5 .. 24.5, y -30 .. -24, z 40 .. 47.5. Box: x 11 .. 26, y -31 .. -23, z 38.75 .. 48.75.
  EXPECT_EQ(v.x_lo(), 11);
  EXPECT_EQ(v.x_hi(), 26);
  EXPECT_EQ(v.y_lo(), -31);
  EXPECT_EQ(v.y_hi(), -23);
  EXPECT_EQ(v.z_lo(), 38.75);
  EXPECT_EQ(v.z_hi(), 48.75);
  const double y = -27.3, z = 44.1;
  // Clamped: the value at the edge centre, however far into the outer half voxel.
  EXPECT_NEAR(sample(v, 11.2, y, z), linear(12.5, y, z), 2e-6);
  EXPECT_NEAR(sample(v, 11.0, y, z), linear(12.5, y, z), 2e-6);
  EXPECT_NEAR(sample(v, 25.9, y, z), linear(24.5, y, z), 2e-6);
  EXPECT_NEAR(sample(v, 20, -30.8, z), linear(20, -30, z), 2e-6);
  EXPECT_NEAR(sample(v, 20, y, 48.7), linear(20, y, 47.5), 2e-6);
  EXPECT_NEAR(sample(v, 26, -23, 48.75), linear(24.5, -24, 47.5), 2e-6);  // the far corner of the domain
  EXPECT_TRUE(covers(v, 26, -23, 48.75));
  // Outside: no dose.
  for (const auto& p : std::vector<std::array<double, 3>>{
           {10.99, y, z}, {26.01, y, z}, {20, -31.01, z}, {20, -22.99, z}, {20, y, 38.7}, {20, y, 48.8}}) {
    EXPECT_TRUE(std::isnan(sample(v, p[0], p[1], p[2]))) << p[0] << "," << p[1] << "," << p[2];
    EXPECT_FALSE(covers(v, p[0], p[1], p[2]));
  }
  EXPECT_TRUE(std::isnan(sample(v, std::nan(""), y, z)));
}

TEST(DoseVolume, SinglePlaneDomainIsItsSliceThickness) {
  DoseGrid g = linear_grid({1, 0, 0, 0, 1, 0}, {0});
  {
    const DoseVolume v = *to_dose_volume(g).volume;
    EXPECT_EQ(v.z_lo(), 40);
    EXPECT_EQ(v.z_hi(), 40);
    EXPECT_TRUE(covers(v, 20, -27, 40));
    EXPECT_FALSE(covers(v, 20, -27, 40.01));
    EXPECT_NEAR(sample(v, 20, -27, 40), linear(20, -27, 40), 2e-6);
  }
  g.slice_thickness_mm = 3;
  const DoseVolume v = *to_dose_volume(g).volume;
  EXPECT_EQ(v.z_half_extent_single_mm, 1.5);
  EXPECT_NEAR(sample(v, 20, -27, 41.4), linear(20, -27, 40), 2e-6);
  EXPECT_TRUE(std::isnan(sample(v, 20, -27, 41.6)));
}

TEST(DoseVolume, NotesSayWhatWasReordered) {
  const DoseVolumeResult hfs = to_dose_volume(linear_grid({1, 0, 0, 0, 1, 0}));
  EXPECT_TRUE(hfs.notes.empty());
  const DoseVolumeResult ffdr = to_dose_volume(linear_grid({0, -1, 0, -1, 0, 0}));
  ASSERT_TRUE(ffdr.volume);
  EXPECT_THAT(ffdr.notes, ::testing::Contains(HasSubstr("rows and columns exchanged")));
  EXPECT_THAT(ffdr.notes, ::testing::Contains(HasSubstr("x reversed")));
  EXPECT_THAT(ffdr.notes, ::testing::Contains(HasSubstr("y reversed")));
  EXPECT_THAT(ffdr.notes, ::testing::Contains(HasSubstr("frames reversed")));
  DoseGrid relative = linear_grid({1, 0, 0, 0, 1, 0});
  relative.dose_units = "RELATIVE";
  EXPECT_THAT(to_dose_volume(relative).notes, ::testing::Contains(HasSubstr("RELATIVE")));
}

TEST(DoseVolume, RoundedDirectionCosinesAreThePatientAxes) {
  const DoseGrid exact = linear_grid({0, -1, 0, 1, 0, 0});
  DoseGrid rounded = exact;
  rounded.orientation = {0.00001, -0.99999, 0, 0.99999, 0.00001, 0};
  const DoseVolume a = *to_dose_volume(exact).volume;
  const DoseVolumeResult b = to_dose_volume(rounded);
  ASSERT_TRUE(b.volume) << b.error;
  EXPECT_EQ(b.volume->x0_mm, a.x0_mm);
  EXPECT_EQ(b.volume->y0_mm, a.y0_mm);
  EXPECT_EQ(b.volume->z_mm, a.z_mm);
  EXPECT_EQ(b.volume->gy, a.gy);
}

TEST(DoseVolume, GridsThatCannotBePutInPatientAxesAreErrors) {
  DoseGrid oblique = linear_grid({1, 0, 0, 0, 1, 0});
  oblique.orientation = {0.8, 0.6, 0, -0.6, 0.8, 0};
  EXPECT_THAT(to_dose_volume(oblique).error, HasSubstr("is oblique"));
  DoseGrid sagittal = linear_grid({1, 0, 0, 0, 1, 0});
  sagittal.orientation = {0, 1, 0, 0, 0, -1};
  EXPECT_THAT(to_dose_volume(sagittal).error, HasSubstr("not axial (their normal is along x"));
  DoseGrid coronal = linear_grid({1, 0, 0, 0, 1, 0});
  coronal.orientation = {1, 0, 0, 0, 0, -1};
  EXPECT_THAT(to_dose_volume(coronal).error, HasSubstr("normal is along y"));
  DoseGrid back = linear_grid({1, 0, 0, 0, 1, 0});
  back.frame_offsets_mm = {0, 5, 2.5, 7.5};
  EXPECT_THAT(to_dose_volume(back).error, HasSubstr("not strictly monotonic (frame 2"));
  DoseGrid short_grid = linear_grid({1, 0, 0, 0, 1, 0});
  short_grid.dose_gy.pop_back();
  EXPECT_THAT(to_dose_volume(short_grid).error, HasSubstr("79 doses for 5 x 4 x 4 = 80 voxels"));
  EXPECT_THAT(to_dose_volume(DoseGrid{}).error, HasSubstr("empty dose grid"));
}

// ---------------------------------------------------------------------------------------------
// Sums.

DoseGrid beam_dose(int beam, const std::string& uid, double scale) {
  DoseGrid g = grid_of({1, 0, 0, 0, 1, 0}, {0, 2.5, 5}, [&](double x, double y, double z) {
    return scale * (1 + 0.1 * x + 0.01 * y * y + 0.001 * z);
  });
  g.sop_instance_uid = uid;
  g.dose_summation_type = "BEAM";
  g.referenced_fraction_group = 1;
  g.referenced_beam_number = beam;
  return g;
}

TEST(SumDoses, PerBeamGridsSumVoxelByVoxel) {
  const DoseGrid a = beam_dose(1, "1.2.3.101", 1.0);
  const DoseGrid b = beam_dose(2, "1.2.3.102", 0.7);
  const DoseVolumeResult r = sum_doses({a, b});
  ASSERT_TRUE(r.volume) << r.error;
  const DoseVolume& v = *r.volume;
  EXPECT_EQ(v.sources, (std::vector<std::string>{"1.2.3.101", "1.2.3.102"}));
  for (int k = 0; k < 3; ++k)
    for (int j = 0; j < 4; ++j)
      for (int i = 0; i < 5; ++i)
        EXPECT_FLOAT_EQ(v.at(i, j, k), static_cast<float>(static_cast<double>(a.at(i, j, k)) + b.at(i, j, k)));
  // One input gives it back unchanged.
  const DoseVolumeResult one = sum_doses({a});
  ASSERT_TRUE(one.volume);
  EXPECT_EQ(one.volume->gy, to_dose_volume(a).volume->gy);
  EXPECT_THAT(sum_doses({}).error, HasSubstr("no RTDOSE"));
}

TEST(SumDoses, TheSamePointsInAnotherOrientationAreTheSameGrid) {
  // An HFS grid and an FFDL grid (rows along y, frames toward -z) over the same voxel centres.
  DoseGrid hfs = beam_dose(1, "1.2.3.101", 1.0);
  DoseGrid ffdl = hfs;
  ffdl.sop_instance_uid = "1.2.3.102";
  ffdl.referenced_beam_number = 2;
  ffdl.orientation = {0, 1, 0, 1, 0, 0};
  ffdl.origin_mm = {12.5, -30, 45};
  ffdl.column_spacing_mm = 2;
  ffdl.row_spacing_mm = 3;
  ffdl.columns = 4;
  ffdl.rows = 5;
  ffdl.dose_gy.clear();
  for (int k = 0; k < 3; ++k)
    for (int j = 0; j < 5; ++j)
      for (int i = 0; i < 4; ++i) ffdl.dose_gy.push_back(hfs.at(j, i, 2 - k));
  const DoseVolumeResult r = sum_doses({hfs, ffdl});
  ASSERT_TRUE(r.volume) << r.error;
  const DoseVolume h = *to_dose_volume(hfs).volume;
  for (std::size_t n = 0; n < h.gy.size(); ++n) EXPECT_FLOAT_EQ(r.volume->gy[n], 2 * h.gy[n]);
}

TEST(SumDoses, WhatMayNotBeSummedIsAnErrorNamingTheDifference) {
  const DoseGrid a = beam_dose(1, "1.2.3.101", 1.0);
  {
    DoseGrid b = beam_dose(2, "1.2.3.102", 1.0);
    b.origin_mm[0] += 0.02;
    EXPECT_THAT(sum_doses({a, b}).error,
                HasSubstr("the voxel centres of RTDOSE 1.2.3.102 (#2) are up to 0.02 mm from those of RTDOSE 1.2.3.101 (#1)"));
    b.origin_mm[0] -= 0.015;  // 0.005 mm: the same grid
    EXPECT_TRUE(sum_doses({a, b}).volume);
  }
  {
    DoseGrid b = beam_dose(2, "1.2.3.102", 1.0);
    b.frame_offsets_mm = {0, 2.5, 5.02};
    EXPECT_THAT(sum_doses({a, b}).error, HasSubstr("up to 0.02 mm"));
  }
  {
    DoseGrid b = grid_of({1, 0, 0, 0, 1, 0}, {0, 2.5, 5}, linear, 6, 4);
    b.sop_instance_uid = "1.2.3.102";
    b.referenced_plan_uid = "1.2.3.60";
    EXPECT_THAT(sum_doses({a, b}).error, HasSubstr("is a 6 x 4 x 3 grid but RTDOSE 1.2.3.101 (#1) is 5 x 4 x 3"));
  }
  {
    DoseGrid b = beam_dose(2, "1.2.3.102", 1.0);
    b.frame_of_reference_uid = "1.2.3.8";
    EXPECT_THAT(sum_doses({a, b}).error, HasSubstr("RTDOSE 1.2.3.102 (#2) is in frame of reference '1.2.3.8' but"));
  }
  {
    DoseGrid b = beam_dose(2, "1.2.3.102", 1.0);
    b.dose_units = "RELATIVE";
    EXPECT_THAT(sum_doses({a, b}).error, HasSubstr("RTDOSE 1.2.3.102 (#2) has DoseUnits RELATIVE"));
  }
  {
    DoseGrid plan = beam_dose(0, "1.2.3.103", 2.0);
    plan.dose_summation_type = "PLAN";
    plan.referenced_beam_number.reset();
    EXPECT_THAT(sum_doses({plan, a}).error,
                HasSubstr("RTDOSE 1.2.3.103 (#1) is a PLAN dose and RTDOSE 1.2.3.101 (#2) a BEAM dose of the same plan "
                          "1.2.3.50: summing a plan with its own parts counts the dose twice"));
    // A PLAN dose of another plan may be added to this plan's beams (a plan sum).
    plan.referenced_plan_uid = "1.2.3.70";
    EXPECT_TRUE(sum_doses({plan, a}).volume);
    // Two PLAN doses of one plan: the plan twice.
    DoseGrid again = plan;
    again.sop_instance_uid = "1.2.3.104";
    EXPECT_THAT(sum_doses({plan, again}).error, HasSubstr("both PLAN doses of the same plan 1.2.3.70"));
  }
  {
    DoseGrid fraction = beam_dose(0, "1.2.3.105", 1.0);
    fraction.dose_summation_type = "FRACTION";
    fraction.referenced_beam_number.reset();
    EXPECT_THAT(sum_doses({a, fraction}).error, HasSubstr("cover the same fraction group 1 of plan 1.2.3.50"));
    fraction.referenced_fraction_group = 2;
    EXPECT_TRUE(sum_doses({a, fraction}).volume);
  }
  {
    DoseGrid b = beam_dose(1, "1.2.3.106", 1.0);
    EXPECT_THAT(sum_doses({a, b}).error, HasSubstr("both the BEAM dose of beam 1 of plan 1.2.3.50"));
  }
  EXPECT_THAT(sum_doses({a, a}).error,
              HasSubstr("RTDOSE 1.2.3.101 (#1) and RTDOSE 1.2.3.101 (#2) are the same SOP instance 1.2.3.101"));
  {
    DoseGrid b = beam_dose(2, "1.2.3.102", 1.0);
    b.dose_type = "EFFECTIVE";
    EXPECT_THAT(sum_doses({a, b}).error, HasSubstr("has DoseType EFFECTIVE but"));
  }
  {
    DoseGrid b = beam_dose(2, "1.2.3.102", 1.0);
    b.orientation = {0.8, 0.6, 0, -0.6, 0.8, 0};
    EXPECT_THAT(sum_doses({a, b}).error, HasSubstr("RTDOSE 1.2.3.102 (#2): ImageOrientationPatient"));
  }
}

}  // namespace
}  // namespace rtaudit::dose
