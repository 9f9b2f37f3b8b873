// Landmarks (rtaudit/anatomy/landmarks.hpp): every level, band and centreline of the synthetic phantom
// against its analytic truth (docs/phantom.md), for several seeds and both sides; hand-built shapes for
// the rules that the phantom does not exercise (ribs wrapping to the spine, side conflicts, rib units).

#include "rtaudit/anatomy/landmarks.hpp"
#include "rtaudit/phantom/phantom.hpp"
#include "tests/support/bound_structures.hpp"
#include "tests/support/shapes.hpp"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <string>

namespace rtaudit::anatomy {
namespace {

const NameTable& names() {
  static const NameTable t = *load_name_table(std::string(RTAUDIT_RULES_DIR) + "/names.xml").table;
  return t;
}

const phantom::ThoraxAtlas& atlas() {
  static const phantom::ThoraxAtlas a =
      *phantom::load_thorax_atlas(std::string(RTAUDIT_ATLAS_DIR) + "/phantom/thorax.xml").atlas;
  return a;
}

struct PhantomLandmarks {
  phantom::PhantomCase pc;
  StructureMap map;
  Landmarks lm;
};

PhantomLandmarks phantom_landmarks(std::uint64_t seed, phantom::Side side, const std::string& variant = "estro") {
  PhantomLandmarks r;
  phantom::PhantomOptions o;
  o.seed = seed;
  o.side = side;
  o.variant = variant;
  r.pc = phantom::make_phantom(atlas(), o);
  const RoleAssignment roles = assign_roles(names(), r.pc.structures, {});
  geom::BuildOptions b;
  b.fallback_slab_mm = 2.5;
  r.map = bind_structures(r.pc.structures, roles, b);
  r.lm = find_landmarks(r.map, find_treated_side(r.map));
  return r;
}

// A level is a slab edge: the analytic level lies within half a slice (1.25 mm) of it.
constexpr double kSlice = 1.3;

class PhantomSeeds : public ::testing::TestWithParam<std::tuple<int, bool>> {};

TEST_P(PhantomSeeds, RibLevelsIcsJunctionAndL4MatchTheTruthWithinHalfASlice) {
  const auto [seed, right] = GetParam();
  const auto side = right ? phantom::Side::Right : phantom::Side::Left;
  const PhantomLandmarks p = phantom_landmarks(static_cast<std::uint64_t>(seed), side);
  const auto& truth = p.pc.truth["landmarks"];
  ASSERT_TRUE(p.lm.treated.side.has_value()) << p.lm.treated.not_evaluable;
  EXPECT_EQ(*p.lm.treated.side, right ? Side::Right : Side::Left);
  const std::string side_name = right ? "right" : "left";
  int ribs = 0;
  for (const auto& rib : truth["ribs"]) {
    if (rib["side"] != side_name) continue;
    const int n = rib["rib"].get<int>();
    const Level* top = p.lm.level(fmt::format("rib{}.medial.cranial", n));
    const Level* bottom = p.lm.level(fmt::format("rib{}.medial.caudal", n));
    ASSERT_TRUE(top && top->evaluable()) << n;
    ASSERT_TRUE(bottom && bottom->evaluable()) << n;
    EXPECT_NEAR(*top->z_mm, rib["medial_top_z_mm"].get<double>(), kSlice) << "rib " << n << ": " << top->method;
    EXPECT_NEAR(*bottom->z_mm, rib["medial_bottom_z_mm"].get<double>(), kSlice) << "rib " << n << ": " << bottom->method;
    EXPECT_NE(top->method.find(rib["roi"].get<std::string>()), std::string::npos) << top->method;
    ++ribs;
  }
  EXPECT_EQ(ribs, 6);
  ASSERT_EQ(p.lm.ics.size(), truth["ics"].size());
  for (std::size_t i = 0; i < p.lm.ics.size(); ++i) {
    EXPECT_EQ(p.lm.ics[i].number, truth["ics"][i]["ics"].get<int>());
    EXPECT_NEAR(p.lm.ics[i].cranial_z_mm, truth["ics"][i]["cranial_z_mm"].get<double>(), kSlice);
    EXPECT_NEAR(p.lm.ics[i].caudal_z_mm, truth["ics"][i]["caudal_z_mm"].get<double>(), kSlice);
  }
  const Level* junction = p.lm.level("imv_junction");
  ASSERT_TRUE(junction && junction->evaluable()) << (junction ? junction->not_evaluable : "");
  EXPECT_NEAR(*junction->z_mm, truth["imv_junction_z_mm"].get<double>(), kSlice) << junction->method;
  const Level* l4 = p.lm.level("ctvn_l4.caudal");
  ASSERT_TRUE(l4 && l4->evaluable());
  // The phantom's CTVn_L4 starts on the first plane at or above the junction: its slab edge is exact.
  EXPECT_NEAR(*l4->z_mm, truth["ctvn_l4"]["extent"]["caudal_edge_z_mm"].get<double>(), 1e-9);
  EXPECT_NEAR(*l4->z_mm, truth["ctvn_l4"]["caudal_limit_z_mm"].get<double>(), kSlice);
  EXPECT_TRUE(p.lm.lung_surface.evaluable());
  EXPECT_TRUE(p.lm.heart_surface.evaluable());
  EXPECT_TRUE(p.lm.notes.empty()) << p.lm.notes.front();
}

INSTANTIATE_TEST_SUITE_P(Seeds, PhantomSeeds,
                         ::testing::Combine(::testing::Values(1, 2, 3, 4, 5), ::testing::Bool()));

TEST(Landmarks, VeinAndArteryCentrelinesAreTheDiscCentres) {
  const PhantomLandmarks p = phantom_landmarks(3, phantom::Side::Left);
  const auto& vessels = p.pc.truth["landmarks"]["im_vessels"]["left"];
  for (const auto& [line, key] : {std::pair{&p.lm.im_vein, "vein"}, std::pair{&p.lm.im_artery, "artery"}}) {
    ASSERT_TRUE(line->evaluable()) << line->not_evaluable;
    std::size_t matched = 0;
    for (const auto& t : vessels[key]) {
      const double z = t["z_mm"].get<double>();
      for (const auto& c : line->centreline) {
        if (std::abs(c.z_mm - z) > 0.01) continue;
        // A 0.01 mm-rounded polygon of a disc: its area centroid is the disc centre to rounding.
        EXPECT_NEAR(c.centre.x(), t["x_mm"].get<double>(), 0.02) << key << " z=" << z;
        EXPECT_NEAR(c.centre.y(), t["y_mm"].get<double>(), 0.02) << key << " z=" << z;
        ++matched;
      }
    }
    EXPECT_GT(matched, 40u) << key;
  }
}

TEST(Landmarks, SternumEdgeIsTheLateralMostPointOnTheTreatedSide) {
  for (const bool right : {false, true}) {
    const PhantomLandmarks p = phantom_landmarks(2, right ? phantom::Side::Right : phantom::Side::Left);
    const auto& edges = p.pc.truth["landmarks"]["sternum"]["edges"];
    ASSERT_FALSE(p.lm.sternum_edge.empty()) << p.lm.sternum_method;
    std::size_t matched = 0;
    for (const auto& e : edges) {
      for (const auto& s : p.lm.sternum_edge) {
        if (std::abs(s.z_mm - e["z_mm"].get<double>()) > 0.01) continue;
        EXPECT_NEAR(s.x_mm, e[right ? "right_x_mm" : "left_x_mm"].get<double>(), 0.3) << s.z_mm;
        ++matched;
      }
    }
    EXPECT_GT(matched, 20u);
    EXPECT_NEAR(p.lm.midline_x_mm, 0.0, 0.5) << p.lm.midline_method;
  }
}

TEST(Landmarks, NoLandmarksVariantReportsEveryMissingLandmarkWithItsReason) {
  const PhantomLandmarks p = phantom_landmarks(1, phantom::Side::Left, "no-landmarks");
  ASSERT_TRUE(p.lm.treated.side.has_value());
  for (int n = 1; n <= 6; ++n) {
    const Level* top = p.lm.level(fmt::format("rib{}.medial.cranial", n));
    ASSERT_NE(top, nullptr);
    EXPECT_FALSE(top->evaluable());
    EXPECT_NE(top->not_evaluable.find(fmt::format("rib {}", n)), std::string::npos) << top->not_evaluable;
  }
  EXPECT_TRUE(p.lm.ics.empty());
  EXPECT_FALSE(p.lm.im_vein.evaluable());
  EXPECT_NE(p.lm.im_vein.not_evaluable.find("IM vein"), std::string::npos);
  const Level* junction = p.lm.level("imv_junction");
  ASSERT_NE(junction, nullptr);
  EXPECT_FALSE(junction->evaluable());
  EXPECT_FALSE(junction->not_evaluable.empty());
  EXPECT_TRUE(p.lm.level("ctvn_l4.caudal")->evaluable());  // CTVn_L4 is still contoured
  EXPECT_TRUE(p.lm.sternum_edge.empty());
  EXPECT_NE(p.lm.sternum_method.find("not evaluable"), std::string::npos);
  EXPECT_FALSE(rib_units(p.lm, -50.0).has_value());
}

// ---- hand-built structures ----

using test::bound;

std::vector<geom::Contour> box_planes(double x0, double y0, double x1, double y1, double z_lo, double z_hi) {
  std::vector<geom::Contour> v;
  for (double z = z_lo; z <= z_hi + 1e-9; z += 2.5) v.push_back(test::rectangle(x0, y0, x1, y1, z));
  return v;
}

TEST(Landmarks, RibWrappingBackToTheSpineTakesItsCranialAspectFromTheSternalEnd) {
  // Rib 2 (left): sternal end ventrally at x 15..45 on z -40..-30; its dorsal course near the spine
  // (x 25..35, y +60) rises to z = +10. Only the ventral part is the medial end.
  std::vector<geom::Contour> rib = box_planes(15, -80, 45, -73, -40, -30);
  for (const auto& c : box_planes(25, 55, 35, 65, -20, 10)) rib.push_back(c);
  StructureMap map;
  map.emplace(RoleKey{"rib2", Side::Left, ""}, bound(8, "Rib02_L", rib));
  map.emplace(RoleKey{"ctvn_imn", Side::Left, ""}, bound(31, "CTVn_IMN_L", box_planes(20, -70, 30, -60, -60, -20)));
  const Landmarks lm = find_landmarks(map, find_treated_side(map));
  ASSERT_TRUE(lm.level("rib2.medial.cranial")->evaluable());
  EXPECT_DOUBLE_EQ(*lm.level("rib2.medial.cranial")->z_mm, -30 + 1.25);
  EXPECT_DOUBLE_EQ(*lm.level("rib2.medial.caudal")->z_mm, -40 - 1.25);
  EXPECT_FALSE(lm.level("rib1.medial.cranial")->evaluable());
  EXPECT_NE(lm.level("rib1.medial.cranial")->not_evaluable.find("rib 1"), std::string::npos);
}

TEST(Landmarks, TreatedSideFromTheUserTheImnNameOtherTargetsOrGeometry) {
  StructureMap map;
  map.emplace(RoleKey{"ctvn_imn", Side::Unknown, ""}, bound(1, "CTV IMN", box_planes(-30, -70, -20, -60, -60, -20)));
  TreatedSide t = find_treated_side(map);
  ASSERT_TRUE(t.side.has_value()) << t.not_evaluable;
  EXPECT_EQ(*t.side, Side::Right);  // x < 0 is the patient's right
  EXPECT_NE(t.method.find("geometric"), std::string::npos);
  t = find_treated_side(map, Side::Left);
  EXPECT_EQ(*t.side, Side::Left);
  EXPECT_NE(t.method.find("user"), std::string::npos);

  map.emplace(RoleKey{"ptv_breast", Side::Left, ""}, bound(2, "PTV_Breast_L", box_planes(20, -90, 80, -60, -60, -20)));
  t = find_treated_side(map);
  EXPECT_EQ(*t.side, Side::Left);  // a named side beats geometry
  map.emplace(RoleKey{"ctvn_l4", Side::Right, ""}, bound(3, "CTVn_L4_R", box_planes(-30, -70, -20, -60, 0, 20)));
  t = find_treated_side(map);
  EXPECT_FALSE(t.side.has_value());  // conflicting names: reported, not guessed
  EXPECT_NE(t.not_evaluable.find("both sides"), std::string::npos);

  map.emplace(RoleKey{"ctvn_imn", Side::Left, ""}, bound(4, "CTVn_IMN_L", box_planes(20, -70, 30, -60, -60, -20)));
  t = find_treated_side(map);
  EXPECT_EQ(*t.side, Side::Left);  // the IMN CTV's own name decides first
  map.emplace(RoleKey{"ctvn_imn", Side::Right, ""}, bound(5, "CTVn_IMN_R", box_planes(-30, -70, -20, -60, -60, -20)));
  t = find_treated_side(map);
  EXPECT_FALSE(t.side.has_value());
  EXPECT_NE(t.not_evaluable.find("--side"), std::string::npos);

  const Landmarks lm = find_landmarks(map, t);
  EXPECT_FALSE(lm.level("rib4.medial.cranial")->evaluable());
  EXPECT_NE(lm.level("rib4.medial.cranial")->not_evaluable.find("side"), std::string::npos);
}

TEST(Landmarks, RelativeSidesResolveToTheTreatedSide) {
  StructureMap map;
  map.emplace(RoleKey{"im_vein", Side::Ipsilateral, ""}, bound(1, "IMV ipsi", box_planes(20, -70, 24, -66, -60, -20)));
  map.emplace(RoleKey{"lung", Side::Contralateral, ""}, bound(2, "Lung contra", box_planes(-80, -60, -20, 40, -60, -20)));
  const StructureMap r = resolve_relative_sides(map, Side::Left);
  EXPECT_NE(find_structure(r, "im_vein", Side::Left), nullptr);
  EXPECT_NE(find_structure(r, "lung", Side::Right), nullptr);
  EXPECT_EQ(find_structure(r, "lung", Side::Left), nullptr);
}

TEST(Landmarks, RibUnitsInterpolateBetweenRibsAndIcsAtFindsTheBand) {
  Landmarks lm;
  lm.treated.side = Side::Left;
  const auto set = [&](int n, double top, double bottom) {
    lm.levels[fmt::format("rib{}.medial.cranial", n)] = Level{"", top, "", "", {}};
    lm.levels[fmt::format("rib{}.medial.caudal", n)] = Level{"", bottom, "", "", {}};
  };
  set(1, -10, -18);
  set(2, -30, -40);
  set(3, -60, -70);
  lm.ics = {IcsBand{1, -18, -30}, IcsBand{2, -40, -60}};
  EXPECT_DOUBLE_EQ(*rib_units(lm, -30), 2.0);
  EXPECT_DOUBLE_EQ(*rib_units(lm, -45), 2.5);
  EXPECT_DOUBLE_EQ(*rib_units(lm, -90), 4.0);  // extrapolated with the last interval (30 mm per rib)
  EXPECT_DOUBLE_EQ(*rib_units(lm, 10), 0.0);   // and the first (20 mm per rib)
  EXPECT_EQ(ics_at(lm, -20), 1);
  EXPECT_EQ(ics_at(lm, -50), 2);
  EXPECT_EQ(ics_at(lm, -35), 0);  // on rib 2's medial end
  EXPECT_FALSE(ics_at(lm, -100).has_value());
}

}  // namespace
}  // namespace rtaudit::anatomy
