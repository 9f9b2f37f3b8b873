// Heart-dose geometric proxies (heart/proxies.hpp): closed forms first (spheres, boxes, a gantry-90
// beam), then the phantom's plan.
#include "rtaudit/heart/proxies.hpp"

#include "rtaudit/compare/overlap.hpp"
#include "rtaudit/geom/region_ops.hpp"
#include "rtaudit/geom/surface.hpp"
#include "rtaudit/phantom/atlas.hpp"
#include "rtaudit/phantom/phantom.hpp"
#include "rtaudit/phantom/plan_model.hpp"
#include "rtaudit/plan/beam_geometry.hpp"
#include "tests/support/shapes.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace rtaudit::heart {
namespace {

// The OVH's closed forms hold exactly with pieces of 1 mm (the cube's faces on the lattice).
ProxyOptions one_mm_pieces() {
  ProxyOptions o;
  o.volume_sample_mm = 1.0;
  return o;
}

using geom::Point3;
using geom::Structure;
constexpr double kPi = std::numbers::pi;

// ---- Shapes ----

/// A ball of radius r centred at c as a polygon stack: planes at c.z + k s (|k s| < r), each the
/// regular n-gon inscribed in the ball's circle on it (a vertex at angle `phase`).
Structure sphere(const Point3& c, double r, double s = 0.5, int n = 360, double phase = 0) {
  std::vector<geom::Contour> contours;
  const int kmax = static_cast<int>(std::ceil(r / s)) - 1;
  for (int k = -kmax; k <= kmax; ++k) {
    const double dz = k * s;
    const double rho = std::sqrt(r * r - dz * dz);
    geom::Contour ring;
    for (int i = 0; i < n; ++i) {
      const double a = phase + 2 * kPi * i / n;
      ring.points.push_back({c.x + rho * std::cos(a), c.y + rho * std::sin(a), c.z + dz});
    }
    contours.push_back(ring);
  }
  return geom::build_structure(contours).structure;
}

/// The box [x0, x1] x [y0, y1] x [z0, z1] as a stack of planes whose slabs (thickness s) tile [z0, z1].
Structure box(double x0, double x1, double y0, double y1, double z0, double z1, double s = 1.0) {
  std::vector<geom::Contour> contours;
  const int n = static_cast<int>(std::lround((z1 - z0) / s));
  for (int k = 0; k < n; ++k) contours.push_back(test::rectangle(x0, y0, x1, y1, z0 + (k + 0.5) * s));
  return geom::build_structure(contours).structure;
}

/// Exact volume (cc) of the lens where two balls (radii r1, r2, centres d apart) intersect.
double lens_volume_cc(double r1, double r2, double d) {
  const double h = r1 + r2 - d;
  return kPi * h * h * (d * d + 2 * d * r2 - 3 * r2 * r2 + 2 * d * r1 + 6 * r1 * r2 - 3 * r1 * r1) / (12 * d) / 1000;
}

// ---- Minimum distance ----

TEST(MinDistance, TwoSpheresAlongTheirCommonPlaneAreDMinusTheRadii) {
  // Centres on the x axis, both stacks with a plane at z = 0 and a vertex pointing at the other
  // (n even): the closest points are two ring vertices, so the stack distance is d - r1 - r2 up to
  // the inscribed polygons' sagitta r (1 - cos(pi/n)) per sphere (0.0015 mm here) and rounding.
  const int n = 360;
  const double r1 = 20, r2 = 15, d = 50;
  const Structure a = sphere({0, 0, 0}, r1, 0.5, n);
  const Structure b = sphere({d, 0, 0}, r2, 0.5, n);
  const MinDistance m = min_distance({"A", &a}, {"B", &b});
  ASSERT_TRUE(m.distance_mm) << m.reason;
  EXPECT_FALSE(m.overlapping);
  EXPECT_EQ(m.from, "A");
  EXPECT_EQ(m.to, "B");
  const double sagitta = (r1 + r2) * (1 - std::cos(kPi / n));
  EXPECT_NEAR(*m.distance_mm, d - r1 - r2, sagitta + 1e-9);
  // Symmetric.
  const MinDistance back = min_distance({"B", &b}, {"A", &a});
  ASSERT_TRUE(back.distance_mm);
  EXPECT_DOUBLE_EQ(*back.distance_mm, *m.distance_mm);
}

TEST(MinDistance, TwoSpheresOnAnObliqueLineWithinTheStaircaseTolerance) {
  // Centre line at elevation theta: each stack's staircase sticks out of its ball by at most
  // (s / 2) sin(theta) + s² / (8 r) in that direction (a slab's corner: radius rho_k at z_k ± s/2),
  // and its inscribed polygons sit inside by at most r (1 - cos(pi/n)): the stacks' distance is
  // d - r1 - r2 within the sum of both, per sphere.
  const int n = 360;
  const double s = 0.5, r1 = 20, r2 = 12;
  const Point3 cb{30, 20, 25};
  const double d = std::hypot(cb.x, cb.y, cb.z);
  const Structure a = sphere({0, 0, 0}, r1, s, n);
  const Structure b = sphere(cb, r2, s, n, 0.3);
  const MinDistance m = min_distance({"A", &a}, {"B", &b});
  ASSERT_TRUE(m.distance_mm) << m.reason;
  const double sin_t = cb.z / d;
  double tol = 0;
  for (double r : {r1, r2}) tol += s / 2 * sin_t + s * s / (8 * r) + r * (1 - std::cos(kPi / n));
  EXPECT_NEAR(*m.distance_mm, d - r1 - r2, tol);
}

TEST(MinDistance, OverlappingSpheresGiveZeroAndTheExactOverlapVolume) {
  const double r1 = 20, r2 = 15, d = 25;
  const Structure a = sphere({0, 0, 0}, r1);
  const Structure b = sphere({d, 0, 0}, r2);
  const MinDistance m = min_distance({"A", &a}, {"B", &b});
  ASSERT_TRUE(m.distance_mm);
  EXPECT_EQ(*m.distance_mm, 0.0);
  EXPECT_TRUE(m.overlapping);
  // The overlap is the plane model's exact intersection volume...
  const auto ov = compare::overlap(a, b);
  ASSERT_TRUE(ov.overlap);
  EXPECT_DOUBLE_EQ(m.overlap_cc, ov.overlap->intersection_cc);
  // ... which is the lens of the two balls up to the slab (midpoint rule in z, 0.5 mm) and
  // polygon approximations: well within 1 % here.
  EXPECT_NEAR(m.overlap_cc, lens_volume_cc(r1, r2, d), 0.01 * lens_volume_cc(r1, r2, d));
}

TEST(MinDistance, BoxesSideBySideAndAboveEachOtherAreExact) {
  const Structure a = box(0, 10, 0, 10, 0, 10);
  const Structure side = box(13, 20, -5, 5, 2, 8);
  const Structure above = box(-5, 5, 2, 8, 14, 20);
  const Structure corner = box(13, 20, 14, 20, 14, 20);
  const MinDistance m1 = min_distance({"A", &a}, {"side", &side});
  const MinDistance m2 = min_distance({"A", &a}, {"above", &above});
  const MinDistance m3 = min_distance({"A", &a}, {"corner", &corner});
  ASSERT_TRUE(m1.distance_mm && m2.distance_mm && m3.distance_mm);
  EXPECT_NEAR(*m1.distance_mm, 3, 1e-9);
  EXPECT_NEAR(*m2.distance_mm, 4, 1e-9);
  EXPECT_NEAR(*m3.distance_mm, std::sqrt(9.0 + 16 + 16), 1e-9);
}

TEST(MinDistance, CrossedBarsFindTheEdgeEdgeMinimumWithoutSamples) {
  // Two thin bars crossing at right angles, one 2 mm above the other: the closest points lie on
  // the overlap of their caps, whose corners are edge crossings, not vertices. With (almost) no
  // area samples only the edge refinement finds the distance.
  const Structure a = box(-20, 20, -1, 1, 0, 10);
  const Structure b = box(-1, 1, -20, 20, 12, 20);
  const MinDistance m = min_distance({"A", &a}, {"B", &b}, 1e-4);
  ASSERT_TRUE(m.distance_mm);
  EXPECT_NEAR(*m.distance_mm, 2, 1e-9);
}

TEST(MinDistance, TouchingSolidsAreZeroWithoutOverlap) {
  const Structure a = box(0, 10, 0, 10, 0, 10);
  const Structure b = box(10, 20, 0, 10, 0, 10);
  const MinDistance m = min_distance({"A", &a}, {"B", &b});
  ASSERT_TRUE(m.distance_mm);
  EXPECT_NEAR(*m.distance_mm, 0, 1e-12);
  EXPECT_FALSE(m.overlapping);
  EXPECT_EQ(m.overlap_cc, 0);
}

TEST(MinDistance, MissingStructureGivesAReason) {
  const Structure a = box(0, 10, 0, 10, 0, 10);
  const Structure empty;
  const MinDistance m = min_distance({"A", &a}, {"B", &empty});
  EXPECT_FALSE(m.distance_mm);
  EXPECT_NE(m.reason.find("B"), std::string::npos);
  const MinDistance n = min_distance({"A", nullptr}, {"B", &a});
  EXPECT_FALSE(n.distance_mm);
  EXPECT_NE(n.reason.find("no A"), std::string::npos);
}

// ---- Overlap-volume histogram ----

TEST(Ovh, CubeBesideASlabPtvHasAreaTimesDistance) {
  // Organ: a 20 mm cube touching the PTV's face x = 0; the PTV is much wider, so every organ point's
  // nearest PTV surface point is on that face: the volume within d is 20 x 20 x d mm³ (d <= 20).
  const Structure ptv = box(-30, 0, -60, 60, -60, 60, 2);
  const Structure organ = box(0, 20, -10, 10, -10, 10, 2);
  ProxyInputs in;
  in.heart = &organ;
  in.ptvs = {{"PTV", &ptv}};
  const HeartProxies p = compute_proxies(in, one_mm_pieces());
  ASSERT_EQ(p.ovh.size(), 1u);
  const OverlapVolumeHistogram& h = p.ovh[0];
  EXPECT_EQ(h.ptv, "PTV");
  EXPECT_EQ(h.organ, "Heart");
  ASSERT_EQ(h.distance_mm.size(), 31u);
  EXPECT_NEAR(h.organ_volume_cc, 8.0, 1e-9);
  for (std::size_t i = 0; i < h.distance_mm.size(); ++i) {
    const double d = h.distance_mm[i];
    EXPECT_EQ(d, static_cast<double>(i));
    EXPECT_NEAR(h.volume_cc[i], 0.4 * std::min(d, 20.0), 1e-9) << "d = " << d;
    EXPECT_NEAR(h.volume_pct[i], 100 * 0.4 * std::min(d, 20.0) / 8.0, 1e-9);
  }
  // Touching: distance 0, no overlap.
  ASSERT_GE(p.distances.size(), 4u);
  EXPECT_EQ(p.distances[2].from, "PTV");
  EXPECT_EQ(p.distances[2].to, "Heart");
  ASSERT_TRUE(p.distances[2].distance_mm);
  EXPECT_NEAR(*p.distances[2].distance_mm, 0, 1e-12);
}

TEST(Ovh, CubeReachingIntoThePtvStartsWithTheInsideVolume) {
  const Structure ptv = box(-30, 0, -60, 60, -60, 60, 2);
  const Structure organ = box(-5, 15, -10, 10, -10, 10, 2);
  ProxyInputs in;
  in.heart = &organ;
  in.ptvs = {{"PTV", &ptv}};
  const HeartProxies p = compute_proxies(in, one_mm_pieces());
  ASSERT_EQ(p.ovh.size(), 1u);
  const OverlapVolumeHistogram& h = p.ovh[0];
  for (std::size_t i = 0; i < h.distance_mm.size(); ++i) {
    const double d = h.distance_mm[i];
    EXPECT_NEAR(h.volume_cc[i], 2.0 + 0.4 * std::min(d, 15.0), 1e-9) << "d = " << d;
  }
  ASSERT_TRUE(p.distances[2].overlapping);
  EXPECT_NEAR(p.distances[2].overlap_cc, 2.0, 1e-9);
  const auto named = named_proxies(p);
  const auto find = [&](const std::string& name) -> std::optional<double> {
    for (const auto& [k, v] : named)
      if (k == name) return v;
    return std::nullopt;
  };
  EXPECT_NEAR(find("heart_within_10mm_cc").value(), 6.0, 1e-9);
  EXPECT_NEAR(find("heart_within_20mm_cc").value(), 8.0, 1e-9);
  EXPECT_EQ(find("ptv_heart_distance_mm").value(), 0.0);
  EXPECT_FALSE(find("ctv_heart_distance_mm"));  // no CTVn_IMN given
  EXPECT_FALSE(find("mhd_mm"));                 // no plan
}

// ---- Beam's-eye view ----

Beam beam_at(double gantry_deg, double x1 = -50, double x2 = 50, double y1 = -50, double y2 = 50) {
  Beam b;
  b.number = 1;
  b.name = "B";
  b.gantry_deg = gantry_deg;
  b.isocentre_mm = {0, 0, 0};
  b.sad_mm = 1000;
  b.x1_mm = x1;
  b.x2_mm = x2;
  b.y1_mm = y1;
  b.y2_mm = y2;
  return b;
}

HeartProxies beam_proxies(const Beam& beam, const Structure* heart, const Structure* lung = nullptr,
                          double pixel_mm = 0.5) {
  Plan plan;
  plan.beams = {beam};
  ProxyInputs in;
  in.heart = heart;
  in.ipsilateral_lung = lung;
  in.plan = &plan;
  ProxyOptions o;
  o.bev_pixel_mm = pixel_mm;
  return compute_proxies(in, o);
}

/// Radius (isocentre plane) of the BEV silhouette of a ball of radius r whose centre lies on the
/// central axis at distance D from the source: SAD tan(asin(r / D)).
double silhouette_radius(double r, double distance, double sad = 1000) { return sad * r / std::sqrt(distance * distance - r * r); }

TEST(BeamsEyeView, Gantry90SeesPatientPosteriorAsBevX) {
  // The convention the tests below rely on: gantry 90 = source at the patient's left, BEV x =
  // patient posterior (+y), BEV y = head (+z); so X2 is the posterior jaw.
  const plan::BeamFrame f = plan::beam_frame(beam_at(90));
  EXPECT_NEAR(f.source.x, 1000, 1e-9);
  const plan::BevPoint p = plan::project_to_bev(f, {0, 30, 20});
  EXPECT_NEAR(p.x_mm, 30, 1e-9);
  EXPECT_NEAR(p.y_mm, 20, 1e-9);
}

/// The BEV area of a sphere's slab stack against its ball's silhouette (radius R): the stack's
/// staircase sticks out of the ball by up to (s / 2) |sin psi| at BEV angle psi (the slab corners;
/// a divergent ray crosses several slabs and sees their union), so the area may exceed pi R² by up to
/// the integral of that over the silhouette, 2 R s (times the magnification²). Pixel counting on
/// a 0.5 mm grid adds +-0.5 %.
void expect_stack_area(double area_cm2, double r, double s, double mag) {
  const double disc = kPi * std::pow(silhouette_radius(r, 1000 / mag), 2) / 100;
  const double staircase = 2 * r * s * mag * mag / 100;
  EXPECT_GT(area_cm2, disc - 0.005 * disc);
  EXPECT_LT(area_cm2, disc + staircase + 0.005 * disc);
}

TEST(BeamsEyeView, SphereAtTheIsocentreProjectsToItsDisc) {
  const double r = 25, s = 0.5;
  const Structure heart = sphere({0, 0, 0}, r, s);
  const HeartProxies p = beam_proxies(beam_at(90), &heart);
  ASSERT_EQ(p.beams.size(), 1u);
  const BeamProxy& b = p.beams[0];
  ASSERT_TRUE(b.heart_area_cm2);
  expect_stack_area(*b.heart_area_cm2, r, s, 1.0);
  // Entirely in the field: the whole (slab-model) volume.
  ASSERT_TRUE(b.heart_volume_in_field_cc);
  EXPECT_NEAR(*b.heart_volume_in_field_cc, *geom::volume_cc(heart), 1e-9);
  EXPECT_TRUE(b.tangential);
  EXPECT_EQ(b.posterior_edge, "X2");
}

TEST(BeamsEyeView, SphereNearerTheSourceIsMagnified) {
  const double r = 20, s = 0.5, delta = 200;  // centre 200 mm toward the source (patient +x for gantry 90)
  const Structure heart = sphere({delta, 0, 0}, r, s);
  const HeartProxies p = beam_proxies(beam_at(90), &heart);
  const BeamProxy& b = p.beams[0];
  ASSERT_TRUE(b.heart_area_cm2);
  const double mag = 1000 / (1000 - delta);
  expect_stack_area(*b.heart_area_cm2, r, s, mag);
  // About (SAD / (SAD - delta))² times the disc.
  EXPECT_NEAR(*b.heart_area_cm2 / (kPi * r * r / 100), mag * mag, 0.03 * mag * mag);
}

/// The extreme ray toward the field interior (smaller BEV x) of a ball in the BEV y = 0 plane of a
/// gantry-90 beam: centre at patient (x = delta toward the source, y = yc, 0), radius r.
double extreme_bev_x(double yc, double delta, double r, double sad = 1000) {
  const double depth = sad - delta;
  const double phi = std::atan2(yc, depth);
  const double alpha = std::asin(r / std::hypot(yc, depth));
  return sad * std::tan(phi - alpha);
}

TEST(BeamsEyeView, MaximumHeartDistanceIsCentreDistancePlusRadiusMagnified) {
  // Posterior edge X2 = 50 mm. The stack's equator ring (plane z = 0) is the sphere's great circle
  // up to the polygon's sagitta r (1 - cos(pi/n)); the BEV rows nearest y = 0 cut the stack at
  // |z| <= s, where its ring is smaller by at most r - sqrt(r² - s²): the tolerance, magnified.
  const int n = 360;
  const double s = 0.5;
  for (const double delta : {0.0, 150.0}) {
    const double r = 15, yc = 20;
    const Structure heart = sphere({delta, yc, 0}, r, s, n);
    const HeartProxies p = beam_proxies(beam_at(90), &heart);
    const BeamProxy& b = p.beams[0];
    ASSERT_TRUE(b.max_heart_distance_mm);
    const double mag = 1000 / (1000 - delta);
    const double tol = mag * (r * (1 - std::cos(kPi / n)) + r - std::sqrt(r * r - s * s)) + 1e-6;
    EXPECT_NEAR(*b.max_heart_distance_mm, 50 - extreme_bev_x(yc, delta, r), tol) << "delta " << delta;
    // Which is (centre distance + r) at the isocentre-plane scale, to first order.
    EXPECT_NEAR(*b.max_heart_distance_mm, 50 - mag * (yc - r), 0.05 * mag) << "delta " << delta;
  }
}

TEST(BeamsEyeView, MaximumHeartDistanceStopsAtTheFieldEdge) {
  // A sphere straddling the anterior jaw X1 = -10: the heart in the field ends at the jaw, so the
  // MHD is X2 - X1 exactly (the bisection finds the jaw to 1e-9 pixel).
  const Structure heart = sphere({0, -10, 0}, 15);
  const HeartProxies p = beam_proxies(beam_at(90, -10, 50), &heart);
  ASSERT_TRUE(p.beams[0].max_heart_distance_mm);
  EXPECT_NEAR(*p.beams[0].max_heart_distance_mm, 60, 1e-6);
}

TEST(BeamsEyeView, HeartOutsideTheFieldHasNoAreaVolumeOrMhd) {
  const Structure heart = sphere({0, 100, 0}, 20);  // BEV x 80..120, the field ends at 50
  const HeartProxies p = beam_proxies(beam_at(90), &heart);
  const BeamProxy& b = p.beams[0];
  ASSERT_TRUE(b.heart_area_cm2 && b.heart_volume_in_field_cc && b.max_heart_distance_mm);
  EXPECT_EQ(*b.heart_area_cm2, 0);
  EXPECT_EQ(*b.heart_volume_in_field_cc, 0);
  EXPECT_EQ(*b.max_heart_distance_mm, 0);
}

TEST(BeamsEyeView, TangentialIsWithin45DegreesOfLeftRight) {
  const Structure heart = sphere({0, 0, 0}, 10, 1.0, 60);
  for (const auto& [gantry, tangential] : std::vector<std::pair<double, bool>>{
           {90, true}, {270, true}, {300, true}, {130, true}, {50, true}, {40, false}, {0, false}, {180, false}, {330, false}}) {
    const HeartProxies p = beam_proxies(beam_at(gantry), &heart, nullptr, 2.0);
    const BeamProxy& b = p.beams[0];
    EXPECT_EQ(b.tangential, tangential) << "gantry " << gantry;
    EXPECT_EQ(b.max_heart_distance_mm.has_value(), tangential) << "gantry " << gantry;
    EXPECT_EQ(b.posterior_edge.empty(), !tangential) << "gantry " << gantry;
    EXPECT_TRUE(b.heart_area_cm2) << "gantry " << gantry;
  }
}

TEST(BeamsEyeView, PosteriorEdgeFollowsTheGantry) {
  const Structure heart = sphere({0, 0, 0}, 10, 1.0, 60);
  // Gantry 90 (source left): BEV x = posterior, X2 posterior. Gantry 270 (source right): BEV x =
  // anterior, X1 posterior.
  EXPECT_EQ(beam_proxies(beam_at(90), &heart, nullptr, 2.0).beams[0].posterior_edge, "X2");
  EXPECT_EQ(beam_proxies(beam_at(270), &heart, nullptr, 2.0).beams[0].posterior_edge, "X1");
  // Gantry 270, a sphere centred 20 mm posterior (BEV x = -20 at X1 = -50): MHD about 30 + r.
  const Structure h2 = sphere({0, 20, 0}, 10, 0.5, 360);
  const auto p = beam_proxies(beam_at(270), &h2);
  ASSERT_TRUE(p.beams[0].max_heart_distance_mm);
  EXPECT_NEAR(*p.beams[0].max_heart_distance_mm, 50 - extreme_bev_x(20, 0, 10), 0.01);  // mirror image of gantry 90
}

TEST(BeamsEyeView, CentralLungDistanceIsTheLungsExtentOnTheCentralAxisRow) {
  // Lung: a box posterior of y = 30 between patient x = -40 and 40 (depths 960..1040). The ray at
  // BEV x reaches patient y = x depth / SAD, so the most anterior lung ray is x = 30 SAD / 1040,
  // and the CLD is X2 - that (divergence included).
  const Structure heart = sphere({0, 0, 0}, 10, 1.0, 60);
  const Structure lung = box(-40, 40, 30, 80, -60, 60, 2);
  const double expected = 50 - 30 * 1000.0 / 1040;
  {
    const HeartProxies p = beam_proxies(beam_at(90), &heart, &lung);
    ASSERT_TRUE(p.beams[0].central_lung_distance_mm);
    EXPECT_NEAR(*p.beams[0].central_lung_distance_mm, expected, 1e-6);
  }
  {  // Aperture closed at y = 0 (Y1 = 10): the nearest open row (BEV y = 10.25), with a note.
    const HeartProxies p = beam_proxies(beam_at(90, -50, 50, 10, 50), &heart, &lung);
    ASSERT_TRUE(p.beams[0].central_lung_distance_mm);
    EXPECT_NEAR(*p.beams[0].central_lung_distance_mm, expected, 1e-6);
    const auto& notes = p.beams[0].notes;
    EXPECT_TRUE(std::any_of(notes.begin(), notes.end(), [](const std::string& s) { return s.find("nearest open row") != std::string::npos; }));
  }
  {  // Not tangential: no CLD.
    const HeartProxies p = beam_proxies(beam_at(0), &heart, &lung);
    EXPECT_FALSE(p.beams[0].central_lung_distance_mm);
  }
}

TEST(BeamsEyeView, MlcBlocksTheHeart) {
  // MLC leaves closed over the upper half of the field: the sphere's upper half (BEV y > 0) is out.
  Beam b = beam_at(90);
  MlcAperture mlc;
  mlc.leaf_boundaries_mm = {-50, 0, 50};
  mlc.bank_a_mm = {-50, 0};
  mlc.bank_b_mm = {50, 0};
  b.mlc = mlc;
  const double r = 20;
  const Structure heart = sphere({0, 0, 0}, r);
  const HeartProxies open = beam_proxies(beam_at(90), &heart);
  const HeartProxies half = beam_proxies(b, &heart);
  ASSERT_TRUE(open.beams[0].heart_area_cm2 && half.beams[0].heart_area_cm2);
  EXPECT_NEAR(*half.beams[0].heart_area_cm2, *open.beams[0].heart_area_cm2 / 2, 0.01 * *open.beams[0].heart_area_cm2);
  EXPECT_NEAR(*half.beams[0].heart_volume_in_field_cc, *open.beams[0].heart_volume_in_field_cc / 2,
              0.02 * *open.beams[0].heart_volume_in_field_cc);
}

TEST(BeamsEyeView, OnlyHeadFirstSupineHasBeamGeometry) {
  const Structure heart = sphere({0, 0, 0}, 10, 1.0, 60);
  Plan plan;
  plan.beams = {beam_at(90)};
  ProxyInputs in;
  in.heart = &heart;
  in.plan = &plan;
  in.patient_position = "FFS";
  const HeartProxies p = compute_proxies(in);
  ASSERT_EQ(p.beams.size(), 1u);
  EXPECT_FALSE(p.beams[0].heart_area_cm2);
  EXPECT_FALSE(p.beams[0].max_heart_distance_mm);
  ASSERT_FALSE(p.beams[0].notes.empty());
  EXPECT_EQ(p.beams[0].notes[0], "beam geometry only for HFS");
  EXPECT_TRUE(std::any_of(p.notes.begin(), p.notes.end(), [](const std::string& s) { return s.find("only for HFS") != std::string::npos; }));
}

TEST(NamedProxies, SumsAndMaximaOverBeams) {
  HeartProxies p;
  BeamProxy a, b, c;
  a.tangential = true;
  a.max_heart_distance_mm = 12;
  a.central_lung_distance_mm = 20;
  a.heart_area_cm2 = 10;
  a.heart_volume_in_field_cc = 5;
  b.tangential = true;
  b.max_heart_distance_mm = 8;
  b.central_lung_distance_mm = 25;
  b.heart_area_cm2 = 6;
  b.heart_volume_in_field_cc = 3;
  c.tangential = false;
  c.heart_area_cm2 = 1;
  c.heart_volume_in_field_cc = 0.5;
  c.max_heart_distance_mm = 99;  // not tangential: ignored
  p.beams = {a, b, c};
  MinDistance ctv{"CTVn_IMN", "Heart", 4.0};
  MinDistance ctv_lad{"CTVn_IMN", "LAD", 9.0};
  MinDistance p1{"PTV1", "Heart", 3.0};
  MinDistance p1_lad{"PTV1", "LAD", 1.0};
  MinDistance p2{"PTV2", "Heart", 7.0};
  p.distances = {ctv, ctv_lad, p1, p1_lad, p2};
  const std::map<std::string, double> m = [&] {
    std::map<std::string, double> out;
    for (const auto& [k, v] : named_proxies(p)) out[k] = v;
    return out;
  }();
  EXPECT_EQ(m.at("mhd_mm"), 12);
  EXPECT_EQ(m.at("cld_mm"), 25);
  EXPECT_EQ(m.at("heart_area_cm2"), 17);
  EXPECT_EQ(m.at("heart_in_field_cc"), 8.5);
  EXPECT_EQ(m.at("ctv_heart_distance_mm"), 4);
  EXPECT_EQ(m.at("ptv_heart_distance_mm"), 3);
  EXPECT_FALSE(m.count("heart_within_10mm_cc"));
  // A beam without a value: the sum is not evaluable.
  p.beams[2].heart_area_cm2.reset();
  bool has_area = false;
  for (const auto& [k, v] : named_proxies(p)) has_area |= k == "heart_area_cm2";
  EXPECT_FALSE(has_area);
}

// ---- The phantom ----

const phantom::ThoraxAtlas& atlas() {
  static const phantom::ThoraxAtlas a =
      *phantom::load_thorax_atlas(std::string(RTAUDIT_ATLAS_DIR) + "/phantom/thorax.xml").atlas;
  return a;
}

std::optional<Structure> structure_named(const StructureSet& set, std::initializer_list<std::string> names) {
  std::vector<geom::Contour> contours;
  for (const auto& [number, roi] : set.rois)
    for (const auto& name : names)
      if (roi.name == name) contours.insert(contours.end(), roi.contours.begin(), roi.contours.end());
  if (contours.empty()) return std::nullopt;
  return geom::build_structure(contours).structure;
}

struct PhantomProxies {
  std::optional<Structure> heart, lad, lung, ctvn, ptv_breast, ptv_l4, ptv_imn, body, nodal;
  Plan plan;
  HeartProxies proxies;
};

const PhantomProxies& phantom_proxies(const std::string& variant) {
  static std::map<std::string, PhantomProxies> cache;
  if (auto it = cache.find(variant); it != cache.end()) return it->second;
  phantom::PhantomOptions o;
  o.variant = variant;
  const phantom::PhantomCase pc = phantom::make_phantom(atlas(), o);
  PhantomProxies& p = cache[variant];
  const StructureSet& s = pc.structures;
  p.heart = structure_named(s, {"Heart"});
  p.lad = structure_named(s, {"A_LAD"});
  p.lung = structure_named(s, {"Lung_L"});
  p.ctvn = structure_named(s, {"CTVn_IMN_L"});
  p.ptv_breast = structure_named(s, {"PTV_Breast_L"});
  p.ptv_l4 = structure_named(s, {"PTVn_L4_L"});
  p.ptv_imn = structure_named(s, {"PTVn_IMN_L"});
  p.nodal = structure_named(s, {"PTVn_L4_L", "PTVn_IMN_L"});
  p.body = structure_named(s, {"External"});
  phantom::PlanInputs pin;
  pin.side = phantom::Side::Left;
  pin.breast_ptv = &*p.ptv_breast;
  pin.nodal_ptv = p.nodal ? &*p.nodal : nullptr;
  pin.body = &*p.body;
  p.plan = phantom::make_breast_plan(pin);
  ProxyInputs in;
  in.heart = p.heart ? &*p.heart : nullptr;
  in.lad = p.lad ? &*p.lad : nullptr;
  in.ipsilateral_lung = p.lung ? &*p.lung : nullptr;
  in.ctvn_imn = {"CTVn_IMN_L", p.ctvn ? &*p.ctvn : nullptr};
  for (const auto& [label, st] : {std::pair{"PTV_Breast_L", &p.ptv_breast}, std::pair{"PTVn_L4_L", &p.ptv_l4},
                                  std::pair{"PTVn_IMN_L", &p.ptv_imn}})
    if (*st) in.ptvs.push_back({label, &**st});
  in.plan = &p.plan;
  p.proxies = compute_proxies(in);
  return p;
}

const BeamProxy& beam_named(const HeartProxies& p, const std::string& name) {
  for (const BeamProxy& b : p.beams)
    if (b.beam_name == name) return b;
  throw std::runtime_error("no beam " + name);
}

/// The slab model's distance between two structures by brute force over their contours: the solid
/// is the union of prisms region_k x [lo_k, hi_k], and the distance between two prisms is
/// hypot(distance between the regions, gap between the z-extents).
double brute_force_distance(const Structure& a, const Structure& b) {
  const auto ea = geom::slab_extents(a);
  const auto eb = geom::slab_extents(b);
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < a.planes.size(); ++i) {
    for (std::size_t j = 0; j < b.planes.size(); ++j) {
      const double dz = std::max({0.0, eb[j].z_lo_mm - ea[i].z_hi_mm, ea[i].z_lo_mm - eb[j].z_hi_mm});
      if (dz >= best) continue;
      const double dxy = geom::ops::distance(a.planes[i].region, b.planes[j].region);
      best = std::min(best, std::hypot(dxy, dz));
    }
  }
  return best;
}

TEST(PhantomProxies, ComputesEveryProxyForTheLeftBreastPlan) {
  const PhantomProxies& p = phantom_proxies("estro");
  const HeartProxies& h = p.proxies;
  ASSERT_EQ(h.beams.size(), p.plan.beams.size());
  // Distances: CTVn_IMN, then each PTV, to the heart and the LAD.
  ASSERT_EQ(h.distances.size(), 2 + 2 * 3u);
  for (const MinDistance& d : h.distances) EXPECT_TRUE(d.distance_mm) << d.from << " -> " << d.to << ": " << d.reason;
  EXPECT_EQ(h.ovh.size(), 6u);
  for (const OverlapVolumeHistogram& o : h.ovh) {
    EXPECT_GT(o.organ_volume_cc, 0);
    for (std::size_t i = 1; i < o.volume_cc.size(); ++i) EXPECT_GE(o.volume_cc[i], o.volume_cc[i - 1]);
    EXPECT_LE(o.volume_cc.back(), o.organ_volume_cc + 1e-9);
  }
  const BeamProxy& med = beam_named(h, "MED TANG");
  const BeamProxy& lat = beam_named(h, "LAT TANG");
  EXPECT_TRUE(med.tangential);
  EXPECT_TRUE(lat.tangential);
  ASSERT_TRUE(med.max_heart_distance_mm && lat.max_heart_distance_mm);
  ASSERT_TRUE(med.central_lung_distance_mm && lat.central_lung_distance_mm);
  // A breast tangent's CLD is a couple of cm (it includes some lung), not the field width.
  EXPECT_GT(*med.central_lung_distance_mm, 0);
  EXPECT_LT(*med.central_lung_distance_mm, 40);
  const auto named = named_proxies(h);
  EXPECT_GE(named.size(), 7u);
}

TEST(PhantomProxies, HeartCloseVariantHasTheLargerMhd) {
  const BeamProxy& close = beam_named(phantom_proxies("heart-close").proxies, "MED TANG");
  const BeamProxy& normal = beam_named(phantom_proxies("estro").proxies, "MED TANG");
  ASSERT_TRUE(close.max_heart_distance_mm && normal.max_heart_distance_mm);
  EXPECT_GT(*close.max_heart_distance_mm, 0);
  EXPECT_GT(*close.max_heart_distance_mm, *normal.max_heart_distance_mm);
  ASSERT_TRUE(close.heart_area_cm2 && normal.heart_area_cm2);
  EXPECT_GT(*close.heart_area_cm2, *normal.heart_area_cm2);
}

TEST(PhantomProxies, CtvToHeartDistanceMatchesABruteForceOverTheContours) {
  const PhantomProxies& p = phantom_proxies("estro");
  const MinDistance& d = p.proxies.distances[0];
  EXPECT_EQ(d.from, "CTVn_IMN_L");
  EXPECT_EQ(d.to, "Heart");
  ASSERT_TRUE(d.distance_mm) << d.reason;
  const double brute = brute_force_distance(*p.ctvn, *p.heart);
  EXPECT_NEAR(*d.distance_mm, brute, 0.5);
  EXPECT_NEAR(*d.distance_mm, brute, 0.05);  // the edge refinement's guarantee (kMinPieceMm / 2)
}

}  // namespace
}  // namespace rtaudit::heart
