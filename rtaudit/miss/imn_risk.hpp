#pragma once
// Probability of IMN involvement from patient factors, as data (rules/imn-risk.xml, docs/imn-risk.md).
//
// The sources (DOMAIN.md section 4) give univariable stratum rates (age: Heuts; axillary nodes, and
// medial tumour x axillary nodes: Huang 2008) and, for other factors (ER-negative, HER2+, size > 2 cm,
// LVI), only a direction or a ratio on a surrogate. No multivariable coefficients are published in
// them, so none is invented: each table whose factors the patient has gives a stratum rate; the point
// estimate is the rate of the most specific applicable table (the one with the most factors, then
// file order), and the range spans every applicable table's rate. A table whose factor is missing
// contributes the span of all its strata (the unknown value could be any of them), so missing
// factors widen the range and are listed. Factors that raise the risk without a usable magnitude are
// listed as "not quantified" and never multiplied in.

#include "rtaudit/case/patient_facts.hpp"
#include "rtaudit/miss/probability.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rtaudit::miss {

struct RiskSource {
  std::string id;
  std::string citation;   ///< full reference
  std::optional<int> patients;
  std::string note;       ///< what the numbers are (e.g. "IMN biopsy series", "via the review, Table 2")
};

/// One stratum of a table: the conditions on the patient's factors and the rate.
struct RiskStratum {
  std::optional<int> age_min, age_max;               ///< inclusive
  std::optional<int> nodes_min, nodes_max;           ///< positive axillary nodes, inclusive
  std::vector<std::string> quadrants;                ///< tumour quadrant words that match (e.g. medial: "inner", "upper-inner", "lower-inner", "central", "medial")
  double rate = 0;                                   ///< P(IMN involvement), fraction
  std::optional<int> patients;                       ///< in the stratum, when the source gives it
  std::string label;                                 ///< e.g. "age < 50"
};

struct RiskTable {
  std::string id;
  std::string source;                  ///< RiskSource id
  std::vector<std::string> factors;    ///< "age_years", "positive_axillary_nodes", "tumour_quadrant"
  std::vector<RiskStratum> strata;
  std::string note;
  int line = 0;
};

/// A factor known to raise (or lower) the risk whose magnitude the sources do not give as a rate.
struct RiskModifier {
  std::string factor;        ///< "er_positive", "her2_positive", "tumour_size_mm", "lymphovascular_invasion"
  std::string condition;     ///< human-readable, e.g. "ER-negative", "size > 20 mm"
  std::string effect;        ///< "raises" or "lowers"
  std::optional<double> ratio;  ///< a published ratio on a surrogate, shown, never applied (e.g. 2.8 on PET)
  std::string source;
  std::string note;
  // When the modifier applies (machine-readable twin of `condition`, so the threshold is data too):
  std::optional<bool> when;     ///< boolean factors: applies when the fact equals this (ER-negative: false)
  std::optional<double> above;  ///< tumour_size_mm: applies when the size is strictly above this
};

struct ImnRiskModel {
  std::string id, version, title, file;
  std::vector<RiskSource> sources;
  std::vector<RiskTable> tables;
  std::vector<RiskModifier> modifiers;
  [[nodiscard]] const RiskSource* source(const std::string& id) const;
};

struct ImnRiskLoad {
  std::optional<ImnRiskModel> model;
  std::string error;  ///< "file:line: what is wrong" (unknown factor, rate outside [0,1], uncited table...)
};
[[nodiscard]] ImnRiskLoad load_imn_risk(const std::string& path);

/// What one table says about this patient.
struct TableEstimate {
  std::string table_id, source, citation;
  std::string stratum;            ///< the matching stratum's label, or "factor missing: any of ..."
  std::optional<double> rate;     ///< the stratum rate when every factor of the table is known and a stratum matches
  double lo = 0, hi = 1;          ///< = rate, or the span of the strata the missing factor leaves open
  std::vector<std::string> missing_factors;
  std::string not_applicable;     ///< e.g. "no stratum for 0 positive nodes" (then it does not enter the range)
};

struct FactorNote {
  std::string factor, condition, effect, source, note;
  std::optional<double> ratio;
};

struct ImnRiskEstimate {
  Probability probability;                 ///< value from the most specific complete table; bounds over all
  std::string basis;                       ///< e.g. "huang2008-medial-aln: medial tumour, 4-6 ALN+ (Huang et al. 2008)"
  std::vector<TableEstimate> tables;
  std::vector<std::string> missing_factors;      ///< factors no table could use because the patient file lacks them
  std::vector<FactorNote> unquantified;          ///< modifiers that apply to this patient (present), not multiplied in
  std::vector<std::string> unknown_modifiers;    ///< modifier factors missing from the patient file
  std::vector<std::string> notes;
};
[[nodiscard]] ImnRiskEstimate estimate_imn_risk(const PatientFacts& facts, const ImnRiskModel& model);

}  // namespace rtaudit::miss
