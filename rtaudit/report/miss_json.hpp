#pragma once
// The geographic-miss assessment in report.json ("miss" member, docs/report-json.md, docs/miss.md),
// the terminal summary, and the cohort table (rtaudit miss-cohort: JSON and CSV). Views of plain
// data; no I/O. CSV cells are neutralised against spreadsheet formulas.

#include "rtaudit/miss/assessment.hpp"
#include "rtaudit/miss/cohort.hpp"
#include "rtaudit/report/escape.hpp"  // csv_cell, for the cohort CSV

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace rtaudit::report {

[[nodiscard]] nlohmann::ordered_json probability_json(const miss::Probability& p);
[[nodiscard]] nlohmann::ordered_json miss_to_json(const miss::MissAssessment& m, const miss::ClassifyOptions& options);
[[nodiscard]] std::string miss_to_text(const miss::MissAssessment& m);

/// Reads the points back from a report.json "miss" member (for the cohort); nullopt when it has none.
[[nodiscard]] std::optional<std::vector<miss::CohortPoint>> cohort_points_from_report(const nlohmann::json& report,
                                                                                     const std::string& patient);
[[nodiscard]] nlohmann::ordered_json cohort_to_json(const miss::CohortTable& t);
[[nodiscard]] std::string cohort_to_csv(const miss::CohortTable& t);
[[nodiscard]] std::string cohort_to_text(const miss::CohortTable& t);

}  // namespace rtaudit::report
