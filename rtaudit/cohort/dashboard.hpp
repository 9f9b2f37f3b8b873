#pragma once
// The department QA dashboard (issue 7, `rtaudit cohort`): compliance per guideline border by
// department, planner and month; the distributions of border and margin deviations; heart dose
// against the constraints; a funnel plot of compliance against case volume per planner; the
// recurrence cohort table; the outliers with links to their reports; and every table as CSV.
// Pure: case records in, tables, figures and the page out.

#include "rtaudit/cohort/records.hpp"
#include "rtaudit/report/figures.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rtaudit::cohort {

struct Cell {
  std::string text;                ///< shown (escaped) when there is no number
  std::optional<double> number;    ///< shown with `decimals`; written to CSV in full
  int decimals = 0;
  std::string link;                ///< a relative path rtaudit made (the case's report.html), or empty
  std::string css;                 ///< a class rtaudit chose ("pass", "fail", ...)
};

struct Table {
  std::string id;       ///< also the CSV file name: tables/<id>.csv
  std::string title, caption;
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
};

struct RunSummary {
  int inputs = 0;      ///< cases given
  int audited = 0;     ///< audited in this run
  int unchanged = 0;   ///< skipped: same inputs as the stored result
  int failed = 0;
  std::string generated, rtaudit_version;
  double wall_seconds = 0;
  /// Set when the page shows a whole results store (`rtaudit dashboard`) rather than one cohort run:
  /// the store, as the user may see it (a PostgreSQL URI without its password).
  std::string store;
};

struct Dashboard {
  RunSummary summary;
  std::vector<Table> tables;
  std::vector<report::Figure> figures;
};

/// Everything from the records (the "ok" ones for the statistics, the failed ones listed).
/// `show_inputs`: list input folders of failed cases (false when pseudonymised: folder names often
/// hold the patient's name or ID).
[[nodiscard]] Dashboard build_dashboard(const std::vector<CaseRecord>& records, const RunSummary& summary, bool show_inputs);

/// Compliance counts of one group: pass / evaluated (pass + warn + fail).
struct Compliance {
  int cases = 0, evaluated = 0, pass = 0, warn = 0, fail = 0, not_evaluable = 0;
  [[nodiscard]] std::optional<double> pct() const { return evaluated > 0 ? std::optional<double>(100.0 * pass / evaluated) : std::nullopt; }
};

/// Funnel-plot control limits (binomial, normal approximation) around the overall proportion p0 for
/// a group of n evaluated cases at z (1.96: 95 %, 3.09: 99.8 %), clamped to [0, 1].
[[nodiscard]] std::pair<double, double> funnel_limits(double p0, int n, double z);

/// The page: self-contained HTML, no script (same Content-Security-Policy as report.html).
[[nodiscard]] std::string render_dashboard_html(const Dashboard& d);

/// A table as CSV: header line, one line per row; text cells neutralised (csv_cell).
[[nodiscard]] std::string table_csv(const Table& t);

}  // namespace rtaudit::cohort
