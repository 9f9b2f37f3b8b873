#pragma once
// A point of interest (a recurrence, an IM sentinel node, a node suspicious on imaging) against one
// CTV: inside or outside, exact signed distance to the CTV's surface, the nearest border, the
// intercostal space, and the class in-field / marginal / outside (DOMAIN.md section 3).
//
// Geometry: the CTV's slab-model solid (geom/structure.hpp) and its closed triangulated surface
// (geom/surface.hpp). The distance is the exact 3-D distance to that surface (CGAL AABB tree), the
// sign from point-in-solid (negative inside). The nearest border is the direction from the point to
// its nearest surface point (outward), named by its largest component in patient axes: cranial
// (+z) / caudal (-z), ventral (-y) / dorsal (+y), medial / lateral by the treated side.
//
// Class, by dose when a dose grid and a prescription are given: for a lesion with a size, in-field
// when >= 95 % of its volume lies within the 95 % isodose (Dawson et al., IJROBP 2000;46:1117),
// outside when < 20 % of it lies within the 20 % isodose, marginal otherwise (the dose bands of
// DOMAIN.md section 3 applied to the lesion's volume); a lesion without a size uses its centre's dose
// against the same levels: >= 95 % in-field, 20-95 % marginal, < 20 % outside. Else by distance
// (inside; outside within the marginal distance, the larger of the lesion's radius and a configurable
// margin; beyond). Every
// threshold is an option. The shares receiving >= 95 % and >= 20 % of the prescription are reported.

#include "rtaudit/dose/dose_volume.hpp"
#include "rtaudit/geom/structure.hpp"
#include "rtaudit/geom/surface.hpp"
#include "rtaudit/geom/types.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rtaudit::miss {

enum class PointClass { InField, Marginal, Outside };
[[nodiscard]] std::string_view to_string(PointClass c);  ///< "in-field", "marginal", "outside"

enum class NearestBorder { Cranial, Caudal, Medial, Lateral, Ventral, Dorsal };
[[nodiscard]] std::string_view to_string(NearestBorder b);

struct DoseClassOptions {
  double high_level_pct = 95;         ///< the in-field isodose, % of the prescription
  double low_level_pct = 20;          ///< the low isodose, % of the prescription
  double in_field_share_pct = 95;     ///< share of the lesion within the high isodose for in-field
  double marginal_share_pct = 20;     ///< share within the low isodose below which the lesion is outside
  /// Lesion spheres are sampled on axial planes this far apart (mm) for the dose shares.
  double sphere_plane_spacing_mm = 0.5;
};

struct ClassifyOptions {
  double marginal_margin_mm = 5.0;    ///< distance class: outside but within max(radius, this) = marginal
  DoseClassOptions dose;
};

/// A CTV prepared for many queries (its surface mesh and AABB tree are built once; thread-safe).
class CtvTarget {
 public:
  CtvTarget() = default;
  CtvTarget(std::string label, const geom::Structure& structure);
  [[nodiscard]] const std::string& label() const { return label_; }
  [[nodiscard]] const geom::Structure& structure() const { return structure_; }
  [[nodiscard]] const geom::SurfaceMesh& surface() const { return surface_; }
  [[nodiscard]] bool empty() const { return structure_.planes.empty(); }

 private:
  std::string label_;
  geom::Structure structure_;
  geom::SurfaceMesh surface_;
};

/// The geometric part: inside, signed distance, nearest surface point and border.
struct PointGeometry {
  bool inside = false;
  double signed_distance_mm = 0;    ///< negative inside; +inf for an empty CTV
  std::optional<geom::Point3> nearest_point;
  std::optional<NearestBorder> nearest_border;
};

/// `lateral_sign` = +1 when lateral is +x (left side treated), -1 for the right side, 0 unknown
/// (medial/lateral then named "lateral" for +x: reported by the caller).
[[nodiscard]] PointGeometry locate(const CtvTarget& ctv, const geom::Point3& p, double lateral_sign);
/// The same, starting the nearest-face search from `hint` (updated to this point's face).
[[nodiscard]] PointGeometry locate(const CtvTarget& ctv, const geom::Point3& p, double lateral_sign, std::optional<std::size_t>& hint);
/// Many points at once (both cores): the same as locate() for each. The points are visited in Morton
/// (z-order) order so that each query starts from its predecessor's nearest face.
[[nodiscard]] std::vector<PointGeometry> locate_all(const CtvTarget& ctv, std::span<const geom::Point3> points,
                                                    double lateral_sign, unsigned threads = 0);

struct DoseShares {
  double prescription_gy = 0;
  std::optional<double> share_high_pct;  ///< share of the lesion receiving >= high_level of the prescription
  std::optional<double> share_low_pct;   ///< ... >= low_level
  std::optional<double> centre_dose_gy;
  std::optional<double> min_gy, mean_gy, max_gy;
  std::string method;                    ///< "sphere r = 5 mm, exact partial-volume DVH" or "centre dose"
  bool complete = true;                  ///< false when part of the lesion lies outside the dose grid
};

/// The lesion: a point with an optional radius (or an equivalent-sphere radius from a volume).
struct Lesion {
  geom::Point3 centre;
  std::optional<double> radius_mm;
};

/// Dose shares of a lesion (sphere when it has a radius, else its centre). Empty when the centre
/// lies outside the dose grid.
[[nodiscard]] std::optional<DoseShares> lesion_dose(const Lesion& lesion, const dose::DoseVolume& dose,
                                                    double prescription_gy, const DoseClassOptions& options = {});

struct PointVsCtv {
  std::string ctv;                    ///< the CTV's label
  PointGeometry geometry;
  PointClass distance_class = PointClass::Outside;
  double marginal_distance_mm = 0;    ///< the distance threshold used
  std::optional<DoseShares> dose;
  std::optional<PointClass> dose_class;
  PointClass classification = PointClass::Outside;  ///< dose_class when there is one, else distance_class
  std::string basis;                  ///< "dose (Dawson 2000 shares)", "dose at the centre", "distance"
};

/// Classifies one lesion against one CTV. `dose` may be null (distance only); prescription_gy <= 0
/// also means distance only (said in basis).
[[nodiscard]] PointVsCtv classify(const CtvTarget& ctv, const Lesion& lesion, double lateral_sign,
                                  const dose::DoseVolume* dose, double prescription_gy,
                                  const ClassifyOptions& options = {});

/// The equivalent-sphere radius of a volume (cc).
[[nodiscard]] double sphere_radius_mm(double volume_cc);

}  // namespace rtaudit::miss
