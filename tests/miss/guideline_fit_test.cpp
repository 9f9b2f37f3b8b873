// Guideline fit by disease extent (miss/guideline_fit.hpp) with the shipped rules/guideline-fit.xml.
#include "rtaudit/miss/guideline_fit.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace rtaudit::miss {
namespace {

const std::string kDir = std::string(RTAUDIT_SOURCE_DIR) + "/rules";

const GuidelineFitRules& rules() {
  static const GuidelineFitLoad load = load_guideline_fit(kDir + "/guideline-fit.xml");
  if (!load.rules) ADD_FAILURE() << load.error;
  static const GuidelineFitRules r = load.rules.value_or(GuidelineFitRules{});
  return r;
}

TEST(GuidelineFitRules, PreferredIdsAreTheIdsOfTheShippedGuidelineFiles) {
  const auto& r = rules();
  ASSERT_EQ(r.categories.size(), 2u);
  EXPECT_NE(r.source.find("designed for early-stage breast cancer"), std::string::npos);
  std::vector<std::string> ids = r.early_only;
  for (const auto& c : r.categories) ids.insert(ids.end(), c.preferred.begin(), c.preferred.end());
  for (const auto& id : ids) {
    std::ifstream in(kDir + "/" + id + ".xml");
    ASSERT_TRUE(in) << id;
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_NE(ss.str().find("<guideline format=\"1\" id=\"" + id + "\""), std::string::npos) << id;
  }
}

TEST(GuidelineFit, N2aIsAdvancedAndFlaggedWhenOnlyEstroIsAudited) {
  PatientFacts f;
  f.n_stage = "pN2a";
  auto g = fit_guideline(f, rules(), {"estro-2015"});
  EXPECT_EQ(g.extent, "advanced");
  EXPECT_EQ(g.preferred, (std::vector<std::string>{"rtog-2009", "radcomp-2016", "estro-2015"}));
  EXPECT_EQ(g.weighted, "estro-2015");
  EXPECT_TRUE(g.flag);
  EXPECT_NE(g.flag_message.find("rtog-2009"), std::string::npos) << g.flag_message;
  EXPECT_NE(g.basis.find("pN2a"), std::string::npos);

  g = fit_guideline(f, rules(), {"estro-2015", "rtog-2009"});
  EXPECT_FALSE(g.flag);
  EXPECT_EQ(g.weighted, "rtog-2009");

  f.n_stage = "ypN3c";
  EXPECT_EQ(fit_guideline(f, rules(), {}).extent, "advanced");
}

TEST(GuidelineFit, NStageWinsOverTheNodeCount) {
  PatientFacts f;
  f.n_stage = "cN1";
  f.positive_axillary_nodes = 5;  // inconsistent on purpose: the stage decides
  const auto g = fit_guideline(f, rules(), {"estro-2015"});
  EXPECT_EQ(g.extent, "early");
  EXPECT_FALSE(g.flag);
}

TEST(GuidelineFit, TwoNodesWithoutNStageIsEarly) {
  PatientFacts f;
  f.positive_axillary_nodes = 2;
  const auto g = fit_guideline(f, rules(), {"rtog-2009", "estro-2015"});
  EXPECT_EQ(g.extent, "early");
  EXPECT_EQ(g.weighted, "estro-2015");
  EXPECT_FALSE(g.flag);
  EXPECT_NE(g.basis.find("2 positive axillary nodes"), std::string::npos) << g.basis;
  f.positive_axillary_nodes = 4;
  EXPECT_EQ(fit_guideline(f, rules(), {}).extent, "advanced");
}

TEST(GuidelineFit, StageGroupIsTheLastResort) {
  PatientFacts f;
  f.stage_group = "Stage IIIB";
  EXPECT_EQ(fit_guideline(f, rules(), {"estro-2015"}).extent, "advanced");
  f.stage_group = "IIA";
  EXPECT_EQ(fit_guideline(f, rules(), {"estro-2015"}).extent, "early");
  f.stage_group = "IV";
  EXPECT_EQ(fit_guideline(f, rules(), {"estro-2015"}).extent, "unknown");
}

TEST(GuidelineFit, NothingKnownIsUnknown) {
  const auto g = fit_guideline(PatientFacts{}, rules(), {"estro-2015"});
  EXPECT_EQ(g.extent, "unknown");
  EXPECT_TRUE(g.preferred.empty());
  EXPECT_TRUE(g.weighted.empty());
  EXPECT_FALSE(g.flag);
  PatientFacts x;
  x.n_stage = "NX";  // not assessable: falls through to nothing
  EXPECT_EQ(fit_guideline(x, rules(), {}).extent, "unknown");
}

TEST(GuidelineFitLoad, RejectsAnUnknownCategoryWithFileAndLine) {
  const auto p = (std::filesystem::temp_directory_path() / "rtaudit_guideline_fit_bad.xml").string();
  std::ofstream(p) << "<?xml version=\"1.0\"?>\n<guideline-fit format=\"1\" id=\"g\" version=\"1\" source=\"s\">\n"
                      "  <category id=\"intermediate\" rationale=\"r\"><prefer value=\"estro-2015\"/></category>\n"
                      "</guideline-fit>\n";
  const auto r = load_guideline_fit(p);
  EXPECT_FALSE(r.rules);
  EXPECT_NE(r.error.find(p + ":3: category id 'intermediate'"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace rtaudit::miss
