#pragma once
// A 3-D dose distribution on a regular axial grid (Gy), as an RTDOSE stores it.

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace rtaudit {

struct DoseGrid {
  std::string sop_instance_uid;
  std::string series_uid;
  std::string referenced_plan_uid;
  std::array<double, 3> origin_mm{};  ///< ImagePositionPatient: centre of voxel (0, 0, 0)
  std::array<double, 6> orientation{1, 0, 0, 0, 1, 0};
  double column_spacing_mm = 2.5;  ///< along x (i)
  double row_spacing_mm = 2.5;     ///< along y (j)
  std::vector<double> frame_offsets_mm;  ///< GridFrameOffsetVector, relative to origin z; ascending
  int columns = 0;
  int rows = 0;
  std::vector<float> dose_gy;  ///< index (k * rows + j) * columns + i
  std::string dose_summation_type = "PLAN";

  [[nodiscard]] int frames() const { return static_cast<int>(frame_offsets_mm.size()); }
  [[nodiscard]] float at(int i, int j, int k) const {
    return dose_gy[(static_cast<std::size_t>(k) * rows + j) * columns + i];
  }
};

}  // namespace rtaudit
