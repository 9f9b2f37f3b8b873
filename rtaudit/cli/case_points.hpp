#pragma once
// The points of interest of a case, gathered at the edge for the geographic-miss assessment: the
// recurrence files (CSV/JSON, docs/recurrences.md), the POINT ROIs and recurrence contours of
// follow-up structure sets in the case folder, brought into the planning frame by the REG objects
// there. Every record not used is reported with its place and reason.

#include "rtaudit/dicom/inspect.hpp"
#include "rtaudit/miss/assessment.hpp"
#include "rtaudit/recurrence/followup.hpp"

#include <string>
#include <vector>

namespace rtaudit::cli {

/// A structure set that holds only points of interest (POINT ROIs, recurrence / sentinel / suspicious
/// contours by name) and no plan structure: a follow-up set, read for its points and never audited.
[[nodiscard]] bool is_followup_structure_set(const StructureSet& set, const recurrence::FollowupOptions& options = {});

struct CasePoints {
  std::vector<miss::PointInput> points;
  std::vector<std::string> sources;      ///< files and structure sets read, e.g. "recurrences.json (6 points)"
  std::vector<std::string> warnings;     ///< rejected records, unlinked frames, conflicting duplicates
  std::vector<std::string> notes;        ///< registrations applied, identical duplicates merged
  int other_patients = 0;                ///< records of other patients (a cohort file), ignored
};

/// `files`: the user's --recurrences files; when empty, CASE_DIR/recurrences.json and recurrences.csv
/// (identical records in both are merged). `followups`: the follow-up structure sets of the folder.
/// Points whose patient_id is set and differs from `patient_id` are skipped (counted).
[[nodiscard]] CasePoints load_case_points(const dicom::InspectReport& scan, const std::string& case_dir,
                                          const std::vector<std::string>& files, const std::string& planning_frame,
                                          const std::string& patient_id,
                                          const std::vector<const StructureSet*>& followups);

}  // namespace rtaudit::cli
