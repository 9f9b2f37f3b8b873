// End-to-end: the rtaudit executable on folders written in the test.

#include "tests/dicom/test_files.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <string>
#include <sys/wait.h>

namespace rtaudit {
namespace {

struct Result {
  int status = -1;
  std::string out;
};

Result run_rtaudit(const std::string& args) {
  Result r;
  const std::string cmd = std::string(RTAUDIT_BINARY) + " " + args + " 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

TEST(InspectCli, JsonListsRoisWithCountsAndVolumes) {
  const auto dir = test::temp_dir("cli");
  auto f = test::make_rtstruct({{.number = 5, .name = "Box", .type = "PTV",
                                 .contours = {{"CLOSED_PLANAR", test::square(0, 0, 10, 0)},
                                              {"CLOSED_PLANAR", test::square(0, 0, 10, 3)}}},
                                {.number = 6, .name = "Empty"}});
  test::save(f, dir / "rs");
  const Result r = run_rtaudit("inspect --json " + dir.string());
  ASSERT_EQ(r.status, 0);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["schema"], "rtaudit-inspect");
  ASSERT_EQ(j["objects"].size(), 1u);
  const auto& o = j["objects"][0];
  EXPECT_EQ(o["kind"], "RTSTRUCT");
  EXPECT_EQ(o["file"], "rs");
  EXPECT_FALSE(o.contains("patient_name"));  // identifiers beyond the ID only when asked
  ASSERT_EQ(o["rois"].size(), 2u);
  EXPECT_EQ(o["rois"][0]["number"], 5);
  EXPECT_EQ(o["rois"][0]["name"], "Box");
  EXPECT_EQ(o["rois"][0]["contours"], 2);
  EXPECT_EQ(o["rois"][0]["points"], 8);
  EXPECT_EQ(o["rois"][0]["planes"], 2);
  EXPECT_DOUBLE_EQ(o["rois"][0]["volume_cc"].get<double>(), 0.6);
  EXPECT_TRUE(o["rois"][1]["volume_cc"].is_null());
  EXPECT_EQ(o["rois"][1]["problems"][0]["code"], "ROI with no contours");
}

TEST(InspectCli, ShowNamesAddsPatientName) {
  const auto dir = test::temp_dir("names");
  auto f = test::make_rtstruct({{.number = 1, .name = "A"}});
  test::save(f, dir / "rs");
  const auto j = nlohmann::json::parse(run_rtaudit("inspect --json --show-names " + dir.string()).out);
  EXPECT_EQ(j["objects"][0]["patient_name"], "Test^Patient");
}

TEST(InspectCli, NothingUsableGivesExitStatusTwo) {
  const auto dir = test::temp_dir("empty");
  EXPECT_EQ(run_rtaudit("inspect " + dir.string()).status, 2);
  EXPECT_EQ(run_rtaudit("inspect " + (dir / "does-not-exist").string()).status, 2);
}

TEST(InspectCli, TextOutputNamesEveryRoi) {
  const auto dir = test::temp_dir("text");
  auto f = test::make_rtstruct({{.number = 1, .name = "Heart", .contours = {{"CLOSED_PLANAR", test::square(0, 0, 10, 0)}}}});
  test::save(f, dir / "rs");
  const Result r = run_rtaudit("inspect " + dir.string());
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("Heart"), std::string::npos);
  EXPECT_NE(r.out.find("RTSTRUCT"), std::string::npos);
}


TEST(InspectCli, NameInAnUndeclaredCharacterSetStillGivesValidJson) {
  // Latin-1 bytes without SpecificCharacterSet: not UTF-8. The JSON replaces them (U+FFFD) instead of
  // aborting on nlohmann's invalid-UTF-8 exception.
  const auto dir = test::temp_dir("cli-charset");
  auto f = test::make_rtstruct({{.number = 1, .name = "C\xE9ur", .type = "ORGAN",
                                 .contours = {{"CLOSED_PLANAR", test::square(0, 0, 10, 0)},
                                              {"CLOSED_PLANAR", test::square(0, 0, 10, 3)}}}});
  test::save(f, dir / "rs");
  const Result r = run_rtaudit("inspect --json " + dir.string());
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_FALSE(j.dump().empty());
}

}  // namespace
}  // namespace rtaudit
