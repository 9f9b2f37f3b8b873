// report.html and summary.csv from a hand-built report document and analytic structures (issue 7).
#include "rtaudit/report/figures.hpp"
#include "rtaudit/report/html_report.hpp"
#include "rtaudit/report/summary_csv.hpp"
#include "rtaudit/report/svg.hpp"

#include "rtaudit/geom/structure.hpp"
#include "tests/support/shapes.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <regex>

namespace {

using json = nlohmann::ordered_json;
using namespace rtaudit;

const std::string kHostile = "<script>alert(1)</script>\"'&";

/// A box stack x0..x1, y0..y1 with planes every 2.5 mm from z0 to z1.
geom::Structure box_stack(double x0, double x1, double y0, double y1, double z0, double z1) {
  std::vector<geom::Contour> contours;
  for (double z = z0; z <= z1 + 1e-9; z += 2.5) contours.push_back(test::rectangle(x0, y0, x1, y1, z));
  return geom::build_structure(contours).structure;
}

json level(const char* border, const char* status, double deviation) {
  return {{"border", border}, {"status", status}, {"clinical_z_mm", 10.0},
          {"reference", {{"landmark", "rib2.medial.cranial"}, {"z_mm", 12.0}}}, {"deviation_mm", deviation},
          {"deviation_ics", nullptr}, {"tolerance", {{"pass_mm", 3}, {"warn_mm", 6}}}};
}

json sample_report() {
  json r;
  r["schema"] = "rtaudit-audit/1";
  r["rtaudit_version"] = "9.9.9";
  r["generated"] = "2026-12-02T10:00:00+00:00";
  r["case"] = {{"patient_id", kHostile}, {"structure_set", {{"label", kHostile}, {"date", "20261201"}, {"time", "101010"}, {"file", "RS.dcm"}}}};
  r["treated_side"] = {{"side", "left"}, {"method", "from ROI 'CTVn_IMN_L'"}};
  r["clinical_ctv"] = {{"roi_number", 7}, {"roi_name", kHostile}, {"volume_cc", 12.5}};
  r["rules"] = {{"guidelines", json::array({{{"id", "ESTRO-2015"}, {"version", "1"}, {"file", "estro.xml"}, {"audited", true}}})}};
  r["landmarks"] = {{"levels", {{"rib1.medial.cranial", {{"z_mm", 40.0}}}, {"rib1.medial.caudal", {{"z_mm", 30.0}}},
                                {"rib2.medial.cranial", {{"z_mm", 20.0}}}, {"rib2.medial.caudal", {{"z_mm", 10.0}}}}},
                    {"ics", json::array({{{"number", 1}, {"cranial_z_mm", 30.0}, {"caudal_z_mm", 20.0}}})},
                    {"lateral_sign", 1}};
  json g;
  g["id"] = "ESTRO-2015";
  g["version"] = "1";
  g["title"] = "ESTRO";
  g["overall"] = "fail";
  g["checks"] = {{"levels", json::array({level("cranial", "pass", 1.0), level("caudal", "fail", -20.0)})},
                 {"margins", json::array({{{"direction", "medial"}, {"status", "warn"}, {"planes", 4}}})},
                 {"vein_coverage", json::array()},
                 {"organ_overlaps", json::array({{{"role", "heart"}, {"status", "not_evaluable"}}})}};
  g["comparison"] = {{"overlap", {{"dice", {{"value", 0.8123}, {"convention", "2|A n B|/(|A|+|B|)"}}}}}, {"surface", nullptr}};
  g["summary"] = json::array({{{"check", "caudal border"}, {"status", "fail"}, {"message", "caudal border stops 20.0 mm short"}}});
  g["not_evaluable"] = json::array({{{"check", "overlap heart"}, {"reason", "no heart contoured"}}});
  r["guidelines"] = json::array({g});
  r["heart"] = {{"mean_heart_dose_gy", 3.2},
                {"mean_heart_dose_source", "RTDOSE"},
                {"dvhs", json::array({{{"organ", "heart"},
                                       {"roi", kHostile},
                                       {"dvh", {{"sampled_volume_cc", 100.0},
                                                {"metrics", {{"mean_gy", 3.2}}},
                                                {"cumulative", {{"dose_gy", {0.0, 10.0, 20.0}}, {"volume_cc", {100.0, 10.0, 0.0}}}}}}}})},
                {"proxies", {{"ovh", json::array({{{"ptv", "ptvn_imn"}, {"organ", "heart"}, {"distance_mm", {0.0, 5.0, 10.0}},
                                                   {"volume_pct", {0.0, 2.0, 9.0}}}})}}},
                {"constraints", json::array({{{"set", "QUANTEC"}, {"structure", "heart"}, {"metric", "Dmean"}, {"op", "<="}, {"limit", 4},
                                              {"unit", "Gy"}, {"value", 3.2}, {"status", "pass"}}})},
                {"coronary_risk", {{"mean_heart_dose_gy", 3.2}, {"excess_relative_risk_pct", {{"value", 23.7}, {"lo", 9.3}, {"hi", 46.1}}},
                                   {"source", "Darby et al. 2013"}}}};
  r["miss"] = {{"points", json::array({{{"id", kHostile}, {"kind", "recurrence"}, {"position_mm", {5.0, 0.0, 25.0}},
                                        {"vs", json::array({{{"ctv", "clinical"}, {"class", "outside"}, {"signed_distance_mm", 4.0}}})}}})},
               {"ctvs", json::array({{{"key", "clinical"}, {"label", "clinical"}, {"expected_miss", {{"value_pct", 2.5}, {"lo_pct", 1.0}, {"hi_pct", 4.0}}},
                                      {"findings", json::array({kHostile})}}})},
               {"miss_without_imc", {{"value_pct", 20.0}, {"lo_pct", 15.0}, {"hi_pct", 25.0}}}};
  r["warnings"] = json::array({kHostile});
  return r;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

struct Page {
  geom::Structure ctv = box_stack(-10, 10, -5, 5, 0, 40), ref = box_stack(-12, 12, -6, 6, 5, 35);
  json report = sample_report();
  std::vector<report::Figure> figures;
  std::string html;
  Page() {
    std::vector<report::Layer> layers{{"clinical " + kHostile, "#d62728", report::LayerKind::Clinical, &ctv},
                                      {"ESTRO-2015 reference", report::reference_colour(0), report::LayerKind::Reference, &ref}};
    figures = report::anatomy_figures(layers, report);
    for (auto& f : report::dose_figures(report)) figures.push_back(std::move(f));
    html = report::render_report_html(report, figures);
  }
};

}  // namespace

TEST(HtmlReport, NoStringFromTheDocumentReachesThePageUnescaped) {
  const Page p;
  EXPECT_EQ(p.html.find(kHostile), std::string::npos);
  EXPECT_EQ(p.html.find("<script>alert"), std::string::npos);
  EXPECT_EQ(lower(p.html).find("<script"), std::string::npos) << "the page carries no script at all";
  EXPECT_THAT(p.html, ::testing::HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;"));
  EXPECT_THAT(p.html, ::testing::HasSubstr("Content-Security-Policy\" content=\"default-src 'none'"));
  for (const auto& f : p.figures) EXPECT_EQ(f.svg.find(kHostile), std::string::npos) << f.id;
}

TEST(HtmlReport, VerdictRowsFollowTheDocument) {
  const Page p;
  const auto rows = report::verdict_rows(p.report);
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[0].check, "overall");
  EXPECT_EQ(rows[0].status, "fail");
  EXPECT_EQ(rows[2].check, "caudal border");
  EXPECT_EQ(rows[2].message, "caudal border stops 20.0 mm short");
  EXPECT_EQ(rows[3].check, "medial margin");
  EXPECT_EQ(rows[3].status, "warn");
  EXPECT_EQ(rows[4].check, "overlap heart");
  EXPECT_EQ(rows[4].message, "no heart contoured");
  EXPECT_EQ(rows[5].group, "heart");
  EXPECT_EQ(rows[5].status, "pass");
  // Every row is in the page with its status as a data attribute.
  const std::regex row_re("<tr class=\"check\" data-group=\"([^\"]*)\" data-check=\"([^\"]*)\" data-status=\"([^\"]*)\"");
  std::vector<std::string> seen;
  for (auto it = std::sregex_iterator(p.html.begin(), p.html.end(), row_re); it != std::sregex_iterator(); ++it)
    seen.push_back((*it)[1].str() + "|" + (*it)[2].str() + "|" + (*it)[3].str());
  ASSERT_EQ(seen.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(seen[i], rows[i].group + "|" + rows[i].check + "|" + rows[i].status);
}

TEST(HtmlReport, EveryFigureIsDrawn) {
  const Page p;
  std::vector<std::string> ids;
  for (const auto& f : p.figures) {
    ids.push_back(f.id);
    EXPECT_TRUE(f.has_content) << f.id;
    EXPECT_THAT(f.svg, ::testing::StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    EXPECT_THAT(f.svg, ::testing::EndsWith("</svg>"));
    EXPECT_THAT(p.html, ::testing::HasSubstr("data-figure=\"" + f.id + "\""));
  }
  EXPECT_THAT(ids, ::testing::ElementsAre("axial-ics1", "coronal", "sagittal", "recurrence-map", "dvh", "ovh"));
  const auto& ovh = p.figures.back();
  EXPECT_THAT(ovh.svg, ::testing::HasSubstr("<polyline class=\"series\"")) << "one OVH curve";
  // The recurrence map draws the point, named (escaped) and coloured as outside.
  EXPECT_THAT(p.figures[3].svg, ::testing::HasSubstr("fill=\"#d62728\" stroke=\"#000\""));
}

TEST(HtmlReport, BenefitAndRiskPanelShowsBothSides) {
  const Page p;
  EXPECT_THAT(p.html, ::testing::HasSubstr("id=\"miss-with-imc\">2.5 % (range 1.0\xE2\x80\x93" "4.0 %)"));
  EXPECT_THAT(p.html, ::testing::HasSubstr("id=\"miss-without-imc\">20.0 % (range 15.0\xE2\x80\x93" "25.0 %)"));
  EXPECT_THAT(p.html, ::testing::HasSubstr("id=\"err\">23.7 % (range 9.3\xE2\x80\x93" "46.1 %)"));
  EXPECT_THAT(p.html, ::testing::HasSubstr("Darby et al. 2013"));
  EXPECT_THAT(p.html, ::testing::HasSubstr("@page{size:A4"));
}

TEST(HtmlReport, MissingPartsSayWhyInsteadOfDrawingNothing) {
  json r = sample_report();
  r["heart"] = {{"mean_heart_dose_source", "no RTDOSE in the case"}};
  r["landmarks"] = json::object();
  r["miss"] = json::object();
  const std::vector<report::Figure> dose = report::dose_figures(r);
  ASSERT_EQ(dose.size(), 2u);
  EXPECT_FALSE(dose[0].has_content);
  EXPECT_THAT(dose[0].svg, ::testing::HasSubstr("no DVH"));
  const std::vector<report::Figure> anatomy = report::anatomy_figures({}, r);
  for (const auto& f : anatomy) EXPECT_FALSE(f.has_content) << f.id;
  const std::string html = report::render_report_html(r, anatomy);
  EXPECT_THAT(html, ::testing::HasSubstr("Not available: no RTDOSE in the case"));
}

TEST(HtmlReport, EveryLandmarkSaysWhereItCameFromAndEstimatesStandOut) {
  json r = sample_report();
  r["landmarks"]["levels"]["rib1.medial.cranial"]["provenance"] = {{"origin", "ct"}, {"confidence", 0.9}};
  r["landmarks"]["levels"]["rib1.medial.cranial"]["method"] = "upper slab edge of CT landmark " + kHostile;
  r["landmarks"]["levels"]["rib1.medial.caudal"]["provenance"] = {{"origin", "contour"}, {"confidence", 1.0}};
  r["landmarks"]["levels"]["rib2.medial.cranial"]["provenance"] = nullptr;
  r["landmarks"]["levels"]["rib2.medial.cranial"]["not_evaluable"] = "no rib 2 found";
  r["landmarks"]["im_vein"] = {{"provenance", {{"origin", "estimated"}, {"confidence", 0.2}}}, {"method", "estimated landmark"}};
  r["ct_landmarks"] = {{"searched", true},
                       {"structures", json::array({{{"name", kHostile}, {"origin", "estimated"}, {"confidence", 0.2}, {"used", false},
                                                    {"why_not_used", "--no-estimated-landmarks"}}})}};
  r["guidelines"][0]["checks"]["margins"][0]["landmark_basis"] = {{"origin", "estimated"}, {"confidence", 0.2}};
  const std::string html = report::render_report_html(r, {});
  const auto at = html.find("<section id=\"landmarks\">");
  ASSERT_NE(at, std::string::npos);
  const std::string section = html.substr(at, html.find("</section>", at) - at);
  EXPECT_THAT(section, ::testing::HasSubstr("<td>rib1.medial.cranial</td><td class=\"basis basis-ct\">found in the CT</td><td class=\"num\">0.90</td>"));
  EXPECT_THAT(section, ::testing::HasSubstr("<td>rib1.medial.caudal</td><td class=\"basis basis-contour\">contour</td>"));
  EXPECT_THAT(section, ::testing::HasSubstr("<td>rib2.medial.cranial</td><td class=\"basis basis-none\">not found</td><td></td><td>no rib 2 found</td>"));
  EXPECT_THAT(section, ::testing::HasSubstr("<td>im_vein</td><td class=\"basis basis-estimated\">ESTIMATED</td>"));
  EXPECT_THAT(section, ::testing::HasSubstr("not used: --no-estimated-landmarks"));
  EXPECT_EQ(html.find(kHostile), std::string::npos) << "method and structure names are escaped";
  EXPECT_THAT(html, ::testing::HasSubstr("<td class=\"basis basis-estimated\" title=\"confidence 0.20\">ESTIMATED</td>"))
      << "the margin row built on the estimate says so";
}

TEST(Svg, IsotropicMappingKeepsMillimetresSquareAndCentred) {
  const auto m = report::svg::isotropic(-10, 30, 0, 10, 400, 300, 10, false);
  EXPECT_DOUBLE_EQ(m.x(30) - m.x(-10), 380.0) << "the wide axis fills the width less the padding";
  EXPECT_DOUBLE_EQ(m.y(10) - m.y(0), 95.0) << "same scale in y: 10 mm = 95 px";
  EXPECT_DOUBLE_EQ((m.y(0) + m.y(10)) / 2, 150.0);
  const auto up = report::svg::isotropic(0, 10, 0, 10, 100, 100, 0, true);
  EXPECT_DOUBLE_EQ(up.y(10), 0.0) << "y up: the largest world y at the top";
  EXPECT_DOUBLE_EQ(up.y(0), 100.0);
}

TEST(Svg, PathOfABoxWithAHole) {
  geom::MultiPolygon mp;
  mp.resize(1);
  mp[0].outer() = {{0, 0}, {0, 10}, {10, 10}, {10, 0}, {0, 0}};
  mp[0].inners().push_back({{2, 2}, {8, 2}, {8, 8}, {2, 8}, {2, 2}});
  report::svg::Mapping m;  // identity
  EXPECT_EQ(report::svg::path_data(mp, m),
            "M0.00 0.00 L0.00 10.00 L10.00 10.00 L10.00 0.00 L0.00 0.00 Z M2.00 2.00 L8.00 2.00 L8.00 8.00 L2.00 8.00 L2.00 2.00 Z");
}

TEST(Svg, NiceTicks) {
  EXPECT_THAT(report::svg::nice_ticks(0, 50, 5), ::testing::ElementsAre(0, 10, 20, 30, 40, 50));
  EXPECT_THAT(report::svg::nice_ticks(0, 1, 4), ::testing::ElementsAre(0, 0.25, 0.5, 0.75, 1));
  EXPECT_THAT(report::svg::nice_ticks(-3, 7, 5), ::testing::ElementsAre(-2, 0, 2, 4, 6));
  EXPECT_TRUE(report::svg::nice_ticks(1, 1).empty());
}

TEST(SummaryCsv, OneRowWithNeutralisedCellsAndTheGuidelineColumns) {
  json r = sample_report();
  r["case"]["patient_id"] = "=cmd|' /C calc'!A0";
  const std::string csv = report::summary_csv(r);
  const auto nl = csv.find('\n');
  ASSERT_NE(nl, std::string::npos);
  const std::string header = csv.substr(0, nl), row = csv.substr(nl + 1);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 2) << csv;
  EXPECT_THAT(header, ::testing::StartsWith("patient_id,pseudonymized,structure_set_label,"));
  EXPECT_THAT(header, ::testing::HasSubstr("ESTRO-2015_overall,ESTRO-2015_cranial_deviation_mm,ESTRO-2015_caudal_deviation_mm"));
  EXPECT_THAT(row, ::testing::StartsWith("'=cmd|' /C calc'!A0,false,"));
  EXPECT_THAT(row, ::testing::HasSubstr(",fail,1,-20,1,0,0.8123,,"));
  EXPECT_THAT(row, ::testing::HasSubstr("\"<script>alert(1)</script>\"\"'&\""));
}
