#pragma once
// A dose distribution in the frame the structures live in: an axis-aligned grid of patient
// coordinates (x, y, z increasing), whatever the RTDOSE's orientation; the sum of several RTDOSE
// objects of one plan; trilinear sampling. Pure functions on value types (no I/O).
//
// Domain convention (docs/dvh.md): the grid covers the box of its voxels, i.e. the voxel centres
// extended by half a spacing on every side (half the neighbouring gap for irregular frames; half
// the SliceThickness, or 0, for a single frame). Inside the box of the centres the dose is
// trilinear; in the outer half voxel it is the nearest edge value (clamped). Outside the domain
// there is no dose: sample() gives NaN and the DVH reports the volume it could not sample, never
// an extrapolated value.

#include "rtaudit/case/dose_grid.hpp"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace rtaudit::dose {

struct DoseVolume {
  double x0_mm = 0, y0_mm = 0;   ///< centre of voxel (0, 0) of every plane
  double dx_mm = 1, dy_mm = 1;   ///< > 0
  int nx = 0, ny = 0;
  std::vector<double> z_mm;      ///< plane positions, strictly ascending (may be irregular)
  double z_half_extent_single_mm = 0;  ///< for a single plane: half its thickness (0: that plane only)
  std::vector<float> gy;         ///< index (k * ny + j) * nx + i
  std::string frame_of_reference_uid;
  std::vector<std::string> sources;  ///< SOP instance UIDs summed into this volume

  [[nodiscard]] int nz() const { return static_cast<int>(z_mm.size()); }
  [[nodiscard]] float at(int i, int j, int k) const {
    return gy[(static_cast<std::size_t>(k) * ny + j) * nx + i];
  }
  /// The domain (see above): [x_lo, x_hi] x [y_lo, y_hi] x [z_lo, z_hi].
  [[nodiscard]] double x_lo() const { return x0_mm - 0.5 * dx_mm; }
  [[nodiscard]] double x_hi() const { return x0_mm + (nx - 0.5) * dx_mm; }
  [[nodiscard]] double y_lo() const { return y0_mm - 0.5 * dy_mm; }
  [[nodiscard]] double y_hi() const { return y0_mm + (ny - 0.5) * dy_mm; }
  [[nodiscard]] double z_lo() const {
    if (z_mm.empty()) return 0;
    return z_mm.size() == 1 ? z_mm[0] - z_half_extent_single_mm : z_mm[0] - 0.5 * (z_mm[1] - z_mm[0]);
  }
  [[nodiscard]] double z_hi() const {
    if (z_mm.empty()) return 0;
    const std::size_t n = z_mm.size();
    return n == 1 ? z_mm[0] + z_half_extent_single_mm : z_mm[n - 1] + 0.5 * (z_mm[n - 1] - z_mm[n - 2]);
  }
  /// Largest gap between neighbouring planes (0 for a single plane).
  [[nodiscard]] double max_plane_gap_mm() const {
    double g = 0;
    for (std::size_t k = 1; k < z_mm.size(); ++k) g = std::max(g, z_mm[k] - z_mm[k - 1]);
    return g;
  }
  [[nodiscard]] double max_gy() const {
    float m = 0;
    for (const float v : gy) m = std::max(m, v);
    return m;
  }
};

struct DoseVolumeResult {
  std::optional<DoseVolume> volume;
  std::string error;                 ///< why there is no volume (oblique orientation, empty grid, ...)
  std::vector<std::string> notes;    ///< e.g. "frames reversed (HFP)", "RELATIVE dose units"
};

/// The grid in patient axes. Every ImageOrientationPatient whose row and column directions lie
/// along patient axes (within 1e-4: HFS, FFS, HFP, FFP, HFDL, HFDR, FFDL, FFDR and the like) is
/// exact (a permutation and reversal of indices); an oblique orientation, a normal that is not
/// along z, a non-monotonic frame offset vector or a dose array of the wrong size is an error.
[[nodiscard]] DoseVolumeResult to_dose_volume(const DoseGrid& grid);

/// Sums the RTDOSE objects of one plan voxel by voxel after checking that they may be summed:
/// same frame of reference, same grid (positions within 0.01 mm), Gy (not RELATIVE), not a PLAN
/// dose together with its own BEAM or FRACTION parts (that would count the dose twice), not the
/// same SOP instance twice. Anything else is an error naming the objects and the difference;
/// grids are never resampled silently. One input gives it back unchanged.
[[nodiscard]] DoseVolumeResult sum_doses(const std::vector<DoseGrid>& grids);

/// Dose (Gy) at a patient point: trilinear inside the box of the voxel centres, clamped in the
/// outer half voxel, NaN outside the domain.
[[nodiscard]] double sample(const DoseVolume& v, double x_mm, double y_mm, double z_mm);

/// True when the point lies in the domain.
[[nodiscard]] bool covers(const DoseVolume& v, double x_mm, double y_mm, double z_mm);

}  // namespace rtaudit::dose
