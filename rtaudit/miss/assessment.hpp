#pragma once
// Geographic-miss assessment of one case (issue 5): every recurrence / sentinel node / suspicious node
// against the clinician's CTV and each guideline's reference CTV (miss/classify.hpp); the population
// node atlas mapped into the patient and the share of it each CTV covers (miss/node_atlas.hpp); the
// probability of IMN involvement from the patient's factors, updated by imaging (miss/imn_risk.hpp,
// miss/imaging.hpp), times each CTV's uncovered share: the expected probability that the CTV misses
// involved nodes, with its range; and which guideline's reference fits the patient's stage
// (miss/guideline_fit.hpp). Pure: everything comes in as values, the edge reads the files.

#include "rtaudit/anatomy/landmarks.hpp"
#include "rtaudit/case/patient_facts.hpp"
#include "rtaudit/dose/dose_volume.hpp"
#include "rtaudit/geom/structure.hpp"
#include "rtaudit/miss/classify.hpp"
#include "rtaudit/miss/guideline_fit.hpp"
#include "rtaudit/miss/imaging.hpp"
#include "rtaudit/miss/imn_risk.hpp"
#include "rtaudit/miss/node_atlas.hpp"
#include "rtaudit/miss/probability.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rtaudit::miss {

/// A point of interest in the planning frame (the edge converts the recurrence files' records).
struct PointInput {
  std::string id;
  std::string kind = "recurrence";  ///< recurrence | sentinel_node | suspicious_node
  geom::Point3 position_mm;
  std::optional<double> radius_mm;  ///< lesion radius (or the equivalent sphere of its volume)
  std::string site, modality, date, source;
  std::string registration;         ///< "moved from frame F by REG U" when it was registered, else empty
};

/// A CTV to assess: the clinician's or a guideline's reference.
struct CtvInput {
  std::string key;            ///< "clinical" or the guideline id (e.g. "estro-2015")
  std::string label;          ///< e.g. "ROI 31 'CTVn_IMN_L'", "estro-2015 reference CTVn_IMN"
  std::string guideline_id;   ///< empty for the clinical CTV
  const geom::Structure* structure = nullptr;  ///< nullptr or empty: not evaluable (reason)
  std::string not_evaluable;
};

struct MissInputs {
  std::vector<CtvInput> ctvs;
  std::vector<PointInput> points;
  const anatomy::Landmarks* landmarks = nullptr;   ///< side, ICS bands
  const geom::Structure* im_vein = nullptr;        ///< treated-side IM vein (atlas mapping)
  const dose::DoseVolume* dose = nullptr;
  double prescription_gy = 0;
  ClassifyOptions classify;
  const AtlasParameters* atlas = nullptr;
  const std::vector<AtlasNode>* atlas_nodes = nullptr;
  const ImnRiskModel* risk_model = nullptr;
  const ImagingTable* imaging = nullptr;
  const GuidelineFitRules* fit_rules = nullptr;
  PatientFacts facts;
  std::vector<std::string> audited_guidelines;     ///< ids, for the guideline fit
};

struct PointResult {
  PointInput point;
  std::optional<int> ics;     ///< the ICS holding it (0: on a rib's medial end); empty: outside the found bands
  std::string ics_note;
  std::vector<PointVsCtv> vs; ///< one per evaluable CTV, in input order (PointVsCtv::ctv is the key)
};

struct CtvMiss {
  std::string key, label, guideline_id;
  std::string not_evaluable;
  std::optional<AtlasCoverage> coverage;
  /// P(involved IMN outside this CTV) = P(involvement) x uncovered share; bounds = products of bounds.
  std::optional<Probability> expected_miss;
  std::string miss_basis;
  /// Recurrence counts by class against this CTV (kind "recurrence" only), and findings: sentinel or
  /// suspicious nodes outside it.
  int in_field = 0, marginal = 0, outside = 0;
  std::vector<std::string> findings;
};

struct MissAssessment {
  std::vector<PointResult> points;
  std::vector<CtvMiss> ctvs;
  std::optional<AtlasMapping> atlas_mapping;     ///< nodes omitted from reports; counts and notes kept
  std::optional<ImnRiskEstimate> risk;
  std::optional<ImagingPosterior> imaging;
  std::optional<Probability> involvement;        ///< after imaging when there are findings, else the factor estimate
  std::string involvement_basis;
  /// Without IMC irradiation every involved IM node is outside the treated volume: = involvement.
  std::optional<Probability> miss_without_imc;
  std::optional<GuidelineFit> fit;
  std::vector<std::string> notes;
  std::vector<std::string> not_evaluable;        ///< e.g. "IMN risk: rules/imn-risk.xml not loaded"
};

[[nodiscard]] MissAssessment assess_miss(const MissInputs& in);

}  // namespace rtaudit::miss
