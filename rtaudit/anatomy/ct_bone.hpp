#pragma once
// Bone landmarks found in the planning CT itself (issue 8, first part): whether the CT is a thorax,
// the sternum and its lateral edges slice by slice, and the medial (sternal) ends of the ribs on each
// side, numbered from the top, with the cranial and caudal aspect of each: the rib levels and
// intercostal spaces the guideline engine needs when the ribs and sternum are not contoured.
//
// Explainable on purpose: thresholds in Hounsfield units, 2-D connected components and the known
// anatomy, each step said in `method`. Pure: an ImageVolume in, plain data out.
//
// Not yet done (issue 8 continues): the IM vessels, provenance in the audit, `rtaudit landmarks`.

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

struct CtBoneLandmarks {
  bool thorax = false;
  std::vector<std::string> not_found;  ///< why something could not be found (empty when all was)
  std::vector<std::string> method;     ///< what was done, step by step
  std::optional<double> midline_x_mm;
  std::vector<SternumSlice> sternum;   ///< ascending z, one contiguous run
  std::vector<RibEnd> ribs_left, ribs_right;
  double slice_spacing_mm = 0;
};

/// Finds the bone landmarks. Needs an axial series (rows along +x, columns along +y) of at least 3
/// slices with a uniform spacing; anything else is "not found" with the reason, never a guess.
[[nodiscard]] CtBoneLandmarks find_bone_landmarks(const ImageVolume& ct, const CtBoneOptions& options = {});

}  // namespace rtaudit::anatomy
