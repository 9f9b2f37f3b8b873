#pragma once
// Writing a dose grid as RT Dose Storage with dcmdata: one multi-frame object, explicit VR little
// endian, unsigned 16-bit (or 32-bit) pixels times DoseGridScaling, in Gy.
//
// 16-bit is the default because dicom3tools' dciodvfy (1.9.x in Debian 12) aborts on any 32-bit
// Pixel Data ("Assertion bitsallocated <= bytesinword*8u", attrothr.cc), so a 32-bit RTDOSE
// cannot be verified with it; at 16 bits a 50 Gy maximum gives a 0.77 mGy step.
//
// DoseGridScaling is chosen so the maximum dose maps to about 65000 (16-bit) or 4.0e9 (32-bit),
// and the pixel values are rounded from the scaling as written (after DS rounding), so
// stored * DoseGridScaling reproduces each dose within half a scaling step. GridFrameOffsetVector
// is written relative with its first value 0: when the grid's first offset is not 0, the
// ImagePositionPatient is moved along the slice normal by that offset instead.

#include <filesystem>
#include <string>

#include "rtaudit/case/dose_grid.hpp"
#include "rtaudit/case/study.hpp"
#include "rtaudit/dicom/write_common.hpp"

namespace rtaudit::dicom {

struct RtDoseOptions {
  int series_number = 1;
  std::string series_description;
  int bits_allocated = 16;  ///< 16 or 32 (see above)
  std::string dose_type = "PHYSICAL";
};

/// Writes `grid` to `path`. DoseSummationType PLAN, MULTI_PLAN and FRACTION are written with a
/// ReferencedRTPlanSequence naming grid.referenced_plan_uid (FRACTION also names fraction group 1).
[[nodiscard]] WriteResult write_rtdose(const std::filesystem::path& path, const StudyIdentity& identity,
                                       const DoseGrid& grid, const RtDoseOptions& options = {});

}  // namespace rtaudit::dicom
