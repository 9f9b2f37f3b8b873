// The audit (rtaudit/audit/audit.hpp): first hand-built cases whose every number is known exactly
// (square vessels and CTVs, box ribs), then every phantom variant against what it planted
// (truth.json, docs/phantom.md).

#include "rtaudit/audit/audit.hpp"

#include "rtaudit/phantom/phantom.hpp"
#include "tests/support/bound_structures.hpp"
#include "tests/support/shapes.hpp"
#include "tests/support/text_checks.hpp"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

namespace rtaudit::audit {
namespace {

using anatomy::BoundStructure;
using anatomy::RoleKey;
using anatomy::StructureMap;
using guideline::Border;

using test::any_contains;
using test::joined;

const GuidelineAudit& find_guideline(const AuditResult& r, const std::string& id) {
  for (const auto& g : r.guidelines) {
    if (g.guideline_id == id) return g;
  }
  ADD_FAILURE() << "no audit against " << id;
  static const GuidelineAudit none;
  return none;
}

const LevelCheck& level(const GuidelineAudit& g, Border b) {
  for (const auto& c : g.levels) {
    if (c.border == b) return c;
  }
  ADD_FAILURE() << g.guideline_id << ": no level check " << guideline::to_string(b);
  static const LevelCheck none;
  return none;
}

const MarginCheck& margin(const GuidelineAudit& g, Direction d) {
  for (const auto& c : g.margins) {
    if (c.direction == d) return c;
  }
  ADD_FAILURE() << g.guideline_id << ": no margin check " << to_string(d);
  static const MarginCheck none;
  return none;
}

const OrganOverlap& overlap(const GuidelineAudit& g, const std::string& role) {
  for (const auto& o : g.overlaps) {
    if (o.role == role) return o;
  }
  ADD_FAILURE() << g.guideline_id << ": no overlap check " << role;
  static const OrganOverlap none;
  return none;
}

/// Everything a failing expectation needs to be understood.
std::string describe(const GuidelineAudit& g) {
  std::string s = fmt::format("{}: overall {}\n", g.guideline_id, to_string(g.overall));
  for (const auto& c : g.levels) {
    s += fmt::format("  level {}: {} clinical {} reference {} deviation {} ics {} {}\n", guideline::to_string(c.border),
                     to_string(c.status), c.clinical_z_mm.value_or(NAN), c.reference.z_mm.value_or(NAN),
                     c.deviation_mm.value_or(NAN), c.deviation_ics.value_or(NAN), c.reason + c.reference.not_evaluable);
  }
  for (const auto& m : g.margins) {
    s += fmt::format("  margin {}: {} planes {} clinical median {} min {} reference median {} deviation median {} {}\n",
                     to_string(m.direction), to_string(m.status), m.planes, m.clinical_median_mm.value_or(NAN),
                     m.clinical_min_mm.value_or(NAN), m.reference_median_mm.value_or(NAN),
                     m.deviation_median_mm.value_or(NAN), m.reason);
  }
  for (const auto& o : g.overlaps) {
    s += fmt::format("  overlap {}: {} {} cc {}\n", o.role, to_string(o.status), o.overlap_cc.value_or(NAN), o.reason);
  }
  for (const auto& v : g.vein_coverage) {
    s += fmt::format("  ICS{}: planes {} centreline {}% volume {}% {}\n", v.ics, v.planes, v.centreline_pct.value_or(NAN),
                     v.volume_pct.value_or(NAN), v.reason);
  }
  if (g.comparison.overlap) s += fmt::format("  dice {}\n", g.comparison.overlap->dice.value_or(NAN));
  s += "  reference: " + joined(g.reference.not_evaluable);
  return s;
}

// ---------------------------------------------------------------------------------------------------
// Hand-built case: planes z = 0, 2.5, ..., 47.5 mm; treated side left (+x lateral, medial = -x).
// Vein: the 4 mm square centred at (30, 0). Ribs 1-5: boxes ventral of the vein on two planes each,
// so (slab edges) rib N's cranial aspect is 48.75, 38.75, 28.75, 18.75, 8.75 mm.

std::vector<double> planes(double z0, int n) {
  std::vector<double> z;
  for (int k = 0; k < n; ++k) z.push_back(z0 + 2.5 * k);
  return z;
}

using test::box_stack;

StructureMap hand_case(double ctv_x0 = 25, double ctv_y0 = -5, double ctv_x1 = 35, double ctv_y1 = 5,
                       const std::vector<double>& ctv_planes = planes(20, 12)) {
  StructureMap m;
  m[RoleKey{"im_vein", anatomy::Side::Left, ""}] = box_stack(21, "V_Mammary_L", 28, -2, 32, 2, planes(0, 20));
  for (int n = 1; n <= 5; ++n) {
    const double z = 45.0 - 10.0 * (n - 1);
    m[RoleKey{fmt::format("rib{}", n), anatomy::Side::Left, ""}] =
        box_stack(6 + n, fmt::format("Rib{:02d}_L", n), 10, -14, 60, -10, {z, z + 2.5});
  }
  m[RoleKey{"lung", anatomy::Side::Left, ""}] = box_stack(2, "Lung_L", 40, 20, 100, 60, planes(0, 20));
  m[RoleKey{"heart", anatomy::Side::None, ""}] = box_stack(4, "Heart", 33, 0, 40, 10, {40, 42.5});
  m[RoleKey{"ctvn_imn", anatomy::Side::Left, ""}] = box_stack(31, "CTVn_IMN_L", ctv_x0, ctv_y0, ctv_x1, ctv_y1, ctv_planes);
  return m;
}

// Cranial: rib 1, caudal: rib 4 (alternative rib 5); margins 3 mm around the vein; lung subtracted
// (realises the dorsal border, graded with the vein's tolerance); ventral not stated; heart overlap.
guideline::Guideline unit_rule() {
  const std::string xml =
      "<?xml version=\"1.0\"?>\n"
      "<guideline format=\"1\" id=\"unit-1\" version=\"1\" status=\"published\">\n"
      "  <title>Unit rule</title>\n"
      "  <citation id=\"c1\" type=\"other\" authors=\"Test\" title=\"Test rule\"/>\n"
      "  <tolerance id=\"lv\" pass_mm=\"3\" warn_mm=\"6\" basis=\"test\"/>\n"
      "  <tolerance id=\"mg\" pass_mm=\"1\" warn_mm=\"2\" basis=\"test\"/>\n"
      "  <tolerance id=\"sf\" pass_mm=\"2\" warn_mm=\"4\" basis=\"test\"/>\n"
      "  <target role=\"ctvn_imn\" name=\"CTVn_IMN\">\n"
      "    <border side=\"cranial\" landmark=\"rib1.medial.cranial\" offset_mm=\"0\" tolerance=\"lv\" confirmed=\"true\"/>\n"
      "    <border side=\"caudal\" landmark=\"rib4.medial.cranial\" offset_mm=\"0\" tolerance=\"lv\" confirmed=\"true\">\n"
      "      <alternative landmark=\"rib5.medial.cranial\" offset_mm=\"0\" condition=\"caudal tumours\" confirmed=\"true\"/>\n"
      "    </border>\n"
      "    <border side=\"medial\" landmark=\"im_vein\" offset_mm=\"3\" tolerance=\"mg\" confirmed=\"true\"/>\n"
      "    <border side=\"lateral\" landmark=\"im_vein\" offset_mm=\"3\" tolerance=\"mg\" confirmed=\"true\"/>\n"
      "    <border side=\"ventral\" stated=\"false\" confirmed=\"true\" note=\"Unit: no ventral border.\"/>\n"
      "    <border side=\"dorsal\" landmark=\"lung.surface\" offset_mm=\"0\" tolerance=\"sf\" confirmed=\"true\"/>\n"
      "    <vessel role=\"im_vein\" margin_mm=\"3\" tolerance=\"mg\" confirmed=\"true\"/>\n"
      "    <clip role=\"lung\" side=\"ipsilateral\" mode=\"subtract\" border=\"dorsal\" confirmed=\"true\"/>\n"
      "    <overlap role=\"heart\" side=\"both\" pass_cc=\"0.01\" warn_cc=\"0.1\" basis=\"test\"/>\n"
      "    <overlap role=\"sternum\" side=\"both\" pass_cc=\"0.1\" warn_cc=\"0.5\" basis=\"test\"/>\n"
      "  </target>\n"
      "</guideline>\n";
  const auto load = guideline::parse_guideline(xml, "unit.xml");
  std::string messages;
  for (const auto& e : load.errors) messages += e.message() + "\n";
  EXPECT_TRUE(load) << messages;
  return load ? *load.guideline : guideline::Guideline{};
}

AuditResult audit_hand(const StructureMap& m) { return run_audit(m, {}, {unit_rule()}); }

TEST(Audit, MarginsAreExactForSquareVeinAndCtv) {
  // CTV = the vein square grown by 3 mm: the reference (round joins) has straight sides there too.
  const AuditResult r = audit_hand(hand_case());
  ASSERT_EQ(r.guidelines.size(), 1u);
  const GuidelineAudit& g = r.guidelines[0];
  ASSERT_TRUE(g.reference.evaluable()) << joined(g.reference.not_evaluable);
  EXPECT_EQ(r.clinical_roi_number, 31);
  EXPECT_EQ(r.clinical_roi_name, "CTVn_IMN_L");
  EXPECT_NEAR(*r.clinical_volume_cc, 100.0 * 12 * 2.5 / 1000.0, 1e-12);
  for (const Direction d : {Direction::Medial, Direction::Lateral, Direction::Ventral, Direction::Dorsal}) {
    const MarginCheck& m = margin(g, d);
    EXPECT_EQ(m.planes, 12u) << to_string(d);
    ASSERT_TRUE(m.clinical_median_mm) << to_string(d) << ": " << m.reason;
    EXPECT_NEAR(*m.clinical_median_mm, 3.0, 1e-9) << to_string(d);
    EXPECT_NEAR(*m.clinical_min_mm, 3.0, 1e-9) << to_string(d);
    EXPECT_NEAR(*m.reference_median_mm, 3.0, 1e-9) << to_string(d);
    EXPECT_NEAR(*m.deviation_median_mm, 0.0, 1e-9) << to_string(d);
    EXPECT_EQ(m.tolerance.id, "mg") << to_string(d);  // dorsal (lung.surface): the vein margin's tolerance
    EXPECT_EQ(m.status, d == Direction::Ventral ? CheckStatus::Info : CheckStatus::Pass) << to_string(d) << m.reason;
  }
  EXPECT_NE(margin(g, Direction::Ventral).reason.find("states no ventral border"), std::string::npos);
  EXPECT_TRUE(any_contains(g.notes, "ventral border: not stated by the rule (Unit: no ventral border.)")) << joined(g.notes);
  EXPECT_TRUE(any_contains(g.notes, "dorsal border at lung.surface +0 mm, realised by the clip 'subtract ipsilateral lung'"))
      << joined(g.notes);
  // Levels: the CTV's slab edges 18.75 and 48.75 mm are the rule's levels.
  const LevelCheck& cr = level(g, Border::Cranial);
  const LevelCheck& ca = level(g, Border::Caudal);
  EXPECT_DOUBLE_EQ(*cr.clinical_z_mm, 48.75);
  EXPECT_DOUBLE_EQ(*cr.deviation_mm, 0.0);
  EXPECT_DOUBLE_EQ(*ca.clinical_z_mm, 18.75);
  EXPECT_DOUBLE_EQ(*ca.deviation_mm, 0.0);
  EXPECT_NEAR(*ca.deviation_ics, 0.0, 1e-12);
  EXPECT_EQ(cr.status, CheckStatus::Pass);
  ASSERT_EQ(ca.alternatives.size(), 1u);
  EXPECT_DOUBLE_EQ(*ca.alternatives[0].level.z_mm, 8.75);
  EXPECT_DOUBLE_EQ(*ca.alternatives[0].deviation_mm, -10.0);  // 10 mm short of rib 5
  EXPECT_EQ(ca.alternatives[0].condition, "caudal tumours");
  // Heart [33,40]x[0,10] on z = 40, 42.5 meets the CTV [25,35]x[-5,5] in 2 x 5 mm² x 2 planes x 2.5 mm.
  const OrganOverlap& heart = overlap(g, "heart");
  EXPECT_NEAR(*heart.overlap_cc, 0.05, 1e-12);
  EXPECT_EQ(heart.status, CheckStatus::Warn);
  EXPECT_EQ(heart.roi_number, 4);
  const OrganOverlap& sternum = overlap(g, "sternum");
  EXPECT_EQ(sternum.status, CheckStatus::NotEvaluable);
  EXPECT_NE(sternum.reason.find("sternum"), std::string::npos);
  EXPECT_EQ(g.overall, CheckStatus::Warn) << describe(g);
  // Clinical = reference but for the round corners: the reference, 16 + 4·4·3 mm² plus four quarter
  // joins that make up a 72-gon inscribed in the 3 mm circle, lies inside the 100 mm² square.
  ASSERT_TRUE(g.comparison.overlap) << g.comparison.reason;
  const double ref_area = 64 + 0.5 * 72 * 9 * std::sin(2 * std::numbers::pi / 72);
  EXPECT_NEAR(*g.comparison.overlap->dice, 2 * ref_area / (100 + ref_area), 1e-9);
  EXPECT_NEAR(g.comparison.overlap->added_cc, (100 - ref_area) * 12 * 2.5 / 1000, 1e-9);
  EXPECT_NEAR(g.comparison.overlap->missed_cc, 0.0, 1e-9);
  ASSERT_TRUE(g.comparison.surface) << g.comparison.reason;
  // The largest gap is at a corner: sqrt(2)·3 - 3 from the square's corner to the round join.
  EXPECT_NEAR(g.comparison.surface->hausdorff_mm, 3 * std::sqrt(2.0) - 3, 0.01);
}

TEST(Audit, MarginsPerDirectionWithSignsAndGrades) {
  // CTV x∈[27,36], y∈[-6,5]: medial (-x) 30-2-27 = 1, lateral 36-32 = 4, ventral (-y) 6-2 = 4, dorsal 3.
  const AuditResult r = audit_hand(hand_case(27, -6, 36, 5));
  const GuidelineAudit& g = r.guidelines.at(0);
  const auto expect = [&](Direction d, double clinical, CheckStatus status) {
    const MarginCheck& m = margin(g, d);
    ASSERT_TRUE(m.clinical_median_mm) << m.reason;
    EXPECT_NEAR(*m.clinical_median_mm, clinical, 1e-9) << to_string(d);
    EXPECT_NEAR(*m.deviation_median_mm, clinical - 3.0, 1e-9) << to_string(d);
    EXPECT_NEAR(*m.deviation_min_mm, clinical - 3.0, 1e-9) << to_string(d);
    EXPECT_EQ(m.status, status) << to_string(d);
  };
  expect(Direction::Medial, 1.0, CheckStatus::Warn);   // -2: warn (pass 1, warn 2)
  expect(Direction::Lateral, 4.0, CheckStatus::Pass);  // +1
  expect(Direction::Ventral, 4.0, CheckStatus::Info);  // not stated
  expect(Direction::Dorsal, 3.0, CheckStatus::Pass);
}

TEST(Audit, MarginIsNegativeWhenTheCtvEndsInsideTheVein) {
  // Medial CTV edge at x = 29: 1 mm inside the vein wall (x = 28).
  const AuditResult r = audit_hand(hand_case(29, -5, 35, 5));
  const MarginCheck& m = margin(r.guidelines.at(0), Direction::Medial);
  ASSERT_TRUE(m.clinical_median_mm) << m.reason;
  EXPECT_NEAR(*m.clinical_median_mm, -1.0, 1e-9);
  EXPECT_NEAR(*m.deviation_median_mm, -4.0, 1e-9);
  EXPECT_EQ(m.status, CheckStatus::Fail);
  EXPECT_EQ(r.guidelines.at(0).overall, CheckStatus::Fail);
}

TEST(Audit, CtvWithAHoleUsesWhereTheRayLastLeavesIt) {
  // The CTV [20,40]x[-10,10] with a hole x∈[33,35]: the lateral ray re-enters after the hole and
  // leaves at x = 40, 8 mm beyond the vein wall.
  StructureMap m = hand_case();
  std::vector<geom::Contour> contours;
  for (const double z : planes(20, 12)) {
    contours.push_back(test::rectangle(20, -10, 40, 10, z));
    contours.push_back(test::rectangle(33, -1, 35, 1, z));
  }
  geom::BuildOptions o;
  o.fallback_slab_mm = 2.5;
  m[RoleKey{"ctvn_imn", anatomy::Side::Left, ""}].structure = geom::build_structure(contours, o).structure;
  const AuditResult r = audit_hand(m);
  const MarginCheck& lateral = margin(r.guidelines.at(0), Direction::Lateral);
  ASSERT_TRUE(lateral.clinical_median_mm) << lateral.reason;
  EXPECT_NEAR(*lateral.clinical_median_mm, 8.0, 1e-9);
  EXPECT_NEAR(*margin(r.guidelines.at(0), Direction::Medial).clinical_median_mm, 8.0, 1e-9);
}

TEST(Audit, LevelDeviationsAreSignedAndInIntercostalSpaces) {
  // CTV from z = 15 (slab edge 13.75: 5 mm below rib 4's cranial aspect) up to z = 37.5 (edge 38.75:
  // 10 mm short of rib 1's).
  const AuditResult r = audit_hand(hand_case(25, -5, 35, 5, planes(15, 10)));
  const GuidelineAudit& g = r.guidelines.at(0);
  const LevelCheck& ca = level(g, Border::Caudal);
  EXPECT_DOUBLE_EQ(*ca.clinical_z_mm, 13.75);
  EXPECT_DOUBLE_EQ(*ca.reference.z_mm, 18.75);
  EXPECT_DOUBLE_EQ(*ca.deviation_mm, 5.0);  // extends further caudally: positive
  EXPECT_NEAR(*ca.deviation_ics, 0.5, 1e-12);  // half of the 10 mm from rib 4 to rib 5
  EXPECT_EQ(ca.status, CheckStatus::Warn);
  EXPECT_DOUBLE_EQ(*ca.alternatives.at(0).deviation_mm, -5.0);
  const LevelCheck& cr = level(g, Border::Cranial);
  EXPECT_DOUBLE_EQ(*cr.clinical_z_mm, 38.75);
  EXPECT_DOUBLE_EQ(*cr.deviation_mm, -10.0);  // stops short: negative
  EXPECT_NEAR(*cr.deviation_ics, -1.0, 1e-12);
  EXPECT_EQ(cr.status, CheckStatus::Fail);
  EXPECT_EQ(cr.tolerance.id, "lv");
  EXPECT_EQ(g.overall, CheckStatus::Fail);
}

TEST(Audit, VeinCoveragePerIntercostalSpace) {
  // Clinical on z = 20..47.5 except that on z = 32.5 it covers only x >= 30.5 (the vein x∈[28,32]).
  StructureMap m = hand_case();
  std::vector<geom::Contour> contours;
  for (const double z : planes(20, 12)) {
    contours.push_back(z == 32.5 ? test::rectangle(30.5, -5, 35, 5, z) : test::rectangle(25, -5, 35, 5, z));
  }
  geom::BuildOptions o;
  o.fallback_slab_mm = 2.5;
  m[RoleKey{"ctvn_imn", anatomy::Side::Left, ""}].structure = geom::build_structure(contours, o).structure;
  const AuditResult r = audit_hand(m);
  const auto& cov = r.guidelines.at(0).vein_coverage;
  ASSERT_EQ(cov.size(), 4u);  // ICS 1-4 (ribs 1-5)
  // ICS n: [rib n caudal aspect, rib n+1 cranial aspect) = [43.75 - 10(n-1), 38.75 - 10(n-1)).
  for (int n = 1; n <= 4; ++n) {
    const VeinCoverage& v = cov[static_cast<std::size_t>(n - 1)];
    EXPECT_EQ(v.ics, n);
    EXPECT_DOUBLE_EQ(v.cranial_z_mm, 43.75 - 10.0 * (n - 1));
    EXPECT_DOUBLE_EQ(v.caudal_z_mm, 38.75 - 10.0 * (n - 1));
    EXPECT_EQ(v.planes, 2u) << n;  // e.g. ICS1: z = 40, 42.5
  }
  EXPECT_DOUBLE_EQ(*cov[0].centreline_pct, 100.0);
  EXPECT_DOUBLE_EQ(*cov[0].volume_pct, 100.0);
  // ICS2 (z = 30, 32.5): one centre inside, one outside (x = 30 < 30.5); volume (16 + 1.5·4) / 32.
  EXPECT_DOUBLE_EQ(*cov[1].centreline_pct, 50.0);
  EXPECT_NEAR(*cov[1].volume_pct, 100.0 * 22.0 / 32.0, 1e-9);
  EXPECT_DOUBLE_EQ(*cov[2].centreline_pct, 100.0);
  // ICS4 (z = 10, 12.5) lies below the CTV.
  EXPECT_DOUBLE_EQ(*cov[3].centreline_pct, 0.0);
  EXPECT_DOUBLE_EQ(*cov[3].volume_pct, 0.0);
  // The plane whose CTV misses the vein centre counts as margin 0 - wall: -2 mm.
  EXPECT_NEAR(*margin(r.guidelines.at(0), Direction::Medial).clinical_min_mm, -2.0, 1e-9);
}

TEST(Audit, MissingVeinGivesNotEvaluableChecksWithReasons) {
  StructureMap m = hand_case();
  m.erase(RoleKey{"im_vein", anatomy::Side::Left, ""});
  const AuditResult r = audit_hand(m);
  const GuidelineAudit& g = r.guidelines.at(0);
  EXPECT_FALSE(g.reference.evaluable());
  EXPECT_TRUE(any_contains(g.reference.not_evaluable, "no IM vein contour")) << joined(g.reference.not_evaluable);
  for (const auto& mc : g.margins) {
    EXPECT_EQ(mc.status, CheckStatus::NotEvaluable);
    EXPECT_NE(mc.reason.find("reference CTV not evaluable: "), std::string::npos) << mc.reason;
  }
  for (const auto& v : g.vein_coverage) {
    EXPECT_FALSE(v.centreline_pct);
    EXPECT_NE(v.reason.find("no IM vein"), std::string::npos) << v.reason;
  }
  // The levels need no vein; the heart overlap is graded; a clean result would not be a pass.
  EXPECT_EQ(level(g, Border::Cranial).status, CheckStatus::Pass);
  EXPECT_EQ(overlap(g, "heart").status, CheckStatus::Warn);
  EXPECT_FALSE(g.comparison.overlap);
  EXPECT_NE(g.comparison.reason.find("reference CTV not evaluable"), std::string::npos);
}

TEST(Audit, CleanChecksWithoutAReferenceAreNotAPass) {
  StructureMap m = hand_case();
  m.erase(RoleKey{"im_vein", anatomy::Side::Left, ""});
  m.erase(RoleKey{"heart", anatomy::Side::None, ""});
  const AuditResult r = audit_hand(m);
  const GuidelineAudit& g = r.guidelines.at(0);
  EXPECT_EQ(level(g, Border::Cranial).status, CheckStatus::Pass);
  EXPECT_EQ(g.overall, CheckStatus::NotEvaluable) << describe(g);
}

TEST(Audit, MissingLevelGivesNotEvaluableLevelCheck) {
  StructureMap m = hand_case();
  m.erase(RoleKey{"rib4", anatomy::Side::Left, ""});
  const AuditResult r = audit_hand(m);
  const LevelCheck& ca = level(r.guidelines.at(0), Border::Caudal);
  EXPECT_EQ(ca.status, CheckStatus::NotEvaluable);
  EXPECT_FALSE(ca.deviation_mm);
  EXPECT_NE(ca.reason.find("rib4.medial.cranial"), std::string::npos) << ca.reason;
  EXPECT_NE(ca.reason.find("rib 4"), std::string::npos) << ca.reason;
}

TEST(Audit, NoClinicalCtvIsACaseLevelReason) {
  StructureMap m = hand_case();
  m.erase(RoleKey{"ctvn_imn", anatomy::Side::Left, ""});
  AuditOptions o;
  o.treated_side = anatomy::Side::Left;
  const AuditResult r = run_audit(m, {}, {unit_rule()}, o);
  EXPECT_EQ(r.clinical_roi_number, 0);
  EXPECT_TRUE(any_contains(r.not_evaluable, "no CTVn_IMN on the treated (left) side")) << joined(r.not_evaluable);
  const GuidelineAudit& g = r.guidelines.at(0);
  EXPECT_TRUE(g.reference.evaluable());  // the reference needs no clinical CTV
  for (const auto& c : g.levels) EXPECT_EQ(c.status, CheckStatus::NotEvaluable);
  for (const auto& c : g.margins) EXPECT_EQ(c.status, CheckStatus::NotEvaluable);
  for (const auto& c : g.overlaps) EXPECT_EQ(c.status, CheckStatus::NotEvaluable);
  EXPECT_EQ(g.overall, CheckStatus::NotEvaluable);
}

TEST(Audit, SidelessCtvIsUsedAndSaidSo) {
  StructureMap m = hand_case();
  auto node = m.extract(RoleKey{"ctvn_imn", anatomy::Side::Left, ""});
  node.key() = RoleKey{"ctvn_imn", anatomy::Side::Unknown, ""};
  node.mapped().roi_name = "CTV IMN";
  m.insert(std::move(node));
  AuditOptions o;
  o.treated_side = anatomy::Side::Left;
  const AuditResult r = run_audit(m, {}, {unit_rule()}, o);
  EXPECT_EQ(r.clinical_roi_name, "CTV IMN");
  EXPECT_TRUE(any_contains(r.notes, "ROI 31 'CTV IMN' names no side; used as the CTVn_IMN of the treated side (left)"))
      << joined(r.notes);
  EXPECT_TRUE(any_contains(r.guidelines.at(0).notes, "names no side")) << joined(r.guidelines.at(0).notes);
  EXPECT_NEAR(*margin(r.guidelines.at(0), Direction::Medial).clinical_median_mm, 3.0, 1e-9);
}

TEST(Audit, IpsilateralBindingsAreTakenForTheTreatedSide) {
  StructureMap m = hand_case();
  for (const char* role : {"ctvn_imn", "im_vein"}) {
    auto node = m.extract(RoleKey{role, anatomy::Side::Left, ""});
    node.key() = RoleKey{role, anatomy::Side::Ipsilateral, ""};
    m.insert(std::move(node));
  }
  AuditOptions o;
  o.treated_side = anatomy::Side::Left;
  const AuditResult r = run_audit(m, {}, {unit_rule()}, o);
  EXPECT_EQ(r.clinical_roi_number, 31) << joined(r.not_evaluable);
  EXPECT_TRUE(any_contains(r.notes, "ROI 21 'V_Mammary_L' is bound as ipsilateral im_vein: taken as the left one"))
      << joined(r.notes);
  ASSERT_TRUE(r.guidelines.at(0).reference.evaluable()) << joined(r.guidelines.at(0).reference.not_evaluable);
  EXPECT_NEAR(*margin(r.guidelines.at(0), Direction::Lateral).clinical_median_mm, 3.0, 1e-9);
}

TEST(Audit, ContralateralCtvOnlyIsNamed) {
  StructureMap m = hand_case();
  auto node = m.extract(RoleKey{"ctvn_imn", anatomy::Side::Left, ""});
  node.key() = RoleKey{"ctvn_imn", anatomy::Side::Right, ""};
  m.insert(std::move(node));
  AuditOptions o;
  o.treated_side = anatomy::Side::Left;
  const AuditResult r = run_audit(m, {}, {unit_rule()}, o);
  EXPECT_TRUE(any_contains(r.not_evaluable, "ROI 31 'CTVn_IMN_L' is on the contralateral side")) << joined(r.not_evaluable);
}

TEST(Audit, StatusWords) {
  EXPECT_EQ(to_string(CheckStatus::Pass), "pass");
  EXPECT_EQ(to_string(CheckStatus::Warn), "warn");
  EXPECT_EQ(to_string(CheckStatus::Fail), "fail");
  EXPECT_EQ(to_string(CheckStatus::NotEvaluable), "not evaluable");
  EXPECT_EQ(to_string(CheckStatus::Info), "info");
  EXPECT_EQ(from_grade(guideline::Grade::Warn), CheckStatus::Warn);
  EXPECT_EQ(to_string(Direction::Dorsal), "dorsal");
}

// ---------------------------------------------------------------------------------------------------
// The phantom: every variant against what it planted.

const anatomy::NameTable& names() {
  static const anatomy::NameTable t = *anatomy::load_name_table(std::string(RTAUDIT_RULES_DIR) + "/names.xml").table;
  return t;
}

const phantom::ThoraxAtlas& atlas() {
  static const phantom::ThoraxAtlas a =
      *phantom::load_thorax_atlas(std::string(RTAUDIT_ATLAS_DIR) + "/phantom/thorax.xml").atlas;
  return a;
}

const std::vector<guideline::Guideline>& shipped() {
  static const guideline::GuidelineSet s = guideline::load_guidelines_dir(RTAUDIT_RULES_DIR);
  return s.guidelines;
}

struct Audited {
  nlohmann::json truth;
  AuditResult result;
};

Audited audit_phantom(std::uint64_t seed, const std::string& variant, phantom::Side side = phantom::Side::Left) {
  phantom::PhantomOptions o;
  o.seed = seed;
  o.side = side;
  o.variant = variant;
  const phantom::PhantomCase pc = phantom::make_phantom(atlas(), o);
  const anatomy::RoleAssignment roles = anatomy::assign_roles(names(), pc.structures, {});
  geom::BuildOptions b;
  b.fallback_slab_mm = 2.5;
  const StructureMap map = anatomy::bind_structures(pc.structures, roles, b);
  return {pc.truth, run_audit(map, roles, shipped())};
}

// One CT slice: a border realised on the slice grid lies within one slice of the design border.
constexpr double kSlice = 2.5 + 1e-6;

void expect_all_graded_pass(const GuidelineAudit& g) {
  EXPECT_EQ(g.overall, CheckStatus::Pass) << describe(g);
  for (const auto& c : g.levels) EXPECT_EQ(c.status, CheckStatus::Pass) << describe(g);
  for (const auto& c : g.margins) EXPECT_TRUE(c.status == CheckStatus::Pass || c.status == CheckStatus::Info) << describe(g);
  for (const auto& c : g.overlaps) EXPECT_EQ(c.status, CheckStatus::Pass) << describe(g);
}

class EstroSeeds : public ::testing::TestWithParam<int> {};

TEST_P(EstroSeeds, EstroVariantPassesEstro) {
  const Audited a = audit_phantom(static_cast<std::uint64_t>(GetParam()), "estro");
  ASSERT_TRUE(a.result.not_evaluable.empty()) << joined(a.result.not_evaluable);
  EXPECT_EQ(a.result.clinical_roi_name, "CTVn_IMN_L");
  EXPECT_NEAR(*a.result.clinical_volume_cc, a.truth["imn"]["clinical"]["volume_cc"].get<double>(), 1e-9);
  ASSERT_EQ(a.result.guidelines.size(), 3u);
  const GuidelineAudit& e = find_guideline(a.result, "estro-2015");
  ASSERT_TRUE(e.reference.evaluable()) << joined(e.reference.not_evaluable);
  expect_all_graded_pass(e);
  const auto& dev = a.truth["imn"]["deviations"]["vs_estro"];
  EXPECT_NEAR(*level(e, Border::Cranial).deviation_mm, dev["cranial_mm"].get<double>(), kSlice) << describe(e);
  EXPECT_NEAR(*level(e, Border::Caudal).deviation_mm, dev["caudal_mm"].get<double>(), kSlice) << describe(e);
  // CTVn_IMN ends where CTVn_L4 starts: the cranial deviation is exactly 0.
  EXPECT_NEAR(*level(e, Border::Cranial).deviation_mm, 0.0, 1e-9);
  for (const Direction d : {Direction::Medial, Direction::Lateral, Direction::Ventral, Direction::Dorsal}) {
    const MarginCheck& m = margin(e, d);
    ASSERT_TRUE(m.deviation_median_mm) << m.reason;
    EXPECT_NEAR(*m.deviation_median_mm, 0.0, 0.05) << to_string(d) << "\n" << describe(e);
  }
  EXPECT_NEAR(*margin(e, Direction::Medial).clinical_median_mm, 5.0, 0.1) << describe(e);
  ASSERT_TRUE(e.comparison.overlap) << e.comparison.reason;
  EXPECT_GT(*e.comparison.overlap->dice, 0.97);
  ASSERT_TRUE(e.comparison.surface) << e.comparison.reason;
  EXPECT_LT(e.comparison.surface->hd95_mm, 1.0);
  // ICS 2 and 3 are covered, ICS 4 (below rib 4) is not.
  ASSERT_GE(e.vein_coverage.size(), 4u);
  EXPECT_NEAR(*e.vein_coverage[1].centreline_pct, 100.0, 1e-9) << describe(e);
  EXPECT_NEAR(*e.vein_coverage[2].centreline_pct, 100.0, 1e-9) << describe(e);
  EXPECT_GT(*e.vein_coverage[2].volume_pct, 99.9) << describe(e);
  EXPECT_NEAR(*e.vein_coverage[3].centreline_pct, 0.0, 1e-9) << describe(e);
  // Against RTOG only the cranial border differs (the phantom's reading).
  const GuidelineAudit& r = find_guideline(a.result, "rtog-2009");
  const auto& vr = a.truth["imn"]["deviations"]["vs_rtog"];
  EXPECT_NEAR(*level(r, Border::Cranial).deviation_mm, vr["cranial_mm"].get<double>(), kSlice) << describe(r);
  EXPECT_NEAR(*level(r, Border::Caudal).deviation_mm, 0.0, 1e-9) << describe(r);
}

TEST_P(EstroSeeds, ShortCaudalFailsEstroAndRtog) {
  const Audited a = audit_phantom(static_cast<std::uint64_t>(GetParam()), "short-caudal");
  for (const auto& [id, key] : {std::pair{"estro-2015", "vs_estro"}, std::pair{"rtog-2009", "vs_rtog"}}) {
    const GuidelineAudit& g = find_guideline(a.result, id);
    const LevelCheck& ca = level(g, Border::Caudal);
    ASSERT_TRUE(ca.deviation_mm) << describe(g);
    const double want = a.truth["imn"]["deviations"][key]["caudal_mm"].get<double>();
    EXPECT_LT(want, -10.0);
    EXPECT_NEAR(*ca.deviation_mm, want, kSlice) << describe(g);
    ASSERT_TRUE(ca.deviation_ics) << describe(g);
    EXPECT_NEAR(*ca.deviation_ics, -1.0, 0.15) << describe(g);  // one ICS too high
    EXPECT_EQ(ca.status, CheckStatus::Fail);
    EXPECT_EQ(g.overall, CheckStatus::Fail) << describe(g);
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, EstroSeeds, ::testing::Values(1, 2, 3, 4, 5));

TEST(PhantomAudit, RtogVariantCranialDeviationMatchesTheTruth) {
  const Audited a = audit_phantom(1, "rtog");
  for (const auto& [id, key] : {std::pair{"estro-2015", "vs_estro"}, std::pair{"rtog-2009", "vs_rtog"}}) {
    const GuidelineAudit& g = find_guideline(a.result, id);
    const auto& dev = a.truth["imn"]["deviations"][key];
    EXPECT_NEAR(*level(g, Border::Cranial).deviation_mm, dev["cranial_mm"].get<double>(), kSlice) << describe(g);
    EXPECT_NEAR(*level(g, Border::Caudal).deviation_mm, dev["caudal_mm"].get<double>(), kSlice) << describe(g);
  }
  // RTOG's reading is the rtog variant's construction: every graded RTOG check passes.
  expect_all_graded_pass(find_guideline(a.result, "rtog-2009"));
  EXPECT_GT(*find_guideline(a.result, "rtog-2009").comparison.overlap->dice, 0.97);
}

TEST(PhantomAudit, CranialGapIsTenMillimetresShortOfEstro) {
  const Audited a = audit_phantom(2, "cranial-gap");
  const GuidelineAudit& g = find_guideline(a.result, "estro-2015");
  const LevelCheck& cr = level(g, Border::Cranial);
  ASSERT_TRUE(cr.deviation_mm) << describe(g);
  EXPECT_NEAR(*cr.deviation_mm, -10.0, kSlice) << describe(g);
  EXPECT_NEAR(*cr.deviation_mm, a.truth["imn"]["deviations"]["vs_estro"]["cranial_mm"].get<double>(), kSlice);
  EXPECT_NEAR(*cr.deviation_mm, -a.truth["imn"]["l4_gap_mm"].get<double>(), 1e-6);  // the gap to CTVn_L4, exactly
  EXPECT_EQ(cr.status, CheckStatus::Fail);
  EXPECT_EQ(g.overall, CheckStatus::Fail);
}

TEST(PhantomAudit, NarrowMarginIsTwoMillimetresAndFailsEstro) {
  const Audited a = audit_phantom(3, "narrow-margin");
  const GuidelineAudit& g = find_guideline(a.result, "estro-2015");
  for (const Direction d : {Direction::Medial, Direction::Lateral}) {
    const MarginCheck& m = margin(g, d);
    ASSERT_TRUE(m.clinical_median_mm) << describe(g);
    EXPECT_NEAR(*m.clinical_median_mm, 2.0, 0.5) << to_string(d) << "\n" << describe(g);
    EXPECT_NEAR(*m.deviation_median_mm, a.truth["imn"]["deviations"]["vs_estro"]["margin_mm"][std::string(to_string(d))].get<double>(), 0.5)
        << describe(g);
    EXPECT_EQ(m.status, CheckStatus::Fail) << describe(g);
  }
  EXPECT_EQ(g.overall, CheckStatus::Fail);
}

TEST(PhantomAudit, WideMedialSpillsIntoTheSternum) {
  const Audited a = audit_phantom(4, "wide-medial");
  const GuidelineAudit& g = find_guideline(a.result, "estro-2015");
  const OrganOverlap& st = overlap(g, "sternum");
  ASSERT_TRUE(st.overlap_cc) << st.reason;
  const double want = a.truth["imn"]["sternum_overlap_cc"].get<double>();
  EXPECT_GT(want, st.pass_cc);  // planted: well beyond contouring noise
  EXPECT_NEAR(*st.overlap_cc, want, 0.002) << describe(g);  // truth rounded to 0.001 cc
  EXPECT_EQ(st.status, want <= st.warn_cc ? CheckStatus::Warn : CheckStatus::Fail);
  // The ESTRO reading itself stays (nearly) out of the sternum.
  EXPECT_LE(a.truth["imn"]["estro_sternum_overlap_cc"].get<double>(), st.pass_cc);
  EXPECT_EQ(st.roi_name, "Sternum");
  const MarginCheck& m = margin(g, Direction::Medial);
  ASSERT_TRUE(m.deviation_median_mm) << describe(g);
  EXPECT_NEAR(*m.deviation_median_mm, 10.0, 0.5) << describe(g);
  EXPECT_EQ(m.status, CheckStatus::Fail);
  EXPECT_NEAR(*margin(g, Direction::Lateral).deviation_median_mm, 0.0, 0.05) << describe(g);
}

TEST(PhantomAudit, HeartCloseOverlapsTheHeartAsPlanted) {
  const Audited a = audit_phantom(5, "heart-close");
  const GuidelineAudit& g = find_guideline(a.result, "estro-2015");
  const OrganOverlap& h = overlap(g, "heart");
  ASSERT_TRUE(h.overlap_cc) << h.reason;
  EXPECT_NEAR(*h.overlap_cc, a.truth["imn"]["heart_overlap_cc"].get<double>(), 0.002) << describe(g);
  EXPECT_EQ(h.roi_name, "Heart");
  // Swept 10 mm dorsally, then clipped by the lung and the heart.
  const MarginCheck& d = margin(g, Direction::Dorsal);
  ASSERT_TRUE(d.deviation_median_mm) << describe(g);
  EXPECT_GE(*d.deviation_median_mm, -0.05) << describe(g);
}

TEST(PhantomAudit, NoLandmarksIsNotEvaluableWithReasonsAndNoCrash) {
  const Audited a = audit_phantom(1, "no-landmarks");
  ASSERT_EQ(a.result.guidelines.size(), 3u);
  EXPECT_EQ(a.result.clinical_roi_name, "CTVn_IMN_L");
  for (const auto& g : a.result.guidelines) {
    EXPECT_FALSE(g.reference.evaluable()) << g.guideline_id;
    EXPECT_TRUE(any_contains(g.reference.not_evaluable, "no IM vein contour")) << joined(g.reference.not_evaluable);
    EXPECT_EQ(g.overall, CheckStatus::NotEvaluable) << describe(g);
    const LevelCheck& ca = level(g, Border::Caudal);
    EXPECT_EQ(ca.status, CheckStatus::NotEvaluable);
    EXPECT_NE(ca.reason.find("rib"), std::string::npos) << ca.reason;
    for (const auto& m : g.margins) {
      EXPECT_EQ(m.status, CheckStatus::NotEvaluable);
      EXPECT_FALSE(m.reason.empty());
    }
    EXPECT_TRUE(g.vein_coverage.empty());
    EXPECT_TRUE(any_contains(g.notes, "no intercostal space was found")) << joined(g.notes);
    const OrganOverlap& st = overlap(g, "sternum");
    EXPECT_EQ(st.status, CheckStatus::NotEvaluable);
    EXPECT_NE(st.reason.find("sternum"), std::string::npos);
    EXPECT_FALSE(g.comparison.overlap);
    EXPECT_FALSE(g.comparison.reason.empty());
  }
}

TEST(PhantomAudit, RightSideIsEstroMirrored) {
  const Audited right = audit_phantom(2, "right-side");
  const Audited left = audit_phantom(2, "estro");
  EXPECT_EQ(right.result.clinical_roi_name, "CTVn_IMN_R");
  ASSERT_TRUE(right.result.landmarks.treated.side);
  EXPECT_EQ(*right.result.landmarks.treated.side, anatomy::Side::Right);
  const GuidelineAudit& r = find_guideline(right.result, "estro-2015");
  const GuidelineAudit& l = find_guideline(left.result, "estro-2015");
  expect_all_graded_pass(r);
  for (const Direction d : {Direction::Medial, Direction::Lateral, Direction::Ventral, Direction::Dorsal}) {
    ASSERT_TRUE(margin(r, d).clinical_median_mm) << describe(r);
    EXPECT_NEAR(*margin(r, d).clinical_median_mm, *margin(l, d).clinical_median_mm, 0.05) << to_string(d);
  }
  EXPECT_NEAR(*level(r, Border::Caudal).deviation_mm, *level(l, Border::Caudal).deviation_mm, 1e-9);
  EXPECT_NEAR(*r.comparison.overlap->dice, *l.comparison.overlap->dice, 0.005);
  EXPECT_NEAR(*overlap(r, "sternum").overlap_cc, *overlap(l, "sternum").overlap_cc, 0.01);
}

}  // namespace
}  // namespace rtaudit::audit
