// End-to-end: `rtaudit compare A B [--json]` on structure sets written in the test, with answers
// in closed form (nested boxes: exact; translated 64-gon sphere stacks: HD exact, Dice against the
// circle-lens formula), and every way the arguments can be wrong (docs/compare.md).

#include "tests/dicom/test_files.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numbers>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace rtaudit {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct CommandRun {
  int status = -1;
  std::string out;  ///< stdout only
  std::string err;  ///< stderr only
};

CommandRun run_compare(const std::string& args) {
  const fs::path err = fs::temp_directory_path() / fmt::format("rtaudit-compare-cli-{}.err", ::getpid());
  const std::string cmd = fmt::format("{} compare {} 2>'{}'", RTAUDIT_BINARY, args, err.string());
  CommandRun r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  std::ifstream in(err);
  r.err.assign(std::istreambuf_iterator<char>(in), {});
  fs::remove(err);
  return r;
}

json run_json(const std::string& args) {
  const CommandRun r = run_compare("--json " + args);
  EXPECT_EQ(r.status, 0) << r.err;
  return r.status == 0 ? json::parse(r.out) : json{};
}

// A regular n-gon of circumradius r centred on (cx, cy) at z, counter-clockwise, one vertex at
// angle 0; coordinates printed with 6 decimals (a DS value holds at most 16 characters).
std::string ngon(double cx, double cy, double r, double z, int n = 64) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    const double t = 2 * std::numbers::pi * i / n;
    out += fmt::format("{}{:.6f}\\{:.6f}\\{:.6f}", i ? "\\" : "", cx + r * std::cos(t), cy + r * std::sin(t), z);
  }
  return out;
}

std::string rect(double x0, double y0, double x1, double y1, double z) {
  return fmt::format("{}\\{}\\{}\\{}\\{}\\{}\\{}\\{}\\{}\\{}\\{}\\{}", x0, y0, z, x1, y0, z, x1, y1, z, x0, y1, z);
}

constexpr double kSlabMm = 2.5;
constexpr double kSphereRadiusMm = 20;
constexpr int kSpherePlanes = 16;  // z = -18.75 ... 18.75: the midpoint rule over [-R, R]

double sphere_plane_z(int k) { return -kSphereRadiusMm + kSlabMm * (k + 0.5); }
double sphere_plane_radius(int k) {
  const double z = sphere_plane_z(k);
  return std::sqrt(kSphereRadiusMm * kSphereRadiusMm - z * z);
}

test::RoiSpec sphere(int number, const std::string& name, double cx, double cy) {
  test::RoiSpec roi{.number = number, .name = name, .type = "CTV"};
  for (int k = 0; k < kSpherePlanes; ++k) {
    roi.contours.push_back({"CLOSED_PLANAR", ngon(cx, cy, sphere_plane_radius(k), sphere_plane_z(k))});
  }
  return roi;
}

// Boxes on planes z = 0, 2.5, ..., 10: outer 20 x 20 mm, inner 10 x 10 mm centred in it.
test::RoiSpec box(int number, const std::string& name, double half_mm, const std::string& type = "ORGAN") {
  test::RoiSpec roi{.number = number, .name = name, .type = type};
  for (int k = 0; k < 5; ++k) {
    roi.contours.push_back({"CLOSED_PLANAR", rect(-half_mm, -half_mm, half_mm, half_mm, kSlabMm * k)});
  }
  return roi;
}

// The phantom-like file most tests use: nested boxes, translated spheres, a duplicate name, a
// single-plane ROI and an ROI without contours.
fs::path write_case(const fs::path& dir, const std::string& frame = "1.2.3.4.5.6.1") {
  test::RoiSpec single{.number = 9, .name = "Slice", .type = "ORGAN"};
  single.contours.push_back({"CLOSED_PLANAR", rect(-5, -5, 5, 5, 5.0)});
  auto file = test::make_rtstruct({box(1, "Outer", 10, "PTV"), box(2, "Inner", 5, "CTV"), sphere(3, "SphereA", 0, 0),
                                   sphere(4, "SphereB", 4, 0), box(5, "Dup", 3), box(6, "Dup", 4), box(7, "dup", 2),
                                   single, {.number = 11, .name = "Empty"}},
                                  frame);
  const fs::path path = dir / "RS.dcm";
  test::save(file, path);
  return path;
}

// Area of the intersection of two circles of equal radius r whose centres are d apart.
double lens_area(double r, double d) {
  if (d >= 2 * r) return 0;
  return 2 * r * r * std::acos(d / (2 * r)) - 0.5 * d * std::sqrt(4 * r * r - d * d);
}

TEST(CompareCli, NestedBoxesGiveExactOverlapAndDistances) {
  const fs::path rs = write_case(test::temp_dir("boxes"));
  const json j = run_json(rs.string() + ":1 " + rs.string() + ":2");
  ASSERT_FALSE(j.is_null());
  EXPECT_EQ(j["schema"], "rtaudit-compare/1");
  EXPECT_EQ(j["inputs"]["a"]["roi_number"], 1);
  EXPECT_EQ(j["inputs"]["a"]["roi_name"], "Outer");
  EXPECT_EQ(j["inputs"]["b"]["roi_name"], "Inner");
  EXPECT_EQ(j["inputs"]["a"]["planes"], 5);
  EXPECT_DOUBLE_EQ(j["inputs"]["a"]["slab_mm"].get<double>(), 2.5);
  EXPECT_NEAR(j["inputs"]["a"]["volume_cc"].get<double>(), 400 * 5 * 2.5 / 1000, 1e-12);
  EXPECT_TRUE(j["inputs"]["a"]["build_issues"].empty());

  const json& o = j["overlap"];
  EXPECT_NEAR(o["volume_a_cc"].get<double>(), 5.0, 1e-12);
  EXPECT_NEAR(o["volume_b_cc"].get<double>(), 1.25, 1e-12);
  EXPECT_NEAR(o["intersection_cc"].get<double>(), 1.25, 1e-12);
  EXPECT_NEAR(o["union_cc"].get<double>(), 5.0, 1e-12);
  EXPECT_NEAR(o["dice"].get<double>(), 0.4, 1e-12);  // 2 * 100 / (400 + 100)
  EXPECT_NEAR(o["jaccard"].get<double>(), 0.25, 1e-12);
  EXPECT_NEAR(o["volume_ratio"].get<double>(), 0.25, 1e-12);
  EXPECT_NEAR(o["missed_cc"].get<double>(), 3.75, 1e-12);
  EXPECT_NEAR(o["added_cc"].get<double>(), 0.0, 1e-12);
  EXPECT_EQ(o["planes_matched"], 5);
  EXPECT_EQ(o["planes_only_a"], 0);
  EXPECT_EQ(o["planes_only_b"], 0);

  const json& s = j["surface"];
  // The farthest point is a corner of the outer box (walls or end cap): 5 mm from the inner box
  // in x and y. The inner box's end caps lie in the outer box's end caps (distance 0); its walls
  // are min(5, distance to the end-cap planes) from the outer surface.
  EXPECT_NEAR(s["hausdorff_mm"].get<double>(), 5 * std::sqrt(2.0), 1e-9);
  EXPECT_NEAR(s["a_to_b"]["max_mm"].get<double>(), 5 * std::sqrt(2.0), 1e-9);
  EXPECT_NEAR(s["b_to_a"]["max_mm"].get<double>(), 5.0, 1e-9);
  EXPECT_NEAR(s["b_to_a"]["p95_mm"].get<double>(), 5.0, 0.05);  // the walls' middle band (100 of 700 mm²) is at 5
  EXPECT_GT(s["hd95_mm"].get<double>(), 5.0);
  EXPECT_LE(s["hd95_mm"].get<double>(), 5 * std::sqrt(2.0) + 1e-9);
  EXPECT_NEAR(s["hd95_plastimatch_mm"].get<double>(),
              0.5 * (s["a_to_b"]["p95_mm"].get<double>() + s["b_to_a"]["p95_mm"].get<double>()), 1e-12);
  EXPECT_GT(s["msd_mm"].get<double>(), 2.0);
  EXPECT_LT(s["msd_mm"].get<double>(), 5.0);
  // Outer walls 80 x 12.5, caps 2 x 400; inner walls 40 x 12.5, caps 2 x 100 (mm²).
  EXPECT_NEAR(s["a_to_b"]["area_mm2"].get<double>(), 80 * 12.5 + 800, 1e-6);
  EXPECT_NEAR(s["b_to_a"]["area_mm2"].get<double>(), 40 * 12.5 + 200, 1e-6);
  ASSERT_EQ(s["surface_dice"].size(), 2u);
  EXPECT_DOUBLE_EQ(s["surface_dice"][0]["tolerance_mm"].get<double>(), 2.0);
  // Within 2 mm: on each outer cap the inner square dilated by 2 mm (100 + 80 + 4 pi mm²), the
  // inner caps (200 mm²) and the inner walls' 2 mm bands next to the caps (40 x 4 mm²); of 2500 mm².
  // The samples are 0.5 mm apart: the edges of those regions cost up to a quarter millimetre times
  // their length (about 0.02 of the total area at worst).
  EXPECT_NEAR(s["surface_dice"][0]["value"].get<double>(), (2 * (180 + 4 * std::numbers::pi) + 200 + 160) / 2500, 0.02);
  // The inner walls' mean distance: 5 mm over their middle 2.5 mm, rising linearly from 0 over 5 mm
  // at each end: (2 * 12.5 + 12.5) / 12.5 = 3 mm over 500 mm², 0 over the 200 mm² of caps: 15/7 mm.
  EXPECT_NEAR(s["b_to_a"]["mean_mm"].get<double>(), 15.0 / 7.0, 2e-3);
  // The whole outer contour (80 mm on each of 5 planes) is 5 mm from the inner one.
  EXPECT_NEAR(s["added_path_length_mm"].get<double>(), 400.0, 1e-9);
  EXPECT_DOUBLE_EQ(s["apl_tolerance_mm"].get<double>(), 1.0);
  for (const char* key : {"dice", "jaccard", "hausdorff_mm", "hd95_mm", "hd95_plastimatch_mm", "msd_mm", "surface_dice",
                          "added_path_length_mm", "volume_cc"}) {
    EXPECT_TRUE(j["conventions"].contains(key)) << key;
  }
}

TEST(CompareCli, TranslatedSpheresMatchTheClosedForm) {
  const fs::path rs = write_case(test::temp_dir("spheres"));
  const json j = run_json(rs.string() + ":SphereA " + rs.string() + ":SphereB");
  ASSERT_FALSE(j.is_null());
  // Per plane two 64-gons of the same circumradius 4 mm apart; the circle-lens formula differs
  // from the polygons by about 0.2 % of each area, far less in the ratio.
  double lens = 0, disk = 0;
  for (int k = 0; k < kSpherePlanes; ++k) {
    lens += lens_area(sphere_plane_radius(k), 4.0);
    disk += std::numbers::pi * sphere_plane_radius(k) * sphere_plane_radius(k);
  }
  EXPECT_NEAR(j["overlap"]["dice"].get<double>(), lens / disk, 2e-3);
  const double polygon_cc = 32 * std::sin(2 * std::numbers::pi / 64) * disk / std::numbers::pi * kSlabMm / 1000;
  EXPECT_NEAR(j["overlap"]["volume_a_cc"].get<double>(), polygon_cc, 1e-5);
  EXPECT_NEAR(j["overlap"]["volume_b_cc"].get<double>(), polygon_cc, 1e-5);
  EXPECT_NEAR(j["overlap"]["volume_ratio"].get<double>(), 1.0, 1e-6);
  // B is A translated by 4 mm: the Hausdorff distance of a set and its translate is the length
  // of the translation, reached at the polygons' extreme vertices.
  EXPECT_NEAR(j["surface"]["hausdorff_mm"].get<double>(), 4.0, 1e-5);
  EXPECT_NEAR(j["surface"]["a_to_b"]["max_mm"].get<double>(), j["surface"]["b_to_a"]["max_mm"].get<double>(), 1e-5);
  EXPECT_GT(j["surface"]["hd95_mm"].get<double>(), 2.0);
  EXPECT_LE(j["surface"]["hd95_mm"].get<double>(), 4.0 + 1e-9);
  EXPECT_GT(j["surface"]["msd_mm"].get<double>(), 0.5);
  EXPECT_LT(j["surface"]["msd_mm"].get<double>(), 4.0);
}

TEST(CompareCli, HoleFilledByTheOtherStructure) {
  // A: a 20 mm square with a 10 mm hole (nesting parity); B: the 10 mm square that fills the hole.
  const fs::path dir = test::temp_dir("hole");
  test::RoiSpec ring{.number = 1, .name = "Ring"};
  for (int k = 0; k < 5; ++k) {
    ring.contours.push_back({"CLOSED_PLANAR", rect(-10, -10, 10, 10, kSlabMm * k)});
    ring.contours.push_back({"CLOSED_PLANAR", rect(-5, -5, 5, 5, kSlabMm * k)});
  }
  auto file = test::make_rtstruct({ring, box(2, "Core", 5)});
  test::save(file, dir / "RS.dcm");
  const json j = run_json((dir / "RS.dcm").string() + ":Ring " + (dir / "RS.dcm").string() + ":Core");
  ASSERT_FALSE(j.is_null());
  EXPECT_NEAR(j["overlap"]["volume_a_cc"].get<double>(), 300 * 12.5 / 1000, 1e-12);
  EXPECT_NEAR(j["overlap"]["intersection_cc"].get<double>(), 0.0, 1e-12);
  EXPECT_NEAR(j["overlap"]["dice"].get<double>(), 0.0, 1e-12);
  // B's walls are A's hole walls; the centre of B's end cap is 5 mm from them. The centre is no
  // mesh vertex, so the largest sampled distance is that of the sample nearest it (spacing 0.5 mm).
  EXPECT_LE(j["surface"]["b_to_a"]["max_mm"].get<double>(), 5.0 + 1e-9);
  EXPECT_GT(j["surface"]["b_to_a"]["max_mm"].get<double>(), 4.5);
  // The walls (500 of 700 mm²) are at 0: the mean is that of the caps' distances (at most 5) x 2/7.
  EXPECT_LT(j["surface"]["b_to_a"]["mean_mm"].get<double>(), 5.0 * 2 / 7);

  // A's outer corners are 5 mm from B's corners in x and in y.
  EXPECT_NEAR(j["surface"]["hausdorff_mm"].get<double>(), 5 * std::sqrt(2.0), 1e-9);
  // A's hole contour lies on B's contour; its outer contour (80 mm a plane) is 5 mm away.
  EXPECT_NEAR(j["surface"]["added_path_length_mm"].get<double>(), 5 * 80.0, 1e-9);
}

TEST(CompareCli, MissingPlaneLeavesAGapWithCaps) {
  // B is the 20 mm box without its middle plane (z = 5): a 5 mm gap, wider than 1.5 slabs, so B
  // ends in caps at z = 3.75 and 6.25 (geom::slab_extents) and the build reports the gap.
  const fs::path dir = test::temp_dir("gap");
  test::RoiSpec gap{.number = 2, .name = "Gap"};
  for (const double z : {0.0, 2.5, 7.5, 10.0}) gap.contours.push_back({"CLOSED_PLANAR", rect(-10, -10, 10, 10, z)});
  auto file = test::make_rtstruct({box(1, "Full", 10), gap});
  test::save(file, dir / "RS.dcm");
  const json j = run_json((dir / "RS.dcm").string() + ":1 " + (dir / "RS.dcm").string() + ":2");
  ASSERT_FALSE(j.is_null());
  ASSERT_FALSE(j["inputs"]["b"]["build_issues"].empty());
  EXPECT_EQ(j["inputs"]["b"]["build_issues"][0]["code"], "missing planes");
  EXPECT_NEAR(j["overlap"]["dice"].get<double>(), 2 * 4000.0 / 9000.0, 1e-12);
  EXPECT_EQ(j["overlap"]["planes_only_a"], 1);
  // A's walls at z = 5 are 1.25 mm from the rims of B's walls; everything else of A lies on B.
  EXPECT_NEAR(j["surface"]["a_to_b"]["max_mm"].get<double>(), 1.25, 1e-9);
  // The centres of B's gap caps are 5 mm from A's end caps (and 10 mm from its walls).
  EXPECT_NEAR(j["surface"]["b_to_a"]["max_mm"].get<double>(), 5.0, 1e-9);
  EXPECT_NEAR(j["surface"]["hausdorff_mm"].get<double>(), 5.0, 1e-9);
  // A's plane at z = 5 has no plane of B: its whole contour (80 mm) is added path length.
  EXPECT_NEAR(j["surface"]["added_path_length_mm"].get<double>(), 80.0, 1e-9);
}

TEST(CompareCli, RoiByNumberByNameAndIgnoringCaseGiveTheSameResult) {
  const fs::path rs = write_case(test::temp_dir("names"));
  const json by_number = run_json(rs.string() + ":1 " + rs.string() + ":2");
  const json by_name = run_json(rs.string() + ":Outer " + rs.string() + ":Inner");
  const json by_case = run_json(rs.string() + ":OUTER " + rs.string() + ":inner");
  ASSERT_FALSE(by_number.is_null());
  ASSERT_FALSE(by_name.is_null());
  ASSERT_FALSE(by_case.is_null());
  EXPECT_EQ(by_name["overlap"], by_number["overlap"]);
  EXPECT_EQ(by_case["surface"], by_number["surface"]);
  EXPECT_EQ(by_case["inputs"]["a"]["roi_number"], 1);
  // "dup" matches ROI 7 exactly, although "Dup" (5 and 6) would match it ignoring case.
  const json exact = run_json(rs.string() + ":dup " + rs.string() + ":1");
  ASSERT_FALSE(exact.is_null());
  EXPECT_EQ(exact["inputs"]["a"]["roi_number"], 7);
}

TEST(CompareCli, AmbiguousNameIsAnErrorListingTheNumbers) {
  const fs::path rs = write_case(test::temp_dir("ambiguous"));
  const CommandRun r = run_compare(rs.string() + ":Dup " + rs.string() + ":1");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find("matches 2 ROIs"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("numbers 5, 6"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(rs.string()), std::string::npos) << r.err;
  const CommandRun ci = run_compare(rs.string() + ":DUP " + rs.string() + ":1");
  EXPECT_EQ(ci.status, 2);
  EXPECT_NE(ci.err.find("ignoring case (numbers 5, 6, 7)"), std::string::npos) << ci.err;
}

TEST(CompareCli, MissingRoiIsAnErrorListingTheRois) {
  const fs::path rs = write_case(test::temp_dir("missing"));
  const CommandRun r = run_compare(rs.string() + ":Heart " + rs.string() + ":1");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("no ROI numbered or named 'Heart'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2 'Inner'"), std::string::npos) << r.err;
  EXPECT_EQ(run_compare(rs.string() + ":99 " + rs.string() + ":1").status, 2);
  const CommandRun empty = run_compare(rs.string() + ":Empty " + rs.string() + ":1");
  EXPECT_EQ(empty.status, 2);
  EXPECT_NE(empty.err.find("no closed contour"), std::string::npos) << empty.err;
}

TEST(CompareCli, TwoFilesInOneFrameOfReferenceCompare) {
  const fs::path dir = test::temp_dir("two-files");
  fs::create_directories(dir / "a:b");  // a colon in the path: FILE:ROI splits at the last colon
  const fs::path one = write_case(dir / "a:b");
  auto other = test::make_rtstruct({box(21, "Inner copy", 5)});
  test::save(other, dir / "other.dcm");
  const json j = run_json(one.string() + ":Outer " + (dir / "other.dcm").string() + ":21");
  ASSERT_FALSE(j.is_null());
  EXPECT_NEAR(j["overlap"]["dice"].get<double>(), 0.4, 1e-12);
  EXPECT_EQ(j["inputs"]["a"]["file"], one.string());
  EXPECT_EQ(j["inputs"]["b"]["file"], (dir / "other.dcm").string());
}

TEST(CompareCli, DifferentFramesOfReferenceAreRefused) {
  const fs::path dir = test::temp_dir("frames");
  const fs::path one = write_case(dir);
  auto other = test::make_rtstruct({box(21, "Inner elsewhere", 5)}, "1.2.3.4.5.6.999");
  test::save(other, dir / "other.dcm");
  const CommandRun r = run_compare(one.string() + ":1 " + (dir / "other.dcm").string() + ":21");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find("different frames of reference"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("1.2.3.4.5.6.999"), std::string::npos) << r.err;
}

TEST(CompareCli, UnreadableInputsAreErrorsNamingTheFile) {
  const fs::path dir = test::temp_dir("unreadable");
  const fs::path rs = write_case(dir);
  const fs::path text = dir / "notes.txt";
  std::ofstream(text) << "not DICOM at all\n";
  const CommandRun not_dicom = run_compare(text.string() + ":1 " + rs.string() + ":1");
  EXPECT_EQ(not_dicom.status, 2);
  EXPECT_NE(not_dicom.err.find(text.string()), std::string::npos) << not_dicom.err;
  EXPECT_NE(not_dicom.err.find("cannot be read as DICOM"), std::string::npos) << not_dicom.err;

  const CommandRun missing = run_compare((dir / "nothing.dcm").string() + ":1 " + rs.string() + ":1");
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("no such file"), std::string::npos) << missing.err;

  const CommandRun folder = run_compare(dir.string() + ":1 " + rs.string() + ":1");
  EXPECT_EQ(folder.status, 2);
  EXPECT_NE(folder.err.find("is a folder"), std::string::npos) << folder.err;

  const CommandRun no_roi = run_compare(rs.string() + " " + rs.string() + ":1");
  EXPECT_EQ(no_roi.status, 1);
  EXPECT_NE(no_roi.err.find("is not FILE:ROI"), std::string::npos) << no_roi.err;

  const CommandRun bad_tolerance = run_compare(rs.string() + ":1 " + rs.string() + ":2 --surface-dice -1");
  EXPECT_EQ(bad_tolerance.status, 1);
}

TEST(CompareCli, SinglePlaneRoiTakesTheOtherStructuresSpacing) {
  const fs::path rs = write_case(test::temp_dir("single"));
  const json j = run_json(rs.string() + ":Slice " + rs.string() + ":Outer");
  ASSERT_FALSE(j.is_null());
  EXPECT_EQ(j["inputs"]["a"]["planes"], 1);
  EXPECT_DOUBLE_EQ(j["inputs"]["a"]["slab_mm"].get<double>(), 2.5);
  EXPECT_TRUE(j["inputs"]["a"]["slab_from_fallback"].get<bool>());
  EXPECT_NE(j["inputs"]["a"]["slab_source"].get<std::string>().find("single plane"), std::string::npos);
  // A 10 x 10 mm square on z = 5 inside the 20 x 20 mm box (5 planes): 2 * 250 / (250 + 5000).
  EXPECT_NEAR(j["overlap"]["dice"].get<double>(), 2 * 250.0 / 5250.0, 1e-12);
}

TEST(CompareCli, OptionsReachTheMetrics) {
  const fs::path rs = write_case(test::temp_dir("options"));
  const json j = run_json(rs.string() + ":1 " + rs.string() + ":2 --surface-dice 5.5 --apl-tolerance 6 --sampling 1");
  ASSERT_FALSE(j.is_null());
  ASSERT_EQ(j["surface"]["surface_dice"].size(), 1u);
  EXPECT_DOUBLE_EQ(j["surface"]["surface_dice"][0]["tolerance_mm"].get<double>(), 5.5);
  EXPECT_GT(j["surface"]["surface_dice"][0]["value"].get<double>(), 0.5);  // the whole inner surface and more
  // The outer contour is sqrt(25 + (|y| - 5)²) mm from the inner one along each edge: farther than
  // 6 mm for the last 5 - sqrt(11) mm at both ends of each of 4 edges, on 5 planes.
  EXPECT_NEAR(j["surface"]["added_path_length_mm"].get<double>(), 40 * (5 - std::sqrt(11.0)), 1e-9);
  EXPECT_DOUBLE_EQ(j["options"]["sampling_per_mm2"].get<double>(), 1.0);
  EXPECT_NEAR(j["surface"]["hausdorff_mm"].get<double>(), 5 * std::sqrt(2.0), 1e-9);
}

TEST(CompareCli, NameInAnUndeclaredCharacterSetStillGivesValidJson) {
  const fs::path dir = test::temp_dir("charset");
  auto file = test::make_rtstruct({box(1, "C\xE9ur", 10), box(2, "Inner", 5)});  // Latin-1, no SpecificCharacterSet
  test::save(file, dir / "RS.dcm");
  const json j = run_json((dir / "RS.dcm").string() + ":1 " + (dir / "RS.dcm").string() + ":2");
  ASSERT_FALSE(j.is_null());
  EXPECT_NEAR(j["overlap"]["dice"].get<double>(), 0.4, 1e-12);
  EXPECT_FALSE(j["inputs"]["a"]["roi_name"].get<std::string>().empty());
}

TEST(CompareCli, TextOutputPrintsEveryNumberWithItsConvention) {
  const fs::path rs = write_case(test::temp_dir("text"));
  const CommandRun r = run_compare(rs.string() + ":Outer " + rs.string() + ":Inner");
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* s : {"Dice", "0.400000", "HD95", "max of the two directed area-weighted 95th percentiles",
                        "mean of the two directed 95th percentiles", "7.071 mm", "MSD", "surface Dice at 2 mm",
                        "added path length", "Vaassen", "Nikolov", "ROI 1 'Outer'", "ROI 2 'Inner'", "(reference)",
                        "(evaluated)"}) {
    EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;
  }
  EXPECT_EQ(r.out.find("Test^Patient"), std::string::npos);  // patient names never printed
}

}  // namespace
}  // namespace rtaudit
