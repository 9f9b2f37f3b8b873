// End-to-end tests of the heart (issue 6) on phantom patients with known answers: the heart member of
// report.json and `rtaudit dvh` against truth.json's independent answers (continuous analytic dose
// point-sampled on a lattice; exact solid distances; MHD from the heart's vertices in the BEV), a
// dose grid that does not cover a structure, the proxies-only audit with a department model, and
// `rtaudit calibrate` on a cohort of 30 phantoms (and its refusal of a cohort without dose).

#include "tests/dicom/test_files.hpp"
#include "tests/dicom/writer_fixtures.hpp"
#include "tests/support/cli_scratch.hpp"

#include "rtaudit/dicom/rtdose_reader.hpp"
#include "rtaudit/dicom/write_rtdose.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <map>

namespace rtaudit {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using test::run_tool;

using test::make_phantom;
using test::quoted;
using test::read_json;
using test::rtaudit_cmd;
using test::scratch_root;

fs::path phantom(const std::string& variant) {
  static std::map<std::string, fs::path> made;
  if (auto it = made.find(variant); it != made.end()) return it->second;
  return made[variant] = make_phantom(scratch_root() / ("phantom-" + variant), "--variant " + variant);
}

const json& organ(const json& heart, const std::string& name) {
  for (const auto& o : heart["dvhs"])
    if (o["organ"] == name) return o;
  static const json none;
  ADD_FAILURE() << "no DVH of " << name;
  return none;
}

// The DVH on the 2.5 mm RTDOSE grid (trilinear, exact partial volumes) against the continuous dose
// point-sampled at 1 mm: they differ by the grid's interpolation error across the field edges
// (penumbra sigma 3 mm) and by the 16-bit dose quantisation, not by more.
void expect_metrics_match(const json& m, const json& t, const std::string& what) {
  SCOPED_TRACE(what);
  const auto near = [](double a, double b, double rel, double abs_gy) { return std::abs(a - b) <= std::max(rel * std::abs(b), abs_gy); };
  EXPECT_PRED4(near, m["mean_gy"].get<double>(), t["mean_gy"].get<double>(), 0.02, 0.03);
  EXPECT_PRED4(near, m["d50_pct_gy"].get<double>(), t["d50_pct_gy"].get<double>(), 0.03, 0.05);
  EXPECT_PRED4(near, m["d2_pct_gy"].get<double>(), t["d2_pct_gy"].get<double>(), 0.05, 0.3);
  EXPECT_PRED4(near, m["d98_pct_gy"].get<double>(), t["d98_pct_gy"].get<double>(), 0.05, 0.05);
  for (const auto& v : m["v"]) {
    const int gy = static_cast<int>(std::lround(v["dose_gy"].get<double>()));
    const std::string key = "v" + std::to_string(gy) + "gy_pct";
    if (!t.contains(key)) continue;
    EXPECT_NEAR(v["volume_pct"].get<double>(), t[key].get<double>(), 1.0) << key;
  }
}

TEST(HeartCli, AuditHeartMatchesThePhantomTruth) {
  const fs::path ph = phantom("heart-close");
  const json truth = read_json(ph / "truth.json");
  const fs::path out = scratch_root() / "out-heart-close";
  const auto r = run_tool(rtaudit_cmd("audit -q " + quoted(ph) + " --out " + quoted(out)));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const json report = read_json(out / "report.json");
  ASSERT_TRUE(report.contains("heart")) << r.output;
  const json& h = report["heart"];
  ASSERT_FALSE(h["dose"].is_null()) << h.dump(1);
  EXPECT_EQ(h["mean_heart_dose_source"], "RTDOSE");

  const json& heart = organ(h, "heart");
  ASSERT_TRUE(heart.contains("dvh")) << heart.dump(1);
  EXPECT_TRUE(heart["dvh"]["complete"].get<bool>());
  expect_metrics_match(heart["dvh"]["metrics"], truth["heart"]["dose"]["heart"], "heart");
  const json& lung = organ(h, "lung_ipsilateral");
  ASSERT_TRUE(lung.contains("dvh"));
  expect_metrics_match(lung["dvh"]["metrics"], truth["heart"]["dose"]["lung_ipsilateral"], "ipsilateral lung");
  EXPECT_NEAR(h["mean_heart_dose_gy"].get<double>(), truth["heart"]["dose"]["heart"]["mean_gy"].get<double>(),
              std::max(0.03, 0.02 * truth["heart"]["dose"]["heart"]["mean_gy"].get<double>()));

  // Distances: the surface-sampled minimum against the exact prism-pair distance.
  const auto distance = [&](const std::string& from_prefix, const std::string& to) -> double {
    for (const auto& d : h["proxies"]["distances"]) {
      if (d["from"].get<std::string>().find(from_prefix) != std::string::npos && d["to"].get<std::string>().find(to) != std::string::npos)
        return d["distance_mm"].is_null() ? NAN : d["distance_mm"].get<double>();
    }
    return NAN;
  };
  const double ctv_heart = truth["heart"]["distances_mm"]["ctvn_imn_heart"].get<double>();
  EXPECT_NEAR(distance("CTVn_IMN", "Heart"), ctv_heart, 0.1);
  const double ptv_heart = truth["heart"]["distances_mm"]["ptvn_imn_heart"].get<double>();
  EXPECT_NEAR(distance("PTVn_IMN", "Heart"), ptv_heart, 0.1);

  // MHD of each tangent: 1 mm BEV rays against the vertices' projection.
  int tangents = 0;
  for (const auto& tb : truth["heart"]["beams"]) {
    if (!tb["tangential"].get<bool>()) continue;
    ++tangents;
    for (const auto& b : h["proxies"]["beams"]) {
      if (b["beam_number"] != tb["beam_number"]) continue;
      EXPECT_TRUE(b["tangential"].get<bool>());
      EXPECT_NEAR(b["max_heart_distance_mm"].get<double>(), tb["max_heart_distance_mm"].get<double>(), 1.5) << b.dump();
    }
  }
  EXPECT_EQ(tangents, 2);
  EXPECT_GT(h["proxies"]["named"]["mhd_mm"].get<double>(), 0.0);
  // The coronary risk is estimated from the measured dose (the relative excess; no baseline entered).
  ASSERT_FALSE(h["coronary_risk"].is_null());
  EXPECT_NEAR(h["coronary_risk"]["excess_relative_risk_pct"]["value"].get<double>(), 7.4 * h["mean_heart_dose_gy"].get<double>(), 0.02);
  // Every constraint of the shipped sets was checked: the heart Dmean limits pass or fail on the measured value.
  bool heart_dmean = false;
  for (const auto& c : h["constraints"]) {
    if (c["structure"] == "heart" && c["metric"] == "Dmean" && c["status"] != "not evaluable") {
      heart_dmean = true;
      const bool below = c["value"].get<double>() < c["limit"].get<double>();
      EXPECT_EQ(c["status"], below ? "pass" : "fail") << c.dump();
    }
  }
  EXPECT_TRUE(heart_dmean);
}

TEST(HeartCli, DvhCommandMatchesTruthAndReportsADoseGridThatDoesNotCoverTheStructure) {
  const fs::path ph = phantom("estro");
  const json truth = read_json(ph / "truth.json");
  const auto r = run_tool(rtaudit_cmd("dvh " + quoted(ph / "RS.dcm") + " " + quoted(ph / "RD.dcm") + " --roi Heart --roi 2 --json --metric V20Gy[cc]"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const json doc = json::parse(r.output.substr(r.output.find('{')));
  EXPECT_EQ(doc["schema"], "rtaudit-dvh/1");
  ASSERT_EQ(doc["rois"].size(), 2u);
  EXPECT_EQ(doc["rois"][0]["roi_name"], "Heart");
  expect_metrics_match(doc["rois"][0]["dvh"]["metrics"], truth["heart"]["dose"]["heart"], "dvh command, heart");
  EXPECT_TRUE(doc["rois"][1]["extra_metrics"].contains("V20Gy[cc]"));

  // Crop the dose grid to its caudal half: the heart is then partly outside it, which is said.
  dicom::RtDoseRead rd = dicom::read_rtdose((ph / "RD.dcm").string());
  ASSERT_TRUE(rd.dose) << rd.error;
  DoseGrid g = *rd.dose;
  const double heart_z = truth["anatomy"]["heart"]["centre_mm"][2].get<double>();
  int keep = 0;
  while (keep < g.frames() && g.origin_mm[2] + g.frame_offsets_mm[static_cast<std::size_t>(keep)] < heart_z) ++keep;
  ASSERT_GT(keep, 1);
  g.frame_offsets_mm.resize(static_cast<std::size_t>(keep));
  g.dose_gy.resize(static_cast<std::size_t>(keep) * static_cast<std::size_t>(g.rows) * static_cast<std::size_t>(g.columns));
  g.sop_instance_uid += ".1";
  StudyIdentity id;
  id.patient_id = "PHANTOM";
  id.study_uid = truth["uids"]["study"].get<std::string>();
  id.frame_of_reference_uid = truth["uids"]["frame_of_reference"].get<std::string>();
  const fs::path cropped = scratch_root() / "RD_cropped.dcm";
  ASSERT_TRUE(dicom::write_rtdose(cropped, id, g).ok());
  const auto c = run_tool(rtaudit_cmd("dvh " + quoted(ph / "RS.dcm") + " " + quoted(cropped) + " --roi Heart --json"));
  ASSERT_EQ(c.exit_code, 0) << c.output;
  const json cd = json::parse(c.output.substr(c.output.find('{')));
  const json& dvh = cd["rois"][0]["dvh"];
  EXPECT_FALSE(dvh["complete"].get<bool>());
  EXPECT_GT(dvh["outside_grid_cc"].get<double>(), 0.2 * dvh["structure_volume_cc"].get<double>());
  EXPECT_NEAR(dvh["structure_volume_cc"].get<double>(), doc["rois"][0]["dvh"]["structure_volume_cc"].get<double>(), 1e-6)
      << "the structure volume never depends on the dose grid";
  EXPECT_FALSE(cd["rois"][0]["notes"].empty());
}

fs::path cohort_root() { return scratch_root() / "cohort"; }

// 30 planned phantom patients of varied anatomy (seeds), sides and heart positions (heart-close).
const fs::path& cohort() {
  static const fs::path root = [] {
    const fs::path dir = cohort_root();
    const char* variants[] = {"estro", "heart-close", "wide-medial", "narrow-margin", "rtog"};
    for (int i = 0; i < 30; ++i) {
      const std::string side = i % 6 == 5 ? "right" : "left";
      make_phantom(dir / fmt::format("case{:02d}", i),
                   fmt::format("--seed {} --variant {} --side {}", 100 + i, variants[i % 5], side));
    }
    return dir;
  }();
  return root;
}

TEST(HeartCli, CalibrateOn30PhantomsRecoversAModelAndTheAuditUsesIt) {
#ifdef RTAUDIT_SANITIZED
  // 30 phantoms and their calibration take over 10 minutes under the sanitizers; the same code runs
  // under them in CalibrateOnASmallCohortFitsOnePredictor below.
  GTEST_SKIP() << "skipped in the sanitizer build (see CalibrateOnASmallCohortFitsOnePredictor)";
#endif
  const fs::path out = scratch_root() / "calibration";
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = run_tool(rtaudit_cmd("calibrate " + quoted(cohort()) + " --out " + quoted(out)));
  std::printf("[ timing ] rtaudit calibrate on 30 phantoms: %.1f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::printf("%s", r.output.c_str());
  const json model = read_json(out / "heart-model.json");
  EXPECT_EQ(model["schema"], "rtaudit-heart-model/1");
  EXPECT_EQ(model["cases"].get<int>(), 30);
  const json cal = read_json(out / "calibration.json");
  ASSERT_EQ(cal["cases"].size(), 30u);
  // The phantom's heart dose is driven by how much heart the tangents see: the fitted model explains
  // most of its variation and its leave-one-out error is reported and small against the dose range.
  EXPECT_GT(model["r2"].get<double>(), 0.7);
  const double range = model["dose_range_gy"][1].get<double>() - model["dose_range_gy"][0].get<double>();
  EXPECT_GT(range, 0.5);
  EXPECT_LT(model["loo_rmse_gy"].get<double>(), 0.35 * range);
  EXPECT_GE(model["loo_rmse_gy"].get<double>(), model["rmse_gy"].get<double>());

  // A case without dose: the audit gives the model's estimate with its error.
  const fs::path ph = phantom("heart-close");
  const fs::path audit_out = scratch_root() / "out-estimated";
  const auto a = run_tool(rtaudit_cmd("audit -q " + quoted(ph) + " --out " + quoted(audit_out) + " --no-dose --heart-model " +
                                      quoted(out / "heart-model.json")));
  ASSERT_EQ(a.exit_code, 0) << a.output;
  const json h = read_json(audit_out / "report.json")["heart"];
  EXPECT_TRUE(h["dose"].is_null());
  ASSERT_FALSE(h["estimate"].is_null()) << h.dump(1);
  EXPECT_NEAR(h["estimate"]["error_gy"].get<double>(), model["loo_rmse_gy"].get<double>(), 1e-3);
  EXPECT_NE(h["mean_heart_dose_source"].get<std::string>().find("estimated"), std::string::npos);
  // A new patient: within the model's own worst leave-one-out error (with half of it again as room),
  // i.e. the estimate is as good as the calibration says, not better.
  const double truth_mhd = read_json(ph / "truth.json")["heart"]["dose"]["heart"]["mean_gy"].get<double>();
  EXPECT_NEAR(h["mean_heart_dose_gy"].get<double>(), truth_mhd, 1.5 * model["loo_max_abs_gy"].get<double>() + 0.05);
  for (const auto& dvh : h["dvhs"])
    if (!dvh["roi"].is_null()) {
      EXPECT_EQ(dvh["not_evaluable"], "no RTDOSE") << dvh["organ"];
    }
}

TEST(HeartCli, CalibrateOnASmallCohortFitsOnePredictor) {
  const fs::path dir = scratch_root() / "cohort-small";
  for (int i = 0; i < 5; ++i)
    make_phantom(dir / fmt::format("case{}", i), fmt::format("--seed {} --variant {}", 300 + i, i % 2 ? "heart-close" : "estro"));
  const fs::path out = scratch_root() / "cal-small";
  const auto r = run_tool(rtaudit_cmd("calibrate -q " + quoted(dir) + " --out " + quoted(out) + " --predictor heart_in_field_cc"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const json model = read_json(out / "heart-model.json");
  ASSERT_EQ(model["predictors"].size(), 1u);
  EXPECT_EQ(model["cases"].get<int>(), 5);
  EXPECT_GT(model["coefficients"][0].get<double>(), 0.0) << "more heart in the field, more heart dose";
  // Each case's mean heart dose in calibration.json is the exact DVH's: the phantom truth within 2%.
  const json calibration = read_json(out / "calibration.json");  // kept alive: the loop walks into it
  for (const auto& c : calibration["cases"]) {
    const double t = read_json(dir / c["case"].get<std::string>() / "truth.json")["heart"]["dose"]["heart"]["mean_gy"].get<double>();
    EXPECT_NEAR(c["mean_heart_dose_gy"].get<double>(), t, std::max(0.03, 0.02 * t)) << c["case"];
  }
}

TEST(HeartCli, CalibrateRefusesACohortWithoutDose) {
  const fs::path dir = scratch_root() / "cohort-no-dose";
  for (int i = 0; i < 3; ++i) {
    const fs::path c = make_phantom(dir / fmt::format("case{}", i), fmt::format("--seed {}", 200 + i));
    fs::remove(c / "RD.dcm");
  }
  const auto r = run_tool(rtaudit_cmd("calibrate " + quoted(dir) + " --out " + quoted(scratch_root() / "cal-no-dose")));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("RTDOSE"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(scratch_root() / "cal-no-dose" / "heart-model.json"));
}

}  // namespace
}  // namespace rtaudit
