#include "rtaudit/phantom/clinical_size_ct.hpp"

#include <algorithm>
#include <stdexcept>

namespace rtaudit::phantom {

ImageVolume clinical_size_ct(const ImageVolume& s, int columns, int rows, int slices) {
  if (columns < s.columns || rows < s.rows || slices < s.slices || s.slices < 2) {
    throw std::invalid_argument("clinical_size_ct: the size must hold the original CT (of at least 2 slices)");
  }
  ImageVolume v = s;
  v.columns = columns, v.rows = rows, v.slices = slices;
  const int di = (columns - s.columns) / 2, dj = (rows - s.rows) / 2;
  const int extra = slices - s.slices;  // slices added below (caudal to) the original
  v.values.assign(static_cast<std::size_t>(columns) * static_cast<std::size_t>(rows) * static_cast<std::size_t>(slices), -1000);
  v.slice_positions.clear();
  const auto& first = s.slice_positions.front();
  const double dz = s.slice_positions[1][2] - first[2];
  // The in-plane origin moves by the padding along the row and column directions (axial: x and y).
  const double ox = -di * s.orientation[0] * s.pixel_spacing[1] - dj * s.orientation[3] * s.pixel_spacing[0];
  const double oy = -di * s.orientation[1] * s.pixel_spacing[1] - dj * s.orientation[4] * s.pixel_spacing[0];
  for (int k = 0; k < slices; ++k) {
    const int src = std::max(0, k - extra);
    const auto& p = s.slice_positions[static_cast<std::size_t>(src)];
    v.slice_positions.push_back({p[0] + ox, p[1] + oy, k >= extra ? p[2] : first[2] + (k - extra) * dz});
    for (int j = 0; j < s.rows; ++j) {
      const auto* from = &s.values[(static_cast<std::size_t>(src) * static_cast<std::size_t>(s.rows) + static_cast<std::size_t>(j)) *
                                   static_cast<std::size_t>(s.columns)];
      auto* to = &v.values[(static_cast<std::size_t>(k) * static_cast<std::size_t>(rows) + static_cast<std::size_t>(j + dj)) *
                               static_cast<std::size_t>(columns) + static_cast<std::size_t>(di)];
      std::copy(from, from + s.columns, to);
    }
  }
  return v;
}

}  // namespace rtaudit::phantom
