#include "rtaudit/cli/case_discovery.hpp"

#include "rtaudit/cli/content_hash.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

namespace rtaudit::cli {

namespace {

namespace fs = std::filesystem;

bool holds_files(const fs::path& dir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec) && e.path().filename().string().front() != '.') return true;
  }
  return false;
}

std::string key_of(const fs::path& p) {
  std::error_code ec;
  const fs::path abs = fs::weakly_canonical(fs::absolute(p, ec), ec);
  return "c" + sha256_hex(abs.string()).substr(0, 12);
}

}  // namespace

std::vector<CaseInput> discover_cases(const std::vector<std::string>& inputs) {
  std::vector<CaseInput> cases;
  std::set<std::string> keys;
  const auto add = [&](const fs::path& p, std::string problem) {
    CaseInput c{p.string(), key_of(p), std::move(problem)};
    if (keys.insert(c.key).second) cases.push_back(std::move(c));
  };
  for (const auto& in : inputs) {
    std::error_code ec;
    const fs::path p(in);
    if (!fs::is_directory(p, ec)) {
      add(p, fs::exists(p, ec) ? "not a folder" : "no such folder");
      continue;
    }
    if (holds_files(p)) {
      add(p, {});
      continue;
    }
    std::vector<fs::path> subs;
    for (const auto& e : fs::directory_iterator(p, ec)) {
      if (e.is_directory(ec) && e.path().filename().string().front() != '.') subs.push_back(e.path());
    }
    std::sort(subs.begin(), subs.end());
    if (subs.empty()) add(p, "empty folder: no case in it");
    for (const auto& s : subs) add(s, {});
  }
  return cases;
}

cohort::CaseRecord unaudited_case_record(const CaseInput& c, const std::string& why, bool pseudonymized) {
  cohort::CaseRecord r;
  r.key = c.key;
  r.input = c.input;
  r.status = "failed";
  r.error = why;
  r.pseudonymized = pseudonymized;
  r.label = "(not audited)";
  r.institution = r.department = r.planner = r.month = "unknown";
  return r;
}

}  // namespace rtaudit::cli
