#pragma once
// A small patient built in code for the writer tests (3-slice 16x16 CT, a structure set with a
// square, a POINT and a ring with a hole, a 2-beam plan with an MLC, a small dose grid), and the
// external tools the tests check the files with (dciodvfy, pydicom, plastimatch).

#include <filesystem>
#include <string>
#include <vector>

#include "rtaudit/case/dose_grid.hpp"
#include "rtaudit/case/image_volume.hpp"
#include "rtaudit/case/plan.hpp"
#include "rtaudit/case/structure_set.hpp"
#include "rtaudit/case/study.hpp"
#include "rtaudit/dicom/write_ct.hpp"

namespace rtaudit::test {

StudyIdentity small_identity();
/// 3 axial slices at z = -2.5, 0, 2.5; 16 x 16 pixels of 1 x 1 mm; first voxel at (-7.5, -7.5).
ImageVolume small_volume();
dicom::CtSeriesOptions small_ct_options();

/// ROI 1 BODY (EXTERNAL): 12 mm square on each slice; ROI 2 MARKER: one POINT at z 0;
/// ROI 7 RING: 10 mm square with a 4 mm square hole on z -2.5 and 0.
StructureSet small_structure_set(const StudyIdentity& id);
inline constexpr double kBodyVolumeCc = 12.0 * 12.0 * 3 * 2.5 / 1000;
inline constexpr double kRingVolumeCc = (10.0 * 10.0 - 4.0 * 4.0) * 2 * 2.5 / 1000;

/// Beam 1 with a 4-pair MLCX, beam 2 with jaws only.
Plan small_plan(const StudyIdentity& id);
/// 4 columns x 5 rows x 3 frames, dose (i + j + k) Gy with a 50 Gy maximum voxel.
DoseGrid small_dose(const std::string& plan_uid);

struct ToolRun {
  int exit_code = -1;
  std::string output;  ///< stdout and stderr together
};
ToolRun run_tool(const std::string& command);

/// The lines of `dciodvfy file` that start with "Error", plus one when dciodvfy does not finish
/// with exit status 0.
std::vector<std::string> dciodvfy_errors(const std::filesystem::path& file, std::string* all_output = nullptr);

/// Runs `script` with the system Python (/usr/bin/python3, which has pydicom); `file` is argv[1].
ToolRun pydicom(const std::string& script, const std::filesystem::path& file);

/// True when two files hold the same bytes.
bool same_bytes(const std::filesystem::path& a, const std::filesystem::path& b);

}  // namespace rtaudit::test
