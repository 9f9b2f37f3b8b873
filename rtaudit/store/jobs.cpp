#include "rtaudit/store/jobs.hpp"

#include "rtaudit/store/postgres.hpp"
#include "rtaudit/store/sqlite_statement.hpp"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <random>

namespace rtaudit::store {

namespace {

// The database's clock decides leases, so workers on machines whose clocks differ agree on them.
constexpr const char* kNow = "((julianday('now') - 2440587.5) * 86400.0)";

constexpr const char* kSchema = R"sql(
PRAGMA journal_mode = WAL;
CREATE TABLE IF NOT EXISTS jobs(
  case_key TEXT PRIMARY KEY, input_hash TEXT NOT NULL, case_dir TEXT NOT NULL, label TEXT,
  state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, worker TEXT, token TEXT, lease_until REAL,
  queued_at REAL, started_at REAL, finished_at REAL, error TEXT);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs(state, queued_at);
)sql";

class SqliteJobQueue final : public JobQueue {
 public:
  explicit SqliteJobQueue(sqlite3* db) : db_(db) {}
  ~SqliteJobQueue() override { sqlite3_close(db_); }
  bool enqueue(const std::string& case_key, const std::string& input_hash, const std::string& case_dir, const std::string& label,
               std::string* error) override;
  std::optional<Job> claim(const std::string& worker, double lease_seconds, int max_attempts, std::string* error) override;
  bool renew(const Job& job, double lease_seconds) override;
  bool finish(const Job& job, bool ok, const std::string& error) override;
  [[nodiscard]] QueueCounts counts() const override;
  [[nodiscard]] std::optional<std::string> state(const std::string& case_key) const override;
  [[nodiscard]] int attempts(const std::string& case_key) const override;

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace

std::string new_claim_token(const std::string& worker) {
  static std::atomic<unsigned long long> n{0};
  std::random_device rd;
  return fmt::format("{}:{:x}{:x}:{}", worker, rd(), rd(), ++n);
}

std::unique_ptr<JobQueue> JobQueue::open(const std::string& path, std::string* error) {
  if (cohort::is_postgres_uri(path)) return open_postgres_queue(path, error);
  sqlite3* db = open_database(path, kSchema, "queue", 30000, error);
  if (!db) return nullptr;
  return std::make_unique<SqliteJobQueue>(db);
}

bool SqliteJobQueue::enqueue(const std::string& case_key, const std::string& input_hash, const std::string& case_dir, const std::string& label,
                       std::string* error) {
  const std::string sql = fmt::format(
      "INSERT INTO jobs(case_key, input_hash, case_dir, label, state, attempts, queued_at) VALUES(?1, ?2, ?3, ?4, 'queued', 0, {0}) "
      "ON CONFLICT(case_key) DO UPDATE SET input_hash = ?2, case_dir = ?3, label = ?4, state = 'queued', attempts = 0, worker = NULL, "
      "token = NULL, lease_until = NULL, queued_at = {0}, started_at = NULL, finished_at = NULL, error = NULL "
      "WHERE jobs.input_hash <> ?2",
      kNow);
  Statement q(db_, sql.c_str());
  if (!q.ok() || q.text(1, case_key).text(2, input_hash).text(3, case_dir).text(4, label).step() != SQLITE_DONE) {
    if (error) *error = sqlite3_errmsg(db_);
    return false;
  }
  return sqlite3_changes(db_) > 0;
}

std::optional<Job> SqliteJobQueue::claim(const std::string& worker, double lease_seconds, int max_attempts, std::string* error) {
  // BEGIN IMMEDIATE takes SQLite's write lock: the select and the update below are one step for every
  // other worker (PostgreSQL does the same with FOR UPDATE SKIP LOCKED, without serialising the claims).
  for (;;) {
    if (!exec(db_, "BEGIN IMMEDIATE", error)) return std::nullopt;
    const std::string pick = fmt::format(
        "SELECT case_key, input_hash, case_dir, label, attempts FROM jobs "
        "WHERE state = 'queued' OR (state = 'running' AND lease_until < {}) ORDER BY queued_at, case_key LIMIT 1",
        kNow);
    Statement q(db_, pick.c_str());
    if (!q.ok()) {
      if (error) *error = sqlite3_errmsg(db_);
      exec(db_, "ROLLBACK", nullptr);
      return std::nullopt;
    }
    if (q.step() != SQLITE_ROW) {
      q.reset();
      exec(db_, "COMMIT", nullptr);
      return std::nullopt;
    }
    Job job{q.col_text(0), q.col_text(1), q.col_text(2), q.col_text(3), static_cast<int>(q.col_int(4)) + 1, new_claim_token(worker)};
    q.reset();
    if (job.attempts > max_attempts) {
      Statement f(db_, fmt::format("UPDATE jobs SET state = 'failed', finished_at = {}, error = ? WHERE case_key = ?", kNow).c_str());
      f.text(1, fmt::format("given up after {} claims that never finished (the audit kills its worker)", max_attempts)).text(2, job.case_key).step();
      exec(db_, "COMMIT", nullptr);
      continue;
    }
    Statement u(db_, fmt::format("UPDATE jobs SET state = 'running', attempts = ?, worker = ?, token = ?, lease_until = {0} + ?, "
                                 "started_at = {0} WHERE case_key = ?",
                                 kNow)
                         .c_str());
    const bool ok = u.ok() && u.integer(1, job.attempts).text(2, worker).text(3, job.token).real(4, lease_seconds).text(5, job.case_key).step() == SQLITE_DONE;
    if (!ok) {
      if (error) *error = sqlite3_errmsg(db_);
      exec(db_, "ROLLBACK", nullptr);
      return std::nullopt;
    }
    if (!exec(db_, "COMMIT", error)) return std::nullopt;
    return job;
  }
}

bool SqliteJobQueue::renew(const Job& job, double lease_seconds) {
  Statement u(db_, fmt::format("UPDATE jobs SET lease_until = {} + ? WHERE case_key = ? AND token = ? AND state = 'running'", kNow).c_str());
  return u.ok() && u.real(1, lease_seconds).text(2, job.case_key).text(3, job.token).step() == SQLITE_DONE && sqlite3_changes(db_) == 1;
}

bool SqliteJobQueue::finish(const Job& job, bool ok, const std::string& error) {
  Statement u(db_, fmt::format("UPDATE jobs SET state = ?, finished_at = {}, error = ?, lease_until = NULL "
                               "WHERE case_key = ? AND token = ? AND state = 'running'",
                               kNow)
                       .c_str());
  return u.ok() && u.text(1, ok ? "done" : "failed").text(2, error).text(3, job.case_key).text(4, job.token).step() == SQLITE_DONE &&
         sqlite3_changes(db_) == 1;
}

QueueCounts SqliteJobQueue::counts() const {
  QueueCounts c;
  Statement q(db_, "SELECT state, COUNT(*) FROM jobs GROUP BY state");
  while (q.ok() && q.step() == SQLITE_ROW) {
    const std::string s = q.col_text(0);
    const int n = static_cast<int>(q.col_int(1));
    if (s == "queued") c.queued = n;
    else if (s == "running") c.running = n;
    else if (s == "done") c.done = n;
    else if (s == "failed") c.failed = n;
  }
  return c;
}

std::optional<std::string> SqliteJobQueue::state(const std::string& case_key) const {
  Statement q(db_, "SELECT state FROM jobs WHERE case_key = ?");
  if (q.ok() && q.text(1, case_key).step() == SQLITE_ROW) return q.col_text(0);
  return std::nullopt;
}

int SqliteJobQueue::attempts(const std::string& case_key) const {
  Statement q(db_, "SELECT attempts FROM jobs WHERE case_key = ?");
  if (q.ok() && q.text(1, case_key).step() == SQLITE_ROW) return static_cast<int>(q.col_int(0));
  return 0;
}

}  // namespace rtaudit::store
