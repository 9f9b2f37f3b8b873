#pragma once
// The closed surface of a structure's slab stack as a triangle mesh (walls and caps), with exact
// point-to-surface distances (AABB tree), signed distances and deterministic area-weighted
// sampling. CGAL does the work in surface.cpp; nothing of CGAL shows in this header.
//
// The solid of a structure (the point set the surface bounds): plane k stands for a z-extent
// around it (see slab_extents). Two neighbouring planes no farther apart than 1.5 slabs (the
// threshold above which geom::build_structure reports missing planes) meet at their midpoint, so
// DS rounding jitter in the plane positions opens no crack; a wider gap stays a gap, each plane
// taking slab/2 on that side.

#include "rtaudit/geom/structure.hpp"

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace rtaudit::geom {

/// The z-extent (mm) a plane stands for in the slab model.
struct SlabExtent {
  double z_lo_mm = 0;
  double z_hi_mm = 0;
  [[nodiscard]] double thickness_mm() const { return z_hi_mm - z_lo_mm; }
};

/// The z-extent of each plane at z (ascending) for a slab thickness `slab_mm` > 0. Plane k covers
/// [lo_k, hi_k] with lo_k = z_k - slab/2 and hi_k = z_k + slab/2, except that two neighbours at
/// most 1.5 slabs apart share the boundary (z_k + z_k+1)/2 (bit-identical, so the extents tile).
/// With evenly spaced planes Σ area × thickness is geom::volume_cc exactly; with jittered or
/// irregular spacing it differs by the redistribution of the slab between neighbours (never
/// counting any z twice, unlike area × slab when two planes are closer than one slab).
[[nodiscard]] std::vector<SlabExtent> slab_extents(const std::vector<double>& z_mm, double slab_mm);
/// slab_extents of a structure's planes (empty when it has no plane or no slab thickness).
[[nodiscard]] std::vector<SlabExtent> slab_extents(const Structure& s);

/// A point on a surface standing for `weight_mm2` of its area.
struct SurfaceSample {
  Point3 point;
  double weight_mm2 = 0;
};

struct SamplingOptions {
  /// Samples per mm² of surface. Triangles are first bisected at their longest edge until no edge
  /// exceeds 4 sample spacings (spacing = 1/sqrt(density)); each piece is then cut into k²
  /// congruent sub-triangles whose centroids are the samples, each weighted by its sub-triangle's
  /// area (a midpoint quadrature: the weights sum to the surface area exactly), with
  /// k = ceil(sqrt(area × density)). So at least `density` samples per mm², none farther than
  /// about 2 spacings from the next. Default 4/mm²: spacing 0.5 mm.
  double density_per_mm2 = 4.0;
  /// Also add every mesh vertex as a sample of weight 0, so that maxima (Hausdorff distance) that
  /// sit at corners are found exactly; they do not change area-weighted statistics.
  bool include_vertices = true;
};

/// The closed triangulated surface of a slab stack, with an AABB tree for distance queries.
/// Immutable after construction; copies share the (read-only) mesh. Thread-safe for queries.
///
/// Walls: every ring edge of plane k extruded over the plane's extent. Caps at every extent
/// boundary z: region below minus region above faces up (+z), region above minus region below
/// faces down (−z) — at the first and last plane and at a gap that is the whole region. Faces are
/// oriented with outward normals. Cap polygons (with holes) are triangulated by a constrained
/// Delaunay triangulation of both planes' rings, faces marked by even-odd crossing parity.
class SurfaceMesh {
 public:
  /// An empty mesh (no triangles): every distance is +infinity.
  SurfaceMesh();
  /// Builds the surface of `s`. A structure with no plane or no slab thickness gives an empty mesh.
  explicit SurfaceMesh(const Structure& s);

  [[nodiscard]] std::size_t triangle_count() const;
  [[nodiscard]] bool empty() const { return triangle_count() == 0; }
  /// Sum of triangle areas (mm²).
  [[nodiscard]] double area_mm2() const;
  /// Volume enclosed by the oriented triangles (divergence theorem, cc). Equals the structure's
  /// slab-model volume when the surface is closed.
  [[nodiscard]] double enclosed_volume_cc() const;
  /// True when the triangles, with coincident vertices merged, form a closed (borderless) mesh
  /// (CGAL::is_closed on a Surface_mesh built from the triangle soup).
  [[nodiscard]] bool is_closed() const;

  /// Unsigned distance (mm) from p to the nearest point of the surface (exact up to floating point:
  /// closest(p)). +infinity for an empty mesh.
  [[nodiscard]] double distance_mm(const Point3& p) const;
  /// Signed distance (mm): negative inside the structure, positive outside, by geom::contains on
  /// the structure the mesh was built from (a point on the surface has distance 0 either way).
  [[nodiscard]] double signed_distance_mm(const Point3& p) const;

  /// The nearest point of the surface to p, its distance and the outward unit normal of the face it
  /// lies on. Empty for an empty mesh. The faces are the cap triangles and the wall rectangles (each
  /// ring edge over its plane's extent, one face although the mesh cuts it into triangles), in a CGAL
  /// AABB tree walked nearest box first, each measured exactly in double arithmetic.
  struct Closest {
    Point3 point;
    double distance_mm = 0;
    Point3 normal;  ///< outward unit normal of the nearest face
    std::size_t face = 0;  ///< index of the nearest face (a hint for a neighbouring query)
    /// The nearest point lies inside the face (not on an edge or vertex): the side of the point is
    /// then the side of the face's plane it lies on (outside when (p - point) . normal > 0).
    bool on_face_interior = false;
  };
  [[nodiscard]] std::optional<Closest> closest(const Point3& p) const;
  /// The same, starting the search from face `hint` (any index; the result does not depend on it,
  /// only the time: the nearest face of a neighbouring point bounds the search tightly).
  [[nodiscard]] std::optional<Closest> closest(const Point3& p, std::optional<std::size_t> hint) const;

  /// True when the closed segment a-b meets the surface (a touch counts), by the AABB tree's exact
  /// segment-triangle predicate. False for an empty mesh. A degenerate segment (a == b) meets the
  /// surface when the point lies on it. Casting a ray from outside the solid: the segment enters the
  /// solid exactly when it meets the surface, so this is the ray test of beam's-eye views.
  [[nodiscard]] bool intersects_segment(const Point3& a, const Point3& b) const;
  /// Where the segment a-b meets the surface: the smallest and largest parameters t in [0, 1] of its
  /// points on the surface (the point is a + t (b - a)); empty when it does not meet it (or the mesh
  /// is empty, or a == b). The intersection points are constructed in floating point.
  [[nodiscard]] std::optional<std::pair<double, double>> segment_entry_exit(const Point3& a, const Point3& b) const;

  /// Deterministic area-weighted samples of the surface (see SamplingOptions).
  [[nodiscard]] std::vector<SurfaceSample> sample(const SamplingOptions& options = {}) const;

  /// The triangles as vertex triples (outward-oriented), for export and tests.
  [[nodiscard]] std::vector<std::array<Point3, 3>> triangles() const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace rtaudit::geom
