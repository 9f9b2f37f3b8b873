#pragma once
// Exact volumetric comparison of two structures on the plane model (DOMAIN.md section 6): polygon
// Boolean operations per plane (Boost.Geometry) times the z-extent the two planes share. No voxels.
//
// Roles: `a` is the reference, `b` the structure evaluated against it (e.g. a = guideline
// reference CTV, b = clinician's CTV; or a = expert, b = auto-contour). Dice and Jaccard are
// symmetric; the volume ratio, missed and added volumes are not.
//
// The slab model (same as geom::contains and geom::SurfaceMesh): plane k of a structure stands for
// the z-extent [z_k - slab/2, z_k + slab/2] (cut at the midpoint to a neighbouring plane closer
// than one slab; geom::slab_extents). The intersection volume is, over every pair of planes of a
// and b whose extents overlap, area(region_a ∩ region_b) × length of the shared z-extent. That is
// exact for the slab model whatever the two slice spacings: with equal spacings on the same CT each
// plane meets exactly its partner; with different spacings a plane meets every plane of the other
// structure its extent overlaps, each for the overlapping length only. A plane present in only one
// structure contributes to that structure's volume only.
//
// Plane matching: a plane of b within `plane_match_tolerance_mm` (default 0.05 mm, the tolerance
// that groups contours into planes) of a plane of a is the same CT slice: it is taken at a's z
// before the extents are computed (DS rounding jitter does not leak volume into neighbours).

#include "rtaudit/geom/structure.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace rtaudit::compare {

struct OverlapOptions {
  /// Planes of a and b whose z differ by at most this much are the same slice (mm).
  double plane_match_tolerance_mm = 0.05;
};

/// Volumes in cc (1 cc = 1000 mm³) and the derived ratios of a reference `a` and an evaluated `b`.
struct Overlap {
  double volume_a_cc = 0;             ///< Σ area × extent of a's planes (= geom::volume_cc(a) unless two planes are closer than a slab)
  double volume_b_cc = 0;             ///< same for b
  double intersection_cc = 0;         ///< |a ∩ b|: exact polygon intersection areas × shared z-extent
  double union_cc = 0;                ///< |a ∪ b| = |a| + |b| − |a ∩ b| (inclusion–exclusion, exact)
  std::optional<double> dice;         ///< 2|a ∩ b| / (|a| + |b|), in [0, 1]; empty when both volumes are 0
  std::optional<double> jaccard;      ///< |a ∩ b| / |a ∪ b|, in [0, 1]; empty when the union is 0
  std::optional<double> volume_ratio; ///< |b| / |a| (evaluated over reference); empty when |a| = 0
  double missed_cc = 0;               ///< |a \ b| = |a| − |a ∩ b|: reference volume b does not cover
  double added_cc = 0;                ///< |b \ a| = |b| − |a ∩ b|: volume of b outside the reference
  std::size_t matched_planes = 0;     ///< planes of b matched to a plane of a (same slice)
  std::size_t planes_only_a = 0;      ///< planes of a with no plane of b within the tolerance
  std::size_t planes_only_b = 0;      ///< planes of b with no plane of a within the tolerance
};

/// Why an overlap could not be computed.
struct OverlapError {
  std::string reason;
};

struct OverlapResult {
  std::optional<Overlap> overlap;  ///< set on success
  std::optional<OverlapError> error;
};

/// Exact overlap of reference `a` and evaluated `b` on the slab model (see the file comment).
/// Fails (with the reason) when a structure with planes has no slab thickness (single plane
/// without slice spacing). A structure without planes has volume 0 (its Dice against anything
/// non-empty is 0).
[[nodiscard]] OverlapResult overlap(const geom::Structure& a, const geom::Structure& b, const OverlapOptions& options = {});

/// Convenience: Dice of a and b (empty when undefined or not computable).
[[nodiscard]] std::optional<double> dice(const geom::Structure& a, const geom::Structure& b);
/// Convenience: Jaccard of a and b (empty when undefined or not computable).
[[nodiscard]] std::optional<double> jaccard(const geom::Structure& a, const geom::Structure& b);

}  // namespace rtaudit::compare
