#pragma once
// Finds every DICOM object below a path, whatever the file names, reading each file once.

#include "rtaudit/case/diagnostic.hpp"
#include "rtaudit/case/dicom_object.hpp"

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

class DcmDataset;

namespace rtaudit::dicom {

struct Inventory {
  std::vector<ObjectInfo> objects;    ///< in path order
  std::vector<Diagnostic> problems;   ///< files skipped (not DICOM, unreadable, truncated) and oddities
  std::size_t files_seen = 0;
};

/// Called for each object read, with its dataset (pixel data not loaded), so a caller can parse
/// structure sets and plans without reading the file a second time.
using ObjectVisitor = std::function<void(const ObjectInfo&, DcmDataset&)>;

/// Scans a file or a folder (recursively, not following directory symlinks; files in sorted
/// order so results are reproducible). A file that cannot be read is reported and skipped.
[[nodiscard]] Inventory scan(const std::filesystem::path& root, const ObjectVisitor& visit = {});

}  // namespace rtaudit::dicom
