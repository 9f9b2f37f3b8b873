#pragma once
// Writing an RT Structure Set with DCMTK's dcmrt (DRTStructureSetIOD).
//
// Every ROI of the StructureSet, keyed by ROI number, with its name, colour, generation
// algorithm and interpreted type; every contour as stored, each with a ContourImageSequence item
// naming the CT slice whose z lies within 0.05 mm of the contour's plane (left out when no slice
// does, or for OPEN_NONPLANAR contours). The referenced frame of reference lists every slice.
// Explicit VR little endian, unless a ContourData value is longer than its 16-bit length field
// allows (65534 bytes), in which case the file is written implicit VR little endian.

#include <filesystem>
#include <string>
#include <vector>

#include "rtaudit/case/structure_set.hpp"
#include "rtaudit/case/study.hpp"
#include "rtaudit/dicom/write_common.hpp"
#include "rtaudit/dicom/write_ct.hpp"

namespace rtaudit::dicom {

struct RtStructOptions {
  std::string sop_instance_uid;  ///< empty: the StructureSet's own
  std::string series_uid;
  int series_number = 1;
  std::string series_description;
  /// The CT series the contours were drawn on; empty: StructureSet::referenced_series_uid.
  std::string referenced_series_uid;
  /// A contour references the slice within this distance of its plane (mm).
  double slice_match_tolerance_mm = 0.05;
};

/// Writes `set` to `path`. The frame of reference is the set's, or the identity's when the set
/// has none; an ROI without its own frame gets the set's.
[[nodiscard]] WriteResult write_rtstruct(const std::filesystem::path& path, const StudyIdentity& identity,
                                         const StructureSet& set, const std::vector<CtSliceRef>& referenced_slices,
                                         const RtStructOptions& options);

}  // namespace rtaudit::dicom
