#include "rtaudit/cohort/store.hpp"

#include "rtaudit/store/postgres.hpp"
#include "rtaudit/store/sqlite_statement.hpp"

#include <sqlite3.h>

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace rtaudit::cohort {

namespace {

using store::exec;
using store::Statement;

constexpr const char* kSchema = R"sql(
PRAGMA journal_mode = WAL;
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS cases(
  key TEXT PRIMARY KEY, input TEXT, input_hash TEXT, status TEXT NOT NULL, error TEXT, label TEXT,
  pseudonymized INTEGER, institution TEXT, department TEXT, planner TEXT, month TEXT, report_html TEXT,
  mean_heart_dose_gy REAL, audited_at TEXT);
CREATE TABLE IF NOT EXISTS checks(case_key TEXT NOT NULL, guideline TEXT, check_name TEXT, status TEXT, deviation_mm REAL);
CREATE TABLE IF NOT EXISTS constraints(case_key TEXT NOT NULL, name TEXT, status TEXT, value REAL, limit_value REAL, unit TEXT);
CREATE TABLE IF NOT EXISTS points(case_key TEXT NOT NULL, point_id TEXT, kind TEXT, ctv TEXT, class TEXT);
CREATE INDEX IF NOT EXISTS checks_case ON checks(case_key);
CREATE INDEX IF NOT EXISTS constraints_case ON constraints(case_key);
CREATE INDEX IF NOT EXISTS points_case ON points(case_key);
INSERT OR IGNORE INTO meta(key, value) VALUES('schema_version', '1');
)sql";

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(sqlite3* db) : db_(db) {}
  ~SqliteStore() override { sqlite3_close(db_); }
  [[nodiscard]] std::optional<std::string> ok_hash(const std::string& key) const override;
  bool put(const CaseRecord& record, const std::string& input_hash, const std::string& audited_at, std::string* error) override;
  [[nodiscard]] std::vector<CaseRecord> load(const std::vector<std::string>& keys) const override;
  [[nodiscard]] std::vector<std::string> keys() const override;

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace

bool is_postgres_uri(const std::string& location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

std::unique_ptr<Store> Store::open(const std::string& path, std::string* error) {
  if (is_postgres_uri(path)) return store::open_postgres_results(path, error);
  sqlite3* db = store::open_database(path, kSchema, "results", 10000, error);
  if (!db) return nullptr;
  return std::make_unique<SqliteStore>(db);
}

std::optional<std::string> SqliteStore::ok_hash(const std::string& key) const {
  Statement q(db_, "SELECT input_hash FROM cases WHERE key = ? AND status = 'ok'");
  if (!q.ok()) return std::nullopt;
  q.text(1, key);
  if (q.step() == SQLITE_ROW) return q.col_text(0);
  return std::nullopt;
}

bool SqliteStore::put(const CaseRecord& r, const std::string& input_hash, const std::string& audited_at, std::string* error) {
  if (!exec(db_, "BEGIN IMMEDIATE", error)) return false;
  bool ok = true;
  for (const char* sql : {"DELETE FROM checks WHERE case_key = ?", "DELETE FROM constraints WHERE case_key = ?", "DELETE FROM points WHERE case_key = ?",
                          "DELETE FROM cases WHERE key = ?"}) {
    Statement d(db_, sql);
    ok = ok && d.ok() && d.text(1, r.key).step() == SQLITE_DONE;
  }
  {
    Statement c(db_,
                "INSERT INTO cases(key, input, input_hash, status, error, label, pseudonymized, institution, department, planner, month, "
                "report_html, mean_heart_dose_gy, audited_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    ok = ok && c.ok() &&
         c.text(1, r.key).text(2, r.pseudonymized ? std::string("(withheld)") : r.input).text(3, input_hash).text(4, r.status).text(5, r.error)
                 .text(6, r.label).integer(7, r.pseudonymized ? 1 : 0).text(8, r.institution).text(9, r.department).text(10, r.planner)
                 .text(11, r.month).text(12, r.report_html).real(13, r.mean_heart_dose_gy).text(14, audited_at)
                 .step() == SQLITE_DONE;
  }
  {
    Statement c(db_, "INSERT INTO checks(case_key, guideline, check_name, status, deviation_mm) VALUES(?,?,?,?,?)");
    for (const auto& k : r.checks) {
      ok = ok && c.ok() && c.text(1, r.key).text(2, k.guideline).text(3, k.check).text(4, k.status).real(5, k.deviation_mm).step() == SQLITE_DONE;
      c.reset();
    }
  }
  {
    Statement c(db_, "INSERT INTO constraints(case_key, name, status, value, limit_value, unit) VALUES(?,?,?,?,?,?)");
    for (const auto& k : r.constraints) {
      ok = ok && c.ok() && c.text(1, r.key).text(2, k.name).text(3, k.status).real(4, k.value).real(5, k.limit).text(6, k.unit).step() == SQLITE_DONE;
      c.reset();
    }
  }
  {
    Statement c(db_, "INSERT INTO points(case_key, point_id, kind, ctv, class) VALUES(?,?,?,?,?)");
    for (const auto& p : r.points) {
      for (const auto& [ctv, cls] : p.classes) {
        ok = ok && c.ok() && c.text(1, r.key).text(2, p.point_id).text(3, p.kind).text(4, ctv).text(5, std::string(miss::to_string(cls))).step() == SQLITE_DONE;
        c.reset();
      }
    }
  }
  if (!ok) {
    if (error) *error = sqlite3_errmsg(db_);
    exec(db_, "ROLLBACK", nullptr);
    return false;
  }
  return exec(db_, "COMMIT", error);
}

std::vector<CaseRecord> SqliteStore::load(const std::vector<std::string>& keys) const {
  std::vector<CaseRecord> out;
  Statement c(db_,
              "SELECT key, input, status, error, label, pseudonymized, institution, department, planner, month, report_html, mean_heart_dose_gy "
              "FROM cases WHERE key = ?");
  Statement k(db_, "SELECT guideline, check_name, status, deviation_mm FROM checks WHERE case_key = ? ORDER BY rowid");
  Statement h(db_, "SELECT name, status, value, limit_value, unit FROM constraints WHERE case_key = ? ORDER BY rowid");
  Statement p(db_, "SELECT point_id, kind, ctv, class FROM points WHERE case_key = ? ORDER BY rowid");
  if (!c.ok() || !k.ok() || !h.ok() || !p.ok()) return out;
  for (const auto& key : keys) {
    c.reset();
    c.text(1, key);
    if (c.step() != SQLITE_ROW) continue;
    CaseRecord r;
    r.key = c.col_text(0), r.input = c.col_text(1), r.status = c.col_text(2), r.error = c.col_text(3), r.label = c.col_text(4);
    r.pseudonymized = c.col_int(5) != 0;
    r.institution = c.col_text(6), r.department = c.col_text(7), r.planner = c.col_text(8), r.month = c.col_text(9);
    r.report_html = c.col_text(10);
    r.mean_heart_dose_gy = c.col_real(11);
    k.reset();
    k.text(1, key);
    while (k.step() == SQLITE_ROW) r.checks.push_back({k.col_text(0), k.col_text(1), k.col_text(2), k.col_real(3)});
    h.reset();
    h.text(1, key);
    while (h.step() == SQLITE_ROW) r.constraints.push_back({h.col_text(0), h.col_text(1), h.col_real(2), h.col_real(3), h.col_text(4)});
    p.reset();
    p.text(1, key);
    while (p.step() == SQLITE_ROW) {
      const std::string id = p.col_text(0), kind = p.col_text(1), ctv = p.col_text(2), cls = p.col_text(3);
      auto it = std::find_if(r.points.begin(), r.points.end(), [&](const miss::CohortPoint& q) { return q.point_id == id && q.kind == kind; });
      if (it == r.points.end()) {
        r.points.push_back({key, id, kind, {}});
        it = std::prev(r.points.end());
      }
      it->classes[ctv] = parse_point_class(cls);
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<std::string> SqliteStore::keys() const {
  std::vector<std::string> out;
  Statement q(db_, "SELECT key FROM cases ORDER BY key");
  while (q.ok() && q.step() == SQLITE_ROW) out.push_back(q.col_text(0));
  return out;
}

}  // namespace rtaudit::cohort
