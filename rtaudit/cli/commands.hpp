#pragma once
// The commands of the rtaudit executable. Each returns the process exit status.

#include <string>

namespace rtaudit::cli {

struct InspectArgs {
  std::string path;
  bool json = false;
  bool show_patient_names = false;
  double plane_tolerance_mm = 0.05;
};

/// Exit status: 0 when at least one DICOM object was read (problems are reported, not fatal);
/// 2 when nothing usable was found below the path.
int run_inspect(const InspectArgs& args, bool verbose);

}  // namespace rtaudit::cli
