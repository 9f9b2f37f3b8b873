// End-to-end tests of the geographic-miss assessment (issue 5) on phantom patients with known
// answers: the planted recurrences against the clinician's CTV and the reference CTVs as truth.json
// computes them (independently of the CGAL surface), dose classes with the plan's RTDOSE, the risk,
// imaging and guideline-fit members, a frame mismatch refused, a follow-up POINT ROI registered by a
// REG object, and the cohort table over 50 phantoms against the counts truth.json gives.

#include "tests/dicom/writer_fixtures.hpp"
#include "tests/support/cli_scratch.hpp"

#include "rtaudit/case/registration.hpp"
#include "rtaudit/dicom/write_reg.hpp"
#include "rtaudit/dicom/write_rtstruct.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cmath>
#include <fstream>
#include <future>
#include <map>
#include <numbers>

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

void write_text(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

json audit(const fs::path& case_dir, const fs::path& out, const std::string& args = "") {
  const auto r = run_tool(rtaudit_cmd("audit -q " + quoted(case_dir) + " --out " + quoted(out) + " " + args));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return read_json(out / "report.json");
}

const json* point(const json& report, const std::string& id) {
  for (const auto& p : report["miss"]["points"])
    if (p["id"] == id) return &p;
  return nullptr;
}
const json* versus(const json& p, const std::string& ctv) {
  for (const auto& v : p["vs"])
    if (v["ctv"] == ctv) return &v;
  return nullptr;
}
std::string as_class(const std::string& truth_status) { return truth_status == "inside" ? "in-field" : truth_status; }

// truth.json's names for the CTVs against the report's keys.
const std::map<std::string, std::string> kTruthKey{
    {"clinical", "CTVn_IMN (clinical)"}, {"estro-2015", "estro_reference"}, {"rtog-2009", "rtog_reference"}};

void expect_points_match_truth(const json& report, const json& truth, double tolerance_mm) {
  ASSERT_EQ(report["miss"]["points"].size(), truth["recurrences"].size());
  for (const auto& t : truth["recurrences"]) {
    const std::string id = t["id"];
    SCOPED_TRACE(id);
    const json* p = point(report, id);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ((*p)["kind"], t["kind"]);
    if (t["ics"].get<int>() > 0) {
      EXPECT_EQ((*p)["ics"], t["ics"]);
    }
    for (const auto& [key, truth_key] : kTruthKey) {
      SCOPED_TRACE(key);
      const json* v = versus(*p, key);
      ASSERT_NE(v, nullptr);
      const json& tv = t["vs"][truth_key];
      EXPECT_EQ((*v)["inside"], tv["inside"]);
      EXPECT_NEAR((*v)["signed_distance_mm"].get<double>(), tv["signed_distance_mm"].get<double>(), tolerance_mm);
      EXPECT_EQ((*v)["distance_class"], as_class(tv["status"]));
    }
  }
}

TEST(MissCli, PlantedRecurrencesAreClassifiedAsTruthSays) {
  for (const std::string args : {"--variant estro --seed 1", "--variant rtog --seed 2", "--variant right-side --seed 3",
                                 "--variant short-caudal --seed 4"}) {
    SCOPED_TRACE(args);
    const fs::path dir = make_phantom(scratch_root() / fmt::format("truth-{}", std::hash<std::string>{}(args)), args);
    const json report = audit(dir, dir / "out", "--no-dose");
    const json truth = read_json(dir / "truth.json");
    expect_points_match_truth(report, truth, 0.1);
    // The planted four: R1 inside, R2 3 mm beyond the caudal border (marginal, nearest border caudal),
    // R3 in ICS 4, R4 outside all CTVs.
    EXPECT_EQ((*versus(*point(report, "R1"), "clinical"))["class"], "in-field");
    const json& r2 = *versus(*point(report, "R2"), "clinical");
    EXPECT_EQ(r2["class"], "marginal");
    EXPECT_EQ(r2["nearest_border"], "caudal");
    EXPECT_NEAR(r2["signed_distance_mm"].get<double>(), 3.0, 0.1);
    EXPECT_EQ((*point(report, "R3"))["ics"], 4);
    for (const auto& v : (*point(report, "R4"))["vs"]) EXPECT_EQ(v["class"], "outside");
  }
}

TEST(MissCli, DoseClassesUseThePlanDose) {
  const fs::path dir = make_phantom(scratch_root() / "dose", "--variant estro --seed 5");
  const json report = audit(dir, dir / "out");
  // The class follows the rule from the reported shares, for every point and CTV.
  for (const auto& p : report["miss"]["points"]) {
    for (const auto& v : p["vs"]) {
      ASSERT_FALSE(v["dose"].is_null());
      EXPECT_EQ(v["class"], v["dose_class"]);
      if (p["radius_mm"].is_null()) continue;
      const double high = v["dose"]["share_high_pct"], low = v["dose"]["share_low_pct"];
      EXPECT_EQ(v["dose_class"], high >= 95 ? "in-field" : low >= 20 ? "marginal" : "outside") << p["id"];
    }
  }
  // The phantom's analytic dose gives the IMN about 88 % of the 40.05 Gy prescription: R1, inside the
  // CTV, lies wholly between the 20 % and the 95 % isodoses (marginal); its dose is the dose of the CTV.
  const json& r1 = *versus(*point(report, "R1"), "clinical");
  EXPECT_EQ(r1["dose_class"], "marginal");
  EXPECT_NEAR(r1["dose"]["share_low_pct"].get<double>(), 100.0, 1e-6);
  EXPECT_NE(r1["basis"].get<std::string>().find("Dawson"), std::string::npos);
  const double r1_min = r1["dose"]["min_gy"];
  // With the in-field isodose set below R1's minimum dose, R1 is in-field (the thresholds are options).
  const json lowered = audit(dir, dir / "out-80", fmt::format("--isodose {:.1f}", 100 * (r1_min - 0.5) / 40.05));
  const json& r1b = *versus(*point(lowered, "R1"), "clinical");
  EXPECT_EQ(r1b["class"], "in-field");
  EXPECT_NEAR(r1b["dose"]["share_high_pct"].get<double>(), 100.0, 1e-6);
  // The contralateral recurrence is not in the treated volume.
  const json& r4 = *versus(*point(report, "R4"), "clinical");
  EXPECT_NE(r4["dose_class"], "in-field");
  EXPECT_LT(r4["dose"]["share_high_pct"].get<double>(), 20.0);
  // The sentinel node has no size: its centre dose decides.
  const json& n1 = *versus(*point(report, "N1"), "clinical");
  EXPECT_NE(n1["dose"]["method"].get<std::string>().find("centre dose"), std::string::npos);
}

TEST(MissCli, RiskImagingAndGuidelineFitReachTheReport) {
  const fs::path dir = make_phantom(scratch_root() / "risk", "--variant estro --seed 6");
  write_text(dir / "patient.json", R"({"schema": "rtaudit-patient/1", "age_years": 45, "tumour_quadrant": "upper-inner",
    "positive_axillary_nodes": 5, "n_stage": "pN2a",
    "imn_imaging": [{"modality": "MRI", "finding": "positive"}]})");
  const json report = audit(dir, dir / "out", "--no-dose --guideline estro-2015");
  const json& m = report["miss"];
  ASSERT_FALSE(m["imn_risk"].is_null());
  ASSERT_FALSE(m["imaging"].is_null());
  const double prior = m["imaging"]["prior"]["value_pct"].get<double>();
  const double post = m["imaging"]["posterior"]["value_pct"].get<double>();
  // Positive MRI (Se 93.3 %, Sp 89.3 %): the posterior by Bayes from the prior.
  const double p = prior / 100;
  EXPECT_NEAR(post, 100 * p * 0.933 / (p * 0.933 + (1 - p) * 0.107), 0.05);
  EXPECT_EQ(m["involvement"]["value_pct"], m["imaging"]["posterior"]["value_pct"]);
  // Advanced nodal disease audited only against ESTRO: flagged.
  EXPECT_EQ(m["guideline_fit"]["extent"], "advanced");
  EXPECT_TRUE(m["guideline_fit"]["flag"].get<bool>());
  // Expected miss = involvement x uncovered share, within its bounds.
  for (const auto& c : m["ctvs"]) {
    SCOPED_TRACE(c["key"].get<std::string>());
    ASSERT_FALSE(c["atlas_coverage"].is_null());
    ASSERT_FALSE(c["expected_miss"].is_null());
    const auto& e = c["expected_miss"];
    const double unc = c["atlas_coverage"]["uncovered"]["value_pct"].get<double>();
    EXPECT_NEAR(e["value_pct"].get<double>(), post * unc / 100, 0.02);
    EXPECT_LE(e["lo_pct"].get<double>(), e["value_pct"].get<double>());
    EXPECT_GE(e["hi_pct"].get<double>(), e["value_pct"].get<double>());
  }
}

TEST(MissCli, AFrameThatMatchesNothingIsRefusedNotMixed) {
  const fs::path dir = make_phantom(scratch_root() / "frame", "--variant estro --seed 7");
  fs::remove(dir / "recurrences.csv");
  write_text(dir / "recurrences.json", R"({"schema": "rtaudit-points", "schema_version": 1, "points": [
    {"point_id": "X1", "x_mm": 20, "y_mm": -70, "z_mm": -50, "frame_of_reference_uid": "1.2.3.999"}]})");
  const json report = audit(dir, dir / "out", "--no-dose");
  EXPECT_EQ(point(report, "X1"), nullptr);
  bool refused = false;
  for (const auto& w : report["warnings"]) {
    const std::string s = w;
    if (s.find("X1") != std::string::npos && s.find("1.2.3.999") != std::string::npos) refused = true;
  }
  EXPECT_TRUE(refused) << report["warnings"].dump(1);
}

TEST(MissCli, AFollowUpPointRoiIsBroughtIntoThePlanningFrameByItsRegistration) {
  const fs::path dir = make_phantom(scratch_root() / "reg", "--variant estro --seed 8");
  const json truth = read_json(dir / "truth.json");
  const std::string planning_frame = truth["uids"]["frame_of_reference"];
  const json& r1 = truth["recurrences"][0];
  const geom::Point3 target{r1["position_mm"][0].get<double>(), r1["position_mm"][1].get<double>(), r1["position_mm"][2].get<double>()};
  // The follow-up frame: rotated 90 degrees about z and shifted. M maps follow-up -> planning.
  const double c = std::cos(std::numbers::pi / 2), s = std::sin(std::numbers::pi / 2);
  const Matrix4 m{c, -s, 0, 12.5, s, c, 0, -40, 0, 0, 1, 7.25, 0, 0, 0, 1};
  const Matrix4 inverse = *rigid_inverse(m);
  const geom::Point3 followup_point = rtaudit::apply(inverse, target);
  const std::string followup_frame = "2.25.987654321";
  StudyIdentity id;
  id.patient_id = "RTA-PH-8-ESTROL";  // the phantom's PatientID pattern (seed 8, variant estro, left)
  id.patient_name = "PHANTOM^THORAX";
  id.study_uid = "2.25.11";
  id.study_id = "FU";
  id.study_date = "20250102";
  id.study_time = "100000";
  id.frame_of_reference_uid = followup_frame;
  StructureSet fu;
  fu.sop_instance_uid = "2.25.12";
  fu.label = "FOLLOWUP";
  fu.date = "20250102";
  fu.time = "100000";
  fu.frame_of_reference_uid = followup_frame;
  Roi roi;
  roi.number = 1;
  roi.name = "REC_IMN";
  roi.interpreted_type = "GTV";
  roi.frame_of_reference_uid = followup_frame;
  roi.contours.push_back({geom::GeometricType::Point, {followup_point}});
  fu.rois[1] = roi;
  dicom::RtStructOptions ro;
  ro.series_uid = "2.25.13";
  ro.referenced_series_uid = "2.25.16";  // the follow-up CT (not in the case folder)
  // One slice of the follow-up CT (not in the case folder) for the contour image reference.
  const std::vector<dicom::CtSliceRef> slices{{"fu-ct.dcm", "2.25.17", {0, 0, followup_point.z}}};
  const auto written = dicom::write_rtstruct(dir / "RS_followup.dcm", id, fu, slices, ro);
  ASSERT_TRUE(written.ok()) << written.error;
  dicom::RegistrationSpec reg;
  reg.sop_instance_uid = "2.25.14";
  reg.series_instance_uid = "2.25.15";
  reg.content_date = "20250102";
  reg.content_time = "100000";
  reg.frames = {{planning_frame, identity_matrix(), "RIGID"}, {followup_frame, m, "RIGID"}};
  StudyIdentity reg_id = id;
  reg_id.frame_of_reference_uid = planning_frame;
  ASSERT_TRUE(dicom::write_spatial_registration(dir / "REG.dcm", reg_id, reg).ok());
  fs::remove(dir / "recurrences.csv");
  fs::remove(dir / "recurrences.json");
  const json report = audit(dir, dir / "out", "--no-dose");
  // The follow-up structure set is read for its point, never audited.
  EXPECT_NE(report["case"]["structure_set"]["label"], "FOLLOWUP");
  bool listed = false;
  for (const auto& o : report["case"]["other_structure_sets"])
    if (o["label"] == "FOLLOWUP") listed = o["not_audited"].get<std::string>().find("follow-up") != std::string::npos;
  EXPECT_TRUE(listed) << report["case"]["other_structure_sets"].dump(1);
  ASSERT_EQ(report["miss"]["points"].size(), 1u) << report["warnings"].dump(1);
  const json& p = report["miss"]["points"][0];
  EXPECT_NEAR(p["position_mm"][0].get<double>(), target.x, 1e-3);
  EXPECT_NEAR(p["position_mm"][1].get<double>(), target.y, 1e-3);
  EXPECT_NEAR(p["position_mm"][2].get<double>(), target.z, 1e-3);
  EXPECT_FALSE(p["registration"].is_null());
  EXPECT_EQ((*versus(p, "clinical"))["inside"], r1["vs"]["CTVn_IMN (clinical)"]["inside"]);
}

// 50 phantoms across the variants, audited without dose, tabulated by `rtaudit miss-cohort`: the
// table equals the counts computed from each truth.json.
TEST(MissCli, CohortOfFiftyPhantomsGivesTheTruthTable) {
#ifdef RTAUDIT_SANITIZED
  constexpr int kCases = 6;  // the sanitizers make each case ~10x slower; the arithmetic is the same
#else
  constexpr int kCases = 50;
#endif
  const std::vector<std::string> variants{"estro", "rtog", "short-caudal", "cranial-gap", "narrow-margin", "wide-medial", "right-side"};
  const fs::path root = scratch_root() / "cohort";
  const auto one = [&](int i) {
    const fs::path dir = root / "cases" / fmt::format("case{:02d}", i);
    make_phantom(dir, fmt::format("--seed {} --variant {}", 100 + i, variants[static_cast<std::size_t>(i) % variants.size()]));
    const auto r = run_tool(rtaudit_cmd("audit -q --no-dose " + quoted(dir) + " --out " + quoted(root / "reports" / fmt::format("case{:02d}", i))));
    EXPECT_EQ(r.exit_code, 0) << r.output;
  };
  for (int i = 0; i < kCases; i += 2) {
    auto a = std::async(std::launch::async, one, i);
    if (i + 1 < kCases) one(i + 1);
    a.get();
  }
  const auto r = run_tool(rtaudit_cmd("miss-cohort -q " + quoted(root / "reports") + " --out " + quoted(root / "table")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const json table = read_json(root / "table" / "miss-cohort.json");
  std::map<std::string, std::map<std::string, int>> expected;  // key -> class -> count
  int points = 0, outside_estro_inside_rtog = 0;
  for (int i = 0; i < kCases; ++i) {
    const json truth = read_json(root / "cases" / fmt::format("case{:02d}", i) / "truth.json");
    for (const auto& t : truth["recurrences"]) {
      if (t["kind"] != "recurrence") continue;
      ++points;
      for (const auto& [key, truth_key] : kTruthKey) expected[key][as_class(t["vs"][truth_key]["status"])]++;
      if (t["vs"]["estro_reference"]["status"] != "inside" && t["vs"]["rtog_reference"]["status"] == "inside") ++outside_estro_inside_rtog;
    }
  }
  EXPECT_EQ(table["patients"], kCases);
  EXPECT_EQ(table["points"], points);
  for (const auto& row : table["rows"]) {
    const std::string key = row["ctv"];
    if (!expected.contains(key)) continue;
    SCOPED_TRACE(key);
    EXPECT_EQ(row["points"], points);
    EXPECT_EQ(row["in_field"], expected[key]["in-field"]);
    EXPECT_EQ(row["marginal"], expected[key]["marginal"]);
    EXPECT_EQ(row["outside"], expected[key]["outside"]);
  }
  EXPECT_EQ(table["estro_vs_rtog"]["outside_estro_inside_rtog"], outside_estro_inside_rtog);
  std::ifstream csv(root / "table" / "miss-cohort.csv");
  std::string header;
  std::getline(csv, header);
  EXPECT_EQ(header.rfind("ctv,kind,patients", 0), 0u);
}

}  // namespace
}  // namespace rtaudit
