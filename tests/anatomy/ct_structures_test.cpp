// Landmarks found in the CT as structures of the audit (issue 8): the rib levels they give are the ones
// found, each carries its provenance into the landmarks, a contour always wins, estimates can be left out.
#include "rtaudit/anatomy/ct_structures.hpp"

#include "rtaudit/geom/region_ops.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace {

using namespace rtaudit;
using anatomy::Origin;
using anatomy::Side;

// A found thorax: sternum on z = -100..0 (2.5 mm slices) with edges at x = +-15, two left ribs, the
// left IM vein 10 mm lateral of the edge (found or estimated).
anatomy::CtBoneLandmarks found_thorax(bool vein_estimated) {
  anatomy::CtBoneLandmarks f;
  f.thorax = true;
  f.slice_spacing_mm = 2.5;
  f.midline_x_mm = 0;
  for (double z = -100; z <= 0.01; z += 2.5) f.sternum.push_back({z, 15, -15, -60, -48, 300});
  f.ribs_left = {{1, -11.25, -21.25, 4, 1.0, ""}, {2, -41.25, -53.75, 5, 0.8, "spacing to rib 1 unusual"}};
  f.ribs_right = {{1, -11.25, -21.25, 4, 1.0, ""}};
  for (const auto& s : f.sternum) {
    anatomy::VesselPoint p;
    p.z_mm = s.z_mm, p.x_mm = 25, p.y_mm = -50;
    p.origin = vein_estimated ? anatomy::VesselPoint::Origin::Estimated : anatomy::VesselPoint::Origin::Ct;
    p.confidence = vein_estimated ? 0.2 : 0.7;
    p.radius_mm = 1.5;
    f.vessels_left.vein.push_back(p);
  }
  f.vessels_left.estimated = vein_estimated;
  f.vessels_left.found_share = vein_estimated ? 0 : 1;
  return f;
}

const anatomy::FoundStructure* named(const std::vector<anatomy::FoundStructure>& v, const std::string& name) {
  for (const auto& f : v)
    if (f.name == name) return &f;
  return nullptr;
}

TEST(CtStructures, RibEndsGiveTheFoundLevelsWithTheirProvenance) {
  const auto found = anatomy::ct_landmark_structures(found_thorax(false));
  ASSERT_NE(named(found, "CT_Sternum"), nullptr);
  ASSERT_NE(named(found, "CT_Rib02_L"), nullptr);
  ASSERT_NE(named(found, "CT_V_Mammary_L"), nullptr);
  EXPECT_EQ(named(found, "CT_Rib02_L")->key, (anatomy::RoleKey{"rib2", Side::Left, ""}));
  const anatomy::CtSupplement sup = anatomy::add_ct_landmarks({}, found);
  EXPECT_EQ(sup.uses.size(), found.size());
  for (const auto& u : sup.uses) {
    EXPECT_TRUE(u.used) << u.name;
    EXPECT_LT(u.roi_number, 0) << "never taken for an ROI of the structure set";
  }
  anatomy::TreatedSide left;
  left.side = Side::Left;
  const anatomy::Landmarks lm = anatomy::find_landmarks(sup.map, left);
  const anatomy::Level* r1 = lm.level("rib1.medial.cranial");
  const anatomy::Level* r2c = lm.level("rib2.medial.caudal");
  ASSERT_TRUE(r1 && r1->evaluable() && r2c && r2c->evaluable());
  EXPECT_NEAR(*r1->z_mm, -11.25, 1e-9);
  EXPECT_NEAR(*r2c->z_mm, -53.75, 1e-9);
  EXPECT_EQ(r1->provenance.origin, Origin::Ct);
  EXPECT_DOUBLE_EQ(lm.level("rib2.medial.cranial")->provenance.confidence, 0.8);
  EXPECT_THAT(r1->method, ::testing::HasSubstr("CT landmark 'CT_Rib01_L'"));
  ASSERT_EQ(lm.ics.size(), 1u);
  EXPECT_NEAR(lm.ics[0].height_mm(), -21.25 - -41.25, 1e-9);
  // The vein: its centre, its provenance; its junction with the great veins is not claimed.
  ASSERT_TRUE(lm.im_vein.evaluable());
  EXPECT_EQ(lm.im_vein.provenance.origin, Origin::Ct);
  EXPECT_NEAR(lm.im_vein.centreline.front().centre.x(), 25, 0.01);
  EXPECT_NEAR(lm.im_vein.centreline.front().area_mm2, 3.14159 * 1.5 * 1.5, 0.1);
  EXPECT_FALSE(lm.level("imv_junction")->evaluable());
  EXPECT_THAT(lm.level("imv_junction")->not_evaluable, ::testing::HasSubstr("found in the CT only beside the sternum"));
  // The sternum: edge and midline.
  ASSERT_EQ(lm.sternum_edge.size(), 41u);
  EXPECT_NEAR(lm.sternum_edge.front().x_mm, 15, 1e-9);
  EXPECT_EQ(lm.sternum_provenance.origin, Origin::Ct);
  EXPECT_NEAR(lm.midline_x_mm, 0, 1e-9);
  // Not found on the right: no vessel structure is made up.
  EXPECT_EQ(named(found, "CT_V_Mammary_R"), nullptr);
}

TEST(CtStructures, AContourAlwaysWins) {
  anatomy::StructureMap contoured;
  anatomy::BoundStructure rib;
  rib.roi_number = 12;
  rib.roi_name = "Rib02_L";
  rib.structure.slab_mm = 2.5;
  rib.structure.planes.push_back({-45, geom::ops::box(16, -58, 30, -50), 112, {}});
  contoured[{"rib2", Side::Left, ""}] = rib;
  const auto sup = anatomy::add_ct_landmarks(contoured, anatomy::ct_landmark_structures(found_thorax(false)));
  for (const auto& u : sup.uses) {
    if (u.name != "CT_Rib02_L") continue;
    EXPECT_FALSE(u.used);
    EXPECT_THAT(u.why, ::testing::HasSubstr("ROI 12 'Rib02_L' is contoured: the contour wins"));
  }
  EXPECT_EQ(sup.map.at({"rib2", Side::Left, ""}).roi_number, 12);
  EXPECT_EQ(sup.map.at({"rib2", Side::Left, ""}).provenance.origin, Origin::Contour);
  EXPECT_LT(sup.map.at({"rib1", Side::Left, ""}).roi_number, 0) << "the rib that is not contoured comes from the CT";
  // A structure bound for both sides (one "Lungs"-like ROI) wins for each side as well.
  anatomy::StructureMap both;
  both[{"sternum", Side::None, ""}] = rib;
  const auto s2 = anatomy::add_ct_landmarks(both, anatomy::ct_landmark_structures(found_thorax(false)));
  EXPECT_EQ(s2.map.at({"sternum", Side::None, ""}).roi_number, 12);
}

TEST(CtStructures, EstimatesAreNamedSoAndCanBeLeftOut) {
  const auto found = anatomy::ct_landmark_structures(found_thorax(true));
  const anatomy::FoundStructure* vein = named(found, "CT_V_Mammary_L_est");
  ASSERT_NE(vein, nullptr);
  EXPECT_EQ(vein->provenance.origin, Origin::Estimated);
  EXPECT_DOUBLE_EQ(vein->provenance.confidence, 0.2);
  EXPECT_THAT(vein->description, ::testing::HasSubstr("ESTIMATED"));
  const auto with = anatomy::add_ct_landmarks({}, found, true);
  ASSERT_TRUE(with.map.count({"im_vein", Side::Left, ""}));
  EXPECT_THAT(anatomy::roi_label(with.map.at({"im_vein", Side::Left, ""})), ::testing::HasSubstr("estimated landmark"));
  anatomy::TreatedSide left;
  left.side = Side::Left;
  EXPECT_EQ(anatomy::find_landmarks(with.map, left).im_vein.provenance.origin, Origin::Estimated);
  const auto without = anatomy::add_ct_landmarks({}, found, false);
  EXPECT_FALSE(without.map.count({"im_vein", Side::Left, ""}));
  bool said = false;
  for (const auto& u : without.uses) {
    if (u.name == "CT_V_Mammary_L_est") said = !u.used && u.why.find("--no-estimated-landmarks") != std::string::npos;
  }
  EXPECT_TRUE(said);
  EXPECT_TRUE(without.map.count({"rib1", Side::Left, ""})) << "what was found in the CT stays";
}

TEST(CtStructures, NothingIsMadeWhenTheCtIsNotAThorax) {
  anatomy::CtBoneLandmarks f = found_thorax(false);
  f.thorax = false;
  EXPECT_TRUE(anatomy::ct_landmark_structures(f).empty());
  EXPECT_TRUE(anatomy::ct_landmark_structures(anatomy::CtBoneLandmarks{}).empty());
}

TEST(Provenance, TheWeakestIsTheLaterOriginAndTheLowerConfidence) {
  const anatomy::Provenance a{Origin::Ct, 0.9}, b{Origin::Estimated, 0.95}, c{};
  EXPECT_EQ(anatomy::weakest(a, b), (anatomy::Provenance{Origin::Estimated, 0.9}));
  EXPECT_EQ(anatomy::weakest(c, a), a);
  EXPECT_EQ(anatomy::to_string(Origin::Contour), "contour");
  EXPECT_EQ(anatomy::to_string(Origin::Estimated), "estimated");
}

}  // namespace
