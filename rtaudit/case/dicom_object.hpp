#pragma once
// What a folder scan learns about each DICOM object: its kind, identity and place in the
// patient / study / series / frame-of-reference hierarchy.

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace rtaudit {

enum class ObjectKind { CT, MR, PT, RTSTRUCT, RTPLAN, RTDOSE, REG, RTIMAGE, Other };

[[nodiscard]] std::string_view to_string(ObjectKind kind);

/// Geometry of one image plane (Image Plane module), in patient coordinates (mm).
struct ImagePlaneInfo {
  std::array<double, 3> position{};             ///< ImagePositionPatient: centre of the first voxel
  std::array<double, 6> orientation{1, 0, 0, 0, 1, 0};  ///< ImageOrientationPatient: row, column cosines
  std::array<double, 2> pixel_spacing{1, 1};    ///< PixelSpacing: between rows, between columns
  int rows = 0;
  int columns = 0;
  int number_of_frames = 1;
  std::optional<double> slice_thickness_mm;
  double rescale_slope = 1;
  double rescale_intercept = 0;
  std::optional<int> instance_number;
};

struct ObjectInfo {
  std::string file;
  ObjectKind kind = ObjectKind::Other;
  std::string modality;
  std::string sop_class_uid;
  std::string sop_instance_uid;
  std::string transfer_syntax;  ///< name of the transfer syntax the file was read with
  bool has_file_meta = false;    ///< preamble and file meta information present
  std::string patient_id;
  std::string patient_name;
  std::string study_uid;
  std::string series_uid;
  std::string frame_of_reference_uid;  ///< for RTSTRUCT: the referenced frame of reference
  std::string patient_position;        ///< e.g. HFS
  std::string manufacturer;
  // Where and by whom (issue 7: the QA dashboard groups by them). Staff and site, never the patient.
  std::string institution;   ///< InstitutionName (0008,0080)
  std::string department;    ///< InstitutionalDepartmentName (0008,1040)
  std::string operators;     ///< OperatorsName (0008,1070), PN; on an RTPLAN usually the planner
  std::string study_date;    ///< StudyDate (0008,0020), DA
  std::string object_date;   ///< the object's own date: RTPlanDate, StructureSetDate, else ContentDate, else SeriesDate
  std::optional<ImagePlaneInfo> image;  ///< image objects (CT, MR, PT, RTDOSE) only
};

/// The object kind a SOP Class UID stands for; the modality decides when the class is unknown.
[[nodiscard]] ObjectKind kind_of(std::string_view sop_class_uid, std::string_view modality);

}  // namespace rtaudit
