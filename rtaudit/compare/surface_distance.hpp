#pragma once
// Surface distances between two structures on their slab-stack surfaces (DOMAIN.md section 6):
// Hausdorff distance, HD95, mean surface distance, surface Dice (Nikolov et al. 2018) and added
// path length (Vaassen et al. 2020). Computed on the contour surfaces (geom::SurfaceMesh), never on
// voxels: each surface is sampled deterministically with area weights and every sample's exact
// distance to the other surface is computed. When the structures are at hand, the distance comes
// from their planes (2-D distances to each plane's edges and caps combined with the z distance to its
// slab extent: the same surface, exactly, and several times faster); from a mesh alone it comes from
// CGAL's AABB tree over its triangles.
//
// Roles: `a` is the reference, `b` the structure evaluated against it (as in overlap.hpp). Every
// metric here is symmetric except the added path length, which is measured on the reference.

#include "rtaudit/geom/surface.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace rtaudit::compare {

struct SurfaceDistanceOptions {
  /// Sampling of both surfaces: default 4 samples/mm² (spacing about 0.5 mm) plus every mesh
  /// vertex at weight 0, so Hausdorff maxima at corners are exact.
  geom::SamplingOptions sampling{};
  /// Tolerances (mm) at which the surface Dice is reported.
  std::vector<double> surface_dice_tolerances_mm{2.0, 3.0};
  /// Added path length: a piece of the reference contour counts as "kept" when it lies within this
  /// distance (mm, in-plane) of the evaluated contour on the same plane. Vaassen et al. used "not on
  /// the same voxel"; on exact polygons we use a distance: 1 mm by default.
  double apl_tolerance_mm = 1.0;
  /// Planes of a and b whose z differ by at most this much are the same slice (mm).
  double plane_match_tolerance_mm = 0.05;
};

/// One direction, from the samples of one surface to the other surface (mm).
struct DirectedDistance {
  double max_mm = 0;       ///< largest distance (over samples and mesh vertices)
  double p95_mm = 0;       ///< area-weighted 95th percentile: the smallest sample distance d with at
                           ///< least 95 % of the surface area at distance <= d (no interpolation)
  double mean_mm = 0;      ///< area-weighted mean distance
  double area_mm2 = 0;     ///< area of the surface the samples stand for
  std::size_t samples = 0; ///< area-weighted samples (vertices not counted)
};

/// Surface Dice at one tolerance (Nikolov et al., arXiv:1809.04430, 2018): the area of each surface
/// within `tolerance_mm` of the other, over the total area of both surfaces, in [0, 1].
struct SurfaceDice {
  double tolerance_mm = 0;
  double value = 0;
};

struct SurfaceDistances {
  DirectedDistance a_to_b;  ///< from a's surface to b's
  DirectedDistance b_to_a;  ///< from b's surface to a's
  double hausdorff_mm = 0;  ///< HD = max(a_to_b.max, b_to_a.max)
  double hd95_mm = 0;       ///< HD95 = max(a_to_b.p95, b_to_a.p95), area weighted (rtaudit's convention)
  double msd_mm = 0;        ///< MSD = area-weighted mean over both surfaces together:
                            ///< (a_to_b.mean·|Sa| + b_to_a.mean·|Sb|) / (|Sa| + |Sb|)
  std::vector<SurfaceDice> surface_dice;  ///< one per SurfaceDistanceOptions::surface_dice_tolerances_mm
  /// Added path length (Vaassen et al., Phys Imaging Radiat Oncol 2020): Σ over a's planes of the
  /// length (mm) of a's contour farther than apl_tolerance_mm (in-plane) from b's contour on the
  /// same plane; a plane of a with no plane of b counts with its whole contour.
  double added_path_length_mm = 0;
  double apl_tolerance_mm = 0;  ///< the tolerance the added path length used
};

/// HD95 as plastimatch reports it: the mean of the two directed 95th percentiles. Offered by name
/// only, for comparison with plastimatch; rtaudit's HD95 is SurfaceDistances::hd95_mm (the max).
[[nodiscard]] double hd95_plastimatch_mm(const SurfaceDistances& d);

struct SurfaceDistanceError {
  std::string reason;
};

struct SurfaceDistanceResult {
  std::optional<SurfaceDistances> distances;  ///< set on success
  std::optional<SurfaceDistanceError> error;
};

/// All surface metrics of reference `a` and evaluated `b`. Fails (with the reason) when either
/// structure has no surface (no plane, or no slab thickness).
[[nodiscard]] SurfaceDistanceResult surface_distances(const geom::Structure& a, const geom::Structure& b,
                                                      const SurfaceDistanceOptions& options = {});

/// The same on prebuilt meshes (reuse a mesh against many structures). The added path length is
/// computed only when both structures are given.
[[nodiscard]] SurfaceDistanceResult surface_distances(const geom::SurfaceMesh& a, const geom::SurfaceMesh& b,
                                                      const SurfaceDistanceOptions& options = {},
                                                      const geom::Structure* a_structure = nullptr,
                                                      const geom::Structure* b_structure = nullptr);

/// Directed distances from samples (of one surface) to `to` (mm).
[[nodiscard]] DirectedDistance directed_distance(const std::vector<geom::SurfaceSample>& from, const geom::SurfaceMesh& to);

/// Added path length (mm) of `reference` against `evaluated` (see SurfaceDistances). Exact on the
/// polygons: for each reference edge, the parts within the tolerance of any evaluated edge are
/// intervals (a line meets each capsule around an edge in one interval), united and subtracted.
[[nodiscard]] double added_path_length_mm(const geom::Structure& reference, const geom::Structure& evaluated,
                                          double tolerance_mm = 1.0, double plane_match_tolerance_mm = 0.05);

}  // namespace rtaudit::compare
