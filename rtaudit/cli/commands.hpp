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
  bool hide_im_vessels = false;
  bool clinical_ct = false;  ///< write the CT as 512 x 512 x 150 (phantom/clinical_size_ct)
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
  bool no_ct_landmarks = false;        ///< never search the CT for landmarks that are not contoured
  bool no_estimated_landmarks = false; ///< use landmarks found in the CT, but not estimated ones
  bool quiet = false;
  double plane_tolerance_mm = 0.05;
  // Heart (issue 6)
  std::vector<std::string> dose_files; ///< RTDOSE files to use (summed) instead of those found in the case
  bool no_dose = false;                ///< ignore every RTDOSE (proxies and the model's estimate only)
  std::string heart_model;             ///< department model from `rtaudit calibrate` (heart-model.json)
  std::string patient;                 ///< patient facts (default CASE_DIR/patient.json when it exists)
  std::string constraints;             ///< constraint file (default rules/heart-constraints.xml)
  bool interpolate_planes = false;     ///< shape interpolation between contour planes before the DVHs
  // Geographic miss (issue 5)
  std::vector<std::string> recurrence_files;  ///< CSV/JSON point files (default CASE_DIR/recurrences.{json,csv})
  double marginal_mm = 5.0;            ///< distance class: outside within max(this, radius) = marginal
  double isodose_pct = 95;             ///< dose class: the in-field isodose (% of the prescription)
  double low_isodose_pct = 20;         ///< dose class: the low isodose for points without a size
  double in_field_share_pct = 95;      ///< dose class: share of the lesion within the isodose for in-field
  double marginal_share_pct = 20;      ///< dose class: below this share within the low isodose: outside
  // Reports (issue 7)
  std::string pseudonymize_key;        ///< key file: patient identifiers become a keyed hash in every output
};

/// `rtaudit miss-cohort PATH... --out DIR`: the pattern-of-failure table over many audited cases.
struct MissCohortArgs {
  std::vector<std::string> inputs;     ///< report.json files or folders searched for them
  std::string out;
  std::string kind = "recurrence";
  bool quiet = false;
};

/// `rtaudit cohort PATH... --out DIR`: audit many cases in parallel, store the results, write the dashboard.
struct CohortArgs {
  std::vector<std::string> inputs;     ///< case folders, or folders whose subfolders are cases
  std::string out;
  int jobs = 0;                        ///< parallel audits; 0 = the machine's cores
  std::string pseudonymize_key;        ///< passed to every audit; input folders withheld from the outputs
  bool no_dose = false;                ///< passed to every audit
  bool force = false;                  ///< re-audit even unchanged cases
  bool quiet = false;
};

/// `rtaudit landmarks CASE_DIR --out DIR [--export-rtstruct]`: landmarks found in the planning CT.
struct LandmarksArgs {
  std::string case_dir;
  std::string out;
  bool export_rtstruct = false;
  bool quiet = false;
};

/// `rtaudit serve`: the department's DICOM node (docs/serve.md). Every field can come from the
/// configuration file (--config, TOML/INI keys named as the options).
struct ServeArgs {
  std::string storage;                 ///< storage folder: objects/, cases/, reports/, logs/, rtaudit.sqlite
  std::string ae_title = "RTAUDIT";
  int port = 11112;
  std::vector<std::string> allow_ae;   ///< calling AE titles allowed (default: any)
  std::vector<std::string> allow_host; ///< peer hosts allowed (default: any)
  std::string tls_certificate, tls_private_key, tls_ca;
  int max_associations = 8;
  int max_pdu_kb = 64;
  double max_object_mb = 1024;
  double quota_mb = 0;                 ///< 0: no quota
  int dimse_timeout = 60;
  double settle_seconds = 30;
  double incomplete_wait_seconds = 600; ///< a case missing contour images waits this long for them
  std::string database;                ///< default STORAGE/rtaudit.sqlite
  int workers = 1;                     ///< audits run by the node itself (0: only `rtaudit worker`s)
  double lease_seconds = 60;
  bool no_dose = false;
  std::string pseudonymize_key;
  double run_seconds = 0;              ///< stop after this long (tests, benchmarks); 0: until SIGTERM/SIGINT
};

/// `rtaudit enqueue PATH... --db DB`: queues a cohort's case folders for `rtaudit worker`s.
struct EnqueueArgs {
  std::vector<std::string> inputs;     ///< case folders, or folders whose subfolders are cases
  std::string database;
  bool pseudonymized = false;          ///< keep folder names out of the labels, the logs and failed cases' records
  bool quiet = false;
};

/// `rtaudit dashboard --db DB --out DIR`: the department dashboard over every case of a results store.
struct DashboardArgs {
  std::string database;
  std::string out;
  std::string link_prefix;             ///< put before each report link (the folder the workers wrote to, seen from --out)
  bool quiet = false;
};

/// `rtaudit worker --db DB --out DIR`: audits cases of a node's (or a cohort's) queue.
struct WorkerArgs {
  std::string database;
  std::string out;
  double lease_seconds = 60;
  int max_attempts = 3;
  bool exit_when_empty = false;
  bool no_dose = false;
  std::string pseudonymize_key;
  std::string name;
};

struct DvhArgs {
  std::string rtstruct;                ///< RTSTRUCT file
  std::vector<std::string> doses;      ///< RTDOSE file(s), summed
  std::vector<std::string> rois;       ///< ROI names or numbers (default: every ROI with area)
  bool json = false;
  bool interpolate_planes = false;
  double interpolation_gap_mm = 0.5;
  double max_sample_mm = 1.25;        ///< dose::DvhOptions::max_sample_spacing_mm
  double bin_gy = 0.01;
  std::vector<std::string> metrics;    ///< extra metrics, e.g. V20Gy[cc], D0.1cc
  double curve_step_gy = 0.1;
  double plane_tolerance_mm = 0.05;
};

struct CalibrateArgs {
  std::string cohort_dir;              ///< one sub-folder per case (each with RTSTRUCT, RTPLAN, RTDOSE)
  std::string out;                     ///< output folder: heart-model.json and calibration.json
  std::vector<std::string> predictors; ///< proxy names (default heart::default_predictors())
  std::string description;             ///< e.g. department and technique, stored in the model
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
int run_miss_cohort(const MissCohortArgs& args);
int run_serve(const ServeArgs& args, bool verbose);
int run_worker(const WorkerArgs& args, bool verbose);
int run_enqueue(const EnqueueArgs& args, bool verbose);
int run_dashboard(const DashboardArgs& args, bool verbose);
int run_cohort(const CohortArgs& args, bool verbose);
int run_landmarks(const LandmarksArgs& args, bool verbose);
int run_atlas_generate(const std::string& parameters_path, const std::string& out_csv_path);
int run_audit(const AuditArgs& args, bool verbose);

/// Exact comparison metrics of two structures (docs/compare.md). Exit status 0 on success,
/// 1 on bad arguments, 2 when a file or ROI cannot be read or the metrics cannot be computed.
int run_compare(const CompareArgs& args, bool verbose);

/// DVH and metrics of any structure set's ROIs on one or more (summed) RTDOSE objects
/// (docs/dvh.md). Exit status 0 on success, 1 on bad arguments, 2 when a file cannot be read or no
/// DVH could be computed.
int run_dvh(const DvhArgs& args, bool verbose);

/// Fits the department's proxy-to-mean-heart-dose model on a cohort of planned cases with RTDOSE
/// (docs/heart-risk.md). Exit status 0 on success, 1 on bad arguments or unwritable output, 2 when
/// the cohort has too few usable cases (none with RTDOSE, ...).
int run_calibrate(const CalibrateArgs& args, bool verbose);

/// Writes a synthetic thorax patient (CT, RTSTRUCT, RTPLAN, RTDOSE, recurrences, truth.json).
/// Exit status 0 on success, 1 on any error (unknown variant, unwritable folder).
int run_phantom(const PhantomArgs& args, bool verbose);

/// Exit status: 0 when at least one DICOM object was read (problems are reported, not fatal);
/// 2 when nothing usable was found below the path.
int run_inspect(const InspectArgs& args, bool verbose);

}  // namespace rtaudit::cli
