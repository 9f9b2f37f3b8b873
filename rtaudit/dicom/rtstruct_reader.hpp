#pragma once
// Reading an RT Structure Set with DCMTK's dcmdata API.
//
// dcmdata rather than dcmrt's DRTStructureSetIOD on purpose: the IOD classes reject or silently
// drop whole sequences when one item is malformed, and convert every ContourData value through
// strings one at a time. Here each sequence item is read on its own, problems are reported with
// the item path, and ContourData is parsed in one pass.

#include "rtaudit/case/structure_set.hpp"

#include <string>

class DcmDataset;

namespace rtaudit::dicom {

/// Reads the structure set in `ds` (from `file`, used in messages). Never throws on bad content:
/// what cannot be read is reported in StructureSet::problems.
[[nodiscard]] StructureSet read_structure_set(DcmDataset& ds, const std::string& file);

}  // namespace rtaudit::dicom
