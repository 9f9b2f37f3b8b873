#pragma once
// Views of an audit result (issue 4): report.json (schema "rtaudit-audit/1", every field documented in
// docs/report-json.md) and a short text summary for stdout.
//
// The core's AuditResult knows the geometry; the context carries what only the edge knows: which
// files were read, which rules were loaded (and which failed), the overrides given, the exported
// RTSTRUCT. Every number says its convention (ARCHITECTURE.md); a value that is not a finite number
// never reaches the JSON: it is written as null and its place and reason are listed in
// "non_finite_values". Patient names never appear; the patient ID does (as in inspect's JSON) but
// only in the JSON, not in the text summary.

#include "rtaudit/anatomy/landmarks.hpp"
#include "rtaudit/audit/audit.hpp"
#include "rtaudit/guideline/rule_set.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtaudit::report {

/// The image series the structure set was matched to (same frame of reference).
struct ImageSeriesInfo {
  std::string series_uid;
  std::string modality;
  std::size_t slices = 0;
  std::optional<double> slice_spacing_mm;  ///< the most common gap (or the slice thickness for one slice)
};

/// A structure set of the case folder.
struct StructureSetInfo {
  std::string file;  ///< relative to the case folder
  std::string sop_instance_uid;
  std::string label;
  std::string date;  ///< DICOM DA as stored
  std::string time;  ///< DICOM TM as stored
  std::string frame_of_reference_uid;
  std::string patient_id;
  std::size_t rois = 0;
  std::string not_audited_reason;  ///< for the structure sets that were not audited
};

struct InputInfo {
  std::string case_dir;               ///< as given on the command line
  StructureSetInfo structure_set;     ///< the one audited
  std::string selection;              ///< how it was chosen among several ("the only structure set", ...)
  std::vector<StructureSetInfo> other_structure_sets;  ///< found but not audited
  std::optional<ImageSeriesInfo> image_series;         ///< the matched CT series, when any
  std::optional<double> fallback_slab_mm;              ///< slab of single-plane structures (from the CT)
  double plane_tolerance_mm = 0.05;
};

/// One guideline file that was loaded.
struct LoadedGuidelineInfo {
  std::string file;
  std::string id;
  std::string version;
  guideline::Status status = guideline::Status::Published;
  bool audited = true;  ///< false when left out by --guideline
  bool has_imn_target = true;
};

struct RulesInfo {
  std::vector<std::string> folders;  ///< in load order: the shipped rules/ first
  std::vector<LoadedGuidelineInfo> guidelines;
  std::vector<guideline::RuleError> errors;      ///< bad files (not loaded; the good ones were)
  std::vector<guideline::SkippedFile> skipped;   ///< files whose root is not <guideline>
  std::vector<std::string> filter;               ///< the --guideline ids; empty = all
  std::string names_file;                        ///< the names-to-roles table
  std::string names_version;
};

/// One ROI written into the exported structure set.
struct ExportedRoi {
  int roi_number = 0;
  std::string roi_name;
  std::string guideline_id;
  std::array<int, 3> colour{0, 0, 0};
};

struct ExportInfo {
  std::string file;  ///< relative to the output folder; empty when the export failed
  std::string sop_instance_uid;
  std::string series_instance_uid;
  std::vector<ExportedRoi> rois;
  std::vector<std::string> skipped;   ///< references not exported (not evaluable), with the reason
  std::vector<std::string> warnings;  ///< what the exporter reported (duplicate names, approval not kept, ...)
  std::string error;                 ///< why the export failed, when it did
};

struct AuditReportContext {
  std::string rtaudit_version;  ///< empty: this library's version()
  std::string generated;        ///< local date-time of the run (ISO 8601), from the edge; empty: omitted
  InputInfo input;
  RulesInfo rules;
  std::vector<anatomy::RoleOverride> overrides;
  /// The bound structures as built (planes, slab, build issues); optional.
  const anatomy::StructureMap* structures = nullptr;
  std::optional<ExportInfo> exported_rtstruct;
  /// The options the audit ran with (sampling density, tolerances of the metrics); optional.
  std::optional<audit::AuditOptions> options;
  std::vector<std::string> warnings;  ///< run-level warnings (other structure sets, rule errors, ...)
  /// Per-plane vessel centrelines and sternum edge points, as compact [z, x, y, ...] rows.
  bool include_centrelines = true;
};

/// The report.json document (docs/report-json.md).
[[nodiscard]] nlohmann::ordered_json audit_to_json(const audit::AuditResult& result, const AuditReportContext& context);

/// A few lines for stdout: the case, the treated side, and per guideline its status and every failed
/// or warned check. No patient identifiers.
[[nodiscard]] std::string audit_to_text(const audit::AuditResult& result, const AuditReportContext& context);

/// The status word the report uses: "pass", "warn", "fail", "not_evaluable", "info".
[[nodiscard]] std::string_view status_word(audit::CheckStatus s);

/// Replaces every non-finite number in `doc` by null and returns the JSON pointer of each, in
/// document order. audit_to_json() applies it and lists the places in "non_finite_values".
std::vector<std::string> replace_non_finite(nlohmann::ordered_json& doc);

}  // namespace rtaudit::report
