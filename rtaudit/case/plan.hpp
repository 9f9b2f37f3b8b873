#pragma once
// An external-beam plan as rtaudit uses it: beam geometry and apertures (enough for beam's-eye
// views, central lung distance, maximum heart distance), not a delivery record.

#include "rtaudit/geom/types.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rtaudit {

/// One leaf pair bank of an MLC: boundaries between leaf pairs (mm, at isocentre plane, along the
/// leaf-pair axis) and the two banks' positions (mm, along the travel axis).
struct MlcAperture {
  std::string device = "MLCX";              ///< RTBeamLimitingDeviceType: MLCX or MLCY
  std::vector<double> leaf_boundaries_mm;   ///< N+1 boundaries for N leaf pairs
  std::vector<double> bank_a_mm;            ///< N positions of bank A (negative side)
  std::vector<double> bank_b_mm;            ///< N positions of bank B (positive side)
};

struct Beam {
  int number = 1;
  std::string name;         ///< e.g. "MED TANG"
  std::string description;
  std::string radiation_type = "PHOTON";
  double energy_mv = 6;
  double gantry_deg = 0;       ///< IEC 61217
  double collimator_deg = 0;   ///< IEC 61217
  double couch_deg = 0;        ///< patient support angle
  geom::Point3 isocentre_mm;   ///< patient coordinates
  double sad_mm = 1000;
  /// Jaws at the isocentre plane (mm): X1 <= X2, Y1 <= Y2.
  double x1_mm = -50, x2_mm = 50, y1_mm = -50, y2_mm = 50;
  std::optional<MlcAperture> mlc;
  double monitor_units = 100;
  double weight = 1;  ///< relative dose weight of the beam in the plan
  /// Beam Dose Specification Point (300A,0082): where the beam delivers beam_dose_gy (patient mm).
  std::optional<geom::Point3> dose_specification_point_mm;
  /// Beam Dose (300A,0084): dose per fraction (Gy) the beam gives at its specification point.
  std::optional<double> beam_dose_gy;
};

struct Plan {
  std::string sop_instance_uid;
  std::string series_uid;
  std::string label;          ///< RTPlanLabel
  std::string name;
  std::string date;           ///< DA
  std::string time;           ///< TM
  std::string referenced_structure_set_uid;
  double prescription_gy = 40.05;  ///< target prescription dose
  int fractions = 15;
  std::vector<Beam> beams;
};

}  // namespace rtaudit
