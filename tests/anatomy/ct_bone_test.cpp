// Bone landmarks found in the CT (issue 8): on phantoms whose truth.json knows every rib's medial end
// and the sternal edges, on a CT with contrast, on CTs that are not a thorax.
#include "rtaudit/anatomy/ct_bone.hpp"

#include "rtaudit/dicom/inspect.hpp"
#include "rtaudit/dicom/load.hpp"
#include "rtaudit/dicom/pixel_reader.hpp"
#include "tests/support/cli_scratch.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>

namespace {

namespace fs = std::filesystem;
using namespace rtaudit;
using namespace rtaudit::test;
using json = nlohmann::json;

ImageVolume read_ct(const fs::path& dir) {
  dicom::configure_dcmtk_logging(false);
  const dicom::InspectReport report = dicom::inspect(dir);
  for (const auto& s : report.series) {
    if (s.modality == "CT") return dicom::read_image_volume(s);
  }
  ADD_FAILURE() << "no CT below " << dir;
  return {};
}

/// The phantom's truth against what was found in its CT: every rib 1-5 on both sides within one
/// slice (2.5 mm) at both aspects, and the sternal edges within 2 mm on every slice of the truth.
void expect_matches_truth(const fs::path& dir) {
  const json truth = read_json(dir / "truth.json");
  const anatomy::CtBoneLandmarks found = anatomy::find_bone_landmarks(read_ct(dir));
  ASSERT_TRUE(found.thorax) << (found.not_found.empty() ? "" : found.not_found[0]);
  const double slice = truth["ct"]["slice_spacing_mm"];
  for (const auto& r : truth["landmarks"]["ribs"]) {
    const int n = r["rib"];
    if (n > 5) continue;
    const auto& ribs = r["side"] == "left" ? found.ribs_left : found.ribs_right;
    SCOPED_TRACE(r["roi"].get<std::string>());
    ASSERT_GE(ribs.size(), static_cast<std::size_t>(n)) << "rib not found";
    EXPECT_NEAR(ribs[n - 1].cranial_z_mm, r["medial_top_z_mm"].get<double>(), slice);
    EXPECT_NEAR(ribs[n - 1].caudal_z_mm, r["medial_bottom_z_mm"].get<double>(), slice);
  }
  int compared = 0;
  for (const auto& e : truth["landmarks"]["sternum"]["edges"]) {
    const double z = e["z_mm"];
    for (const auto& s : found.sternum) {
      if (std::abs(s.z_mm - z) > 0.01) continue;
      EXPECT_NEAR(s.left_x_mm, e["left_x_mm"].get<double>(), 2.0) << "z " << z;
      EXPECT_NEAR(s.right_x_mm, e["right_x_mm"].get<double>(), 2.0) << "z " << z;
      ++compared;
    }
  }
  EXPECT_GE(compared, static_cast<int>(truth["landmarks"]["sternum"]["edges"].size()) - 2) << "the sternum is found on its slices";
  // The IM vein centreline within 3 mm of the truth on at least 90 % of its planes, on both sides.
  for (const char* side : {"left", "right"}) {
    const auto& iv = std::string(side) == "left" ? found.vessels_left : found.vessels_right;
    EXPECT_FALSE(iv.estimated) << side << ": " << iv.method;
    int planes = 0, close = 0;
    for (const auto& t : truth["landmarks"]["im_vessels"][side]["vein"]) {
      for (const auto& p : iv.vein) {
        if (std::abs(p.z_mm - t["z_mm"].get<double>()) > 0.01) continue;
        ++planes;
        if (std::hypot(p.x_mm - t["x_mm"].get<double>(), p.y_mm - t["y_mm"].get<double>()) <= 3.0) ++close;

      }
    }
    EXPECT_GE(planes, 20) << side;
    EXPECT_GE(close, 0.9 * planes) << side << ": " << close << " of " << planes << " planes within 3 mm";
    std::printf("IM vein %s: %d of %d planes within 3 mm\n", side, close, planes);
  }
}

}  // namespace

TEST(CtBone, RibLevelsAndSternalEdgesMatchThePhantomTruth) {
#ifdef RTAUDIT_SANITIZED
  const std::vector<int> seeds{1, 2};  // the sanitised build is slow; the full set runs in the normal build
#else
  const std::vector<int> seeds{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
#endif
  for (const int seed : seeds) {
    for (const char* side : {"left", "right"}) {
      SCOPED_TRACE(std::string("seed ") + std::to_string(seed) + " " + side);
      const fs::path dir = make_phantom(scratch_root() / ("bone-" + std::to_string(seed) + side),
                                        "--variant no-landmarks --seed " + std::to_string(seed) + " --side " + side);
      expect_matches_truth(dir);
    }
  }
}

TEST(CtBone, ContrastEnhancedVesselsAreNotTakenForRibs) {
  const fs::path dir = make_phantom(scratch_root() / "bone-contrast", "--variant no-landmarks --seed 4 --contrast");
  expect_matches_truth(dir);
}

TEST(CtBone, ACtWithoutVisibleVesselsGivesEstimatedVesselsLabelledSo) {
  const fs::path dir = make_phantom(scratch_root() / "bone-novessels", "--variant no-landmarks --seed 6");
  const json truth = read_json(dir / "truth.json");
  ImageVolume ct = read_ct(dir);
  // Remove the left vessels: fat wherever a voxel lies within 4 mm of either centreline.
  for (const char* vessel : {"vein", "artery"}) {
    for (const auto& t : truth["landmarks"]["im_vessels"]["left"][vessel]) {
      for (int k = 0; k < ct.slices; ++k) {
        if (std::abs(ct.slice_positions[k][2] - t["z_mm"].get<double>()) > 0.01) continue;
        for (int j = 0; j < ct.rows; ++j)
          for (int i = 0; i < ct.columns; ++i) {
            const auto p = ct.position(i, j, k);
            if (std::hypot(p[0] - t["x_mm"].get<double>(), p[1] - t["y_mm"].get<double>()) <= 4.0)
              ct.values[(static_cast<std::size_t>(k) * ct.rows + j) * ct.columns + i] = -100;
          }
      }
    }
  }
  const auto found = anatomy::find_bone_landmarks(ct);
  ASSERT_TRUE(found.thorax);
  EXPECT_TRUE(found.vessels_left.estimated) << found.vessels_left.method;
  EXPECT_THAT(found.vessels_left.method, ::testing::HasSubstr("ESTIMATED"));
  EXPECT_THAT(found.not_found, ::testing::Contains(::testing::HasSubstr("left IM vein not found credibly in the CT: estimated")));
  for (const auto& p : found.vessels_left.vein) {
    EXPECT_EQ(p.origin, anatomy::VesselPoint::Origin::Estimated);
    EXPECT_LE(p.confidence, 0.2);
  }
  EXPECT_FALSE(found.vessels_right.estimated) << "the other side still has its vessels";
}

TEST(CtBone, ACtThatIsNotAThoraxGivesReasonsNotLandmarks) {
  // Water in air: a body, but no lungs.
  ImageVolume v;
  v.columns = 64, v.rows = 64, v.slices = 10;
  v.pixel_spacing = {2, 2};
  for (int k = 0; k < v.slices; ++k) v.slice_positions.push_back({-64, -64, 3.0 * k});
  v.values.assign(static_cast<std::size_t>(64 * 64 * 10), -1000);
  for (int k = 0; k < 10; ++k)
    for (int j = 10; j < 54; ++j)
      for (int i = 10; i < 54; ++i) v.values[(static_cast<std::size_t>(k) * 64 + j) * 64 + i] = 0;
  auto found = anatomy::find_bone_landmarks(v);
  EXPECT_FALSE(found.thorax);
  ASSERT_FALSE(found.not_found.empty());
  EXPECT_THAT(found.not_found[0], ::testing::HasSubstr("not a thorax"));
  EXPECT_TRUE(found.sternum.empty());
  EXPECT_TRUE(found.ribs_left.empty());
  // Oblique or too small: refused with the reason.
  v.orientation = {0.9, 0.1, 0, 0, 1, 0};
  EXPECT_THAT(anatomy::find_bone_landmarks(v).not_found.at(0), ::testing::HasSubstr("not an axial"));
  EXPECT_THAT(anatomy::find_bone_landmarks(ImageVolume{}).not_found.at(0), ::testing::HasSubstr("too small"));
  // A real non-thorax CT of the conformance set: matRad's synthetic phantom.
  const fs::path matrad = fs::path(RTAUDIT_SHARED_DIR) / "data" / "conformance" / "matRad" / "examples" / "dicomExport";
  if (!fs::exists(matrad)) GTEST_SKIP() << "conformance data not found";
  found = anatomy::find_bone_landmarks(read_ct(matrad));
  EXPECT_FALSE(found.thorax);
  ASSERT_FALSE(found.not_found.empty());
  EXPECT_THAT(found.not_found[0], ::testing::HasSubstr("landmarks not found"));
}
