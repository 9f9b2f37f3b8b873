// report.json of an audit (schema rtaudit-audit/1, docs/report-json.md) on a hand-built AuditResult:
// every number with its convention, no NaN or infinity ever in the document, provisional guidelines
// flagged, failed and warned checks summarised.

#include "rtaudit/report/audit_json.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace rtaudit {
namespace {

using json = nlohmann::ordered_json;
using audit::CheckStatus;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

geom::Structure square_stack(double half, double z0, int planes, double slab = 2.5) {
  geom::Structure s;
  s.slab_mm = slab;
  for (int i = 0; i < planes; ++i) {
    geom::Plane p;
    p.z_mm = z0 + i * slab;
    geom::Polygon poly;
    poly.outer() = {{-half, -half}, {half, -half}, {half, half}, {-half, half}, {-half, -half}};
    p.region.push_back(poly);
    p.area_mm2 = 4 * half * half;
    s.planes.push_back(std::move(p));
  }
  return s;
}

guideline::Tolerance level_tolerance() { return {"level", 3.0, 6.0, "rtaudit default (assumption)"}; }

audit::GuidelineAudit published_guideline() {
  audit::GuidelineAudit g;
  g.guideline_id = "estro-2015";
  g.guideline_version = "1.1";
  g.guideline_title = "ESTRO";
  g.guideline_file = "rules/estro-2015.xml";
  g.reference.guideline_id = "estro-2015";
  g.reference.name = "CTVn_IMN";
  g.reference.roi_name = "REF_ESTRO-2015_CTVn_IMN";
  g.reference.target_role = "ctvn_imn";
  g.reference.structure = square_stack(5, -10, 5);  // 10 x 10 mm, 5 planes of 2.5 mm: 1.25 cc
  g.reference.construction = {"IM vein dilated 5 mm"};
  g.reference.unconfirmed = {"caudal border rib4.medial.cranial +0 mm (line 40)"};

  audit::LevelCheck cranial;
  cranial.border = guideline::Border::Cranial;
  cranial.status = CheckStatus::Pass;
  cranial.clinical_z_mm = 3.75;
  cranial.reference.landmark = "ctvn_l4.caudal";
  cranial.reference.z_mm = 3.75;
  cranial.deviation_mm = 0.0;
  cranial.deviation_ics = 0.0;
  cranial.tolerance = level_tolerance();
  g.levels.push_back(cranial);

  audit::LevelCheck caudal;
  caudal.border = guideline::Border::Caudal;
  caudal.status = CheckStatus::Fail;
  caudal.clinical_z_mm = -61.25;
  caudal.reference.landmark = "rib4.medial.cranial";
  caudal.reference.z_mm = -81.25;
  caudal.deviation_mm = -20.0;
  caudal.deviation_ics = -1.0;
  caudal.tolerance = level_tolerance();
  audit::LevelCheck::Alternative alt;
  alt.level.landmark = "rib5.medial.cranial";
  alt.level.z_mm = -103.75;
  alt.condition = "caudal tumours";
  alt.deviation_mm = -42.5;
  caudal.alternatives.push_back(alt);
  g.levels.push_back(caudal);

  audit::MarginCheck medial;
  medial.direction = audit::Direction::Medial;
  medial.status = CheckStatus::Warn;
  medial.planes = 30;
  medial.clinical_min_mm = 3.2;
  medial.clinical_median_mm = 3.5;
  medial.reference_min_mm = 5.0;
  medial.reference_median_mm = 5.0;
  medial.deviation_median_mm = -1.5;
  medial.deviation_min_mm = -1.8;
  medial.tolerance = {"margin", 1.0, 2.0, "rtaudit default"};
  g.margins.push_back(medial);

  audit::MarginCheck ventral;
  ventral.direction = audit::Direction::Ventral;
  ventral.status = CheckStatus::NotEvaluable;
  ventral.reason = "no vascular area landmark";
  g.margins.push_back(ventral);

  audit::VeinCoverage cov;
  cov.ics = 2;
  cov.cranial_z_mm = -43.75;
  cov.caudal_z_mm = -61.25;
  cov.planes = 7;
  cov.centreline_pct = 100.0;
  cov.volume_pct = 99.5;
  g.vein_coverage.push_back(cov);

  audit::OrganOverlap heart;
  heart.role = "heart";
  heart.roi_number = 4;
  heart.roi_name = "Heart";
  heart.status = CheckStatus::Pass;
  heart.overlap_cc = 0.0;
  heart.pass_cc = 0.01;
  heart.warn_cc = 0.1;
  heart.basis = "rtaudit default";
  g.overlaps.push_back(heart);

  compare::Overlap o;
  o.volume_a_cc = 1.25;
  o.volume_b_cc = 1.0;
  o.intersection_cc = 1.0;
  o.union_cc = 1.25;
  o.dice = 2.0 / 2.25;
  o.jaccard = 0.8;
  o.volume_ratio = 0.8;
  o.missed_cc = 0.25;
  o.matched_planes = 4;
  o.planes_only_a = 1;
  g.comparison.overlap = o;
  compare::SurfaceDistances d;
  d.a_to_b = {2.5, 2.5, 0.6, 300.0, 1200};
  d.b_to_a = {0.5, 0.4, 0.1, 240.0, 960};
  d.hausdorff_mm = 2.5;
  d.hd95_mm = 2.5;
  d.msd_mm = 0.378;
  d.surface_dice = {{2.0, 0.9}, {3.0, 1.0}};
  d.added_path_length_mm = 40.0;
  d.apl_tolerance_mm = 1.0;
  g.comparison.surface = d;
  g.notes = {"the ventral border is realised by a clip"};
  g.overall = CheckStatus::Fail;
  return g;
}

audit::GuidelineAudit provisional_guideline() {
  audit::GuidelineAudit g;
  g.guideline_id = "radcomp-2016";
  g.guideline_version = "2016";
  g.guideline_title = "RADCOMP";
  g.status = guideline::Status::Provisional;
  g.reference.status = guideline::Status::Provisional;
  g.reference.not_evaluable = {"caudal level: no ROI bound to the left rib 5 (rib5)"};
  g.comparison.reason = "reference CTV not evaluable";
  g.overall = CheckStatus::NotEvaluable;
  return g;
}

audit::AuditResult sample_result() {
  audit::AuditResult r;
  r.landmarks.treated.side = anatomy::Side::Left;
  r.landmarks.treated.method = "from the name of ROI 31 'CTVn_IMN_L'";
  anatomy::Level rib4;
  rib4.name = "rib4.medial.cranial";
  rib4.z_mm = -81.25;
  rib4.method = "upper slab edge";
  rib4.rois = {10};
  r.landmarks.levels[rib4.name] = rib4;
  anatomy::Level rib10;
  rib10.name = "rib10.medial.cranial";
  rib10.not_evaluable = "not contoured";
  r.landmarks.levels[rib10.name] = rib10;
  anatomy::Level rib2;
  rib2.name = "rib2.medial.caudal";
  rib2.z_mm = -43.75;
  r.landmarks.levels[rib2.name] = rib2;
  anatomy::Level junction;
  junction.name = "imv_junction";
  junction.z_mm = 4.4;
  r.landmarks.levels[junction.name] = junction;
  r.landmarks.ics.push_back({2, -43.75, -61.25});
  r.landmarks.im_vein.role = "im_vein";
  r.landmarks.im_vein.roi_number = 21;
  r.landmarks.im_vein.roi_name = "V_Mammary_L";
  r.landmarks.im_vein.centreline = {{-10.0, {24.0, -78.0}, 9.8, 1}, {-7.5, {24.1, -78.0}, 9.8, 1}};
  r.landmarks.im_artery.role = "im_artery";
  r.landmarks.im_artery.not_evaluable = "no ROI bound to the left IM artery";
  r.landmarks.sternum_edge = {{-10.0, 12.0}, {-7.5, 12.2}};
  r.landmarks.lung_surface.name = "lung.surface";
  r.landmarks.lung_surface.roi_number = 2;
  r.landmarks.lung_surface.roi_name = "Lung_L";
  r.landmarks.heart_surface.name = "heart.surface";
  r.landmarks.heart_surface.not_evaluable = "no heart";
  r.landmarks.external_surface.name = "external.surface";
  r.clinical_roi_number = 31;
  r.clinical_roi_name = "CTVn_IMN_L";
  r.clinical_volume_cc = 1.0;
  r.guidelines.push_back(published_guideline());
  r.guidelines.push_back(provisional_guideline());
  return r;
}

report::AuditReportContext sample_context() {
  report::AuditReportContext c;
  c.rtaudit_version = "9.9.9";
  c.input.case_dir = "/data/case1";
  c.input.structure_set.file = "RS.dcm";
  c.input.structure_set.sop_instance_uid = "1.2.3";
  c.input.structure_set.patient_id = "PID-4711";
  c.input.structure_set.rois = 34;
  c.input.selection = "the only usable structure set";
  c.input.image_series = report::ImageSeriesInfo{"1.2.4", "CT", 105, 2.5};
  c.input.fallback_slab_mm = 2.5;
  c.rules.folders = {"rules"};
  c.rules.guidelines = {{"rules/estro-2015.xml", "estro-2015", "1.1", guideline::Status::Published, true, true},
                        {"rules/radcomp-2016.xml", "radcomp-2016", "2016", guideline::Status::Provisional, true, true}};
  c.rules.errors.push_back({"dept/bad.xml", 12, "a finite number in attribute offset_mm"});
  c.rules.skipped.push_back({"rules/names.xml", "names"});
  c.rules.names_file = "rules/names.xml";
  c.rules.names_version = "1";
  c.overrides.push_back({"Nodes", "ctvn_imn", anatomy::Side::Left, "command line"});
  return c;
}

TEST(AuditJson, HasTheSchemaAndTheConventions) {
  const json j = report::audit_to_json(sample_result(), sample_context());
  EXPECT_EQ(j["schema"], "rtaudit-audit/1");
  EXPECT_EQ(j["rtaudit_version"], "9.9.9");
  const json& c = j["conventions"];
  for (const char* key : {"deviation_sign", "deviation_ics", "levels", "volume", "margins", "tolerance", "comparison_roles"}) {
    ASSERT_TRUE(c.contains(key)) << key;
    EXPECT_FALSE(c[key].get<std::string>().empty()) << key;
  }
  EXPECT_THAT(c["deviation_sign"].get<std::string>(), ::testing::HasSubstr("positive = the clinician's CTV extends further"));
  EXPECT_THAT(c["volume"].get<std::string>(), ::testing::HasSubstr("slab model"));
  EXPECT_THAT(c["volume"].get<std::string>(), ::testing::HasSubstr("half-slab end caps"));
  EXPECT_THAT(c["levels"].get<std::string>(), ::testing::HasSubstr("slab edges"));
}

TEST(AuditJson, EveryComparisonMetricCarriesItsConvention) {
  const json j = report::audit_to_json(sample_result(), sample_context());
  const json& cmp = j["guidelines"][0]["comparison"];
  for (const char* m : {"dice", "jaccard", "volume_ratio", "missed_cc", "added_cc", "reference_volume_cc",
                        "clinical_volume_cc", "intersection_cc", "union_cc"}) {
    ASSERT_TRUE(cmp["overlap"].contains(m)) << m;
    EXPECT_TRUE(cmp["overlap"][m]["value"].is_number()) << m;
    EXPECT_FALSE(cmp["overlap"][m]["convention"].get<std::string>().empty()) << m;
  }
  EXPECT_NEAR(cmp["overlap"]["dice"]["value"].get<double>(), 2.0 / 2.25, 1e-6);
  for (const char* m : {"hd_mm", "hd95_mm", "hd95_plastimatch_mm", "msd_mm", "added_path_length_mm"}) {
    ASSERT_TRUE(cmp["surface"].contains(m)) << m;
    EXPECT_FALSE(cmp["surface"][m]["convention"].get<std::string>().empty()) << m;
  }
  EXPECT_EQ(cmp["surface"]["hd95_mm"]["convention"],
            "HD95: max of the two directed 95th percentiles, surface-area weighted, on the contour surfaces");
  EXPECT_DOUBLE_EQ(cmp["surface"]["hd95_plastimatch_mm"]["value"].get<double>(), (2.5 + 0.4) / 2);
  ASSERT_EQ(cmp["surface"]["surface_dice"].size(), 2u);
  EXPECT_EQ(cmp["surface"]["surface_dice"][1]["tolerance_mm"], 3.0);
  EXPECT_EQ(cmp["surface"]["surface_dice"][1]["value"], 1.0);
  EXPECT_FALSE(cmp["surface"]["surface_dice"][0]["convention"].get<std::string>().empty());
  EXPECT_EQ(cmp["surface"]["added_path_length_mm"]["tolerance_mm"], 1.0);
  EXPECT_EQ(cmp["overlap"]["planes"]["only_reference"], 1);
}

TEST(AuditJson, NonFiniteNumbersBecomeNullWithAReason) {
  audit::AuditResult r = sample_result();
  r.guidelines[0].comparison.surface->hd95_mm = kNaN;
  r.guidelines[0].comparison.overlap->dice = kInf;
  r.guidelines[0].levels[1].deviation_mm = kNaN;
  r.clinical_volume_cc = -kInf;
  const json j = report::audit_to_json(r, sample_context());
  const json& cmp = j["guidelines"][0]["comparison"];
  EXPECT_TRUE(cmp["surface"]["hd95_mm"]["value"].is_null());
  EXPECT_THAT(cmp["surface"]["hd95_mm"]["reason"].get<std::string>(), ::testing::HasSubstr("nan"));
  EXPECT_TRUE(cmp["overlap"]["dice"]["value"].is_null());
  EXPECT_THAT(cmp["overlap"]["dice"]["reason"].get<std::string>(), ::testing::HasSubstr("inf"));
  EXPECT_TRUE(j["guidelines"][0]["checks"]["levels"][1]["deviation_mm"].is_null());
  EXPECT_TRUE(j["clinical_ctv"]["volume_cc"].is_null());
  std::vector<std::string> paths;
  for (const auto& p : j["non_finite_values"]) {
    paths.push_back(p["path"]);
    EXPECT_FALSE(p["reason"].get<std::string>().empty());
  }
  EXPECT_THAT(paths, ::testing::Contains("/guidelines/0/checks/levels/1/deviation_mm"));
  EXPECT_THAT(paths, ::testing::Contains("/clinical_ctv/volume_cc"));
  // No non-finite number is left anywhere in the document, and it parses back as strict JSON.
  json copy = j;
  EXPECT_TRUE(report::replace_non_finite(copy).empty());
  const std::string text = j.dump();
  EXPECT_EQ(text.find(":NaN"), std::string::npos);
  EXPECT_EQ(text.find(":Infinity"), std::string::npos);
  EXPECT_TRUE(json::accept(text));
}

TEST(AuditJson, ReplaceNonFiniteEscapesPointerTokens) {
  json j{{"a/b", {1.0, kNaN}}, {"c~d", kInf}, {"ok", 2.0}};
  const auto paths = report::replace_non_finite(j);
  EXPECT_THAT(paths, ::testing::ElementsAre("/a~1b/1", "/c~0d"));
  EXPECT_TRUE(j["a/b"][1].is_null());
  EXPECT_TRUE(j["c~d"].is_null());
  EXPECT_EQ(j["ok"], 2.0);
}

TEST(AuditJson, ProvisionalGuidelinesAreFlagged) {
  const json j = report::audit_to_json(sample_result(), sample_context());
  const json& p = j["guidelines"][1];
  EXPECT_EQ(p["status"], "provisional");
  EXPECT_EQ(p["provisional"], true);
  EXPECT_EQ(p["reference_ctv"]["provisional"], true);
  EXPECT_EQ(j["guidelines"][0]["provisional"], false);
  EXPECT_EQ(j["overall"][1]["provisional"], true);
  EXPECT_EQ(j["overall"][1]["status"], "not_evaluable");
  EXPECT_EQ(j["rules"]["guidelines"][1]["provisional"], true);
  EXPECT_NE(report::audit_to_text(sample_result(), sample_context()).find("radcomp-2016 v2016 [provisional]"),
            std::string::npos);
}

TEST(AuditJson, NotEvaluableReferenceHasReasonsAndNoVolume) {
  const json j = report::audit_to_json(sample_result(), sample_context());
  const json& ref = j["guidelines"][1]["reference_ctv"];
  EXPECT_EQ(ref["evaluable"], false);
  EXPECT_TRUE(ref["volume_cc"].is_null());
  EXPECT_TRUE(ref["extent"].is_null());
  ASSERT_EQ(ref["not_evaluable"].size(), 1u);
  EXPECT_TRUE(j["guidelines"][1]["comparison"]["overlap"].is_null());
  EXPECT_EQ(j["guidelines"][1]["comparison"]["overlap_reason"], "reference CTV not evaluable");
}

TEST(AuditJson, ReferenceCtvHasVolumeExtentAndConstruction) {
  const json j = report::audit_to_json(sample_result(), sample_context());
  const json& ref = j["guidelines"][0]["reference_ctv"];
  EXPECT_NEAR(ref["volume_cc"].get<double>(), 1.25, 1e-9);
  EXPECT_EQ(ref["planes"], 5);
  EXPECT_DOUBLE_EQ(ref["extent"]["caudal_edge_z_mm"].get<double>(), -11.25);
  EXPECT_DOUBLE_EQ(ref["extent"]["cranial_edge_z_mm"].get<double>(), 1.25);
  EXPECT_EQ(ref["roi_name"], "REF_ESTRO-2015_CTVn_IMN");
  EXPECT_EQ(ref["construction"].size(), 1u);
  EXPECT_EQ(ref["unconfirmed"].size(), 1u);
}

TEST(AuditJson, ChecksCarryLandmarkOffsetDeviationToleranceAndAlternatives) {
  const json j = report::audit_to_json(sample_result(), sample_context());
  const json& caudal = j["guidelines"][0]["checks"]["levels"][1];
  EXPECT_EQ(caudal["border"], "caudal");
  EXPECT_EQ(caudal["status"], "fail");
  EXPECT_EQ(caudal["clinical_z_mm"], -61.25);
  EXPECT_EQ(caudal["reference"]["z_mm"], -81.25);
  EXPECT_EQ(caudal["reference"]["landmark"], "rib4.medial.cranial");
  EXPECT_EQ(caudal["reference"]["offset_mm"], 0.0);
  EXPECT_EQ(caudal["deviation_mm"], -20.0);
  EXPECT_EQ(caudal["deviation_ics"], -1.0);
  EXPECT_EQ(caudal["tolerance"]["pass_mm"], 3.0);
  EXPECT_EQ(caudal["tolerance"]["warn_mm"], 6.0);
  EXPECT_FALSE(caudal["tolerance"]["basis"].get<std::string>().empty());
  ASSERT_EQ(caudal["alternatives"].size(), 1u);
  EXPECT_EQ(caudal["alternatives"][0]["condition"], "caudal tumours");
  EXPECT_EQ(caudal["alternatives"][0]["deviation_mm"], -42.5);
  const json& medial = j["guidelines"][0]["checks"]["margins"][0];
  EXPECT_EQ(medial["direction"], "medial");
  EXPECT_EQ(medial["clinical"]["median_mm"], 3.5);
  EXPECT_EQ(medial["deviation"]["median_mm"], -1.5);
  const json& ventral = j["guidelines"][0]["checks"]["margins"][1];
  EXPECT_EQ(ventral["status"], "not_evaluable");
  EXPECT_TRUE(ventral["clinical"]["median_mm"].is_null());
  EXPECT_EQ(ventral["reason"], "no vascular area landmark");
  EXPECT_EQ(j["guidelines"][0]["checks"]["vein_coverage"][0]["ics"], 2);
  EXPECT_EQ(j["guidelines"][0]["checks"]["organ_overlaps"][0]["status"], "pass");
}

TEST(AuditJson, SummaryListsFailedThenWarnedChecksOnly) {
  const json j = report::audit_to_json(sample_result(), sample_context());
  const json& s = j["guidelines"][0]["summary"];
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0]["check"], "caudal border");
  EXPECT_EQ(s[0]["status"], "fail");
  EXPECT_THAT(s[0]["message"].get<std::string>(), ::testing::HasSubstr("stops 20.0 mm short"));
  EXPECT_EQ(s[1]["check"], "medial margin");
  EXPECT_EQ(s[1]["status"], "warn");
  EXPECT_EQ(j["guidelines"][0]["overall"], "fail");
  ASSERT_EQ(j["guidelines"][0]["not_evaluable"].size(), 1u);
  EXPECT_EQ(j["guidelines"][0]["not_evaluable"][0]["check"], "ventral margin");
}

TEST(AuditJson, LandmarksInReadingOrderWithCompactCentrelines) {
  const json j = report::audit_to_json(sample_result(), sample_context());
  std::vector<std::string> names;
  for (const auto& [k, v] : j["landmarks"]["levels"].items()) names.push_back(k);
  EXPECT_THAT(names, ::testing::ElementsAre("imv_junction", "rib2.medial.caudal", "rib4.medial.cranial", "rib10.medial.cranial"));
  EXPECT_TRUE(j["landmarks"]["levels"]["rib10.medial.cranial"]["z_mm"].is_null());
  EXPECT_EQ(j["landmarks"]["levels"]["rib10.medial.cranial"]["not_evaluable"], "not contoured");
  const json& vein = j["landmarks"]["im_vein"];
  EXPECT_EQ(vein["planes"], 2);
  EXPECT_EQ(vein["z_min_mm"], -10.0);
  EXPECT_EQ(vein["z_max_mm"], -7.5);
  ASSERT_EQ(vein["centreline"]["rows"].size(), 2u);
  EXPECT_EQ(vein["centreline"]["rows"][1][0], -7.5);
  EXPECT_EQ(j["landmarks"]["im_artery"]["evaluable"], false);
  EXPECT_EQ(j["landmarks"]["ics"][0]["height_mm"], 17.5);
  EXPECT_EQ(j["landmarks"]["sternum_edge"]["planes"], 2);
  EXPECT_EQ(j["landmarks"]["surfaces"]["heart"]["not_evaluable"], "no heart");

  report::AuditReportContext compact = sample_context();
  compact.include_centrelines = false;
  const json k = report::audit_to_json(sample_result(), compact);
  EXPECT_FALSE(k["landmarks"]["im_vein"].contains("centreline"));
  EXPECT_FALSE(k["landmarks"]["sternum_edge"].contains("edge"));
  EXPECT_EQ(k["landmarks"]["im_vein"]["planes"], 2);
}

TEST(AuditJson, CaseRulesAndOverridesFromTheContext) {
  const json j = report::audit_to_json(sample_result(), sample_context());
  EXPECT_EQ(j["case"]["patient_id"], "PID-4711");
  EXPECT_EQ(j["case"]["structure_set"]["sop_instance_uid"], "1.2.3");
  EXPECT_EQ(j["case"]["image_series"]["slice_spacing_mm"], 2.5);
  EXPECT_EQ(j["rules"]["errors"][0]["message"], "dept/bad.xml:12: expected a finite number in attribute offset_mm");
  EXPECT_EQ(j["rules"]["skipped"][0]["root"], "names");
  EXPECT_EQ(j["rules"]["overrides"][0]["role"], "ctvn_imn");
  EXPECT_EQ(j["rules"]["overrides"][0]["side"], "left");
  EXPECT_EQ(j["treated_side"]["side"], "left");
  EXPECT_EQ(j["clinical_ctv"]["roi_number"], 31);
  EXPECT_TRUE(j["export"].is_null());
  EXPECT_FALSE(j.contains("generated"));
  EXPECT_TRUE(j["options"].is_null());
}

TEST(AuditJson, TextSummaryNamesStatusesAndFindingsButNoPatientId) {
  const std::string text = report::audit_to_text(sample_result(), sample_context());
  EXPECT_THAT(text, ::testing::HasSubstr("treated side: left"));
  EXPECT_THAT(text, ::testing::HasSubstr("estro-2015 v1.1: fail"));
  EXPECT_THAT(text, ::testing::HasSubstr("! fail: caudal border"));
  EXPECT_THAT(text, ::testing::HasSubstr("! warn: medial margin"));
  EXPECT_EQ(text.find("PID-4711"), std::string::npos);
}

TEST(AuditJson, ExportIsRecorded) {
  report::AuditReportContext c = sample_context();
  report::ExportInfo e;
  e.file = "RS_rtaudit_references.dcm";
  e.sop_instance_uid = "2.25.1";
  e.series_instance_uid = "2.25.2";
  e.rois.push_back({35, "REF_ESTRO-2015_CTVn_IMN", "estro-2015", {0, 200, 255}});
  e.skipped.push_back("radcomp-2016: reference CTV not evaluable");
  c.exported_rtstruct = e;
  const json j = report::audit_to_json(sample_result(), c);
  EXPECT_EQ(j["export"]["written"], true);
  EXPECT_EQ(j["export"]["file"], "RS_rtaudit_references.dcm");
  EXPECT_EQ(j["export"]["rois"][0]["roi_number"], 35);
  EXPECT_EQ(j["export"]["rois"][0]["colour"], json::array({0, 200, 255}));
  EXPECT_EQ(j["export"]["skipped"].size(), 1u);
}

}  // namespace
}  // namespace rtaudit
