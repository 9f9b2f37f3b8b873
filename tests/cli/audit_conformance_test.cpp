// `rtaudit audit` on every real structure set of the conformance data (Eclipse, MIM, Monaco, Pinnacle,
// RayStation, pydicom, matRad... ../shared/data/conformance): none of them is a breast IMN plan, so
// each must give a report that says what is not evaluable and why, never a crash. A second run forces
// one real ROI to be the CTVn_IMN (--role) so that landmarks, references, checks and metrics all run
// on real-world geometry. Skips cleanly when ../shared is absent.

#include "tests/dicom/writer_fixtures.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

namespace rtaudit {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const fs::path kConformance = fs::path(RTAUDIT_SHARED_DIR) / "data" / "conformance";

struct RealStructureSet {
  std::string file;      ///< relative to the conformance folder
  int roi_with_volume;   ///< an ROI with a closed volume (EXPECTED.json), 0 when none
};

std::vector<RealStructureSet> real_structure_sets() {
  std::vector<RealStructureSet> out;
  std::ifstream in(kConformance / "EXPECTED.json");
  if (!in) return out;
  const json expected = json::parse(in);
  for (const auto& [file, v] : expected["files"].items()) {
    if (v.value("modality", "") != "RTSTRUCT") continue;
    RealStructureSet s{file, 0};
    for (const auto& roi : v.value("rois", json::array())) {
      if (roi.contains("volume_cc") && roi["volume_cc"].is_number() && roi["volume_cc"].get<double>() > 0.1) {
        s.roi_with_volume = roi["number"].get<int>();
        break;
      }
    }
    out.push_back(s);
  }
  return out;
}

fs::path scratch_root() { return fs::temp_directory_path() / ("rtaudit-audit-conf-" + std::to_string(::getpid())); }

class ScratchCleanup : public ::testing::Environment {
 public:
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(scratch_root(), ec);
  }
};
[[maybe_unused]] const auto* const kCleanup = ::testing::AddGlobalTestEnvironment(new ScratchCleanup);

fs::path scratch(const std::string& name) {
  const fs::path p = scratch_root() / name;
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

const std::set<std::string> kStatuses = {"pass", "warn", "fail", "not_evaluable", "info"};

TEST(AuditConformance, EveryRealStructureSetGivesAReportThatSaysWhatIsNotEvaluable) {
  const auto sets = real_structure_sets();
  if (sets.empty()) GTEST_SKIP() << "conformance data not found at " << kConformance;
  int n = 0;
  for (const auto& s : sets) {
    SCOPED_TRACE(s.file);
    // The case folder holds just this structure set (a link: the shared data is never copied).
    const fs::path case_dir = scratch("case-" + std::to_string(n));
    fs::create_symlink(kConformance / s.file, case_dir / "RS.dcm");
    const fs::path out = scratch("out-" + std::to_string(n++));
    const auto r = test::run_tool(std::string(RTAUDIT_BINARY) + " audit -q '" + case_dir.string() + "' --out '" +
                                  out.string() + "'");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    std::ifstream in(out / "report.json");
    ASSERT_TRUE(in) << "no report.json";
    const json report = json::parse(in);
    EXPECT_TRUE(report["non_finite_values"].empty()) << report["non_finite_values"].dump();
    // None of these files has an IMN CTV: the case says so with a reason.
    ASSERT_FALSE(report["not_evaluable"].empty()) << report.dump(1).substr(0, 2000);
    for (const auto& g : report["guidelines"]) {
      EXPECT_TRUE(kStatuses.contains(g["overall"].get<std::string>())) << g["overall"];
      EXPECT_NE(g["overall"], "pass");
    }
  }
}

TEST(AuditConformance, ARealRoiForcedToBeTheImnCtvRunsEveryCheckWithoutACrash) {
  const auto sets = real_structure_sets();
  if (sets.empty()) GTEST_SKIP() << "conformance data not found at " << kConformance;
  int n = 0;
  for (const auto& s : sets) {
    if (s.roi_with_volume == 0) continue;
    SCOPED_TRACE(s.file);
    const fs::path case_dir = scratch("forced-case-" + std::to_string(n));
    fs::create_symlink(kConformance / s.file, case_dir / "RS.dcm");
    const fs::path out = scratch("forced-out-" + std::to_string(n++));
    const auto r = test::run_tool(std::string(RTAUDIT_BINARY) + " audit -q '" + case_dir.string() + "' --out '" +
                                  out.string() + "' --side left --role '#" + std::to_string(s.roi_with_volume) +
                                  "=ctvn_imn:left'");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    std::ifstream in(out / "report.json");
    ASSERT_TRUE(in);
    const json report = json::parse(in);
    EXPECT_EQ(report["clinical_ctv"]["roi_number"], s.roi_with_volume);
    EXPECT_TRUE(report["non_finite_values"].empty()) << report["non_finite_values"].dump();
    ASSERT_FALSE(report["guidelines"].empty());
    for (const auto& g : report["guidelines"]) {
      // No IM vein in these files: every reference is not evaluable, with its reason.
      EXPECT_FALSE(g["reference_ctv"]["not_evaluable"].empty()) << g["id"];
      EXPECT_NE(g["overall"], "pass") << g["id"];
    }
  }
  EXPECT_GE(n, 8);
}

}  // namespace
}  // namespace rtaudit
