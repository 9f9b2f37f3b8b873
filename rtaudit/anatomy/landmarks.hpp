#pragma once
// Anatomical landmarks found in a patient's own structures (issue 4, "Landmarks").
//
// The guideline rules (rules/*.xml) name landmarks ("rib4.medial.cranial", "imv_junction", "im_vein", ...,
// the closed vocabulary of docs/rules.md). This module finds each of them in the structures the
// names-to-roles step bound, and says for each how it was found, or why it could not be: a missing
// structure makes the landmark, and every check that depends on it, "not evaluable" with the reason.
// Never a guess, never a silent zero.
//
// Coordinates: DICOM patient coordinates (LPS, mm): +x patient's left, +y posterior, +z head. "Medial"
// and "lateral" are applied from the treated side: medial is towards x = midline, which is taken as
// the sternum's centre when a sternum is contoured, else x = 0.
//
// Levels follow the slab model (DOMAIN.md section 6): a structure's plane at z stands for the slab
// [z - slab/2, z + slab/2], so the cranial aspect of a contoured object is its cranial-most plane's
// upper slab edge, and the caudal aspect its caudal-most plane's lower slab edge. A guideline CTV that
// stops exactly at a landmark then has its own slab edge on the landmark: the border deviation is 0.
//
// Pure functions of value types: no files, no clocks.

#include "rtaudit/anatomy/roles.hpp"
#include "rtaudit/geom/structure.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtaudit::anatomy {

// ---------------------------------------------------------------------------------------------------
// The patient's structures by role

/// Where a structure, and every landmark found from it, came from (issue 8): the clinician's contour,
/// the planning CT (anatomy/ct_bone.hpp), or an estimate from a published geometric description.
enum class Origin { Contour, Ct, Estimated };
[[nodiscard]] std::string_view to_string(Origin o);  ///< "contour", "ct", "estimated"

struct Provenance {
  Origin origin = Origin::Contour;
  double confidence = 1;  ///< 0..1; 1 for a contour
  auto operator<=>(const Provenance&) const = default;
};
/// The less certain of two: the later origin (contour < ct < estimated), and the lower confidence.
[[nodiscard]] Provenance weakest(Provenance a, Provenance b);

/// One ROI bound to a role, built into the plane model.
struct BoundStructure {
  int roi_number = 0;  ///< < 0: not an ROI of the structure set but a landmark found in the CT
  std::string roi_name;
  geom::Structure structure;
  std::vector<geom::Issue> issues;  ///< what building it reported (skipped contours, gaps...)
  Provenance provenance;
};

/// "ROI 21 'V_Mammary_L'": how every report names an ROI (by number, since names are not unique);
/// "CT landmark 'CT_Rib04_L'" (or "estimated landmark '...'") for one found in the CT.
[[nodiscard]] std::string roi_label(const BoundStructure& b);

/// Left for Right and Right for Left (other sides unchanged).
[[nodiscard]] Side opposite(Side s);

/// Role bindings with their built structures. Keys are the RoleKey of the binding (role, resolved
/// side Left/Right/None, derivation); a binding whose side is Unknown keeps Side::Unknown.
using StructureMap = std::map<RoleKey, BoundStructure>;

/// Builds every bound ROI of `set` (roles from `roles`) into the plane model. `options` as for
/// geom::build_structure (plane tolerance, fallback slab = CT slice spacing).
[[nodiscard]] StructureMap bind_structures(const StructureSet& set, const RoleAssignment& roles,
                                           const geom::BuildOptions& options = {});

/// Re-keys bindings whose side is Ipsilateral/Contralateral (names such as "CTV IMN ipsi") to Left/Right
/// for the treated side. Call once the treated side is known; other bindings are unchanged. A binding
/// that would collide with an existing Left/Right one is left as it was (and stays unused).
[[nodiscard]] StructureMap resolve_relative_sides(StructureMap map, Side treated);

/// The structure bound to (role, side), or nullptr. For Side::Left/Right it also accepts a binding of
/// the role with Side::Both (e.g. one "Lungs" ROI); never one with Side::Unknown.
[[nodiscard]] const BoundStructure* find_structure(const StructureMap& map, std::string_view role, Side side);

// ---------------------------------------------------------------------------------------------------
// Treated side

struct TreatedSide {
  std::optional<Side> side;   ///< Left or Right; empty when it could not be decided
  std::string method;         ///< how it was decided, e.g. "from the side of ROI 31 'CTVn_IMN_L'"
  std::string not_evaluable;  ///< why not, when `side` is empty
};

/// The treated (ipsilateral) side: the user's word when given; else the side of the bound CTVn_IMN;
/// else of CTVn_L4 / a breast CTV or PTV when those agree; else the side of the midline (x = 0, or the
/// sternum's centre) on which the CTVn_IMN's centroid lies (reported as geometric). Conflicting
/// named sides are not evaluable (reported), never resolved silently.
[[nodiscard]] TreatedSide find_treated_side(const StructureMap& map, std::optional<Side> user_side = {});

// ---------------------------------------------------------------------------------------------------
// Landmarks

/// A cranio-caudal level (a z), e.g. rib4.medial.cranial, imv_junction, ctvn_l4.caudal.
struct Level {
  std::string name;                 ///< landmark vocabulary name
  std::optional<double> z_mm;       ///< empty when not evaluable
  std::string method;               ///< how it was found, in one sentence, naming the ROI
  std::string not_evaluable;        ///< why not, when z_mm is empty
  std::vector<int> rois;            ///< ROI numbers it was found from (< 0: found in the CT)
  Provenance provenance;            ///< the weakest of the structures it was found from
  [[nodiscard]] bool evaluable() const { return z_mm.has_value(); }
};

/// One intercostal space as a z-band: ICS n lies between rib n's medial caudal aspect (cranial limit)
/// and rib n+1's medial cranial aspect (caudal limit).
struct IcsBand {
  int number = 0;
  double cranial_z_mm = 0;  ///< = rib<n>.medial.caudal
  double caudal_z_mm = 0;   ///< = rib<n+1>.medial.cranial
  [[nodiscard]] double height_mm() const { return cranial_z_mm - caudal_z_mm; }
};

/// A vessel's centre on one of its planes.
struct CentrelinePoint {
  double z_mm = 0;
  geom::Point2 centre;     ///< area centroid of the vessel's region on the plane (the component
                           ///< continuing the line from the neighbouring plane when there are several)
  double area_mm2 = 0;     ///< area of that component
  std::size_t components = 1;  ///< connected regions of the vessel ROI on this plane
};

/// An IM vessel (vein or artery) of the treated side: its ROI and centreline per plane.
struct VesselLine {
  std::string role;            ///< "im_vein" or "im_artery"
  int roi_number = 0;          ///< 0 when not found
  std::string roi_name;
  std::vector<CentrelinePoint> centreline;  ///< ascending z, one per plane
  std::string method;
  std::string not_evaluable;
  Provenance provenance;
  [[nodiscard]] bool evaluable() const { return !centreline.empty(); }
};

/// The lateral edge of the sternum on the treated side, on one plane.
struct EdgePoint {
  double z_mm = 0;
  double x_mm = 0;
};

/// A surface landmark realised by a whole structure (lung.surface, heart.surface, external.surface).
struct SurfaceLandmark {
  std::string name;          ///< vocabulary name
  int roi_number = 0;        ///< 0 when not found
  std::string roi_name;
  std::string method;
  std::string not_evaluable;
  [[nodiscard]] bool evaluable() const { return roi_number != 0; }
};

struct LandmarkOptions {
  /// A rib's "medial end": the part of the rib ROI within this distance (mm, along x) of the rib's
  /// most medial point over all its planes. Ribs rise laterally, so the cranial aspect of the whole rib
  /// is not that of its sternal end.
  double rib_medial_window_mm = 20.0;
  /// The IM vein joins the brachiocephalic / subclavian vein where their regions come within this
  /// distance (mm, in-plane) of each other on one plane.
  double junction_contact_mm = 1.0;
};

struct Landmarks {
  TreatedSide treated;
  /// Every level landmark that applies, by vocabulary name: rib<N>.medial.cranial and
  /// rib<N>.medial.caudal for every contoured ipsilateral rib, imv_junction, ctvn_l4.caudal. Names of
  /// the vocabulary that could not be found are present with not_evaluable set (for ribs: ribs 1-6
  /// always, further ribs only when contoured).
  std::map<std::string, Level> levels;
  std::vector<IcsBand> ics;  ///< every ICS both of whose ribs were found, ascending number
  VesselLine im_vein;
  VesselLine im_artery;
  std::vector<EdgePoint> sternum_edge;  ///< ascending z; empty when no sternum
  std::string sternum_method;           ///< how, or "not evaluable: ..." when empty
  Provenance sternum_provenance;
  double midline_x_mm = 0;              ///< x of the midline used for medial/lateral
  std::string midline_method;
  SurfaceLandmark lung_surface;         ///< ipsilateral lung
  SurfaceLandmark heart_surface;
  SurfaceLandmark external_surface;
  /// Anything found odd on the way (ribs out of order, an ICS of negative height, a vessel with
  /// several components on a plane...), each naming the ROI and the z.
  std::vector<std::string> notes;

  /// The level by vocabulary name; nullptr when the name is not a level this patient has.
  [[nodiscard]] const Level* level(std::string_view name) const;
  /// +1 when lateral is +x (treated side left), -1 when lateral is -x (right); 0 without a side.
  [[nodiscard]] double lateral_sign() const;
};

/// Finds every landmark. Never fails: what cannot be found is reported in its entry.
[[nodiscard]] Landmarks find_landmarks(const StructureMap& map, const TreatedSide& treated,
                                       const LandmarkOptions& options = {});

/// Position of a level in rib units: u(rib N cranial aspect) = N, linear between consecutive ribs'
/// cranial aspects (and extrapolated by the nearest interval's height beyond the first and last
/// found rib). A difference of two such positions is a distance in intercostal spaces (1.0 = one rib
/// to the next). Empty with fewer than two ribs found.
[[nodiscard]] std::optional<double> rib_units(const Landmarks& landmarks, double z_mm);

/// The ICS whose band holds z (number), 0 when z lies on a rib's medial end (between its caudal and
/// cranial aspects), nullopt when z is outside every found band and rib.
[[nodiscard]] std::optional<int> ics_at(const Landmarks& landmarks, double z_mm);

}  // namespace rtaudit::anatomy
