#pragma once
// One case audited in its own `rtaudit audit` process (a case that crashes or hangs its audit cannot take
// the caller down), turned into the record the results store keeps. Shared by `rtaudit cohort`, the node's
// workers and `rtaudit worker`.

#include "rtaudit/cohort/records.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace rtaudit::cli {

struct AuditChildOptions {
  std::string self;              ///< the rtaudit executable
  bool no_dose = false;
  std::string pseudonymize_key;  ///< key file passed on; empty: none
  bool verbose = false;
};

/// The running executable's path (for the child processes).
[[nodiscard]] std::string self_executable();

/// Runs argv[0] with argv as a child process, stdout and stderr into `log`, stdin from /dev/null; the
/// child is killed if the calling thread's process dies. Returns the wait status, -1 and `error` when it
/// could not start.
int run_child(const std::vector<std::string>& argv, const std::filesystem::path& log, std::string* error);

/// `rtaudit audit INPUT --out CASE_OUT -q` with the options; the record of the outcome: "ok" with what the
/// report says, or "failed" with the reason (the audit's error lines, its exit status or signal).
/// `report_html` is the report's path as the dashboard should link it.
[[nodiscard]] cohort::CaseRecord audit_in_child(const AuditChildOptions& options, const std::string& key, const std::string& input,
                                                const std::filesystem::path& case_out, const std::filesystem::path& log,
                                                const std::string& report_html);

}  // namespace rtaudit::cli
