#pragma once
// The audit queue shared by the node and its workers (issue 9): one row per case, taken by a worker under
// a lease that it renews while the audit runs. A worker that dies stops renewing; when its lease runs out
// the case returns to the queue. A finish counts only from the worker that holds the current lease, and a
// case's results are stored by its key (replacing), so a case is never lost and never counted twice.
// SQLite by default; PostgreSQL (store/postgres) claims with FOR UPDATE SKIP LOCKED.

#include <memory>
#include <optional>
#include <string>

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
  /// The queue in a PostgreSQL database (postgresql:// URI) or an SQLite file.
  static std::unique_ptr<JobQueue> open(const std::string& location, std::string* error);
  virtual ~JobQueue() = default;
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;

  /// Queues `case_key` unless it is queued, running or done with the same input hash. A new hash
  /// (an object joined the case) queues it again. True when it was queued now.
  virtual bool enqueue(const std::string& case_key, const std::string& input_hash, const std::string& case_dir, const std::string& label,
                       std::string* error) = 0;
  /// Takes the oldest queued case, or a running one whose lease ran out, for `lease_seconds`. A case
  /// claimed `max_attempts` times without a finish is marked failed instead (it kills its workers).
  virtual std::optional<Job> claim(const std::string& worker, double lease_seconds, int max_attempts, std::string* error) = 0;
  /// Extends the lease; false when the job is no longer this claim's.
  virtual bool renew(const Job& job, double lease_seconds) = 0;
  /// Marks the claim done (or failed, with `error`); false when the claim is no longer current.
  virtual bool finish(const Job& job, bool ok, const std::string& error) = 0;
  [[nodiscard]] virtual QueueCounts counts() const = 0;
  /// The state of one case ("queued", "running", "done", "failed"), if it is known.
  [[nodiscard]] virtual std::optional<std::string> state(const std::string& case_key) const = 0;
  /// Claims of one case so far (0 when unknown).
  [[nodiscard]] virtual int attempts(const std::string& case_key) const = 0;

 protected:
  JobQueue() = default;
};

/// A unique claim token: the worker's name and random bits.
[[nodiscard]] std::string new_claim_token(const std::string& worker);

}  // namespace rtaudit::store
