#include "rtaudit/cli/queue_worker.hpp"

#include "rtaudit/cli/output_dir.hpp"
#include "rtaudit/cohort/store.hpp"
#include "rtaudit/store/jobs.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace rtaudit::cli {

namespace fs = std::filesystem;

std::string default_worker_name() {
  char host[256] = {0};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = 0;
  return fmt::format("{}:{}", host[0] ? host : "localhost", ::getpid());
}

namespace {

void sleep_unless(const std::atomic<bool>& stop, double seconds) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (!stop && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

/// Renews a job's lease every third of it until stopped.
class LeaseKeeper {
 public:
  LeaseKeeper(store::JobQueue& queue, const store::Job& job, double lease) : thread_([this, &queue, job, lease] {
      std::unique_lock<std::mutex> lock(mutex_);
      while (!done_) {
        if (cv_.wait_for(lock, std::chrono::duration<double>(lease / 3.0), [this] { return done_; })) break;
        if (!queue.renew(job, lease)) spdlog::warn("case {}: the lease was lost (another worker may audit it)", job.case_key);
      }
    }) {}
  ~LeaseKeeper() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace

int run_queue_worker(const QueueWorkerOptions& o, const std::atomic<bool>& stop, std::string* error) {
  const std::unique_ptr<store::JobQueue> queue = store::JobQueue::open(o.database, error);
  if (!queue) return -1;
  const std::unique_ptr<cohort::Store> results = cohort::Store::open(o.database, error);
  if (!results) return -1;
  std::error_code ec;
  fs::create_directories(o.out / "reports", ec);
  fs::create_directories(o.out / "logs", ec);
  int finished = 0;
  while (!stop) {
    std::string why;
    const std::optional<store::Job> job = queue->claim(o.name, o.lease_seconds, o.max_attempts, &why);
    if (!job) {
      if (!why.empty()) spdlog::warn("audit queue: {}", why);
      // A cohort run ends when nothing is left: neither queued nor held by another worker (whose case
      // comes back here if that worker dies).
      if (o.exit_when_empty && why.empty()) {
        const store::QueueCounts c = queue->counts();
        if (c.queued + c.running == 0) break;
      }
      sleep_unless(stop, o.poll_seconds);
      continue;
    }
    // One folder per case and version of its inputs (the node's case folders are named so too), so two
    // queued folders of the same name (dept-a/case1, dept-b/case1) never share a report.
    const std::string folder = job->case_key + "-" + job->input_hash.substr(0, 12);
    spdlog::info("case {}: audit started by {} (claim {})", job->case_key, o.name, job->attempts);
    cohort::CaseRecord record;
    {
      LeaseKeeper keeper(*queue, *job, o.lease_seconds);
      record = audit_in_child(o.audit, job->case_key, job->case_dir, o.out / "reports" / folder, o.out / "logs" / (folder + ".log"),
                              "reports/" + folder + "/report.html");
    }
    // Results first, then the job: a crash between the two re-audits the case, and the re-audit replaces
    // the stored result by its key, so the case is neither lost nor counted twice.
    if (!results->put(record, record.status == "ok" ? job->input_hash : "", local_timestamp(), &why)) {
      spdlog::error("case {}: results database: {}", job->case_key, why);
      continue;  // the lease runs out and the case is audited again
    }
    if (!queue->finish(*job, record.status == "ok", record.error)) {
      spdlog::warn("case {}: finished after its lease was taken over; the result stored is the newest", job->case_key);
    }
    ++finished;
    if (record.status == "ok") spdlog::info("case {}: audited", job->case_key);
    else spdlog::warn("case {}: audit failed: {}", job->case_key, record.error);
  }
  return finished;
}

}  // namespace rtaudit::cli
