#pragma once
// Where the executable reads its data files from and writes its output to.

#include <filesystem>
#include <string>

namespace rtaudit::cli {

struct OutputDir {
  std::filesystem::path path;  ///< absolute, created
  std::string error;
  [[nodiscard]] bool ok() const { return error.empty(); }
};

/// Creates the output folder the user named (and its parents). Every file a command writes goes
/// inside it; commands never write elsewhere.
[[nodiscard]] OutputDir prepare_output_dir(const std::string& path);

/// Writes `content` to `path` under a temporary name beside it, then renames: a reader never sees a
/// half-written file. False and `error` when it cannot.
bool write_file_atomically(const std::filesystem::path& path, const std::string& content, std::string* error);

/// The local time of the run (the core has no clock): ISO 8601 with UTC offset, and the same as DICOM
/// DA (YYYYMMDD) and TM (HHMMSS).
std::string local_timestamp(std::string* dicom_date, std::string* dicom_time);
[[nodiscard]] std::string local_timestamp();

/// The --pseudonymize key file's key (report::key_from_file_content); false, with the error logged,
/// when it is missing, unreadable or shorter than report::kMinPseudonymKeyBytes.
bool read_pseudonym_key(const std::string& path, std::string* key);

/// A file of rtaudit's data folders (atlases/, rules/): from $RTAUDIT_DATA_DIR when set, else from
/// the source tree the executable was built from, else from ../share/rtaudit beside the executable.
[[nodiscard]] std::filesystem::path data_path(const std::string& relative);

}  // namespace rtaudit::cli
