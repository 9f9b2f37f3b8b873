// phantom::clinical_size_ct: the phantom's CT padded to 512 x 512 x 150 keeps every voxel at its patient
// coordinates, is air around, and repeats the most caudal slice below.
#include "rtaudit/phantom/clinical_size_ct.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace rtaudit::phantom {
namespace {

ImageVolume small_ct() {
  ImageVolume v;
  v.columns = 4, v.rows = 3, v.slices = 2;
  v.pixel_spacing = {2.0, 1.5};  // between rows (y), between columns (x)
  v.slice_positions = {{-10, -20, 5}, {-10, -20, 7.5}};
  for (int k = 0; k < 2; ++k)
    for (int j = 0; j < 3; ++j)
      for (int i = 0; i < 4; ++i) v.values.push_back(static_cast<std::int16_t>(100 * k + 10 * j + i));
  return v;
}

TEST(ClinicalSizeCt, EveryOriginalVoxelKeepsItsPatientPositionAndTheRestIsAirOrTheCaudalSlice) {
  const ImageVolume s = small_ct();
  const ImageVolume v = clinical_size_ct(s, 9, 6, 5);
  ASSERT_EQ(v.columns, 9);
  ASSERT_EQ(v.rows, 6);
  ASSERT_EQ(v.slices, 5);
  ASSERT_EQ(v.values.size(), 9u * 6u * 5u);
  ASSERT_EQ(v.slice_positions.size(), 5u);
  const int di = 2, dj = 1, extra = 3;
  for (int k = 0; k < 2; ++k)
    for (int j = 0; j < 3; ++j)
      for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(v.at(i + di, j + dj, k + extra), s.at(i, j, k));
        const auto a = s.position(i, j, k), b = v.position(i + di, j + dj, k + extra);
        for (int c = 0; c < 3; ++c) EXPECT_NEAR(a[static_cast<std::size_t>(c)], b[static_cast<std::size_t>(c)], 1e-9);
      }
  // Below the original: the caudal slice again, 2.5 mm apart, further caudal.
  EXPECT_NEAR(v.slice_positions[0][2], 5 - 3 * 2.5, 1e-9);
  EXPECT_EQ(v.at(2 + 3, 1 + 2, 0), s.at(3, 2, 0));
  // Around it: air.
  EXPECT_EQ(v.at(0, 0, 4), -1000);
  EXPECT_EQ(v.at(8, 5, 4), -1000);
  EXPECT_THROW((void)clinical_size_ct(s, 3, 6, 5), std::invalid_argument);
}

}  // namespace
}  // namespace rtaudit::phantom
