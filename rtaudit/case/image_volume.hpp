#pragma once
// Voxel values of an image series, rescaled (Hounsfield units for CT), with the geometry that
// places each voxel in patient coordinates.

#include "rtaudit/case/diagnostic.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace rtaudit {

struct ImageVolume {
  int columns = 0;  ///< i, along the row direction
  int rows = 0;     ///< j, along the column direction
  int slices = 0;   ///< k, along the slice normal, ascending
  std::array<double, 6> orientation{1, 0, 0, 0, 1, 0};
  std::array<double, 2> pixel_spacing{1, 1};  ///< between rows, between columns (mm)
  std::vector<std::array<double, 3>> slice_positions;  ///< ImagePositionPatient of each slice
  std::vector<std::int16_t> values;  ///< rescaled values, index (k * rows + j) * columns + i
  std::vector<Diagnostic> problems;

  [[nodiscard]] std::int16_t at(int i, int j, int k) const {
    return values[(static_cast<std::size_t>(k) * rows + j) * columns + i];
  }
  /// Patient coordinates (mm) of the centre of voxel (i, j, k).
  [[nodiscard]] std::array<double, 3> position(double i, double j, int k) const {
    const auto& o = slice_positions[static_cast<std::size_t>(k)];
    return {o[0] + orientation[0] * i * pixel_spacing[1] + orientation[3] * j * pixel_spacing[0],
            o[1] + orientation[1] * i * pixel_spacing[1] + orientation[4] * j * pixel_spacing[0],
            o[2] + orientation[2] * i * pixel_spacing[1] + orientation[5] * j * pixel_spacing[0]};
  }
};

}  // namespace rtaudit
