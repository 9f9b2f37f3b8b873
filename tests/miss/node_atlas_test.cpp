// The IMN node atlas (rtaudit/miss/node_atlas.hpp): the committed files, the generator's shares and
// distance CDF, mapping into a synthetic patient built in code (five ICS bands, a circular IM vein),
// coverage of vein-plus-margin CTVs against the published 5 / 6 / 7 mm figures, and the phantom.

#include "rtaudit/miss/node_atlas.hpp"

#include "rtaudit/anatomy/landmarks.hpp"
#include "rtaudit/geom/region_ops.hpp"
#include "rtaudit/phantom/phantom.hpp"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <numbers>
#include <sstream>
#include <string>

namespace rtaudit::miss {
namespace {

const std::string kDir = std::string(RTAUDIT_SOURCE_DIR) + "/atlases/imn-nodes";

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const AtlasParameters& params() {
  static const AtlasParameters p = [] {
    const AtlasParametersLoad l = load_atlas_parameters(kDir + "/parameters.xml");
    if (!l.parameters) throw std::runtime_error(l.error);
    return *l.parameters;
  }();
  return p;
}

const std::vector<AtlasNode>& atlas() {
  static const std::vector<AtlasNode> nodes = generate_atlas(params());
  return nodes;
}

// ---------------------------------------------------------------------------------------------------
// The synthetic patient: left side, rib n from z = -35 (n - 1) down 15 mm, so ICS n runs 20 mm from
// -(35 n - 20) to -35 n; an IM vein of radius 2.5 mm at (30, 0) on 2.5 mm planes from ICS1's top to
// ICS5's bottom. `ribs` contoured ribs give ICS1 to ICS(ribs - 1).

constexpr double kVeinX = 30, kVeinY = 0, kVeinR = 2.5, kSlab = 2.5;
constexpr int kCircle = 360;  // vertices per circle: the polygon's radius error is r(1 - cos(pi/360)) < 0.01 um

anatomy::Landmarks synthetic_landmarks(int ribs = 6) {
  anatomy::Landmarks lm;
  lm.treated.side = anatomy::Side::Left;
  for (int n = 1; n <= 6; ++n) {
    const double top = -(35.0 * n - 35.0), bottom = top - 15;  // rib n: [top - 15, top], top of rib1 at 0
    anatomy::Level cranial{fmt::format("rib{}.medial.cranial", n), top, "built in the test", "", {}};
    anatomy::Level caudal{fmt::format("rib{}.medial.caudal", n), bottom, "built in the test", "", {}};
    if (n > ribs) {
      cranial.z_mm.reset();
      cranial.not_evaluable = fmt::format("no ROI bound to the left rib {} (rib{})", n, n);
      caudal.z_mm.reset();
      caudal.not_evaluable = cranial.not_evaluable;
    }
    lm.levels[cranial.name] = cranial;
    lm.levels[caudal.name] = caudal;
  }
  for (int n = 1; n < ribs; ++n) lm.ics.push_back({n, -(35.0 * n - 20.0), -(35.0 * n)});  // 20 mm high
  return lm;
}

std::vector<double> planes(double from, double to) {
  std::vector<double> zs;
  for (double z = from; z <= to + 1e-9; z += kSlab) zs.push_back(z);
  return zs;
}

geom::Structure stack(const geom::MultiPolygon& region, const std::vector<double>& zs) {
  geom::Structure s;
  s.slab_mm = kSlab;
  for (const double z : zs) s.planes.push_back({z, region, geom::ops::area(region), {}});
  return s;
}

geom::MultiPolygon vein_disc() { return geom::ops::ellipse(kVeinX, kVeinY, kVeinR, kVeinR, kCircle); }
geom::Structure synthetic_vein() { return stack(vein_disc(), planes(-175, -15)); }

std::map<int, double> shares_of(const std::vector<AtlasNode>& nodes) {
  std::map<int, double> s;
  for (const auto& n : nodes) s[n.ics] += 1.0 / static_cast<double>(nodes.size());
  return s;
}

// ---------------------------------------------------------------------------------------------------

TEST(NodeAtlasFiles, ParametersLoadWithEverySource) {
  const AtlasParameters& p = params();
  EXPECT_EQ(p.id, "imn-nodes");
  EXPECT_EQ(p.node_count, 10000);
  ASSERT_EQ(p.primary.shares.size(), 5u);
  EXPECT_DOUBLE_EQ(p.primary.shares[0].second, 0.404);
  EXPECT_EQ(p.alternatives.size(), 2u);
  EXPECT_EQ(p.wall_distance_cdf.front(), (std::pair{0.0, 0.0}));
  EXPECT_EQ(p.wall_distance_cdf.back(), (std::pair{18.0, 1.0}));
  EXPECT_NE(p.angle_source.find("assumption"), std::string::npos);
  EXPECT_NE(p.position_source.find("assumption"), std::string::npos);
  EXPECT_GE(p.sources.size(), 5u);
}

TEST(NodeAtlasFiles, GenerationIsDeterministicAndTheCommittedCsvIsItsOutput) {
  const std::vector<AtlasNode> again = generate_atlas(params());
  const std::string csv = atlas_to_csv(atlas(), params());
  EXPECT_EQ(csv, atlas_to_csv(again, params()));
  EXPECT_TRUE(csv == read_text(kDir + "/nodes.csv"))
      << "atlases/imn-nodes/nodes.csv is stale: rtaudit atlas generate atlases/imn-nodes/parameters.xml "
         "atlases/imn-nodes/nodes.csv";
  const AtlasRead back = parse_atlas_csv(csv);
  ASSERT_TRUE(back.problems.empty()) << back.problems.front();
  ASSERT_EQ(back.nodes.size(), atlas().size());
  for (std::size_t i = 0; i < atlas().size(); i += 997) {
    EXPECT_EQ(back.nodes[i].ics, atlas()[i].ics);
    EXPECT_NEAR(back.nodes[i].wall_distance_mm, atlas()[i].wall_distance_mm, 5e-7);
  }
}

TEST(NodeAtlasFiles, MalformedInputsAreReportedWithTheirLine) {
  const AtlasRead bad = parse_atlas_csv("# c\nid,ics,t,angle_deg,wall_distance_mm\n1,1,0.5,0,3\n2,x,0.5,0,3\n3,1,0.5\n");
  EXPECT_EQ(bad.nodes.size(), 1u);
  ASSERT_EQ(bad.problems.size(), 2u);
  EXPECT_EQ(bad.problems[0].rfind("line 4:", 0), 0u) << bad.problems[0];
  EXPECT_EQ(bad.problems[1].rfind("line 5:", 0), 0u) << bad.problems[1];

  const std::string path = ::testing::TempDir() + "/bad-parameters.xml";
  std::string xml = read_text(kDir + "/parameters.xml");
  const std::string cited = "percent=\"30.2\" source=\"wangx2019\"";
  xml.replace(xml.find(cited), cited.size(), "percent=\"30.2\"");  // a share without its source
  std::ofstream(path, std::ios::binary) << xml;
  const AtlasParametersLoad l = load_atlas_parameters(path);
  ASSERT_FALSE(l.parameters);
  EXPECT_NE(l.error.find(path + ":"), std::string::npos) << l.error;
  EXPECT_NE(l.error.find("source or assumption"), std::string::npos) << l.error;
}

TEST(NodeAtlasGeneration, PerIcsSharesAreThePrimarySharesToOneNode) {
  const auto shares = shares_of(atlas());
  ASSERT_EQ(atlas().size(), 10000u);
  for (const auto& [ics, share] : params().primary.shares) {
    EXPECT_NEAR(shares.at(ics), share, 1.0 / 10000 + 1e-12) << "ICS" << ics;
  }
}

TEST(NodeAtlasGeneration, WallDistanceCdfReproducesTheKnots) {
  for (const auto& [mm, fraction] : params().wall_distance_cdf) {
    double below = 0;
    for (const auto& n : atlas()) below += n.wall_distance_mm <= mm ? 1 : 0;
    EXPECT_NEAR(below / static_cast<double>(atlas().size()), fraction, 0.005) << mm << " mm";
  }
  // Every ICS sees the whole distribution (contiguous Halton blocks), even ICS5's 70 nodes.
  std::map<int, std::pair<double, double>> at5;  // ICS -> (nodes within 5 mm, nodes)
  for (const auto& n : atlas()) {
    at5[n.ics].first += n.wall_distance_mm <= 5 ? 1 : 0;
    at5[n.ics].second += 1;
  }
  for (const auto& [ics, c] : at5) EXPECT_NEAR(c.first / c.second, 0.759, ics == 5 ? 0.03 : 0.01) << "ICS" << ics;
}

TEST(NodeAtlasGeneration, AnglesAndPositionsFollowTheAssumptions) {
  double lateral = 0;
  for (const auto& n : atlas()) {
    const double off_horizontal = std::abs(n.angle_deg) <= 90 ? std::abs(n.angle_deg) : 180 - std::abs(n.angle_deg);
    EXPECT_LE(off_horizontal, 30 + 1e-9) << n.id;
    EXPECT_GE(n.t, 0);
    EXPECT_LT(n.t, 1);
    lateral += std::abs(n.angle_deg) < 90 ? 1 : 0;
  }
  EXPECT_NEAR(lateral / static_cast<double>(atlas().size()), 0.5, 0.002);
}

// The check the parameters file states for the angle assumption: the share within 6 mm ventral/dorsal
// of the wall of a 2.5 mm vein (published: nearly 95%).
TEST(NodeAtlasGeneration, VentralDorsalSpreadUnderTheAngleAssumption) {
  double within = 0;
  for (const auto& n : atlas()) {
    const double dy = (kVeinR + n.wall_distance_mm) * std::abs(std::sin(n.angle_deg * std::numbers::pi / 180));
    within += dy - kVeinR <= 6 ? 1 : 0;
  }
  const double share = within / static_cast<double>(atlas().size());
  EXPECT_GE(share, 0.95);
  EXPECT_NEAR(share, 0.998, 0.002);
}

TEST(NodeAtlasMapping, NodesLieAtTheirDistanceFromTheVeinWallInTheirBand) {
  const anatomy::Landmarks lm = synthetic_landmarks();
  const AtlasMapping m = map_atlas(atlas(), lm, synthetic_vein());
  ASSERT_TRUE(m.not_evaluable.empty()) << m.not_evaluable;
  EXPECT_EQ(m.mapped, atlas().size());
  EXPECT_EQ(m.unmapped, 0u);
  for (const auto& mn : m.nodes) {
    ASSERT_TRUE(mn.position) << mn.not_mapped;
    const auto& band = lm.ics[static_cast<std::size_t>(mn.node.ics - 1)];
    EXPECT_NEAR(mn.position->z, band.cranial_z_mm - mn.node.t * band.height_mm(), 1e-9);
    const double r = std::hypot(mn.position->x - kVeinX, mn.position->y - kVeinY);
    EXPECT_NEAR(r - kVeinR, mn.node.wall_distance_mm, 1e-3) << mn.node.id;
    // Lateral is +x on the left: angle 0 points away from the midline.
    if (std::abs(mn.node.angle_deg) < 90) {
      EXPECT_GT(mn.position->x, kVeinX + kVeinR * std::cos(std::numbers::pi / 6) - 1e-9);
    }
  }
  // Mirrored on the right: the same node lies medial (towards x = 0) of a vein at x = +30.
  anatomy::Landmarks right = lm;
  right.treated.side = anatomy::Side::Right;
  const AtlasMapping mr = map_atlas({atlas().front()}, right, synthetic_vein());
  ASSERT_TRUE(mr.nodes.front().position);
  EXPECT_NEAR(mr.nodes.front().position->x - kVeinX, -(m.nodes.front().position->x - kVeinX), 1e-9);
}

class MarginCoverage : public ::testing::TestWithParam<std::pair<double, double>> {};

// The key acceptance test: a CTV = the vein dilated in-plane by 5 / 6 / 7 mm covers the share of the
// atlas that Wang Y 2019 found for those margins.
TEST_P(MarginCoverage, VeinPlusMarginCoversThePublishedShare) {
  const auto [margin, published] = GetParam();
  const AtlasMapping m = map_atlas(atlas(), synthetic_landmarks(), synthetic_vein());
  const geom::Structure ctv = stack(geom::ops::buffer(vein_disc(), margin, kCircle), planes(-175, -15));
  const AtlasCoverage c = atlas_coverage(m, ctv, params());
  ASSERT_TRUE(c.not_evaluable.empty()) << c.not_evaluable;
  ASSERT_TRUE(c.covered_share);
  EXPECT_NEAR(*c.covered_share, published, 0.02) << margin << " mm";
  EXPECT_NEAR(static_cast<double>(c.covered) / static_cast<double>(c.nodes), published, 0.02);
  RecordProperty(fmt::format("covered_{}mm", margin), fmt::format("{:.2f}", 100 * *c.covered_share));
  std::cout << fmt::format("[          ] vein + {} mm covers {:.2f}% of the atlas (published {:.1f}%)\n", margin,
                           100 * *c.covered_share, 100 * published);
  ASSERT_TRUE(c.uncovered.value);
  EXPECT_LE(c.uncovered.lo, *c.uncovered.value);
  EXPECT_LE(*c.uncovered.value, c.uncovered.hi);
  EXPECT_NEAR(*c.uncovered.value, 1 - *c.covered_share, 1e-12);
}

INSTANTIATE_TEST_SUITE_P(WangY2019, MarginCoverage,
                         ::testing::Values(std::pair{5.0, 0.759}, std::pair{6.0, 0.892}, std::pair{7.0, 0.923}));

TEST(NodeAtlasCoverage, CtvOfIcs1To3GivesThePerIcsPictureAndTheRange) {
  const anatomy::Landmarks lm = synthetic_landmarks();
  const AtlasMapping m = map_atlas(atlas(), lm, synthetic_vein());
  // A box holding every node of ICS1-3 (within 18 + 2.5 mm of the vein centre), its caudal slab edge
  // on ICS3's caudal limit (-105), well above ICS4 (from -120 down).
  const geom::MultiPolygon box = geom::ops::box(kVeinX - 25, kVeinY - 25, kVeinX + 25, kVeinY + 25);
  const geom::Structure ctv = stack(box, planes(-103.75, -13.75));
  ASSERT_NEAR(geom::bounding_box(ctv)->min.z, -105, 1e-9);
  const AtlasCoverage c = atlas_coverage(m, ctv, params());
  ASSERT_EQ(c.per_ics.size(), 5u);
  for (const auto& e : c.per_ics) {
    ASSERT_TRUE(e.covered_share) << "ICS" << e.ics;
    EXPECT_DOUBLE_EQ(*e.covered_share, e.ics <= 3 ? 1.0 : 0.0) << "ICS" << e.ics;
  }
  ASSERT_TRUE(c.uncovered.value);
  EXPECT_NEAR(*c.uncovered.value, 0.051, 1e-9);
  // Sachdev: nothing below ICS3; Chen: 1.2378 + 0.1969 % (its unreported remainder, assumption).
  EXPECT_NEAR(c.uncovered.lo, 0.0, 1e-9);
  EXPECT_NEAR(c.uncovered.hi, 0.051, 1e-9);
  EXPECT_LE(c.uncovered.lo, *c.uncovered.value);
  EXPECT_LE(*c.uncovered.value, c.uncovered.hi);
}

TEST(NodeAtlasMapping, IcsWithoutBandIsUnmappedWithTheReason) {
  const anatomy::Landmarks lm = synthetic_landmarks(4);  // ribs 5 and 6 not contoured: ICS4-5 missing
  const AtlasMapping m = map_atlas(atlas(), lm, synthetic_vein());
  ASSERT_TRUE(m.not_evaluable.empty());
  EXPECT_EQ(m.unmapped, 440u + 70u);
  EXPECT_EQ(m.mapped, atlas().size() - 510u);
  std::string notes;
  for (const auto& n : m.notes) notes += n + "\n";
  EXPECT_NE(notes.find("440 nodes of ICS4 not mapped: ICS4 not found (rib5.medial.cranial not evaluable"), std::string::npos)
      << notes;
  EXPECT_NE(notes.find("70 nodes of ICS5 not mapped: ICS5 not found"), std::string::npos) << notes;

  // ICS4-5 unmapped: the primary distribution counts them uncovered, and says so.
  const geom::Structure ctv = stack(geom::ops::buffer(vein_disc(), 30, 72), planes(-175, -15));
  const AtlasCoverage c = atlas_coverage(m, ctv, params());
  EXPECT_NEAR(*c.uncovered.value, 0.051, 1e-9);
  std::string cnotes;
  for (const auto& n : c.notes) cnotes += n + "\n";
  EXPECT_NE(cnotes.find("ICS4 (4.4% of nodes"), std::string::npos) << cnotes;
}

TEST(NodeAtlasMapping, VeinThatStopsEarlyLeavesTheLowerNodesUnmapped) {
  const AtlasMapping m = map_atlas(atlas(), synthetic_landmarks(), stack(vein_disc(), planes(-100, -15)));
  EXPECT_GT(m.unmapped, 440u + 70u);  // all of ICS4-5 and the lower part of ICS3
  std::string notes;
  for (const auto& n : m.notes) notes += n + "\n";
  EXPECT_NE(notes.find("ICS3 not mapped: no IM vein plane"), std::string::npos) << notes;
}

TEST(NodeAtlasMapping, NoVeinNoSideOrNoIcsIsNotEvaluable) {
  const AtlasMapping none = map_atlas(atlas(), synthetic_landmarks(), geom::Structure{});
  EXPECT_NE(none.not_evaluable.find("no IM vein"), std::string::npos) << none.not_evaluable;
  EXPECT_EQ(none.mapped, 0u);
  EXPECT_EQ(none.unmapped, atlas().size());
  const AtlasCoverage c = atlas_coverage(none, synthetic_vein(), params());
  EXPECT_FALSE(c.not_evaluable.empty());
  EXPECT_FALSE(c.covered_share);

  anatomy::Landmarks no_side = synthetic_landmarks();
  no_side.treated.side.reset();
  EXPECT_NE(map_atlas(atlas(), no_side, synthetic_vein()).not_evaluable.find("no treated side"), std::string::npos);
  anatomy::Landmarks no_ics = synthetic_landmarks();
  no_ics.ics.clear();
  EXPECT_NE(map_atlas(atlas(), no_ics, synthetic_vein()).not_evaluable.find("no intercostal space"), std::string::npos);
}

// End to end on the synthetic phantom (ribs 1-6 contoured, ESTRO-like clinical CTVn_IMN).
TEST(NodeAtlasPhantom, AtlasMapsAndTheClinicalCtvCoversAPlausibleShare) {
  const auto table = anatomy::load_name_table(std::string(RTAUDIT_SOURCE_DIR) + "/rules/names.xml");
  ASSERT_TRUE(table.table);
  const auto thorax = phantom::load_thorax_atlas(std::string(RTAUDIT_SOURCE_DIR) + "/atlases/phantom/thorax.xml");
  ASSERT_TRUE(thorax.atlas);
  for (const auto side : {phantom::Side::Left, phantom::Side::Right}) {
    phantom::PhantomOptions o;
    o.seed = 1;
    o.side = side;
    const phantom::PhantomCase pc = phantom::make_phantom(*thorax.atlas, o);
    geom::BuildOptions b;
    b.fallback_slab_mm = 2.5;
    const auto map = anatomy::bind_structures(pc.structures, anatomy::assign_roles(*table.table, pc.structures, {}), b);
    const anatomy::Landmarks lm = anatomy::find_landmarks(map, anatomy::find_treated_side(map));
    ASSERT_TRUE(lm.treated.side);
    const auto* vein = anatomy::find_structure(map, "im_vein", *lm.treated.side);
    const auto* ctv = anatomy::find_structure(map, "ctvn_imn", *lm.treated.side);
    ASSERT_TRUE(vein && ctv);
    const AtlasMapping m = map_atlas(atlas(), lm, vein->structure);
    ASSERT_TRUE(m.not_evaluable.empty()) << m.not_evaluable;
    EXPECT_GT(static_cast<double>(m.mapped), 0.95 * static_cast<double>(atlas().size()))
        << (m.notes.empty() ? "" : m.notes.front());
    const AtlasCoverage c = atlas_coverage(m, ctv->structure, params());
    ASSERT_TRUE(c.covered_share) << c.not_evaluable;
    std::cout << fmt::format("[          ] phantom seed 1 {}: {} of {} mapped, CTVn_IMN covers {:.1f}% (uncovered {:.1f}% [{:.1f}, {:.1f}])\n",
                             side == phantom::Side::Left ? "left" : "right", m.mapped, m.nodes.size(),
                             100 * *c.covered_share, 100 * *c.uncovered.value, 100 * c.uncovered.lo, 100 * c.uncovered.hi);
    EXPECT_GT(*c.covered_share, 0.40);
    EXPECT_LT(*c.covered_share, 1.00);
    EXPECT_LE(c.uncovered.lo, *c.uncovered.value);
    EXPECT_LE(*c.uncovered.value, c.uncovered.hi);
  }
}

}  // namespace
}  // namespace rtaudit::miss
