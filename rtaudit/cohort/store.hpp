#pragma once
// The cohort's results store (issue 7): an embedded SQLite database in the output folder holding every
// case's result by a stable key and the hash of its inputs, so that a re-run skips unchanged cases.
// I/O at the edge: the dashboard itself works on CaseRecords.

#include "rtaudit/cohort/records.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace rtaudit::cohort {

class Store {
 public:
  /// Opens (creating when needed) the database at `path`; nullptr and `error` when it cannot.
  static std::unique_ptr<Store> open(const std::string& path, std::string* error);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  /// The input hash stored with a successful result of `key`, if any.
  [[nodiscard]] std::optional<std::string> ok_hash(const std::string& key) const;
  /// Replaces everything stored for record.key (one transaction). False and `error` on failure.
  bool put(const CaseRecord& record, const std::string& input_hash, const std::string& audited_at, std::string* error);
  /// The stored records of `keys`, in that order (keys without a record are left out).
  [[nodiscard]] std::vector<CaseRecord> load(const std::vector<std::string>& keys) const;

  static constexpr int kSchemaVersion = 1;

 private:
  explicit Store(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

}  // namespace rtaudit::cohort
