#include "rtaudit/store/postgres.hpp"

#include <libpq-fe.h>

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <mutex>
#include <optional>

namespace rtaudit::store {

namespace {

constexpr const char* kMigration1 = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE cases(
  key TEXT PRIMARY KEY, input TEXT, input_hash TEXT, status TEXT NOT NULL, error TEXT, label TEXT,
  pseudonymized INTEGER, institution TEXT, department TEXT, planner TEXT, month TEXT, report_html TEXT,
  mean_heart_dose_gy DOUBLE PRECISION, audited_at TEXT);
CREATE TABLE checks(id BIGSERIAL PRIMARY KEY, case_key TEXT NOT NULL, guideline TEXT, check_name TEXT, status TEXT,
  deviation_mm DOUBLE PRECISION);
CREATE TABLE constraints(id BIGSERIAL PRIMARY KEY, case_key TEXT NOT NULL, name TEXT, status TEXT, value DOUBLE PRECISION,
  limit_value DOUBLE PRECISION, unit TEXT);
CREATE TABLE points(id BIGSERIAL PRIMARY KEY, case_key TEXT NOT NULL, point_id TEXT, kind TEXT, ctv TEXT, class TEXT);
CREATE INDEX checks_case ON checks(case_key);
CREATE INDEX constraints_case ON constraints(case_key);
CREATE INDEX points_case ON points(case_key);
INSERT INTO meta(key, value) VALUES('schema_version', '1');
)sql";

constexpr const char* kMigration2 = R"sql(
CREATE TABLE jobs(
  case_key TEXT PRIMARY KEY, input_hash TEXT NOT NULL, case_dir TEXT NOT NULL, label TEXT,
  state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, worker TEXT, token TEXT, lease_until DOUBLE PRECISION,
  queued_at DOUBLE PRECISION, started_at DOUBLE PRECISION, finished_at DOUBLE PRECISION, error TEXT);
CREATE INDEX jobs_state ON jobs(state, queued_at);
)sql";

constexpr const char* kNow = "extract(epoch from clock_timestamp())";

/// One query's result, cleared on scope exit.
class Result {
 public:
  explicit Result(PGresult* r) : r_(r) {}
  ~Result() { PQclear(r_); }
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  Result(Result&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  [[nodiscard]] bool ok() const {
    const auto s = PQresultStatus(r_);
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
  }
  [[nodiscard]] int rows() const { return PQntuples(r_); }
  [[nodiscard]] int changed() const { return std::atoi(PQcmdTuples(r_)); }
  [[nodiscard]] std::string text(int row, int col) const { return PQgetisnull(r_, row, col) ? "" : PQgetvalue(r_, row, col); }
  [[nodiscard]] std::optional<double> real(int row, int col) const {
    if (PQgetisnull(r_, row, col)) return std::nullopt;
    return std::strtod(PQgetvalue(r_, row, col), nullptr);
  }
  [[nodiscard]] std::string error() const { return PQresultErrorMessage(r_); }

 private:
  PGresult* r_;
};

/// A parameter: text, or SQL NULL.
using Param = std::optional<std::string>;
Param num(const std::optional<double>& v) { return v ? Param(fmt::format("{:.17g}", *v)) : std::nullopt; }

/// One connection; libpq connections are not shared between threads, so every call holds the mutex.
class Connection {
 public:
  static std::shared_ptr<Connection> open(const std::string& uri, std::string* error) {
    PGconn* c = PQconnectdb(uri.c_str());
    if (!c || PQstatus(c) != CONNECTION_OK) {
      std::string why = c ? PQerrorMessage(c) : "out of memory";
      while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
      if (error) *error = fmt::format("cannot connect to {}: {}", redact_uri(uri), why);
      PQfinish(c);
      return nullptr;
    }
    PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);  // "already exists, skipping" is not news
    auto conn = std::shared_ptr<Connection>(new Connection(c));
    if (!conn->migrate(error)) return nullptr;
    return conn;
  }
  ~Connection() { PQfinish(c_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Result exec(const std::string& sql, const std::vector<Param>& params = {}) {
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    return Result(PQexecParams(c_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0));
  }
  /// Several statements without parameters (a migration), which PQexecParams refuses.
  Result exec_script(const char* sql) { return Result(PQexec(c_, sql)); }
  std::mutex& mutex() { return mutex_; }

 private:
  explicit Connection(PGconn* c) : c_(c) {}

  /// Applies the migrations this database has not seen, one transaction, under an advisory lock so
  /// that nodes and workers starting together do not race.
  bool migrate(std::string* error) {
    const auto fail = [&](const Result& r, const std::string& what) {
      if (error) *error = fmt::format("PostgreSQL schema ({}): {}", what, r.error());
      exec("ROLLBACK");
      return false;
    };
    if (Result r = exec("BEGIN"); !r.ok()) return fail(r, "begin");
    if (Result r = exec("SELECT pg_advisory_xact_lock(7412389)"); !r.ok()) return fail(r, "lock");
    if (Result r = exec("CREATE TABLE IF NOT EXISTS schema_migrations(version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
                        "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
        !r.ok()) {
      return fail(r, "schema_migrations");
    }
    Result have = exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (!have.ok()) return fail(have, "version");
    const int current = std::atoi(have.text(0, 0).c_str());
    const int newest = postgres_migrations().back().version;
    if (current > newest) {
      if (error) *error = fmt::format("the database's schema (version {}) is newer than this rtaudit's ({}): upgrade rtaudit", current, newest);
      exec("ROLLBACK");
      return false;
    }
    for (const Migration& m : postgres_migrations()) {
      if (m.version <= current) continue;
      if (Result r = exec_script(m.sql); !r.ok()) return fail(r, fmt::format("migration {}", m.version));
      if (Result r = exec("INSERT INTO schema_migrations(version, description) VALUES($1, $2)", {std::to_string(m.version), std::string(m.description)});
          !r.ok()) {
        return fail(r, "record migration");
      }
    }
    if (Result r = exec("COMMIT"); !r.ok()) return fail(r, "commit");
    return true;
  }

  PGconn* c_;
  std::mutex mutex_;
};

class PostgresResults final : public cohort::Store {
 public:
  explicit PostgresResults(std::shared_ptr<Connection> c) : c_(std::move(c)) {}

  [[nodiscard]] std::optional<std::string> ok_hash(const std::string& key) const override {
    const std::lock_guard<std::mutex> lock(c_->mutex());
    Result r = c_->exec("SELECT input_hash FROM cases WHERE key = $1 AND status = 'ok'", {key});
    if (r.ok() && r.rows() == 1) return r.text(0, 0);
    return std::nullopt;
  }

  bool put(const cohort::CaseRecord& rec, const std::string& input_hash, const std::string& audited_at, std::string* error) override {
    const std::lock_guard<std::mutex> lock(c_->mutex());
    const auto fail = [&](const Result& r) {
      if (error) *error = r.error();
      c_->exec("ROLLBACK");
      return false;
    };
    if (Result r = c_->exec("BEGIN"); !r.ok()) return fail(r);
    for (const char* sql : {"DELETE FROM checks WHERE case_key = $1", "DELETE FROM constraints WHERE case_key = $1", "DELETE FROM points WHERE case_key = $1",
                            "DELETE FROM cases WHERE key = $1"}) {
      if (Result r = c_->exec(sql, {rec.key}); !r.ok()) return fail(r);
    }
    Result c = c_->exec(
        "INSERT INTO cases(key, input, input_hash, status, error, label, pseudonymized, institution, department, planner, month, report_html, "
        "mean_heart_dose_gy, audited_at) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)",
        {rec.key, rec.pseudonymized ? std::string("(withheld)") : rec.input, input_hash, rec.status, rec.error, rec.label,
         std::string(rec.pseudonymized ? "1" : "0"), rec.institution, rec.department, rec.planner, rec.month, rec.report_html,
         num(rec.mean_heart_dose_gy), audited_at});
    if (!c.ok()) return fail(c);
    for (const auto& k : rec.checks) {
      Result r = c_->exec("INSERT INTO checks(case_key, guideline, check_name, status, deviation_mm) VALUES($1,$2,$3,$4,$5)",
                          {rec.key, k.guideline, k.check, k.status, num(k.deviation_mm)});
      if (!r.ok()) return fail(r);
    }
    for (const auto& k : rec.constraints) {
      Result r = c_->exec("INSERT INTO constraints(case_key, name, status, value, limit_value, unit) VALUES($1,$2,$3,$4,$5,$6)",
                          {rec.key, k.name, k.status, num(k.value), num(k.limit), k.unit});
      if (!r.ok()) return fail(r);
    }
    for (const auto& p : rec.points) {
      for (const auto& [ctv, cls] : p.classes) {
        Result r = c_->exec("INSERT INTO points(case_key, point_id, kind, ctv, class) VALUES($1,$2,$3,$4,$5)",
                            {rec.key, p.point_id, p.kind, ctv, std::string(miss::to_string(cls))});
        if (!r.ok()) return fail(r);
      }
    }
    if (Result r = c_->exec("COMMIT"); !r.ok()) return fail(r);
    return true;
  }

  [[nodiscard]] std::vector<cohort::CaseRecord> load(const std::vector<std::string>& keys) const override {
    const std::lock_guard<std::mutex> lock(c_->mutex());
    std::vector<cohort::CaseRecord> out;
    for (const auto& key : keys) {
      Result c = c_->exec(
          "SELECT key, input, status, error, label, pseudonymized, institution, department, planner, month, report_html, mean_heart_dose_gy "
          "FROM cases WHERE key = $1",
          {key});
      if (!c.ok() || c.rows() != 1) continue;
      cohort::CaseRecord r;
      r.key = c.text(0, 0), r.input = c.text(0, 1), r.status = c.text(0, 2), r.error = c.text(0, 3), r.label = c.text(0, 4);
      r.pseudonymized = c.text(0, 5) == "1";
      r.institution = c.text(0, 6), r.department = c.text(0, 7), r.planner = c.text(0, 8), r.month = c.text(0, 9);
      r.report_html = c.text(0, 10);
      r.mean_heart_dose_gy = c.real(0, 11);
      Result k = c_->exec("SELECT guideline, check_name, status, deviation_mm FROM checks WHERE case_key = $1 ORDER BY id", {key});
      for (int i = 0; k.ok() && i < k.rows(); ++i) r.checks.push_back({k.text(i, 0), k.text(i, 1), k.text(i, 2), k.real(i, 3)});
      Result h = c_->exec("SELECT name, status, value, limit_value, unit FROM constraints WHERE case_key = $1 ORDER BY id", {key});
      for (int i = 0; h.ok() && i < h.rows(); ++i) r.constraints.push_back({h.text(i, 0), h.text(i, 1), h.real(i, 2), h.real(i, 3), h.text(i, 4)});
      Result p = c_->exec("SELECT point_id, kind, ctv, class FROM points WHERE case_key = $1 ORDER BY id", {key});
      for (int i = 0; p.ok() && i < p.rows(); ++i) {
        const std::string id = p.text(i, 0), kind = p.text(i, 1);
        auto it = std::find_if(r.points.begin(), r.points.end(), [&](const miss::CohortPoint& q) { return q.point_id == id && q.kind == kind; });
        if (it == r.points.end()) {
          r.points.push_back({key, id, kind, {}});
          it = std::prev(r.points.end());
        }
        it->classes[p.text(i, 2)] = cohort::parse_point_class(p.text(i, 3));
      }
      out.push_back(std::move(r));
    }
    return out;
  }

  [[nodiscard]] std::vector<std::string> keys() const override {
    const std::lock_guard<std::mutex> lock(c_->mutex());
    std::vector<std::string> out;
    Result r = c_->exec("SELECT key FROM cases ORDER BY key");
    for (int i = 0; r.ok() && i < r.rows(); ++i) out.push_back(r.text(i, 0));
    return out;
  }

 private:
  std::shared_ptr<Connection> c_;
};

class PostgresQueue final : public JobQueue {
 public:
  explicit PostgresQueue(std::shared_ptr<Connection> c) : c_(std::move(c)) {}

  bool enqueue(const std::string& case_key, const std::string& input_hash, const std::string& case_dir, const std::string& label,
               std::string* error) override {
    const std::lock_guard<std::mutex> lock(c_->mutex());
    Result r = c_->exec(fmt::format("INSERT INTO jobs(case_key, input_hash, case_dir, label, state, attempts, queued_at) "
                                    "VALUES($1, $2, $3, $4, 'queued', 0, {0}) ON CONFLICT(case_key) DO UPDATE SET input_hash = $2, case_dir = $3, "
                                    "label = $4, state = 'queued', attempts = 0, worker = NULL, token = NULL, lease_until = NULL, queued_at = {0}, "
                                    "started_at = NULL, finished_at = NULL, error = NULL WHERE jobs.input_hash <> $2",
                                    kNow),
                        {case_key, input_hash, case_dir, label});
    if (!r.ok()) {
      if (error) *error = r.error();
      return false;
    }
    return r.changed() > 0;
  }

  std::optional<Job> claim(const std::string& worker, double lease_seconds, int max_attempts, std::string* error) override {
    const std::lock_guard<std::mutex> lock(c_->mutex());
    for (;;) {
      const auto fail = [&](const Result& r) {
        if (error) *error = r.error();
        c_->exec("ROLLBACK");
        return std::nullopt;
      };
      if (Result r = c_->exec("BEGIN"); !r.ok()) return fail(r);
      // SKIP LOCKED: a row another worker is claiming right now is passed over, not waited for.
      Result pick = c_->exec(fmt::format("SELECT case_key, input_hash, case_dir, label, attempts FROM jobs "
                                         "WHERE state = 'queued' OR (state = 'running' AND lease_until < {}) "
                                         "ORDER BY queued_at, case_key LIMIT 1 FOR UPDATE SKIP LOCKED",
                                         kNow));
      if (!pick.ok()) return fail(pick);
      if (pick.rows() == 0) {
        c_->exec("COMMIT");
        return std::nullopt;
      }
      Job job{pick.text(0, 0), pick.text(0, 1), pick.text(0, 2), pick.text(0, 3), std::atoi(pick.text(0, 4).c_str()) + 1, new_claim_token(worker)};
      if (job.attempts > max_attempts) {
        Result f = c_->exec(fmt::format("UPDATE jobs SET state = 'failed', finished_at = {}, error = $1 WHERE case_key = $2", kNow),
                            {fmt::format("given up after {} claims that never finished (the audit kills its worker)", max_attempts), job.case_key});
        if (!f.ok()) return fail(f);
        c_->exec("COMMIT");
        continue;
      }
      Result u = c_->exec(fmt::format("UPDATE jobs SET state = 'running', attempts = $1, worker = $2, token = $3, lease_until = {0} + $4, "
                                      "started_at = {0} WHERE case_key = $5",
                                      kNow),
                          {std::to_string(job.attempts), worker, job.token, fmt::format("{:.6f}", lease_seconds), job.case_key});
      if (!u.ok()) return fail(u);
      if (Result r = c_->exec("COMMIT"); !r.ok()) return fail(r);
      return job;
    }
  }

  bool renew(const Job& job, double lease_seconds) override {
    const std::lock_guard<std::mutex> lock(c_->mutex());
    Result r = c_->exec(fmt::format("UPDATE jobs SET lease_until = {} + $1 WHERE case_key = $2 AND token = $3 AND state = 'running'", kNow),
                        {fmt::format("{:.6f}", lease_seconds), job.case_key, job.token});
    return r.ok() && r.changed() == 1;
  }

  bool finish(const Job& job, bool ok, const std::string& error) override {
    const std::lock_guard<std::mutex> lock(c_->mutex());
    Result r = c_->exec(fmt::format("UPDATE jobs SET state = $1, finished_at = {}, error = $2, lease_until = NULL "
                                    "WHERE case_key = $3 AND token = $4 AND state = 'running'",
                                    kNow),
                        {std::string(ok ? "done" : "failed"), error, job.case_key, job.token});
    return r.ok() && r.changed() == 1;
  }

  [[nodiscard]] QueueCounts counts() const override {
    const std::lock_guard<std::mutex> lock(c_->mutex());
    QueueCounts c;
    Result r = c_->exec("SELECT state, COUNT(*) FROM jobs GROUP BY state");
    for (int i = 0; r.ok() && i < r.rows(); ++i) {
      const std::string s = r.text(i, 0);
      const int n = std::atoi(r.text(i, 1).c_str());
      if (s == "queued") c.queued = n;
      else if (s == "running") c.running = n;
      else if (s == "done") c.done = n;
      else if (s == "failed") c.failed = n;
    }
    return c;
  }

  [[nodiscard]] std::optional<std::string> state(const std::string& case_key) const override {
    const std::lock_guard<std::mutex> lock(c_->mutex());
    Result r = c_->exec("SELECT state FROM jobs WHERE case_key = $1", {case_key});
    if (r.ok() && r.rows() == 1) return r.text(0, 0);
    return std::nullopt;
  }

  [[nodiscard]] int attempts(const std::string& case_key) const override {
    const std::lock_guard<std::mutex> lock(c_->mutex());
    Result r = c_->exec("SELECT attempts FROM jobs WHERE case_key = $1", {case_key});
    return r.ok() && r.rows() == 1 ? std::atoi(r.text(0, 0).c_str()) : 0;
  }

 private:
  std::shared_ptr<Connection> c_;
};

}  // namespace

const std::vector<Migration>& postgres_migrations() {
  static const std::vector<Migration> m{{1, "results: cases, checks, constraints, points", kMigration1}, {2, "audit queue: jobs", kMigration2}};
  return m;
}

std::string redact_uri(const std::string& uri) {
  std::string out = uri;
  // user:password@host -> user:***@host
  if (const auto scheme = out.find("://"); scheme != std::string::npos) {
    const auto start = scheme + 3;
    const auto at = out.find('@', start);
    const auto slash = out.find('/', start);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      const auto colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // ...?password=secret&... -> password=***
  for (auto p = out.find("password="); p != std::string::npos; p = out.find("password=", p + 1)) {
    if (p > 0 && out[p - 1] != '?' && out[p - 1] != '&') continue;
    const auto value = p + 9;
    const auto end = out.find('&', value);
    out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
  }
  return out;
}

std::unique_ptr<cohort::Store> open_postgres_results(const std::string& uri, std::string* error) {
  auto c = Connection::open(uri, error);
  if (!c) return nullptr;
  return std::make_unique<PostgresResults>(std::move(c));
}

std::unique_ptr<JobQueue> open_postgres_queue(const std::string& uri, std::string* error) {
  auto c = Connection::open(uri, error);
  if (!c) return nullptr;
  return std::make_unique<PostgresQueue>(std::move(c));
}

}  // namespace rtaudit::store
