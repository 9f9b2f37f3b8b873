#pragma once
// One case into an AuditResult (issue 4, "Audit"): the clinician's CTVn_IMN against the reference CTV
// of every loaded guideline, border by border and with the exact comparison metrics of compare/.
//
// Pure computation on value types (ARCHITECTURE.md): the structure set, role assignment and rules come
// in, plain data comes out; report/ turns it into report.json. Anything that cannot be evaluated is a
// check with status NotEvaluable and the reason, never a crash and never a silent zero.
//
// Sign convention of every deviation (docs/rules.md): positive = the clinician's CTV extends further
// than the rule (more cranial, more caudal, a wider margin); the grade uses the magnitude.

#include "rtaudit/anatomy/landmarks.hpp"
#include "rtaudit/anatomy/roles.hpp"
#include "rtaudit/compare/overlap.hpp"
#include "rtaudit/compare/surface_distance.hpp"
#include "rtaudit/guideline/reference_ctv.hpp"
#include "rtaudit/guideline/rule_set.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rtaudit::audit {

enum class CheckStatus { Pass, Warn, Fail, NotEvaluable, Info };
[[nodiscard]] std::string_view to_string(CheckStatus s);  ///< "pass", "warn", "fail", "not evaluable", "info"
[[nodiscard]] CheckStatus from_grade(guideline::Grade g);

/// The cranial or caudal border of the clinician's CTV against a guideline's level.
struct LevelCheck {
  guideline::Border border = guideline::Border::Cranial;
  CheckStatus status = CheckStatus::NotEvaluable;
  std::optional<double> clinical_z_mm;   ///< the CTV's own slab edge (cranial: top plane + slab/2)
  guideline::ResolvedLevel reference;    ///< the rule's level for this patient
  std::optional<double> deviation_mm;    ///< signed, positive = CTV extends further
  std::optional<double> deviation_ics;   ///< the same in intercostal spaces (anatomy::rib_units)
  /// The alternative positions the rule admits (e.g. rib 5 for caudal tumours), each resolved with
  /// the deviation against it; the grade is that of the main landmark.
  struct Alternative {
    guideline::ResolvedLevel level;
    std::string condition;
    std::optional<double> deviation_mm;
  };
  std::vector<Alternative> alternatives;
  guideline::Tolerance tolerance;
  std::string reason;  ///< for NotEvaluable
  anatomy::Provenance basis;  ///< of the rule's landmark: contoured, found in the CT, or estimated
};

enum class Direction { Medial, Lateral, Ventral, Dorsal };
[[nodiscard]] std::string_view to_string(Direction d);

/// The in-plane margin around the IM vein in one direction, over the planes where both the clinical
/// CTV and the reference have the vein. Measured on the ray from the vein's centre in that direction:
/// margin = distance from the vein wall to the CTV boundary along the ray (0 when the CTV does not
/// reach past the wall; negative when the ray leaves the CTV inside the vein).
struct MarginCheck {
  Direction direction = Direction::Medial;
  CheckStatus status = CheckStatus::NotEvaluable;
  std::size_t planes = 0;
  std::optional<double> clinical_min_mm, clinical_median_mm;
  std::optional<double> reference_min_mm, reference_median_mm;
  /// Median over planes of (clinical - reference) margin: what is graded (the reference realises the
  /// rule's margin and clips, so a clip such as the lung does not count against the clinician).
  std::optional<double> deviation_median_mm;
  std::optional<double> deviation_min_mm;  ///< the most negative per-plane deviation
  guideline::Tolerance tolerance;
  std::string reason;
  anatomy::Provenance basis;  ///< of the IM vessels the margin is measured from
};

/// How much of the ipsilateral IM vein one ICS of the clinician's CTV covers.
struct VeinCoverage {
  int ics = 0;                          ///< 1..; the band from anatomy::Landmarks::ics
  double cranial_z_mm = 0, caudal_z_mm = 0;
  std::size_t planes = 0;               ///< vein planes whose slab centre lies in the band
  std::optional<double> centreline_pct; ///< share of centreline length (planes weighted by slab) inside the CTV
  std::optional<double> volume_pct;     ///< share of the vein volume in the band inside the CTV (exact polygons)
  std::string reason;
  anatomy::Provenance basis;            ///< of the vein and the two ribs of the band
};

/// Overlap of the clinician's CTV with an organ, graded by the rule's <overlap>.
struct OrganOverlap {
  std::string role;  ///< "lung", "heart", "sternum"
  int roi_number = 0;
  std::string roi_name;
  CheckStatus status = CheckStatus::NotEvaluable;
  std::optional<double> overlap_cc;
  double pass_cc = 0, warn_cc = 0;
  std::string basis;
  std::string reason;
  anatomy::Provenance landmark_basis;  ///< of the organ's structure(s)
};

/// Clinical vs reference, exact (DOMAIN.md section 6). a = reference, b = clinical.
struct Comparison {
  std::optional<compare::Overlap> overlap;
  std::optional<compare::SurfaceDistances> surface;
  std::string reason;  ///< when either could not be computed
};

/// The clinician's CTV against one guideline.
struct GuidelineAudit {
  std::string guideline_id, guideline_version, guideline_title, guideline_file;
  guideline::Status status = guideline::Status::Published;
  guideline::ReferenceCtv reference;
  std::vector<LevelCheck> levels;              ///< cranial, caudal (when stated)
  std::vector<MarginCheck> margins;            ///< medial, lateral, ventral, dorsal
  std::vector<VeinCoverage> vein_coverage;     ///< one per ICS
  std::vector<OrganOverlap> overlaps;          ///< one per rule <overlap>
  /// Borders the rule does not state, or realises by a clip: said so, not audited.
  std::vector<std::string> notes;
  Comparison comparison;
  CheckStatus overall = CheckStatus::NotEvaluable;  ///< worst of the graded checks
  /// The weakest provenance of the landmarks the graded checks (and the reference CTV) were built on,
  /// and the names of those that were estimated rather than contoured or found in the CT.
  anatomy::Provenance basis;
  std::vector<std::string> estimated_landmarks;
};

struct AuditOptions {
  anatomy::LandmarkOptions landmarks;
  guideline::ReferenceOptions reference;
  compare::OverlapOptions overlap;
  compare::SurfaceDistanceOptions surface;
  std::optional<anatomy::Side> treated_side;  ///< the user's word (--side)
};

struct AuditResult {
  anatomy::RoleAssignment roles;
  anatomy::Landmarks landmarks;
  int clinical_roi_number = 0;   ///< 0 when no CTVn_IMN was bound
  std::string clinical_roi_name;
  std::optional<double> clinical_volume_cc;
  std::vector<GuidelineAudit> guidelines;  ///< one per loaded guideline with a ctvn_imn target
  std::vector<std::string> not_evaluable;  ///< case-level reasons (no CTVn_IMN, no side, ...)
  /// Case-level notes: choices made that a reader must know (e.g. a side-less CTVn_IMN used as the
  /// treated side's). Each is repeated in every GuidelineAudit::notes.
  std::vector<std::string> notes;
};

/// Audits the CTVn_IMN of `structures` (roles bound by `roles`) against every guideline of `rules`.
[[nodiscard]] AuditResult run_audit(const anatomy::StructureMap& structures, const anatomy::RoleAssignment& roles,
                                    const std::vector<guideline::Guideline>& rules, const AuditOptions& options = {});

}  // namespace rtaudit::audit
