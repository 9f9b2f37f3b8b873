// Points from a follow-up structure set built in code, and their move into the planning frame.
#include "rtaudit/recurrence/followup.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace rtaudit::recurrence {
namespace {

const std::string kPlanning = "1.2.826.0.1.3680043.8.498.500.1";
const std::string kFollowup = "1.2.826.0.1.3680043.8.498.500.2";
const std::string kRegFrame = "1.2.826.0.1.3680043.8.498.500.3";

geom::Contour point(double x, double y, double z) { return {geom::GeometricType::Point, {{x, y, z}}}; }

geom::Contour rectangle(double x0, double y0, double w, double h, double z) {
  return {geom::GeometricType::ClosedPlanar, {{x0, y0, z}, {x0 + w, y0, z}, {x0 + w, y0 + h, z}, {x0, y0 + h, z}}};
}

Roi roi(int number, std::string name, std::string type, std::vector<geom::Contour> contours) {
  Roi r;
  r.number = number;
  r.name = std::move(name);
  r.interpreted_type = std::move(type);
  r.contours = std::move(contours);
  r.in_structure_set_roi = r.has_roi_contour = r.has_observation = true;
  return r;
}

// The recurrence box: 10 x 20 mm on three planes 2.5 mm apart, so 3 slabs of 2.5 mm.
constexpr double kBoxVolumeCc = 10.0 * 20.0 * 3 * 2.5 / 1000;
const geom::Point3 kBoxCentroid{25, -45, 2.5};

StructureSet followup_set() {
  StructureSet s;
  s.file = "/data/some/folder/RS_followup.dcm";
  s.sop_instance_uid = "1.2.826.0.1.3680043.8.498.500.10";
  s.date = "20250317";
  s.frame_of_reference_uid = kFollowup;
  s.rois[1] = roi(1, "SLN_IMN_L", "", {point(31.5, -60.25, -40)});
  s.rois[2] = roi(2, "REC_1", "", {point(1, 2, 3)});
  s.rois[3] = roi(3, "GTV_recurrence", "GTV",
                  {rectangle(20, -55, 10, 20, 0), rectangle(20, -55, 10, 20, 2.5), rectangle(20, -55, 10, 20, 5)});
  s.rois[4] = roi(4, "BB_skin", "MARKER", {point(80, 0, 0)});
  s.rois[5] = roi(5, "Heart", "ORGAN", {rectangle(-50, 0, 60, 60, 0), rectangle(-50, 0, 60, 60, 2.5)});
  s.rois[6] = roi(6, "Node_PET susp", "", {point(5, 6, 7), point(8, 9, 10)});
  s.rois[7] = roi(7, "Rectum_ref", "", {point(0, 0, -300)});  // "rec" inside a word is no recurrence
  for (auto& [n, r] : s.rois) r.frame_of_reference_uid = kFollowup;
  return s;
}

const PointRecord* find(const std::vector<PointRecord>& points, const std::string& id) {
  for (const PointRecord& p : points) {
    if (p.point_id == id) return &p;
  }
  return nullptr;
}

const Diagnostic* about(const std::vector<Diagnostic>& ds, const std::string& element) {
  for (const Diagnostic& d : ds) {
    if (d.element == element) return &d;
  }
  return nullptr;
}

std::string dump(const std::vector<Diagnostic>& ds) {
  std::string out;
  for (const Diagnostic& d : ds) out += fmt::format("[{}] {}: {}\n", to_string(d.severity), d.element, d.message);
  return out;
}

void expect_near(const geom::Point3& a, const geom::Point3& b, double tol) {
  EXPECT_NEAR(a.x, b.x, tol);
  EXPECT_NEAR(a.y, b.y, tol);
  EXPECT_NEAR(a.z, b.z, tol);
}

/// A 90 degree rotation about z (x' = -y, y' = x) followed by a translation.
Matrix4 rot_z90(geom::Point3 t) { return {0, -1, 0, t.x, 1, 0, 0, t.y, 0, 0, 1, t.z, 0, 0, 0, 1}; }
Matrix4 shift(geom::Point3 t) { return {1, 0, 0, t.x, 0, 1, 0, t.y, 0, 0, 1, t.z, 0, 0, 0, 1}; }

SpatialRegistration reg(std::string uid, std::string frame_a, std::vector<FrameRegistration> frames) {
  SpatialRegistration r;
  r.file = "/data/some/folder/REG_followup.dcm";
  r.sop_instance_uid = std::move(uid);
  r.frame_of_reference_uid = std::move(frame_a);
  r.frames = std::move(frames);
  return r;
}

TEST(Followup, PointRoisAndTheRecurrenceVolumeBecomePoints) {
  const PointsRead r = points_from_structure_set(followup_set(), "P-0042");
  ASSERT_EQ(r.points.size(), 5u) << dump(r.problems);

  const PointRecord* sln = find(r.points, "SLN_IMN_L");
  ASSERT_NE(sln, nullptr);
  EXPECT_EQ(sln->kind, "sentinel_node");
  EXPECT_EQ(sln->position_mm, (geom::Point3{31.5, -60.25, -40}));
  EXPECT_EQ(sln->frame_of_reference_uid, kFollowup);
  EXPECT_EQ(sln->patient_id, "P-0042");
  EXPECT_EQ(sln->source, "RS_followup.dcm ROI 1 'SLN_IMN_L'");  // the file name only, never the folders
  EXPECT_FALSE(sln->radius_mm);

  const PointRecord* rec = find(r.points, "REC_1");
  ASSERT_NE(rec, nullptr);
  EXPECT_EQ(rec->kind, "recurrence");

  const PointRecord* gtv = find(r.points, "GTV_recurrence");
  ASSERT_NE(gtv, nullptr);
  EXPECT_EQ(gtv->kind, "recurrence");
  expect_near(gtv->position_mm, kBoxCentroid, 1e-9);
  ASSERT_TRUE(gtv->volume_cc);
  EXPECT_NEAR(*gtv->volume_cc, kBoxVolumeCc, 1e-12);
  ASSERT_TRUE(gtv->radius_mm);
  EXPECT_NEAR(4.0 / 3.0 * std::numbers::pi * std::pow(*gtv->radius_mm, 3), kBoxVolumeCc * 1000, 1e-9);
  EXPECT_EQ(gtv->date, "20250317");

  for (const char* id : {"Node_PET susp#1", "Node_PET susp#2"}) {
    const PointRecord* p = find(r.points, id);
    ASSERT_NE(p, nullptr) << id;
    EXPECT_EQ(p->kind, "suspicious_node");
  }
  EXPECT_EQ(find(r.points, "Node_PET susp#2")->position_mm, (geom::Point3{8, 9, 10}));

  // Each ROI not used is said, with where.
  for (const char* roi_label : {"ROI 4 'BB_skin'", "ROI 5 'Heart'", "ROI 7 'Rectum_ref'"}) {
    const Diagnostic* d = about(r.problems, roi_label);
    ASSERT_NE(d, nullptr) << roi_label << "\n" << dump(r.problems);
    EXPECT_EQ(d->severity, Severity::Info);
    EXPECT_NE(d->message.find("not used"), std::string::npos) << d->message;
    EXPECT_EQ(d->file, "/data/some/folder/RS_followup.dcm");
  }
  EXPECT_NE(about(r.problems, "ROI 4 'BB_skin'")->message.find("MARKER"), std::string::npos);
  EXPECT_EQ(r.problems.size(), 3u) << dump(r.problems);
}

TEST(Followup, UnusableRecurrenceContoursAndFramelessPointsAreReported) {
  StructureSet s;
  s.file = "RS.dcm";
  s.frame_of_reference_uid = kFollowup;
  s.rois[1] = roi(1, "Recidive", "", {rectangle(0, 0, 10, 10, 0)});  // one plane: no slab thickness
  s.rois[2] = roi(2, "relapse line", "", {{geom::GeometricType::OpenPlanar, {{0, 0, 0}, {1, 1, 0}}}});
  s.rois[3] = roi(3, "REC2", "", {{geom::GeometricType::Point, {}}});
  PointsRead r = points_from_structure_set(s, "P");
  ASSERT_EQ(r.points.size(), 1u) << dump(r.problems);
  EXPECT_EQ(r.points[0].position_mm, (geom::Point3{5, 5, 0}));
  EXPECT_FALSE(r.points[0].volume_cc);
  ASSERT_NE(about(r.problems, "ROI 1 'Recidive'"), nullptr);
  EXPECT_NE(about(r.problems, "ROI 1 'Recidive'")->message.find("volume and radius are unknown"), std::string::npos);
  ASSERT_NE(about(r.problems, "ROI 2 'relapse line'"), nullptr);
  EXPECT_EQ(about(r.problems, "ROI 2 'relapse line'")->severity, Severity::Warning);
  ASSERT_NE(about(r.problems, "ROI 3 'REC2'"), nullptr);
  EXPECT_NE(about(r.problems, "ROI 3 'REC2'")->message.find("no finite point"), std::string::npos);

  s.frame_of_reference_uid.clear();
  s.rois.erase(2);
  s.rois[3] = roi(3, "REC2", "", {point(1, 1, 1)});
  r = points_from_structure_set(s, "P");
  EXPECT_TRUE(r.points.empty());
  for (const char* label : {"ROI 1 'Recidive'", "ROI 3 'REC2'"}) {
    const Diagnostic* d = about(r.problems, label);
    ASSERT_NE(d, nullptr) << dump(r.problems);
    EXPECT_EQ(d->severity, Severity::Error);
    EXPECT_NE(d->message.find("no frame of reference"), std::string::npos);
  }
}

TEST(Followup, RigidRegistrationMovesThePointsExactly) {
  const PointsRead read = points_from_structure_set(followup_set(), "P-0042");
  // The REG's own frame is the planning frame; the follow-up frame is an item: p_P = M p_F.
  const std::vector<SpatialRegistration> regs{
      reg("1.2.826.0.1.3680043.8.498.500.20", kPlanning, {{kFollowup, rot_z90({100, -50, 20}), "RIGID"}})};
  std::vector<PointRecord> points = read.points;
  PointRecord planned;  // already in the planning frame: untouched
  planned.point_id = "P1";
  planned.position_mm = {7, 8, 9};
  planned.frame_of_reference_uid = kPlanning;
  points.push_back(planned);

  const FramedPoints f = to_planning_frame(points, kPlanning, regs);
  EXPECT_TRUE(f.rejected.empty()) << dump(f.rejected);
  ASSERT_EQ(f.points.size(), 6u);
  for (const PointRecord& p : f.points) EXPECT_EQ(p.frame_of_reference_uid, kPlanning) << p.point_id;

  // (1, 2, 3) -> (-2, 1, 3) + (100, -50, 20).
  const PointRecord* rec = find(f.points, "REC_1");
  ASSERT_NE(rec, nullptr);
  expect_near(rec->position_mm, {98, -49, 23}, 1e-9);
  EXPECT_EQ(rec->source_frame_of_reference_uid, kFollowup);
  EXPECT_EQ(rec->registration_sop_instance_uid, "1.2.826.0.1.3680043.8.498.500.20");

  // The centroid (25, -45, 2.5) -> (45, 25, 2.5) + t; volume and radius kept.
  const PointRecord* gtv = find(f.points, "GTV_recurrence");
  ASSERT_NE(gtv, nullptr);
  expect_near(gtv->position_mm, {145, -25, 22.5}, 1e-9);
  EXPECT_NEAR(*gtv->volume_cc, kBoxVolumeCc, 1e-12);
  EXPECT_NEAR(*gtv->radius_mm, *find(read.points, "GTV_recurrence")->radius_mm, 0);

  const PointRecord* p1 = find(f.points, "P1");
  ASSERT_NE(p1, nullptr);
  EXPECT_EQ(p1->position_mm, (geom::Point3{7, 8, 9}));
  EXPECT_TRUE(p1->registration_sop_instance_uid.empty());
  EXPECT_TRUE(p1->source_frame_of_reference_uid.empty());

  ASSERT_EQ(f.notes.size(), 5u);
  EXPECT_NE(f.notes[0].find("by REG 1.2.826.0.1.3680043.8.498.500.20 (file REG_followup.dcm)"), std::string::npos)
      << f.notes[0];
}

TEST(Followup, AFrameMismatchWithoutRegistrationIsRejectedNamingPointAndFrames) {
  const PointsRead read = points_from_structure_set(followup_set(), "P-0042");
  // A registration of some other pair of frames does not help.
  const std::vector<SpatialRegistration> unrelated{
      reg("1.2.826.0.1.3680043.8.498.500.21", kRegFrame,
          {{"1.2.826.0.1.3680043.8.498.500.99", shift({1, 0, 0}), "RIGID"}})};
  for (const auto& regs : {std::vector<SpatialRegistration>{}, unrelated}) {
    const FramedPoints f = to_planning_frame(read.points, kPlanning, regs);
    EXPECT_TRUE(f.points.empty());
    ASSERT_EQ(f.rejected.size(), read.points.size());
    for (const Diagnostic& d : f.rejected) {
      EXPECT_EQ(d.severity, Severity::Error);
      EXPECT_NE(d.message.find(kFollowup), std::string::npos) << d.message;
      EXPECT_NE(d.message.find(kPlanning), std::string::npos) << d.message;
    }
    EXPECT_NE(f.rejected[0].message.find("'SLN_IMN_L'"), std::string::npos) << f.rejected[0].message;
    EXPECT_EQ(f.rejected[0].element, "RS_followup.dcm ROI 1 'SLN_IMN_L'");
  }
}

TEST(Followup, ChainThroughTheRegistrationFrameWithBothFramesAsItems) {
  // The REG's frame is neither: the follow-up frame maps into it by a shift, the planning frame by a
  // rotation plus shift. p_P = M_P^-1 M_F p_F.
  const std::vector<SpatialRegistration> regs{
      reg("1.2.826.0.1.3680043.8.498.500.22", kRegFrame,
          {{kFollowup, shift({10, 0, 0}), "RIGID"}, {kPlanning, rot_z90({0, 0, 5}), "RIGID"}})};
  PointRecord p;
  p.point_id = "R1";
  p.position_mm = {1, 2, 3};
  p.frame_of_reference_uid = kFollowup;
  const FramedPoints f = to_planning_frame({p}, kPlanning, regs);
  ASSERT_EQ(f.points.size(), 1u) << dump(f.rejected);
  // By hand: p_A = (11, 2, 3); minus (0, 0, 5) = (11, 2, -2); rotated -90 degrees: (2, -11, -2).
  expect_near(f.points[0].position_mm, {2, -11, -2}, 1e-9);
  EXPECT_EQ(f.points[0].source_frame_of_reference_uid, kFollowup);
  EXPECT_EQ(f.points[0].registration_sop_instance_uid, "1.2.826.0.1.3680043.8.498.500.22");

  // With the planning item not invertible (scaled), the chain is refused, not approximated.
  std::vector<SpatialRegistration> bad = regs;
  bad[0].frames[1].to_registration_frame[0] = 2;
  const FramedPoints g = to_planning_frame({p}, kPlanning, bad);
  EXPECT_TRUE(g.points.empty());
  ASSERT_EQ(g.rejected.size(), 1u);
  EXPECT_NE(g.rejected[0].message.find("'R1'"), std::string::npos);
}

}  // namespace
}  // namespace rtaudit::recurrence
