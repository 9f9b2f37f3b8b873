// Reference CTVs (rtaudit/guideline/reference_ctv.hpp): hand-built vessels, lung and landmarks whose
// answers are known exactly, then the phantom, whose truth carries its own ESTRO and RTOG readings built
// the same way (docs/phantom.md): the reference must reproduce them.

#include "rtaudit/guideline/reference_ctv.hpp"

#include "rtaudit/compare/overlap.hpp"
#include "rtaudit/geom/region_ops.hpp"
#include "rtaudit/phantom/phantom.hpp"
#include "tests/support/bound_structures.hpp"
#include "tests/support/shapes.hpp"
#include "tests/support/text_checks.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

namespace rtaudit::guideline {
namespace {

using anatomy::BoundStructure;
using anatomy::RoleKey;
using anatomy::StructureMap;

// ---------------------------------------------------------------------------------------------------
// Hand-built patient: 20 planes z = 0, 2.5, ..., 47.5 mm, treated side left (+x lateral).

std::vector<double> planes(double z0, int n) {
  std::vector<double> z;
  for (int k = 0; k < n; ++k) z.push_back(z0 + 2.5 * k);
  return z;
}

using test::box_stack;

// Vein: a 4 mm square centred at (30, 0); artery a 2 mm square 7 mm lateral; lung dorsal of y = 5.
StructureMap hand_map() {
  StructureMap m;
  const auto all = planes(0, 20);
  m[RoleKey{"im_vein", anatomy::Side::Left, ""}] = box_stack(21, "V_Mammary_L", 28, -2, 32, 2, all);
  m[RoleKey{"im_artery", anatomy::Side::Left, ""}] = box_stack(19, "A_Mammary_L", 36, -1, 38, 1, all);
  m[RoleKey{"lung", anatomy::Side::Left, ""}] = box_stack(2, "Lung_L", 20, 5, 50, 40, all);
  return m;
}

anatomy::Level level(std::string name, double z) {
  anatomy::Level l;
  l.name = name;
  l.z_mm = z;
  l.method = "set by the test";
  return l;
}

anatomy::Landmarks hand_landmarks() {
  anatomy::Landmarks lm;
  lm.treated.side = anatomy::Side::Left;
  lm.treated.method = "test";
  for (const auto& [name, z] : std::vector<std::pair<std::string, double>>{
           {"rib1.medial.cranial", 40.0}, {"rib2.medial.cranial", 30.0}, {"rib4.medial.cranial", 10.0},
           {"imv_junction", 45.0}}) {
    lm.levels[name] = level(name, z);
  }
  anatomy::Level l4;
  l4.name = "ctvn_l4.caudal";
  l4.not_evaluable = "no left CTVn_L4 contoured (ctvn_l4)";
  lm.levels[l4.name] = l4;
  return lm;
}

// Cranial: rib 1 (40 mm); caudal: rib 4 (10 mm, unconfirmed); vein 5 mm everywhere, artery 5 mm from
// the cranial aspect of rib 2 (30 mm) up; the ipsilateral lung subtracted.
std::string rule_xml(const std::string& cranial = "rib1.medial.cranial", double caudal_offset = 0,
                     const std::string& extra_clip = "", const std::string& id = "unit-1") {
  return "<?xml version=\"1.0\"?>\n"
         "<guideline format=\"1\" id=\"" + id + "\" version=\"1\" status=\"published\">\n"
         "  <title>Unit rule</title>\n"
         "  <citation id=\"c1\" type=\"other\" authors=\"Test\" title=\"Test rule\"/>\n"
         "  <tolerance id=\"lv\" pass_mm=\"3\" warn_mm=\"6\" basis=\"test\"/>\n"
         "  <tolerance id=\"mg\" pass_mm=\"1\" warn_mm=\"2\" basis=\"test\"/>\n"
         "  <target role=\"ctvn_imn\" name=\"CTVn_IMN\">\n"
         "    <border side=\"cranial\" landmark=\"" + cranial + "\" offset_mm=\"0\" tolerance=\"lv\" confirmed=\"true\"/>\n"
         "    <border side=\"caudal\" landmark=\"rib4.medial.cranial\" offset_mm=\"" + std::to_string(caudal_offset) +
         "\" tolerance=\"lv\" confirmed=\"false\" note=\"Unit: unconfirmed caudal border.\"/>\n"
         "    <vessel role=\"im_vein\" margin_mm=\"5\" tolerance=\"mg\" confirmed=\"true\"/>\n"
         "    <vessel role=\"im_artery\" margin_mm=\"5\" caudal_level=\"rib2.medial.cranial\" tolerance=\"mg\" "
         "confirmed=\"true\"/>\n"
         "    <clip role=\"lung\" side=\"ipsilateral\" mode=\"subtract\" border=\"dorsal\" confirmed=\"true\"/>\n" +
         extra_clip +
         "  </target>\n"
         "  <target role=\"ctvn_l4\" name=\"CTVn_L4\">\n"
         "    <border side=\"caudal\" landmark=\"imv_junction\" offset_mm=\"0\" tolerance=\"lv\" confirmed=\"true\"/>\n"
         "  </target>\n"
         "</guideline>\n";
}

Guideline parse(const std::string& xml) {
  const GuidelineLoad load = parse_guideline(xml, "unit.xml");
  std::string messages;
  for (const auto& e : load.errors) messages += e.message() + "\n";
  EXPECT_TRUE(load) << messages;
  return load ? *load.guideline : Guideline{};
}

using test::any_contains;
using test::joined;

geom::Box2 bbox(const geom::MultiPolygon& m) {
  double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
  for (const auto& p : m) {
    for (const auto& v : p.outer()) {
      x0 = std::min(x0, v.x());
      y0 = std::min(y0, v.y());
      x1 = std::max(x1, v.x());
      y1 = std::max(y1, v.y());
    }
  }
  return {{x0, y0}, {x1, y1}};
}

TEST(ReferenceCtv, BuiltOnTheVeinPlanesBetweenTheLevelsWithTheArteryAboveItsLevelAndTheLungClipped) {
  const Guideline g = parse(rule_xml());
  const StructureMap map = hand_map();
  const ReferenceCtv ref = build_reference_ctv(g, "ctvn_imn", hand_landmarks(), map);
  ASSERT_TRUE(ref.evaluable()) << joined(ref.not_evaluable);
  EXPECT_TRUE(ref.not_evaluable.empty());
  const geom::Structure& s = *ref.structure;
  // Plane rule: caudal 10 <= z < cranial 40 -> z = 10, 12.5, ..., 37.5.
  ASSERT_EQ(s.planes.size(), 12u);
  EXPECT_DOUBLE_EQ(s.planes.front().z_mm, 10.0);
  EXPECT_DOUBLE_EQ(s.planes.back().z_mm, 37.5);
  EXPECT_DOUBLE_EQ(s.slab_mm, 2.5);
  EXPECT_DOUBLE_EQ(*ref.cranial.z_mm, 40.0);
  EXPECT_DOUBLE_EQ(*ref.caudal.z_mm, 10.0);
  // The exact area of {points within 5 mm of the 4 mm square} with y <= 5 (the lung from y = 5):
  // 16 + 4·4·5 + 25π, minus the strip x∈[28,32], y∈[5,7] and two circular pieces ∫_3^5 sqrt(25 - t²) dt.
  const double piece = 12.5 * std::numbers::pi / 2 - (1.5 * 4.0 + 12.5 * std::asin(0.6));
  const double exact_below_rib2 = 16 + 80 + 25 * std::numbers::pi - 8 - 2 * piece;
  for (const auto& p : s.planes) {
    const geom::Box2 b = bbox(p.region);
    EXPECT_NEAR(b.min_corner().x(), 23.0, 1e-9) << p.z_mm;   // vein wall 28 - 5 (medial)
    EXPECT_NEAR(b.min_corner().y(), -7.0, 1e-9) << p.z_mm;   // ventral: -2 - 5
    // Dorsal: clipped by the lung at y = 5 (Boost.Geometry's intersection points carry ~1e-6 mm).
    EXPECT_NEAR(b.max_corner().y(), 5.0, 1e-5) << p.z_mm;
    EXPECT_NEAR(p.area_mm2, geom::ops::area(p.region), 1e-9);
    if (p.z_mm < 30.0) {
      EXPECT_NEAR(b.max_corner().x(), 37.0, 1e-9) << p.z_mm;  // vein wall 32 + 5
      EXPECT_NEAR(p.area_mm2, exact_below_rib2, 0.2) << p.z_mm;  // 72-point round joins
    } else {
      EXPECT_NEAR(b.max_corner().x(), 43.0, 1e-9) << p.z_mm;  // artery wall 38 + 5
    }
  }
  // The construction names the ROIs and the steps; the unconfirmed caudal border is listed.
  const std::string c = joined(ref.construction);
  EXPECT_NE(c.find("IM vein ROI 21 'V_Mammary_L' dilated 5 mm"), std::string::npos) << c;
  EXPECT_NE(c.find("on 12 plane(s)"), std::string::npos) << c;
  EXPECT_NE(c.find("IM artery ROI 19 'A_Mammary_L' dilated 5 mm"), std::string::npos) << c;
  EXPECT_NE(c.find("on 4 plane(s) from rib2.medial.cranial (z = 30.00 mm)"), std::string::npos) << c;
  EXPECT_NE(c.find("minus ipsilateral lung ROI 2 'Lung_L' (realises the dorsal border)"), std::string::npos) << c;
  ASSERT_EQ(ref.unconfirmed.size(), 1u) << joined(ref.unconfirmed);
  EXPECT_NE(ref.unconfirmed[0].find("caudal border rib4.medial.cranial"), std::string::npos);
  EXPECT_NE(ref.unconfirmed[0].find("Unit: unconfirmed caudal border."), std::string::npos);
  EXPECT_EQ(ref.roi_name, "REF_UNIT-1_CTVn_IMN");
  EXPECT_EQ(ref.name, "CTVn_IMN");
  EXPECT_EQ(ref.guideline_id, "unit-1");
  EXPECT_EQ(ref.status, Status::Published);
}

TEST(ReferenceCtv, CaudalOffsetMovesTheBorderCaudally) {
  const Guideline g = parse(rule_xml("rib1.medial.cranial", 5.0));
  const ReferenceCtv ref = build_reference_ctv(g, "ctvn_imn", hand_landmarks(), hand_map());
  ASSERT_TRUE(ref.evaluable()) << joined(ref.not_evaluable);
  EXPECT_DOUBLE_EQ(*ref.caudal.landmark_z_mm, 10.0);
  EXPECT_DOUBLE_EQ(*ref.caudal.z_mm, 5.0);  // + is outward: caudally for a caudal border
  EXPECT_DOUBLE_EQ(ref.structure->planes.front().z_mm, 5.0);
  EXPECT_EQ(ref.structure->planes.size(), 14u);
}

TEST(ReferenceCtv, MissingVeinIsNotEvaluableWithTheReason) {
  StructureMap map = hand_map();
  map.erase(RoleKey{"im_vein", anatomy::Side::Left, ""});
  const ReferenceCtv ref = build_reference_ctv(parse(rule_xml()), "ctvn_imn", hand_landmarks(), map);
  EXPECT_FALSE(ref.evaluable());
  EXPECT_TRUE(any_contains(ref.not_evaluable, "no IM vein contour")) << joined(ref.not_evaluable);
  EXPECT_TRUE(any_contains(ref.not_evaluable, "left IM vein (role im_vein)")) << joined(ref.not_evaluable);
}

TEST(ReferenceCtv, MissingLevelIsNotEvaluableWithTheLandmarksReason) {
  anatomy::Landmarks lm = hand_landmarks();
  lm.levels["rib4.medial.cranial"].z_mm.reset();
  lm.levels["rib4.medial.cranial"].not_evaluable = "no ROI bound to the left rib 4 (rib4)";
  const ReferenceCtv ref = build_reference_ctv(parse(rule_xml()), "ctvn_imn", lm, hand_map());
  EXPECT_FALSE(ref.evaluable());
  EXPECT_FALSE(ref.caudal.evaluable());
  EXPECT_EQ(ref.caudal.not_evaluable, "no ROI bound to the left rib 4 (rib4)");
  EXPECT_TRUE(any_contains(ref.not_evaluable, "caudal level: no ROI bound to the left rib 4")) << joined(ref.not_evaluable);
  EXPECT_TRUE(ref.cranial.evaluable());
}

TEST(ReferenceCtv, MissingArteryLevelIsNotEvaluable) {
  anatomy::Landmarks lm = hand_landmarks();
  lm.levels.erase("rib2.medial.cranial");
  const ReferenceCtv ref = build_reference_ctv(parse(rule_xml()), "ctvn_imn", lm, hand_map());
  EXPECT_FALSE(ref.evaluable());
  EXPECT_TRUE(any_contains(ref.not_evaluable, "level range of the IM artery margin")) << joined(ref.not_evaluable);
  EXPECT_TRUE(any_contains(ref.not_evaluable, "'rib2.medial.cranial' is not a level found")) << joined(ref.not_evaluable);
}

TEST(ReferenceCtv, MissingLungMakesTheDorsalBorderUndefined) {
  StructureMap map = hand_map();
  map.erase(RoleKey{"lung", anatomy::Side::Left, ""});
  const ReferenceCtv ref = build_reference_ctv(parse(rule_xml()), "ctvn_imn", hand_landmarks(), map);
  EXPECT_FALSE(ref.evaluable());
  EXPECT_TRUE(any_contains(ref.not_evaluable, "clips the reference by the ipsilateral lung (subtract, the dorsal border"))
      << joined(ref.not_evaluable);
  EXPECT_TRUE(any_contains(ref.not_evaluable, "no ROI bound to the left lung")) << joined(ref.not_evaluable);
}

TEST(ReferenceCtv, MissingArteryIsNotEvaluable) {
  StructureMap map = hand_map();
  map.erase(RoleKey{"im_artery", anatomy::Side::Left, ""});
  const ReferenceCtv ref = build_reference_ctv(parse(rule_xml()), "ctvn_imn", hand_landmarks(), map);
  EXPECT_FALSE(ref.evaluable());
  EXPECT_TRUE(any_contains(ref.not_evaluable, "dilates the IM artery by 5 mm")) << joined(ref.not_evaluable);
}

TEST(ReferenceCtv, UnknownSideIsNotEvaluable) {
  anatomy::Landmarks lm = hand_landmarks();
  lm.treated.side.reset();
  lm.treated.not_evaluable = "conflicting sides";
  const ReferenceCtv ref = build_reference_ctv(parse(rule_xml()), "ctvn_imn", lm, hand_map());
  EXPECT_FALSE(ref.evaluable());
  EXPECT_TRUE(any_contains(ref.not_evaluable, "the treated side is unknown: conflicting sides")) << joined(ref.not_evaluable);
}

TEST(ReferenceCtv, NoPlaneBetweenTheLevels) {
  anatomy::Landmarks lm = hand_landmarks();
  lm.levels["rib1.medial.cranial"] = level("rib1.medial.cranial", 80.0);
  lm.levels["rib4.medial.cranial"] = level("rib4.medial.cranial", 60.0);
  lm.levels["rib2.medial.cranial"] = level("rib2.medial.cranial", 70.0);
  const ReferenceCtv ref = build_reference_ctv(parse(rule_xml()), "ctvn_imn", lm, hand_map());
  EXPECT_FALSE(ref.evaluable());
  EXPECT_TRUE(any_contains(ref.not_evaluable, "no plane of the IM vein ROI 21 'V_Mammary_L' lies between")) << joined(ref.not_evaluable);
}

TEST(ReferenceCtv, CaudalAboveCranialIsNotEvaluable) {
  anatomy::Landmarks lm = hand_landmarks();
  lm.levels["rib4.medial.cranial"] = level("rib4.medial.cranial", 45.0);
  const ReferenceCtv ref = build_reference_ctv(parse(rule_xml()), "ctvn_imn", lm, hand_map());
  EXPECT_FALSE(ref.evaluable());
  EXPECT_TRUE(any_contains(ref.not_evaluable, "is not below the cranial level")) << joined(ref.not_evaluable);
}

TEST(ReferenceCtv, CtvnL4CaudalFallsBackToTheGuidelinesOwnL4TargetAndSaysSo) {
  const Guideline g = parse(rule_xml("ctvn_l4.caudal"));
  const ReferenceCtv ref = build_reference_ctv(g, "ctvn_imn", hand_landmarks(), hand_map());
  ASSERT_TRUE(ref.evaluable()) << joined(ref.not_evaluable);
  EXPECT_DOUBLE_EQ(*ref.cranial.z_mm, 45.0);  // imv_junction
  EXPECT_EQ(ref.cranial.method.rfind("fallback (no left CTVn_L4 contoured (ctvn_l4))", 0), 0u) << ref.cranial.method;
  EXPECT_NE(ref.cranial.method.find("imv_junction +0 mm"), std::string::npos) << ref.cranial.method;
  EXPECT_DOUBLE_EQ(ref.structure->planes.back().z_mm, 42.5);

  // With the patient's CTVn_L4, its caudal limit is used.
  anatomy::Landmarks lm = hand_landmarks();
  lm.levels["ctvn_l4.caudal"] = level("ctvn_l4.caudal", 35.0);
  const ReferenceCtv own = build_reference_ctv(g, "ctvn_imn", lm, hand_map());
  ASSERT_TRUE(own.evaluable());
  EXPECT_DOUBLE_EQ(*own.cranial.z_mm, 35.0);
  EXPECT_EQ(own.cranial.method, "set by the test");
  EXPECT_DOUBLE_EQ(own.structure->planes.back().z_mm, 32.5);
}

TEST(ReferenceCtv, ResolveLevelTargetBordersAndOffsets) {
  const Guideline g = parse(rule_xml("rib1.medial.cranial", 2.5));
  const TargetRule& t = *g.target("ctvn_imn");
  const auto lm = hand_landmarks();
  const ResolvedLevel caudal = resolve_level(g, t, "target.caudal", 0, Border::Caudal, lm);
  ASSERT_TRUE(caudal.evaluable()) << caudal.not_evaluable;
  EXPECT_DOUBLE_EQ(*caudal.z_mm, 7.5);
  EXPECT_FALSE(caudal.confirmed);  // the caudal border is unconfirmed in the rule
  const ResolvedLevel up = resolve_level(g, t, "rib2.medial.cranial", 4.0, Border::Cranial, lm);
  EXPECT_DOUBLE_EQ(*up.z_mm, 34.0);
  EXPECT_DOUBLE_EQ(*up.landmark_z_mm, 30.0);
  const ResolvedLevel down = resolve_level(g, t, "rib2.medial.cranial", 4.0, Border::Caudal, lm);
  EXPECT_DOUBLE_EQ(*down.z_mm, 26.0);
  const ResolvedLevel missing = resolve_level(g, t, "rib7.medial.cranial", 0, Border::Caudal, lm);
  EXPECT_FALSE(missing.evaluable());
  EXPECT_FALSE(missing.not_evaluable.empty());
}

TEST(ReferenceCtv, IntersectClipKeepsTheReferenceInsideTheStructure) {
  StructureMap map = hand_map();
  map[RoleKey{"external", anatomy::Side::None, ""}] = box_stack(1, "External", -100, -50, 31, 50, planes(0, 20));
  const Guideline g =
      parse(rule_xml("rib1.medial.cranial", 0, "    <clip role=\"external\" mode=\"intersect\" confirmed=\"true\"/>\n"));
  const ReferenceCtv ref = build_reference_ctv(g, "ctvn_imn", hand_landmarks(), map);
  ASSERT_TRUE(ref.evaluable()) << joined(ref.not_evaluable);
  for (const auto& p : ref.structure->planes) EXPECT_NEAR(bbox(p.region).max_corner().x(), 31.0, 1e-5) << p.z_mm;
  EXPECT_TRUE(any_contains(ref.construction, "kept inside external ROI 1 'External'")) << joined(ref.construction);
}

TEST(ReferenceCtv, SliversBelowTheMinimumAreaAreDroppedAndReported) {
  StructureMap map = hand_map();
  // A lung reaching to 0.05 mm of the ventral edge of the dilated vein: what is left is a sliver.
  map[RoleKey{"lung", anatomy::Side::Left, ""}] = box_stack(2, "Lung_L", 0, -6.95, 60, 40, planes(0, 20));
  const ReferenceCtv ref = build_reference_ctv(parse(rule_xml()), "ctvn_imn", hand_landmarks(), map);
  EXPECT_FALSE(ref.evaluable());
  EXPECT_TRUE(any_contains(ref.not_evaluable, "empty after clipping")) << joined(ref.not_evaluable);
  EXPECT_TRUE(any_contains(ref.construction, "below 0.5 mm² dropped on 12 plane(s)")) << joined(ref.construction);
}

TEST(ReferenceCtv, RoiNameIsTruncatedTo64Characters) {
  const Guideline g = parse(rule_xml("rib1.medial.cranial", 0, "", std::string(70, 'a')));
  const ReferenceCtv ref = build_reference_ctv(g, "ctvn_imn", hand_landmarks(), hand_map());
  EXPECT_EQ(ref.roi_name.size(), 64u);
  EXPECT_EQ(ref.roi_name.rfind("REF_AAAA", 0), 0u);
}

TEST(ReferenceCtv, MissingTarget) {
  const ReferenceCtv ref = build_reference_ctv(parse(rule_xml()), "ctvn_l1", hand_landmarks(), hand_map());
  EXPECT_FALSE(ref.evaluable());
  EXPECT_TRUE(any_contains(ref.not_evaluable, "unit-1 has no ctvn_l1 target"));
}

// ---------------------------------------------------------------------------------------------------
// The phantom: its truth holds the ESTRO and RTOG readings built from the analytic anatomy.

const anatomy::NameTable& names() {
  static const anatomy::NameTable t = *anatomy::load_name_table(std::string(RTAUDIT_RULES_DIR) + "/names.xml").table;
  return t;
}

const phantom::ThoraxAtlas& atlas() {
  static const phantom::ThoraxAtlas a =
      *phantom::load_thorax_atlas(std::string(RTAUDIT_ATLAS_DIR) + "/phantom/thorax.xml").atlas;
  return a;
}

const GuidelineSet& shipped() {
  static const GuidelineSet s = load_guidelines_dir(RTAUDIT_RULES_DIR);
  return s;
}

struct Patient {
  phantom::PhantomCase pc;
  StructureMap map;
  anatomy::Landmarks lm;
};

Patient patient(std::uint64_t seed, phantom::Side side, const std::string& variant) {
  Patient p;
  phantom::PhantomOptions o;
  o.seed = seed;
  o.side = side;
  o.variant = variant;
  p.pc = phantom::make_phantom(atlas(), o);
  const auto roles = anatomy::assign_roles(names(), p.pc.structures, {});
  geom::BuildOptions b;
  b.fallback_slab_mm = 2.5;
  p.map = anatomy::bind_structures(p.pc.structures, roles, b);
  p.lm = anatomy::find_landmarks(p.map, anatomy::find_treated_side(p.map));
  return p;
}

const geom::Structure& clinical(const Patient& p) {
  const auto* b = anatomy::find_structure(p.map, "ctvn_imn", *p.lm.treated.side);
  EXPECT_NE(b, nullptr);
  return b->structure;
}

class PhantomReference : public ::testing::TestWithParam<std::tuple<int, bool>> {};

TEST_P(PhantomReference, EstroAndRtogReproduceThePhantomsOwnReadings) {
  const auto [seed, right] = GetParam();
  const auto side = right ? phantom::Side::Right : phantom::Side::Left;
  const Patient estro = patient(static_cast<std::uint64_t>(seed), side, "estro");
  const Patient rtog = patient(static_cast<std::uint64_t>(seed), side, "rtog");
  ASSERT_TRUE(estro.lm.treated.side);
  for (const auto& [id, key, same] : {std::tuple{"estro-2015", "estro", &estro}, std::tuple{"rtog-2009", "rtog", &rtog}}) {
    const Guideline* g = shipped().find(id);
    ASSERT_NE(g, nullptr) << id;
    const ReferenceCtv ref = build_reference_ctv(*g, "ctvn_imn", estro.lm, estro.map);
    ASSERT_TRUE(ref.evaluable()) << id << ": " << joined(ref.not_evaluable);
    const auto& truth = estro.pc.truth["imn"]["references"][key];
    const double v = *geom::volume_cc(*ref.structure);
    const double tv = truth["volume_cc"].get<double>();
    EXPECT_NEAR(v, tv, 0.02 * tv) << id << " seed " << seed;
    const auto& ext = truth["extent"];
    EXPECT_NEAR(ref.structure->planes.front().z_mm, ext["caudal_plane_z_mm"].get<double>(), 2.5 + 1e-6) << id;
    EXPECT_NEAR(ref.structure->planes.back().z_mm, ext["cranial_plane_z_mm"].get<double>(), 2.5 + 1e-6) << id;
    // The clinical CTV of the variant of the same name is the same construction.
    const auto dice = compare::dice(*ref.structure, clinical(*same));
    ASSERT_TRUE(dice) << id;
    EXPECT_GT(*dice, 0.97) << id << " seed " << seed << "\n" << joined(ref.construction);
    EXPECT_EQ(ref.roi_name, std::string(id == std::string("estro-2015") ? "REF_ESTRO-2015_CTVn_IMN" : "REF_RTOG-2009_CTVn_IMN"));
    EXPECT_FALSE(ref.unconfirmed.empty()) << id;  // both files use unconfirmed readings
    EXPECT_TRUE(any_contains(ref.construction, right ? "'V_Mammary_R'" : "'V_Mammary_L'")) << joined(ref.construction);
    EXPECT_TRUE(any_contains(ref.construction, right ? "'Lung_R'" : "'Lung_L'")) << joined(ref.construction);
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, PhantomReference, ::testing::Combine(::testing::Values(1, 2, 3), ::testing::Bool()));

TEST(PhantomReference, NoLandmarksVariantIsNotEvaluableWithReasons) {
  const Patient p = patient(1, phantom::Side::Left, "no-landmarks");
  for (const auto* id : {"estro-2015", "rtog-2009", "radcomp-2016"}) {
    const ReferenceCtv ref = build_reference_ctv(*shipped().find(id), "ctvn_imn", p.lm, p.map);
    EXPECT_FALSE(ref.evaluable()) << id;
    EXPECT_TRUE(any_contains(ref.not_evaluable, "no IM vein contour")) << id << ": " << joined(ref.not_evaluable);
    EXPECT_TRUE(any_contains(ref.not_evaluable, "caudal level")) << id << ": " << joined(ref.not_evaluable);
  }
}

TEST(PhantomReference, ProvisionalGuidelineGivesAProvisionalReference) {
  const Patient p = patient(2, phantom::Side::Left, "estro");
  const ReferenceCtv ref = build_reference_ctv(*shipped().find("radcomp-2016"), "ctvn_imn", p.lm, p.map);
  ASSERT_TRUE(ref.evaluable()) << joined(ref.not_evaluable);
  EXPECT_EQ(ref.status, Status::Provisional);
  EXPECT_TRUE(any_contains(ref.construction, "provisional"));
  // RADCOMP's placeholder reaches the cranial aspect of rib 5: more caudal than ESTRO's.
  const ReferenceCtv estro = build_reference_ctv(*shipped().find("estro-2015"), "ctvn_imn", p.lm, p.map);
  EXPECT_LT(ref.structure->planes.front().z_mm, estro.structure->planes.front().z_mm - 10);
}

}  // namespace
}  // namespace rtaudit::guideline
