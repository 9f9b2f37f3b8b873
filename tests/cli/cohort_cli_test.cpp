// `rtaudit cohort` (issue 7): a cohort of generated phantoms across three named departments, six
// planners and six months, plus one corrupt case. The dashboard's counts must equal those computed
// here from each phantom's truth.json; the corrupt case is listed as failed and the rest complete; a
// re-run skips every unchanged case.
#include "tests/support/cli_scratch.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <sstream>

namespace {

namespace fs = std::filesystem;
using namespace rtaudit::test;
using json = nlohmann::json;

#ifdef RTAUDIT_SANITIZED
constexpr int kDefaultPatients = 21;  // the sanitised build is ~5x slower; the same checks on fewer patients
#else
constexpr int kDefaultPatients = 200;  // the cohort
#endif
/// RTAUDIT_COHORT_PATIENTS overrides the size for a quick local run.
const int kPatients = [] {
  const char* v = std::getenv("RTAUDIT_COHORT_PATIENTS");
  return v != nullptr && std::atoi(v) > 0 ? std::atoi(v) : kDefaultPatients;
}();

const std::vector<std::string> kVariants{"estro", "rtog", "short-caudal", "narrow-margin", "wide-medial", "heart-close", "right-side"};
const std::vector<std::string> kDepartments{"Breast Unit North", "Breast Unit South", "Thorax & Lymph <B>"};
const std::vector<std::string> kPlanners{"Meyer^Anna", "Okafor^Ben", "Rossi^Carla", "Tanaka^Dai", "Novak^Eva", "Silva^Filipe"};

struct Planted {
  std::string department, planner, month;
  json truth;
};

std::string person(const std::string& pn) {
  const auto c = pn.find('^');
  return pn.substr(c + 1) + " " + pn.substr(0, c);
}

/// CSV rows as maps column -> cell (no quoted commas in these tables except escaped names).
std::vector<std::map<std::string, std::string>> read_csv(const fs::path& p) {
  std::ifstream in(p);
  std::vector<std::map<std::string, std::string>> rows;
  const auto split = [](const std::string& line) {
    std::vector<std::string> cells;
    std::string cell;
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (quoted) {
        if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') cell += '"', ++i;
        else if (c == '"') quoted = false;
        else cell += c;
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        cells.push_back(cell), cell.clear();
      } else {
        cell += c;
      }
    }
    cells.push_back(cell);
    return cells;
  };
  std::string line;
  std::getline(in, line);
  const auto header = split(line);
  while (std::getline(in, line)) {
    const auto cells = split(line);
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) row[header[i]] = cells[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

/// The status the guideline's tolerance gives a deviation.
std::string graded(double deviation, double pass_mm, double warn_mm) {
  const double d = std::abs(deviation);
  return d <= pass_mm ? "pass" : d <= warn_mm ? "warn" : "fail";
}

struct Cohort {
  fs::path root = scratch_root() / "cohort-cases", out = scratch_root() / "cohort-out";
  std::vector<Planted> planted;
  json first_run, second_run;
  std::string first_output;
  Cohort() {
    fs::remove_all(root);
    fs::create_directories(root);
    planted.resize(kPatients);
    // Two generators at a time (the machine has two cores).
    std::vector<std::future<void>> running;
    for (int i = 0; i < kPatients; ++i) {
      Planted& p = planted[i];
      p.department = kDepartments[i % 3];
      p.planner = kPlanners[(i / 3) % 6];
      const int month = 1 + (i * 7) % 6;
      p.month = "2026-0" + std::to_string(month);
      const fs::path dir = root / ("p" + std::to_string(1000 + i));
      const std::string args = "--seed " + std::to_string(i + 1) + " --variant " + kVariants[i % kVariants.size()] + " --department '" +
                               p.department + "' --institution 'Test Hospital' --planner '" + p.planner + "' --date 20260" +
                               std::to_string(month) + "1" + std::to_string(i % 9 + 1);
      running.push_back(std::async(std::launch::async, [dir, args] { make_phantom(dir, args); }));
      if (running.size() == 2) running.front().get(), running.erase(running.begin());
    }
    for (auto& f : running) f.get();
    for (int i = 0; i < kPatients; ++i) planted[i].truth = read_json(root / ("p" + std::to_string(1000 + i)) / "truth.json");
    // A corrupt case: the structure set cut off after 200 bytes.
    const fs::path bad = root / "p0999-corrupt";
    fs::create_directories(bad);
    {
      std::ifstream in(root / "p1000" / "RS.dcm", std::ios::binary);
      std::string head(200, '\0');
      in.read(head.data(), 200);
      std::ofstream(bad / "RS.dcm", std::ios::binary) << head;
    }
    const auto r = run_tool(rtaudit_cmd("cohort " + quoted(root) + " --out " + quoted(out) + " --no-dose -j 2"));
    first_output = r.output;
    EXPECT_EQ(r.exit_code, 0) << r.output;
    first_run = read_json(out / "cohort.json");
    const auto again = run_tool(rtaudit_cmd("cohort " + quoted(root) + " --out " + quoted(out) + " --no-dose -j 2 -q"));
    EXPECT_EQ(again.exit_code, 0) << again.output;
    second_run = read_json(out / "cohort.json");
  }
};

}  // namespace

namespace {

void TheCorruptCaseIsListedAsFailedAndTheRestComplete(const Cohort& c) {
  EXPECT_EQ(c.first_run["inputs"], kPatients + 1);
  EXPECT_EQ(c.first_run["ok"], kPatients);
  EXPECT_EQ(c.first_run["failed"], 1);
  ASSERT_EQ(c.first_run["failures"].size(), 1u);
  EXPECT_THAT(c.first_run["failures"][0]["input"].get<std::string>(), ::testing::EndsWith("p0999-corrupt"));
  EXPECT_THAT(c.first_run["failures"][0]["reason"].get<std::string>(), ::testing::HasSubstr("no usable structure set"));
  EXPECT_THAT(c.first_output, ::testing::HasSubstr("failed: " + (c.root / "p0999-corrupt").string()));
  const auto failures = read_csv(c.out / "tables" / "failures.csv");
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_THAT(failures[0].at("reason"), ::testing::HasSubstr("no usable structure set"));
}

void ARerunSkipsEveryUnchangedCase(const Cohort& c) {
  EXPECT_EQ(c.second_run["unchanged"], kPatients);
  EXPECT_EQ(c.second_run["audited"], 1) << "only the failed case is tried again";
  EXPECT_EQ(c.second_run["ok"], kPatients);
}

/// The tolerance (pass_mm, warn_mm) the audit applied to a guideline's border, from one of the reports.
std::pair<double, double> tolerance(const fs::path& out, const std::string& guideline, const std::string& border) {
  for (const auto& e : fs::directory_iterator(out / "cases")) {
    if (!fs::exists(e.path() / "report.json")) continue;
    const json r = read_json(e.path() / "report.json");
    for (const auto& g : r["guidelines"]) {
      if (g["id"] != guideline) continue;
      for (const auto& l : g["checks"]["levels"]) {
        if (l["border"] == border) return {l["tolerance"]["pass_mm"].get<double>(), l["tolerance"]["warn_mm"].get<double>()};
      }
    }
  }
  ADD_FAILURE() << "no tolerance for " << guideline << " " << border;
  return {0, 0};
}

void ComplianceByDepartmentPlannerAndMonthEqualsTheTruth(const Cohort& c) {
  const std::vector<std::pair<std::string, std::string>> guidelines{{"estro-2015", "vs_estro"}, {"rtog-2009", "vs_rtog"}};
  for (const std::string dim : {"department", "planner", "month"}) {
    SCOPED_TRACE(dim);
    // Expected: group -> guideline|check -> {evaluated, pass, warn, fail}
    std::map<std::string, std::map<std::string, std::array<int, 4>>> expected;
    for (const auto& p : c.planted) {
      const std::string group = dim == "department" ? p.department : dim == "planner" ? person(p.planner) : p.month;
      for (const auto& [gid, key] : guidelines) {
        for (const std::string border : {"cranial", "caudal"}) {
          // The deviation of the planes the phantom's clinician actually contoured (slab edges) against
          // the truth's reference border: what the audit measures, computed by the phantom.
          const double deviation = p.truth["imn"]["deviations"][key][border + "_planes_mm"];
          const auto [pass_mm, warn_mm] = tolerance(c.out, gid, border);
          auto& n = expected[group][gid + "|" + border + " border"];
          const std::string s = graded(deviation, pass_mm, warn_mm);
          ++n[0];
          ++n[s == "pass" ? 1 : s == "warn" ? 2 : 3];
        }
      }
    }
    int compared = 0;
    for (const auto& row : read_csv(c.out / "tables" / ("compliance_by_" + dim + ".csv"))) {
      const std::string id = row.at("guideline") + "|" + row.at("check");
      if (!expected.contains(row.at(dim)) || !expected.at(row.at(dim)).contains(id)) continue;
      SCOPED_TRACE(row.at(dim) + " " + id);
      const auto& n = expected.at(row.at(dim)).at(id);
      EXPECT_EQ(std::stoi(row.at("evaluated")), n[0]);
      EXPECT_EQ(std::stoi(row.at("pass")), n[1]);
      EXPECT_EQ(std::stoi(row.at("warn")), n[2]);
      EXPECT_EQ(std::stoi(row.at("fail")), n[3]);
      ++compared;
    }
    std::size_t cells = 0;
    for (const auto& [g, m] : expected) cells += m.size();
    EXPECT_EQ(compared, static_cast<int>(cells)) << "every group and border is in the table";
  }
  // Cases per group (the "cases" column counts every audited case of the group).
  std::map<std::string, int> per_department;
  for (const auto& p : c.planted) ++per_department[p.department];
  for (const auto& row : read_csv(c.out / "tables" / "compliance_by_department_summary.csv")) {
    EXPECT_EQ(std::stoi(row.at("cases")), per_department.at(row.at("department"))) << row.at("department");
  }
}

void TheRecurrenceTableEqualsTheTruth(const Cohort& c) {
  const std::map<std::string, std::string> truth_key{{"clinical", "CTVn_IMN (clinical)"}, {"estro-2015", "estro_reference"}, {"rtog-2009", "rtog_reference"}};
  std::map<std::string, std::map<std::string, int>> expected;
  int points = 0;
  for (const auto& p : c.planted) {
    for (const auto& t : p.truth["recurrences"]) {
      if (t["kind"] != "recurrence") continue;
      ++points;
      for (const auto& [key, tk] : truth_key) {
        const std::string s = t["vs"][tk]["status"];
        expected[key][s == "inside" ? "in_field" : s]++;
      }
    }
  }
  int rows = 0;
  for (const auto& row : read_csv(c.out / "tables" / "recurrences.csv")) {
    if (!truth_key.contains(row.at("ctv"))) continue;
    SCOPED_TRACE(row.at("ctv"));
    EXPECT_EQ(std::stoi(row.at("points")), points);
    for (const char* cls : {"in_field", "marginal", "outside"}) EXPECT_EQ(std::stoi(row.at(cls)), expected[row.at("ctv")][cls]) << cls;
    ++rows;
  }
  EXPECT_EQ(rows, 3);
}

void TheDashboardEscapesNamesAndLinksEveryReport(const Cohort& c) {
  std::ifstream in(c.out / "dashboard.html");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string html = ss.str();
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("Thorax & Lymph <B>"), std::string::npos);
  EXPECT_THAT(html, ::testing::HasSubstr("Thorax &amp; Lymph &lt;B&gt;"));
  EXPECT_EQ(html.find("THORAX"), std::string::npos) << "no patient name reaches the dashboard";
  int links = 0;
  for (const auto& row : read_csv(c.out / "tables" / "cases.csv")) {
    if (row.at("status") != "ok") continue;
    EXPECT_TRUE(fs::exists(c.out / "cases" / row.at("case") / "report.html")) << row.at("case");
    if (html.find("href=\"cases/" + row.at("case") + "/report.html\"") != std::string::npos) ++links;
  }
  EXPECT_EQ(links, kPatients);
  // Every table of the dashboard has its CSV.
  for (const char* t : {"failures", "compliance_by_department", "compliance_by_planner", "compliance_by_month", "deviations", "heart_constraints",
                        "recurrences", "sentinel_nodes", "outliers", "cases", "funnel_estro-2015"}) {
    EXPECT_TRUE(fs::exists(c.out / "tables" / (std::string(t) + ".csv"))) << t;
  }
}

}  // namespace

// One test, one cohort: generating and auditing the phantoms is the expensive part (CTest runs each
// test in its own process, so several tests would each build the cohort).
TEST(CohortCli, PhantomsAcrossThreeDepartmentsGiveTheTruthCountsAndTheCorruptCaseFails) {
  const Cohort c;
  {
    SCOPED_TRACE("TheCorruptCaseIsListedAsFailedAndTheRestComplete");
    TheCorruptCaseIsListedAsFailedAndTheRestComplete(c);
  }
  {
    SCOPED_TRACE("ARerunSkipsEveryUnchangedCase");
    ARerunSkipsEveryUnchangedCase(c);
  }
  {
    SCOPED_TRACE("ComplianceByDepartmentPlannerAndMonthEqualsTheTruth");
    ComplianceByDepartmentPlannerAndMonthEqualsTheTruth(c);
  }
  {
    SCOPED_TRACE("TheRecurrenceTableEqualsTheTruth");
    TheRecurrenceTableEqualsTheTruth(c);
  }
  {
    SCOPED_TRACE("TheDashboardEscapesNamesAndLinksEveryReport");
    TheDashboardEscapesNamesAndLinksEveryReport(c);
  }
}
