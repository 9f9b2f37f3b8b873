#pragma once
// A prepared SQLite statement finalised on scope exit, and one-shot execution: what every SQLite store of
// rtaudit (the cohort's results, the node's audit queue) shares.

#include <sqlite3.h>

#include <fmt/format.h>

#include <optional>
#include <string>

namespace rtaudit::store {

/// A prepared statement, finalised on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &s_, nullptr); }
  ~Statement() { sqlite3_finalize(s_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  [[nodiscard]] bool ok() const { return s_ != nullptr; }
  Statement& text(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& real(int i, const std::optional<double>& v) {
    if (v) sqlite3_bind_double(s_, i, *v);
    else sqlite3_bind_null(s_, i);
    return *this;
  }
  Statement& integer(int i, long long v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  int step() { return sqlite3_step(s_); }
  void reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  [[nodiscard]] std::string col_text(int i) const {
    const auto* t = sqlite3_column_text(s_, i);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
  [[nodiscard]] std::optional<double> col_real(int i) const {
    if (sqlite3_column_type(s_, i) == SQLITE_NULL) return std::nullopt;
    return sqlite3_column_double(s_, i);
  }
  [[nodiscard]] long long col_int(int i) const { return sqlite3_column_int64(s_, i); }

 private:
  sqlite3_stmt* s_ = nullptr;
};

inline bool exec(sqlite3* db, const char* sql, std::string* error) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) == SQLITE_OK) return true;
  if (error) *error = message ? message : sqlite3_errmsg(db);
  sqlite3_free(message);
  return false;
}

/// Opens (creating) the database file at `path` and applies `schema`; nullptr and `error` naming `what`
/// ("results", "queue") when either fails. Busy connections wait up to `busy_ms` for each other.
inline sqlite3* open_database(const std::string& path, const char* schema, const char* what, int busy_ms, std::string* error) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
    if (error) *error = fmt::format("cannot open the {} database {}: {}", what, path, db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return nullptr;
  }
  sqlite3_busy_timeout(db, busy_ms);
  std::string why;
  if (!exec(db, schema, &why)) {
    if (error) *error = fmt::format("{} is not a usable rtaudit {} database: {}", path, what, why);
    sqlite3_close(db);
    return nullptr;
  }
  return db;
}

}  // namespace rtaudit::store
