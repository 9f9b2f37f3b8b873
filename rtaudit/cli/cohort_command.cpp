// `rtaudit cohort PATH... --out DIR` (issue 7): audits many cases in parallel, each in its own
// `rtaudit audit` process (a case that crashes or hangs its audit cannot take the cohort down), keeps
// every result in DIR/cohort.sqlite keyed by the case folder and the hash of its inputs (a re-run
// skips unchanged cases), and writes the department dashboard (DIR/dashboard.html), every table as
// CSV (DIR/tables/) and a machine-readable summary (DIR/cohort.json). Nothing is written outside DIR.

#include "rtaudit/cli/commands.hpp"

#include "rtaudit/cli/audit_child.hpp"
#include "rtaudit/cli/case_discovery.hpp"
#include "rtaudit/cli/content_hash.hpp"
#include "rtaudit/cli/dashboard_files.hpp"
#include "rtaudit/cli/output_dir.hpp"
#include "rtaudit/cohort/dashboard.hpp"
#include "rtaudit/cohort/store.hpp"
#include "rtaudit/report/pseudonym.hpp"
#include "rtaudit/version.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

namespace rtaudit::cli {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

/// "[=========>          ] 57/200  1 failed" on one terminal line.
void draw_progress(int done, int total, int failed) {
  const int width = 30;
  const int fill = total > 0 ? width * done / total : width;
  std::string bar(static_cast<std::size_t>(fill), '=');
  if (fill < width) bar += '>';
  bar.resize(width, ' ');
  fmt::print(stderr, "\r[{}] {}/{}  {} failed ", bar, done, total, failed);
  std::fflush(stderr);
}

}  // namespace

int run_cohort(const CohortArgs& args, bool verbose) {
  const auto started = std::chrono::steady_clock::now();
  // ---- Arguments first: nothing is written when they are bad.
  std::string key_context;
  if (!args.pseudonymize_key.empty()) {
    std::string key;
    if (!read_pseudonym_key(args.pseudonymize_key, &key)) return 1;
    key_context = sha256_hex("rtaudit-key-fingerprint:" + key);  // the hash changes with the key, the key is not stored
  }
  const bool pseudonymized = !args.pseudonymize_key.empty();
  const std::vector<CaseInput> cases = discover_cases(args.inputs);
  const auto out = prepare_output_dir(args.out);
  if (!out.ok()) {
    spdlog::error("{}", out.error);
    return 1;
  }
  std::error_code ec;
  fs::create_directories(out.path / "cases", ec);
  fs::create_directories(out.path / "logs", ec);
  fs::create_directories(out.path / "tables", ec);
  std::string error;
  const std::unique_ptr<cohort::Store> store = cohort::Store::open((out.path / "cohort.sqlite").string(), &error);
  if (!store) {
    spdlog::error("{}", error);
    return 1;
  }
  const AuditChildOptions child{self_executable(), args.no_dose, pseudonymized ? args.pseudonymize_key : std::string(), verbose};
  const std::string context =
      fmt::format("rtaudit {}; no-dose {}; key {}", version(), args.no_dose ? "yes" : "no", key_context.empty() ? "none" : key_context);

  // ---- Which cases need an audit.
  std::vector<std::size_t> todo;
  std::vector<std::string> hashes(cases.size());
  std::mutex mutex;  // guards the store, the counters and the terminal
  int done = 0, failed = 0, unchanged = 0;
  const auto record_failure = [&](const CaseInput& c, const std::string& why, const std::string& hash) {
    std::string e;
    if (!store->put(unaudited_case_record(c, why, pseudonymized), hash, local_timestamp(), &e)) spdlog::error("results database: {}", e);
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const CaseInput& c = cases[i];
    if (!c.problem.empty()) {
      record_failure(c, c.problem, "");
      ++failed;
      continue;
    }
    std::string why;
    const auto hash = folder_content_hash(c.input, context, &why);
    if (!hash) {
      record_failure(c, why, "");
      ++failed;
      continue;
    }
    hashes[i] = *hash;
    if (!args.force && store->ok_hash(c.key) == hash && fs::exists(out.path / "cases" / c.key / "report.json", ec)) {
      ++unchanged;
      continue;
    }
    todo.push_back(i);
  }
  const int total = static_cast<int>(todo.size());
  const bool progress = !args.quiet && ::isatty(STDERR_FILENO) != 0 && total > 0;
  if (!args.quiet) {
    fmt::print("{} case(s): {} to audit, {} unchanged, {} not readable\n", cases.size(), total, unchanged, failed);
    std::fflush(stdout);
  }
  const int before_failed = failed;

  // ---- Audit in parallel, each case in its own process.
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  const int jobs = std::max(1, std::min(args.jobs > 0 ? args.jobs : static_cast<int>(hw), std::max(1, total)));
  std::atomic<std::size_t> next{0};
  const auto worker = [&] {
    for (std::size_t t = next++; t < todo.size(); t = next++) {
      const CaseInput& c = cases[todo[t]];
      const fs::path case_out = out.path / "cases" / c.key;
      const fs::path log = out.path / "logs" / (c.key + ".log");
      const cohort::CaseRecord r = audit_in_child(child, c.key, c.input, case_out, log, "cases/" + c.key + "/report.html");
      const std::lock_guard<std::mutex> lock(mutex);
      std::string e;
      if (!store->put(r, r.status == "ok" ? hashes[todo[t]] : "", local_timestamp(), &e)) spdlog::error("results database: {}", e);
      ++done;
      if (r.status != "ok") ++failed;
      if (progress) draw_progress(done, total, failed - before_failed);
    }
  };
  std::vector<std::thread> pool;
  for (int j = 0; j < jobs; ++j) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  if (progress) fmt::print(stderr, "\n");

  // ---- Dashboard over the cases of this run (audited now or unchanged).
  std::vector<std::string> keys;
  for (const auto& c : cases) keys.push_back(c.key);
  const std::vector<cohort::CaseRecord> records = store->load(keys);
  cohort::RunSummary summary;
  summary.inputs = static_cast<int>(cases.size());
  summary.audited = total;
  summary.unchanged = unchanged;
  summary.failed = 0;
  for (const auto& r : records) summary.failed += r.status == "ok" ? 0 : 1;
  summary.generated = local_timestamp();
  summary.rtaudit_version = std::string(version());
  summary.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const cohort::Dashboard dash = cohort::build_dashboard(records, summary, !pseudonymized);
  std::vector<std::string> tables;
  bool written = write_dashboard_files(out.path, dash, &tables, &error);
  json failures = json::array();
  for (const auto& r : records) {
    if (r.status != "ok") failures.push_back({{"case", r.key}, {"input", pseudonymized ? json(nullptr) : json(r.input)}, {"reason", r.error}});
  }
  const json doc{{"schema", "rtaudit-cohort/1"},
                 {"rtaudit_version", std::string(version())},
                 {"generated", summary.generated},
                 {"inputs", summary.inputs},
                 {"audited", summary.audited},
                 {"unchanged", summary.unchanged},
                 {"ok", static_cast<int>(records.size()) - summary.failed},
                 {"failed", summary.failed},
                 {"failures", failures},
                 {"wall_seconds", summary.wall_seconds},
                 {"database", "cohort.sqlite"},
                 {"dashboard", "dashboard.html"},
                 {"tables", tables}};
  written = written && write_file_atomically(out.path / "cohort.json", doc.dump(1) + "\n", &error);
  if (!written) {
    spdlog::error("{}", error);
    return 1;
  }
  if (!args.quiet || summary.failed > 0) {
    fmt::print("{} case(s): {} audited, {} unchanged, {} failed ({:.1f} s)\n", summary.inputs, summary.audited, summary.unchanged, summary.failed,
               summary.wall_seconds);
    for (const auto& f : failures) {
      fmt::print("  failed: {}: {}\n", f["input"].is_string() ? f["input"].get<std::string>() : f["case"].get<std::string>(), f["reason"].get<std::string>());
    }
    if (!args.quiet) fmt::print("dashboard: {}\n", (out.path / "dashboard.html").string());
  }
  return 0;
}

}  // namespace rtaudit::cli
