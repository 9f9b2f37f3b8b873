// Cross-check of `rtaudit compare` against plastimatch (issue 4 acceptance): the same two
// structures rasterised by `plastimatch convert` on a grid of 0.5 mm in-plane and compared by
// `plastimatch dice --all`. rtaudit's exact Dice must lie within 0.01 of plastimatch's voxel Dice,
// and its Hausdorff distance within one voxel (0.5 mm) of plastimatch's boundary Hausdorff
// distance. The numbers are printed ("[ crosscheck ]") for docs/validation.md.
//
// Which plastimatch Hausdorff: `plastimatch dice --all` prints a set and a boundary family
// (src/plastimatch/util/hausdorff_distance.cxx). "Hausdorff distance" takes every voxel of one
// mask with its distance to the other mask, 0 inside it (the Hausdorff distance of the two
// solids); "Hausdorff distance (boundary)" takes the boundary voxels of one mask with their
// distance to the other mask's boundary, i.e. surface to surface, which is what rtaudit computes
// on the contour surfaces. "Percent (0.95) Hausdorff distance (boundary)" is the mean of the two
// directed 95th percentiles over boundary voxels (rtaudit: hd95_plastimatch_mm).
//
// The grid: 0.5 mm in x and y; in z the structures' own slice spacing with a slice on every
// contour plane, because plastimatch puts each contour on the one slice nearest its z (a finer z
// grid leaves the slices between contour planes empty). Each slice then stands for one slab, the
// slab model rtaudit uses.

#include "tests/dicom/test_files.hpp"
#include "tests/dicom/writer_fixtures.hpp"

#include "rtaudit/case/uid.hpp"
#include "rtaudit/dicom/write_rtstruct.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <numbers>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <unistd.h>

namespace rtaudit {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test::run_tool;

constexpr double kVoxelMm = 0.5;

bool have_plastimatch() { return run_tool("plastimatch --version").exit_code == 0; }

std::string rtaudit(const std::string& args) { return std::string(RTAUDIT_BINARY) + " " + args; }

struct Metrics {
  double dice = NAN;
  double hd_mm = NAN;    ///< rtaudit: hausdorff_mm; plastimatch: "Hausdorff distance (boundary)"
  double hd95_mm = NAN;  ///< rtaudit: hd95_mm (max of the directed P95); plastimatch: n/a
  double hd95_mean_mm = NAN;  ///< rtaudit: hd95_plastimatch_mm; plastimatch: "Percent (0.95) Hausdorff distance (boundary)"
  double set_hd_mm = NAN;     ///< plastimatch only: "Hausdorff distance" (solids, not surfaces)
  double seconds = 0;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

Metrics rtaudit_metrics(const fs::path& rs, const std::string& a, const std::string& b) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = run_tool(rtaudit(fmt::format("compare --json '{}:{}' '{}:{}' 2>/dev/null", rs.string(), a, rs.string(), b)));
  Metrics m;
  m.seconds = seconds_since(t0);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  if (r.exit_code != 0) return m;
  const json j = json::parse(r.output);
  m.dice = j["overlap"]["dice"].get<double>();
  m.hd_mm = j["surface"]["hausdorff_mm"].get<double>();
  m.hd95_mm = j["surface"]["hd95_mm"].get<double>();
  m.hd95_mean_mm = j["surface"]["hd95_plastimatch_mm"].get<double>();
  return m;
}

// The 0.5 mm grid over both ROIs (3 mm margin in-plane, two slices beyond each end), from
// `rtaudit inspect --json`: bounding boxes, plane z range and slab.
struct Grid {
  std::array<double, 3> origin{};
  std::array<long, 3> dim{};
  double slab_mm = 0;
};

std::optional<Grid> grid_for(const fs::path& rs, const std::string& a, const std::string& b) {
  const auto r = run_tool(rtaudit("inspect --json '" + rs.string() + "' 2>/dev/null"));
  if (r.exit_code != 0) return std::nullopt;
  const json j = json::parse(r.output);
  std::array<double, 3> lo{INFINITY, INFINITY, INFINITY}, hi{-INFINITY, -INFINITY, -INFINITY};
  double slab = 0;
  int found = 0;
  for (const auto& roi : j["objects"][0]["rois"]) {
    if (roi["name"] != a && roi["name"] != b) continue;
    ++found;
    for (int i = 0; i < 2; ++i) {
      lo[i] = std::min(lo[i], roi["bounding_box_mm"]["min"][i].get<double>());
      hi[i] = std::max(hi[i], roi["bounding_box_mm"]["max"][i].get<double>());
    }
    lo[2] = std::min(lo[2], roi["z_min_mm"].get<double>());
    hi[2] = std::max(hi[2], roi["z_max_mm"].get<double>());
    slab = roi["slab_mm"].get<double>();
  }
  if (found != 2 || !(slab > 0)) return std::nullopt;
  Grid g;
  g.slab_mm = slab;
  for (int i = 0; i < 2; ++i) {
    // Voxel centres at odd multiples of 0.25 mm: off the round coordinates contours tend to have.
    g.origin[i] = std::floor((lo[i] - 3) / kVoxelMm) * kVoxelMm + kVoxelMm / 2;
    g.dim[i] = std::lround(std::ceil((hi[i] + 3 - g.origin[i]) / kVoxelMm)) + 1;
  }
  g.origin[2] = lo[2] - 2 * slab;
  g.dim[2] = std::lround((hi[2] - lo[2]) / slab) + 5;
  return g;
}

std::optional<double> value_after(const std::string& text, const std::string& label) {
  // Anchored at a line start: "Hausdorff distance (boundary)" is also the end of "Avg average ...".
  const std::regex re(R"((?:^|\n))" + label + R"(\s*[:=]\s*([-+0-9.eE]+))");
  std::smatch m;
  if (!std::regex_search(text, m, re)) return std::nullopt;
  return std::stod(m[1].str());
}

Metrics plastimatch_metrics(const fs::path& rs, const std::string& a, const std::string& b, const fs::path& work) {
  Metrics m;
  const auto grid = grid_for(rs, a, b);
  EXPECT_TRUE(grid.has_value()) << "no grid for " << a << ", " << b;
  if (!grid) return m;
  const fs::path masks = work / "masks";
  fs::remove_all(masks);
  const auto t0 = std::chrono::steady_clock::now();
  const auto conv = run_tool(fmt::format(
      "plastimatch convert --input '{}' --output-prefix '{}' --spacing '{} {} {}' --origin '{} {} {}' --dim '{} {} {}'",
      rs.string(), masks.string(), kVoxelMm, kVoxelMm, grid->slab_mm, grid->origin[0], grid->origin[1], grid->origin[2],
      grid->dim[0], grid->dim[1], grid->dim[2]));
  EXPECT_EQ(conv.exit_code, 0) << conv.output;
  const auto dice = run_tool(fmt::format("plastimatch dice --all '{}' '{}'", (masks / (a + ".mha")).string(),
                                         (masks / (b + ".mha")).string()));
  m.seconds = seconds_since(t0);
  EXPECT_EQ(dice.exit_code, 0) << dice.output;
  const auto d = value_after(dice.output, "DICE");
  const auto hd = value_after(dice.output, R"(Hausdorff distance \(boundary\))");
  const auto p95 = value_after(dice.output, R"(Percent \(0\.95\) Hausdorff distance \(boundary\))");
  const auto set_hd = value_after(dice.output, "Hausdorff distance");
  EXPECT_TRUE(d && hd && p95 && set_hd) << dice.output;
  if (d) m.dice = *d;
  if (hd) m.hd_mm = *hd;
  if (p95) m.hd95_mean_mm = *p95;
  if (set_hd) m.set_hd_mm = *set_hd;
  return m;
}

void cross_check(const std::string& pair, const fs::path& rs, const std::string& a, const std::string& b,
                 const fs::path& work) {
  const Metrics r = rtaudit_metrics(rs, a, b);
  const Metrics p = plastimatch_metrics(rs, a, b, work);
  std::printf("[ crosscheck ] %s: rtaudit Dice %.4f HD %.3f HD95 %.3f HD95(mean) %.3f (%.2f s) | plastimatch Dice %.4f "
              "HD(boundary) %.3f HD(set) %.3f HD95(boundary, mean) %.3f (%.2f s) | dDice %+.4f dHD %+.3f dHD95(mean) "
              "%+.3f\n",
              pair.c_str(), r.dice, r.hd_mm, r.hd95_mm, r.hd95_mean_mm, r.seconds, p.dice, p.hd_mm, p.set_hd_mm,
              p.hd95_mean_mm, p.seconds, r.dice - p.dice, r.hd_mm - p.hd_mm, r.hd95_mean_mm - p.hd95_mean_mm);
  EXPECT_NEAR(r.dice, p.dice, 0.01) << pair;
  EXPECT_NEAR(r.hd_mm, p.hd_mm, kVoxelMm) << pair;
  // Not an acceptance criterion, a sanity bound: the voxel P95 counts boundary voxels, not area.
  EXPECT_NEAR(r.hd95_mean_mm, p.hd95_mean_mm, 2 * kVoxelMm) << pair;
}

// A sphere of radius 20 mm centred on c as a stack of regular 64-gons (one vertex at angle 0) on
// the planes z = 2.5 k + 1.25 (k integer) it crosses, each of the sphere's radius at that plane.
Roi sphere(int number, const std::string& name, std::array<double, 3> c) {
  constexpr double kRadiusMm = 20, kSlabMm = 2.5;
  Roi roi;
  roi.number = number;
  roi.name = name;
  roi.interpreted_type = "CTV";
  roi.generation_algorithm = "MANUAL";
  roi.colour = std::array<int, 3>{255, 0, 0};
  for (double z = std::ceil((c[2] - kRadiusMm) / kSlabMm - 0.5) * kSlabMm + kSlabMm / 2; z < c[2] + kRadiusMm; z += kSlabMm) {
    const double r2 = kRadiusMm * kRadiusMm - (z - c[2]) * (z - c[2]);
    if (r2 <= 0) continue;
    geom::Contour contour;
    for (int i = 0; i < 64; ++i) {
      const double t = 2 * std::numbers::pi * i / 64;
      contour.points.push_back({c[0] + std::sqrt(r2) * std::cos(t), c[1] + std::sqrt(r2) * std::sin(t), z});
    }
    roi.contours.push_back(std::move(contour));
  }
  return roi;
}

// Written by rtaudit's own RTSTRUCT writer (complete: plastimatch needs NumberOfContourPoints and
// the referenced series, which the minimal test files leave out).
fs::path write_spheres(const fs::path& dir, const std::array<double, 3>& offset_mm) {
  const StudyIdentity id = test::small_identity();
  StructureSet set;
  set.sop_instance_uid = make_uid("crosscheck/rtstruct");
  set.label = "SPHERES";
  set.date = id.study_date;
  set.time = id.study_time;
  set.frame_of_reference_uid = id.frame_of_reference_uid;
  set.referenced_series_uid = make_uid("crosscheck/ct-series");
  set.rois.emplace(1, sphere(1, "SphereA", {0, 0, 0}));
  set.rois.emplace(2, sphere(2, "SphereB", offset_mm));
  dicom::RtStructOptions options;
  options.series_uid = make_uid("crosscheck/rtstruct-series");
  const fs::path path = dir / "RS.dcm";
  // The IOD wants the image slices the contours were drawn on: a (not written) CT slice on every
  // 2.5 mm plane from -30 to +30 mm.
  std::vector<dicom::CtSliceRef> slices;
  for (int k = -12; k < 12; ++k) {
    slices.push_back({{}, make_uid(fmt::format("crosscheck/ct/{}", k)), {-25.0, -25.0, 2.5 * k + 1.25}});
  }
  const auto written = dicom::write_rtstruct(path, id, set, slices, options);
  EXPECT_TRUE(written.ok()) << written.error;
  return path;
}

class PlastimatchCrossCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_plastimatch()) GTEST_SKIP() << "plastimatch not installed";
    work_ = test::temp_dir("crosscheck");
  }
  void TearDown() override {
    if (!work_.empty()) fs::remove_all(work_);
  }
  fs::path work_;
};

TEST_F(PlastimatchCrossCheck, OffsetSpheres) {
  // B is A moved by (3, 2, 2.5) mm: one slice up, so both stacks lie on the same slice grid.
  const fs::path rs = write_spheres(work_, {3, 2, 2.5});
  cross_check("offset spheres R 20 mm, (3, 2, 2.5) mm", rs, "SphereA", "SphereB", work_);
}

TEST_F(PlastimatchCrossCheck, PhantomNarrowMarginPairs) {
  const fs::path phantom = work_ / "phantom";
  const auto made = run_tool(rtaudit("phantom -q --variant narrow-margin --out '" + phantom.string() + "'"));
  ASSERT_EQ(made.exit_code, 0) << made.output;
  // The clinician's IMN CTV against its PTV (a 5 mm margin around a 4.4 cc target), the level-4
  // CTV (several contours on some planes) against its PTV.
  cross_check("phantom narrow-margin CTVn_IMN_L vs PTVn_IMN_L", phantom / "RS.dcm", "CTVn_IMN_L", "PTVn_IMN_L", work_);
  cross_check("phantom narrow-margin CTVn_L4_L vs PTVn_L4_L", phantom / "RS.dcm", "CTVn_L4_L", "PTVn_L4_L", work_);
  // The breast CTV against its PTV: 460 cc, 56 planes.
  cross_check("phantom narrow-margin CTV_Breast_L vs PTV_Breast_L", phantom / "RS.dcm", "CTV_Breast_L", "PTV_Breast_L",
              work_);
}

}  // namespace
}  // namespace rtaudit
