#pragma once
// Pixel data, read only when a caller asks for it (the folder scan stops before Pixel Data).

#include "rtaudit/case/image_series.hpp"
#include "rtaudit/case/image_volume.hpp"

namespace rtaudit::dicom {

/// Reads every slice of the series, decompressing RLE / JPEG / JPEG-LS where needed, and applies
/// RescaleSlope / RescaleIntercept. A slice that cannot be read is reported and filled with the
/// lowest value (-1024 for CT) so the volume keeps its geometry.
[[nodiscard]] ImageVolume read_image_volume(const ImageSeries& series);

}  // namespace rtaudit::dicom
