#pragma once
// What the end-to-end tests of the executable share: running rtaudit, reading the JSON it wrote, and a
// scratch folder per test process, removed when the process's tests end. Include once per test binary
// (it registers the clean-up environment).

#include "tests/dicom/writer_fixtures.hpp"
#include "tests/support/json_lookup.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace rtaudit::test {

inline nlohmann::json read_json(const std::filesystem::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in);
}

inline std::string rtaudit_cmd(const std::string& args) { return std::string(RTAUDIT_BINARY) + " " + args; }
inline std::string quoted(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

/// The test binary's scratch folder: RTAUDIT_SCRATCH_PREFIX + the process id, under the temp folder.
inline std::filesystem::path scratch_root() {
  static const std::filesystem::path root =
      std::filesystem::temp_directory_path() / (std::string(RTAUDIT_SCRATCH_PREFIX) + std::to_string(::getpid()));
  return root;
}

class ScratchCleanup : public ::testing::Environment {
 public:
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(scratch_root(), ec);
  }
};
[[maybe_unused]] inline const auto* const kScratchCleanup = ::testing::AddGlobalTestEnvironment(new ScratchCleanup);

/// `rtaudit phantom -q --out DIR ARGS` into a fresh DIR.
inline std::filesystem::path make_phantom(const std::filesystem::path& dir, const std::string& args) {
  std::filesystem::remove_all(dir);
  const auto r = run_tool(rtaudit_cmd("phantom -q --out " + quoted(dir) + " " + args));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return dir;
}

}  // namespace rtaudit::test
