#pragma once
// Writes a rigid DICOM Spatial Registration object (REG) with DCMTK: the modules a validator
// (dciodvfy) wants (patient, general study, general series + Spatial Registration Series, frame of
// reference, general equipment, spatial registration, common instance reference, SOP common).
// Deterministic: every UID, date and time comes from the arguments.

#include "rtaudit/case/registration.hpp"
#include "rtaudit/case/study.hpp"
#include "rtaudit/dicom/write_common.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace rtaudit::dicom {

struct RegistrationSpec {
  std::string sop_instance_uid;
  std::string series_instance_uid;
  std::string content_date;  ///< DA
  std::string content_time;  ///< TM
  std::string content_label = "RIGID_REG";
  int series_number = 1;
  /// BodyPartExamined (General Series) of the registered scans; an unpaired part such as CHEST
  /// leaves Laterality out, an empty one writes Laterality empty (unknown).
  std::string body_part_examined = "CHEST";
  /// frame A is identity.frame_of_reference_uid; each item maps its frame B into A.
  std::vector<FrameRegistration> frames;
  /// Optionally, per frame, the image series (study UID, series UID) it refers to, for the common
  /// instance reference module; left out when empty. The instances are referenced from the frame's
  /// Registration Sequence item (Referenced Image Sequence), so the frame must be one of `frames`;
  /// the module's Referenced Instance Sequence is Type 1, so a series without instances is refused.
  struct SeriesRef {
    std::string frame_of_reference_uid;
    std::string study_uid;
    std::string series_uid;
    std::vector<std::string> sop_instance_uids;
    std::string sop_class_uid = "1.2.840.10008.5.1.4.1.1.2";  ///< CT Image Storage
  };
  std::vector<SeriesRef> series;
};

[[nodiscard]] WriteResult write_spatial_registration(const std::filesystem::path& path, const StudyIdentity& identity,
                                                     const RegistrationSpec& spec);

}  // namespace rtaudit::dicom
