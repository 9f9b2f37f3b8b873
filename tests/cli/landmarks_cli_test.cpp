// `rtaudit landmarks` (issue 8): the landmarks found in a phantom's CT as landmarks.json and as ROIs of a
// valid copy of the structure set; a case without CT and a CT that is not a thorax say so.
#include "tests/support/cli_scratch.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>

namespace {
namespace fs = std::filesystem;
using namespace rtaudit::test;
using json = nlohmann::json;
}  // namespace

TEST(LandmarksCli, PhantomLandmarksAreWrittenAsJsonAndAsReviewableRois) {
  const fs::path ph = make_phantom(scratch_root() / "phantom", "--variant no-landmarks --seed 7 --side right");
  const fs::path out = scratch_root() / "out";
  const auto r = run_tool(rtaudit_cmd("landmarks -q " + quoted(ph) + " --out " + quoted(out) + " --export-rtstruct"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const json doc = read_json(out / "landmarks.json");
  const json truth = read_json(ph / "truth.json");
  EXPECT_EQ(doc["schema"], "rtaudit-landmarks/1");
  EXPECT_EQ(doc["thorax"], true);
  for (const auto& t : truth["landmarks"]["ribs"]) {
    if (t["rib"].get<int>() > 5) continue;
    const auto& ribs = doc["ribs"][t["side"].get<std::string>()];
    const int n = t["rib"];
    ASSERT_GE(ribs.size(), static_cast<std::size_t>(n));
    EXPECT_NEAR(ribs[n - 1]["cranial_z_mm"].get<double>(), t["medial_top_z_mm"].get<double>(), 2.5) << t["roi"];
    EXPECT_EQ(ribs[n - 1]["origin"], "ct");
  }
  EXPECT_EQ(doc["im_vessels"]["right"]["estimated"], false);
  ASSERT_TRUE(doc.contains("export")) << doc.dump();
  const fs::path rs = out / "RS_rtaudit_landmarks.dcm";
  ASSERT_TRUE(fs::exists(rs));
  if (fs::exists("/usr/bin/dciodvfy")) {
    std::string all;
    EXPECT_TRUE(dciodvfy_errors(rs, &all).empty()) << all;
  } else {
    std::printf("[ skipped ] dciodvfy not installed\n");
  }
  // Read back by rtaudit's own reader: every exported ROI is there.
  const auto back = run_tool(rtaudit_cmd("inspect --json " + quoted(rs) + " 2>/dev/null"));
  ASSERT_EQ(back.exit_code, 0) << back.output;
  std::set<std::string> names;
  for (const auto& roi : doc["export"]["rois"]) names.insert(roi["roi_name"]);
  for (const char* want : {"CT_Sternum", "CT_Rib01_L", "CT_Rib05_R", "CT_V_Mammary_R", "CT_A_Mammary_L"}) {
    EXPECT_TRUE(names.count(want)) << want;
    EXPECT_THAT(back.output, ::testing::HasSubstr(want));
  }
}

TEST(LandmarksCli, NoCtOrNotAThoraxIsSaidNotGuessed) {
  // A structure set alone.
  const fs::path ph = make_phantom(scratch_root() / "phantom-noct", "--seed 2");
  fs::remove_all(ph / "CT");
  auto r = run_tool(rtaudit_cmd("landmarks -q " + quoted(ph) + " --out " + quoted(scratch_root() / "noct")));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_THAT(r.output, ::testing::HasSubstr("no CT series"));
  const fs::path matrad = fs::path(RTAUDIT_SHARED_DIR) / "data" / "conformance" / "matRad" / "examples" / "dicomExport";
  if (!fs::exists(matrad)) GTEST_SKIP() << "conformance data not found";
  const fs::path out = scratch_root() / "matrad";
  r = run_tool(rtaudit_cmd("landmarks -q " + quoted(matrad) + " --out " + quoted(out) + " --export-rtstruct"));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_THAT(r.output, ::testing::HasSubstr("nothing to export"));
  const json doc = read_json(out / "landmarks.json");
  EXPECT_EQ(doc["thorax"], false);
  ASSERT_FALSE(doc["not_found"].empty());
  EXPECT_THAT(doc["not_found"][0].get<std::string>(), ::testing::HasSubstr("not a thorax"));
  EXPECT_TRUE(doc["ribs"]["left"].empty());
  EXPECT_FALSE(fs::exists(out / "RS_rtaudit_landmarks.dcm"));
}
