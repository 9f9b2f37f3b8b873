// Coronary risk (Darby 2013) and constraint files (heart/risk.hpp): the shipped rule files, the
// paper's worked example, the baseline choice, and file:line errors for bad constraint files.
#include "rtaudit/heart/risk.hpp"

#include "rtaudit/anatomy/roles.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace rtaudit::heart {
namespace {

const std::string kRules = RTAUDIT_RULES_DIR;

CardiacRiskModel shipped_model() {
  const LoadResult r = load_cardiac_risk(kRules + "/cardiac-risk.xml");
  EXPECT_TRUE(r.model) << r.error;
  return r.model.value_or(CardiacRiskModel{});
}

std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = (std::filesystem::path(testing::TempDir()) / name).string();
  std::ofstream(path) << text;
  return path;
}

TEST(CardiacRisk, ShippedFileLoads) {
  const CardiacRiskModel m = shipped_model();
  EXPECT_EQ(m.err_per_gy, 0.074);
  EXPECT_EQ(m.err_per_gy_lo, 0.029);
  EXPECT_EQ(m.err_per_gy_hi, 0.145);
  EXPECT_NE(m.source.find("Darby"), std::string::npos);
  ASSERT_EQ(m.baseline.size(), 1u);  // only the paper's worked example
  EXPECT_EQ(m.baseline[0].age_from, 50);
  EXPECT_EQ(m.baseline[0].risk_factors, std::optional<bool>(false));
  EXPECT_EQ(m.baseline[0].risk_pct, 4.5);
  EXPECT_EQ(m.baseline[0].horizon_age, 80);
  EXPECT_EQ(m.modifiers, (std::vector<std::string>{"anthracycline", "trastuzumab", "existing_heart_disease"}));
}

TEST(CardiacRisk, DarbyWorkedExample) {
  // 50 years, no risk factors, 3 Gy: 4.5% -> "5.4%" (Darby et al.); the linear product gives 5.499%.
  PatientFacts f;
  f.age_years = 50;
  f.cardiac_risk_factors = false;
  const CoronaryRisk r = coronary_risk(3.0, f, shipped_model());
  EXPECT_NEAR(r.excess_relative_risk_pct.value, 22.2, 1e-9);
  EXPECT_NEAR(r.excess_relative_risk_pct.lo, 8.7, 1e-9);
  EXPECT_NEAR(r.excess_relative_risk_pct.hi, 43.5, 1e-9);
  ASSERT_TRUE(r.baseline_pct);
  EXPECT_EQ(*r.baseline_pct, 4.5);
  EXPECT_NE(r.baseline_source.find("Darby"), std::string::npos) << r.baseline_source;
  ASSERT_TRUE(r.absolute_excess_pct && r.risk_with_rt_pct);
  EXPECT_NEAR(r.absolute_excess_pct->value, 4.5 * 0.074 * 3, 1e-12);
  EXPECT_NEAR(r.risk_with_rt_pct->value, 4.5 * (1 + 0.074 * 3), 1e-12);
  EXPECT_NEAR(r.risk_with_rt_pct->value, 5.4, 0.15);
  EXPECT_NEAR(r.risk_with_rt_pct->lo, 4.5 * (1 + 0.029 * 3), 1e-12);
  EXPECT_NEAR(r.risk_with_rt_pct->hi, 4.5 * (1 + 0.145 * 3), 1e-12);
  EXPECT_TRUE(r.modifiers.empty());
}

TEST(CardiacRisk, EnteredBaselineWins) {
  PatientFacts f;
  f.age_years = 50;
  f.cardiac_risk_factors = false;
  f.baseline_coronary_risk_pct = 10.0;
  const CoronaryRisk r = coronary_risk(2.0, f, shipped_model());
  EXPECT_EQ(r.baseline_source, "entered");
  ASSERT_TRUE(r.risk_with_rt_pct);
  EXPECT_NEAR(r.risk_with_rt_pct->value, 10 * (1 + 0.148), 1e-12);
}

TEST(CardiacRisk, NoBaselineSaysWhy) {
  PatientFacts f;
  f.age_years = 63;
  const CoronaryRisk r = coronary_risk(2.0, f, shipped_model());
  EXPECT_FALSE(r.baseline_pct);
  EXPECT_FALSE(r.absolute_excess_pct);
  EXPECT_FALSE(r.risk_with_rt_pct);
  EXPECT_NE(r.baseline_source.find("no row of rules/cardiac-risk.xml for age 63"), std::string::npos)
      << r.baseline_source;
  EXPECT_NE(r.baseline_source.find("risk factors unknown"), std::string::npos) << r.baseline_source;
  EXPECT_NEAR(r.excess_relative_risk_pct.value, 14.8, 1e-9);  // the relative excess needs no baseline

  // Age 50 but risk factors not recorded: the row is for "no risk factors", so it does not apply.
  f.age_years = 50;
  EXPECT_FALSE(coronary_risk(2.0, f, shipped_model()).baseline_pct);
  f.cardiac_risk_factors = true;
  EXPECT_FALSE(coronary_risk(2.0, f, shipped_model()).baseline_pct);
  f.age_years.reset();
  EXPECT_NE(coronary_risk(2.0, f, shipped_model()).baseline_source.find("no age"), std::string::npos);
}

TEST(CardiacRisk, ModifiersAreListedNotMultiplied) {
  PatientFacts f;
  f.baseline_coronary_risk_pct = 5.0;
  f.anthracycline = true;
  f.trastuzumab = false;
  f.existing_heart_disease = true;
  const CoronaryRisk r = coronary_risk(1.0, f, shipped_model());
  EXPECT_EQ(r.modifiers, (std::vector<std::string>{"anthracycline", "existing_heart_disease"}));
  EXPECT_NEAR(r.risk_with_rt_pct->value, 5 * 1.074, 1e-12);
}

TEST(CardiacRisk, FileErrorsHaveALine) {
  const std::string head = "<?xml version=\"1.0\"?>\n<cardiac-risk version=\"1\">\n";
  auto err = load_cardiac_risk(write_temp("cr1.xml", head + "  <excess-relative-risk per_gy=\"0.074\" lo=\"0.029\" source=\"x\"/>\n</cardiac-risk>\n"));
  EXPECT_FALSE(err.model);
  EXPECT_NE(err.error.find("cr1.xml:3: missing attribute 'hi'"), std::string::npos) << err.error;
  err = load_cardiac_risk(write_temp("cr2.xml", head + "  <excess-relative-risk per_gy=\"0.074\" lo=\"0.029\" hi=\"0.145\" source=\"x\"/>\n"
                                                       "  <modifiers>\n    <modifier id=\"statin\"/>\n  </modifiers>\n</cardiac-risk>\n"));
  EXPECT_NE(err.error.find("cr2.xml:5:"), std::string::npos) << err.error;
  err = load_cardiac_risk(write_temp("cr3.xml", head + "  <excess-relative-risk\n"));
  EXPECT_NE(err.error.find("cr3.xml:"), std::string::npos) << err.error;
  EXPECT_NE(err.error.find("XML"), std::string::npos) << err.error;
  err = load_cardiac_risk(kRules + "/no-such-file.xml");
  EXPECT_NE(err.error.find("no-such-file.xml:1: cannot be read"), std::string::npos) << err.error;
}

// ---- Constraints

TEST(Constraints, ShippedFileLoads) {
  const ConstraintsLoad c = load_constraints(kRules + "/heart-constraints.xml");
  ASSERT_TRUE(c.error.empty()) << c.error;
  ASSERT_EQ(c.sets.size(), 3u);
  std::map<std::string, const ConstraintSet*> by_id;
  for (const auto& s : c.sets) by_id[s.id] = &s;
  ASSERT_TRUE(by_id.count("degro-2019") && by_id.count("quantec-2010") && by_id.count("imc-nodal"));
  const auto& degro = *by_id["degro-2019"];
  ASSERT_EQ(degro.constraints.size(), 7u);
  EXPECT_NE(degro.source.find("Piroth"), std::string::npos);
  EXPECT_EQ(degro.constraints[0].structure, "heart");
  EXPECT_EQ(degro.constraints[0].metric, "Dmean");
  EXPECT_EQ(degro.constraints[0].limit, 2.5);
  EXPECT_EQ(degro.constraints[0].unit, "Gy");
  EXPECT_EQ(degro.constraints[2].metric, "V5Gy[%]");
  EXPECT_EQ(degro.constraints[2].structure, "left_ventricle");
  EXPECT_EQ(degro.constraints[2].limit, 17);
  EXPECT_EQ(degro.constraints[6].metric, "V40Gy[%]");
  EXPECT_EQ(degro.constraints[6].limit, 1);
  const auto& q = by_id["quantec-2010"]->constraints;
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].metric, "V25Gy[%]");
  EXPECT_EQ(q[0].limit, 10);
  const auto& imc = by_id["imc-nodal"]->constraints;
  ASSERT_EQ(imc.size(), 1u);
  EXPECT_EQ(imc[0].condition, "imc");
  EXPECT_EQ(imc[0].limit, 4);
  EXPECT_GT(imc[0].line, 0);
}

struct BadFile {
  std::string constraint;
  std::string expect;
};

TEST(Constraints, FileErrorsHaveALine) {
  const std::vector<BadFile> cases = {
      {R"(<constraint structure="heart" metric="Dmaen" op="&lt;" limit="2.5"/>)", "metric 'Dmaen'"},
      {R"(<constraint structure="heart" metric="Dmean" op="&gt;" limit="2.5"/>)", "op '>'"},
      {R"(<constraint structure="heart" metric="Dmean" op="&lt;"/>)", "missing attribute 'limit'"},
      {R"(<constraint metric="Dmean" op="&lt;" limit="2"/>)", "missing attribute 'structure'"},
      {R"(<constraint structure="spleen" metric="Dmean" op="&lt;" limit="2"/>)", "structure 'spleen'"},
      {R"(<constraint structure="heart" metric="V25Gy[%]" op="&lt;" limit="10" unit="Gy"/>)", "unit 'Gy'"},
      {R"(<constraint structure="heart" metric="Dmean" op="&lt;" limit="4" condition="IMC nodal"/>)", "condition"},
      {R"(<constraint structure="heart" metric="Dmean" op="&lt;" limit="four"/>)", "not a number"},
      {R"(<constraint structure="heart" metric="Dmean" op="&lt;" limt="4"/>)", "unknown attribute 'limt'"},
  };
  int k = 0;
  for (const auto& c : cases) {
    const std::string name = "hc" + std::to_string(k++) + ".xml";
    const std::string path = write_temp(name, "<?xml version=\"1.0\"?>\n<heart-constraints version=\"1\">\n"
                                              "  <set id=\"a\" title=\"t\" source=\"s\">\n"
                                              "    <constraint structure=\"heart\" metric=\"Dmean\" op=\"&lt;\" limit=\"1\"/>\n"
                                              "    " + c.constraint + "\n  </set>\n</heart-constraints>\n");
    const ConstraintsLoad l = load_constraints(path);
    EXPECT_TRUE(l.sets.empty()) << c.constraint;
    EXPECT_NE(l.error.find(name + ":5: "), std::string::npos) << l.error;
    EXPECT_NE(l.error.find(c.expect), std::string::npos) << l.error;
  }
  const ConstraintsLoad l = load_constraints(write_temp("hcset.xml", "<heart-constraints version=\"1\">\n  <set id=\"a\" title=\"t\"/>\n</heart-constraints>\n"));
  EXPECT_NE(l.error.find("hcset.xml:2: missing attribute 'source'"), std::string::npos) << l.error;
}

TEST(Constraints, CheckPassFailNotEvaluable) {
  ConstraintSet s;
  s.id = "t";
  s.source = "test";
  const auto add = [&](std::string structure, std::string metric, std::string op, double limit) {
    Constraint c;
    c.structure = std::move(structure);
    c.metric = std::move(metric);
    c.op = std::move(op);
    c.limit = limit;
    s.constraints.push_back(c);
  };
  add("heart", "Dmean", "<", 2.5);     // 2.0: pass
  add("heart", "V25Gy[%]", "<", 10);   // 12: fail
  add("lad", "Dmean", "<", 10);        // no LAD: not evaluable
  add("heart", "Dmax", "<", 30);       // 30 exactly: fail for <
  add("heart", "Dmax", "<=", 30);      // 30 exactly: pass for <=
  std::vector<std::pair<std::string, std::string>> asked;
  const MetricLookup lookup = [&](const std::string& st, const std::string& m, std::string& why) -> std::optional<double> {
    asked.emplace_back(st, m);
    if (st == "lad") {
      why = "no LAD contour";
      return std::nullopt;
    }
    if (m == "Dmean") return 2.0;
    if (m == "Dmax") return 30.0;
    return 12.0;
  };
  const auto checks = check_constraints({s}, lookup);
  ASSERT_EQ(checks.size(), 5u);
  EXPECT_EQ(asked.size(), 5u);
  EXPECT_EQ(checks[0].status, ConstraintStatus::Pass);
  EXPECT_EQ(checks[0].value, std::optional<double>(2.0));
  EXPECT_EQ(checks[0].set_id, "t");
  EXPECT_EQ(checks[0].source, "test");
  EXPECT_EQ(checks[1].status, ConstraintStatus::Fail);
  EXPECT_EQ(checks[2].status, ConstraintStatus::NotEvaluable);
  EXPECT_EQ(checks[2].reason, "no LAD contour");
  EXPECT_FALSE(checks[2].value);
  EXPECT_EQ(checks[3].status, ConstraintStatus::Fail);
  EXPECT_EQ(checks[4].status, ConstraintStatus::Pass);
  EXPECT_EQ(to_string(ConstraintStatus::Pass), "pass");
  EXPECT_EQ(to_string(ConstraintStatus::Fail), "fail");
  EXPECT_EQ(to_string(ConstraintStatus::NotEvaluable), "not evaluable");
}

}  // namespace
}  // namespace rtaudit::heart

// ---- The left_ventricle role (rules/names.xml) that the LV constraints name

namespace rtaudit::heart {
namespace {

TEST(LeftVentricleRole, NamesBindAndHeartStaysHeart) {
  const auto load = anatomy::load_name_table(kRules + "/names.xml");
  ASSERT_TRUE(load) << (load.error ? load.error->message() : "");
  for (const char* name : {"LV", "Left ventricle", "Ventricle_L", "Heart_Ventricle_L", "LeftVentricle", "lv"}) {
    const auto m = anatomy::match_name(*load.table, name, "ORGAN");
    EXPECT_EQ(m.role, "left_ventricle") << name << ": " << m.reason;
    EXPECT_EQ(m.side, anatomy::Side::None) << name;
  }
  EXPECT_EQ(anatomy::match_name(*load.table, "Heart_Ventricle_L", "ORGAN").kind, anatomy::MatchKind::Exact);
  EXPECT_EQ(anatomy::match_name(*load.table, "Heart", "ORGAN").role, "heart");
  EXPECT_EQ(anatomy::match_name(*load.table, "Heart_L", "ORGAN").role, "");  // still no guess
  EXPECT_EQ(anatomy::match_name(*load.table, "Ventricle_R", "ORGAN").role, "");
}

}  // namespace
}  // namespace rtaudit::heart
