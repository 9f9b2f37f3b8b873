#pragma once
// The phantom's CT at the size of a clinical planning CT (issue 9 load tests, issue 8 benchmarks): the
// phantom writes 400 x 320 x 105 voxels, a department sends 512 x 512 x 150 or more. The same anatomy,
// padded with air in-plane (centred) and with the most caudal slice repeated below it; the voxels of the
// original keep their patient coordinates, so every structure, plan and dose still fits.

#include "rtaudit/case/image_volume.hpp"

namespace rtaudit::phantom {

/// `ct` padded to columns x rows x slices (each at least the original's). Pure.
[[nodiscard]] ImageVolume clinical_size_ct(const ImageVolume& ct, int columns = 512, int rows = 512, int slices = 150);

}  // namespace rtaudit::phantom
