#include "rtaudit/phantom/phantom.hpp"

#include "rtaudit/geom/structure.hpp"
#include "rtaudit/phantom/polygon_ops.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <iostream>
#include <map>
#include <numbers>
#include <optional>
#include <set>
#include <string>

namespace rtaudit::phantom {
namespace {

const ThoraxAtlas& atlas() {
  static const ThoraxAtlas a = *load_thorax_atlas(std::string(RTAUDIT_ATLAS_DIR) + "/phantom/thorax.xml").atlas;
  return a;
}

// Phantoms are a few hundred ms each: build each (variant, seed, contrast) once per test run.
const PhantomCase& phantom(const std::string& variant, std::uint64_t seed = 1, bool contrast = false) {
  static std::map<std::tuple<std::string, std::uint64_t, bool>, PhantomCase> cache;
  const auto key = std::make_tuple(variant, seed, contrast);
  auto it = cache.find(key);
  if (it == cache.end()) {
    PhantomOptions o;
    o.seed = seed;
    o.variant = variant;
    o.contrast = contrast;
    const auto t0 = std::chrono::steady_clock::now();
    PhantomCase pc = make_phantom(atlas(), o);
    const auto t1 = std::chrono::steady_clock::now();
    std::cout << "[ phantom  ] " << variant << " seed " << seed << (contrast ? " contrast" : "") << " generated in "
              << std::chrono::duration<double>(t1 - t0).count() << " s\n";
    it = cache.emplace(key, std::move(pc)).first;
  }
  return it->second;
}

const Roi* roi(const PhantomCase& pc, const std::string& name) {
  for (const auto& [n, r] : pc.structures.rois) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

geom::Structure structure(const PhantomCase& pc, const std::string& name) {
  const Roi* r = roi(pc, name);
  if (r == nullptr) return {};
  geom::BuildOptions o;
  o.fallback_slab_mm = 2.5;
  return geom::build_structure(r->contours, o).structure;
}

double area_at(const geom::Structure& s, double z) {
  const geom::Plane* p = geom::plane_at(s, z);
  return p == nullptr ? 0.0 : p->area_mm2;
}

// The CT voxel nearest to (x, y) on the slice nearest to z.
int hu_at(const ImageVolume& ct, double x, double y, double z) {
  const int i = static_cast<int>(std::lround(x - ct.slice_positions[0][0]));
  const int j = static_cast<int>(std::lround(y - ct.slice_positions[0][1]));
  const int k = static_cast<int>(std::lround((z - ct.slice_positions[0][2]) / 2.5));
  return ct.at(i, j, k);
}

std::pair<double, double> x_range(const geom::MultiPolygon& m) {
  double lo = 1e9;
  double hi = -1e9;
  for (const auto& p : m) {
    for (const auto& q : p.outer()) {
      lo = std::min(lo, q.x());
      hi = std::max(hi, q.x());
    }
  }
  return {lo, hi};
}

double slice_z_near(double z) { return kPhantomCt.z0_mm + 2.5 * std::round((z - kPhantomCt.z0_mm) / 2.5); }

Anatomy anatomy_of(const PhantomCase& pc, const std::string& variant) {
  Anatomy a = make_anatomy(atlas(), pc.truth["seed"].get<std::uint64_t>());
  a.treated_side = pc.truth["side"] == "left" ? Side::Left : Side::Right;
  if (variant == "heart-close") a = with_heart_close(std::move(a), a.treated_side);
  return a;
}

TEST(Phantom, GenerationTimeIsLogged) {
  PhantomOptions o;
  o.seed = 11;
  const auto t0 = std::chrono::steady_clock::now();
  const PhantomCase pc = make_phantom(atlas(), o);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "[ phantom  ] one patient (estro, seed 11): " << s << " s\n";
  RecordProperty("generation_seconds", std::to_string(s));
  EXPECT_FALSE(pc.structures.rois.empty());
}

TEST(Phantom, SameSeedGivesIdenticalCtContoursTruthAndUids) {
  PhantomOptions o;
  o.seed = 3;
  const PhantomCase a = make_phantom(atlas(), o);
  const PhantomCase b = make_phantom(atlas(), o);
  ASSERT_EQ(a.ct.values.size(), b.ct.values.size());
  EXPECT_EQ(0, std::memcmp(a.ct.values.data(), b.ct.values.data(), a.ct.values.size() * sizeof(std::int16_t)));
  EXPECT_EQ(a.truth.dump(), b.truth.dump());
  EXPECT_EQ(a.identity.study_uid, b.identity.study_uid);
  ASSERT_EQ(a.structures.rois.size(), b.structures.rois.size());
  for (const auto& [n, r] : a.structures.rois) {
    const Roi& q = b.structures.rois.at(n);
    ASSERT_EQ(r.contours.size(), q.contours.size()) << r.name;
    for (std::size_t i = 0; i < r.contours.size(); ++i) ASSERT_EQ(r.contours[i].points, q.contours[i].points) << r.name;
  }
}

TEST(Phantom, DifferentSeedsGiveDifferentPatients) {
  const PhantomCase& a = phantom("estro", 1);
  const PhantomCase& b = phantom("estro", 2);
  EXPECT_NE(a.truth["anatomy"]["drawn"], b.truth["anatomy"]["drawn"]);
  EXPECT_NE(a.ct.values, b.ct.values);
  EXPECT_NE(a.identity.study_uid, b.identity.study_uid);
  EXPECT_EQ(a.identity.study_uid.rfind("2.25.", 0), 0u);
  EXPECT_LE(a.identity.study_uid.size(), 64u);
}

TEST(Phantom, CtGeometryIsTheDocumentedGrid) {
  const PhantomCase& pc = phantom("estro");
  EXPECT_EQ(pc.ct.columns, 400);
  EXPECT_EQ(pc.ct.rows, 320);
  EXPECT_EQ(pc.ct.slices, 105);
  ASSERT_EQ(pc.ct.slice_positions.size(), 105u);
  EXPECT_DOUBLE_EQ(pc.ct.slice_positions.front()[2], -212.5);
  for (std::size_t k = 1; k < pc.ct.slice_positions.size(); ++k) {
    EXPECT_DOUBLE_EQ(pc.ct.slice_positions[k][2] - pc.ct.slice_positions[k - 1][2], 2.5);
  }
  EXPECT_EQ(pc.truth["ct"]["slices"], 105);
}

TEST(Phantom, RoisHaveTg263NamesAndStandardSetForEstro) {
  const PhantomCase& pc = phantom("estro");
  for (const std::string name :
       {"External", "Lung_L", "Lung_R", "Heart", "A_LAD", "Sternum", "Rib01_L", "Rib06_L", "Rib01_R", "Rib06_R",
        "A_Mammary_L", "A_Mammary_R", "V_Mammary_L", "V_Mammary_R", "V_Subclavian_L", "V_Subclavian_R",
        "V_Brachioceph_L", "V_Brachioceph_R", "CTVn_L4_L", "CTV_Breast_L", "CTVn_IMN_L", "PTV_Breast_L", "PTVn_L4_L",
        "PTVn_IMN_L"}) {
    EXPECT_NE(roi(pc, name), nullptr) << name;
  }
  EXPECT_EQ(roi(pc, "CTVn_IMN_R"), nullptr);
}

TEST(Phantom, ContoursAreOnSlicePlanesRoundedAndVolumesMatchTruth) {
  const PhantomCase& pc = phantom("estro");
  std::set<double> slice_z;
  for (const auto& p : pc.ct.slice_positions) slice_z.insert(p[2]);
  std::map<std::string, double> truth_volume;
  for (const auto& r : pc.truth["rois"]) truth_volume[r["name"].get<std::string>()] = r["volume_cc"].get<double>();
  for (const auto& [n, r] : pc.structures.rois) {
    for (const auto& c : r.contours) {
      ASSERT_EQ(c.type, geom::GeometricType::ClosedPlanar);
      ASSERT_TRUE(slice_z.count(c.points.front().z)) << r.name;
      for (const auto& p : c.points) {
        ASSERT_EQ(p.z, c.points.front().z);
        ASSERT_NEAR(p.x * 100, std::round(p.x * 100), 1e-6) << r.name;
        ASSERT_NEAR(p.y * 100, std::round(p.y * 100), 1e-6) << r.name;
      }
    }
    const auto build = geom::build_structure(r.contours, {0.05, 2.5, std::nullopt});
    EXPECT_EQ(build.contours_dropped, 0u) << r.name;
    ASSERT_TRUE(truth_volume.count(r.name)) << r.name;
    EXPECT_EQ(geom::volume_cc(build.structure).value_or(-1), truth_volume[r.name]) << r.name;
    EXPECT_GT(truth_volume[r.name], 0) << r.name;
  }
}

TEST(Phantom, CtShowsBoneInRibsLungInLungsAndFindableImVessels) {
  const PhantomCase& pc = phantom("estro");
  const Anatomy a = anatomy_of(pc, "estro");
  // Deepest pixel of the bony part of rib 2 (left) on its centre plane: marrow or cortex.
  const double z = slice_z_near(a.ribs[1].centre_z_mm());
  const AnatomySection sec = section(a, z);
  ASSERT_FALSE(sec.rib_bone[0][1].empty());
  double best = 0;
  geom::Point2 deepest(0, 0);
  for (double x = 0; x < 200; x += 1) {
    for (double y = -190; y < 130; y += 1) {
      const geom::Point2 p(x + 0.5, y + 0.5);
      const double d = poly::signed_distance(sec.rib_bone[0][1], p);
      if (d < best) {
        best = d;
        deepest = p;
      }
    }
  }
  ASSERT_LT(best, -1.5);
  const int bone = hu_at(pc.ct, deepest.x(), deepest.y(), z);
  EXPECT_GE(bone, 200) << "rib centre";
  EXPECT_LE(bone, 1100);
  // Lung: a point well inside the left lung at mid height.
  const AnatomySection mid = section(a, slice_z_near(-100));
  const auto& lung = mid.lung[0];
  ASSERT_FALSE(lung.empty());
  const geom::Point2 lp(90.5, 0.5);
  ASSERT_TRUE(poly::covers(lung, lp));
  EXPECT_NEAR(hu_at(pc.ct, lp.x(), lp.y(), slice_z_near(-100)), -850, 50);
  // IM vein mid ICS2: soft tissue in fat (no contrast); bright with contrast.
  const double zi = slice_z_near(0.5 * (a.ribs[1].bottom_z_mm() + a.ribs[2].top_z_mm));
  const auto v = im_vein_centre(a, Side::Left, zi);
  EXPECT_NEAR(hu_at(pc.ct, v.x(), v.y(), zi), 40, 45);
  EXPECT_LT(hu_at(pc.ct, v.x() - 4.0, v.y(), zi), -50) << "fat medial of the vein";
  const PhantomCase& con = phantom("estro", 1, true);
  EXPECT_GT(hu_at(con.ct, v.x(), v.y(), zi), 200);
}

TEST(Phantom, EstroCtvFollowsTheLandmarksExactly) {
  const PhantomCase& pc = phantom("estro");
  const auto& t = pc.truth;
  const geom::Structure imn = structure(pc, "CTVn_IMN_L");
  const geom::Structure l4 = structure(pc, "CTVn_L4_L");
  ASSERT_FALSE(imn.planes.empty());
  const double rib4_top = t["landmarks"]["ribs"][3]["medial_top_z_mm"];
  const double junction = t["landmarks"]["imv_junction_z_mm"];
  EXPECT_GE(imn.planes.front().z_mm, rib4_top - 1e-6);
  EXPECT_LT(imn.planes.front().z_mm, rib4_top + 2.5);
  EXPECT_LT(imn.planes.back().z_mm, junction);
  EXPECT_GE(imn.planes.back().z_mm, junction - 2.5);
  EXPECT_NEAR(l4.planes.front().z_mm, imn.planes.back().z_mm + 2.5, 1e-6) << "CTVn_L4 starts right above the IMN";
  EXPECT_EQ(t["imn"]["deviations"]["vs_estro"]["cranial_mm"], 0.0);
  EXPECT_EQ(t["imn"]["deviations"]["vs_estro"]["caudal_mm"], 0.0);
  EXPECT_EQ(t["imn"]["l4_gap_mm"], 0.0);
  EXPECT_EQ(t["imn"]["estro_sternum_overlap_cc"], 0.0);
  EXPECT_GT(t["imn"]["heart_min_inplane_distance_mm"].get<double>(), 2.0);
  // RTOG reading starts at rib 1's top, below the IMV junction.
  const double rib1_top = t["landmarks"]["ribs"][0]["medial_top_z_mm"];
  EXPECT_NEAR(t["imn"]["deviations"]["vs_rtog"]["cranial_mm"].get<double>(), junction - rib1_top, 1e-3);
}

TEST(Phantom, RecurrencesHaveTheirPlantedStatus) {
  const PhantomCase& pc = phantom("estro");
  ASSERT_EQ(pc.recurrences.size(), 6u);
  EXPECT_EQ(pc.recurrences[4].id, "R5");
  EXPECT_EQ(pc.recurrences[5].kind, "sentinel_node");
  EXPECT_EQ(pc.recurrences[5].radius_mm, 0.0);
  EXPECT_EQ(pc.recurrences[0].true_status, "inside");
  // Inside: the exact 3-D distance to the boundary (negative), no farther than the in-plane one.
  EXPECT_LT(pc.truth["recurrences"][0]["vs"]["CTVn_IMN (clinical)"]["signed_distance_mm"].get<double>(), 0.0);
  EXPECT_EQ(pc.recurrences[1].true_status, "marginal");
  EXPECT_EQ(pc.recurrences[2].true_status, "outside");
  EXPECT_EQ(pc.recurrences[3].true_status, "outside");
  const auto& r2 = pc.truth["recurrences"][1]["vs"]["CTVn_IMN (clinical)"];
  EXPECT_NEAR(r2["signed_distance_mm"].get<double>(), 3.0, 1e-3);
  const auto& r3 = pc.truth["recurrences"][2];
  EXPECT_EQ(r3["ics"], 4);
  EXPECT_FALSE(r3["vs"]["estro_reference"]["inside"].get<bool>());
  EXPECT_FALSE(r3["vs"]["rtog_reference"]["inside"].get<bool>());
  for (const auto& r : pc.truth["recurrences"][3]["vs"]) EXPECT_FALSE(r["inside"].get<bool>());
}

TEST(Phantom, ShortCaudalEndsOneIntercostalSpaceHigher) {
  const PhantomCase& pc = phantom("short-caudal");
  const geom::Structure imn = structure(pc, "CTVn_IMN_L");
  const geom::Structure ref = structure(phantom("estro"), "CTVn_IMN_L");
  const double rib3_top = pc.truth["landmarks"]["ribs"][2]["medial_top_z_mm"];
  const double rib4_top = pc.truth["landmarks"]["ribs"][3]["medial_top_z_mm"];
  EXPECT_GE(imn.planes.front().z_mm, rib3_top - 1e-6);
  EXPECT_LT(imn.planes.front().z_mm, rib3_top + 2.5);
  EXPECT_NEAR(imn.planes.front().z_mm - ref.planes.front().z_mm, rib3_top - rib4_top, 2.5);
  EXPECT_NEAR(pc.truth["imn"]["deviations"]["vs_estro"]["caudal_mm"].get<double>(), rib4_top - rib3_top, 1e-3);
  EXPECT_EQ(imn.planes.back().z_mm, ref.planes.back().z_mm);
}

TEST(Phantom, CranialGapLeavesTenMillimetresBelowCtvnL4) {
  const PhantomCase& pc = phantom("cranial-gap");
  EXPECT_NEAR(pc.truth["imn"]["deviations"]["vs_estro"]["cranial_mm"].get<double>(), -10.0, 1e-9);
  EXPECT_GE(pc.truth["imn"]["l4_gap_mm"].get<double>(), 7.5);
  EXPECT_LE(pc.truth["imn"]["l4_gap_mm"].get<double>(), 12.5);
}

TEST(Phantom, NarrowMarginIsTheVeinBufferedByTwoMillimetres) {
  const PhantomCase& pc = phantom("narrow-margin");
  const Anatomy a = anatomy_of(pc, "narrow-margin");
  const double z = slice_z_near(0.5 * (a.ribs[1].bottom_z_mm() + a.ribs[2].top_z_mm));
  const AnatomySection sec = section(a, z);
  const double expected = poly::area(poly::subtract(poly::buffer(sec.imv[0], 2.0), sec.lung[0]));
  const double got = area_at(structure(pc, "CTVn_IMN_L"), z);
  EXPECT_NEAR(got, expected, 0.01 * expected);
  const double r = a.imv_radius_mm + 2.0;
  EXPECT_LE(got, std::numbers::pi * r * r * 1.001);
  EXPECT_GT(got, 0.6 * std::numbers::pi * r * r);
  EXPECT_LT(got, area_at(structure(phantom("estro"), "CTVn_IMN_L"), z));
  EXPECT_EQ(pc.truth["imn"]["deviations"]["vs_estro"]["margin_mm"]["medial"], -3.0);
}

TEST(Phantom, WideMedialSpillsIntoTheSternum) {
  const PhantomCase& pc = phantom("wide-medial");
  EXPECT_GT(pc.truth["imn"]["sternum_overlap_cc"].get<double>(), 0.05);
  EXPECT_EQ(pc.truth["imn"]["deviations"]["vs_estro"]["margin_mm"]["medial"], 10.0);
}

TEST(Phantom, HeartCloseCtvTouchesTheHeartAndItsPtvOverlapsIt) {
  const PhantomCase& pc = phantom("heart-close");
  EXPECT_LT(pc.truth["imn"]["heart_min_inplane_distance_mm"].get<double>(), 0.5);
  EXPECT_GT(pc.truth["imn"]["ptv_heart_overlap_cc"].get<double>(), 0.0);
  EXPECT_TRUE(pc.truth["anatomy"]["heart"]["heart_close"].get<bool>());
}

TEST(Phantom, NoLandmarksHasOnlyTargetsAndOrgans) {
  const PhantomCase& pc = phantom("no-landmarks");
  for (const auto& [n, r] : pc.structures.rois) {
    EXPECT_EQ(r.name.rfind("Rib", 0), std::string::npos) << r.name;
    EXPECT_EQ(r.name.find("Mammary"), std::string::npos) << r.name;
    EXPECT_NE(r.name, "Sternum");
    EXPECT_EQ(r.name.rfind("V_", 0), std::string::npos) << r.name;
    EXPECT_EQ(r.name.rfind("A_S", 0), std::string::npos) << r.name;
  }
  EXPECT_NE(roi(pc, "CTVn_IMN_L"), nullptr);
  EXPECT_NE(roi(pc, "Heart"), nullptr);
  EXPECT_EQ(pc.truth["imn"]["clinical"]["volume_cc"], phantom("estro").truth["imn"]["clinical"]["volume_cc"]);
}

TEST(Phantom, RightSideMirrorsTheLeftImnChain) {
  const PhantomCase& right = phantom("right-side");
  const PhantomCase& left = phantom("estro");
  EXPECT_EQ(right.truth["side"], "right");
  ASSERT_NE(roi(right, "CTVn_IMN_R"), nullptr);
  EXPECT_EQ(roi(right, "CTVn_IMN_L"), nullptr);
  const geom::Structure r = structure(right, "CTVn_IMN_R");
  const geom::Structure l = structure(left, "CTVn_IMN_L");
  ASSERT_EQ(r.planes.size(), l.planes.size());
  // Mirror-symmetric except near the IMV junction, where the left brachiocephalic vein crosses the
  // midline and the right one descends (the lung that clips the CTV differs there).
  const double junction = left.truth["landmarks"]["imv_junction_z_mm"];
  EXPECT_NEAR(geom::volume_cc(r).value_or(0), geom::volume_cc(l).value_or(-1), 0.05 * geom::volume_cc(l).value_or(0));
  for (std::size_t i = 0; i < r.planes.size(); ++i) {
    EXPECT_EQ(r.planes[i].z_mm, l.planes[i].z_mm);
    if (r.planes[i].z_mm > junction - 15.0) continue;
    EXPECT_NEAR(r.planes[i].area_mm2, l.planes[i].area_mm2, 0.01 * l.planes[i].area_mm2) << "z " << r.planes[i].z_mm;
    const auto [rmin, rmax] = x_range(r.planes[i].region);
    const auto [lmin, lmax] = x_range(l.planes[i].region);
    EXPECT_NEAR(rmin, -lmax, 0.05);
    EXPECT_NEAR(rmax, -lmin, 0.05);
  }
  const geom::Structure vr = structure(right, "V_Mammary_R");
  const geom::Structure vl = structure(left, "V_Mammary_L");
  EXPECT_NEAR(geom::volume_cc(vr).value_or(0), geom::volume_cc(vl).value_or(-1), 1e-6);
  EXPECT_GT(right.truth["recurrences"][0]["position_mm"][0].get<double>(), -100.0);
  EXPECT_LT(right.truth["recurrences"][0]["position_mm"][0].get<double>(), 0.0);
}

TEST(Phantom, EveryVariantBuildsAndUnknownVariantIsRejected) {
  for (const auto v : phantom_variants()) {
    const PhantomCase& pc = phantom(std::string(v));
    EXPECT_EQ(pc.truth["variant"], std::string(v));
    EXPECT_FALSE(pc.truth["imn"]["clinical"]["extent"].is_null()) << v;
  }
  PhantomOptions o;
  o.variant = "bogus";
  EXPECT_THROW((void)make_phantom(atlas(), o), std::invalid_argument);
  EXPECT_FALSE(is_phantom_variant("bogus"));
}

}  // namespace
}  // namespace rtaudit::phantom
