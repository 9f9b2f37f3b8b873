#pragma once
// summary.csv (issue 7): one header line and one row per audited case, the numbers a QA physicist
// pastes into a spreadsheet, taken from report.json. Columns are fixed apart from one group per
// audited guideline (`<id>_overall`, ...), in the report's guideline order; docs/report-html.md
// lists them. Every text cell passes through csv_cell (formula neutralisation); numbers are written
// in C locale with a dot, empty when null.

#include <nlohmann/json.hpp>

#include <string>

namespace rtaudit::report {

/// Header line and row, each ending in "\n".
[[nodiscard]] std::string summary_csv(const nlohmann::ordered_json& report);

}  // namespace rtaudit::report
