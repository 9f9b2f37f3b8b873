#pragma once
// A throw-away PostgreSQL database for the tests of the store, the node and the workers (issue 9), on the
// server scripts/test-services.sh starts (RTAUDIT_TEST_POSTGRES names a database there the tests may
// connect to). Without that server the tests skip, saying so (kNoPostgres).

#include <unistd.h>

#include <cstdlib>
#include <string>

namespace rtaudit::test {

/// The test server's URI, or empty when there is none.
inline std::string test_postgres() {
  const char* base = std::getenv("RTAUDIT_TEST_POSTGRES");
  return base ? std::string(base) : std::string();
}

inline constexpr const char* kNoPostgres = "no PostgreSQL: run eval \"$(bash scripts/test-services.sh)\"";

/// Creates (after dropping any of the same name) database `prefix` + this process's id and returns its
/// URI; empty when there is no server or it cannot be created.
inline std::string fresh_postgres_database(const std::string& prefix) {
  const std::string admin = test_postgres();
  const std::string name = prefix + std::to_string(::getpid());
  const std::string psql = "psql -q '" + admin + "' -c ";
  if (admin.empty() || std::system((psql + "'DROP DATABASE IF EXISTS " + name + "' >/dev/null 2>&1").c_str()) != 0 ||
      std::system((psql + "'CREATE DATABASE " + name + "'").c_str()) != 0) {
    return {};
  }
  return admin.substr(0, admin.rfind('/') + 1) + name;
}

/// Drops a database fresh_postgres_database made.
inline void drop_postgres_database(const std::string& uri) {
  const std::string name = uri.substr(uri.rfind('/') + 1);
  (void)std::system(("psql -q '" + test_postgres() + "' -c 'DROP DATABASE IF EXISTS " + name + "' >/dev/null 2>&1").c_str());
}

}  // namespace rtaudit::test
