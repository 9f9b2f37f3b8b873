// `rtaudit calibrate COHORT_DIR --out DIR`: the department's own model from geometric proxies to mean
// heart dose (issue 6), fitted on its planned cases that have an RTDOSE. Writes DIR/heart-model.json
// (for `rtaudit audit --heart-model`) and DIR/calibration.json (every case, used or not, and why).
// Case folders are named in the output as they are named on disk; name them by pseudonym.

#include "rtaudit/cli/case_dose.hpp"
#include "rtaudit/cli/commands.hpp"
#include "rtaudit/cli/output_dir.hpp"

#include "rtaudit/anatomy/landmarks.hpp"
#include "rtaudit/anatomy/roles.hpp"
#include "rtaudit/dicom/inspect.hpp"
#include "rtaudit/dicom/load.hpp"
#include "rtaudit/heart/assessment.hpp"
#include "rtaudit/heart/calibration.hpp"
#include "rtaudit/version.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>

namespace rtaudit::cli {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

std::string now_iso() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  std::array<char, 32> buf{};
  std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%S%z", &tm);
  return buf.data();
}

bool write_text(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

struct CaseOutcome {
  std::string id;
  std::optional<heart::CalibrationSample> sample;
  std::string reason;  ///< why not used
  std::vector<std::string> warnings;
};

CaseOutcome calibrate_case(const fs::path& dir, const anatomy::NameTable& names, double plane_tolerance_mm) {
  CaseOutcome c;
  c.id = dir.filename().string();
  geom::BuildOptions build;
  build.plane_tolerance_mm = plane_tolerance_mm;
  const dicom::InspectReport scan = dicom::inspect(dir, build);
  const dicom::InspectedStructureSet* chosen = nullptr;
  for (const auto& iss : scan.structure_sets) {
    if (iss.set.rois.empty()) continue;
    if (chosen == nullptr || iss.set.date + iss.set.time > chosen->set.date + chosen->set.time) chosen = &iss;
  }
  if (chosen == nullptr) {
    c.reason = "no usable structure set";
    return c;
  }
  const CaseDose cd = load_case_dose(scan, chosen->set, {}, false);
  c.warnings = cd.warnings;
  if (!cd.dose) {
    c.reason = "no usable RTDOSE";
    return c;
  }
  const anatomy::RoleAssignment roles = anatomy::assign_roles(names, chosen->set, {});
  anatomy::StructureMap map = anatomy::bind_structures(chosen->set, roles, build);
  const anatomy::TreatedSide side = anatomy::find_treated_side(map);
  if (side.side) map = anatomy::resolve_relative_sides(std::move(map), *side.side);
  heart::HeartInputs in;
  in.structures = &map;
  in.treated_side = side.side;
  in.dose = &*cd.dose;
  in.plan = cd.plan ? &*cd.plan : nullptr;
  in.patient_position = cd.patient_position;
  const heart::HeartAssessment h = heart::assess_heart(in);
  if (!h.dvhs.front().dvh) {
    c.reason = fmt::format("no mean heart dose: {}", h.dvhs.front().not_evaluable);
    return c;
  }
  if (!h.dvhs.front().dvh->complete()) {
    c.reason = "the heart lies partly outside the dose grid";
    return c;
  }
  heart::CalibrationSample s;
  s.case_id = c.id;
  s.mean_heart_dose_gy = h.dvhs.front().dvh->mean_gy;
  for (const auto& [k, v] : h.named_proxies) s.proxies[k] = v;
  c.sample = std::move(s);
  return c;
}

}  // namespace

int run_calibrate(const CalibrateArgs& args, bool verbose) {
  dicom::configure_dcmtk_logging(verbose);
  std::error_code ec;
  if (!fs::is_directory(args.cohort_dir, ec)) {
    spdlog::error("{}: not a folder", args.cohort_dir);
    return 1;
  }
  const std::vector<std::string> predictors = args.predictors.empty() ? heart::default_predictors() : args.predictors;
  const fs::path names_path = data_path("rules/names.xml");
  const anatomy::NameTableLoad names = anatomy::load_name_table(names_path);
  if (!names) {
    spdlog::error("{}: cannot read the names table", names_path.string());
    return 1;
  }
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(args.cohort_dir, ec))
    if (e.is_directory()) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  if (dirs.empty()) {
    spdlog::error("{}: no case folder (one sub-folder per case is expected)", args.cohort_dir);
    return 2;
  }

  std::vector<CaseOutcome> outcomes;
  std::vector<heart::CalibrationSample> samples;
  for (const auto& d : dirs) {
    CaseOutcome c = calibrate_case(d, *names.table, args.plane_tolerance_mm);
    if (c.sample) samples.push_back(*c.sample);
    else spdlog::warn("case {} not used: {}", c.id, c.reason);
    outcomes.push_back(std::move(c));
  }
  if (samples.empty()) {
    spdlog::error("none of the {} case folder(s) in {} has a usable RTDOSE with a heart contour: calibration needs the "
                  "department's planned cases with their dose (RTSTRUCT, RTPLAN, RTDOSE)",
                  dirs.size(), args.cohort_dir);
    return 2;
  }
  heart::CalibrationResult fit = heart::fit_linear_model(samples, predictors);
  json cases = json::array();
  for (const auto& c : outcomes) {
    json j{{"case", c.id}, {"used", c.sample.has_value()}};
    if (c.sample) {
      j["mean_heart_dose_gy"] = c.sample->mean_heart_dose_gy;
      json p = json::object();
      for (const auto& [k, v] : c.sample->proxies) p[k] = v;
      j["proxies"] = p;
    } else {
      j["reason"] = c.reason;
    }
    j["warnings"] = c.warnings;
    cases.push_back(std::move(j));
  }
  const auto out = prepare_output_dir(args.out);
  if (!out.ok()) {
    spdlog::error("{}", out.error);
    return 1;
  }
  json report{{"schema", "rtaudit-calibration/1"}, {"rtaudit_version", std::string(version())},
              {"cohort", args.cohort_dir}, {"predictors", predictors}, {"cases", cases},
              {"notes", fit.notes}, {"error", fit.error.empty() ? json(nullptr) : json(fit.error)}};
  if (!fit.model) {
    write_text(out.path / "calibration.json", report.dump(1) + "\n");
    spdlog::error("calibration failed: {}", fit.error);
    return 2;
  }
  heart::LinearModel model = *fit.model;
  model.fitted_at = now_iso();
  model.description = args.description;
  const nlohmann::json model_json = heart::to_json(model);
  report["model"] = model_json;
  if (!write_text(out.path / "heart-model.json", model_json.dump(1) + "\n") ||
      !write_text(out.path / "calibration.json", report.dump(1) + "\n")) {
    spdlog::error("cannot write into {}", out.path.string());
    return 1;
  }
  if (!args.quiet) {
    std::string terms = fmt::format("{:.3f} Gy", model.intercept_gy);
    for (std::size_t i = 0; i < model.predictors.size(); ++i)
      terms += fmt::format(" + {:.4g} x {}", model.coefficients[i], model.predictors[i]);
    fmt::print("mean heart dose = {}\n{} cases: R2 {:.3f}, RMSE {:.3f} Gy, leave-one-out RMSE {:.3f} Gy (max {:.3f} Gy)\nmodel: {}\n",
               terms, model.cases, model.r2, model.rmse_gy, model.loo_rmse_gy, model.loo_max_abs_gy,
               (out.path / "heart-model.json").string());
  }
  return 0;
}

}  // namespace rtaudit::cli
