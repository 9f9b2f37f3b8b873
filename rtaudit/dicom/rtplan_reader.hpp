#pragma once
// Reading an RT Plan (external photon/electron beams) into the Plan value type (case/plan.hpp):
// label, name, date, referenced structure set, prescription (DoseReferenceSequence target
// prescription dose, else the sum of the fraction group's beam doses), fractions planned, and per
// beam the IEC angles, isocentre, SAD, jaws and MLC of the first control point (static fields;
// for a dynamic beam the first control point is used and that is noted), meterset, beam dose and
// its specification point. Every problem names the file and the item path.

#include "rtaudit/case/plan.hpp"

#include <optional>
#include <string>
#include <vector>

class DcmDataset;

namespace rtaudit::dicom {

struct RtPlanRead {
  std::optional<Plan> plan;
  std::string patient_position;       ///< of the first beam's patient setup, "" when absent
  std::string frame_of_reference_uid;
  std::string error;
  std::vector<std::string> warnings;  ///< e.g. "beam 3: 178 control points, the first one is used"
};

[[nodiscard]] RtPlanRead read_rtplan(const std::string& path);
[[nodiscard]] RtPlanRead read_rtplan(DcmDataset& dataset, const std::string& label);

}  // namespace rtaudit::dicom
