#pragma once
// A throw-away PostgreSQL database for the tests of the node and the workers (issue 9), on the server
// scripts/test-services.sh starts (RTAUDIT_TEST_POSTGRES names a database there the tests may connect to).

#include "tests/dicom/writer_fixtures.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string>

namespace rtaudit::test {

/// The test server's URI, or empty when there is none (the caller skips, saying so).
inline std::string test_postgres() {
  const char* base = std::getenv("RTAUDIT_TEST_POSTGRES");
  return base ? std::string(base) : std::string();
}

inline constexpr const char* kNoPostgres = "no PostgreSQL: run eval \"$(bash scripts/test-services.sh)\"";

/// Creates (after dropping any of the same name) database `prefix` + this process's id and returns its
/// URI; empty when it cannot be created.
inline std::string fresh_postgres_database(const std::string& prefix) {
  const std::string admin = test_postgres();
  const std::string name = prefix + std::to_string(::getpid());
  if (admin.empty() ||
      run_tool("psql -q '" + admin + "' -c 'DROP DATABASE IF EXISTS " + name + "' -c 'CREATE DATABASE " + name + "'").exit_code != 0) {
    return {};
  }
  return admin.substr(0, admin.rfind('/') + 1) + name;
}

/// Drops a database fresh_postgres_database made.
inline void drop_postgres_database(const std::string& uri) {
  const std::string name = uri.substr(uri.rfind('/') + 1);
  run_tool("psql -q '" + test_postgres() + "' -c 'DROP DATABASE IF EXISTS " + name + "'");
}

}  // namespace rtaudit::test
