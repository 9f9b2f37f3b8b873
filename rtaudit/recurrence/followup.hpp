#pragma once
// Recurrences and other points given as DICOM: POINT ROIs and recurrence contours (e.g.
// "GTV_recurrence") in the RTSTRUCT of a follow-up scan, and the rigid registrations (REG) that bring
// them into the planning frame. Frames are never mixed silently: a point whose frame of reference is
// not the planning frame and that no registration links to it is rejected with the reason.

#include "rtaudit/case/diagnostic.hpp"
#include "rtaudit/case/registration.hpp"
#include "rtaudit/case/structure_set.hpp"
#include "rtaudit/recurrence/points_file.hpp"

#include <string>
#include <vector>

namespace rtaudit::recurrence {

struct FollowupOptions {
  /// Case-insensitive substrings of an ROI name that mark a recurrence contour (its centroid and
  /// volume become one point) or, for a POINT ROI, a recurrence. Sentinel and suspicious nodes are
  /// recognised by `sentinel_name_patterns` / `suspicious_name_patterns`.
  std::vector<std::string> recurrence_name_patterns{"recurrence", "recur", "recidive", "rezidiv", "gtv_rec", "gtvrec", "relapse"};
  std::vector<std::string> sentinel_name_patterns{"sentinel", "sln", "snb"};
  std::vector<std::string> suspicious_name_patterns{"suspicious", "susp", "node_mri", "node_pet"};
  /// Plane tolerance for building a recurrence contour into the plane model (as geom::BuildOptions).
  double plane_tolerance_mm = 0.05;
};

/// The points a follow-up structure set holds:
///  - every POINT contour of an ROI (RTROIInterpretedType MARKER / ISOCENTER are not recurrences and
///    are skipped, reported as info) becomes one point; the kind comes from the name patterns, else
///    "recurrence" when the ROI's interpreted type or name says so, else the ROI is reported and skipped;
///  - every ROI whose name matches a recurrence pattern and has closed planar contours becomes one point
///    at its volume centroid (slab model) with volume_cc and radius_mm of the sphere of that volume.
/// point_id is the ROI name (with "#k" for the k-th point of a multi-point ROI), frame_of_reference_uid
/// the structure set's, patient_id `patient_id`, source "FILE ROI n 'NAME'". Every ROI looked at and not
/// used is reported (info) so nothing is dropped silently.
[[nodiscard]] PointsRead points_from_structure_set(const StructureSet& set, const std::string& patient_id,
                                                   const FollowupOptions& options = {});

struct FramedPoints {
  std::vector<PointRecord> points;       ///< all in the planning frame
  std::vector<Diagnostic> rejected;      ///< one Error per point that could not be brought into it
  std::vector<std::string> notes;        ///< e.g. "R7: moved from frame X by REG Y (file Z)"
};

/// Brings every point into `planning_frame`: unchanged when its frame is the planning frame; moved by
/// the registration linking the frames otherwise (source_frame_of_reference_uid and
/// registration_sop_instance_uid record how; radius and volume are kept, a rigid transform preserves
/// them); rejected when nothing links them, naming the point, its frame and the planning frame.
[[nodiscard]] FramedPoints to_planning_frame(std::vector<PointRecord> points, const std::string& planning_frame,
                                             const std::vector<SpatialRegistration>& registrations);

}  // namespace rtaudit::recurrence
