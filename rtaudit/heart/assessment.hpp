#pragma once
// What the plan costs the heart (issue 6), for one case: DVHs and metrics of heart, LAD, left
// ventricle, lungs and targets when there is an RTDOSE; the geometric proxies always; a department
// model's estimate of the mean heart dose when there is no RTDOSE; the excess coronary risk (Darby
// 2013) and every constraint check. Pure computation on value types: the edge loads the files.

#include "rtaudit/anatomy/landmarks.hpp"
#include "rtaudit/case/patient_facts.hpp"
#include "rtaudit/case/plan.hpp"
#include "rtaudit/dose/dose_volume.hpp"
#include "rtaudit/dose/dvh.hpp"
#include "rtaudit/heart/calibration.hpp"
#include "rtaudit/heart/proxies.hpp"
#include "rtaudit/heart/risk.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rtaudit::heart {

/// The DVH of one organ or target.
struct OrganDvh {
  std::string organ;        ///< "heart", "lad", "left_ventricle", "lung_ipsilateral", "lung_contralateral",
                            ///< "lungs", "ctvn_imn", "ptv" ... (constraint files name these)
  std::string label;        ///< the ROI(s): "ROI 4 'Heart'"; for "lungs" made of two ROIs, both
  std::vector<int> rois;
  std::optional<dose::Dvh> dvh;
  std::optional<dose::StandardMetrics> metrics;
  double structure_volume_cc = 0;
  bool interpolated = false;  ///< shape interpolation between planes was applied
  std::vector<std::string> notes;
  std::string not_evaluable;  ///< why there is no DVH
};

struct HeartInputs {
  const anatomy::StructureMap* structures = nullptr;
  std::optional<anatomy::Side> treated_side;      ///< Left or Right
  const dose::DoseVolume* dose = nullptr;         ///< null: no RTDOSE
  std::string dose_description;                   ///< e.g. "RD.dcm (PLAN)" for the report
  const Plan* plan = nullptr;                     ///< null: no RTPLAN
  std::string patient_position = "HFS";
  const LinearModel* model = nullptr;             ///< the department's calibration, if any
  std::string model_file;
  const std::vector<ConstraintSet>* constraints = nullptr;
  const CardiacRiskModel* risk_model = nullptr;
  PatientFacts facts;
  dose::DvhOptions dvh_options;
  bool interpolate_planes = false;                ///< geom::interpolate_planes before each DVH
  double interpolation_gap_mm = 0.5;
  ProxyOptions proxy_options;
  std::vector<double> v_levels_gy{5, 10, 20, 25, 30, 40};
};

struct HeartAssessment {
  bool has_dose = false;
  std::string dose_description;
  std::vector<OrganDvh> dvhs;
  HeartProxies proxies;
  std::vector<std::pair<std::string, double>> named_proxies;
  /// Mean heart dose used for the risk: from the DVH, else the model's estimate.
  std::optional<double> mean_heart_dose_gy;
  std::string mean_heart_dose_source;              ///< "RTDOSE", "estimated (department model FILE)", or why none
  std::optional<DoseEstimate> estimate;            ///< the model's estimate (also given with dose, as a check)
  std::optional<CoronaryRisk> risk;
  std::vector<ConstraintCheck> constraints;
  bool imc_irradiated = false;                     ///< a CTVn_IMN is bound (conditions "imc")
  std::vector<std::string> notes;
};

[[nodiscard]] HeartAssessment assess_heart(const HeartInputs& in);

/// Volume-weighted union of the DVHs of disjoint structures (the two lungs as "lungs").
[[nodiscard]] dose::Dvh combine_dvhs(const dose::Dvh& a, const dose::Dvh& b);

}  // namespace rtaudit::heart
