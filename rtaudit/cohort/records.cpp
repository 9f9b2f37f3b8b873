#include "rtaudit/cohort/records.hpp"

#include "rtaudit/report/json_read.hpp"
#include "rtaudit/report/miss_json.hpp"

namespace rtaudit::cohort {

namespace {

using json = nlohmann::json;
using report::json_read::member;
using report::json_read::number;
using report::json_read::text;

}  // namespace

std::string person_name(const std::string& pn) {
  // Family^Given^Middle^Prefix^Suffix: shown as "Given Middle Family".
  std::vector<std::string> parts;
  std::string part;
  for (char c : pn.substr(0, pn.find('='))) {
    if (c == '^') parts.push_back(part), part.clear();
    else part += c;
  }
  parts.push_back(part);
  std::string out;
  for (std::size_t i = 1; i < parts.size() && i < 3; ++i) {
    if (!parts[i].empty()) out += (out.empty() ? "" : " ") + parts[i];
  }
  if (!parts[0].empty()) out += (out.empty() ? "" : " ") + parts[0];
  return out;
}

void fill_from_report(CaseRecord& r, const nlohmann::json& report) {
  const json& c = member(report, "case");
  r.label = text(c, "patient_id", "(no patient ID)");
  r.pseudonymized = member(report, "pseudonymized").is_boolean() && member(report, "pseudonymized").get<bool>();
  const json& site = member(c, "site");
  r.institution = text(site, "institution", "unknown");
  r.department = text(site, "department", "unknown");
  r.planner = site.is_object() && member(site, "planner").is_string() ? person_name(member(site, "planner").get<std::string>()) : "";
  if (r.planner.empty()) r.planner = "unknown";
  r.month = text(site, "month", "unknown");
  r.checks.clear();
  for (const auto& g : member(report, "guidelines")) {
    const std::string id = text(g, "id");
    const json& checks = member(g, "checks");
    r.checks.push_back({id, "overall", text(g, "overall", "not_evaluable"), std::nullopt});
    for (const auto& l : member(checks, "levels"))
      r.checks.push_back({id, text(l, "border") + " border", text(l, "status", "not_evaluable"), number(l, "deviation_mm")});
    for (const auto& m : member(checks, "margins"))
      r.checks.push_back({id, text(m, "direction") + " margin", text(m, "status", "not_evaluable"), number(member(m, "deviation"), "median_mm")});
    for (const auto& o : member(checks, "organ_overlaps"))
      r.checks.push_back({id, "overlap " + text(o, "role"), text(o, "status", "not_evaluable"), std::nullopt});
  }
  const json& heart = member(report, "heart");
  r.mean_heart_dose_gy = number(heart, "mean_heart_dose_gy");
  r.constraints.clear();
  for (const auto& k : member(heart, "constraints")) {
    std::string status = text(k, "status", "not_evaluable");
    if (status == "not evaluable") status = "not_evaluable";
    r.constraints.push_back({text(k, "set") + ": " + text(k, "structure") + " " + text(k, "metric"), status, number(k, "value"),
                             number(k, "limit"), text(k, "unit")});
  }
  r.points = report::cohort_points_from_report(report, r.key).value_or(std::vector<miss::CohortPoint>{});
}

miss::PointClass parse_point_class(const std::string& w) {
  return w == "in-field" ? miss::PointClass::InField : w == "marginal" ? miss::PointClass::Marginal : miss::PointClass::Outside;
}

}  // namespace rtaudit::cohort
