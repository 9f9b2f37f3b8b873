#include "rtaudit/recurrence/patient_file.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <cmath>
#include <optional>

namespace rtaudit::recurrence {
namespace {

using nlohmann::json;

struct Reader {
  const json& doc;
  const std::string& file;
  std::vector<Diagnostic>& problems;

  void bad(const std::string& key, const std::string& expected) const {
    problems.push_back({Severity::Warning, file, key, fmt::format("'{}' must be {}; ignored", key, expected)});
  }
  void boolean(const char* key, std::optional<bool>& out) const {
    const auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) return;
    if (it->is_boolean()) out = it->get<bool>();
    else bad(key, "true, false or null");
  }
  void number(const char* key, std::optional<double>& out, double lo, double hi) const {
    const auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) return;
    if (it->is_number() && std::isfinite(it->get<double>()) && it->get<double>() >= lo && it->get<double>() <= hi)
      out = it->get<double>();
    else bad(key, fmt::format("a number from {} to {}", lo, hi));
  }
  void integer(const char* key, std::optional<int>& out, int lo, int hi) const {
    const auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) return;
    if (it->is_number_integer() && it->get<long long>() >= lo && it->get<long long>() <= hi)
      out = static_cast<int>(it->get<long long>());
    else bad(key, fmt::format("a whole number from {} to {}", lo, hi));
  }
  void text(const char* key, std::optional<std::string>& out) const {
    const auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) return;
    if (it->is_string()) out = it->get<std::string>();
    else bad(key, "a string");
  }
};

// "imn_imaging": one object per examination. An entry without a usable modality or with a finding
// other than positive / negative / not_done is reported and dropped: a misread finding would
// otherwise move the IMN probability (miss/imaging.hpp).
void read_imaging(const json& doc, const std::string& file, std::vector<Diagnostic>& problems,
                  std::vector<PatientFacts::ImagingFinding>& out) {
  const auto it = doc.find("imn_imaging");
  if (it == doc.end() || it->is_null()) return;
  const auto warn = [&](const std::string& element, const std::string& what) {
    problems.push_back({Severity::Warning, file, element, what});
  };
  if (!it->is_array()) {
    warn("imn_imaging", "'imn_imaging' must be an array of {\"modality\", \"finding\", \"date\"}; ignored");
    return;
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& e = (*it)[i];
    const std::string at = fmt::format("imn_imaging[{}]", i);
    if (!e.is_object()) {
      warn(at, fmt::format("'{}' must be an object with \"modality\" and \"finding\"; entry ignored", at));
      continue;
    }
    PatientFacts::ImagingFinding f;
    const auto m = e.find("modality");
    if (m == e.end() || !m->is_string() || m->get<std::string>().empty()) {
      warn(at + ".modality", fmt::format("'{}.modality' must be a non-empty string; entry ignored", at));
      continue;
    }
    f.modality = m->get<std::string>();
    const auto fd = e.find("finding");
    std::string finding = fd != e.end() && fd->is_string() ? fd->get<std::string>() : std::string();
    for (char& c : finding) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (finding != "positive" && finding != "negative" && finding != "not_done") {
      warn(at + ".finding", fmt::format("'{}.finding' must be \"positive\", \"negative\" or \"not_done\"{}; entry ignored",
                                        at, fd == e.end() ? " (missing)" : ", not " + fd->dump()));
      continue;
    }
    f.finding = finding;
    if (const auto d = e.find("date"); d != e.end() && !d->is_null()) {
      if (d->is_string()) f.date = d->get<std::string>();
      else warn(at + ".date", fmt::format("'{}.date' must be a string; date ignored", at));
    }
    for (const auto& [key, value] : e.items()) {
      if (key != "modality" && key != "finding" && key != "date" && key != "comment")
        warn(at + "." + key, fmt::format("unknown field '{}' in '{}' ignored", key, at));
    }
    out.push_back(std::move(f));
  }
}

}  // namespace

PatientFactsRead parse_patient_facts(std::string_view text, const std::string& file) {
  PatientFactsRead r;
  const json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    r.ok = false;
    r.problems.push_back({Severity::Error, file, "", "not a JSON object (docs/patient-facts.md); patient facts not used"});
    return r;
  }
  const Reader rd{doc, file, r.problems};
  PatientFacts& f = r.facts;
  rd.integer("age_years", f.age_years, 0, 130);
  rd.number("baseline_coronary_risk_pct", f.baseline_coronary_risk_pct, 0, 100);
  rd.boolean("cardiac_risk_factors", f.cardiac_risk_factors);
  rd.boolean("existing_heart_disease", f.existing_heart_disease);
  rd.boolean("anthracycline", f.anthracycline);
  rd.boolean("trastuzumab", f.trastuzumab);
  rd.text("tumour_quadrant", f.tumour_quadrant);
  rd.integer("positive_axillary_nodes", f.positive_axillary_nodes, 0, 200);
  rd.number("tumour_size_mm", f.tumour_size_mm, 0, 500);
  rd.boolean("er_positive", f.er_positive);
  rd.boolean("her2_positive", f.her2_positive);
  rd.boolean("lymphovascular_invasion", f.lymphovascular_invasion);
  rd.text("n_stage", f.n_stage);
  rd.text("t_stage", f.t_stage);
  rd.text("stage_group", f.stage_group);
  read_imaging(doc, file, r.problems, f.imn_imaging);
  static const char* const kKnown[] = {"schema", "age_years", "baseline_coronary_risk_pct", "cardiac_risk_factors",
                                       "existing_heart_disease", "anthracycline", "trastuzumab", "tumour_quadrant",
                                       "positive_axillary_nodes", "tumour_size_mm", "er_positive", "her2_positive",
                                       "lymphovascular_invasion", "n_stage", "t_stage", "stage_group",
                                       "imn_imaging", "comment"};
  for (const auto& [key, value] : doc.items()) {
    bool known = false;
    for (const char* k : kKnown) known = known || key == k;
    if (!known) {
      f.unknown_fields.push_back(key);
      r.problems.push_back({Severity::Warning, file, key, fmt::format("unknown field '{}' ignored", key)});
    }
  }
  return r;
}

}  // namespace rtaudit::recurrence
