#pragma once
// Excess coronary risk from mean heart dose (Darby et al., NEJM 2013;368:987-98) and dose
// constraints as data (rules/heart-constraints.xml, rules/cardiac-risk.xml; docs/heart.md).
// Every number comes from the rule files, each with its source; modifiers without a published
// coefficient (anthracycline, trastuzumab, existing heart disease) are shown, never multiplied in.

#include "rtaudit/case/patient_facts.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rtaudit::heart {

// ---- Cardiac risk model (rules/cardiac-risk.xml) ----

struct BaselineRow {      ///< one row of a cited baseline-risk table
  int age_from = 0, age_to = 0;           ///< inclusive
  std::optional<bool> risk_factors;       ///< empty: applies whatever the risk factors
  double risk_pct = 0;                    ///< cumulative risk of a major coronary event by `horizon_age`
  int horizon_age = 80;
  std::string source;
};

struct CardiacRiskModel {
  double err_per_gy = 0.074, err_per_gy_lo = 0.029, err_per_gy_hi = 0.145;  ///< from the file
  std::string source;                     ///< citation of the excess relative risk
  std::vector<BaselineRow> baseline;      ///< may be empty: the clinician then enters the baseline
  std::vector<std::string> modifiers;     ///< ids of recorded modifiers, e.g. "anthracycline"
  std::string file;                       ///< where it was loaded from
};

struct LoadResult {
  std::optional<CardiacRiskModel> model;
  std::string error;                      ///< file:line: what is wrong
};
[[nodiscard]] LoadResult load_cardiac_risk(const std::string& path);

struct Range {
  double value = 0, lo = 0, hi = 0;
};

struct CoronaryRisk {
  double mean_heart_dose_gy = 0;
  std::string dose_source;                ///< "RTDOSE" or "estimated (department model)"
  Range excess_relative_risk_pct;         ///< 7.4 %/Gy x dose, with the 95% CI
  std::optional<double> baseline_pct;     ///< entered, or from the table
  std::string baseline_source;            ///< "entered", the table row's source, or why none
  std::optional<Range> absolute_excess_pct;  ///< baseline x ERR, when there is a baseline
  std::optional<Range> risk_with_rt_pct;     ///< baseline + excess
  std::vector<std::string> modifiers;     ///< recorded, for the clinician to weigh (no coefficient)
  std::vector<std::string> notes;
  std::string source;
};

[[nodiscard]] CoronaryRisk coronary_risk(double mean_heart_dose_gy, const PatientFacts& facts,
                                         const CardiacRiskModel& model);

// ---- Constraint sets (rules/heart-constraints.xml) ----

struct Constraint {
  std::string structure;   ///< role id: "heart", "lad", "left_ventricle", "lung_ipsilateral", "lungs"
  std::string metric;      ///< as dose::parse_metric reads it: "Dmean", "V25Gy[%]", ...
  std::string op;          ///< "<" or "<="
  double limit = 0;
  std::string unit;        ///< "Gy", "%", "cc"
  std::string condition;   ///< e.g. "nodal RT including the IMC"; empty: always
  int line = 0;
};

struct ConstraintSet {
  std::string id, title, source;
  std::vector<Constraint> constraints;
};

struct ConstraintsLoad {
  std::vector<ConstraintSet> sets;
  std::string error;       ///< file:line: what is wrong (a bad metric name, unit or operator)
};
[[nodiscard]] ConstraintsLoad load_constraints(const std::string& path);

enum class ConstraintStatus { Pass, Fail, NotEvaluable };
[[nodiscard]] std::string_view to_string(ConstraintStatus s);

struct ConstraintCheck {
  std::string set_id, structure, metric, op, unit, condition, source;
  double limit = 0;
  std::optional<double> value;
  ConstraintStatus status = ConstraintStatus::NotEvaluable;
  std::string reason;      ///< for NotEvaluable: "no LAD contour", "no RTDOSE", ...
};

/// Looks a metric up: returns the value, or empty with `why` set.
using MetricLookup = std::function<std::optional<double>(const std::string& structure, const std::string& metric,
                                                         std::string& why)>;

[[nodiscard]] std::vector<ConstraintCheck> check_constraints(const std::vector<ConstraintSet>& sets,
                                                             const MetricLookup& lookup);

}  // namespace rtaudit::heart
