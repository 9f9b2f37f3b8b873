// Real DICOM RT files written by other software (../shared/data/conformance), against the counts
// and volumes an independent reader found (EXPECTED.json). Skips when ../shared is absent.

#include "rtaudit/dicom/inspect.hpp"
#include "rtaudit/dicom/load.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>

namespace rtaudit::dicom {
namespace {

namespace fs = std::filesystem;
const fs::path kConformance = fs::path(RTAUDIT_SHARED_DIR) / "data" / "conformance";

class Conformance : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(kConformance / "EXPECTED.json")) return;
    configure_dcmtk_logging(false);
    std::ifstream in(kConformance / "EXPECTED.json");
    expected_ = new nlohmann::json(nlohmann::json::parse(in));
    report_ = new InspectReport(inspect(kConformance));
  }
  static void TearDownTestSuite() {
    delete expected_;
    delete report_;
    expected_ = nullptr;
    report_ = nullptr;
  }
  void SetUp() override {
    if (expected_ == nullptr) GTEST_SKIP() << "conformance data not found at " << kConformance;
  }
  static std::string rel(const std::string& file) { return fs::path(file).lexically_relative(kConformance).generic_string(); }

  static inline nlohmann::json* expected_ = nullptr;
  static inline InspectReport* report_ = nullptr;
};

TEST_F(Conformance, EveryListedFileIsReadOrReportedWithoutCrash) {
  std::map<std::string, const ObjectInfo*> read;
  for (const auto& o : report_->inventory.objects) read[rel(o.file)] = &o;
  std::map<std::string, const Diagnostic*> reported;
  for (const auto& p : report_->inventory.problems) reported[rel(p.file)] = &p;
  for (const auto& [file, exp] : (*expected_)["files"].items()) {
    SCOPED_TRACE(file);
    if (auto it = read.find(file); it != read.end()) {
      EXPECT_EQ(it->second->modality, exp["modality"].get<std::string>());
      EXPECT_EQ(it->second->has_file_meta, exp["has_preamble_meta"].get<bool>());
    } else {
      // Only a damaged file may be missing, and then it must be reported.
      ASSERT_TRUE(reported.count(file)) << "neither read nor reported";
      EXPECT_NE(file.find("truncated"), std::string::npos) << reported[file]->message;
    }
  }
}

TEST_F(Conformance, StructureSetsMatchExpectedCountsAndVolumes) {
  std::map<std::string, const InspectedStructureSet*> sets;
  for (const auto& s : report_->structure_sets) sets[rel(s.set.file)] = &s;
  int rois_checked = 0, volumes_checked = 0;
  for (const auto& [file, exp] : (*expected_)["files"].items()) {
    if (!exp.contains("rois")) continue;
    SCOPED_TRACE(file);
    ASSERT_TRUE(sets.count(file));
    const InspectedStructureSet& s = *sets[file];
    ASSERT_EQ(s.set.rois.size(), exp["rois"].size());
    for (const auto& er : exp["rois"]) {
      const int number = er["number"];
      SCOPED_TRACE("ROI " + std::to_string(number));
      ASSERT_TRUE(s.set.rois.count(number));
      const Roi& roi = s.set.rois.at(number);
      const InspectedRoi& ir = s.rois.at(number);
      EXPECT_EQ(roi.name, er["name"].get<std::string>());
      EXPECT_EQ(roi.interpreted_type, er["interpreted_type"].get<std::string>());
      EXPECT_EQ(roi.contours.size(), er["contours"].get<std::size_t>());
      EXPECT_EQ(roi.point_count(), er["points"].get<std::size_t>());
      EXPECT_EQ(ir.stored.planes, er["planes"].get<std::size_t>());
      EXPECT_EQ(ir.stored.max_contours_per_plane, er["max_contours_per_plane"].get<std::size_t>());
      ++rois_checked;
      if (!er["volume_cc"].is_null()) {
        const double v = er["volume_cc"];
        ASSERT_TRUE(ir.volume_cc.has_value());
        EXPECT_NEAR(*ir.volume_cc, v, 0.005 * v);
        ++volumes_checked;
      }
    }
  }
  EXPECT_GT(rois_checked, 50);
  EXPECT_GT(volumes_checked, 30);
}

}  // namespace
}  // namespace rtaudit::dicom
