#pragma once
// The patient / study / frame-of-reference hierarchy of a set of objects.

#include "rtaudit/case/dicom_object.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace rtaudit {

struct FrameGroup {
  std::string frame_of_reference_uid;  ///< empty for objects without one (e.g. some RTPLANs)
  std::vector<std::size_t> objects;    ///< indices into the object list
};

struct StudyGroup {
  std::string study_uid;
  std::vector<FrameGroup> frames;
};

struct PatientGroup {
  std::string patient_id;
  std::vector<StudyGroup> studies;
};

/// Groups objects by patient ID, study and frame of reference, in order of first appearance.
[[nodiscard]] std::vector<PatientGroup> group_objects(const std::vector<ObjectInfo>& objects);

}  // namespace rtaudit
