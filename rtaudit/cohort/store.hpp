#pragma once
// The cohort's results store (issue 7): every case's result by a stable key and the hash of its inputs,
// so that a re-run skips unchanged cases. SQLite in the output folder by default; PostgreSQL (issue 9,
// rtaudit/store/postgres) with the same tables when several departments or workers share one store.
// I/O at the edge: the dashboard itself works on CaseRecords.

#include "rtaudit/cohort/records.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rtaudit::cohort {

class Store {
 public:
  /// Opens (creating when needed) the results store: a PostgreSQL database when `location` is a
  /// postgresql:// (or postgres://) URI, else an SQLite file at that path. nullptr and `error` when it cannot.
  static std::unique_ptr<Store> open(const std::string& location, std::string* error);
  virtual ~Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  /// The input hash stored with a successful result of `key`, if any.
  [[nodiscard]] virtual std::optional<std::string> ok_hash(const std::string& key) const = 0;
  /// Replaces everything stored for record.key (one transaction). False and `error` on failure.
  virtual bool put(const CaseRecord& record, const std::string& input_hash, const std::string& audited_at, std::string* error) = 0;
  /// The stored records of `keys`, in that order (keys without a record are left out).
  [[nodiscard]] virtual std::vector<CaseRecord> load(const std::vector<std::string>& keys) const = 0;
  /// Every stored case's key, sorted.
  [[nodiscard]] virtual std::vector<std::string> keys() const = 0;

  static constexpr int kSchemaVersion = 1;

 protected:
  Store() = default;
};

/// True when `location` names a PostgreSQL database rather than an SQLite file.
[[nodiscard]] bool is_postgres_uri(const std::string& location);

}  // namespace rtaudit::cohort
