#pragma once
// The exclusive-claim check both queue backends must pass (issue 9): several workers, each on its own
// connection as separate processes would be, claim and finish cases until none is left.

#include "rtaudit/store/jobs.hpp"

#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rtaudit::store {

struct ClaimRace {
  std::map<std::string, int> claims;  ///< case key -> how many times it was claimed
  std::vector<std::string> errors;    ///< from opening the queue or claiming
};

inline ClaimRace claim_until_empty(const std::string& location, int workers) {
  ClaimRace race;
  std::mutex m;
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      std::string e;
      auto q = JobQueue::open(location, &e);
      while (q) {
        const auto job = q->claim("w" + std::to_string(w), 60, 3, &e);
        if (!job) break;
        {
          const std::lock_guard<std::mutex> lock(m);
          ++race.claims[job->case_key];
        }
        if (!q->finish(*job, true, "")) e = "finish refused for " + job->case_key;
      }
      if (!e.empty()) {
        const std::lock_guard<std::mutex> lock(m);
        race.errors.push_back(e);
      }
    });
  }
  for (auto& t : threads) t.join();
  return race;
}

}  // namespace rtaudit::store
