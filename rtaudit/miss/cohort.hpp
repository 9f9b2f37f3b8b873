#pragma once
// The pattern-of-failure table over many patients (issue 5, "Cohort view"): the share of recurrences
// in-field / marginal / outside the clinical CTV and each reference CTV, and the share outside the
// ESTRO reference but inside the RTOG one, the comparison the literature reports (Loganadane et al.
// 2017: 14 %). Pure: the rows come from the per-case assessments (or their report.json), the edge
// reads and writes the files.

#include "rtaudit/miss/classify.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rtaudit::miss {

/// One point of one patient with its class against each CTV key ("clinical", guideline ids).
struct CohortPoint {
  std::string patient;   ///< the case (a folder or pseudonym), never needed to be an identifier
  std::string point_id;
  std::string kind = "recurrence";
  std::map<std::string, PointClass> classes;
};

struct CohortRow {
  std::string ctv;            ///< key
  int points = 0;             ///< points with a class against this CTV
  int in_field = 0, marginal = 0, outside = 0;
  [[nodiscard]] double share(int n) const { return points > 0 ? 100.0 * n / points : 0.0; }
};

struct CohortTable {
  std::string kind;                 ///< the kind tabulated ("recurrence")
  int patients = 0;                 ///< patients with at least one point of the kind
  int points = 0;
  std::vector<CohortRow> rows;      ///< "clinical" first, then the guideline keys in sorted order
  /// Points with a class against both keys: not in-field of `estro_key` but in-field of `rtog_key`.
  std::string estro_key, rtog_key;
  int both_evaluated = 0;
  int outside_estro_inside_rtog = 0;
  int outside_rtog_inside_estro = 0;
};

/// Tabulates the points of `kind`. estro_key / rtog_key name the two references of the comparison.
[[nodiscard]] CohortTable cohort_table(const std::vector<CohortPoint>& points, const std::string& kind = "recurrence",
                                       const std::string& estro_key = "estro-2015", const std::string& rtog_key = "rtog-2009");

}  // namespace rtaudit::miss
