#pragma once
// report.html (issue 7): one self-contained page a dosimetrist or a peer reviewer reads, built from
// the report.json document and the figures. No script, no network: a Content-Security-Policy
// forbids both, so even a string that escaped our escaping could not run. Every string that came
// from DICOM or a file passes through html_escape. A print stylesheet gives an A4 sign-off record.

#include "rtaudit/report/figures.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace rtaudit::report {

/// The whole page. `report` is the complete report.json document (already pseudonymised when asked).
[[nodiscard]] std::string render_report_html(const nlohmann::ordered_json& report, const std::vector<Figure>& figures);

/// The stylesheet of rtaudit's pages (report and dashboard): screen and A4 print.
[[nodiscard]] const char* report_css();

/// The checks the verdict block lists, in its order, as (group, check, status word): every graded
/// check of every guideline (levels, margins, organ overlaps; group = the guideline id), each
/// guideline's overall status (check "overall"), and each heart dose constraint (group "heart").
/// Tests compare the page against this, and this against report.json.
struct VerdictRow {
  std::string group, check, status, message;
};
[[nodiscard]] std::vector<VerdictRow> verdict_rows(const nlohmann::ordered_json& report);

}  // namespace rtaudit::report
