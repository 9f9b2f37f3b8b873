// The audit queue (issue 9) on SQLite: idempotent queueing, exclusive claims across connections and
// threads, leases that return a dead worker's case, stale finishes refused, poison cases given up.

#include "rtaudit/store/jobs.hpp"
#include "tests/store/claim_race.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

namespace rtaudit::store {
namespace {

namespace fs = std::filesystem;

std::string fresh_db(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("rtaudit-jobs-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path p = dir / (name + ".sqlite");
  for (const char* ext : {"", "-wal", "-shm"}) fs::remove(p.string() + ext);
  return p.string();
}

TEST(JobQueue, QueueingIsIdempotentUntilTheInputsChange) {
  std::string error;
  auto q = JobQueue::open(fresh_db("idempotent"), &error);
  ASSERT_TRUE(q) << error;
  EXPECT_TRUE(q->enqueue("c1", "h1", "/cases/c1", "p", &error));
  EXPECT_FALSE(q->enqueue("c1", "h1", "/cases/c1", "p", &error));
  auto job = q->claim("w", 60, 3, &error);
  ASSERT_TRUE(job);
  EXPECT_TRUE(q->finish(*job, true, ""));
  EXPECT_FALSE(q->enqueue("c1", "h1", "/cases/c1", "p", &error)) << "done with the same inputs: not again";
  EXPECT_EQ(q->state("c1"), "done");
  EXPECT_TRUE(q->enqueue("c1", "h2", "/cases/c1-2", "p", &error)) << "a dose joined: audit again";
  EXPECT_EQ(q->state("c1"), "queued");
  auto again = q->claim("w", 60, 3, &error);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->case_dir, "/cases/c1-2");
  EXPECT_EQ(again->attempts, 1);
}

TEST(JobQueue, ACaseIsClaimedByOneWorkerOnlyWhateverTheConnections) {
  const std::string db = fresh_db("exclusive");
  std::string error;
  {
    auto q = JobQueue::open(db, &error);
    ASSERT_TRUE(q) << error;
    for (int i = 0; i < 200; ++i) q->enqueue("c" + std::to_string(i), "h", "/d", "", &error);
  }
  const ClaimRace race = claim_until_empty(db, 6);
  EXPECT_TRUE(race.errors.empty()) << race.errors.front();
  EXPECT_EQ(race.claims.size(), 200u);
  for (const auto& [k, n] : race.claims) EXPECT_EQ(n, 1) << k;
  auto q = JobQueue::open(db, &error);
  EXPECT_EQ(q->counts().done, 200);
}

TEST(JobQueue, ADeadWorkersCaseReturnsWhenItsLeaseRunsOutAndItsLateFinishIsRefused) {
  std::string error;
  auto q = JobQueue::open(fresh_db("lease"), &error);
  ASSERT_TRUE(q) << error;
  q->enqueue("c1", "h", "/d", "", &error);
  auto dead = q->claim("dead", 0.3, 3, &error);
  ASSERT_TRUE(dead);
  EXPECT_FALSE(q->claim("other", 60, 3, &error)) << "held while the lease runs";
  EXPECT_TRUE(q->renew(*dead, 0.3));
  std::this_thread::sleep_for(std::chrono::milliseconds(450));
  auto taken = q->claim("other", 60, 3, &error);
  ASSERT_TRUE(taken) << "the lease ran out: the case is back";
  EXPECT_EQ(taken->attempts, 2);
  EXPECT_FALSE(q->renew(*dead, 60));
  EXPECT_FALSE(q->finish(*dead, true, "")) << "the old claim no longer counts";
  EXPECT_TRUE(q->finish(*taken, true, ""));
  EXPECT_EQ(q->counts().done, 1);
}

TEST(JobQueue, ACaseThatKillsEveryWorkerIsGivenUpAfterMaxAttempts) {
  std::string error;
  auto q = JobQueue::open(fresh_db("poison"), &error);
  ASSERT_TRUE(q) << error;
  q->enqueue("poison", "h", "/d", "", &error);
  for (int i = 1; i <= 2; ++i) {
    auto j = q->claim("w", 0.05, 2, &error);
    ASSERT_TRUE(j);
    EXPECT_EQ(j->attempts, i);
    std::this_thread::sleep_for(std::chrono::milliseconds(120));
  }
  EXPECT_FALSE(q->claim("w", 0.05, 2, &error));
  EXPECT_EQ(q->state("poison"), "failed");
  EXPECT_EQ(q->counts().failed, 1);
}

}  // namespace
}  // namespace rtaudit::store
