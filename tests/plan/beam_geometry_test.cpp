#include "rtaudit/plan/beam_geometry.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace rtaudit::plan {
namespace {

constexpr double kTol = 1e-9;

void expect_near(const Vec3& a, const Vec3& b, double tol = 1e-9) {
  EXPECT_NEAR(a.x, b.x, tol);
  EXPECT_NEAR(a.y, b.y, tol);
  EXPECT_NEAR(a.z, b.z, tol);
}

TEST(BeamGeometry, IsocentreProjectsToOriginAtSad) {
  const Vec3 iso{12.5, -40, 7};
  for (double g : {0.0, 37.0, 90.0, 181.0, 300.0})
    for (double c : {0.0, 15.0, 90.0, 270.0})
      for (double s : {0.0, 10.0, 90.0, 350.0}) {
        const BevPoint p = project_to_bev(beam_frame(g, c, s, iso, 1000), iso);
        EXPECT_NEAR(p.x_mm, 0, kTol);
        EXPECT_NEAR(p.y_mm, 0, kTol);
        EXPECT_NEAR(p.depth_mm, 1000, kTol);
      }
}

TEST(BeamGeometry, SourcePositionsFollowIecConventionForHfs) {
  const Vec3 iso{0, 0, 0};
  // Gantry 0: source anterior (-y in LPS); 90: patient's left (+x); 180: posterior; 270: right.
  expect_near(beam_frame(0, 0, 0, iso).source, {0, -1000, 0});
  expect_near(beam_frame(90, 0, 0, iso).source, {1000, 0, 0});
  expect_near(beam_frame(180, 0, 0, iso).source, {0, 1000, 0});
  expect_near(beam_frame(270, 0, 0, iso).source, {-1000, 0, 0});
  // 45: anterior-left.
  expect_near(beam_frame(45, 0, 0, iso).source, {1000 / std::sqrt(2.0), -1000 / std::sqrt(2.0), 0});
  // The couch rotates about the vertical axis: the source stays where it is relative to the
  // gantry, so for gantry 0 it is still straight above the isocentre.
  expect_near(beam_frame(0, 0, 90, iso).source, {0, -1000, 0});
}

TEST(BeamGeometry, BevAxesAtZeroAnglesArePatientLeftAndHead) {
  const BeamFrame f = beam_frame(0, 0, 0, {0, 0, 0});
  const BevPoint left = project_to_bev(f, {10, 0, 0});
  EXPECT_NEAR(left.x_mm, 10, kTol);
  EXPECT_NEAR(left.y_mm, 0, kTol);
  const BevPoint head = project_to_bev(f, {0, 0, 10});
  EXPECT_NEAR(head.x_mm, 0, kTol);
  EXPECT_NEAR(head.y_mm, 10, kTol);
  // A point 50 mm posterior of the isocentre is deeper.
  EXPECT_NEAR(project_to_bev(f, {0, 50, 0}).depth_mm, 1050, kTol);
}

TEST(BeamGeometry, DivergentMagnificationTowardTheSource) {
  for (double g : {0.0, 90.0, 217.0}) {
    const BeamFrame f = beam_frame(g, 20, 0, {5, 6, 7});
    // On the central axis, 100 mm toward the source: still (0, 0), depth SAD - 100.
    const Vec3 on_axis{f.isocentre.x + 100 * f.z_axis.x, f.isocentre.y + 100 * f.z_axis.y,
                       f.isocentre.z + 100 * f.z_axis.z};
    const BevPoint a = project_to_bev(f, on_axis);
    EXPECT_NEAR(a.x_mm, 0, kTol);
    EXPECT_NEAR(a.y_mm, 0, kTol);
    EXPECT_NEAR(a.depth_mm, 900, kTol);
    // 10 mm off axis along X_b and 4 mm along Y_b at that depth: magnified by SAD / (SAD - 100).
    const Vec3 off{on_axis.x + 10 * f.x_axis.x + 4 * f.y_axis.x, on_axis.y + 10 * f.x_axis.y + 4 * f.y_axis.y,
                   on_axis.z + 10 * f.x_axis.z + 4 * f.y_axis.z};
    const BevPoint b = project_to_bev(f, off);
    EXPECT_NEAR(b.x_mm, 10 * 1000.0 / 900.0, kTol);
    EXPECT_NEAR(b.y_mm, 4 * 1000.0 / 900.0, kTol);
    EXPECT_NEAR(b.depth_mm, 900, kTol);
    // Beyond the isocentre: demagnified.
    const Vec3 far{f.isocentre.x - 200 * f.z_axis.x + 12 * f.x_axis.x, f.isocentre.y - 200 * f.z_axis.y + 12 * f.x_axis.y,
                   f.isocentre.z - 200 * f.z_axis.z + 12 * f.x_axis.z};
    EXPECT_NEAR(project_to_bev(f, far).x_mm, 12 * 1000.0 / 1200.0, kTol);
  }
}

TEST(BeamGeometry, CollimatorNinetySwapsAxes) {
  const Vec3 iso{3, -2, 1};
  for (double g : {0.0, 120.0, 305.0}) {
    const BeamFrame f0 = beam_frame(g, 0, 0, iso);
    const BeamFrame f90 = beam_frame(g, 90, 0, iso);
    for (const Vec3& p : {Vec3{40, -30, 25}, Vec3{-60, 10, -5}, Vec3{0, 80, 50}}) {
      const BevPoint a = project_to_bev(f0, p);
      const BevPoint b = project_to_bev(f90, p);
      // Counter-clockwise in the BEV: new x = old y, new y = -old x.
      EXPECT_NEAR(b.x_mm, a.y_mm, 1e-9);
      EXPECT_NEAR(b.y_mm, -a.x_mm, 1e-9);
      EXPECT_NEAR(b.depth_mm, a.depth_mm, 1e-9);
    }
  }
}

TEST(BeamGeometry, Gantry90And270AreMirrorImages) {
  const BeamFrame f90 = beam_frame(90, 0, 0, {0, 0, 0});
  const BeamFrame f270 = beam_frame(270, 0, 0, {0, 0, 0});
  for (const Vec3& p : {Vec3{40, -30, 25}, Vec3{-60, 10, -5}, Vec3{15, 80, 50}}) {
    const BevPoint a = project_to_bev(f90, p);
    const BevPoint b = project_to_bev(f270, {-p.x, p.y, p.z});
    EXPECT_NEAR(b.x_mm, -a.x_mm, 1e-9);
    EXPECT_NEAR(b.y_mm, a.y_mm, 1e-9);
    EXPECT_NEAR(b.depth_mm, a.depth_mm, 1e-9);
  }
  // Gantry 90 (source at the left): BEV x points posterior, a left point is nearer the source.
  EXPECT_NEAR(project_to_bev(f90, {0, 10, 0}).x_mm, 10, 1e-9);
  EXPECT_NEAR(project_to_bev(f90, {100, 0, 0}).depth_mm, 900, 1e-9);
}

TEST(BeamGeometry, CouchNinetyTurnsThePatientCounterClockwiseSeenFromAbove) {
  const BeamFrame f = beam_frame(0, 0, 90, {0, 0, 0});
  // The patient's left now points toward the gantry (BEV +y), the head to BEV -x.
  const BevPoint left = project_to_bev(f, {10, 0, 0});
  EXPECT_NEAR(left.x_mm, 0, 1e-9);
  EXPECT_NEAR(left.y_mm, 10, 1e-9);
  const BevPoint head = project_to_bev(f, {0, 0, 10});
  EXPECT_NEAR(head.x_mm, -10, 1e-9);
  EXPECT_NEAR(head.y_mm, 0, 1e-9);
}

TEST(BeamGeometry, FrameIsRightHandedOrthonormal) {
  const BeamFrame f = beam_frame(33, 71, 12, {1, 2, 3});
  const auto dot = [](const Vec3& a, const Vec3& b) { return a.x * b.x + a.y * b.y + a.z * b.z; };
  EXPECT_NEAR(dot(f.x_axis, f.x_axis), 1, 1e-12);
  EXPECT_NEAR(dot(f.y_axis, f.y_axis), 1, 1e-12);
  EXPECT_NEAR(dot(f.z_axis, f.z_axis), 1, 1e-12);
  EXPECT_NEAR(dot(f.x_axis, f.y_axis), 0, 1e-12);
  EXPECT_NEAR(dot(f.x_axis, f.z_axis), 0, 1e-12);
  const Vec3 cross{f.x_axis.y * f.y_axis.z - f.x_axis.z * f.y_axis.y, f.x_axis.z * f.y_axis.x - f.x_axis.x * f.y_axis.z,
                   f.x_axis.x * f.y_axis.y - f.x_axis.y * f.y_axis.x};
  expect_near(cross, f.z_axis, 1e-12);
}

TEST(BeamGeometry, BevToPatientInvertsProjection) {
  const BeamFrame f = beam_frame(305, 10, 5, {70, -60, 20});
  for (const Vec3& p : {Vec3{40, -30, 25}, Vec3{-60, 10, -5}, Vec3{150, 80, 50}}) {
    const BevPoint b = project_to_bev(f, p);
    expect_near(bev_to_patient(f, b), p, 1e-9);
  }
  // The ray direction through a BEV point passes through the projected patient points.
  const Vec3 d = ray_direction(f, 30, -20);
  const Vec3 q{f.source.x + 950 * d.x, f.source.y + 950 * d.y, f.source.z + 950 * d.z};
  const BevPoint bq = project_to_bev(f, q);
  EXPECT_NEAR(bq.x_mm, 30, 1e-9);
  EXPECT_NEAR(bq.y_mm, -20, 1e-9);
}

TEST(BeamGeometry, BehindTheSourceHasNoProjection) {
  const BeamFrame f = beam_frame(0, 0, 0, {0, 0, 0});
  const BevPoint p = project_to_bev(f, {0, -1500, 0});
  EXPECT_LT(p.depth_mm, 0);
  EXPECT_TRUE(std::isinf(p.x_mm));
}

TEST(BeamGeometry, Millennium120Layout) {
  const std::vector<double> b = millennium120_boundaries();
  ASSERT_EQ(b.size(), 61u);
  EXPECT_DOUBLE_EQ(b.front(), -200);
  EXPECT_DOUBLE_EQ(b.back(), 200);
  int five = 0, ten = 0;
  for (std::size_t i = 0; i + 1 < b.size(); ++i) {
    const double w = b[i + 1] - b[i];
    if (std::abs(w - 5) < 1e-9) ++five;
    else if (std::abs(w - 10) < 1e-9) ++ten;
  }
  EXPECT_EQ(five, 40);
  EXPECT_EQ(ten, 20);
}

Beam mlc_beam() {
  Beam beam;
  beam.x1_mm = -50;
  beam.x2_mm = 60;
  beam.y1_mm = -40;
  beam.y2_mm = 30;
  MlcAperture mlc;
  mlc.leaf_boundaries_mm = {-20, -10, 0, 10, 20};
  mlc.bank_a_mm = {-5, -30, -80, 0};
  mlc.bank_b_mm = {5, 20, 100, 0};  // last pair closed
  beam.mlc = mlc;
  return beam;
}

TEST(BeamGeometry, ApertureIsJawsIntersectedWithMlc) {
  const Beam beam = mlc_beam();
  EXPECT_TRUE(in_aperture(beam, 0, -15));    // pair 0 open -5..5
  EXPECT_FALSE(in_aperture(beam, 10, -15));  // blocked by pair 0's B leaf
  EXPECT_TRUE(in_aperture(beam, -25, -5));   // pair 1
  EXPECT_FALSE(in_aperture(beam, 25, -5));
  EXPECT_TRUE(in_aperture(beam, 55, 5));     // pair 2: leaves beyond the jaw, the jaw limits
  EXPECT_FALSE(in_aperture(beam, 65, 5));
  EXPECT_FALSE(in_aperture(beam, -55, 5));
  EXPECT_FALSE(in_aperture(beam, 0, 15));    // pair 3 closed
  EXPECT_TRUE(in_aperture(beam, 50, -30));   // below the MLC range: jaws only
  EXPECT_TRUE(in_aperture(beam, -45, 25));   // above the MLC range: jaws only
  EXPECT_FALSE(in_aperture(beam, 0, 35));    // beyond Y2
  const auto rects = aperture_rectangles(beam);
  double area = 0;
  for (const BevRect& r : rects) area += (r.x1 - r.x0) * (r.y1 - r.y0);
  // below MLC: 110 x 20, pair 0: 10 x 10, pair 1: 50 x 10, pair 2: 110 x 10, above: 110 x 10
  EXPECT_NEAR(area, 2200 + 100 + 500 + 1100 + 1100, 1e-9);
  // Without an MLC: the jaw rectangle.
  Beam open = beam;
  open.mlc.reset();
  EXPECT_TRUE(in_aperture(open, 0, 15));
  ASSERT_EQ(aperture_rectangles(open).size(), 1u);
}

TEST(BeamGeometry, MlcyLeavesTravelAlongY) {
  Beam beam;
  beam.x1_mm = beam.y1_mm = -50;
  beam.x2_mm = beam.y2_mm = 50;
  MlcAperture mlc;
  mlc.device = "MLCY";
  mlc.leaf_boundaries_mm = {-10, 0, 10};  // along x
  mlc.bank_a_mm = {-5, -20};               // along y
  mlc.bank_b_mm = {5, 20};
  beam.mlc = mlc;
  EXPECT_TRUE(in_aperture(beam, -5, 0));
  EXPECT_FALSE(in_aperture(beam, -5, 10));
  EXPECT_TRUE(in_aperture(beam, 5, 15));
}

TEST(BeamGeometry, InFieldUsesTheDivergentProjection) {
  Beam beam;
  beam.gantry_deg = 0;
  beam.isocentre_mm = {0, 0, 0};
  beam.x1_mm = -50;
  beam.x2_mm = 50;
  beam.y1_mm = -50;
  beam.y2_mm = 50;
  // At 200 mm beyond the isocentre the field is 1.2 times wider: x = 55 is inside there ...
  EXPECT_TRUE(in_field(beam, {55, 200, 0}));
  // ... but not at the isocentre plane, nor 100 mm toward the source.
  EXPECT_FALSE(in_field(beam, {55, 0, 0}));
  EXPECT_FALSE(in_field(beam, {46, -100, 0}));
  EXPECT_TRUE(in_field(beam, {44, -100, 0}));
}

}  // namespace
}  // namespace rtaudit::plan
