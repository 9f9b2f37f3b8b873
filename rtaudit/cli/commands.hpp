#pragma once
// The commands of the rtaudit executable. Each returns the process exit status.

#include <cstdint>
#include <string>

namespace rtaudit::cli {

struct InspectArgs {
  std::string path;
  bool json = false;
  bool show_patient_names = false;
  double plane_tolerance_mm = 0.05;
};

struct PhantomArgs {
  std::string out;
  std::uint64_t seed = 1;
  std::string side = "left";
  std::string variant = "estro";
  bool contrast = false;
  std::string atlas;  ///< thorax atlas XML; default atlases/phantom/thorax.xml
  std::string institution, department, planner, date;
  bool quiet = false;
};

/// Writes a synthetic thorax patient (CT, RTSTRUCT, RTPLAN, RTDOSE, recurrences, truth.json).
/// Exit status 0 on success, 1 on any error (unknown variant, unwritable folder).
int run_phantom(const PhantomArgs& args, bool verbose);

/// Exit status: 0 when at least one DICOM object was read (problems are reported, not fatal);
/// 2 when nothing usable was found below the path.
int run_inspect(const InspectArgs& args, bool verbose);

}  // namespace rtaudit::cli
