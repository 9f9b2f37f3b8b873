// `rtaudit enqueue PATH... --db DB` (issue 9): puts a cohort's case folders on the audit queue of a results
// database, for `rtaudit worker`s (on this machine or many, sharing a PostgreSQL database) to audit. A case
// is keyed by its folder (as `rtaudit cohort` keys it) and queued again only when its files changed; a
// folder that cannot be read is stored as a failed case, so the dashboard lists it. Writes only to DB.

#include "rtaudit/cli/commands.hpp"

#include "rtaudit/cli/case_discovery.hpp"
#include "rtaudit/cli/content_hash.hpp"
#include "rtaudit/cli/output_dir.hpp"
#include "rtaudit/cohort/store.hpp"
#include "rtaudit/store/jobs.hpp"
#include "rtaudit/version.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>

namespace rtaudit::cli {

int run_enqueue(const EnqueueArgs& args, bool /*verbose*/) {
  namespace fs = std::filesystem;
  std::string error;
  const std::unique_ptr<store::JobQueue> queue = store::JobQueue::open(args.database, &error);
  if (!queue) {
    spdlog::error("{}", error);
    return 1;
  }
  const std::unique_ptr<cohort::Store> results = cohort::Store::open(args.database, &error);
  if (!results) {
    spdlog::error("{}", error);
    return 1;
  }
  // The hash decides whether a case is queued again: its files, and the rtaudit that will audit them.
  const std::string context = fmt::format("rtaudit {}; queued", version());
  int queued = 0, same = 0, unreadable = 0;
  const std::vector<CaseInput> cases = discover_cases(args.inputs);
  for (const CaseInput& c : cases) {
    std::string why = c.problem;
    std::optional<std::string> hash;
    if (why.empty()) hash = folder_content_hash(c.input, context, &why);
    if (!hash) {
      if (!results->put(unaudited_case_record(c, why, args.pseudonymized), "", local_timestamp(), &error)) {
        spdlog::error("results database: {}", error);
        return 1;
      }
      spdlog::warn("case {} not queued: {}: {}", c.key, args.pseudonymized ? std::string("(folder withheld)") : c.input, why);
      ++unreadable;
      continue;
    }
    std::error_code ec;
    const fs::path dir = fs::absolute(c.input, ec);
    // The label is the folder's name unless the department's names are not to be shared.
    const std::string label = args.pseudonymized ? c.key : dir.filename().string();
    if (queue->enqueue(c.key, *hash, dir.string(), label, &error)) {
      ++queued;
    } else if (!error.empty()) {
      spdlog::error("case {}: cannot queue: {}", c.key, error);
      return 1;
    } else {
      ++same;
    }
  }
  const store::QueueCounts n = queue->counts();
  if (!args.quiet) {
    fmt::print("{} case(s): {} queued, {} already queued or audited with the same files, {} not readable\n", cases.size(), queued, same,
               unreadable);
    fmt::print("queue: {} queued, {} running, {} done, {} failed\n", n.queued, n.running, n.done, n.failed);
  }
  return 0;
}

}  // namespace rtaudit::cli
