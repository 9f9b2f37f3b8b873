#pragma once
// What the clinician knows about the patient that no DICOM object says: the factors of the IMN
// involvement model (issue 5) and of the cardiac risk estimate (issue 6). Read from the case's
// patient.json (docs/patient-facts.md) by the edge; every field is optional, and a missing one is
// reported by whatever needs it, never invented.

#include <optional>
#include <string>
#include <vector>

namespace rtaudit {

struct PatientFacts {
  std::optional<int> age_years;
  // Cardiac (Darby et al. 2013: baseline risk of a major coronary event)
  std::optional<double> baseline_coronary_risk_pct;  ///< entered by the clinician (risk by age 80, %)
  std::optional<bool> cardiac_risk_factors;          ///< any of diabetes, smoking, hypertension, ... (Darby's strata)
  std::optional<bool> existing_heart_disease;
  std::optional<bool> anthracycline;
  std::optional<bool> trastuzumab;
  // Tumour (issue 5's IMN risk model)
  std::optional<std::string> tumour_quadrant;        ///< "central", "inner", "outer", "upper-inner", ...
  std::optional<int> positive_axillary_nodes;
  std::optional<double> tumour_size_mm;
  std::optional<bool> er_positive;
  std::optional<bool> her2_positive;
  std::optional<bool> lymphovascular_invasion;
  // Stage (which guideline's volume fits the patient; rules/guideline-fit.xml)
  std::optional<std::string> n_stage;                ///< AJCC N category, clinical or pathological: "N0", "N1", "N2a", "pN3b", ...
  std::optional<std::string> t_stage;                ///< AJCC T category: "T1c", "T2", ...
  std::optional<std::string> stage_group;            ///< AJCC stage group: "IIA", "IIIB", ...
  /// Pre-treatment imaging of the IMN (rules/imaging.xml): one entry per examination.
  struct ImagingFinding {
    std::string modality;  ///< "US", "CT", "MRI", "PET/CT", "PET/MRI", "SPECT/CT" (aliases in rules/imaging.xml)
    std::string finding;   ///< "positive", "negative" or "not_done"
    std::string date;      ///< optional
  };
  std::vector<ImagingFinding> imn_imaging;
  std::vector<std::string> unknown_fields;  ///< fields the reader did not know (reported, not used)
};

}  // namespace rtaudit
