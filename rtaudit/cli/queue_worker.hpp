#pragma once
// A worker of the audit queue (issue 9): takes a case under a lease, audits it in a child process while a
// second thread renews the lease, stores the result by the case's key, then marks the job done. Runs in
// `rtaudit serve` (threads) and as `rtaudit worker` (processes, on this machine or others).

#include "rtaudit/cli/audit_child.hpp"

#include <atomic>
#include <filesystem>
#include <string>

namespace rtaudit::cli {

struct QueueWorkerOptions {
  std::string database;              ///< the queue and results database (SQLite file)
  std::filesystem::path out;         ///< reports/ and logs/ go here
  std::string name;                  ///< shown in the queue's worker column: host:pid[:n]
  double lease_seconds = 60;
  int max_attempts = 3;
  double poll_seconds = 0.5;         ///< wait between looks at an empty queue
  bool exit_when_empty = false;      ///< stop when nothing is queued or running (a cohort run) instead of waiting
  AuditChildOptions audit;
};

/// Works until `stop` is set (or the queue is empty with exit_when_empty). Returns the jobs it finished;
/// -1 and `error` when the database cannot be opened.
int run_queue_worker(const QueueWorkerOptions& options, const std::atomic<bool>& stop, std::string* error);

/// "host:pid".
[[nodiscard]] std::string default_worker_name();

}  // namespace rtaudit::cli
