#pragma once
// Writing an image volume as a CT Image Storage series: one file per slice, explicit VR little
// endian with file meta information.
//
// Pixels: the volume's values (HU) stored as they are, signed 16-bit (PixelRepresentation 1,
// BitsStored 16), RescaleIntercept 0, RescaleSlope 1, RescaleType HU.

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "rtaudit/case/image_volume.hpp"
#include "rtaudit/case/study.hpp"

namespace rtaudit::dicom {

struct CtSeriesOptions {
  std::string series_uid;
  int series_number = 1;
  std::string series_description;
  /// SOP Instance UID of slice k (0-based, ascending) is make_uid(uid_key_prefix + "/ct/" + (k + 1)).
  std::string uid_key_prefix;
  double kvp = 120;
  /// SliceThickness; when empty, the gap between the first two slices (or 1 mm for one slice).
  std::optional<double> slice_thickness_mm;
  /// When set, the Contrast/Bolus module is written with this ContrastBolusAgent (e.g. "IODINE").
  std::optional<std::string> contrast_agent;
  /// File name of slice k is fmt::format("{}{:04}.dcm", file_prefix, k + 1).
  std::string file_prefix = "CT";
  /// BodyPartExamined (General Series); an unpaired part such as CHEST leaves Laterality out.
  std::string body_part_examined = "CHEST";
  double window_center = 40;
  double window_width = 400;
};

/// One slice as written, and what a structure set needs to reference it.
struct CtSliceRef {
  std::filesystem::path file;
  std::string sop_instance_uid;
  std::array<double, 3> position{};  ///< ImagePositionPatient (mm)
};

struct CtSeriesResult {
  std::vector<CtSliceRef> slices;  ///< in the volume's slice order; empty on error
  std::string error;               ///< names the file and element concerned
  [[nodiscard]] bool ok() const { return error.empty(); }
};

/// Writes every slice of `volume` into `dir` (created when missing). Slices written before an
/// error are left on disk; the result then holds only the error.
[[nodiscard]] CtSeriesResult write_ct_series(const std::filesystem::path& dir, const StudyIdentity& identity,
                                             const ImageVolume& volume, const CtSeriesOptions& options);

}  // namespace rtaudit::dicom
