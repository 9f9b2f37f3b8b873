#pragma once
// Bone landmarks found in the planning CT itself (issue 8, first part): whether the CT is a thorax,
// the sternum and its lateral edges slice by slice, and the medial (sternal) ends of the ribs on each
// side, numbered from the top, with the cranial and caudal aspect of each: the rib levels and
// intercostal spaces the guideline engine needs when the ribs and sternum are not contoured.
//
// Explainable on purpose: thresholds in Hounsfield units, 2-D connected components and the known
// anatomy, each step said in `method`. Pure: an ImageVolume in, plain data out.
//
// anatomy/ct_structures.hpp turns what is found here into structures the audit can use.

#include "rtaudit/case/image_volume.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rtaudit::anatomy {

struct CtBoneOptions {
  double air_hu = -400;        ///< below: air or lung
  double bone_hu = 180;        ///< at or above: bone (cortex and marrow); costal cartilage lies below
  double rib_end_hu = 90;      ///< at or above: costal cartilage or bone (the ribs' sternal ends)
  double min_lung_area_mm2 = 1500;   ///< each lung on a thorax slice (15 cm2)
  int min_thorax_slices = 8;         ///< slices with two lungs for a thorax
  double sternum_midline_mm = 25;    ///< the sternum's centre lies this close to the body's midline
  double min_sternum_area_mm2 = 30;
  double rib_window_mm = 20;         ///< the ribs' medial ends: this far lateral of the sternal edge
  double min_rib_end_area_mm2 = 20;  ///< a cross-section smaller than this (a vessel) is not a rib end
  double min_rib_end_width_mm = 6;   ///< ... unless it runs at least this far laterally
  double min_cartilage_share = 0.25; ///< a rib end is costal cartilage (between rib_end_hu and bone_hu) ...
  double cortex_hu = 600;            ///< ... or bone with a cortex; contrast-filled vessels are neither
  // IM vessels: small round soft-tissue (or contrast-filled) dots in the parasternal fat.
  double vessel_window_mm = 30;      ///< searched this far lateral of the sternal edge
  double min_vessel_area_mm2 = 2, max_vessel_area_mm2 = 40, max_vessel_extent_mm = 9;
  double fat_ring_hu = -20;          ///< the mean around a vessel is fat (below this)
  double min_found_share = 0.5;      ///< below: the vein is "estimated" on every slice
  /// The fallback: mean distance of the IM vein from the lateral sternal border on CT, 9.8 mm (left) and
  /// 10.3 mm (right), and of the artery 14.7 / 15.7 mm, in 100 consecutive thoracic CT scans ("CT anatomy of
  /// the internal mammary vessels: importance in planning percutaneous transthoracic procedures", AJR Am J
  /// Roentgenol 1990;155(2):397-400, doi:10.2214/ajr.155.2.2115273), at the depth of the sternum's dorsal surface.
  double estimate_vein_left_mm = 9.8, estimate_vein_right_mm = 10.3;
  double estimate_artery_left_mm = 14.7, estimate_artery_right_mm = 15.7;
  /// Vessel radii when none was measured (an estimated line): IM vein 0.8-4.8 mm across, IM artery 2.1 mm
  /// on average (Han et al. 2003, as in atlases/phantom/thorax.xml); the midpoint of the vein's range.
  double default_vein_radius_mm = 1.4, default_artery_radius_mm = 1.05;
};

/// One rib's sternal end on one side: its z-range as slab edges (as for a contoured rib).
struct RibEnd {
  int rib = 0;                   ///< 1 = the most cranial found, counted caudally
  double cranial_z_mm = 0;       ///< upper slab edge of its cranial-most slice
  double caudal_z_mm = 0;        ///< lower slab edge of its caudal-most slice
  int slices = 0;
  double confidence = 1;         ///< lowered when the spacing to the rib above is implausible
  std::string note;
};

struct SternumSlice {
  double z_mm = 0;
  double left_x_mm = 0, right_x_mm = 0;  ///< lateral edges (outer pixel borders)
  double ventral_y_mm = 0, dorsal_y_mm = 0;
  double area_mm2 = 0;
};

/// The IM vessel centre on one slice, found or estimated.
struct VesselPoint {
  double z_mm = 0, x_mm = 0, y_mm = 0;
  enum class Origin { Ct, Interpolated, Estimated } origin = Origin::Estimated;
  double confidence = 0;  ///< 0..1: CT with contrast 0.9, soft tissue without 0.7, interpolated 0.5, estimated 0.2
  /// The vessel's radius: the median over the line of the found dots' area-equivalent radii (a vessel's
  /// calibre hardly changes over the sternum, and one slice's partial volume should not make it wobble);
  /// the default radius when nothing was found.
  double radius_mm = 0;
};
[[nodiscard]] std::string_view to_string(VesselPoint::Origin o);  ///< "ct", "interpolated", "estimated"

/// One side's IM vein (the most medial vessel beside the sternum) and artery (the next one laterally).
struct ImVessels {
  std::vector<VesselPoint> vein, artery;  ///< one per sternum slice, ascending z
  double found_share = 0;                 ///< share of the vein's slices found in the CT
  bool estimated = false;                 ///< true when most of the vein could not be found credibly
  std::string method;
};

struct CtBoneLandmarks {
  bool thorax = false;
  std::vector<std::string> not_found;  ///< why something could not be found (empty when all was)
  std::vector<std::string> method;     ///< what was done, step by step
  std::optional<double> midline_x_mm;
  std::vector<SternumSlice> sternum;   ///< ascending z, one contiguous run
  std::vector<RibEnd> ribs_left, ribs_right;
  ImVessels vessels_left, vessels_right;  ///< on the sternum's slices
  double slice_spacing_mm = 0;
};

/// Finds the bone landmarks. Needs an axial series (rows along +x, columns along +y) of at least 3
/// slices with a uniform spacing; anything else is "not found" with the reason, never a guess.
[[nodiscard]] CtBoneLandmarks find_bone_landmarks(const ImageVolume& ct, const CtBoneOptions& options = {});

}  // namespace rtaudit::anatomy
