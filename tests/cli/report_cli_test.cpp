// The audit's outputs a person reads (issue 7): report.html and summary.csv beside report.json, and
// --pseudonymize: no identifier of the case in any output.
#include "tests/support/cli_scratch.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;
using namespace rtaudit::test;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path key_file(const std::string& name, const std::string& content) {
  const fs::path p = scratch_root() / name;
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

const fs::path& phantom() {
  static const fs::path p = make_phantom(scratch_root() / "phantom", "--seed 1 --variant estro --side left");
  return p;
}

}  // namespace

TEST(ReportCli, AuditWritesTheHtmlAndCsvBesideTheJson) {
  const fs::path out = scratch_root() / "plain";
  const auto r = run_tool(rtaudit_cmd("audit -q " + quoted(phantom()) + " --out " + quoted(out)));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto report = read_json(out / "report.json");
  EXPECT_EQ(report["outputs"]["html"], "report.html");
  EXPECT_EQ(report["outputs"]["csv"], "summary.csv");
  EXPECT_EQ(report["pseudonymized"], false);
  const std::string html = slurp(out / "report.html");
  EXPECT_THAT(html, ::testing::StartsWith("<!DOCTYPE html>"));
  EXPECT_THAT(html, ::testing::HasSubstr("RTA-PH-1-ESTROL")) << "without --pseudonymize the report names the patient ID";
  const std::string csv = slurp(out / "summary.csv");
  std::istringstream lines(csv);
  std::string header, row, extra;
  std::getline(lines, header);
  std::getline(lines, row);
  EXPECT_FALSE(std::getline(lines, extra)) << "one header and one row";
  EXPECT_EQ(std::count(header.begin(), header.end(), ','), std::count(row.begin(), row.end(), ',')) << row;
  EXPECT_THAT(row, ::testing::StartsWith("RTA-PH-1-ESTROL,false,PHANTOM,"));
}

TEST(ReportCli, PseudonymizeRemovesEveryIdentifierFromEveryOutput) {
  const fs::path key = key_file("keys/department.key", "department-secret-key-2026\n");
  // A case folder named after the patient, as departments often do.
  const fs::path named = scratch_root() / "RTA-PH-1-ESTROL_THORAX";
  fs::remove_all(named);
  fs::copy(phantom(), named, fs::copy_options::recursive);
  const fs::path out = scratch_root() / "pseudo";
  const auto r = run_tool(rtaudit_cmd("audit -q " + quoted(named) + " --out " + quoted(out) + " --pseudonymize " + quoted(key)));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("RTA-PH"), std::string::npos) << "nor in the log";
  const auto report = read_json(out / "report.json");
  // HMAC-SHA256(key, "rtaudit-patient/1:RTA-PH-1-ESTROL") computed with Python's hmac module.
  EXPECT_EQ(report["case"]["patient_id"], "P-986d6a5489f78852");
  EXPECT_EQ(report["pseudonymized"], true);
  for (const char* file : {"report.json", "report.html", "summary.csv"}) {
    const std::string text = slurp(out / file);
    EXPECT_EQ(text.find("RTA-PH-1"), std::string::npos) << file;
    EXPECT_EQ(text.find("THORAX 1 ESTRO"), std::string::npos) << file;
    EXPECT_THAT(text, ::testing::HasSubstr("P-986d6a5489f78852")) << file;
  }
  EXPECT_THAT(slurp(out / "report.html"), ::testing::HasSubstr("Patient (pseudonym)"));
  EXPECT_THAT(slurp(out / "summary.csv"), ::testing::HasSubstr("\nP-986d6a5489f78852,true,"));
  // The guideline ids and CTV keys are untouched: the report still reads.
  EXPECT_EQ(report["guidelines"][0]["id"], "estro-2015");
  EXPECT_EQ(report["miss"]["ctvs"][0]["key"], "clinical");
}

TEST(ReportCli, ABadKeyFileIsRefusedBeforeAnythingIsWritten) {
  const fs::path out = scratch_root() / "badkey";
  const fs::path short_key = key_file("keys/short.key", "tooshort\n");
  auto r = run_tool(rtaudit_cmd("audit -q " + quoted(phantom()) + " --out " + quoted(out) + " --pseudonymize " + quoted(short_key)));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_THAT(r.output, ::testing::HasSubstr("at least 16 bytes"));
  r = run_tool(rtaudit_cmd("audit -q " + quoted(phantom()) + " --out " + quoted(out) + " --pseudonymize " + quoted(scratch_root() / "no-such.key")));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_FALSE(fs::exists(out));
}
