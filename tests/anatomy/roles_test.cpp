#include "rtaudit/anatomy/roles.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace rtaudit::anatomy {
namespace {

const NameTable& table() {
  static const NameTable t = [] {
    const NameTableLoad load = load_name_table(RTAUDIT_RULES_DIR "/names.xml");
    if (!load) throw std::runtime_error(load.error->message());
    return *load.table;
  }();
  return t;
}

// ---------------------------------------------------------------------------------------------------
// One row per real-world spelling: name, interpreted type, expected role ("" = none), side, derivation.

struct Row {
  const char* name;
  const char* type;
  const char* role;
  Side side;
  const char* derivation = "";
};

void PrintTo(const Row& r, std::ostream* os) { *os << '"' << r.name << "\" (" << r.type << ")"; }

class Spelling : public ::testing::TestWithParam<Row> {};

TEST_P(Spelling, MapsToRoleAndSide) {
  const Row& r = GetParam();
  const RoleMatch m = match_name(table(), r.name, r.type);
  EXPECT_EQ(m.role, r.role) << m.reason;
  if (m.has_role()) {
    EXPECT_EQ(m.side, r.side) << m.reason;
    EXPECT_EQ(m.derivation, r.derivation) << m.reason;
    EXPECT_FALSE(m.reason.empty());
    EXPECT_NE(m.confidence, Confidence::None);
  } else {
    EXPECT_FALSE(m.reason.empty()) << "a name without a role must say why";
  }
}

constexpr Side N = Side::None;
constexpr Side U = Side::Unknown;
constexpr Side L = Side::Left;
constexpr Side R = Side::Right;
constexpr Side B = Side::Both;

const Row kPhantom[] = {
    {"External", "EXTERNAL", "external", N},      {"Lung_L", "ORGAN", "lung", L},
    {"Lung_R", "ORGAN", "lung", R},               {"Heart", "ORGAN", "heart", N},
    {"A_LAD", "ORGAN", "lad", N},                 {"Sternum", "ORGAN", "sternum", N},
    {"Rib01_L", "ORGAN", "rib1", L},              {"Rib06_R", "ORGAN", "rib6", R},
    {"A_Mammary_L", "ORGAN", "im_artery", L},     {"V_Mammary_R", "ORGAN", "im_vein", R},
    {"V_Subclavian_L", "ORGAN", "v_subclavian", L}, {"V_Brachioceph_R", "ORGAN", "v_brachioceph", R},
    {"A_Subclavian_L", "ORGAN", "a_subclavian", L}, {"CTVn_L4_L", "CTV", "ctvn_l4", L},
    {"CTV_Breast_L", "CTV", "ctv_breast", L},     {"CTVn_IMN_L", "CTV", "ctvn_imn", L},
    {"PTV_Breast_L", "PTV", "ptv_breast", L},     {"PTVn_L4_L", "PTV", "ptvn_l4", L},
    {"PTVn_IMN_R", "PTV", "ptvn_imn", R},
};
INSTANTIATE_TEST_SUITE_P(Phantom, Spelling, ::testing::ValuesIn(kPhantom));

// dicompyler-core's Eclipse left-breast plan (../shared/data/conformance). Decisions (docs/names.md):
// "Tumor Bed" is the tumour_bed role; a bare "Breast" typed GTV gets no role (not a CTV, not an organ);
// "Nodes" names no nodal level and gets no role; "Scar", "Areola" and "Borders" have no role.
const Row kConformance[] = {
    {"Lt Lung", "AVOIDANCE", "lung", L}, {"BODY", "EXTERNAL", "external", N},
    {"Heart", "ORGAN", "heart", N},      {"Tumor Bed", "CTV", "tumour_bed", U},
    {"Breast", "GTV", "", N},            {"Nodes", "AVOIDANCE", "", N},
    {"Scar", "AVOIDANCE", "", N},        {"Areola", "AVOIDANCE", "", N},
    {"Borders", "CTV", "", N},           {"Tumor Bed Block", "GTV", "", N},
};
INSTANTIATE_TEST_SUITE_P(Conformance, Spelling, ::testing::ValuesIn(kConformance));

const Row kImn[] = {
    {"CTV IMN", "CTV", "ctvn_imn", U},          {"CTV_IMC_L", "CTV", "ctvn_imn", L},
    {"IMN", "CTV", "ctvn_imn", U},              {"CTV INM", "CTV", "ctvn_imn", U},
    {"IMC_L", "CTV", "ctvn_imn", L},            {"IMN Lt", "CTV", "ctvn_imn", L},
    {"Lt IMN", "CTV", "ctvn_imn", L},           {"L_IMN", "CTV", "ctvn_imn", L},
    {"IM nodes left", "CTV", "ctvn_imn", L},    {"CTVn_IMN", "CTV", "ctvn_imn", U},
    {"CTV IMN dx", "", "ctvn_imn", R},          {"CMI G", "CTV", "ctvn_imn", L},
    {"Internal mammary nodes R", "CTV", "ctvn_imn", R}, {"CTV mammaria interna dx", "CTV", "ctvn_imn", R},
    {"ctv-imn-rt", "CTV", "ctvn_imn", R},       {"CTV.IMN/Left", "CTV", "ctvn_imn", L},
    {"IMN_ipsi", "CTV", "ctvn_imn", Side::Ipsilateral}, {"CTVn IMN L", "ORGAN", "ctvn_imn", L},
};
INSTANTIATE_TEST_SUITE_P(Imn, Spelling, ::testing::ValuesIn(kImn));

const Row kOrgans[] = {
    {"COEUR", "ORGAN", "heart", N},             {"Herz", "ORGAN", "heart", N},
    {"Corazon", "ORGAN", "heart", N},           {"Corazón", "ORGAN", "heart", N},
    {"Cuore", "ORGAN", "heart", N},             {"Hart", "ORGAN", "heart", N},
    {"Hjerte", "ORGAN", "heart", N},            {"Hjärta", "ORGAN", "heart", N},
    {"Cœur", "ORGAN", "heart", N},              {"LAD", "ORGAN", "lad", N},
    {"Left anterior descending", "", "lad", N}, {"RIVA", "ORGAN", "lad", N},
    {"Lung L", "ORGAN", "lung", L},             {"Poumon G", "ORGAN", "lung", L},
    {"Lunge links", "ORGAN", "lung", L},        {"Pulmon izq", "ORGAN", "lung", L},
    {"Polmone sx", "ORGAN", "lung", L},         {"Long rechts", "ORGAN", "lung", R},
    {"Lunge højre", "ORGAN", "lung", R},        {"Lunga vänster", "ORGAN", "lung", L},
    {"Poumon D", "ORGAN", "lung", R},           {"Lungs", "ORGAN", "lung", B},
    {"Lung_Both", "ORGAN", "lung", B},          {"Lungs_Total", "ORGAN", "lung", B},
    {"Skin", "EXTERNAL", "external", N},        {"Outer contour", "EXTERNAL", "external", N},
    {"Body", "", "external", N},                {"Contour externe", "EXTERNAL", "external", N},
    {"Brustbein", "ORGAN", "sternum", N},       {"Esternón", "ORGAN", "sternum", N},
    {"Manubrium", "ORGAN", "manubrium", N},     {"SpinalCord", "ORGAN", "spinal_cord", N},
    {"Spinal Cord", "ORGAN", "spinal_cord", N}, {"Myelon", "ORGAN", "spinal_cord", N},
    {"Esophagus", "ORGAN", "esophagus", N},     {"Oesophagus", "ORGAN", "esophagus", N},
    {"Speiseröhre", "ORGAN", "esophagus", N},   {"Breast_R", "ORGAN", "breast", R},
    {"Contra breast", "ORGAN", "breast", Side::Contralateral}, {"Breast", "", "breast", U},
    {"Brachiocephalic vein L", "ORGAN", "v_brachioceph", L}, {"Subclavian vein R", "ORGAN", "v_subclavian", R},
};
INSTANTIATE_TEST_SUITE_P(Organs, Spelling, ::testing::ValuesIn(kOrgans));

const Row kRibsAndVessels[] = {
    {"Rib 1 L", "ORGAN", "rib1", L},            {"Costa 1 sin", "ORGAN", "rib1", L},
    {"Rib I R", "ORGAN", "rib1", R},            {"1st rib left", "ORGAN", "rib1", L},
    {"Rippe 4 links", "ORGAN", "rib4", L},      {"Côte 3 G", "ORGAN", "rib3", L},
    {"Rib_12_R", "ORGAN", "rib12", R},          {"Rib5L", "ORGAN", "rib5", L},
    {"Costilla 2 der", "ORGAN", "rib2", R},     {"Ribbe 6 venstre", "ORGAN", "rib6", L},
    {"V mammaria int sin", "ORGAN", "im_vein", L}, {"IMV_L", "ORGAN", "im_vein", L},
    {"LIMV", "ORGAN", "im_vein", L},            {"RIMV", "ORGAN", "im_vein", R},
    {"IM vein R", "ORGAN", "im_vein", R},       {"Int mammary vein L", "ORGAN", "im_vein", L},
    {"V. thoracica interna dx", "ORGAN", "im_vein", R}, {"Veine mammaire interne D", "ORGAN", "im_vein", R},
    {"IMA_L", "ORGAN", "im_artery", L},         {"A mammaria int dx", "ORGAN", "im_artery", R},
    {"LIMA", "ORGAN", "im_artery", L},
};
INSTANTIATE_TEST_SUITE_P(RibsAndVessels, Spelling, ::testing::ValuesIn(kRibsAndVessels));

const Row kNodalAndPtv[] = {
    {"SCV", "CTV", "ctvn_l4", U},               {"SCF_L", "CTV", "ctvn_l4", L},
    {"supraclav R", "CTV", "ctvn_l4", R},       {"CTV Level IV L", "CTV", "ctvn_l4", L},
    {"CTV_SCV_L", "CTV", "ctvn_l4", L},         {"CTVn_L4", "CTV", "ctvn_l4", U},
    {"CTV sus-claviculaire G", "CTV", "ctvn_l4", L},
    {"CTVn_L1-3_L", "CTV", "ctvn_l1_3", L},     {"Axilla L", "CTV", "ctvn_l1_3", L},
    {"CTVn_L1_L", "CTV", "ctvn_l1", L},         {"CTV Level II", "CTV", "ctvn_l2", U},
    {"PTV_IMN_L", "PTV", "ptvn_imn", L},        {"PTV Breast", "PTV", "ptv_breast", U},
    {"PTVn_L", "PTV", "ptvn", L},               {"PTV nodes", "PTV", "ptvn", U},
    {"PTV_Total", "PTV", "ptv_all", U},         {"PTV_chestwall_R", "PTV", "ptv_chestwall", R},
    {"CTV Chest wall L", "CTV", "ctv_chestwall", L}, {"Breast", "CTV", "ctv_breast", U},
    {"CTV WB", "CTV", "ctv_breast", U},
};
INSTANTIATE_TEST_SUITE_P(NodalAndPtv, Spelling, ::testing::ValuesIn(kNodalAndPtv));

// Helper and derived structures never map to the plain role.
const Row kHelpers[] = {
    {"Heart_PRV", "AVOIDANCE", "heart", N, "prv"}, {"Heart PRV5", "AVOIDANCE", "heart", N, "prv"},
    {"PTV_IMN_eval", "PTV", "ptvn_imn", U, "eval"}, {"z_Heart_opt", "CONTROL", "", N},
    {"zz Heart", "CONTROL", "", N},             {"Ring", "CONTROL", "", N},
    {"Dose 95%", "CONTROL", "", N},             {"CTV IMN (old)", "CTV", "", N},
    {"XApprox", "", "", N},                     {"Heart_L", "ORGAN", "", N},
    {"Lung L R", "ORGAN", "", N},               {"PTV", "PTV", "", N},
    {"opt PTV IMN", "PTV", "", N},
};
INSTANTIATE_TEST_SUITE_P(Helpers, Spelling, ::testing::ValuesIn(kHelpers));

TEST(MatchName, HelperStructuresAreExcludedWithReason) {
  const RoleMatch m = match_name(table(), "z_Heart_opt", "CONTROL");
  EXPECT_EQ(m.kind, MatchKind::Excluded);
  EXPECT_NE(m.reason.find("helper"), std::string::npos) << m.reason;
  EXPECT_NE(m.reason.find("heart"), std::string::npos) << m.reason;
  EXPECT_EQ(match_name(table(), "CTV IMN (old)", "CTV").kind, MatchKind::Excluded);
}

TEST(MatchName, ExactTg263NameHasHighConfidence) {
  const RoleMatch exact = match_name(table(), "CTVn_IMN_L", "CTV");
  EXPECT_EQ(exact.kind, MatchKind::Exact);
  EXPECT_EQ(exact.confidence, Confidence::High);
  const RoleMatch synonym = match_name(table(), "CTV IMN", "CTV");
  EXPECT_EQ(synonym.kind, MatchKind::Pattern);
  EXPECT_EQ(synonym.confidence, Confidence::Medium);
  EXPECT_GT(synonym.pattern_line, 0);
  EXPECT_FALSE(synonym.pattern.empty());
}

TEST(MatchName, DisagreeingInterpretedTypeLowersConfidence) {
  const RoleMatch m = match_name(table(), "CTVn IMN L", "ORGAN");
  EXPECT_EQ(m.role, "ctvn_imn");
  EXPECT_FALSE(m.type_agrees);
  EXPECT_EQ(m.confidence, Confidence::Low);
}

TEST(MatchName, ReasonsForNoRole) {
  EXPECT_NE(match_name(table(), "Nodes", "AVOIDANCE").reason.find("nodal level"), std::string::npos);
  EXPECT_NE(match_name(table(), "Breast", "GTV").reason.find("GTV"), std::string::npos);
  EXPECT_NE(match_name(table(), "Heart_L", "ORGAN").reason.find("no side"), std::string::npos);
  EXPECT_NE(match_name(table(), "Lung L R", "ORGAN").reason.find("disagree"), std::string::npos);
  EXPECT_NE(match_name(table(), "", "").reason.find("no letters"), std::string::npos);
}

TEST(NameTokens, NormalisationIsDocumented) {
  EXPECT_EQ(name_tokens(table(), "Rib01_L"), (std::vector<std::string>{"rib", "01", "l"}));
  EXPECT_EQ(name_tokens(table(), "PTVn_L4-L"), (std::vector<std::string>{"ptvn", "l4", "l"}));
  EXPECT_EQ(name_tokens(table(), "Côte 1st.G"), (std::vector<std::string>{"cote", "1st", "g"}));
}

// ---------------------------------------------------------------------------------------------------
// The table file

TEST(NameTable, ShippedTableCoversTheCatalogue) {
  for (const auto& info : role_catalogue()) {
    const bool found = std::any_of(table().roles.begin(), table().roles.end(),
                                   [&](const RoleNames& r) { return r.id == info.id; });
    EXPECT_TRUE(found) << info.id;
  }
}

TEST(NameTable, MalformedXmlGivesItsLine) {
  const std::string xml =
      "<names version=\"1\">\n"
      "  <role id=\"heart\" tg263=\"Heart\">\n"
      "    <pattern>heart</pattern>\n"
      "  </rol>\n"
      "</names>\n";
  const NameTableLoad load = parse_name_table(xml, "bad.xml");
  ASSERT_FALSE(load);
  ASSERT_TRUE(load.error);
  EXPECT_EQ(load.error->line, 4);
  EXPECT_NE(load.error->message().find("bad.xml:4: expected well-formed XML"), std::string::npos)
      << load.error->message();
}

TEST(NameTable, UnknownRoleIdRejectedAtLoad) {
  const std::string xml =
      "<names version=\"1\">\n"
      "  <role id=\"heart\" tg263=\"Heart\"><pattern>heart</pattern></role>\n"
      "  <role id=\"hart\" tg263=\"Hart\">\n"
      "    <pattern>hart</pattern>\n"
      "  </role>\n"
      "</names>\n";
  const NameTableLoad load = parse_name_table(xml, "names.xml");
  ASSERT_FALSE(load);
  EXPECT_EQ(load.error->line, 3);
  EXPECT_NE(load.error->expected.find("catalogue"), std::string::npos) << load.error->message();
  EXPECT_NE(load.error->expected.find("'hart'"), std::string::npos) << load.error->message();
}

TEST(NameTable, SchemaErrorsGiveLineAndExpectation) {
  struct Case {
    std::string body;
    int line;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"  <role id=\"heart\" tg263=\"Heart\">\n    <pattern>@nope</pattern>\n  </role>\n", 3, "token class"},
      {"  <role id=\"heart\" tg263=\"Heart\">\n    <pattern>rib01</pattern>\n  </role>\n", 3, "keeps whole"},
      {"  <role id=\"heart\">\n    <pattern>heart</pattern>\n  </role>\n", 2, "tg263"},
      {"  <rolle id=\"heart\"/>\n", 2, "<role>"},
      {"  <role id=\"lung\" tg263=\"Lung\">\n    <pattern>lung</pattern>\n  </role>\n", 2, "{S}"},
      {"  <role id=\"heart\" tg263=\"Heart\">\n    <pattern>{n} heart</pattern>\n  </role>\n", 3, "numbered"},
      {"  <role id=\"heart\" tg263=\"Heart\" colour=\"red\">\n    <pattern>heart</pattern>\n  </role>\n", 2,
       "attributes"},
      {"  <role id=\"heart\" tg263=\"Heart\">\n    <pattern side=\"left\">heart</pattern>\n  </role>\n", 3, "side"},
  };
  for (const auto& c : cases) {
    const NameTableLoad load = parse_name_table("<names version=\"1\">\n" + c.body + "</names>\n", "t.xml");
    ASSERT_FALSE(load) << c.body;
    EXPECT_EQ(load.error->line, c.line) << load.error->message();
    EXPECT_NE(load.error->expected.find(c.expected), std::string::npos) << load.error->message();
  }
}

TEST(NameTable, MissingFileIsAnErrorNotAThrow) {
  const NameTableLoad load = load_name_table("/nonexistent/names.xml");
  ASSERT_FALSE(load);
  EXPECT_NE(load.error->message().find("readable"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------------
// Overrides

TEST(ParseRoleOverride, AcceptsNameRoleAndSide) {
  const OverrideParse p = parse_role_override("Lt IMN chain = ctvn_imn : L");
  ASSERT_TRUE(p.value) << p.error;
  EXPECT_EQ(p.value->roi, "Lt IMN chain");
  EXPECT_EQ(p.value->role, "ctvn_imn");
  EXPECT_EQ(p.value->side, Side::Left);
  EXPECT_EQ(parse_role_override("Nodes=ctvn_imn").value->side, Side::Unknown);
  EXPECT_EQ(parse_role_override("Herz=heart").value->side, Side::None);
  EXPECT_EQ(parse_role_override("Ring=none").value->role, "none");
}

TEST(ParseRoleOverride, ClearErrors) {
  EXPECT_NE(parse_role_override("Nodes").error.find("no '='"), std::string::npos);
  EXPECT_NE(parse_role_override("=heart").error.find("no ROI name"), std::string::npos);
  EXPECT_NE(parse_role_override("X=").error.find("no role"), std::string::npos);
  EXPECT_NE(parse_role_override("X=hart").error.find("unknown role 'hart'"), std::string::npos);
  EXPECT_NE(parse_role_override("X=heart:left").error.find("has no side"), std::string::npos);
  EXPECT_NE(parse_role_override("X=lung:up").error.find("unknown side 'up'"), std::string::npos);
  EXPECT_NE(parse_role_override("X=none:left").error.find("no side"), std::string::npos);
}

TEST(OverridesFile, ParsesLinesCommentsAndReportsBadLines) {
  const OverridesLoad load = parse_overrides_text(
      "# department mapping\n"
      "Nodes = ctvn_imn:left\n"
      "\n"
      "Ring = frobnicate\n"
      "#7 = heart\n",
      "map.txt");
  ASSERT_EQ(load.overrides.entries.size(), 2u);
  EXPECT_EQ(load.overrides.entries[0].origin, "map.txt:2");
  EXPECT_EQ(load.overrides.entries[1].roi, "#7");
  ASSERT_EQ(load.errors.size(), 1u);
  EXPECT_NE(load.errors[0].find("map.txt:4:"), std::string::npos) << load.errors[0];
}

// ---------------------------------------------------------------------------------------------------
// Assignment

std::string fmt_rib(int k, const char* side) { return "Rib0" + std::to_string(k) + "_" + side; }

StructureSet set_of(const std::vector<std::pair<std::string, std::string>>& rois) {
  StructureSet s;
  int n = 0;
  for (const auto& [name, type] : rois) {
    Roi r;
    r.number = ++n;
    r.name = name;
    r.interpreted_type = type;
    s.rois[r.number] = r;
  }
  return s;
}

bool is_unassigned(const RoleAssignment& a, int roi) {
  return std::any_of(a.unassigned.begin(), a.unassigned.end(), [&](const UnassignedRoi& u) { return u.roi_number == roi; });
}

TEST(AssignRoles, PhantomStructureSetBindsEveryRoi) {
  std::vector<std::pair<std::string, std::string>> names = {
      {"External", "EXTERNAL"}, {"Lung_L", "ORGAN"}, {"Lung_R", "ORGAN"}, {"Heart", "ORGAN"}, {"A_LAD", "ORGAN"},
      {"Sternum", "ORGAN"}};
  for (const char* side : {"L", "R"}) {
    for (int k = 1; k <= 6; ++k) names.emplace_back(fmt_rib(k, side), "ORGAN");
  }
  for (const char* n : {"A_Mammary_L", "A_Mammary_R", "V_Mammary_L", "V_Mammary_R", "V_Subclavian_L",
                        "V_Subclavian_R", "V_Brachioceph_L", "V_Brachioceph_R", "A_Subclavian_L", "A_Subclavian_R"}) {
    names.emplace_back(n, "ORGAN");
  }
  names.insert(names.end(), {{"CTVn_L4_L", "CTV"}, {"CTV_Breast_L", "CTV"}, {"CTVn_IMN_L", "CTV"},
                             {"PTV_Breast_L", "PTV"}, {"PTVn_L4_L", "PTV"}, {"PTVn_IMN_L", "PTV"}});
  ASSERT_EQ(names.size(), 34u);
  const RoleAssignment a = assign_roles(table(), set_of(names), {});
  EXPECT_EQ(a.bindings.size(), 34u);
  EXPECT_TRUE(a.ambiguities.empty());
  EXPECT_TRUE(a.unassigned.empty()) << a.unassigned.front().name << ": " << a.unassigned.front().reason;
  const RoleBinding* rib4 = a.find("rib4", Side::Left);
  ASSERT_NE(rib4, nullptr);
  EXPECT_EQ(rib4->roi_name, "Rib04_L");
  EXPECT_EQ(rib4->decided_by, "only candidate");
  ASSERT_NE(a.find("ctvn_imn", Side::Left), nullptr);
  EXPECT_EQ(a.find("ctvn_imn", Side::Left)->match.kind, MatchKind::Exact);
}

TEST(AssignRoles, TwoHeartsAreAmbiguousAndNoneIsPicked) {
  const RoleAssignment a = assign_roles(table(), set_of({{"Heart", "ORGAN"}, {"Heart", "ORGAN"}}), {});
  EXPECT_EQ(a.find("heart", Side::None), nullptr);
  ASSERT_EQ(a.ambiguities.size(), 1u);
  EXPECT_EQ(a.ambiguities[0].candidates, (std::vector<int>{1, 2}));
  EXPECT_FALSE(a.ambiguities[0].chosen);
  EXPECT_EQ(a.ambiguities[0].decided_by, "undecided");
  EXPECT_TRUE(is_unassigned(a, 1));
  EXPECT_TRUE(is_unassigned(a, 2));
}

TEST(AssignRoles, InterpretedTypeDecidesAndSaysSo) {
  const RoleAssignment a = assign_roles(table(), set_of({{"Heart", "CONTROL"}, {"Herz", "ORGAN"}}), {});
  const RoleBinding* b = a.find("heart", Side::None);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->roi_number, 2);
  EXPECT_EQ(b->decided_by, "interpreted type");
  ASSERT_EQ(a.ambiguities.size(), 1u);
  EXPECT_EQ(a.ambiguities[0].chosen, 2);
  EXPECT_TRUE(is_unassigned(a, 1));
}

TEST(AssignRoles, SidelessImnAgainstTg263NameIsReportedAndTg263Decides) {
  const RoleAssignment a = assign_roles(table(), set_of({{"CTV IMN", "CTV"}, {"CTVn_IMN_L", "CTV"}}), {});
  ASSERT_EQ(a.ambiguities.size(), 1u);
  EXPECT_EQ(a.ambiguities[0].key.to_string(), "ctvn_imn:left");
  EXPECT_EQ(a.ambiguities[0].candidates, (std::vector<int>{2, 1}));
  EXPECT_EQ(a.ambiguities[0].decided_by, "exact TG-263 name");
  const RoleBinding* b = a.find("ctvn_imn", Side::Left);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->roi_number, 2);
  EXPECT_EQ(a.find("ctvn_imn", Side::Unknown), nullptr);
  EXPECT_TRUE(is_unassigned(a, 1));
}

TEST(AssignRoles, SidelessImnAgainstSynonymIsUndecided) {
  const RoleAssignment a = assign_roles(table(), set_of({{"CTV IMN", "CTV"}, {"IMN Lt", "CTV"}}), {});
  ASSERT_EQ(a.ambiguities.size(), 1u);
  EXPECT_FALSE(a.ambiguities[0].chosen);
  EXPECT_EQ(a.find("ctvn_imn", Side::Left), nullptr);
}

TEST(AssignRoles, LeftRightAndBothLungsDoNotCompete) {
  const RoleAssignment a =
      assign_roles(table(), set_of({{"Lung_L", "ORGAN"}, {"Lung_R", "ORGAN"}, {"Lungs", "ORGAN"}}), {});
  EXPECT_TRUE(a.ambiguities.empty());
  EXPECT_NE(a.find("lung", Side::Left), nullptr);
  EXPECT_NE(a.find("lung", Side::Right), nullptr);
  EXPECT_NE(a.find("lung", Side::Both), nullptr);
}

TEST(AssignRoles, DerivedStructuresDoNotCompeteWithThePlainRole) {
  const RoleAssignment a =
      assign_roles(table(), set_of({{"Heart", "ORGAN"}, {"Heart_PRV", "AVOIDANCE"}, {"z_Heart_opt", "CONTROL"}}), {});
  EXPECT_TRUE(a.ambiguities.empty());
  ASSERT_NE(a.find("heart", Side::None), nullptr);
  EXPECT_EQ(a.find("heart", Side::None)->roi_number, 1);
  ASSERT_NE(a.find("heart", Side::None, "prv"), nullptr);
  EXPECT_EQ(a.find("heart", Side::None, "prv")->roi_number, 2);
  EXPECT_TRUE(is_unassigned(a, 3));
}

TEST(AssignRoles, OverridesWinAndAreRecorded) {
  Overrides o;
  o.entries.push_back(*parse_role_override("#2=heart").value);
  o.entries.push_back(*parse_role_override("Nodes=ctvn_imn:left").value);
  o.entries.push_back(*parse_role_override("Lt Lung=none").value);
  const RoleAssignment a = assign_roles(
      table(), set_of({{"Heart", "ORGAN"}, {"Heart", "ORGAN"}, {"Nodes", "AVOIDANCE"}, {"Lt Lung", "AVOIDANCE"}}), o);
  const RoleBinding* heart = a.find("heart", Side::None);
  ASSERT_NE(heart, nullptr);
  EXPECT_EQ(heart->roi_number, 2);
  EXPECT_EQ(heart->decided_by, "override");
  ASSERT_EQ(a.ambiguities.size(), 1u);
  EXPECT_EQ(a.ambiguities[0].decided_by, "override");
  const RoleBinding* imn = a.find("ctvn_imn", Side::Left);
  ASSERT_NE(imn, nullptr);
  EXPECT_EQ(imn->roi_number, 3);
  EXPECT_EQ(imn->match.kind, MatchKind::Override);
  EXPECT_NE(imn->match.reason.find("command line"), std::string::npos);
  EXPECT_EQ(a.find("lung", Side::Left), nullptr);
  EXPECT_TRUE(is_unassigned(a, 4));
  EXPECT_TRUE(a.problems.empty());
}

TEST(AssignRoles, OverrideNamingNoRoiIsAProblem) {
  Overrides o;
  o.entries.push_back(*parse_role_override("CTV IMN=ctvn_imn:left").value);
  const RoleAssignment a = assign_roles(table(), set_of({{"Heart", "ORGAN"}}), o);
  ASSERT_EQ(a.problems.size(), 1u);
  EXPECT_NE(a.problems[0].find("names no ROI"), std::string::npos);
}

TEST(AssignRoles, EveryRoiHasAMatchRecord) {
  const RoleAssignment a = assign_roles(table(), set_of({{"BODY", "EXTERNAL"}, {"Ring", "CONTROL"}}), {});
  EXPECT_EQ(a.match_rois, (std::vector<int>{1, 2}));
  EXPECT_EQ(a.matches.size(), 2u);
  EXPECT_EQ(a.matches[1].kind, MatchKind::Excluded);
}

TEST(ResolveRelativeSide, UsesTheTreatedSide) {
  EXPECT_EQ(resolve_relative_side(Side::Ipsilateral, Side::Left), Side::Left);
  EXPECT_EQ(resolve_relative_side(Side::Contralateral, Side::Left), Side::Right);
  EXPECT_EQ(resolve_relative_side(Side::Contralateral, Side::Unknown), Side::Contralateral);
}

}  // namespace
}  // namespace rtaudit::anatomy
