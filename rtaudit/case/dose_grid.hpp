#pragma once
// A 3-D dose distribution as an RTDOSE stores it (Gy): a stack of frames on the grid of the Image
// Plane module, in any patient orientation (ImageOrientationPatient), with GridFrameOffsetVector
// offsets along the frame normal. dose/dose_volume.hpp turns it into an axis-aligned volume.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace rtaudit {

struct DoseGrid {
  std::string sop_instance_uid;
  std::string series_uid;
  std::string referenced_plan_uid;
  std::string frame_of_reference_uid;
  std::optional<int> referenced_fraction_group;  ///< FRACTION / BEAM summation: which fraction group
  std::optional<int> referenced_beam_number;     ///< BEAM summation: which beam
  std::string patient_position;                  ///< from the RTDOSE's own header, when present
  std::array<double, 3> origin_mm{};  ///< ImagePositionPatient: centre of voxel (0, 0, frame 0 at offset 0)
  /// ImageOrientationPatient: row direction (along i, increasing column index) then column
  /// direction (along j, increasing row index), unit vectors in patient coordinates.
  std::array<double, 6> orientation{1, 0, 0, 0, 1, 0};
  double column_spacing_mm = 2.5;  ///< between columns, along the row direction (i)
  double row_spacing_mm = 2.5;     ///< between rows, along the column direction (j)
  /// Offsets of each frame from origin_mm along the normal row x column (mm), i.e. the relative
  /// form of GridFrameOffsetVector (the reader converts the absolute form). Monotonic, either way.
  std::vector<double> frame_offsets_mm;
  std::optional<double> slice_thickness_mm;  ///< SliceThickness, when given (a single-frame grid's extent)
  int columns = 0;
  int rows = 0;
  std::vector<float> dose_gy;  ///< index (k * rows + j) * columns + i, already times DoseGridScaling
  std::string dose_units = "GY";               ///< GY or RELATIVE
  std::string dose_type = "PHYSICAL";          ///< PHYSICAL, EFFECTIVE, ERROR
  std::string dose_summation_type = "PLAN";    ///< PLAN, MULTI_PLAN, FRACTION, BEAM, BRACHY, ...

  [[nodiscard]] int frames() const { return static_cast<int>(frame_offsets_mm.size()); }
  [[nodiscard]] float at(int i, int j, int k) const {
    return dose_gy[(static_cast<std::size_t>(k) * rows + j) * columns + i];
  }
  /// Patient position (mm) of the centre of voxel (i, j, k).
  [[nodiscard]] std::array<double, 3> voxel_position(int i, int j, int k) const {
    const auto& o = orientation;
    const std::array<double, 3> n{o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]};
    const double f = frame_offsets_mm[static_cast<std::size_t>(k)];
    std::array<double, 3> p{};
    for (int a = 0; a < 3; ++a)
      p[a] = origin_mm[a] + o[a] * column_spacing_mm * i + o[3 + a] * row_spacing_mm * j + n[a] * f;
    return p;
  }
};

}  // namespace rtaudit
