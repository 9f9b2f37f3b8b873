#include "rtaudit/guideline/rule_set.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace rtaudit::guideline {
namespace {

namespace fs = std::filesystem;

const fs::path kRules = RTAUDIT_RULES_DIR;

Guideline load_shipped(const char* name) {
  const GuidelineLoad load = load_guideline(kRules / name);
  std::string messages;
  for (const auto& e : load.errors) messages += e.message() + "\n";
  EXPECT_TRUE(load) << messages;
  return load ? *load.guideline : Guideline{};
}

// A small valid guideline; tests break one thing in it. Line numbers are noted on the right.
std::string valid_xml() {
  return "<?xml version=\"1.0\"?>\n"                                                                   // 1
         "<guideline format=\"1\" id=\"dept-imn\" version=\"3\" status=\"published\">\n"                  // 2
         "  <title>Department IMN rule</title>\n"                                                        // 3
         "  <citation id=\"c1\" type=\"other\" authors=\"Dept\" title=\"Local protocol\"/>\n"           // 4
         "  <tolerance id=\"lv\" pass_mm=\"3\" warn_mm=\"6\" basis=\"local\"/>\n"                        // 5
         "  <target role=\"ctvn_imn\" name=\"CTVn_IMN\">\n"                                              // 6
         "    <border side=\"cranial\" landmark=\"rib1.medial.cranial\" offset_mm=\"0\"\n"              // 7
         "            tolerance=\"lv\" confirmed=\"true\" source=\"c1\"/>\n"                             // 8
         "    <border side=\"caudal\" landmark=\"rib4.medial.cranial\" offset_mm=\"-2.5\"\n"            // 9
         "            pass_mm=\"2\" warn_mm=\"4\" tolerance_basis=\"local\" confirmed=\"true\"/>\n"     // 10
         "    <vessel role=\"im_vein\" margin_mm=\"7\" tolerance=\"lv\" confirmed=\"true\"/>\n"        // 11
         "    <clip role=\"lung\" border=\"dorsal\" confirmed=\"true\"/>\n"                              // 12
         "  </target>\n"                                                                                 // 13
         "</guideline>\n";                                                                               // 14
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// The load fails with an error at `line` whose expectation contains `needle`, and the message starts
// with "file:line: expected".
void expect_error(const std::string& xml, int line, const std::string& needle) {
  const GuidelineLoad load = parse_guideline(xml, "dept.xml");
  ASSERT_FALSE(load);
  ASSERT_FALSE(load.errors.empty());
  bool found = false;
  std::string all;
  for (const auto& e : load.errors) {
    all += e.message() + "\n";
    EXPECT_EQ(e.file, "dept.xml");
    EXPECT_EQ(e.message().rfind("dept.xml:" + std::to_string(e.line) + ": expected ", 0), 0u) << e.message();
    if (e.line == line && e.expected.find(needle) != std::string::npos) found = true;
  }
  EXPECT_TRUE(found) << "wanted line " << line << " with '" << needle << "', got:\n" << all;
}

struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() / ("rtaudit-rules-test-" + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  void write(const std::string& name, const std::string& text) const { std::ofstream(path / name) << text; }
};

TEST(GuidelineRules, EstroLoadsWithTheDomainValues) {
  const Guideline g = load_shipped("estro-2015.xml");
  EXPECT_EQ(g.id, "estro-2015");
  EXPECT_EQ(g.status, Status::Published);
  const TargetRule* imn = g.target("ctvn_imn");
  ASSERT_NE(imn, nullptr);
  EXPECT_EQ(imn->name, "CTVn_IMN");

  const VesselMargin* vein = imn->vessel("im_vein");
  ASSERT_NE(vein, nullptr);
  EXPECT_DOUBLE_EQ(vein->margin_mm, 5.0);
  EXPECT_TRUE(vein->confirmed);  // "large veins plus a 5 mm margin" is the confirmed general rule

  const BorderRule* cranial = imn->border(Border::Cranial);
  ASSERT_NE(cranial, nullptr);
  EXPECT_EQ(cranial->landmark, "ctvn_l4.caudal");
  EXPECT_DOUBLE_EQ(cranial->offset_mm, 0.0);

  const BorderRule* caudal = imn->border(Border::Caudal);
  ASSERT_NE(caudal, nullptr);
  EXPECT_EQ(caudal->landmark, "rib4.medial.cranial");
  ASSERT_EQ(caudal->alternatives.size(), 1u);
  EXPECT_EQ(caudal->alternatives[0].landmark, "rib5.medial.cranial");
  EXPECT_NE(caudal->alternatives[0].condition.find("caudal"), std::string::npos);

  const VesselMargin* artery = imn->vessel("im_artery");
  ASSERT_NE(artery, nullptr);
  EXPECT_DOUBLE_EQ(artery->margin_mm, 5.0);
  EXPECT_EQ(artery->levels.caudal, "rib2.medial.cranial");  // up to and including ICS1
  EXPECT_EQ(artery->levels.cranial, "target.cranial");

  ASSERT_EQ(imn->clips.size(), 1u);
  EXPECT_EQ(imn->clips[0].role, "lung");
  EXPECT_EQ(imn->clips[0].mode, ClipMode::Subtract);
  EXPECT_EQ(imn->clips[0].border, Border::Dorsal);

  const TargetRule* l4 = g.target("ctvn_l4");
  ASSERT_NE(l4, nullptr);
  ASSERT_NE(l4->border(Border::Caudal), nullptr);
  EXPECT_EQ(l4->border(Border::Caudal)->landmark, "imv_junction");

  const Citation* c = g.citation("offersen2015");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->journal, "Radiother Oncol");
  EXPECT_EQ(c->year, 2015);
  EXPECT_EQ(c->volume, "114");
  EXPECT_EQ(c->pages, "3-10");
  ASSERT_NE(g.citation("offersen2016"), nullptr);
  EXPECT_EQ(g.citation("offersen2016")->pages, "205-208");
  ASSERT_NE(g.citation("kaidarperson2019"), nullptr);
  EXPECT_EQ(g.citation("kaidarperson2019")->volume, "137");
}

TEST(GuidelineRules, EstroBordersAreUnconfirmedAsInDomain) {
  const Guideline g = load_shipped("estro-2015.xml");
  const TargetRule* imn = g.target("ctvn_imn");
  ASSERT_NE(imn, nullptr);
  EXPECT_EQ(imn->borders.size(), 6u);
  for (const auto& b : imn->borders) {
    EXPECT_FALSE(b.confirmed) << to_string(b.side);
    EXPECT_FALSE(b.note.empty()) << to_string(b.side);
  }
  EXPECT_FALSE(imn->vessel("im_artery")->confirmed);
  EXPECT_FALSE(imn->border(Border::Caudal)->alternatives[0].confirmed);
}

TEST(GuidelineRules, RtogLoadsWithConfirmedCranialAndCaudal) {
  const Guideline g = load_shipped("rtog-2009.xml");
  EXPECT_EQ(g.id, "rtog-2009");
  const TargetRule* imn = g.target("ctvn_imn");
  ASSERT_NE(imn, nullptr);
  const BorderRule* cranial = imn->border(Border::Cranial);
  const BorderRule* caudal = imn->border(Border::Caudal);
  ASSERT_NE(cranial, nullptr);
  ASSERT_NE(caudal, nullptr);
  EXPECT_EQ(cranial->landmark, "rib1.medial.cranial");
  EXPECT_EQ(caudal->landmark, "rib4.medial.cranial");
  EXPECT_TRUE(cranial->confirmed);
  EXPECT_TRUE(caudal->confirmed);
  for (const Border b : {Border::Medial, Border::Lateral, Border::Ventral, Border::Dorsal}) {
    const BorderRule* r = imn->border(b);
    ASSERT_NE(r, nullptr) << to_string(b);
    EXPECT_FALSE(r->confirmed) << to_string(b);
  }
  EXPECT_FALSE(imn->border(Border::Ventral)->stated);
  EXPECT_FALSE(imn->border(Border::Dorsal)->stated);
  EXPECT_FALSE(imn->vessel("im_vein")->confirmed);  // the atlas states no margin
  EXPECT_EQ(g.citation("rtog2009")->year, 2009);
}

TEST(GuidelineRules, RadcompIsProvisionalWithEveryBorderUnconfirmed) {
  const Guideline g = load_shipped("radcomp-2016.xml");
  EXPECT_EQ(g.status, Status::Provisional);
  ASSERT_NE(g.citation("radcomp"), nullptr);
  EXPECT_EQ(g.citation("radcomp")->registry, "NCT02603341");
  for (const auto& t : g.targets) {
    for (const auto& b : t.borders) EXPECT_FALSE(b.confirmed) << t.role << " " << to_string(b.side);
    for (const auto& v : t.vessels) EXPECT_FALSE(v.confirmed) << v.role;
  }
}

TEST(GuidelineRules, ShippedFolderLoadsAllThree) {
  const GuidelineSet set = load_guidelines_dir(kRules);
  for (const auto& e : set.errors) ADD_FAILURE() << e.message();
  EXPECT_NE(set.find("estro-2015"), nullptr);
  EXPECT_NE(set.find("rtog-2009"), nullptr);
  EXPECT_NE(set.find("radcomp-2016"), nullptr);
}

TEST(GuidelineRules, ValidSampleLoads) {
  const GuidelineLoad load = parse_guideline(valid_xml(), "dept.xml");
  ASSERT_TRUE(load) << load.errors.front().message();
  const TargetRule* imn = load.guideline->target("ctvn_imn");
  ASSERT_NE(imn, nullptr);
  EXPECT_DOUBLE_EQ(imn->border(Border::Caudal)->offset_mm, -2.5);
  EXPECT_DOUBLE_EQ(imn->border(Border::Caudal)->tolerance.pass_mm, 2.0);
  EXPECT_EQ(imn->border(Border::Cranial)->tolerance.id, "lv");
  EXPECT_EQ(imn->border(Border::Cranial)->line, 7);
  EXPECT_DOUBLE_EQ(imn->vessel("im_vein")->margin_mm, 7.0);
  EXPECT_EQ(imn->vessel("im_vein")->levels.caudal, "target.caudal");
}

TEST(GuidelineRules, MissingAttributeGivesFileLineAndExpectation) {
  expect_error(replace(valid_xml(), " margin_mm=\"7\"", ""), 11, "margin_mm");
}

TEST(GuidelineRules, NonNumericOffsetGivesFileLineAndExpectation) {
  // The attribute sits on the element's second line: the error points at it.
  expect_error(replace(valid_xml(), "offset_mm=\"-2.5\"", "offset_mm=\"-2,5\""), 9, "finite number in attribute offset_mm");
  expect_error(replace(valid_xml(), "pass_mm=\"2\"", "pass_mm=\"two\""), 10, "finite number in attribute pass_mm");
  expect_error(replace(valid_xml(), "offset_mm=\"-2.5\"", "offset_mm=\"inf\""), 9, "finite number");
}

TEST(GuidelineRules, NegativeToleranceIsRejected) {
  expect_error(replace(valid_xml(), "pass_mm=\"2\"", "pass_mm=\"-1\""), 10, "number >= 0");
  expect_error(replace(valid_xml(), "pass_mm=\"2\"", "pass_mm=\"5\""), 10, "pass_mm <= warn_mm");
}

TEST(GuidelineRules, DuplicatedBorderIsRejected) {
  const std::string xml = replace(valid_xml(), "side=\"caudal\"", "side=\"cranial\"");
  expect_error(xml, 9, "each border at most once");
}

TEST(GuidelineRules, UnknownLandmarkIsRejectedAtLoad) {
  expect_error(replace(valid_xml(), "rib4.medial.cranial", "rib4.top"), 9, "known landmark");
  expect_error(replace(valid_xml(), "rib4.medial.cranial", "rib13.medial.cranial"), 9, "known landmark");
}

TEST(GuidelineRules, LandmarkOfTheWrongKindIsRejected) {
  expect_error(replace(valid_xml(), "rib4.medial.cranial", "im_vein"), 9, "a level (cranio-caudal) landmark");
}

TEST(GuidelineRules, UnknownClipRoleIsRejected) {
  expect_error(replace(valid_xml(), "clip role=\"lung\"", "clip role=\"lungs\""), 12, "known structure role");
}

TEST(GuidelineRules, MalformedXmlGivesFileAndLine) {
  expect_error(replace(valid_xml(), "<clip role=", "<clip role"), 12, "well-formed XML");
}

TEST(GuidelineRules, UnconfirmedWithoutNoteIsRejected) {
  expect_error(replace(valid_xml(), "confirmed=\"true\" source=\"c1\"", "confirmed=\"false\""), 7, "note");
}

TEST(GuidelineRules, UnknownAttributeOrElementIsRejected) {
  expect_error(replace(valid_xml(), "margin_mm=\"7\"", "margin_mm=\"7\" margn=\"3\""), 11, "'margn' is not one");
  expect_error(replace(valid_xml(), "  </target>\n", "  <boder side=\"medial\"/>\n  </target>\n"), 13, "<boder> is not one");
}

TEST(GuidelineRules, UndeclaredCitationOrToleranceIsRejected) {
  expect_error(replace(valid_xml(), "source=\"c1\"", "source=\"c2\""), 8, "citation id");
  expect_error(replace(valid_xml(), "tolerance=\"lv\" confirmed=\"true\" source", "tolerance=\"xx\" confirmed=\"true\" source"),
               8, "tolerance id");
}

TEST(GuidelineRules, CtvnL4LandmarkNeedsTheL4Target) {
  expect_error(replace(valid_xml(), "rib1.medial.cranial", "ctvn_l4.caudal"), 7, "role=\"ctvn_l4\"");
}

TEST(GuidelineRules, WrongRootAndFormatAreRejected) {
  expect_error(replace(valid_xml(), "format=\"1\"", "format=\"2\""), 2, "format=\"1\"");
  expect_error("<names/>\n", 1, "root element <guideline>");
}

TEST(GuidelineRules, EveryErrorInAFileIsReported) {
  std::string xml = replace(valid_xml(), "rib4.medial.cranial", "nowhere");
  xml = replace(xml, "clip role=\"lung\"", "clip role=\"liver\"");
  const GuidelineLoad load = parse_guideline(xml, "dept.xml");
  ASSERT_FALSE(load);
  EXPECT_GE(load.errors.size(), 2u);
}

TEST(GuidelineRules, UnreadableFileIsAnError) {
  const GuidelineLoad load = load_guideline(kRules / "no-such-file.xml");
  ASSERT_FALSE(load);
  EXPECT_NE(load.errors.front().message().find("readable file"), std::string::npos);
}

TEST(GuidelineRules, DepartmentFileLoadsAlongsideTheShippedOnes) {
  TempDir dept;
  dept.write("dept-imn.xml", valid_xml());
  dept.write("names.xml", "<?xml version=\"1.0\"?>\n<names/>\n");         // another rule file: skipped
  dept.write("broken.xml", replace(valid_xml(), "rib4.medial.cranial", "rib4.cranial"));
  dept.write("dup.xml", replace(valid_xml(), "id=\"dept-imn\"", "id=\"estro-2015\""));
  dept.write("readme.txt", "not a rule file");
  const std::vector<fs::path> dirs = {kRules, dept.path};
  const GuidelineSet set = load_guidelines_dirs(dirs);
  EXPECT_NE(set.find("estro-2015"), nullptr);
  EXPECT_NE(set.find("rtog-2009"), nullptr);
  EXPECT_NE(set.find("radcomp-2016"), nullptr);
  ASSERT_NE(set.find("dept-imn"), nullptr);
  EXPECT_DOUBLE_EQ(set.find("dept-imn")->target("ctvn_imn")->vessel("im_vein")->margin_mm, 7.0);
  EXPECT_EQ(set.guidelines.size(), 4u);
  // The two bad files are reported with their lines, the good ones kept.
  ASSERT_EQ(set.errors.size(), 2u);
  const std::string broken = (dept.path / "broken.xml").string();
  const std::string dup = (dept.path / "dup.xml").string();
  EXPECT_EQ(set.errors[0].file, broken);
  EXPECT_EQ(set.errors[0].line, 9);
  EXPECT_EQ(set.errors[1].file, dup);
  EXPECT_EQ(set.errors[1].line, 2);
  EXPECT_NE(set.errors[1].expected.find("estro-2015.xml"), std::string::npos) << set.errors[1].message();
  // The department's names.xml is listed as skipped (rules/ may hold the shipped one too).
  const std::string names = (dept.path / "names.xml").string();
  const auto skipped = std::find_if(set.skipped.begin(), set.skipped.end(),
                                    [&](const SkippedFile& f) { return f.file == names; });
  ASSERT_NE(skipped, set.skipped.end());
  EXPECT_EQ(skipped->root, "names");
}

TEST(GuidelineRules, MissingFolderIsAnError) {
  const GuidelineSet set = load_guidelines_dir(kRules / "no-such-folder");
  EXPECT_TRUE(set.guidelines.empty());
  ASSERT_EQ(set.errors.size(), 1u);
}

TEST(GuidelineRules, VocabulariesAreClosed) {
  EXPECT_EQ(landmark_kind("rib1.medial.cranial"), LandmarkKind::Level);
  EXPECT_EQ(landmark_kind("rib12.medial.caudal"), LandmarkKind::Level);
  EXPECT_EQ(landmark_kind("ctvn_l4.caudal"), LandmarkKind::Level);
  EXPECT_EQ(landmark_kind("imv_junction"), LandmarkKind::Level);
  EXPECT_EQ(landmark_kind("im_vein"), LandmarkKind::InPlane);
  EXPECT_EQ(landmark_kind("lung.surface"), LandmarkKind::InPlane);
  EXPECT_EQ(landmark_kind("sternum.edge"), LandmarkKind::InPlane);
  EXPECT_EQ(landmark_kind("vascular_area.ventral"), LandmarkKind::InPlane);
  EXPECT_FALSE(is_known_landmark("rib0.medial.cranial"));
  EXPECT_FALSE(is_known_landmark("IM_VEIN"));
  for (const char* r : {"im_vein", "im_artery", "rib1", "rib12", "sternum", "manubrium", "lung", "heart", "lad",
                        "ctvn_imn", "ctvn_l4", "ptv_imn", "ptv_breast_l", "external", "v_subclavian",
                        "v_brachioceph"}) {
    EXPECT_TRUE(is_known_role(r)) << r;
  }
  for (const char* r : {"ptv_", "ptv_*", "PTV_IMN", "rib13", "liver", ""}) EXPECT_FALSE(is_known_role(r)) << r;
}

TEST(GuidelineRules, GradeAppliesPassWarnFail) {
  const Tolerance t{"", 1.0, 2.0, "test"};
  EXPECT_EQ(grade(t, 0.0), Grade::Pass);
  EXPECT_EQ(grade(t, -1.0), Grade::Pass);
  EXPECT_EQ(grade(t, 1.5), Grade::Warn);
  EXPECT_EQ(grade(t, -3.0), Grade::Fail);
  EXPECT_EQ(grade(t, std::nan("")), Grade::Fail);
}

}  // namespace
}  // namespace rtaudit::guideline
