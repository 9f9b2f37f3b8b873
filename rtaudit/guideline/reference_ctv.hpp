#pragma once
// The CTV a guideline implies for this patient (issue 4, "Reference CTVs").
//
// rtaudit's geometric reading of a rule (DOMAIN.md section 2, docs/rules.md): on every plane of the
// ipsilateral IM vein between the target's caudal and cranial levels, each <vessel> of the rule whose
// level range holds the plane is dilated in-plane by its margin (Boost.Geometry buffer, round joins),
// the dilated vessels are united, then every <clip> is applied (subtract: the structure is removed;
// intersect: the region is kept inside it). The result is a geom::Structure in the same exact plane
// model as the clinician's contours (same planes as the vein, same slab), so every comparison metric
// applies unchanged.
//
// Plane rule: a plane at z belongs to the reference when caudal level <= z < cranial level (levels are
// slab edges, see anatomy/landmarks.hpp, so the reference's own slab edges fall on the levels).
//
// Pure: no files. Missing landmarks or structures make the reference not evaluable, with reasons.

#include "rtaudit/anatomy/landmarks.hpp"
#include "rtaudit/guideline/rule_set.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rtaudit::guideline {

/// A level landmark of a rule resolved for this patient: landmark z + offset, outward.
struct ResolvedLevel {
  std::string landmark;        ///< vocabulary name from the rule
  double offset_mm = 0;        ///< from the rule, positive outward
  std::optional<double> z_mm;  ///< the border's z (landmark moved by the offset); empty: not evaluable
  std::optional<double> landmark_z_mm;  ///< the landmark itself
  std::string method;          ///< how the landmark was found (from anatomy::Level, or the fallback used)
  std::string not_evaluable;   ///< why not
  bool confirmed = true;       ///< the rule's confirmed mark for this border
  [[nodiscard]] bool evaluable() const { return z_mm.has_value(); }
};

/// Resolves a level landmark named in `target` of `guideline` (e.g. "rib4.medial.cranial",
/// "ctvn_l4.caudal", "target.cranial") moved by `offset_mm` towards `side` (cranial: +z, caudal: -z).
/// "ctvn_l4.caudal" comes from the patient's CTVn_L4 when contoured (anatomy level), else from the
/// caudal border of the guideline's own ctvn_l4 target (resolved recursively, reported as the fallback).
/// "target.cranial"/"target.caudal" resolve to the target's own border.
[[nodiscard]] ResolvedLevel resolve_level(const Guideline& guideline, const TargetRule& target,
                                          std::string_view landmark, double offset_mm, Border side,
                                          const anatomy::Landmarks& landmarks);

/// The structures a rule element (a <clip>, <vessel> or <overlap>) refers to: its role on the rule's side,
/// relative to the treated side. An unsided role (heart) or an ipsilateral/contralateral side gives one
/// structure; Side::Both gives one "both sides" ROI when bound, else the left and the right ones.
struct RuleStructures {
  std::vector<const anatomy::BoundStructure*> found;  ///< empty when the rule cannot be realised
  std::string words;    ///< for reports: "ipsilateral lung ROI 2 'Lung_L'"
  std::string missing;  ///< why not, when `found` is empty
};
[[nodiscard]] RuleStructures find_rule_structures(const anatomy::StructureMap& map, std::string_view role, Side side,
                                                  anatomy::Side treated);

struct ReferenceOptions {
  /// Points per full circle of the round joins of the in-plane dilation.
  int points_per_circle = 72;
  /// Polygons (and holes) smaller than this are dropped after clipping (mm²): slivers left where a
  /// clip structure's contour runs along the dilated vessel. Reported in the construction when any is.
  double min_component_area_mm2 = 0.5;
};

struct ReferenceCtv {
  std::string guideline_id;
  std::string guideline_version;
  Status status = Status::Published;  ///< provisional guidelines give provisional references
  std::string target_role;            ///< "ctvn_imn"
  std::string name;                   ///< e.g. "CTVn_IMN" (the rule's display name)
  std::string roi_name;               ///< the name an exported ROI gets, e.g. "REF_ESTRO-2015_CTVn_IMN"
  std::optional<geom::Structure> structure;  ///< empty when not evaluable
  ResolvedLevel cranial;
  ResolvedLevel caudal;
  /// The construction in words, step by step, naming the ROIs used ("IM vein ROI 21 'V_Mammary_L'
  /// dilated 5 mm on 38 planes", "minus ipsilateral lung ROI 2 'Lung_L'").
  std::vector<std::string> construction;
  std::vector<std::string> not_evaluable;  ///< reasons; empty when the structure was built
  std::vector<std::string> unconfirmed;    ///< rule elements used whose wording is unconfirmed
  [[nodiscard]] bool evaluable() const { return structure.has_value(); }
};

/// Builds the reference CTV of `target_role` of `guideline` for this patient.
[[nodiscard]] ReferenceCtv build_reference_ctv(const Guideline& guideline, std::string_view target_role,
                                               const anatomy::Landmarks& landmarks,
                                               const anatomy::StructureMap& structures,
                                               const ReferenceOptions& options = {});

}  // namespace rtaudit::guideline
