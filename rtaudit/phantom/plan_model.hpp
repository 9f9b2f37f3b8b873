#pragma once
// The phantom's treatment plan: a mono-isocentric breast technique made from the PTVs' geometry.
//
// Technique (HFS, couch 0, conventions of beam_geometry.hpp):
//  * Tangential pair (medial "MED TANG", lateral "LAT TANG"), 6 MV, collimator 0. Their posterior
//    field edge is one plane for both beams (non-divergent "chest-wall" edge): at the central slice of
//    the breast PTV (its centroid z) the line joining the medial and lateral extremes of the tangent
//    target -- the posterior edge of the convex hull of that slice's target points (outward normal
//    toward posterior) with the widest medial-lateral extent -- is shifted posteriorly until every tangent-target vertex (all slices) lies at least the
//    margin anterior of it; both sources are put on that line (distance SAD from the isocentre), so
//    the gantry angles differ from a parallel-opposed pair by twice the divergence angle
//    asin(h / SAD), h = distance from the isocentre to the line. Left breast: medial ~290-320 deg,
//    lateral ~110-140 deg (with the chest-wall slope); mirrored for the right breast. The posterior X jaw is set on that plane.
//  * Nodal beam ("NODAL"), 6 MV, gantry 350 (left) / 10 (right) (anterior, 10 deg toward the
//    contralateral side to spare the cord), covering the part of the nodal PTV above the match plane.
//  * Match plane: when a nodal PTV reaches above the breast PTV, the isocentre is put at the breast
//    PTV's superior edge z (match plane) and the tangents use Y2 = 0 and the nodal beam Y1 = 0
//    (half-beam blocks), so every match edge is the axial plane z = z_match. The nodal PTV below the
//    match plane (IMN) is covered by the tangents ("wide tangents"). Without a nodal beam the
//    isocentre is at the breast PTV centroid.
//  * Isocentre x, y: the breast PTV centroid.
//  * Jaws: the target's BEV projection (divergent, all contour vertices) plus the margin (7 mm), plus
//    the flash (20 mm) on the anterior side of the tangents; limited to +-200 mm (40 x 40 cm).
//  * MLC: Millennium 120-like MLCX (millennium120_boundaries); each leaf pair opens to the target's
//    BEV projection dilated by the margin (square dilation: the projection within the pair's band
//    widened by the margin in y, then the margin in x), clamped to the jaws; pairs with no target and
//    pairs outside the Y jaws are closed (both banks at the X1 jaw).
//  * Dose: each tangent gives half the prescription and the nodal beam the full prescription at its
//    dose specification point (tangents: the breast PTV centroid; nodal: the centroid of the nodal
//    PTV above the match plane, or an interior point of its nearest plane when the centroid falls
//    outside that target). Beam::weight is that share; Beam::beam_dose_gy = share * prescription / fractions.
//    Monitor units: MU = 100 * beam_dose_gy / R(spec), R the dose model's relative response
//    (dose_model.hpp), i.e. 1 cGy/MU where R = 1.

#include "rtaudit/case/plan.hpp"
#include "rtaudit/geom/structure.hpp"
#include "rtaudit/phantom/side.hpp"

#include <string>

namespace rtaudit::phantom {

struct PlanInputs {
  Side side = Side::Left;
  const geom::Structure* breast_ptv = nullptr;  ///< required
  const geom::Structure* nodal_ptv = nullptr;   ///< optional (supraclavicular + IMN)
  const geom::Structure* body = nullptr;        ///< required (external contour), for MU and checks
  double prescription_gy = 40.05;
  int fractions = 15;
  double sad_mm = 1000;
  double energy_mv = 6;
  double margin_mm = 7;          ///< aperture margin around the target projection (BEV, isocentre plane)
  double flash_mm = 20;          ///< anterior opening of the tangents beyond the target
  double nodal_oblique_deg = 10; ///< nodal beam angle from anterior toward the contralateral side
  // Identification copied into the Plan.
  std::string sop_instance_uid;
  std::string series_uid;
  std::string label = "BREAST";
  std::string name = "Breast tangents";
  std::string date;
  std::string time;
  std::string referenced_structure_set_uid;
};

/// Builds the plan. Throws std::invalid_argument when the breast PTV or the body is missing or empty.
[[nodiscard]] Plan make_breast_plan(const PlanInputs& inputs);

}  // namespace rtaudit::phantom
