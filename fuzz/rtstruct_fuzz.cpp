// libFuzzer target over the RTSTRUCT-to-geometry path: bytes -> DCMTK dataset -> structure set
// reader -> plane model -> measures. Any crash, sanitizer report or hang is a finding.

#include "rtaudit/dicom/load.hpp"
#include "rtaudit/dicom/rtstruct_reader.hpp"
#include "rtaudit/geom/structure.hpp"

#include <dcmtk/dcmdata/dcfilefo.h>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  rtaudit::dicom::configure_dcmtk_logging(false);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rtaudit::dicom::LoadedFile loaded = rtaudit::dicom::load_buffer(data, size);
  if (!loaded.file) return 0;
  const rtaudit::StructureSet ss = rtaudit::dicom::read_structure_set(*loaded.file->getDataset(), "fuzz-input");
  for (const auto& [number, roi] : ss.rois) {
    const auto built = rtaudit::geom::build_structure(roi.contours);
    (void)rtaudit::geom::volume_cc(built.structure);
    (void)rtaudit::geom::centroid(built.structure);
    (void)rtaudit::geom::bounding_box(built.structure);
    if (!built.structure.planes.empty()) {
      const auto& p = built.structure.planes.front();
      (void)rtaudit::geom::contains(built.structure, {0, 0, p.z_mm});
    }
  }
  return 0;
}
