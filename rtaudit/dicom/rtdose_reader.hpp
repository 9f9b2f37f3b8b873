#pragma once
// Reading an RT Dose object into a DoseGrid (dcmdata): Image Plane geometry in any patient
// orientation, GridFrameOffsetVector relative (first value 0) or absolute (first value equal to the
// normal component of ImagePositionPatient, PS3.3 C.8.8.3.2), DoseGridScaling, 16- or 32-bit
// unsigned or signed pixels, compressed transfer syntaxes DCMTK decodes (RLE, JPEG, JPEG-LS),
// DoseUnits, DoseType, DoseSummationType and the referenced plan, fraction group and beam.
// Every problem names the file and the element.

#include "rtaudit/case/dose_grid.hpp"

#include <optional>
#include <string>
#include <vector>

class DcmDataset;

namespace rtaudit::dicom {

struct RtDoseRead {
  std::optional<DoseGrid> dose;
  std::string error;                  ///< why there is no dose, naming the file and element
  std::vector<std::string> warnings;  ///< read, but something is odd (e.g. DoseUnits RELATIVE)
};

/// Reads the file at `path` (pixel data included).
[[nodiscard]] RtDoseRead read_rtdose(const std::string& path);

/// Reads an already loaded dataset; `label` names it in messages (usually the path).
[[nodiscard]] RtDoseRead read_rtdose(DcmDataset& dataset, const std::string& label);

}  // namespace rtaudit::dicom
