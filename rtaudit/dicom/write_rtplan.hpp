#pragma once
// Writing an RT Plan (RT Plan Storage) with dcmdata: RT General Plan, Fraction Scheme, dose
// reference (the prescription), RT Beams and Patient Setup, explicit VR little endian.
//
// Each beam is STATIC, with two control points (cumulative meterset weight 0 and 1). Control
// point 0 carries the energy, gantry / collimator / couch angles (rotation direction NONE),
// jaw (ASYMX, ASYMY) and MLC positions and the isocentre. The plan geometry is PATIENT when the
// plan names a structure set, TREATMENT_DEVICE otherwise.

#include <filesystem>
#include <map>
#include <string>

#include "rtaudit/case/plan.hpp"
#include "rtaudit/case/study.hpp"
#include "rtaudit/dicom/write_common.hpp"

namespace rtaudit::dicom {

struct RtPlanOptions {
  int series_number = 1;
  std::string series_description;
  std::string treatment_machine_name = "SYNTHETIC";
  double source_to_jaw_distance_mm = 400;  ///< SourceToBeamLimitingDeviceDistance of the jaws (Type 3)
  double source_to_mlc_distance_mm = 500;  ///< ... of the MLC
  /// SourceToSurfaceDistance of control point 0, by beam number (left out for other beams).
  std::map<int, double> source_to_surface_distance_mm;
};

/// Writes `plan` to `path`. The BeamDose of each beam is the dose per fraction shared by the
/// beams' relative weights (prescription / fractions * weight / sum of weights).
[[nodiscard]] WriteResult write_rtplan(const std::filesystem::path& path, const StudyIdentity& identity,
                                       const Plan& plan, const RtPlanOptions& options = {});

}  // namespace rtaudit::dicom
