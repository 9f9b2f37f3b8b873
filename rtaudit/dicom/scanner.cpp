#include "rtaudit/dicom/scanner.hpp"

#include "rtaudit/dicom/load.hpp"
#include "rtaudit/dicom/object_info.hpp"

#include <dcmtk/dcmdata/dcfilefo.h>

#include <algorithm>
#include <set>
#include <system_error>

namespace rtaudit::dicom {

namespace fs = std::filesystem;

Inventory scan(const fs::path& root, const ObjectVisitor& visit) {
  Inventory inv;
  std::vector<fs::path> files;
  std::error_code ec;
  if (fs::is_regular_file(root, ec)) {
    files.push_back(root);
  } else if (fs::is_directory(root, ec)) {
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
    while (!ec && it != end) {
      std::error_code type_ec;
      if (it->is_regular_file(type_ec)) files.push_back(it->path());
      it.increment(ec);
    }
    if (ec) inv.problems.push_back({Severity::Warning, root.string(), "", "folder walk stopped early: " + ec.message()});
  } else {
    inv.problems.push_back({Severity::Error, root.string(), "", "no such file or folder"});
    return inv;
  }
  std::sort(files.begin(), files.end());

  std::set<std::string> seen_instances;
  for (const fs::path& path : files) {
    ++inv.files_seen;
    const std::string name = path.string();
    LoadedFile loaded = load_file(name, LoadDepth::Header);
    if (!loaded.file) {
      inv.problems.push_back({loaded.not_dicom ? Severity::Info : Severity::Error, name, "",
                              "skipped: " + loaded.error});
      continue;
    }
    DcmDataset& ds = *loaded.file->getDataset();
    ObjectInfo info = read_object_info(ds);
    info.file = name;
    info.transfer_syntax = loaded.transfer_syntax;
    info.has_file_meta = loaded.has_file_meta;
    if (!loaded.charset_problem.empty()) {
      inv.problems.push_back({Severity::Warning, name, "SpecificCharacterSet (0008,0005)", loaded.charset_problem});
    }
    if (!seen_instances.insert(info.sop_instance_uid).second) {
      inv.problems.push_back({Severity::Warning, name, "SOPInstanceUID (0008,0018)",
                              "the same SOP Instance UID occurs in another file; both kept"});
    }
    if (visit) visit(info, ds);
    inv.objects.push_back(std::move(info));
  }
  return inv;
}

}  // namespace rtaudit::dicom
