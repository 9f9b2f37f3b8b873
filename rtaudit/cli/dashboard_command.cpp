// `rtaudit dashboard --db DB --out DIR` (issue 9): the department dashboard (cohort/dashboard) over every
// case of a results store, SQLite or PostgreSQL: what a node's workers, `rtaudit worker`s on a queued
// cohort, or `rtaudit cohort` runs have stored. Writes DIR/dashboard.html, DIR/tables/*.csv and
// DIR/dashboard.json; reads the store only.

#include "rtaudit/cli/commands.hpp"

#include "rtaudit/cli/dashboard_files.hpp"
#include "rtaudit/cli/output_dir.hpp"
#include "rtaudit/cohort/dashboard.hpp"
#include "rtaudit/cohort/store.hpp"
#include "rtaudit/store/postgres.hpp"
#include "rtaudit/version.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <regex>

namespace rtaudit::cli {

namespace {

/// A prefix keeps the links relative paths: no scheme ("javascript:", "https:"), no query or fragment.
bool is_relative_path_prefix(const std::string& p) {
  static const std::regex scheme("^[A-Za-z][A-Za-z0-9+.-]*:");
  return !std::regex_search(p, scheme) && p.find_first_of("?#\\") == std::string::npos && (p.empty() || p.front() != '/');
}

}  // namespace

int run_dashboard(const DashboardArgs& args, bool /*verbose*/) {
  namespace fs = std::filesystem;
  using json = nlohmann::ordered_json;
  if (!is_relative_path_prefix(args.link_prefix)) {
    spdlog::error("--link-prefix must be a relative path (like ../storage/), not '{}'", args.link_prefix);
    return 1;
  }
  std::string error;
  const std::unique_ptr<cohort::Store> store = cohort::Store::open(args.database, &error);
  if (!store) {
    spdlog::error("{}", error);
    return 1;
  }
  std::vector<cohort::CaseRecord> records = store->load(store->keys());
  std::string prefix = args.link_prefix;
  if (!prefix.empty() && prefix.back() != '/') prefix += '/';
  for (auto& r : records) {
    if (!r.report_html.empty()) r.report_html = prefix + r.report_html;
  }
  // One pseudonymised case makes the store a shared one: no input folder is listed.
  const bool pseudonymized = std::any_of(records.begin(), records.end(), [](const cohort::CaseRecord& r) { return r.pseudonymized; });

  const OutputDir out = prepare_output_dir(args.out);
  if (!out.ok()) {
    spdlog::error("{}", out.error);
    return 1;
  }
  cohort::RunSummary summary;
  summary.inputs = static_cast<int>(records.size());
  for (const auto& r : records) summary.failed += r.status == "ok" ? 0 : 1;
  summary.audited = summary.inputs - summary.failed;
  summary.generated = local_timestamp();
  summary.rtaudit_version = std::string(version());
  summary.store = cohort::is_postgres_uri(args.database) ? store::redact_uri(args.database) : fs::path(args.database).filename().string();
  const cohort::Dashboard dash = cohort::build_dashboard(records, summary, !pseudonymized);
  std::vector<std::string> tables;
  bool written = write_dashboard_files(out.path, dash, &tables, &error);
  const json doc{{"schema", "rtaudit-dashboard/1"},
                 {"rtaudit_version", summary.rtaudit_version},
                 {"generated", summary.generated},
                 {"store", summary.store},
                 {"cases", summary.inputs},
                 {"ok", summary.audited},
                 {"failed", summary.failed},
                 {"dashboard", "dashboard.html"},
                 {"tables", tables}};
  written = written && write_file_atomically(out.path / "dashboard.json", doc.dump(1) + "\n", &error);
  if (!written) {
    spdlog::error("{}", error);
    return 1;
  }
  if (!args.quiet) {
    fmt::print("{} case(s) in {}: {} ok, {} failed\ndashboard: {}\n", summary.inputs, summary.store, summary.audited, summary.failed,
               (out.path / "dashboard.html").string());
  }
  return 0;
}

}  // namespace rtaudit::cli
