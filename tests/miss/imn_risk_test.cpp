// IMN-involvement risk from patient factors (miss/imn_risk.hpp) against the shipped
// rules/imn-risk.xml, with hand-picked patients whose expected strata are read off the sources
// (DOMAIN.md section 4), and malformed files that must be rejected with file:line.
#include "rtaudit/miss/imn_risk.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace rtaudit::miss {
namespace {

const std::string kRules = std::string(RTAUDIT_SOURCE_DIR) + "/rules/imn-risk.xml";

const ImnRiskModel& model() {
  static const ImnRiskLoad load = load_imn_risk(kRules);
  if (!load.model) ADD_FAILURE() << load.error;
  static const ImnRiskModel m = load.model.value_or(ImnRiskModel{});
  return m;
}

const TableEstimate& table(const ImnRiskEstimate& e, const std::string& id) {
  const auto it = std::find_if(e.tables.begin(), e.tables.end(), [&](const TableEstimate& t) { return t.table_id == id; });
  if (it == e.tables.end()) throw std::runtime_error("no table " + id);
  return *it;
}

bool lists(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

TEST(ImnRisk, ShippedFileLoadsAndEveryTableCitesAKnownSource) {
  const ImnRiskModel& m = model();
  ASSERT_FALSE(m.tables.empty());
  for (const auto& t : m.tables) {
    ASSERT_NE(m.source(t.source), nullptr) << t.id;
    EXPECT_FALSE(m.source(t.source)->citation.empty());
  }
  for (const auto& mod : m.modifiers) EXPECT_NE(m.source(mod.source), nullptr) << mod.factor;
  ASSERT_NE(m.source("huang2008"), nullptr);
  EXPECT_EQ(m.source("huang2008")->patients, 2269);
}

TEST(ImnRisk, YoungMedialFiveNodesTakesTheJointTableAndSpansTheOthers) {
  PatientFacts f;
  f.age_years = 45;
  f.tumour_quadrant = "Upper Inner";  // spelling normalised to upper-inner
  f.positive_axillary_nodes = 5;
  const auto e = estimate_imn_risk(f, model());
  ASSERT_TRUE(e.probability.value);
  EXPECT_DOUBLE_EQ(*e.probability.value, 0.475);  // Huang 2008: medial tumour, 4-6 ALN+
  EXPECT_NE(e.basis.find("huang2008-medial-aln"), std::string::npos) << e.basis;
  EXPECT_DOUBLE_EQ(*table(e, "heuts-age").rate, 0.32);
  EXPECT_DOUBLE_EQ(*table(e, "huang2008-age").rate, 0.157);
  EXPECT_DOUBLE_EQ(*table(e, "huang2008-aln").rate, 0.281);
  EXPECT_FALSE(table(e, "erm-aln-negative").not_applicable.empty());
  EXPECT_FALSE(table(e, "upper-outer-quadrant").not_applicable.empty());
  EXPECT_DOUBLE_EQ(e.probability.lo, 0.157);  // the lowest applicable table (Huang, age 36-50)
  EXPECT_DOUBLE_EQ(e.probability.hi, 0.475);
  EXPECT_TRUE(e.missing_factors.empty());
}

TEST(ImnRisk, OlderLateralNodeNegativeTakesTheNodeTableFirstOnATie) {
  PatientFacts f;
  f.age_years = 75;
  f.tumour_quadrant = "upper-outer";
  f.positive_axillary_nodes = 0;
  const auto e = estimate_imn_risk(f, model());
  ASSERT_TRUE(e.probability.value);
  // One-factor tables only: the node table comes first in the file (ALN-negative, review ref [19]).
  EXPECT_DOUBLE_EQ(*e.probability.value, 0.092);
  EXPECT_DOUBLE_EQ(*table(e, "heuts-age").rate, 0.11);
  EXPECT_DOUBLE_EQ(e.probability.lo, 0.092);
  EXPECT_DOUBLE_EQ(e.probability.hi, 0.129);  // Huang > 50
  EXPECT_DOUBLE_EQ(*table(e, "upper-outer-quadrant").rate, 0.10);
  EXPECT_FALSE(table(e, "huang2008-medial-aln").not_applicable.empty());
  EXPECT_FALSE(table(e, "huang2008-aln").not_applicable.empty());
}

TEST(ImnRisk, AgeFiftyIsBetweenHeutsStrataAndGivesTheirSpan) {
  PatientFacts f;
  f.age_years = 50;
  const auto e = estimate_imn_risk(f, model());
  const auto& h = table(e, "heuts-age");
  EXPECT_FALSE(h.rate);
  EXPECT_DOUBLE_EQ(h.lo, 0.15);
  EXPECT_DOUBLE_EQ(h.hi, 0.32);
  ASSERT_TRUE(e.probability.value);
  EXPECT_DOUBLE_EQ(*e.probability.value, 0.157);  // Huang 36-50 is unambiguous at 50
  EXPECT_DOUBLE_EQ(e.probability.lo, 0.092);      // nodes and quadrant unknown: their tables' spans enter
  EXPECT_DOUBLE_EQ(e.probability.hi, 0.475);
  PatientFacts g;
  g.age_years = 49;
  EXPECT_DOUBLE_EQ(*table(estimate_imn_risk(g, model()), "heuts-age").rate, 0.32);
  g.age_years = 51;
  EXPECT_DOUBLE_EQ(*table(estimate_imn_risk(g, model()), "heuts-age").rate, 0.15);
}

TEST(ImnRisk, MissingAgeWidensTheRangeAndIsListed) {
  PatientFacts f;
  f.tumour_quadrant = "medial";
  f.positive_axillary_nodes = 2;
  const auto e = estimate_imn_risk(f, model());
  ASSERT_TRUE(e.probability.value);
  EXPECT_DOUBLE_EQ(*e.probability.value, 0.236);  // medial, 1-3 ALN+
  EXPECT_LE(e.probability.lo, 0.11);
  EXPECT_GE(e.probability.hi, 0.32);
  EXPECT_TRUE(lists(e.missing_factors, "age_years"));
  const auto& h = table(e, "heuts-age");
  EXPECT_FALSE(h.rate);
  EXPECT_DOUBLE_EQ(h.lo, 0.11);
  EXPECT_DOUBLE_EQ(h.hi, 0.32);
  EXPECT_TRUE(lists(h.missing_factors, "age_years"));
}

TEST(ImnRisk, MissingQuadrantLeavesOnlyTheStrataTheNodesAllow) {
  PatientFacts f;
  f.age_years = 60;
  f.positive_axillary_nodes = 8;
  const auto e = estimate_imn_risk(f, model());
  const auto& j = table(e, "huang2008-medial-aln");
  EXPECT_FALSE(j.rate);
  EXPECT_DOUBLE_EQ(j.lo, 0.387);  // only the >= 7 stratum is open
  EXPECT_DOUBLE_EQ(j.hi, 0.387);
  ASSERT_TRUE(e.probability.value);
  EXPECT_DOUBLE_EQ(*e.probability.value, 0.415);  // complete tables are one-factor: the node table is first
  EXPECT_TRUE(lists(e.missing_factors, "tumour_quadrant"));
}

TEST(ImnRisk, NoFactorsGiveNoValueAndTheWidestRange) {
  const auto e = estimate_imn_risk(PatientFacts{}, model());
  EXPECT_FALSE(e.probability.value);
  double lo = 1, hi = 0;
  for (const auto& t : model().tables)
    for (const auto& s : t.strata) lo = std::min(lo, s.rate), hi = std::max(hi, s.rate);
  EXPECT_DOUBLE_EQ(e.probability.lo, lo);
  EXPECT_DOUBLE_EQ(e.probability.hi, hi);
  EXPECT_DOUBLE_EQ(lo, 0.092);
  EXPECT_DOUBLE_EQ(hi, 0.475);
  for (const char* f : {"age_years", "positive_axillary_nodes", "tumour_quadrant"}) EXPECT_TRUE(lists(e.missing_factors, f));
  EXPECT_EQ(e.unknown_modifiers.size(), 4u);
}

TEST(ImnRisk, ModifiersPresentAreListedAndNeverChangeTheValue) {
  PatientFacts f;
  f.age_years = 45;
  f.tumour_quadrant = "inner";
  f.positive_axillary_nodes = 5;
  const auto plain = estimate_imn_risk(f, model());
  f.er_positive = false;
  f.her2_positive = true;
  f.tumour_size_mm = 25;
  f.lymphovascular_invasion = true;
  const auto e = estimate_imn_risk(f, model());
  ASSERT_EQ(e.unquantified.size(), 4u);
  EXPECT_EQ(*e.probability.value, *plain.probability.value);
  EXPECT_EQ(e.probability.lo, plain.probability.lo);
  EXPECT_EQ(e.probability.hi, plain.probability.hi);
  EXPECT_EQ(e.unquantified[0].factor, "er_positive");
  ASSERT_TRUE(e.unquantified[0].ratio);
  EXPECT_DOUBLE_EQ(*e.unquantified[0].ratio, 2.8);  // shown, not applied
  EXPECT_TRUE(e.unknown_modifiers.empty());

  f.er_positive = true;  // ER-positive, HER2-negative, 20 mm, no LVI: none applies
  f.her2_positive = false;
  f.tumour_size_mm = 20;
  f.lymphovascular_invasion = false;
  EXPECT_TRUE(estimate_imn_risk(f, model()).unquantified.empty());
}

// ---- malformed files ----

std::string write_temp(const std::string& name, const std::string& text) {
  const auto p = std::filesystem::temp_directory_path() / ("rtaudit_imn_risk_" + name + ".xml");
  std::ofstream(p) << text;
  return p.string();
}

std::string file_with(const std::string& table_body, const std::string& table_attrs = R"(source="s" factors="age_years")") {
  return "<?xml version=\"1.0\"?>\n"                                       // 1
         "<imn-risk format=\"1\" id=\"t\" version=\"1\">\n"                // 2
         "  <source id=\"s\" citation=\"A et al. 2000\"/>\n"               // 3
         "  <table id=\"a\" " + table_attrs + ">\n"                        // 4
         + table_body +                                                    // 5
         "  </table>\n"
         "</imn-risk>\n";
}

TEST(ImnRiskLoad, RejectsARateAboveOneWithFileAndLine) {
  const auto path = write_temp("rate", file_with("    <stratum label=\"x\" age_max=\"49\" rate=\"1.5\"/>\n"));
  const auto r = load_imn_risk(path);
  EXPECT_FALSE(r.model);
  EXPECT_NE(r.error.find(path + ":5:"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("fraction"), std::string::npos) << r.error;
}

TEST(ImnRiskLoad, RejectsATableCitingAnUnknownSource) {
  const auto path = write_temp("source", file_with("    <stratum label=\"x\" age_max=\"49\" rate=\"0.3\"/>\n",
                                                   R"(source="nobody" factors="age_years")"));
  const auto r = load_imn_risk(path);
  EXPECT_FALSE(r.model);
  EXPECT_NE(r.error.find(path + ":4:"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("nobody"), std::string::npos) << r.error;
}

TEST(ImnRiskLoad, RejectsAnUnknownFactor) {
  const auto path = write_temp("factor", file_with("    <stratum label=\"x\" age_max=\"49\" rate=\"0.3\"/>\n",
                                                   R"(source="s" factors="age_years, bmi")"));
  const auto r = load_imn_risk(path);
  EXPECT_FALSE(r.model);
  EXPECT_NE(r.error.find(path + ":4:"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("unknown factor 'bmi'"), std::string::npos) << r.error;
}

TEST(ImnRiskLoad, RejectsAStratumThatIgnoresATableFactorOrSetsAnother) {
  auto r = load_imn_risk(write_temp("nofactor", file_with("    <stratum label=\"x\" rate=\"0.3\"/>\n")));
  EXPECT_NE(r.error.find("does not say which age_years"), std::string::npos) << r.error;
  r = load_imn_risk(write_temp("extra", file_with("    <stratum label=\"x\" age_max=\"40\" nodes_min=\"1\" rate=\"0.3\"/>\n")));
  EXPECT_NE(r.error.find("does not list that factor"), std::string::npos) << r.error;
}

TEST(ImnRiskLoad, RejectsUnknownAttributesAndUnreadableFiles) {
  const auto path = write_temp("attr", file_with("    <stratum label=\"x\" age_max=\"49\" rate=\"0.3\" pct=\"30\"/>\n"));
  EXPECT_NE(load_imn_risk(path).error.find(path + ":5: unknown attribute 'pct'"), std::string::npos);
  EXPECT_NE(load_imn_risk("/nonexistent/imn-risk.xml").error.find(":1: cannot be read"), std::string::npos);
}

}  // namespace
}  // namespace rtaudit::miss
