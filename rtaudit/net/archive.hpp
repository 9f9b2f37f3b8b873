#pragma once
// The node's storage folder (issue 9): every accepted object written atomically (a temporary file in
// incoming/, fsync, then a hard link to its final name and an fsync of the folder; only then is the
// C-STORE answered), stored once under objects/<patient>/<study>/<series>/<sop>.dcm, and an index of
// what is there, rebuilt from the files when the node starts. cases/ holds one folder of hard links per
// auditable case. A disk quota bounds objects/.

#include "rtaudit/net/case_assembly.hpp"
#include "rtaudit/net/dataset_check.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace rtaudit::net {

struct CommitOutcome {
  std::uint16_t status = status::kSuccess;
  std::string reason;
  bool duplicate = false;  ///< the SOP instance was stored before: kept as it was, the new copy dropped
};

class Archive {
 public:
  /// Opens (creating) the storage folder; removes partial files a crash left in incoming/ and indexes
  /// objects/. `problems` receives one line per file it could not index (left where it is).
  static std::unique_ptr<Archive> open(const std::filesystem::path& root, std::uint64_t quota_bytes, std::vector<std::string>* problems,
                                       std::string* error);

  /// The clock of ReceivedObject::received_at (seconds since the epoch; after a restart the files'
  /// modification times, hence wall-clock time): the settle time of a case is measured against it.
  [[nodiscard]] static double clock_seconds();

  [[nodiscard]] const std::filesystem::path& root() const { return root_; }
  /// A fresh name in incoming/ for one object being received.
  [[nodiscard]] std::filesystem::path incoming_path();
  /// Stores the received file `incoming` as `object` (its verdict's object): quota, fsync, link, index.
  /// The incoming file is gone afterwards, whatever the outcome.
  CommitOutcome commit(const std::filesystem::path& incoming, ReceivedObject object);
  /// The index as it is now.
  [[nodiscard]] std::vector<ReceivedObject> snapshot() const;
  [[nodiscard]] std::uint64_t used_bytes() const;
  /// cases/<case_folder_name(c)>: hard links to the members, named by kind and SOP Instance UID, built
  /// under a temporary name and renamed, so a case folder is complete or absent. Existing: returned as is.
  std::filesystem::path materialise(const CaseSpec& c, std::string* error);

 private:
  Archive(std::filesystem::path root, std::uint64_t quota) : root_(std::move(root)), quota_(quota) {}
  std::filesystem::path root_;
  std::uint64_t quota_ = 0;
  mutable std::mutex mutex_;
  std::vector<ReceivedObject> objects_;
  std::set<std::string> uids_;  ///< SOP Instance UIDs of objects_
  std::uint64_t used_ = 0;
  std::uint64_t counter_ = 0;
};

/// fsync of a file or folder; false when it fails.
bool sync_path(const std::filesystem::path& p);

}  // namespace rtaudit::net
