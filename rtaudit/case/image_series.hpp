#pragma once
// The geometry of an image series (CT, MR, PT) built from the per-slice headers: orientation,
// spacing, slice positions along the normal and whether they are evenly spaced. Pixel data is read
// separately and only when asked (dicom/pixel_reader.hpp).

#include "rtaudit/case/diagnostic.hpp"
#include "rtaudit/case/dicom_object.hpp"
#include "rtaudit/geom/types.hpp"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace rtaudit {

struct ImageSlice {
  std::string file;
  std::string sop_instance_uid;
  std::array<double, 3> position{};  ///< ImagePositionPatient (mm)
  double offset_mm = 0;              ///< position along the slice normal
  double rescale_slope = 1;
  double rescale_intercept = 0;
};

struct ImageSeries {
  std::string series_uid;
  std::string study_uid;
  std::string frame_of_reference_uid;
  std::string patient_id;
  std::string modality;
  std::string patient_position;
  std::array<double, 6> orientation{1, 0, 0, 0, 1, 0};
  std::array<double, 3> normal{0, 0, 1};
  std::array<double, 2> pixel_spacing{1, 1};  ///< between rows (y), between columns (x), mm
  int rows = 0;
  int columns = 0;
  std::vector<ImageSlice> slices;       ///< sorted along the normal, ascending
  std::vector<double> slice_gaps_mm;    ///< gaps between consecutive slices
  std::optional<double> uniform_spacing_mm;  ///< set when every gap equals the first within 0.01 mm
  std::optional<double> slice_thickness_mm;
  bool axial = true;  ///< orientation is axial (row along +-x, column along +-y)
  std::vector<Diagnostic> problems;

  /// The most common slice gap (mm), 0 for a single slice.
  [[nodiscard]] double typical_spacing_mm() const;
  /// Axis-aligned bounds of the imaged volume (voxel centres, plus half a voxel), in patient mm.
  [[nodiscard]] geom::Box3 bounds() const;
};

/// Groups image objects (CT, MR, PT with image plane info) by series and frame of reference and
/// builds the geometry of each. Inconsistent slices (other orientation or matrix) are reported and
/// left out of the series they disagree with.
[[nodiscard]] std::vector<ImageSeries> build_image_series(const std::vector<ObjectInfo>& objects);

}  // namespace rtaudit
