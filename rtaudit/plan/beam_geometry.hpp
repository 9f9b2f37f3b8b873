#pragma once
// Beam's-eye-view geometry of an external beam (IEC 61217), for a head-first-supine (HFS) patient.
//
// Coordinate conventions (all lengths in mm):
//  * Patient: DICOM patient coordinates LPS: +x toward the patient's left, +y posterior, +z head.
//  * IEC FIXED (f): origin at the isocentre, +X_f to the right of an observer at the foot of the couch
//    facing the gantry, +Y_f toward the gantry, +Z_f up. For HFS at couch 0: X_f = +x (patient left),
//    Y_f = +z (head), Z_f = -y (anterior).
//  * Gantry angle g: rotation of the gantry about Y_f, clockwise seen from the foot of the couch
//    looking toward the gantry. The source sits at SAD * (sin g, 0, cos g) in FIXED: gantry 0 = source
//    anterior (at -y in LPS), gantry 90 = source at the patient's left (+x), 180 = posterior,
//    270 = patient's right. Gantry axes: X_g = (cos g, 0, -sin g), Y_g = Y_f, Z_g = toward the source.
//  * Collimator angle c (beam limiting device, BLD): rotation about Z_g, counter-clockwise in the
//    beam's-eye view (seen from the source): X_b = cos c X_g + sin c Y_g, Y_b = -sin c X_g + cos c Y_g.
//  * Couch angle (patient support) s: rotation of the couch about Z_f, counter-clockwise seen from
//    above: the patient's left (X_s) = cos s X_f + sin s Y_f, the head (Y_s) = -sin s X_f + cos s Y_f.
//  * Beam's-eye view (BEV): coordinates (x, y) along X_b and Y_b on the isocentre plane (the plane
//    through the isocentre normal to the central axis) after divergent projection from the source;
//    at gantry = collimator = couch = 0 (HFS) BEV x = patient left, BEV y = patient head. Jaws X1/X2
//    and MLCX leaves move along BEV x; Y1/Y2 and the MLCX leaf-pair boundaries lie along BEV y.
//  * Depth (here): distance from the source measured along the central axis (SAD at the isocentre
//    plane); it is what the divergent projection divides by. The distance along the ray through the
//    point is depth * sqrt(1 + (x^2 + y^2) / SAD^2).
// Only HFS is supported; other patient positions would change the patient -> IEC mapping only.

#include "rtaudit/case/plan.hpp"
#include "rtaudit/geom/types.hpp"

#include <vector>

namespace rtaudit::plan {

/// A vector or point in patient coordinates (mm); geom::Point3 doubles as a vector.
using Vec3 = geom::Point3;

/// The IEC BLD frame of one beam, expressed in patient (LPS) coordinates.
struct BeamFrame {
  Vec3 isocentre;   ///< patient mm
  Vec3 source;      ///< patient mm: isocentre + SAD * z_axis
  Vec3 x_axis;      ///< unit X_b in patient coordinates (BEV x direction)
  Vec3 y_axis;      ///< unit Y_b (BEV y direction)
  Vec3 z_axis;      ///< unit Z_b, from the isocentre toward the source (opposite to the beam direction)
  double sad_mm = 1000;
};

/// The frame of a beam with the given IEC angles (degrees), isocentre (patient mm) and SAD.
[[nodiscard]] BeamFrame beam_frame(double gantry_deg, double collimator_deg, double couch_deg,
                                   const Vec3& isocentre, double sad_mm = 1000);
[[nodiscard]] BeamFrame beam_frame(const Beam& beam);

/// A patient point in the beam's-eye view.
struct BevPoint {
  double x_mm = 0;      ///< along X_b, projected onto the isocentre plane
  double y_mm = 0;      ///< along Y_b, projected onto the isocentre plane
  double depth_mm = 0;  ///< distance from the source along the central axis (SAD at the isocentre)
};

/// Divergent projection of a patient point onto the isocentre plane. Points at or behind the source
/// (depth <= 0) have no projection: x and y are then infinite and depth is returned as is.
[[nodiscard]] BevPoint project_to_bev(const BeamFrame& frame, const Vec3& patient_point);

/// Inverse of project_to_bev: the patient point seen at BEV (x, y) at the given central-axis depth.
[[nodiscard]] Vec3 bev_to_patient(const BeamFrame& frame, const BevPoint& bev);

/// Unit vector from the source through BEV point (x, y) on the isocentre plane (the ray direction).
[[nodiscard]] Vec3 ray_direction(const BeamFrame& frame, double x_mm, double y_mm);

/// An axis-aligned rectangle of the BEV (isocentre plane, mm).
struct BevRect {
  double x0 = 0, x1 = 0, y0 = 0, y1 = 0;  ///< x0 <= x1, y0 <= y1
};

/// The open aperture of a beam (jaws intersected with the MLC) as disjoint rectangles, one per open
/// leaf pair (or the jaw rectangle when there is no MLC). Outside the MLC's leaf-pair range the MLC
/// does not block (only the jaws do). Empty rectangles are left out.
[[nodiscard]] std::vector<BevRect> aperture_rectangles(const Beam& beam);

/// True when BEV point (x, y) (isocentre plane) lies in the open aperture (jaws and MLC; edges count
/// as open).
[[nodiscard]] bool in_aperture(const Beam& beam, double x_mm, double y_mm);

/// True when the patient point lies in the beam's divergent aperture (in front of the source).
[[nodiscard]] bool in_field(const Beam& beam, const Vec3& patient_point);

/// Leaf-pair boundaries (mm at isocentre) of a Varian Millennium 120-like MLC: 60 pairs, the central
/// 40 of 5 mm (-100..100) and 10 of 10 mm on each side (-200..-100, 100..200): 61 boundaries.
[[nodiscard]] std::vector<double> millennium120_boundaries();

}  // namespace rtaudit::plan
