#pragma once
// What the tests of the DICOM node (issue 9) check on what it stored and queued: the SOP instances in a
// folder and the queue's counts. Each test binary links rtaudit_dicom and rtaudit_store_jobs.

#include "rtaudit/dicom/load.hpp"
#include "rtaudit/store/jobs.hpp"
#include "tests/support/node_process.hpp"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <filesystem>
#include <set>
#include <string>

namespace rtaudit::test {

/// The file's SOP Instance UID; empty when it does not load.
inline std::string sop_uid_of(const std::filesystem::path& file) {
  static const bool quiet = (dicom::configure_dcmtk_logging(false), true);  // a header read warns at the PixelData it stops before
  (void)quiet;
  auto loaded = dicom::load_file(file.string(), dicom::LoadDepth::Header);
  if (!loaded.file) return {};
  OFString uid;
  loaded.file->getDataset()->findAndGetOFString(DCM_SOPInstanceUID, uid);
  return uid.c_str();
}

/// The SOP Instance UIDs of the .dcm files below `dir` (an unreadable one counts as the empty UID, so it
/// never matches what was sent).
inline std::set<std::string> sop_uids_below(const std::filesystem::path& dir) {
  std::set<std::string> uids;
  for (const auto& f : files_below(dir)) {
    if (f.extension() == ".dcm") uids.insert(sop_uid_of(f));
  }
  return uids;
}

/// The queue's counts in the SQLite database at `db` (all zero when it cannot be opened).
inline store::QueueCounts queue_counts(const std::filesystem::path& db) {
  std::string error;
  auto q = store::JobQueue::open(db.string(), &error);
  return q ? q->counts() : store::QueueCounts{};
}

}  // namespace rtaudit::test
