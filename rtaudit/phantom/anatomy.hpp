#pragma once
// The phantom's anatomy: every dimension drawn from the thorax atlas with a deterministic RNG, and
// the analytic shapes (ellipses, superellipses, bands along the rib path, tubes) cut by any axial
// plane. Pure functions of value types; no DICOM, no files.
//
// Coordinates: DICOM LPS (mm), HFS: +x patient's left, +y posterior, +z head. z = 0 at the
// suprasternal notch, x = 0 the midline, y = 0 the centre of the chest ellipse.

#include "rtaudit/geom/types.hpp"
#include "rtaudit/phantom/atlas.hpp"
#include "rtaudit/phantom/side.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rtaudit::phantom {

inline constexpr int kRibCount = 6;

/// +1 for the patient's left (+x), -1 for the right.
[[nodiscard]] constexpr double side_sign(Side s) { return s == Side::Left ? 1.0 : -1.0; }
[[nodiscard]] constexpr std::size_t side_index(Side s) { return s == Side::Left ? 0 : 1; }
[[nodiscard]] constexpr Side other(Side s) { return s == Side::Left ? Side::Right : Side::Left; }
[[nodiscard]] constexpr const char* to_string(Side s) { return s == Side::Left ? "left" : "right"; }

/// The medial (sternal) end of one rib: the levels that define the intercostal spaces.
struct RibLevel {
  int number = 0;
  double top_z_mm = 0;     ///< cranial aspect of the medial end
  double height_mm = 0;    ///< cranio-caudal height of the anterior end
  double cartilage_length_mm = 0;  ///< costal cartilage, measured along the rib from the sternal edge
  [[nodiscard]] double bottom_z_mm() const { return top_z_mm - height_mm; }
  [[nodiscard]] double centre_z_mm() const { return top_z_mm - 0.5 * height_mm; }
};

struct Ellipsoid {
  geom::Point3 centre;
  double half_x_mm = 0;
  double half_y_mm = 0;
  double half_z_mm = 0;
};

/// A vessel as a polyline with a radius: the points within radius_mm of the polyline (3-D capsules).
struct Tube {
  std::vector<geom::Point3> points;
  double radius_mm = 0;
};

/// A vessel that runs cranio-caudally: its axial section at z is the disc of radius_mm around the
/// centreline point at z (linear between knots); it exists for z within the knots' range.
struct AxialTube {
  std::vector<geom::Point3> knots;  ///< sorted by z, descending (cranial first)
  double radius_mm = 0;
  [[nodiscard]] double top_z_mm() const { return knots.empty() ? 0 : knots.front().z; }
  [[nodiscard]] double bottom_z_mm() const { return knots.empty() ? 0 : knots.back().z; }
};

struct Anatomy {
  std::uint64_t seed = 0;
  /// Every dimension drawn from the atlas, by atlas name (each within its [min, max]).
  std::map<std::string, double> drawn;
  /// The side whose breast is the larger (treated) one.
  Side treated_side = Side::Left;

  // Body outline and chest wall.
  double body_half_width_mm = 0;
  double body_half_depth_mm = 0;
  double subcutaneous_fat_mm = 0;
  double presternal_mm = 0;
  double rib_path_half_width_mm = 0;  ///< lateral semi-axis of the ribs' centreline ellipse

  // Sternum (manubrium + body).
  double sternum_top_z_mm = 0;  ///< the suprasternal notch
  double manubriosternal_joint_z_mm = 0;
  double sternum_bottom_z_mm = 0;
  /// (z, half width) knots of the lateral sternal edge, cranial first; linear between them.
  std::vector<std::array<double, 2>> sternum_half_width_knots;
  double manubrium_thickness_mm = 0;
  double sternum_body_thickness_mm = 0;
  double sternum_cortex_mm = 0;

  // Ribs 1-6 (one draw for both sides).
  std::array<RibLevel, kRibCount> ribs{};
  double rib_thickness_mm = 0;
  double rib_cortex_mm = 0;
  double rib_rise_start_x_mm = 0;
  double rib_rise_slope = 0;

  // Internal mammary vessels.
  double imv_offset_mm = 0;           ///< vein centre lateral of the sternal edge
  double ima_offset_from_vein_mm = 0; ///< artery centre lateral of the vein centre
  double imv_radius_mm = 0;
  double ima_radius_mm = 0;
  double imv_gap_cartilage_mm = 0;
  double imv_gap_pleura_mm = 0;
  double imv_junction_z_mm = 0;  ///< IM vein enters the brachiocephalic vein (= caudal limit of CTVn_L4)
  double ima_origin_z_mm = 0;    ///< IM artery leaves the subclavian artery
  double im_bottom_z_mm = 0;     ///< caudal end of the modelled IM vessels

  // Great vessels.
  double bcv_radius_mm = 0;
  double scv_radius_mm = 0;
  double sca_radius_mm = 0;
  double ijv_radius_mm = 0;
  double svc_radius_mm = 0;

  Ellipsoid heart;
  double lad_radius_mm = 0;
  double lung_apex_z_mm = 0;
  double mediastinum_half_width_mm = 0;
  double spine_radius_mm = 0;

  // Breasts (treated side full size, contralateral scaled).
  double breast_centre_x_mm = 0;  ///< |x| of the breast centre
  double breast_centre_z_mm = 0;
  double breast_half_width_mm = 0;
  double breast_projection_mm = 0;
  double breast_half_height_mm = 0;
  double breast_contralateral_scale = 1;
  double breast_ctv_skin_margin_mm = 0;
};

/// Draws every atlas dimension within its range (truncated normal around the mean, sd = range / 4;
/// one mt19937_64 stream per dimension seeded from the seed and the dimension's name, with our own
/// Box-Muller transform, so the same seed gives the same anatomy on every platform).
[[nodiscard]] Anatomy make_anatomy(const ThoraxAtlas& atlas, std::uint64_t seed);

/// The heart pushed against the anterior chest wall behind the treated side's IM vessels, raised to
/// the level of rib 4 (the `heart-close` variant's anatomy).
[[nodiscard]] Anatomy with_heart_close(Anatomy anatomy, Side treated);

// ---- Landmark functions (exact, continuous in z) ----

/// Half width of the sternum at z (the lateral sternal edge is at x = +-half width). Above the notch
/// the manubrium's top width, below the sternum its caudal width (the IM vessels follow it).
[[nodiscard]] double sternal_half_width_mm(const Anatomy& a, double z_mm);
/// Antero-posterior thickness of the sternum at z (manubrium above the joint, body below; linear
/// over +-5 mm around the joint).
[[nodiscard]] double sternal_thickness_mm(const Anatomy& a, double z_mm);
/// y of the sternum's centre at z.
[[nodiscard]] double sternal_centre_y_mm(const Anatomy& a, double z_mm);
[[nodiscard]] bool sternum_exists(const Anatomy& a, double z_mm);

/// The IM vein / artery on one side (axial tubes) and their centres at z.
[[nodiscard]] AxialTube im_vein(const Anatomy& a, Side side);
[[nodiscard]] AxialTube im_artery(const Anatomy& a, Side side);
[[nodiscard]] geom::Point2 im_vein_centre(const Anatomy& a, Side side, double z_mm);
[[nodiscard]] geom::Point2 im_artery_centre(const Anatomy& a, Side side, double z_mm);

[[nodiscard]] Tube brachiocephalic_vein(const Anatomy& a, Side side);
[[nodiscard]] Tube subclavian_vein(const Anatomy& a, Side side);
[[nodiscard]] Tube subclavian_artery(const Anatomy& a, Side side);
[[nodiscard]] Tube internal_jugular_vein(const Anatomy& a, Side side);
[[nodiscard]] AxialTube superior_vena_cava(const Anatomy& a);
[[nodiscard]] AxialTube lad(const Anatomy& a);

/// The point of an axial tube's centreline at z (clamped to its range).
[[nodiscard]] geom::Point2 centre_at(const AxialTube& t, double z_mm);

// ---- Axial sections ----

using Sided = std::array<geom::MultiPolygon, 2>;  ///< indexed by side_index()

/// Every analytic shape cut by the axial plane z. Regions may overlap (e.g. a vessel in the fat
/// band); the CT paints them in a fixed order.
struct AnatomySection {
  double z_mm = 0;
  geom::MultiPolygon body;             ///< skin: chest ellipse and both breast mounds
  geom::MultiPolygon chest_muscle;     ///< chest wall under the subcutaneous fat
  geom::MultiPolygon extrapleural_fat; ///< fat layer between the ribs and the pleura
  geom::MultiPolygon cavity;           ///< inside the parietal pleura
  geom::MultiPolygon heart;
  geom::MultiPolygon lad;
  geom::MultiPolygon svc;
  geom::MultiPolygon spine;
  geom::MultiPolygon spine_marrow;
  geom::MultiPolygon sternum;
  geom::MultiPolygon sternum_marrow;
  Sided lung;
  Sided breast;                        ///< the breast ellipsoid's section (inside and outside the chest)
  Sided imv;
  Sided ima;
  Sided bcv;
  Sided scv;
  Sided sca;
  Sided ijv;
  std::array<std::array<geom::MultiPolygon, kRibCount>, 2> rib;            ///< whole rib (ROI)
  std::array<std::array<geom::MultiPolygon, kRibCount>, 2> rib_cartilage;  ///< costal cartilage part
  std::array<std::array<geom::MultiPolygon, kRibCount>, 2> rib_bone;       ///< bony part (cortex)
  std::array<std::array<geom::MultiPolygon, kRibCount>, 2> rib_marrow;     ///< bony part minus cortex
};

[[nodiscard]] AnatomySection section(const Anatomy& a, double z_mm);

}  // namespace rtaudit::phantom
