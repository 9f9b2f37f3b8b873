#pragma once
// The audit queue shared by the node and its workers (issue 9): one row per case, taken by a worker under
// a lease that it renews while the audit runs. A worker that dies stops renewing; when its lease runs out
// the case returns to the queue. A finish counts only from the worker that holds the current lease, and a
// case's results are stored by its key (replacing), so a case is never lost and never counted twice.
// SQLite (this file); the same table on PostgreSQL is the PostgreSQL store's.

#include <memory>
#include <optional>
#include <string>

struct sqlite3;

namespace rtaudit::store {

struct Job {
  std::string case_key, input_hash, case_dir, label;
  int attempts = 0;   ///< claims so far, this one included
  std::string token;  ///< this claim's: renew() and finish() name it
};

struct QueueCounts {
  int queued = 0, running = 0, done = 0, failed = 0;
};

class JobQueue {
 public:
  static std::unique_ptr<JobQueue> open(const std::string& path, std::string* error);
  ~JobQueue();
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;

  /// Queues `case_key` unless it is queued, running or done with the same input hash. A new hash
  /// (an object joined the case) queues it again. True when it was queued now.
  bool enqueue(const std::string& case_key, const std::string& input_hash, const std::string& case_dir, const std::string& label,
               std::string* error);
  /// Takes the oldest queued case, or a running one whose lease ran out, for `lease_seconds`. A case
  /// claimed `max_attempts` times without a finish is marked failed instead (it kills its workers).
  std::optional<Job> claim(const std::string& worker, double lease_seconds, int max_attempts, std::string* error);
  /// Extends the lease; false when the job is no longer this claim's.
  bool renew(const Job& job, double lease_seconds);
  /// Marks the claim done (or failed, with `error`); false when the claim is no longer current.
  bool finish(const Job& job, bool ok, const std::string& error);
  [[nodiscard]] QueueCounts counts() const;
  /// The state of one case ("queued", "running", "done", "failed"), if it is known.
  [[nodiscard]] std::optional<std::string> state(const std::string& case_key) const;

 private:
  explicit JobQueue(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

}  // namespace rtaudit::store
