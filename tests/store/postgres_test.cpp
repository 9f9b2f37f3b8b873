// The results store and the audit queue on a real PostgreSQL server (issue 9). The server comes from
// scripts/test-services.sh (RTAUDIT_TEST_POSTGRES); without it these tests skip, saying so.

#include "rtaudit/cohort/store.hpp"
#include "rtaudit/store/jobs.hpp"
#include "rtaudit/store/postgres.hpp"
#include "tests/store/claim_race.hpp"
#include "tests/support/postgres_scratch.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <thread>

namespace rtaudit::store {
namespace {

/// A fresh database for one test on the test server: skips the test when there is no server, fails it
/// when the database cannot be made.
#define FRESH_DATABASE(uri, name)                                                   \
  if (test::test_postgres().empty()) GTEST_SKIP() << test::kNoPostgres;             \
  const std::string uri = test::fresh_postgres_database("rtaudit_t_" name "_");     \
  ASSERT_FALSE(uri.empty()) << "cannot create a test database"

TEST(PostgresStore, MigrationsAreAppliedOnceEvenByClientsStartingTogether) {
  FRESH_DATABASE(uri, "migrate");
  std::vector<std::thread> clients;
  std::atomic<int> opened{0};
  for (int i = 0; i < 4; ++i) {
    clients.emplace_back([&] {
      std::string error;
      if (JobQueue::open(uri, &error) && cohort::Store::open(uri, &error)) ++opened;
      EXPECT_TRUE(error.empty()) << error;
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(opened.load(), 4);
  FILE* p = ::popen(("psql -tA '" + uri + "' -c \"SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations\"").c_str(), "r");
  char buf[64] = {0};
  ASSERT_TRUE(p && std::fgets(buf, sizeof buf, p));
  ::pclose(p);
  EXPECT_EQ(std::string(buf), "1,2\n");
  EXPECT_EQ(postgres_migrations().size(), 2u);
}

TEST(PostgresStore, AResultIsStoredAndReadBackAsOnSqlite) {
  FRESH_DATABASE(uri, "results");
  std::string error;
  auto store = cohort::Store::open(uri, &error);
  ASSERT_TRUE(store) << error;
  cohort::CaseRecord r;
  r.key = "c1", r.input = "/cases/1", r.status = "ok", r.label = "P1", r.institution = "Hosp", r.department = "RT", r.planner = "A B", r.month = "2026-11";
  r.report_html = "reports/c1/report.html";
  r.mean_heart_dose_gy = 2.25;
  r.checks = {{"estro", "overall", "pass", std::nullopt}, {"estro", "cranial border", "fail", -7.5}};
  r.constraints = {{"degro: heart Dmean", "pass", 2.25, 4.0, "Gy"}};
  r.points = {{"c1", "R1", "recurrence", {{"clinical", miss::PointClass::Marginal}, {"estro", miss::PointClass::InField}}}};
  ASSERT_TRUE(store->put(r, "hash1", "2026-12-03T10:00:00+00:00", &error)) << error;
  ASSERT_TRUE(store->put(r, "hash1", "2026-12-03T10:00:01+00:00", &error)) << "replaces, never duplicates";
  EXPECT_EQ(store->ok_hash("c1"), "hash1");
  EXPECT_EQ(store->keys(), std::vector<std::string>{"c1"});
  const auto back = store->load({"c1", "missing"});
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].checks.size(), 2u);
  EXPECT_EQ(back[0].checks[1].deviation_mm, -7.5);
  EXPECT_FALSE(back[0].checks[0].deviation_mm);
  EXPECT_EQ(back[0].mean_heart_dose_gy, 2.25);
  ASSERT_EQ(back[0].points.size(), 1u);
  EXPECT_EQ(back[0].points[0].classes.at("clinical"), miss::PointClass::Marginal);
  EXPECT_EQ(back[0].planner, "A B");
}

TEST(PostgresStore, WorkersOnManyConnectionsClaimEveryCaseExactlyOnceWithSkipLocked) {
  FRESH_DATABASE(uri, "claims");
  std::string error;
  {
    auto q = JobQueue::open(uri, &error);
    ASSERT_TRUE(q) << error;
    for (int i = 0; i < 300; ++i) ASSERT_TRUE(q->enqueue("c" + std::to_string(i), "h", "/d", "", &error)) << error;
  }
  const ClaimRace race = claim_until_empty(uri, 6);
  EXPECT_TRUE(race.errors.empty()) << race.errors.front();
  EXPECT_EQ(race.claims.size(), 300u);
  for (const auto& [k, n] : race.claims) EXPECT_EQ(n, 1) << k;
  EXPECT_EQ(JobQueue::open(uri, &error)->counts().done, 300);
}

TEST(PostgresStore, ADeadWorkersCaseReturnsWhenItsLeaseRunsOut) {
  FRESH_DATABASE(uri, "lease");
  std::string error;
  auto q = JobQueue::open(uri, &error);
  ASSERT_TRUE(q) << error;
  q->enqueue("c1", "h", "/d", "", &error);
  EXPECT_FALSE(q->enqueue("c1", "h", "/d", "", &error));
  auto dead = q->claim("dead", 0.3, 3, &error);
  ASSERT_TRUE(dead) << error;
  EXPECT_FALSE(q->claim("other", 60, 3, &error));
  std::this_thread::sleep_for(std::chrono::milliseconds(450));
  auto taken = q->claim("other", 60, 3, &error);
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->attempts, 2);
  EXPECT_FALSE(q->finish(*dead, true, ""));
  EXPECT_TRUE(q->finish(*taken, true, ""));
  EXPECT_EQ(q->state("c1"), "done");
  EXPECT_EQ(q->attempts("c1"), 2);
}

TEST(PostgresStore, APasswordNeverReachesAMessage) {
  EXPECT_EQ(redact_uri("postgresql://user:s3cret@db.example:5432/rt"), "postgresql://user:***@db.example:5432/rt");
  EXPECT_EQ(redact_uri("postgresql://db/rt?user=u&password=s3cret"), "postgresql://db/rt?user=u&password=***");
  std::string error;
  EXPECT_FALSE(JobQueue::open("postgresql://nobody:s3cret@127.0.0.1:1/none?connect_timeout=2", &error));
  EXPECT_EQ(error.find("s3cret"), std::string::npos) << error;
  EXPECT_NE(error.find("cannot connect"), std::string::npos) << error;
}

}  // namespace
}  // namespace rtaudit::store
