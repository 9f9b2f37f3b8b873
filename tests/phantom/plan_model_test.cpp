#include "rtaudit/phantom/plan_model.hpp"

#include "tests/phantom/plan_phantom.hpp"
#include "rtaudit/phantom/dose_model.hpp"
#include "rtaudit/plan/beam_geometry.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace rtaudit::phantom {
namespace {

PlanInputs inputs_for(const test::PlanPhantom& p, Side side, bool nodal) {
  PlanInputs in;
  in.side = side;
  in.breast_ptv = &p.breast_ptv;
  in.nodal_ptv = nodal ? &p.nodal_ptv : nullptr;
  in.body = &p.body;
  in.sop_instance_uid = "1.2.3.4";
  in.series_uid = "1.2.3.5";
  in.referenced_structure_set_uid = "1.2.3.6";
  return in;
}

const Beam& beam_named(const Plan& plan, const std::string& name) {
  for (const Beam& b : plan.beams)
    if (b.name == name) return b;
  throw std::runtime_error("no beam " + name);
}

Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}
Vec3 sub(const Vec3& a, const Vec3& b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
double dot(const Vec3& a, const Vec3& b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
Vec3 unit(const Vec3& a) {
  const double l = std::sqrt(dot(a, a));
  return {a.x / l, a.y / l, a.z / l};
}

// The posterior X jaw edge of a tangent as a plane through the source: (point, unit normal).
std::pair<Vec3, Vec3> posterior_edge_plane(const Beam& b) {
  const BeamFrame f = beam_frame(b);
  const Vec3 e1 = bev_to_patient(f, {b.x1_mm, 0, f.sad_mm});
  const Vec3 e2 = bev_to_patient(f, {b.x2_mm, 0, f.sad_mm});
  const double x = e1.y > e2.y ? b.x1_mm : b.x2_mm;  // +y is posterior
  const Vec3 p1 = bev_to_patient(f, {x, b.y1_mm, f.sad_mm});
  const Vec3 p2 = bev_to_patient(f, {x, b.y2_mm, f.sad_mm});
  return {f.source, unit(cross(sub(p1, f.source), sub(p2, f.source)))};
}

// Every contour vertex of the structure at both slab caps (z clipped to [zmin, zmax]).
std::vector<Vec3> cap_vertices(const geom::Structure& s, double zmin = -1e9, double zmax = 1e9) {
  std::vector<Vec3> out;
  for (const geom::Plane& p : s.planes) {
    const double z0 = std::max(p.z_mm - s.slab_mm / 2, zmin), z1 = std::min(p.z_mm + s.slab_mm / 2, zmax);
    if (z1 <= z0) continue;
    for (const geom::Polygon& poly : p.region)
      for (const geom::Point2& q : poly.outer()) {
        out.push_back({q.x(), q.y(), z0});
        out.push_back({q.x(), q.y(), z1});
      }
  }
  return out;
}

class PlanModelSides : public ::testing::TestWithParam<Side> {};

TEST_P(PlanModelSides, TangentGantryAnglesFollowTheChestWall) {
  const Side side = GetParam();
  const auto phantom = test::make_plan_phantom(side);
  for (bool nodal : {false, true}) {
    const Plan plan = make_breast_plan(inputs_for(phantom, side, nodal));
    const double med = beam_named(plan, "MED TANG").gantry_deg;
    const double lat = beam_named(plan, "LAT TANG").gantry_deg;
    if (side == Side::Left) {
      EXPECT_GT(med, 285);
      EXPECT_LT(med, 325);
      EXPECT_GT(lat, 105);
      EXPECT_LT(lat, 145);
    } else {
      EXPECT_GT(med, 35);
      EXPECT_LT(med, 75);
      EXPECT_GT(lat, 215);
      EXPECT_LT(lat, 255);
    }
    // Not parallel-opposed: the pair differs from 180 deg by twice the divergence angle (a few deg).
    const double sep = std::fmod(std::abs(med - lat), 360.0);
    EXPECT_GT(std::abs(sep - 180), 1.0);
    EXPECT_LT(std::abs(sep - 180), 15.0);
  }
}

TEST_P(PlanModelSides, TangentsPosteriorEdgesAreCoplanar) {
  const Side side = GetParam();
  const auto phantom = test::make_plan_phantom(side);
  for (bool nodal : {false, true}) {
    const Plan plan = make_breast_plan(inputs_for(phantom, side, nodal));
    const auto [pm, nm] = posterior_edge_plane(beam_named(plan, "MED TANG"));
    const auto [pl, nl] = posterior_edge_plane(beam_named(plan, "LAT TANG"));
    const double angle = std::acos(std::min(1.0, std::abs(dot(nm, nl)))) * 180 / std::numbers::pi;
    EXPECT_LT(angle, 1.0);
    EXPECT_LT(angle, 1e-4);  // exact by construction, up to rounding
    // Each source lies on the other beam's edge plane: one plane, not two parallel ones.
    EXPECT_NEAR(dot(sub(pl, pm), nm), 0, 1e-6);
    // The plane runs behind the breast PTV: every PTV vertex is on the anterior (open) side.
    const double sign = nm.y > 0 ? 1 : -1;  // orient the normal posterior
    for (const Vec3& v : cap_vertices(phantom.breast_ptv)) EXPECT_LT(sign * dot(sub(v, pm), nm), 0);
  }
}

TEST_P(PlanModelSides, JawsEncloseTheTargetProjectionWithTheMargin) {
  const Side side = GetParam();
  const auto phantom = test::make_plan_phantom(side, false);
  const PlanInputs in = inputs_for(phantom, side, false);
  const Plan plan = make_breast_plan(in);
  ASSERT_EQ(plan.beams.size(), 2u);
  for (const Beam& b : plan.beams) {
    const BeamFrame f = beam_frame(b);
    for (const Vec3& v : cap_vertices(phantom.breast_ptv)) {
      const BevPoint p = project_to_bev(f, v);
      EXPECT_GE(p.x_mm - b.x1_mm, in.margin_mm - 1e-6);
      EXPECT_GE(b.x2_mm - p.x_mm, in.margin_mm - 1e-6);
      EXPECT_GE(p.y_mm - b.y1_mm, in.margin_mm - 1e-6);
      EXPECT_GE(b.y2_mm - p.y_mm, in.margin_mm - 1e-6);
      // The MLC opening too (square margin around the projection).
      for (double dx : {-1.0, 1.0})
        for (double dy : {-1.0, 1.0})
          EXPECT_TRUE(in_aperture(b, p.x_mm + dx * (in.margin_mm - 0.01), p.y_mm + dy * (in.margin_mm - 0.01)))
              << b.name << " at " << p.x_mm << ", " << p.y_mm;
    }
    // Anterior flash: the anterior jaw is at least flash beyond the target.
    double xmin = 1e9, xmax = -1e9;
    for (const Vec3& v : cap_vertices(phantom.breast_ptv)) {
      const BevPoint p = project_to_bev(f, v);
      xmin = std::min(xmin, p.x_mm);
      xmax = std::max(xmax, p.x_mm);
    }
    EXPECT_TRUE(std::abs(xmin - b.x1_mm - in.flash_mm) < 1e-6 || std::abs(b.x2_mm - xmax - in.flash_mm) < 1e-6);
  }
}

TEST_P(PlanModelSides, EveryMlcLeafIsInsideTheJaws) {
  const Side side = GetParam();
  const auto phantom = test::make_plan_phantom(side);
  for (bool nodal : {false, true}) {
    const Plan plan = make_breast_plan(inputs_for(phantom, side, nodal));
    for (const Beam& b : plan.beams) {
      ASSERT_TRUE(b.mlc.has_value());
      const MlcAperture& m = *b.mlc;
      EXPECT_EQ(m.device, "MLCX");
      ASSERT_EQ(m.leaf_boundaries_mm.size(), 61u);
      ASSERT_EQ(m.bank_a_mm.size(), 60u);
      ASSERT_EQ(m.bank_b_mm.size(), 60u);
      int open = 0;
      for (std::size_t i = 0; i < 60; ++i) {
        EXPECT_GE(m.bank_a_mm[i], b.x1_mm);
        EXPECT_LE(m.bank_a_mm[i], m.bank_b_mm[i]);
        EXPECT_LE(m.bank_b_mm[i], b.x2_mm);
        if (m.bank_b_mm[i] > m.bank_a_mm[i]) ++open;
      }
      EXPECT_GT(open, 5) << b.name;
      EXPECT_LE(b.x1_mm, b.x2_mm);
      EXPECT_LE(b.y1_mm, b.y2_mm);
      EXPECT_GE(b.x1_mm, -200);
      EXPECT_LE(b.y2_mm, 200);
    }
  }
}

TEST_P(PlanModelSides, NodalBeamMatchesTheTangentsAtOneIsocentre) {
  const Side side = GetParam();
  const auto phantom = test::make_plan_phantom(side);
  const PlanInputs in = inputs_for(phantom, side, true);
  const Plan plan = make_breast_plan(in);
  ASSERT_EQ(plan.beams.size(), 3u);
  const Beam& nodal = beam_named(plan, "NODAL");
  EXPECT_DOUBLE_EQ(nodal.gantry_deg, side == Side::Left ? 350.0 : 10.0);
  EXPECT_DOUBLE_EQ(nodal.y1_mm, 0);
  EXPECT_DOUBLE_EQ(beam_named(plan, "MED TANG").y2_mm, 0);
  EXPECT_DOUBLE_EQ(beam_named(plan, "LAT TANG").y2_mm, 0);
  for (const Beam& b : plan.beams) EXPECT_EQ(b.isocentre_mm, nodal.isocentre_mm);
  // Match plane: breast PTV superior edge (61.25) + margin.
  EXPECT_NEAR(nodal.isocentre_mm.z, 61.25 + in.margin_mm, 1e-9);
  // The nodal target above the match plane is inside the nodal aperture.
  const BeamFrame f = beam_frame(nodal);
  for (const Vec3& v : cap_vertices(phantom.nodal_ptv, nodal.isocentre_mm.z + 0.5)) {
    const BevPoint p = project_to_bev(f, v);
    EXPECT_TRUE(in_aperture(nodal, p.x_mm, p.y_mm)) << v.x << " " << v.y << " " << v.z;
  }
  // The IMN part below the match plane is inside both tangents' apertures.
  for (const char* name : {"MED TANG", "LAT TANG"}) {
    const Beam& t = beam_named(plan, name);
    const BeamFrame ft = beam_frame(t);
    for (const Vec3& v : cap_vertices(phantom.nodal_ptv, -1e9, nodal.isocentre_mm.z - 0.5)) {
      const BevPoint p = project_to_bev(ft, v);
      EXPECT_TRUE(in_aperture(t, p.x_mm, p.y_mm)) << name << " " << v.x << " " << v.y << " " << v.z;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(BothSides, PlanModelSides, ::testing::Values(Side::Left, Side::Right),
                         [](const auto& param_info) { return param_info.param == Side::Left ? "Left" : "Right"; });

TEST(PlanModel, CopiesIdentificationAndPrescription) {
  const auto phantom = test::make_plan_phantom();
  PlanInputs in = inputs_for(phantom, Side::Left, true);
  in.prescription_gy = 42.5;
  in.fractions = 16;
  in.label = "L BREAST";
  const Plan plan = make_breast_plan(in);
  EXPECT_EQ(plan.sop_instance_uid, "1.2.3.4");
  EXPECT_EQ(plan.series_uid, "1.2.3.5");
  EXPECT_EQ(plan.referenced_structure_set_uid, "1.2.3.6");
  EXPECT_EQ(plan.label, "L BREAST");
  EXPECT_DOUBLE_EQ(plan.prescription_gy, 42.5);
  EXPECT_EQ(plan.fractions, 16);
  for (const Beam& b : plan.beams) {
    ASSERT_TRUE(b.beam_dose_gy.has_value());
    ASSERT_TRUE(b.dose_specification_point_mm.has_value());
    EXPECT_NEAR(*b.beam_dose_gy * plan.fractions, b.weight * plan.prescription_gy, 1e-9);
    EXPECT_GT(b.monitor_units, 50);
    EXPECT_LT(b.monitor_units, 600);
    EXPECT_EQ(b.radiation_type, "PHOTON");
  }
  // Numbers are 1, 2, 3.
  for (std::size_t i = 0; i < plan.beams.size(); ++i) EXPECT_EQ(plan.beams[i].number, static_cast<int>(i) + 1);
}

TEST(PlanModel, IsocentreAtTheBreastCentroidWithoutNodalBeam) {
  const auto phantom = test::make_plan_phantom(Side::Left, false);
  const Plan plan = make_breast_plan(inputs_for(phantom, Side::Left, false));
  const auto c = geom::centroid(phantom.breast_ptv);
  ASSERT_TRUE(c.has_value());
  for (const Beam& b : plan.beams) {
    EXPECT_NEAR(b.isocentre_mm.x, c->x, 1e-9);
    EXPECT_NEAR(b.isocentre_mm.y, c->y, 1e-9);
    EXPECT_NEAR(b.isocentre_mm.z, c->z, 1e-9);
  }
}

TEST(PlanModel, RightSideMirrorsLeft) {
  const auto left = make_breast_plan(inputs_for(test::make_plan_phantom(Side::Left), Side::Left, true));
  const auto pr = test::make_plan_phantom(Side::Right);
  const auto right = make_breast_plan(inputs_for(pr, Side::Right, true));
  ASSERT_EQ(left.beams.size(), right.beams.size());
  for (std::size_t i = 0; i < left.beams.size(); ++i) {
    EXPECT_NEAR(std::fmod(left.beams[i].gantry_deg + right.beams[i].gantry_deg, 360.0), 0, 1e-6);
    EXPECT_NEAR(left.beams[i].isocentre_mm.x, -right.beams[i].isocentre_mm.x, 1e-6);
    EXPECT_NEAR(left.beams[i].isocentre_mm.y, right.beams[i].isocentre_mm.y, 1e-6);
    // Mirroring swaps the BEV x direction: X1 <-> -X2.
    EXPECT_NEAR(left.beams[i].x1_mm, -right.beams[i].x2_mm, 1e-6);
    EXPECT_NEAR(left.beams[i].y1_mm, right.beams[i].y1_mm, 1e-6);
  }
}

TEST(PlanModel, RejectsMissingInputs) {
  const auto phantom = test::make_plan_phantom();
  PlanInputs in = inputs_for(phantom, Side::Left, true);
  in.breast_ptv = nullptr;
  EXPECT_THROW((void)make_breast_plan(in), std::invalid_argument);
  in = inputs_for(phantom, Side::Left, true);
  in.body = nullptr;
  EXPECT_THROW((void)make_breast_plan(in), std::invalid_argument);
  geom::Structure empty;
  in = inputs_for(phantom, Side::Left, true);
  in.breast_ptv = &empty;
  EXPECT_THROW((void)make_breast_plan(in), std::invalid_argument);
}

}  // namespace
}  // namespace rtaudit::phantom
