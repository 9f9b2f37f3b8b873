// End-to-end: `rtaudit phantom` writes a complete, valid patient that independent readers accept
// and whose volumes `rtaudit inspect` reproduces from truth.json (issue 3).

#include "tests/dicom/test_files.hpp"
#include "tests/dicom/writer_fixtures.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <fstream>
#include <map>

namespace rtaudit {
namespace {

namespace fs = std::filesystem;
using test::run_tool;

nlohmann::json read_json(const fs::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in);
}

std::string rtaudit_cmd(const std::string& args) { return std::string(RTAUDIT_BINARY) + " " + args; }

// One phantom per seed/variant for the whole suite (generation is the expensive part).
fs::path phantom(const std::string& name, const std::string& args) {
  static std::map<std::string, fs::path> made;
  if (auto it = made.find(name); it != made.end()) return it->second;
  const fs::path dir = fs::temp_directory_path() / ("rtaudit-phantom-cli-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir);
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = run_tool(rtaudit_cmd("phantom -q --out " + dir.string() + " " + args));
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::printf("[ timing ] rtaudit phantom %s: %.2f s\n", args.c_str(), s);
  made[name] = dir;
  return dir;
}

std::vector<fs::path> files_below(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out.push_back(fs::relative(e.path(), dir));
  std::sort(out.begin(), out.end());
  return out;
}

TEST(PhantomCli, WritesCtRtstructRtplanRtdoseRecurrencesAndTruth) {
  const fs::path dir = phantom("s3", "--seed 3");
  for (const char* f : {"RS.dcm", "RP.dcm", "RD.dcm", "truth.json", "recurrences.csv", "recurrences.json"})
    EXPECT_TRUE(fs::exists(dir / f)) << f;
  const auto truth = read_json(dir / "truth.json");
  EXPECT_EQ(truth["seed"], 3);
  EXPECT_EQ(static_cast<int>(std::distance(fs::directory_iterator(dir / "CT"), fs::directory_iterator{})),
            truth["ct"]["slices"].get<int>());
}

TEST(PhantomCli, EveryFilePassesDciodvfy) {
  const fs::path dir = phantom("s3", "--seed 3");
  for (const auto& rel : files_below(dir)) {
    if (rel.extension() != ".dcm") continue;
    std::string all;
    const auto errors = test::dciodvfy_errors(dir / rel, &all);
    EXPECT_TRUE(errors.empty()) << rel << ":\n" << all;
  }
}

TEST(PhantomCli, InspectReproducesTruthVolumes) {
  const fs::path dir = phantom("s3", "--seed 3");
  const auto r = run_tool(rtaudit_cmd("inspect --json " + dir.string() + " 2>/dev/null"));
  ASSERT_EQ(r.exit_code, 0);
  const auto j = nlohmann::json::parse(r.output);
  const auto truth = read_json(dir / "truth.json");
  std::map<int, double> truth_cc;
  for (const auto& roi : truth["rois"]) truth_cc[roi["number"]] = roi["volume_cc"];
  int checked = 0;
  for (const auto& o : j["objects"]) {
    if (o["kind"] != "RTSTRUCT") continue;
    for (const auto& roi : o["rois"]) {
      const int n = roi["number"];
      ASSERT_TRUE(truth_cc.count(n)) << n;
      EXPECT_NEAR(roi["volume_cc"].get<double>(), truth_cc[n], 1e-6 + 1e-9 * truth_cc[n]) << roi["name"];
      EXPECT_TRUE(roi["problems"].empty()) << roi["name"] << roi["problems"].dump();
      ++checked;
    }
  }
  EXPECT_EQ(checked, static_cast<int>(truth_cc.size()));
  EXPECT_EQ(j["image_series"][0]["slices"], truth["ct"]["slices"]);
  EXPECT_EQ(j["summary"]["objects"].get<int>(), truth["ct"]["slices"].get<int>() + 3);
}

TEST(PhantomCli, PlastimatchAndPydicomReadIt) {
  const fs::path dir = phantom("s3", "--seed 3");
  const fs::path masks = fs::temp_directory_path() / ("rtaudit-phantom-masks-" + std::to_string(::getpid()));
  const auto pl = run_tool("plastimatch convert --input " + (dir / "RS.dcm").string() + " --referenced-ct " +
                           (dir / "CT").string() + " --output-prefix " + masks.string() + " 2>&1");
  EXPECT_EQ(pl.exit_code, 0) << pl.output;
  EXPECT_TRUE(fs::exists(masks / "Heart.mha"));
  fs::remove_all(masks);
  const auto py = test::pydicom(
      "import pydicom, sys, os\n"
      "d = os.path.dirname(sys.argv[1])\n"
      "rs = pydicom.dcmread(os.path.join(d, 'RS.dcm'))\n"
      "rp = pydicom.dcmread(os.path.join(d, 'RP.dcm'))\n"
      "rd = pydicom.dcmread(os.path.join(d, 'RD.dcm'))\n"
      "ct = pydicom.dcmread(os.path.join(d, 'CT', sorted(os.listdir(os.path.join(d, 'CT')))[0]))\n"
      "print(len(rs.StructureSetROISequence), len(rp.BeamSequence), rd.pixel_array.shape[0] > 10, ct.pixel_array.shape)\n",
      dir / "RS.dcm");
  ASSERT_EQ(py.exit_code, 0) << py.output;
  EXPECT_NE(py.output.find("34 3 True (320, 400)"), std::string::npos) << py.output;
}

TEST(PhantomCli, SameSeedGivesIdenticalBytesOtherSeedsDiffer) {
  const fs::path a = phantom("s5a", "--seed 5");
  const fs::path b = phantom("s5b", "--seed 5");
  const fs::path c = phantom("s6", "--seed 6");
  const auto fa = files_below(a);
  ASSERT_EQ(fa, files_below(b));
  for (const auto& rel : fa) EXPECT_TRUE(test::same_bytes(a / rel, b / rel)) << rel;
  EXPECT_FALSE(test::same_bytes(a / "RS.dcm", c / "RS.dcm"));
  EXPECT_NE(read_json(a / "truth.json")["rois"], read_json(c / "truth.json")["rois"]);
}

TEST(PhantomCli, VariantsAndSidesAreWritten) {
  const fs::path right = phantom("right", "--variant right-side");
  EXPECT_EQ(read_json(right / "truth.json")["side"], "right");
  const fs::path nl = phantom("nl", "--variant no-landmarks --contrast");
  EXPECT_EQ(read_json(nl / "truth.json")["variant"], "no-landmarks");
  const auto bad = run_tool(rtaudit_cmd("phantom --out /tmp/rtaudit-never --variant nonsense 2>&1"));
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.output.find("unknown variant"), std::string::npos);
  EXPECT_FALSE(fs::exists("/tmp/rtaudit-never"));
}

}  // namespace
}  // namespace rtaudit
