#include "rtaudit/cli/dashboard_files.hpp"

#include "rtaudit/cli/output_dir.hpp"

namespace rtaudit::cli {

bool write_dashboard_files(const std::filesystem::path& dir, const cohort::Dashboard& dashboard, std::vector<std::string>* tables,
                           std::string* error) {
  std::error_code ec;
  std::filesystem::create_directories(dir / "tables", ec);
  if (!write_file_atomically(dir / "dashboard.html", cohort::render_dashboard_html(dashboard), error)) return false;
  for (const auto& t : dashboard.tables) {
    if (!write_file_atomically(dir / "tables" / (t.id + ".csv"), cohort::table_csv(t), error)) return false;
    tables->push_back("tables/" + t.id + ".csv");
  }
  return true;
}

}  // namespace rtaudit::cli
