#pragma once
// The edge between a case's planning CT and the landmarks found in it (issue 8), shared by
// `rtaudit landmarks` and `rtaudit audit`: read the CT series (HU), find the bone landmarks and IM
// vessels, and say what was found as JSON (the "ct_landmarks" of report.json, the body of landmarks.json).

#include "rtaudit/anatomy/ct_bone.hpp"
#include "rtaudit/anatomy/ct_structures.hpp"
#include "rtaudit/case/image_series.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace rtaudit::cli {

struct CaseCtLandmarks {
  std::optional<anatomy::CtBoneLandmarks> found;  ///< empty when the CT could not be read
  std::string series_uid;
  int slices = 0;
  std::string error;                  ///< why nothing was found (no CT, unreadable pixels)
  std::vector<std::string> warnings;  ///< what reading the pixels reported
};

/// Reads `series` and finds its landmarks. A series that is not CT, or not readable, gives `error`.
[[nodiscard]] CaseCtLandmarks find_case_ct_landmarks(const ImageSeries& series);

/// What was found: thorax, not_found, method, midline, sternum (rows with `points`), ribs, ICS, IM vessels.
[[nodiscard]] nlohmann::ordered_json found_landmarks_json(const anatomy::CtBoneLandmarks& found, bool points);

/// report.json "ct_landmarks": whether the CT was searched and why (not), what was found, and what
/// became of each found structure in the audit (used, or why not: a contour wins, estimates off).
[[nodiscard]] nlohmann::ordered_json ct_landmarks_report_json(const CaseCtLandmarks* searched, const std::string& not_searched,
                                                              const std::vector<anatomy::CtLandmarkUse>& uses, bool estimates_used);

}  // namespace rtaudit::cli
