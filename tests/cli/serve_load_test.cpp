// The DICOM node under load (issue 9): 20 storescu clients at once, each exporting a patient with a
// clinical-size CT (512 x 512 x 150, `rtaudit phantom --clinical-ct`) and its RTSTRUCT, RTPLAN and RTDOSE.
// Every object must be stored (the set of SOP Instance UIDs on disk is the set sent), every case audited
// once, none lost. The test also prints the throughput and the export-to-report latency that
// docs/benchmarks.md records (bench/serve_load.sh runs it); it never fails on a time.

#include "rtaudit/cohort/store.hpp"
#include "rtaudit/store/jobs.hpp"
#include "tests/support/cli_scratch.hpp"
#include "tests/support/node_checks.hpp"
#include "tests/support/node_process.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>

namespace rtaudit::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

#ifdef RTAUDIT_SANITIZED
constexpr int kDefaultClients = 4;  // a sanitised node and its audits are 5-10x slower: the same checks on fewer clients
#else
constexpr int kDefaultClients = 20;  // the load
#endif

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::max(1, std::atoi(v)) : fallback;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5)];
}

TEST(ServeLoad, TwentyParallelStorescuClientsWithClinicalSizeCtsAreAllStoredAndEveryCaseAuditedOnce) {
  const int clients = env_int("RTAUDIT_LOAD_CLIENTS", kDefaultClients);
  const fs::path dir = scratch_root() / "load";
  // ---- The patients: one seed each (their own UIDs), generated two at a time.
  std::vector<fs::path> patients(static_cast<std::size_t>(clients));
  {
    std::atomic<int> next{0};
    std::vector<std::thread> makers;
    for (int t = 0; t < 2; ++t) {
      makers.emplace_back([&] {
        for (int i = next++; i < clients; i = next++) {
          patients[static_cast<std::size_t>(i)] = make_phantom(dir / fmt::format("patient{:02d}", i), fmt::format("--clinical-ct --seed {}", 200 + i));
        }
      });
    }
    for (auto& t : makers) t.join();
  }
  std::uint64_t sent_bytes = 0;
  std::set<std::string> sent;
  for (const auto& p : patients) {
    const auto uids = sop_uids_below(p);
    sent.insert(uids.begin(), uids.end());
    for (const auto& f : files_below(p)) sent_bytes += f.extension() == ".dcm" ? fs::file_size(f) : 0;
  }
  ASSERT_EQ(sent.size(), static_cast<std::size_t>(clients) * (150 + 3)) << "150 CT slices, RTSTRUCT, RTPLAN, RTDOSE per patient";

  // ---- The node: as many associations as clients, two audits at a time (the machine's cores).
  const int port = test_port(8);
  const fs::path storage = dir / "storage";
  std::vector<std::string> argv{RTAUDIT_BINARY, "serve", "--storage", storage.string(), "--port", std::to_string(port),
                                "--settle", "2", "--workers", "2", "--max-associations", std::to_string(clients + 2)};
  Process node(argv, dir / "node.log");
  ASSERT_TRUE(wait_until([&] { return !node.running() || echoscu(port, "-aec RTAUDIT").exit_code == 0; }, 60) && node.running()) << node.log();

  // ---- 20 exports at once.
  const auto t0 = Clock::now();
  std::vector<double> send_seconds(static_cast<std::size_t>(clients));
  std::vector<std::thread> senders;
  std::mutex mutex;
  std::vector<std::string> failures;
  for (int i = 0; i < clients; ++i) {
    senders.emplace_back([&, i] {
      const auto r = run_tool(fmt::format("storescu -aet PLAN{:02d} -aec RTAUDIT +sd +r +sp '*.dcm' localhost {} {}", i, port,
                                          quoted(patients[static_cast<std::size_t>(i)])));
      send_seconds[static_cast<std::size_t>(i)] = std::chrono::duration<double>(Clock::now() - t0).count();
      if (r.exit_code != 0) {
        const std::lock_guard<std::mutex> lock(mutex);
        failures.push_back(fmt::format("client {}: exit {}: {}", i, r.exit_code, r.output.substr(0, 2000)));
      }
    });
  }
  // While they send, note when each case's result reaches the store: export to report.
  const fs::path db = storage / "rtaudit.sqlite";
  std::map<std::string, double> result_seconds;
  std::thread watcher([&] {
    std::string error;
    std::unique_ptr<cohort::Store> results;
    while (Clock::now() - t0 < std::chrono::minutes(25) && static_cast<int>(result_seconds.size()) < clients) {
      if (!results && fs::exists(db)) results = cohort::Store::open(db.string(), &error);
      if (results) {
        const double now = std::chrono::duration<double>(Clock::now() - t0).count();
        for (const auto& k : results->keys()) result_seconds.emplace(k, now);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  });
  for (auto& t : senders) t.join();
  const double all_sent = std::chrono::duration<double>(Clock::now() - t0).count();
  watcher.join();
  for (const auto& f : failures) ADD_FAILURE() << f;

  // ---- Every object stored, every case audited once.
  const std::set<std::string> stored = sop_uids_below(storage / "objects");
  std::vector<std::string> lost;
  std::set_difference(sent.begin(), sent.end(), stored.begin(), stored.end(), std::back_inserter(lost));
  EXPECT_TRUE(lost.empty()) << lost.size() << " objects sent but not stored, e.g. " << (lost.empty() ? "" : lost.front());
  EXPECT_EQ(stored.size(), sent.size());
  EXPECT_TRUE(files_below(storage / "incoming").empty());
  std::string error;
  auto queue = store::JobQueue::open(db.string(), &error);
  ASSERT_TRUE(queue) << error;
  const auto c = queue->counts();
  EXPECT_EQ(c.done, clients) << node.log();
  EXPECT_EQ(c.queued + c.running + c.failed, 0);
  auto results = cohort::Store::open(db.string(), &error);
  ASSERT_TRUE(results) << error;
  const auto keys = results->keys();
  ASSERT_EQ(keys.size(), static_cast<std::size_t>(clients));
  for (const auto& r : results->load(keys)) {
    EXPECT_EQ(r.status, "ok") << r.key << ": " << r.error;
    EXPECT_EQ(queue->attempts(r.key), 1) << r.key;
  }
  EXPECT_EQ(node.kill(SIGTERM), 0);
  const std::string log = node.log();
  EXPECT_EQ(log.find("RTA-PH-"), std::string::npos) << "no patient ID in the node's log";

  // ---- The figures (docs/benchmarks.md).
  std::vector<double> latency;
  for (const auto& [k, s] : result_seconds) latency.push_back(s);
  const double mb = static_cast<double>(sent_bytes) / 1e6;
  const std::string figures = fmt::format(
      "load: {} clients, {} objects, {:.0f} MB received in {:.1f} s: {:.1f} objects/s, {:.1f} MB/s; slowest client done at {:.1f} s; "
      "export to report (from the start of the exports): first {:.1f} s, median {:.1f} s, last {:.1f} s",
      clients, sent.size(), mb, all_sent, static_cast<double>(sent.size()) / all_sent, mb / all_sent,
      *std::max_element(send_seconds.begin(), send_seconds.end()), percentile(latency, 0), percentile(latency, 0.5), percentile(latency, 1));
  std::printf("%s\n", figures.c_str());
  RecordProperty("figures", figures);
}

}  // namespace
}  // namespace rtaudit::test
