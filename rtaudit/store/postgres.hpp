#pragma once
// The results store and the audit queue on PostgreSQL (issue 9, libpq): the same tables as the SQLite
// store, created and evolved by numbered migrations (schema_migrations) applied under an advisory lock,
// so that any number of nodes and workers may open one database at once. The queue is claimed with
// SELECT ... FOR UPDATE SKIP LOCKED: workers on many machines take different cases without waiting for
// each other, and the database's clock (now()) decides leases.

#include "rtaudit/cohort/store.hpp"
#include "rtaudit/store/jobs.hpp"

#include <memory>
#include <string>
#include <vector>

namespace rtaudit::store {

[[nodiscard]] std::unique_ptr<cohort::Store> open_postgres_results(const std::string& uri, std::string* error);
[[nodiscard]] std::unique_ptr<JobQueue> open_postgres_queue(const std::string& uri, std::string* error);

/// The migrations, in order: version n is element n-1. Exposed for the tests and docs.
struct Migration {
  int version;
  const char* description;
  const char* sql;
};
[[nodiscard]] const std::vector<Migration>& postgres_migrations();

/// The URI with its password replaced by "***", for logs and error messages.
[[nodiscard]] std::string redact_uri(const std::string& uri);

}  // namespace rtaudit::store
