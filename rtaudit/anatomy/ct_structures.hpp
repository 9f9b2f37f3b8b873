#pragma once
// The landmarks found in the planning CT (ct_bone.hpp) as structures the audit can use when the
// planner did not contour them (issue 8, "Provenance everywhere").
//
// Each found landmark becomes a geom::Structure under the role the guideline engine asks for
// (sternum, rib<N> left/right, im_vein, im_artery) and joins the patient's StructureMap only where no
// contour of that role exists: a contoured structure always wins. Every one carries its Provenance
// (found in the CT, or estimated at a published offset, with a confidence), which the landmarks and
// every check built on them inherit.
//
// The shapes stand for what the audit measures, not for the bone's outline:
//   sternum     per slice, the box between its lateral edges and its ventral and dorsal surfaces
//               (the edges and the midline are what the rules use; the box is a little larger than
//               the bone, so an overlap with it is an upper bound);
//   rib N       its sternal end: a 15 mm wide, 10 mm deep box lateral of the sternal edge on every slice
//               of its z-range (the rib levels are its slab edges, as for a contoured rib);
//   IM vessels  per slice, a disc of the vessel's measured radius around its centre.
// Pure: plain data in, plain data out.

#include "rtaudit/anatomy/ct_bone.hpp"
#include "rtaudit/anatomy/landmarks.hpp"

#include <array>
#include <string>
#include <vector>

namespace rtaudit::anatomy {

/// One landmark found in the CT, as a structure.
struct FoundStructure {
  RoleKey key;             ///< role and side
  std::string name;        ///< "CT_Sternum", "CT_Rib04_L", "CT_V_Mammary_L" ("_est" when estimated)
  std::string kind;        ///< "sternum", "rib", "vein", "artery"
  std::string description; ///< one line: what it is and how it was found
  Provenance provenance;
  geom::Structure structure;
};

/// The structures of every landmark found (nothing when the CT is not a thorax or has no sternum).
[[nodiscard]] std::vector<FoundStructure> ct_landmark_structures(const CtBoneLandmarks& found);

/// What became of one found landmark in an audit.
struct CtLandmarkUse {
  std::string name;
  RoleKey key;
  Provenance provenance;
  bool used = false;
  int roi_number = 0;  ///< < 0, its number in the StructureMap when used
  std::string why;     ///< why not used (a contour of the role wins, estimates turned off)
};

struct CtSupplement {
  StructureMap map;                 ///< the contoured structures plus the found ones used
  std::vector<CtLandmarkUse> uses;  ///< one per found structure, in order
};

/// Adds each found structure whose role (and side) has no contoured structure. With
/// `use_estimated` false, estimated ones are left out (said so in `uses`).
[[nodiscard]] CtSupplement add_ct_landmarks(StructureMap contoured, const std::vector<FoundStructure>& found,
                                            bool use_estimated = true);

}  // namespace rtaudit::anatomy
