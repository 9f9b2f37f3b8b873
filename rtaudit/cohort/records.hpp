#pragma once
// One audited (or failed) case of a department cohort (issue 7, `rtaudit cohort`), as the results
// store keeps it and the dashboard reads it. Pure value types and the one function that fills them
// from a report.json document.

#include "rtaudit/miss/cohort.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace rtaudit::cohort {

/// One graded check of one guideline: "overall", "cranial border", "medial margin", "overlap heart".
struct CheckRecord {
  std::string guideline, check, status;  ///< status word of report.json ("pass", "warn", "fail", "not_evaluable", "info")
  std::optional<double> deviation_mm;     ///< levels: signed border deviation; margins: median deviation
};

struct ConstraintRecord {
  std::string name;    ///< "degro-2019: heart Dmean"
  std::string status;  ///< "pass", "fail", "not_evaluable"
  std::optional<double> value, limit;
  std::string unit;
};

struct CaseRecord {
  std::string key;     ///< stable: derived from the input folder's absolute path, never an identifier
  std::string input;   ///< the folder as given (kept out of the dashboard when pseudonymised)
  std::string status;  ///< "ok" or "failed"
  std::string error;   ///< why it failed
  std::string label;   ///< the report's patient ID, or its pseudonym
  bool pseudonymized = false;
  std::string institution, department, planner, month;  ///< case.site; "unknown" when absent
  std::string report_html;  ///< relative to the cohort's output folder
  std::vector<CheckRecord> checks;
  std::optional<double> mean_heart_dose_gy;
  std::vector<ConstraintRecord> constraints;
  std::vector<miss::CohortPoint> points;  ///< patient = key
};

/// Fills the result fields of `record` (label, site, checks, heart, points) from a report.json.
/// Missing parts stay empty; nothing throws on an unexpected document.
void fill_from_report(CaseRecord& record, const nlohmann::json& report);

/// The class of a stored point from its miss::to_string word ("in-field", "marginal"; anything else outside).
[[nodiscard]] miss::PointClass parse_point_class(const std::string& word);

/// "John Smith" from DICOM PN "Smith^John" (staff names are shown, patients' never reach here).
[[nodiscard]] std::string person_name(const std::string& pn);

}  // namespace rtaudit::cohort
