#pragma once
// Writing the department dashboard's files (issue 7 `rtaudit cohort`, issue 9 `rtaudit dashboard`):
// DIR/dashboard.html and every table as DIR/tables/<id>.csv, each file atomically.

#include "rtaudit/cohort/dashboard.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace rtaudit::cli {

/// Writes the page and the tables below `dir`; the tables' paths relative to it in `tables`. False and
/// `error` when a file cannot be written.
bool write_dashboard_files(const std::filesystem::path& dir, const cohort::Dashboard& dashboard, std::vector<std::string>* tables,
                           std::string* error);

}  // namespace rtaudit::cli
