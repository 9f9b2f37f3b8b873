// `rtaudit serve --storage DIR` (issue 9): the department's DICOM node. Three parts run together: the
// Storage SCP (net/storage_node) that writes every accepted object atomically into DIR/objects; a
// scheduler that, once a second, groups what is stored into cases (net/case_assembly) and queues each
// case whose patient has been quiet for the settle time; and the workers (cli/queue_worker) that audit
// the queued cases into DIR/reports and the results database. SIGTERM or SIGINT stops it after the
// current associations; kill -9 loses nothing that was acknowledged (docs/serve.md).

#include "rtaudit/cli/commands.hpp"

#include "rtaudit/cli/output_dir.hpp"
#include "rtaudit/cli/queue_worker.hpp"
#include "rtaudit/dicom/load.hpp"
#include "rtaudit/net/archive.hpp"
#include "rtaudit/net/storage_node.hpp"
#include "rtaudit/store/jobs.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <chrono>
#include <map>
#include <thread>

namespace rtaudit::cli {

namespace {

namespace fs = std::filesystem;

std::atomic<bool> g_stop{false};
extern "C" void on_stop_signal(int) { g_stop = true; }

/// Queues every ready case whose inputs changed since it was last queued.
void schedule_once(net::Archive& archive, store::JobQueue& queue, double settle, double incomplete_wait, std::map<std::string, std::string>& queued) {
  const std::vector<net::ReceivedObject> objects = archive.snapshot();
  for (const net::CaseSpec& c : net::assemble_cases(objects, net::Archive::clock_seconds(), settle, incomplete_wait)) {
    if (!c.ready) continue;
    const auto it = queued.find(c.key);
    if (it != queued.end() && it->second == c.input_hash) continue;
    std::string error;
    const fs::path dir = archive.materialise(c, &error);
    if (dir.empty()) {
      spdlog::error("case {}: {}", c.key, error);
      continue;
    }
    const std::string note = fmt::format("{} CT, {} RTPLAN, {} RTDOSE, {} REG", c.images, c.plans, c.doses, c.registrations);
    if (!queue.enqueue(c.key, c.input_hash, dir.string(), c.patient_key, &error) && !error.empty()) {
      spdlog::error("case {}: cannot queue: {}", c.key, error);
      continue;
    }
    queued[c.key] = c.input_hash;
    spdlog::info("case {} ready: structure set with {}{}", c.key, note,
                 c.missing_images > 0 ? fmt::format(" ({} contour images it names have not arrived)", c.missing_images) : "");
  }
}

}  // namespace

int run_serve(const ServeArgs& args, bool verbose) {
  spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::info);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$: %v");
  dicom::configure_dcmtk_logging(verbose);  // DCMTK's own INFO lines name peers per association: only with -v
  const OutputDir out = prepare_output_dir(args.storage);
  if (!out.ok()) {
    spdlog::error("{}", out.error);
    return 1;
  }
  if (args.tls_certificate.empty() != args.tls_private_key.empty()) {
    spdlog::error("TLS needs both --tls-certificate and --tls-private-key");
    return 1;
  }
  std::string error;
  std::vector<std::string> problems;
  const std::uint64_t quota = static_cast<std::uint64_t>(args.quota_mb * 1e6);
  const std::unique_ptr<net::Archive> archive = net::Archive::open(out.path, quota, &problems, &error);
  if (!archive) {
    spdlog::error("{}", error);
    return 1;
  }
  for (const auto& p : problems) spdlog::warn("storage: {}", p);
  const std::string database = args.database.empty() ? (out.path / "rtaudit.sqlite").string() : args.database;
  const std::unique_ptr<store::JobQueue> queue = store::JobQueue::open(database, &error);
  if (!queue) {
    spdlog::error("{}", error);
    return 1;
  }
  spdlog::info("storage {}: {} objects ({:.1f} MB) indexed", out.path.string(), archive->snapshot().size(), static_cast<double>(archive->used_bytes()) / 1e6);

  std::signal(SIGTERM, on_stop_signal);
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGPIPE, SIG_IGN);
  const auto started = std::chrono::steady_clock::now();

  std::thread scheduler([&] {
    std::map<std::string, std::string> queued;
    while (!g_stop) {
      schedule_once(*archive, *queue, args.settle_seconds, args.incomplete_wait_seconds, queued);
      for (int i = 0; i < 10 && !g_stop; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (args.run_seconds > 0 && std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() > args.run_seconds) g_stop = true;
    }
  });
  std::vector<std::thread> workers;
  for (int w = 0; w < args.workers; ++w) {
    workers.emplace_back([&, w] {
      QueueWorkerOptions o;
      o.database = database;
      o.out = out.path;
      o.name = fmt::format("{}:{}", default_worker_name(), w + 1);
      o.lease_seconds = args.lease_seconds;
      o.audit = AuditChildOptions{self_executable(), args.no_dose, args.pseudonymize_key, verbose};
      std::string why;
      if (run_queue_worker(o, g_stop, &why) < 0) spdlog::error("worker {}: {}", o.name, why);
    });
  }

  net::NodeConfig node;
  node.ae_title = args.ae_title;
  node.port = args.port;
  node.allowed_ae_titles = args.allow_ae;
  node.allowed_hosts = args.allow_host;
  node.tls_certificate = args.tls_certificate;
  node.tls_private_key = args.tls_private_key;
  node.tls_ca = args.tls_ca;
  node.max_associations = args.max_associations;
  node.max_pdu_bytes = static_cast<std::uint32_t>(args.max_pdu_kb) * 1024u;
  node.max_object_bytes = static_cast<std::uint64_t>(args.max_object_mb * 1e6);
  node.dimse_timeout_seconds = args.dimse_timeout;
  net::NodeCounters counters;
  spdlog::info("listening as {} on port {}{}", node.ae_title, node.port, node.tls_certificate.empty() ? "" : " (TLS)");
  const bool ok = net::run_storage_node(node, *archive, counters, g_stop, &error);
  g_stop = true;
  scheduler.join();
  for (auto& t : workers) t.join();
  if (!ok) {
    spdlog::error("{}", error);
    return 1;
  }
  const store::QueueCounts q = queue->counts();
  spdlog::info("stopped: {} associations ({} refused), {} objects stored, {} sent again, {} refused, {} cut off; cases {} done, {} failed, {} queued",
               counters.associations.load(), counters.refused_associations.load(), counters.stored.load(), counters.duplicates.load(),
               counters.refused_objects.load(), counters.cut_off.load(), q.done, q.failed, q.queued + q.running);
  return 0;
}

int run_worker(const WorkerArgs& args, bool verbose) {
  spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::info);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$: %v");
  const OutputDir out = prepare_output_dir(args.out);
  if (!out.ok()) {
    spdlog::error("{}", out.error);
    return 1;
  }
  std::signal(SIGTERM, on_stop_signal);
  std::signal(SIGINT, on_stop_signal);
  QueueWorkerOptions o;
  o.database = args.database;
  o.out = out.path;
  o.name = args.name.empty() ? default_worker_name() : args.name;
  o.lease_seconds = args.lease_seconds;
  o.max_attempts = args.max_attempts;
  o.exit_when_empty = args.exit_when_empty;
  o.audit = AuditChildOptions{self_executable(), args.no_dose, args.pseudonymize_key, verbose};
  std::string error;
  const int n = run_queue_worker(o, g_stop, &error);
  if (n < 0) {
    spdlog::error("{}", error);
    return 1;
  }
  spdlog::info("worker {}: {} case(s) audited", o.name, n);
  return 0;
}

}  // namespace rtaudit::cli
