#pragma once
// The edge that finds a case's plan and dose: which RTPLAN belongs to the audited structure set and
// which RTDOSE objects make its dose (one PLAN dose, or the sum of its BEAM / FRACTION doses), read
// and checked. Everything left out is said, with the file and the reason.

#include "rtaudit/case/plan.hpp"
#include "rtaudit/case/structure_set.hpp"
#include "rtaudit/dicom/inspect.hpp"
#include "rtaudit/dose/dose_volume.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rtaudit::cli {

struct CaseDose {
  std::optional<Plan> plan;
  std::string plan_file;
  std::string patient_position = "HFS";
  std::optional<dose::DoseVolume> dose;
  std::string dose_description;       ///< e.g. "RD.dcm (PLAN, 2.5 mm grid)" or "sum of 3 BEAM doses"
  std::vector<std::string> dose_files;
  std::vector<std::string> warnings;  ///< every object left out and why; every reading problem
};

/// Reads the doses named by the user (summed), or else picks and reads them from the scan.
/// `no_dose`: read the plan only.
[[nodiscard]] CaseDose load_case_dose(const dicom::InspectReport& scan, const StructureSet& set,
                                      const std::vector<std::string>& dose_files, bool no_dose);

/// Reads and sums RTDOSE files (the `dvh` command); error text in `error`.
[[nodiscard]] std::optional<dose::DoseVolume> read_dose_files(const std::vector<std::string>& files,
                                                              std::string& description, std::string& error,
                                                              std::vector<std::string>& warnings);

}  // namespace rtaudit::cli
