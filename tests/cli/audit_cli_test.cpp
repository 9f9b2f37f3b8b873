// End-to-end: `rtaudit audit CASE --out DIR` on phantom patients with known answers (issue 4). Each
// planted deviation of docs/phantom.md must come out of report.json as the truth says; a case without
// landmarks is "not evaluable", never a crash; nothing is written outside --out.

#include "tests/dicom/test_files.hpp"
#include "tests/dicom/writer_fixtures.hpp"
#include "tests/support/json_lookup.hpp"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <set>

namespace rtaudit {
namespace {

namespace fs = std::filesystem;
using test::entry;
using json = nlohmann::json;
using test::run_tool;

json read_json(const fs::path& p) {
  std::ifstream in(p);
  return json::parse(in);
}

std::string rtaudit_cmd(const std::string& args) { return std::string(RTAUDIT_BINARY) + " " + args; }

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

fs::path scratch_root() {
  static const fs::path root = fs::temp_directory_path() / ("rtaudit-audit-cli-" + std::to_string(::getpid()));
  return root;
}

// Removes this process's scratch folder when the suite ends.
class ScratchCleanup : public ::testing::Environment {
 public:
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(scratch_root(), ec);
  }
};
[[maybe_unused]] const auto* const kCleanup = ::testing::AddGlobalTestEnvironment(new ScratchCleanup);

// One phantom per variant per process (generation is the expensive part).
fs::path phantom(const std::string& variant) {
  static std::map<std::string, fs::path> made;
  if (auto it = made.find(variant); it != made.end()) return it->second;
  const fs::path dir = scratch_root() / ("phantom-" + variant);
  fs::remove_all(dir);
  const auto r = run_tool(rtaudit_cmd("phantom -q --out " + quoted(dir) + " --variant " + variant));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  made[variant] = dir;
  return dir;
}

fs::path out_dir(const std::string& name) {
  const fs::path dir = scratch_root() / ("out-" + name);
  fs::remove_all(dir);
  return dir;
}

struct Audit {
  int exit_code = -1;
  std::string output;
  json report;  ///< null when no report.json was written
};

Audit run_audit(const fs::path& case_dir, const fs::path& out, const std::string& extra = "") {
  Audit a;
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = run_tool(rtaudit_cmd("audit " + quoted(case_dir) + " --out " + quoted(out) + " " + extra));
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("[ timing ] rtaudit audit %s %s: %.2f s\n", case_dir.filename().c_str(), extra.c_str(), s);
  a.exit_code = r.exit_code;
  a.output = r.output;
  if (fs::exists(out / "report.json")) a.report = read_json(out / "report.json");
  return a;
}

const json& guideline(const json& report, const std::string& id) { return entry(report["guidelines"], "id", id); }

const json& level(const json& g, const std::string& border) { return entry(g["checks"]["levels"], "border", border); }

const json& margin(const json& g, const std::string& direction) { return entry(g["checks"]["margins"], "direction", direction); }

const json* binding(const json& report, const std::string& key) {
  for (const auto& b : report["roles"]["bindings"])
    if (b["key"] == key) return &b;
  return nullptr;
}

// Every file below `dir` with its size and modification time.
std::map<std::string, std::pair<std::uintmax_t, fs::file_time_type>> listing(const fs::path& dir) {
  std::map<std::string, std::pair<std::uintmax_t, fs::file_time_type>> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const std::string rel = fs::relative(e.path(), dir).generic_string();
    out[rel] = {e.is_regular_file() ? e.file_size() : 0, e.last_write_time()};
  }
  return out;
}

TEST(AuditCli, EstroPhantomPassesEstroAndFailsRtogAtTheCranialBorder) {
  const fs::path ph = phantom("estro");
  const Audit a = run_audit(ph, out_dir("estro"));
  ASSERT_EQ(a.exit_code, 0) << a.output;
  const json& r = a.report;
  ASSERT_FALSE(r.is_null());
  EXPECT_EQ(r["schema"], "rtaudit-audit/1");
  EXPECT_TRUE(r["conventions"].contains("deviation_sign"));
  EXPECT_TRUE(r["non_finite_values"].empty()) << r["non_finite_values"].dump();
  const json truth = read_json(ph / "truth.json");
  EXPECT_EQ(r["case"]["structure_set"]["sop_instance_uid"], truth["uids"]["rtstruct"]);
  EXPECT_EQ(r["case"]["image_series"]["series_uid"], truth["uids"]["ct_series"]);
  EXPECT_EQ(r["case"]["fallback_slab_mm"], 2.5);
  EXPECT_EQ(r["treated_side"]["side"], "left");
  EXPECT_EQ(r["clinical_ctv"]["roi_number"], 31);
  EXPECT_NEAR(r["clinical_ctv"]["volume_cc"].get<double>(), truth["imn"]["clinical"]["volume_cc"].get<double>(), 1e-5);

  const json& estro = guideline(r, "estro-2015");
  EXPECT_EQ(estro["overall"], "pass") << estro["summary"].dump(1);
  EXPECT_EQ(estro["provisional"], false);
  EXPECT_TRUE(estro["summary"].empty());
  EXPECT_NEAR(level(estro, "cranial")["deviation_mm"].get<double>(), 0.0, 0.5);
  EXPECT_NEAR(level(estro, "caudal")["deviation_mm"].get<double>(), 0.0, 0.5);
  EXPECT_GT(estro["comparison"]["overlap"]["dice"]["value"].get<double>(), 0.95);
  EXPECT_FALSE(estro["comparison"]["surface"]["hd95_mm"]["convention"].get<std::string>().empty());

  const json& rtog = guideline(r, "rtog-2009");
  EXPECT_EQ(level(rtog, "cranial")["status"], "fail");
  EXPECT_NEAR(level(rtog, "cranial")["deviation_mm"].get<double>(),
              truth["imn"]["deviations"]["vs_rtog"]["cranial_mm"].get<double>(), 2.5);
  EXPECT_EQ(guideline(r, "radcomp-2016")["provisional"], true);

  // The text summary is printed (no patient ID in it), and the report names the case.
  EXPECT_THAT(a.output, ::testing::HasSubstr("estro-2015 v1.1: pass"));
  EXPECT_THAT(a.output, ::testing::HasSubstr("report: "));
  const std::string patient_id = r["case"]["patient_id"];
  EXPECT_FALSE(patient_id.empty());
  EXPECT_EQ(a.output.find(patient_id), std::string::npos) << "no patient ID on stdout or stderr";
}

TEST(AuditCli, ShortCaudalFailsEstroAndRtogAtTheCaudalBorder) {
  const fs::path ph = phantom("short-caudal");
  const Audit a = run_audit(ph, out_dir("short-caudal"), "-q");
  ASSERT_EQ(a.exit_code, 0) << a.output;
  EXPECT_TRUE(a.output.empty()) << a.output;  // --quiet
  const json truth = read_json(ph / "truth.json");
  const double expected = truth["imn"]["deviations"]["vs_estro"]["caudal_mm"];
  const json& estro = guideline(a.report, "estro-2015");
  EXPECT_NEAR(level(estro, "caudal")["deviation_mm"].get<double>(), expected, 2.5);
  EXPECT_LT(level(estro, "caudal")["deviation_ics"].get<double>(), -0.5);
  EXPECT_EQ(level(estro, "caudal")["status"], "fail");
  EXPECT_EQ(estro["overall"], "fail");
  ASSERT_FALSE(estro["summary"].empty());
  EXPECT_EQ(estro["summary"][0]["check"], "caudal border");
  const json& rtog = guideline(a.report, "rtog-2009");
  EXPECT_EQ(level(rtog, "caudal")["status"], "fail");
  EXPECT_EQ(rtog["overall"], "fail");
}

TEST(AuditCli, NarrowMarginFailsEstroMedialAndLateral) {
  const Audit a = run_audit(phantom("narrow-margin"), out_dir("narrow-margin"), "-q");
  ASSERT_EQ(a.exit_code, 0) << a.output;
  const json& estro = guideline(a.report, "estro-2015");
  for (const char* d : {"medial", "lateral"}) {
    EXPECT_NEAR(margin(estro, d)["clinical"]["median_mm"].get<double>(), 2.0, 0.5) << d;
    EXPECT_EQ(margin(estro, d)["status"], "fail") << d;
  }
  EXPECT_EQ(estro["overall"], "fail");
}

// Without the CT's landmarks (--no-ct-landmarks; with them see audit_ct_landmarks_test.cpp) nothing
// stands in for the missing ribs and vessels.
TEST(AuditCli, NoLandmarksWithoutTheCtIsNotEvaluableWithReasonsNotACrash) {
  const Audit a = run_audit(phantom("no-landmarks"), out_dir("no-landmarks"), "-q --no-ct-landmarks");
  ASSERT_EQ(a.exit_code, 0) << a.output;
  EXPECT_EQ(a.report["ct_landmarks"]["searched"], false);
  EXPECT_THAT(a.report["ct_landmarks"]["not_searched_reason"].get<std::string>(), ::testing::HasSubstr("--no-ct-landmarks"));
  const json& estro = guideline(a.report, "estro-2015");
  EXPECT_EQ(estro["reference_ctv"]["evaluable"], false);
  EXPECT_FALSE(estro["reference_ctv"]["not_evaluable"].empty());
  EXPECT_EQ(level(estro, "caudal")["status"], "not_evaluable");
  EXPECT_FALSE(level(estro, "caudal")["reason"].get<std::string>().empty());
  EXPECT_NE(estro["overall"], "pass");
  EXPECT_FALSE(estro["not_evaluable"].empty());
  EXPECT_TRUE(estro["comparison"]["overlap"].is_null());
  EXPECT_FALSE(a.report["landmarks"]["im_vein"]["not_evaluable"].get<std::string>().empty());
  EXPECT_TRUE(a.report["non_finite_values"].empty());
}

TEST(AuditCli, RightSideIsAuditedOnTheRight) {
  const Audit a = run_audit(phantom("right-side"), out_dir("right-side"), "-q");
  ASSERT_EQ(a.exit_code, 0) << a.output;
  EXPECT_EQ(a.report["treated_side"]["side"], "right");
  const json& estro = guideline(a.report, "estro-2015");
  EXPECT_EQ(estro["overall"], "pass") << estro["summary"].dump(1);
  ASSERT_NE(binding(a.report, "ctvn_imn:right"), nullptr);
  EXPECT_EQ(a.report["landmarks"]["im_vein"]["roi_name"], "V_Mammary_R");
}

TEST(AuditCli, ExportRtstructIsValidAndReadByInspect) {
  const fs::path out = out_dir("export");
  const Audit a = run_audit(phantom("estro"), out, "-q --export-rtstruct");
  ASSERT_EQ(a.exit_code, 0) << a.output;
  const fs::path rs = out / "RS_rtaudit_references.dcm";
  ASSERT_TRUE(fs::exists(rs));
  const json& e = a.report["export"];
  EXPECT_EQ(e["written"], true);
  EXPECT_EQ(e["file"], "RS_rtaudit_references.dcm");
  ASSERT_EQ(e["rois"].size(), a.report["guidelines"].size());
  std::set<std::vector<int>> colours;
  for (const auto& roi : e["rois"]) colours.insert(roi["colour"].get<std::vector<int>>());
  EXPECT_EQ(colours.size(), e["rois"].size()) << "one colour per guideline";

  if (fs::exists("/usr/bin/dciodvfy")) {
    std::string all;
    const auto errors = test::dciodvfy_errors(rs, &all);
    EXPECT_TRUE(errors.empty()) << all;
  } else {
    std::printf("[ skipped ] dciodvfy not installed\n");
  }
  const auto r = run_tool(rtaudit_cmd("inspect --json " + quoted(rs) + " 2>/dev/null"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const json j = json::parse(r.output);
  std::map<int, json> rois;
  for (const auto& o : j["objects"]) {
    if (o["kind"] != "RTSTRUCT") continue;
    EXPECT_EQ(o["sop_instance_uid"], e["sop_instance_uid"]);
    for (const auto& roi : o["rois"]) rois[roi["number"].get<int>()] = roi;
  }
  EXPECT_EQ(rois.size(), 34u + e["rois"].size());
  for (const auto& roi : e["rois"]) {
    const int n = roi["roi_number"];
    ASSERT_TRUE(rois.count(n)) << n;
    EXPECT_EQ(rois[n]["name"], roi["roi_name"]);
    const json& g = guideline(a.report, roi["guideline"]);
    EXPECT_NEAR(rois[n]["volume_cc"].get<double>(), g["reference_ctv"]["volume_cc"].get<double>(), 1e-3) << roi["roi_name"];
    EXPECT_TRUE(rois[n]["problems"].empty()) << rois[n]["problems"].dump();
  }
}

TEST(AuditCli, RoleOverrideChangesABinding) {
  const Audit a = run_audit(phantom("estro"), out_dir("override"), "-q --role 'PTVn_IMN_L=ctvn_imn:left' --guideline estro-2015");
  ASSERT_EQ(a.exit_code, 0) << a.output;
  const json* b = binding(a.report, "ctvn_imn:left");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ((*b)["roi_number"], 34);
  EXPECT_EQ((*b)["decided_by"], "override");
  EXPECT_EQ(a.report["clinical_ctv"]["roi_number"], 34);
  ASSERT_EQ(a.report["rules"]["overrides"].size(), 1u);
  EXPECT_EQ(a.report["rules"]["overrides"][0]["origin"], "command line");
  // The PTV is wider than the CTV: the ESTRO margins are no longer met.
  EXPECT_EQ(guideline(a.report, "estro-2015")["overall"], "fail");
}

TEST(AuditCli, RolesFileOverridesAndItsErrors) {
  const fs::path dir = scratch_root() / "roles-files";
  fs::create_directories(dir);
  {
    std::ofstream(dir / "good.txt") << "# mapping\nCTVn_IMN_L = none\n";
    std::ofstream(dir / "bad.txt") << "CTVn_IMN_L = no_such_role\n";
  }
  const Audit good = run_audit(phantom("estro"), out_dir("roles-good"), "-q --guideline estro-2015 --roles-file " + quoted(dir / "good.txt"));
  ASSERT_EQ(good.exit_code, 0) << good.output;
  EXPECT_TRUE(good.report["clinical_ctv"]["roi_number"].is_null());
  EXPECT_FALSE(good.report["not_evaluable"].empty());

  const fs::path out = out_dir("roles-bad");
  const Audit bad = run_audit(phantom("estro"), out, "--roles-file " + quoted(dir / "bad.txt"));
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.output, ::testing::HasSubstr("bad.txt:1"));
  EXPECT_FALSE(fs::exists(out));
  const Audit bad_role = run_audit(phantom("estro"), out, "--role 'CTVn_IMN_L=nonsense'");
  EXPECT_EQ(bad_role.exit_code, 1);
  EXPECT_THAT(bad_role.output, ::testing::HasSubstr("--role"));
  EXPECT_FALSE(fs::exists(out));
}

TEST(AuditCli, GuidelineFilterAndUnknownGuideline) {
  const Audit one = run_audit(phantom("estro"), out_dir("filter"), "-q --guideline rtog-2009");
  ASSERT_EQ(one.exit_code, 0) << one.output;
  ASSERT_EQ(one.report["guidelines"].size(), 1u);
  EXPECT_EQ(one.report["guidelines"][0]["id"], "rtog-2009");

  const fs::path out = out_dir("unknown-guideline");
  const Audit bad = run_audit(phantom("estro"), out, "--guideline no-such-guideline");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.output, ::testing::HasSubstr("unknown guideline 'no-such-guideline'"));
  EXPECT_THAT(bad.output, ::testing::HasSubstr("estro-2015"));
  EXPECT_FALSE(fs::exists(out)) << "nothing written on a bad argument";
}

TEST(AuditCli, BadRuleFileIsReportedAndTheGoodOnesAreUsed) {
  const fs::path rules = scratch_root() / "dept-rules";
  fs::create_directories(rules);
  std::ofstream(rules / "broken.xml") << "<guideline format=\"1\" id=\"dept\" version=\"1\" status=\"published\">\n"
                                         "  <title>Broken</title>\n"
                                         "</guideline\n";
  const Audit a = run_audit(phantom("estro"), out_dir("bad-rules"), "-q --rules " + quoted(rules));
  ASSERT_EQ(a.exit_code, 0) << a.output;
  ASSERT_FALSE(a.report["rules"]["errors"].empty());
  EXPECT_THAT(a.report["rules"]["errors"][0]["message"].get<std::string>(), ::testing::HasSubstr("broken.xml"));
  EXPECT_EQ(a.report["guidelines"].size(), 3u);
  EXPECT_THAT(a.output, ::testing::HasSubstr("broken.xml"));  // warned on stderr

  const Audit missing = run_audit(phantom("estro"), out_dir("missing-rules"), "-q --rules " + quoted(rules / "nope"));
  EXPECT_EQ(missing.exit_code, 1);
}

TEST(AuditCli, EmptyOrMissingFolderExitsTwo) {
  const fs::path empty = scratch_root() / "empty-case";
  fs::create_directories(empty);
  const fs::path out = out_dir("empty");
  const Audit a = run_audit(empty, out);
  EXPECT_EQ(a.exit_code, 2) << a.output;
  EXPECT_THAT(a.output, ::testing::HasSubstr("no usable structure set"));
  EXPECT_FALSE(fs::exists(out));
  EXPECT_EQ(run_audit(scratch_root() / "no-such-case", out).exit_code, 2);
}

TEST(AuditCli, NewestOfSeveralStructureSetsIsAuditedAndTheOthersListed) {
  const fs::path ph = phantom("estro");
  const fs::path case_dir = scratch_root() / "several";
  fs::remove_all(case_dir);
  fs::create_directories(case_dir);
  fs::copy(ph / "CT", case_dir / "CT", fs::copy_options::recursive);
  fs::copy_file(ph / "RS.dcm", case_dir / "RS.dcm");  // StructureSetDate 20240102
  test::RoiSpec heart;
  heart.number = 1;
  heart.name = "Heart";
  heart.contours = {{"CLOSED_PLANAR", test::square(0, 0, 10, 0)}};
  DcmFileFormat older = test::make_rtstruct({heart});
  older.getDataset()->putAndInsertString(DCM_StructureSetDate, "19990101");
  older.getDataset()->putAndInsertString(DCM_SOPInstanceUID, "1.2.3.4.5.6.99");
  test::save(older, case_dir / "RS_old.dcm");

  const Audit a = run_audit(case_dir, out_dir("several"), "-q --guideline estro-2015");
  ASSERT_EQ(a.exit_code, 0) << a.output;
  const json truth = read_json(ph / "truth.json");
  EXPECT_EQ(a.report["case"]["structure_set"]["sop_instance_uid"], truth["uids"]["rtstruct"]);
  ASSERT_EQ(a.report["case"]["other_structure_sets"].size(), 1u);
  EXPECT_EQ(a.report["case"]["other_structure_sets"][0]["file"], "RS_old.dcm");
  EXPECT_THAT(a.report["case"]["other_structure_sets"][0]["not_audited"].get<std::string>(), ::testing::HasSubstr("older"));
  EXPECT_FALSE(a.report["warnings"].empty());
  EXPECT_THAT(a.output, ::testing::HasSubstr("2 structure sets"));  // warned on stderr
  EXPECT_EQ(guideline(a.report, "estro-2015")["overall"], "pass");

  // A newer one wins, even without a CTVn_IMN: the audit then says so.
  DcmFileFormat newer = test::make_rtstruct({heart});
  newer.getDataset()->putAndInsertString(DCM_StructureSetDate, "20300101");
  newer.getDataset()->putAndInsertString(DCM_SOPInstanceUID, "1.2.3.4.5.6.100");
  test::save(newer, case_dir / "RS_new.dcm");
  const Audit b = run_audit(case_dir, out_dir("several-newer"), "-q --guideline estro-2015");
  ASSERT_EQ(b.exit_code, 0) << b.output;
  EXPECT_EQ(b.report["case"]["structure_set"]["file"], "RS_new.dcm");
  EXPECT_EQ(b.report["case"]["other_structure_sets"].size(), 2u);
  EXPECT_TRUE(b.report["clinical_ctv"]["roi_number"].is_null());
  EXPECT_FALSE(b.report["not_evaluable"].empty());
}

TEST(AuditCli, WritesNothingOutsideOut) {
  const fs::path ph = phantom("estro");
  const fs::path parent = scratch_root() / "outside";
  fs::remove_all(parent);
  fs::create_directories(parent / "sibling");
  std::ofstream(parent / "sibling" / "keep.txt") << "x";
  const fs::path out = parent / "out" / "nested";
  const auto case_before = listing(ph);
  const auto parent_before = listing(parent);
  const auto tmp_before = listing(scratch_root());

  const Audit a = run_audit(ph, out, "-q --export-rtstruct");
  ASSERT_EQ(a.exit_code, 0) << a.output;
  EXPECT_EQ(listing(ph), case_before) << "the case folder is untouched";
  auto after = listing(parent);
  std::set<std::string> added;
  for (const auto& [rel, info] : after)
    if (!parent_before.count(rel)) added.insert(rel);
  EXPECT_THAT(added, ::testing::UnorderedElementsAre("out", "out/nested", "out/nested/report.json", "out/nested/report.html",
                                                     "out/nested/summary.csv", "out/nested/RS_rtaudit_references.dcm"));
  for (const auto& [rel, info] : parent_before) EXPECT_EQ(after.at(rel), info) << rel;
  // No temporary left anywhere in the scratch root beyond the new folder.
  for (const auto& [rel, info] : listing(scratch_root())) {
    if (tmp_before.count(rel) || rel.rfind("outside/out", 0) == 0) continue;
    ADD_FAILURE() << "unexpected file " << rel;
  }

  // --out inside the case folder: the export there is not taken for the clinician's structure set.
  const fs::path case_copy = scratch_root() / "case-with-out";
  fs::remove_all(case_copy);
  fs::create_directories(case_copy);
  fs::copy(ph / "CT", case_copy / "CT", fs::copy_options::recursive);
  fs::copy_file(ph / "RS.dcm", case_copy / "RS.dcm");
  ASSERT_EQ(run_audit(case_copy, case_copy / "audit", "-q --export-rtstruct --guideline estro-2015").exit_code, 0);
  const Audit again = run_audit(case_copy, case_copy / "audit", "-q --export-rtstruct --guideline estro-2015");
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(again.report["case"]["structure_set"]["file"], "RS.dcm");
  ASSERT_EQ(again.report["case"]["other_structure_sets"].size(), 1u);
  EXPECT_EQ(again.report["case"]["other_structure_sets"][0]["file"], "audit/RS_rtaudit_references.dcm");
}

}  // namespace
}  // namespace rtaudit
