#pragma once
// The commands of the rtaudit executable. Each returns the process exit status.

#include <cstdint>
#include <string>
#include <vector>

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

struct AuditArgs {
  std::string case_dir;                ///< folder with the patient's DICOM objects (RTSTRUCT, CT, ...)
  std::string out;                     ///< output folder: report.json (and the exported RTSTRUCT)
  std::vector<std::string> rules_dirs; ///< extra guideline folders, loaded after the shipped rules/
  std::vector<std::string> guidelines; ///< only these guideline ids (default: every loaded guideline)
  std::string names;                   ///< names-to-roles table; default rules/names.xml
  std::vector<std::string> roles;      ///< --role "NAME=ROLE[:SIDE]" overrides
  std::string roles_file;              ///< override file (docs/names.md)
  std::string side;                    ///< "left"/"right": the treated side when the names do not say it
  bool export_rtstruct = false;        ///< write the reference CTVs as new ROIs into a copy of the RTSTRUCT
  bool quiet = false;
  double plane_tolerance_mm = 0.05;
};

struct CompareArgs {
  std::string a;      ///< reference: FILE:ROI (ROI number or name)
  std::string b;      ///< evaluated: FILE:ROI
  bool json = false;
  double plane_tolerance_mm = 0.05;
  double apl_tolerance_mm = 1.0;
  std::vector<double> surface_dice_mm{2.0, 3.0};
  double sampling_per_mm2 = 4.0;
};

/// Audits the CTVn_IMN of the structure set in a case folder against every guideline; writes
/// report.json (docs/report-json.md). Exit status 0 when the audit ran (whatever its findings),
/// 1 on bad arguments or unwritable output, 2 when no usable structure set was found.
int run_audit(const AuditArgs& args, bool verbose);

/// Exact comparison metrics of two structures (docs/compare.md). Exit status 0 on success,
/// 1 on bad arguments, 2 when a file or ROI cannot be read or the metrics cannot be computed.
int run_compare(const CompareArgs& args, bool verbose);

/// Writes a synthetic thorax patient (CT, RTSTRUCT, RTPLAN, RTDOSE, recurrences, truth.json).
/// Exit status 0 on success, 1 on any error (unknown variant, unwritable folder).
int run_phantom(const PhantomArgs& args, bool verbose);

/// Exit status: 0 when at least one DICOM object was read (problems are reported, not fatal);
/// 2 when nothing usable was found below the path.
int run_inspect(const InspectArgs& args, bool verbose);

}  // namespace rtaudit::cli
