#pragma once
// A structure as a stack of axial planes, each a region built from the ROI's contours on it, each
// standing for a slab of the structure's slice spacing (DOMAIN.md section 6). This is exact for
// what a planning system stores, so volumes and overlaps come from polygon areas, never voxels.

#include "rtaudit/geom/types.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtaudit::geom {

struct Plane {
  double z_mm = 0;
  MultiPolygon region;
  double area_mm2 = 0;
  std::vector<std::size_t> contours;  ///< indices of the contours that built it
};

struct Structure {
  std::vector<Plane> planes;  ///< sorted by z, ascending
  /// Slab thickness (mm): the most common gap between planes, or the fallback for a single plane;
  /// 0 when the thickness is unknown (single plane without fallback).
  double slab_mm = 0;
  bool slab_from_fallback = false;
};

/// Why a contour was not used as stored, or what is wrong with the structure as a whole.
enum class IssueCode {
  NotClosedPlanar,            ///< POINT / OPEN_* contour: no area (not used for the volume)
  TooFewPoints,               ///< fewer than 3 distinct points (dropped)
  NonFiniteCoordinate,        ///< NaN or infinite coordinate (dropped)
  NotOnOnePlane,              ///< points spread in z beyond the plane tolerance (dropped)
  ZeroArea,                   ///< closed contour enclosing no area (dropped)
  SelfIntersectionRepaired,   ///< split into simple loops at its self-intersections (used, repaired)
  OverlapUnited,              ///< overlapped another contour of the plane without nesting (united)
  OutsideImage,               ///< lies partly or wholly outside the image volume (used, flagged)
  NoContours,                 ///< the ROI has no contour at all
  NoClosedContours,           ///< contours exist but none encloses an area
  MissingPlanes,              ///< a gap between planes wider than the slab (left as a gap)
  SinglePlane,                ///< one plane and no slice spacing to give it a thickness
};

[[nodiscard]] std::string_view to_string(IssueCode code);
/// True when the contour concerned did not enter the structure at all.
[[nodiscard]] bool drops_contour(IssueCode code);

struct Issue {
  IssueCode code;
  std::optional<std::size_t> contour;  ///< index into the ROI's contour list, when about one contour
  std::string detail;
};

struct BuildOptions {
  /// Contours whose z differ by at most this much belong to one plane; also the allowed z spread
  /// of the points of one contour (DS rounding jitter).
  double plane_tolerance_mm = 0.05;
  /// Slab thickness for a structure with a single plane (e.g. the CT slice spacing).
  std::optional<double> fallback_slab_mm;
  /// The image volume, to flag contours outside it.
  std::optional<Box3> image_bounds;
};

struct StructureBuild {
  Structure structure;
  std::vector<Issue> issues;
  std::size_t contours_used = 0;
  std::size_t contours_dropped = 0;
};

/// Builds the plane stack of one ROI from its stored contours. Never throws on bad geometry: every
/// contour not used as stored is reported in `issues` with its index.
[[nodiscard]] StructureBuild build_structure(const std::vector<Contour>& contours, const BuildOptions& options = {});

/// How the stored contours (of any geometric type, with at least one point) fall on z planes:
/// the counts an RTSTRUCT viewer shows, independent of whether the contours enclose area.
struct ContourPlanes {
  std::size_t planes = 0;
  std::size_t max_contours_per_plane = 0;
};
[[nodiscard]] ContourPlanes count_contour_planes(const std::vector<Contour>& contours, double tolerance_mm = 0.05);

// ---- Measures on the plane model (all exact on the polygons) ----

/// Volume in cc: sum of plane areas times the slab thickness. Empty when the structure has no
/// plane or its slab thickness is unknown (single plane, no fallback).
[[nodiscard]] std::optional<double> volume_cc(const Structure& s);

/// Bounding box including the half-slab end caps in z. Empty for a structure without planes.
[[nodiscard]] std::optional<Box3> bounding_box(const Structure& s);

/// Volume-weighted centroid. Empty for a structure without area.
[[nodiscard]] std::optional<Point3> centroid(const Structure& s);

/// True when p lies in the slab of a plane and inside (or on the boundary of) its region.
[[nodiscard]] bool contains(const Structure& s, const Point3& p);

/// The plane on the same CT slice as z: the one within `tolerance_mm` of it (DS rounding jitter; the
/// tolerance that groups contours into planes), or nullptr. Unlike plane_at, a neighbouring plane
/// whose slab merely covers z does not count.
[[nodiscard]] const Plane* plane_on_slice(const Structure& s, double z_mm, double tolerance_mm = 0.05);

/// The plane whose slab holds z, if any.
[[nodiscard]] const Plane* plane_at(const Structure& s, double z_mm);

}  // namespace rtaudit::geom
