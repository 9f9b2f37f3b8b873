#pragma once
// Exporting rtaudit's structures (the reference CTVs) into a copy of a clinical RT Structure Set,
// so that a planner can view them in the planning system beside the clinician's own ROIs.
//
// The source is read with DCMTK whatever its encoding, and everything it holds is kept: every
// ROI with its contours, every reference, the patient, study and equipment modules, private
// elements. Each new ROI is appended with the next free ROI number (the largest number the
// source uses, plus one, then upwards in the order given): an item in StructureSetROISequence
// (on the set's frame of reference), ROIContourSequence (one CLOSED_PLANAR contour per ring of
// every polygon of every plane: outer rings and holes as separate contours, holes read by nesting
// parity) and RTROIObservationsSequence. The copy is a new instance in a new series: new SOP
// Instance UID and Series Instance UID, StructureSetLabel, Date and Time, SeriesDescription,
// InstanceCreationDate and Time; the source is named in PredecessorStructureSetSequence; an
// approval (RT Approval module) is not carried over (ApprovalStatus UNAPPROVED); digital
// signatures, which would no longer verify, are removed.
//
// Written explicit VR little endian with new file meta information, or implicit VR little endian
// when a value is too long for a 16-bit length field (as write_rtstruct does). The file is written
// under a temporary name in the destination's folder and renamed: no partial file is ever visible
// under the destination name, and nothing is written anywhere else. Never throws on bad input:
// every failure is an ExportResult error naming the file and element.

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "rtaudit/dicom/write_ct.hpp"
#include "rtaudit/geom/structure.hpp"

namespace rtaudit::dicom {

/// One ROI to add. Coordinates are the source structure set's frame of reference (mm, LPS).
struct NewRoi {
  std::string name;                              ///< ROIName (3006,0026), UTF-8; must not be empty
  std::string interpreted_type = "CTV";          ///< RTROIInterpretedType (3006,00a4)
  std::array<int, 3> colour{255, 0, 255};        ///< ROIDisplayColor (3006,002a), each 0-255
  std::string generation_algorithm = "AUTOMATIC";  ///< ROIGenerationAlgorithm (3006,0036)
  std::string description;                       ///< ROIDescription (3006,0028); left out when empty
  geom::Structure structure;  ///< an ROI without a non-empty plane is skipped with a warning
};

struct ExportOptions {
  std::string sop_instance_uid;     ///< of the copy; valid, and not the source's
  std::string series_instance_uid;  ///< of the copy; valid, and not the source's series
  std::optional<int> series_number;  ///< SeriesNumber (0020,0011); empty: the source's is kept
  std::string structure_set_label = "RTAUDIT";  ///< StructureSetLabel (3006,0002), at most 16 characters
  std::string series_description;   ///< SeriesDescription (0008,103e); empty: the source's is removed
  /// DA (YYYYMMDD) and TM (HHMMSS) stamped as StructureSetDate/Time and InstanceCreationDate/Time.
  /// The core has no clock: the caller passes them. Empty: StructureSetDate/Time are written empty
  /// and InstanceCreationDate/Time are left out.
  std::string date;
  std::string time;
  /// The CT slices the contours lie on. A new contour references (ContourImageSequence) the slice
  /// whose z is within slice_match_tolerance_mm of its plane; none when no slice is that close.
  /// Empty: the slices are those the source's own contours reference, each at the z of the
  /// contours that reference it (an RTSTRUCT alone knows no other slice positions).
  std::vector<CtSliceRef> referenced_slices;
  double slice_match_tolerance_mm = 0.05;
};

struct ExportResult {
  std::string error;  ///< empty on success; names the file and element concerned
  /// The ROI number given to rois[i], or 0 when rois[i] was skipped. Empty on error.
  std::vector<int> roi_numbers;
  /// What was done that the caller should know of: skipped ROIs (by name), duplicate names,
  /// an approval not carried over, removed signatures. Empty on error.
  std::vector<std::string> warnings;
  [[nodiscard]] bool ok() const { return error.empty(); }
};

/// Writes to `destination` a copy of the RT Structure Set `source_rtstruct` with `rois` appended.
/// Errors (no file is then written or left): the source is missing, not DICOM, unreadable or not
/// an RT Structure Set, or has no frame of reference; a UID is invalid or the source's; a new
/// ROI's name, type, colour or coordinates cannot be written; the destination's folder does not
/// exist, the destination is the source or a folder, or the file cannot be written.
[[nodiscard]] ExportResult export_rtstruct_with_rois(const std::filesystem::path& source_rtstruct,
                                                     const std::filesystem::path& destination,
                                                     const std::vector<NewRoi>& rois, const ExportOptions& options);

}  // namespace rtaudit::dicom
