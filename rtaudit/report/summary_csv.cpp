#include "rtaudit/report/summary_csv.hpp"

#include "rtaudit/report/escape.hpp"
#include "rtaudit/report/json_read.hpp"

#include <fmt/format.h>

#include <utility>
#include <vector>

namespace rtaudit::report {

namespace {

using json = nlohmann::ordered_json;
using json_read::member;


std::string cell(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return csv_cell(v.get<std::string>());
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (v.is_number()) return fmt::format("{}", v.get<double>());
  return csv_cell(v.dump());
}

const json& metric_value(const json& comparison, const char* part, const char* name) {
  return member(member(member(comparison, part), name), "value");
}

}  // namespace

std::string summary_csv(const nlohmann::ordered_json& r) {
  std::vector<std::pair<std::string, json>> cols;
  const json& c = member(r, "case");
  const json& set = member(c, "structure_set");
  const json& heart = member(r, "heart");
  const json& miss = member(r, "miss");
  cols.emplace_back("patient_id", member(c, "patient_id"));
  cols.emplace_back("pseudonymized", member(r, "pseudonymized").is_boolean() ? member(r, "pseudonymized") : json(false));
  cols.emplace_back("structure_set_label", member(set, "label"));
  cols.emplace_back("structure_set_date", member(set, "date"));
  cols.emplace_back("treated_side", member(member(r, "treated_side"), "side"));
  cols.emplace_back("clinical_roi_name", member(member(r, "clinical_ctv"), "roi_name"));
  cols.emplace_back("clinical_volume_cc", member(member(r, "clinical_ctv"), "volume_cc"));
  cols.emplace_back("mean_heart_dose_gy", member(heart, "mean_heart_dose_gy"));
  cols.emplace_back("mean_heart_dose_source", member(heart, "mean_heart_dose_source"));
  int failed = 0, evaluated = 0;
  for (const auto& k : member(heart, "constraints")) {
    const std::string s = member(k, "status").is_string() ? member(k, "status").get<std::string>() : "";
    if (s == "pass" || s == "fail") ++evaluated;
    if (s == "fail") ++failed;
  }
  cols.emplace_back("heart_constraints_evaluated", evaluated);
  cols.emplace_back("heart_constraints_failed", failed);
  cols.emplace_back("excess_relative_risk_pct", member(member(member(heart, "coronary_risk"), "excess_relative_risk_pct"), "value"));
  int points = 0, not_in_field = 0;
  for (const auto& p : member(miss, "points")) {
    ++points;
    for (const auto& v : member(p, "vs")) {
      if (member(v, "ctv") == "clinical" && member(v, "class") != "in-field") ++not_in_field;
    }
  }
  cols.emplace_back("points", points);
  cols.emplace_back("points_not_in_field_clinical", not_in_field);
  json expected = nullptr;
  for (const auto& k : member(miss, "ctvs")) {
    if (member(k, "key") == "clinical") expected = member(member(k, "expected_miss"), "value_pct");
  }
  cols.emplace_back("expected_miss_clinical_pct", expected);
  cols.emplace_back("miss_without_imc_pct", member(member(miss, "miss_without_imc"), "value_pct"));
  for (const auto& g : member(r, "guidelines")) {
    const std::string id = member(g, "id").is_string() ? member(g, "id").get<std::string>() : "guideline";
    const json& checks = member(g, "checks");
    json cranial = nullptr, caudal = nullptr;
    for (const auto& l : member(checks, "levels")) {
      if (member(l, "border") == "cranial") cranial = member(l, "deviation_mm");
      if (member(l, "border") == "caudal") caudal = member(l, "deviation_mm");
    }
    int fails = 0, warns = 0;
    for (const auto& f : member(g, "summary")) {
      if (member(f, "status") == "fail") ++fails;
      if (member(f, "status") == "warn") ++warns;
    }
    const json& cmp = member(g, "comparison");
    cols.emplace_back(id + "_overall", member(g, "overall"));
    cols.emplace_back(id + "_cranial_deviation_mm", cranial);
    cols.emplace_back(id + "_caudal_deviation_mm", caudal);
    cols.emplace_back(id + "_fails", fails);
    cols.emplace_back(id + "_warns", warns);
    cols.emplace_back(id + "_dice", metric_value(cmp, "overlap", "dice"));
    cols.emplace_back(id + "_missed_cc", metric_value(cmp, "overlap", "missed_cc"));
    cols.emplace_back(id + "_hd95_mm", metric_value(cmp, "surface", "hd95_mm"));
  }
  std::string header, row;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    header += (i ? "," : "") + csv_cell(cols[i].first);
    row += (i ? "," : "") + cell(cols[i].second);
  }
  return header + "\n" + row + "\n";
}

}  // namespace rtaudit::report
