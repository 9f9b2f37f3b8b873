// `rtaudit miss-cohort PATH... --out DIR`: the pattern-of-failure table (issue 5, "Cohort view") over
// audited cases. Reads each report.json's "miss" member (docs/report-json.md), tabulates with
// miss::cohort_table, writes DIR/miss-cohort.json and DIR/miss-cohort.csv. A report that cannot be
// read or has no miss member is listed with the reason; the others are tabulated. Patients are named by
// their report's folder relative to the input, never by a DICOM identifier.

#include "rtaudit/cli/commands.hpp"
#include "rtaudit/cli/output_dir.hpp"
#include "rtaudit/report/miss_json.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace rtaudit::cli {
namespace {

namespace fs = std::filesystem;

bool write_text(const fs::path& path, const std::string& text) {
  std::string error;
  return write_file_atomically(path, text, &error);
}

}  // namespace

int run_miss_cohort(const MissCohortArgs& args) {
  // Every report.json below the inputs, each named by its folder relative to the input it came from.
  std::vector<std::pair<fs::path, std::string>> reports;
  for (const auto& input : args.inputs) {
    std::error_code ec;
    const fs::path root(input);
    if (fs::is_regular_file(root, ec)) {
      reports.emplace_back(root, root.parent_path().filename().string());
    } else if (fs::is_directory(root, ec)) {
      std::vector<fs::path> found;
      for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec) && it->path().filename() == "report.json") found.push_back(it->path());
      }
      std::sort(found.begin(), found.end());
      for (const auto& f : found) reports.emplace_back(f, f.parent_path().lexically_relative(root).generic_string());
    } else {
      spdlog::error("{}: no such file or folder", input);
      return 1;
    }
  }
  const auto out = prepare_output_dir(args.out);
  if (!out.ok()) {
    spdlog::error("{}", out.error);
    return 1;
  }
  std::vector<miss::CohortPoint> points;
  std::vector<std::string> failures;
  for (const auto& [file, patient] : reports) {
    std::ifstream in(file, std::ios::binary);
    const nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
    if (doc.is_discarded()) {
      failures.push_back(fmt::format("{}: not a JSON document", file.string()));
      continue;
    }
    const auto p = report::cohort_points_from_report(doc, patient);
    if (!p) {
      failures.push_back(fmt::format("{}: no \"miss\" member (audited before issue 5, or the audit failed)", file.string()));
      continue;
    }
    points.insert(points.end(), p->begin(), p->end());
  }
  const miss::CohortTable table = miss::cohort_table(points, args.kind);
  nlohmann::ordered_json j = report::cohort_to_json(table);
  j["reports"] = reports.size();
  j["failures"] = failures;
  if (!write_text(out.path / "miss-cohort.json", j.dump(1) + "\n") || !write_text(out.path / "miss-cohort.csv", report::cohort_to_csv(table))) {
    spdlog::error("cannot write the cohort table into {}", out.path.string());
    return 1;
  }
  for (const auto& f : failures) spdlog::warn("not tabulated: {}", f);
  if (!args.quiet) {
    fmt::print("{}", report::cohort_to_text(table));
    fmt::print("{} report(s), {} not tabulated; table: {}\n", reports.size(), failures.size(), (out.path / "miss-cohort.json").string());
  }
  return 0;
}

}  // namespace rtaudit::cli
