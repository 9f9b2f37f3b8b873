// The department dashboard and its results store on hand-built case records (issue 7).
#include "rtaudit/cohort/dashboard.hpp"
#include "rtaudit/cohort/store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

namespace {

using namespace rtaudit::cohort;
namespace fs = std::filesystem;

CaseRecord make_case(const std::string& key, const std::string& dept, const std::string& planner, const std::string& month,
                     const std::string& estro_overall, double caudal_dev, const std::string& caudal_status) {
  CaseRecord r;
  r.key = key;
  r.input = "/data/" + key;
  r.status = "ok";
  r.label = "P-" + key;
  r.institution = "H";
  r.department = dept;
  r.planner = planner;
  r.month = month;
  r.report_html = "cases/" + key + "/report.html";
  r.checks = {{"estro-2015", "overall", estro_overall, std::nullopt},
              {"estro-2015", "cranial border", "pass", 0.0},
              {"estro-2015", "caudal border", caudal_status, caudal_dev},
              {"estro-2015", "ventral margin", "info", std::nullopt}};
  r.mean_heart_dose_gy = 2.0;
  r.constraints = {{"degro-2019: heart Dmean", caudal_status == "fail" ? "fail" : "pass", 2.0, 2.5, "Gy"}};
  rtaudit::miss::CohortPoint p;
  p.patient = key;
  p.point_id = "R1";
  p.kind = "recurrence";
  p.classes["clinical"] = caudal_status == "fail" ? rtaudit::miss::PointClass::Outside : rtaudit::miss::PointClass::InField;
  r.points = {p};
  return r;
}

std::vector<CaseRecord> sample() {
  return {make_case("a", "North", "Anna Meyer", "2026-01", "pass", 0, "pass"), make_case("b", "North", "Anna Meyer", "2026-01", "fail", -20, "fail"),
          make_case("c", "South & <East>", "Ben Okafor", "2026-02", "warn", -4, "warn"),
          CaseRecord{"d", "/data/=HYPERLINK(\"x\")", "failed", "=cmd|' /C calc'!A0", "(not audited)", false, "unknown", "unknown", "unknown", "unknown",
                     "", {}, std::nullopt, {}, {}}};
}

const Table& table(const Dashboard& d, const std::string& id) {
  for (const auto& t : d.tables) {
    if (t.id == id) return t;
  }
  static Table none;
  ADD_FAILURE() << "no table " << id;
  return none;
}

}  // namespace

TEST(Dashboard, ComplianceCountsPassOverEvaluated) {
  const Dashboard d = build_dashboard(sample(), {}, true);
  const Table& t = table(d, "compliance_by_department");
  // Rows: department, guideline, check, cases, evaluated, pass, warn, fail, not_evaluable, compliance_pct
  bool seen = false;
  for (const auto& row : t.rows) {
    if (row[0].text == "North" && row[2].text == "caudal border") {
      EXPECT_EQ(*row[3].number, 2);
      EXPECT_EQ(*row[4].number, 2);
      EXPECT_EQ(*row[5].number, 1);
      EXPECT_EQ(*row[7].number, 1);
      EXPECT_DOUBLE_EQ(*row[9].number, 50.0);
      seen = true;
    }
    if (row[2].text == "ventral margin") {
      EXPECT_EQ(*row[4].number, 0) << "info is not evaluated";
      EXPECT_FALSE(row[9].number.has_value());
    }
  }
  EXPECT_TRUE(seen);
  EXPECT_EQ(table(d, "failures").rows.size(), 1u);
  EXPECT_EQ(table(d, "cases").rows.size(), 4u);
  const Table& out = table(d, "outliers");
  ASSERT_EQ(out.rows.size(), 1u) << "b (failed border, failed constraint, recurrence outside); a warn is not an outlier";
  EXPECT_THAT(out.rows[0][5].text, ::testing::HasSubstr("estro-2015 caudal border -20.0 mm"));
  EXPECT_THAT(out.rows[0][5].text, ::testing::HasSubstr("recurrence R1 outside"));
  EXPECT_EQ(out.rows[0][0].link, "cases/b/report.html");
}

TEST(Dashboard, FunnelLimitsAreTheBinomialNormalApproximation) {
  const auto [lo, hi] = funnel_limits(0.8, 25, 1.96);
  EXPECT_NEAR(lo, 0.8 - 1.96 * 0.08, 1e-12);
  EXPECT_NEAR(hi, 0.8 + 1.96 * 0.08, 1e-12);
  EXPECT_EQ(funnel_limits(0.5, 1, 3.09).first, 0.0) << "clamped";
  EXPECT_EQ(funnel_limits(0.5, 1, 3.09).second, 1.0);
  const Dashboard d = build_dashboard(sample(), {}, true);
  const Table& f = table(d, "funnel_estro-2015");
  ASSERT_EQ(f.rows.size(), 2u);
  EXPECT_EQ(f.rows[0][0].text, "Anna Meyer");
  EXPECT_DOUBLE_EQ(*f.rows[0][3].number, 50.0);
}

TEST(Dashboard, EveryTextIsEscapedAndNeutralised) {
  const Dashboard d = build_dashboard(sample(), {}, true);
  const std::string html = render_dashboard_html(d);
  EXPECT_EQ(html.find("South & <East>"), std::string::npos);
  EXPECT_THAT(html, ::testing::HasSubstr("South &amp; &lt;East&gt;"));
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_THAT(html, ::testing::HasSubstr("default-src 'none'"));
  const std::string csv = table_csv(table(d, "failures"));
  EXPECT_THAT(csv, ::testing::HasSubstr("\"/data/=HYPERLINK(\"\"x\"\")\""));
  EXPECT_THAT(csv, ::testing::HasSubstr("'=cmd|' /C calc'!A0"));
  const Dashboard withheld = build_dashboard(sample(), {}, false);
  EXPECT_EQ(table_csv(table(withheld, "failures")).find("/data/"), std::string::npos) << "input folders withheld when pseudonymised";
  for (const auto& f : d.figures) EXPECT_TRUE(f.has_content) << f.id;
}

TEST(CohortStore, RecordsSurviveARoundTripAndReplaceTheirPredecessor) {
  const fs::path db = fs::temp_directory_path() / ("rtaudit-store-test-" + std::to_string(::getpid()) + ".sqlite");
  fs::remove(db);
  std::string error;
  {
    auto store = Store::open(db.string(), &error);
    ASSERT_TRUE(store) << error;
    for (const auto& r : sample()) ASSERT_TRUE(store->put(r, "hash-" + r.key, "2026-12-02T10:00:00", &error)) << error;
    CaseRecord changed = sample()[0];
    changed.checks.resize(1);
    ASSERT_TRUE(store->put(changed, "hash-a2", "2026-12-02T11:00:00", &error));
  }
  auto store = Store::open(db.string(), &error);
  ASSERT_TRUE(store) << error;
  EXPECT_EQ(store->ok_hash("a"), "hash-a2");
  EXPECT_EQ(store->ok_hash("d"), std::nullopt) << "failed results are never reused";
  const auto records = store->load({"c", "a", "zzz", "d"});
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].department, "South & <East>");
  EXPECT_EQ(records[0].checks.size(), 4u);
  EXPECT_EQ(records[0].checks[2].deviation_mm, -4.0);
  EXPECT_FALSE(records[0].checks[0].deviation_mm.has_value());
  EXPECT_EQ(records[0].constraints.at(0).limit, 2.5);
  ASSERT_EQ(records[0].points.size(), 1u);
  EXPECT_EQ(records[0].points[0].classes.at("clinical"), rtaudit::miss::PointClass::InField);
  EXPECT_EQ(records[1].checks.size(), 1u) << "the second put replaced the first";
  EXPECT_EQ(records[2].status, "failed");
  EXPECT_EQ(records[2].error, "=cmd|' /C calc'!A0");
  fs::remove(db);
  fs::remove(db.string() + "-wal");
  fs::remove(db.string() + "-shm");
}

TEST(CohortStore, AFileThatIsNotADatabaseIsReported) {
  const fs::path db = fs::temp_directory_path() / ("rtaudit-store-bad-" + std::to_string(::getpid()) + ".sqlite");
  {
    std::ofstream(db) << "this is not an SQLite database, it is a text file long enough to have a header";
  }
  std::string error;
  EXPECT_FALSE(Store::open(db.string(), &error));
  EXPECT_THAT(error, ::testing::HasSubstr("not a usable rtaudit results database"));
  fs::remove(db);
}
