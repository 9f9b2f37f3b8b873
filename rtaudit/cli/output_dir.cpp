#include "rtaudit/cli/output_dir.hpp"

#include <fmt/format.h>

#include "rtaudit/report/pseudonym.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <ctime>
#include <cstdlib>
#include <iterator>
#include <fstream>
#include <system_error>

namespace rtaudit::cli {

namespace fs = std::filesystem;

OutputDir prepare_output_dir(const std::string& path) {
  OutputDir out;
  if (path.empty()) {
    out.error = "no output folder given";
    return out;
  }
  std::error_code ec;
  const fs::path p = fs::absolute(path, ec);
  if (ec) {
    out.error = "cannot resolve output folder '" + path + "': " + ec.message();
    return out;
  }
  if (fs::exists(p, ec) && !fs::is_directory(p, ec)) {
    out.error = "output path '" + p.string() + "' exists and is not a folder";
    return out;
  }
  fs::create_directories(p, ec);
  if (ec) {
    out.error = "cannot create output folder '" + p.string() + "': " + ec.message();
    return out;
  }
  out.path = fs::canonical(p, ec);
  if (ec) out.path = p;
  return out;
}

fs::path data_path(const std::string& relative) {
  if (const char* env = std::getenv("RTAUDIT_DATA_DIR"); env != nullptr && *env != '\0') return fs::path(env) / relative;
  const fs::path source = fs::path(RTAUDIT_SOURCE_DIR) / relative;
  std::error_code ec;
  if (fs::exists(source, ec)) return source;
  const fs::path installed = fs::read_symlink("/proc/self/exe", ec).parent_path() / ".." / "share" / "rtaudit" / relative;
  return installed;
}

bool write_file_atomically(const std::filesystem::path& path, const std::string& content, std::string* error) {
  const fs::path tmp = path.parent_path() / (path.filename().string() + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    out.close();
    if (!out) {
      *error = fmt::format("cannot write {}", tmp.string());
      std::error_code ec;
      fs::remove(tmp, ec);
      return false;
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    *error = fmt::format("cannot write {}: {}", path.string(), ec.message());
    fs::remove(tmp, ec);
    return false;
  }
  return true;
}

std::string local_timestamp(std::string* dicom_date, std::string* dicom_time) {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  std::array<char, 32> buf{};
  std::strftime(buf.data(), buf.size(), "%Y%m%d", &tm);
  *dicom_date = buf.data();
  std::strftime(buf.data(), buf.size(), "%H%M%S", &tm);
  *dicom_time = buf.data();
  std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%S%z", &tm);
  return buf.data();
}

std::string local_timestamp() {
  std::string date, time;
  return local_timestamp(&date, &time);
}

bool read_pseudonym_key(const std::string& path, std::string* key) {
  std::ifstream in(path, std::ios::binary);
  const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  *key = in.bad() ? std::string() : report::key_from_file_content(content);
  if (key->empty()) spdlog::error("--pseudonymize {}: cannot read a key of at least {} bytes", path, report::kMinPseudonymKeyBytes);
  return !key->empty();
}

}  // namespace rtaudit::cli
