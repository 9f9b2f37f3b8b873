// rtaudit: audits internal mammary chain target volumes of breast radiotherapy plans.
// The executable only parses the command line and hands over to the library; each command lives
// in its own file.

#include "rtaudit/cli/commands.hpp"
#include "rtaudit/version.hpp"

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <string>

int main(int argc, char** argv) {
  CLI::App app{"rtaudit - audit internal mammary chain target volumes in DICOM RT plans"};
  app.set_version_flag("--version", std::string(rtaudit::version()));
  app.require_subcommand(1);
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "log details (never patient identifiers) to stderr");

  rtaudit::cli::InspectArgs inspect_args;
  CLI::App* inspect = app.add_subcommand("inspect", "list every DICOM object below PATH and every ROI's geometry");
  inspect->add_option("path", inspect_args.path, "file or folder to scan")->required();
  inspect->add_flag("--json", inspect_args.json, "write one JSON document to stdout (docs/inspect-json.md)");
  inspect->add_flag("--show-names", inspect_args.show_patient_names, "include patient names in the output");
  inspect->add_option("--plane-tolerance", inspect_args.plane_tolerance_mm,
                      "contours within this many mm in z form one plane")
      ->check(CLI::PositiveNumber);

  rtaudit::cli::PhantomArgs phantom_args;
  CLI::App* phantom = app.add_subcommand("phantom", "write a synthetic thorax patient with known answers (docs/phantom.md)");
  phantom->add_option("--out", phantom_args.out, "output folder (created; nothing is written outside it)")->required();
  phantom->add_option("--seed", phantom_args.seed, "anatomy seed; the same seed gives identical files")->capture_default_str();
  phantom->add_option("--side", phantom_args.side, "treated side")->check(CLI::IsMember({"left", "right"}))->capture_default_str();
  phantom->add_option("--variant", phantom_args.variant, "planted deviation (docs/phantom.md)")->capture_default_str();
  phantom->add_flag("--contrast", phantom_args.contrast, "contrast-enhanced vessels");
  phantom->add_flag("--hide-im-vessels", phantom_args.hide_im_vessels,
                    "draw the IM vessels as fat in the CT (a CT in which they cannot be seen; docs/phantom.md)");
  phantom->add_flag("--clinical-ct", phantom_args.clinical_ct,
                    "write the CT at a clinical size, 512 x 512 x 150 (air around, caudal slices repeated; for load tests, docs/phantom.md)");
  phantom->add_option("--atlas", phantom_args.atlas, "thorax atlas XML (default atlases/phantom/thorax.xml)");
  phantom->add_option("--institution", phantom_args.institution, "InstitutionName");
  phantom->add_option("--department", phantom_args.department, "InstitutionalDepartmentName");
  phantom->add_option("--planner", phantom_args.planner, "OperatorsName (DICOM PN)");
  phantom->add_option("--date", phantom_args.date, "study/plan date, YYYYMMDD");
  phantom->add_flag("-q,--quiet", phantom_args.quiet, "print nothing on success");

  rtaudit::cli::AuditArgs audit_args;
  CLI::App* audit = app.add_subcommand("audit", "audit the CTVn_IMN of a case against the ESTRO, RTOG, ... guidelines (docs/report-json.md)");
  audit->add_option("case_dir", audit_args.case_dir, "folder with the patient's RTSTRUCT (and CT, RTPLAN, RTDOSE)")->required();
  audit->add_option("--out", audit_args.out, "output folder for report.json (created; nothing is written outside it)")->required();
  audit->add_option("--rules", audit_args.rules_dirs, "extra folder of guideline rule files (after the shipped rules/)");
  audit->add_option("--guideline", audit_args.guidelines, "audit only against these guideline ids");
  audit->add_option("--names", audit_args.names, "names-to-roles table (default rules/names.xml)");
  audit->add_option("--role", audit_args.roles, "override a role: \"ROI NAME=ROLE[:SIDE]\" or \"#N=ROLE\" (docs/names.md)");
  audit->add_option("--roles-file", audit_args.roles_file, "file of role overrides, one \"NAME = ROLE[:SIDE]\" a line");
  audit->add_option("--side", audit_args.side, "treated side when the structure names do not say it")
      ->check(CLI::IsMember({"left", "right"}));
  audit->add_flag("--export-rtstruct", audit_args.export_rtstruct,
                  "write the reference CTVs as new ROIs into a copy of the structure set (in --out)");
  audit->add_flag("--no-ct-landmarks", audit_args.no_ct_landmarks,
                  "never search the planning CT for the sternum, ribs and IM vessels that are not contoured (docs/landmarks-ct.md)");
  audit->add_flag("--no-estimated-landmarks", audit_args.no_estimated_landmarks,
                  "use landmarks found in the CT, but leave out estimated ones: checks that need them are not evaluable");
  audit->add_option("--plane-tolerance", audit_args.plane_tolerance_mm, "contours within this many mm in z form one plane")
      ->check(CLI::PositiveNumber);
  audit->add_flag("-q,--quiet", audit_args.quiet, "print nothing on success");
  audit->add_option("--dose", audit_args.dose_files, "RTDOSE file(s) to use (summed) instead of those found in the case");
  audit->add_flag("--no-dose", audit_args.no_dose, "ignore every RTDOSE: geometric proxies and the department model only");
  audit->add_option("--heart-model", audit_args.heart_model, "department model from `rtaudit calibrate` (heart-model.json)");
  audit->add_option("--patient", audit_args.patient, "patient facts (docs/patient-facts.md; default CASE_DIR/patient.json)");
  audit->add_option("--constraints", audit_args.constraints, "heart and lung constraint file (default rules/heart-constraints.xml)");
  audit->add_flag("--interpolate-planes", audit_args.interpolate_planes,
                  "interpolate the contours' shape between planes before computing DVHs (docs/dvh.md)");
  audit->add_option("--pseudonymize", audit_args.pseudonymize_key,
                    "key file (>= 16 bytes): patient IDs become a keyed hash and identifiers are removed from every output (docs/report-html.md)");
  audit->add_option("--recurrences", audit_args.recurrence_files,
                    "recurrence / sentinel-node points, CSV or JSON (docs/recurrences.md; default CASE_DIR/recurrences.json|csv)");
  audit->add_option("--marginal-mm", audit_args.marginal_mm, "distance class: outside within max(this, radius) is marginal")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  audit->add_option("--isodose", audit_args.isodose_pct, "dose class: in-field isodose, % of the prescription")
      ->check(CLI::Range(1.0, 200.0))->capture_default_str();
  audit->add_option("--low-isodose", audit_args.low_isodose_pct, "dose class: low isodose for points without a size, %")
      ->check(CLI::Range(0.0, 200.0))->capture_default_str();
  audit->add_option("--in-field-share", audit_args.in_field_share_pct, "dose class: share of the lesion within the isodose for in-field, %")
      ->check(CLI::Range(0.0, 100.0))->capture_default_str();
  audit->add_option("--marginal-share", audit_args.marginal_share_pct, "dose class: a lesion with less than this share within the low isodose is outside, %")
      ->check(CLI::Range(0.0, 100.0))->capture_default_str();

  rtaudit::cli::CohortArgs cohort_args;
  CLI::App* cohort = app.add_subcommand("cohort", "audit many cases in parallel into a results database and a department dashboard (docs/cohort.md)");
  cohort->add_option("inputs", cohort_args.inputs, "case folders, or folders whose subfolders are cases")->required();
  cohort->add_option("--out", cohort_args.out, "output folder: cohort.sqlite, dashboard.html, tables/, cases/ (created)")->required();
  cohort->add_option("-j,--jobs", cohort_args.jobs, "parallel audits (default: the machine's cores)")->check(CLI::NonNegativeNumber);
  cohort->add_option("--pseudonymize", cohort_args.pseudonymize_key, "key file: patient identifiers become keyed hashes everywhere");
  cohort->add_flag("--no-dose", cohort_args.no_dose, "audit without RTDOSE (passed to every audit)");
  cohort->add_flag("--force", cohort_args.force, "re-audit cases whose inputs did not change");
  cohort->add_flag("-q,--quiet", cohort_args.quiet, "no progress bar, no summary on success");

  rtaudit::cli::LandmarksArgs landmarks_args;
  CLI::App* landmarks = app.add_subcommand("landmarks", "sternum, ribs and IM vessels found in the planning CT (docs/landmarks-ct.md)");
  landmarks->add_option("case_dir", landmarks_args.case_dir, "folder with the planning CT (and the structure set to copy)")->required();
  landmarks->add_option("--out", landmarks_args.out, "output folder for landmarks.json (created)")->required();
  landmarks->add_flag("--export-rtstruct", landmarks_args.export_rtstruct, "write the landmarks as ROIs into a copy of the structure set");
  landmarks->add_flag("-q,--quiet", landmarks_args.quiet, "print nothing on success");

  rtaudit::cli::MissCohortArgs miss_cohort_args;
  CLI::App* miss_cohort = app.add_subcommand("miss-cohort", "pattern-of-failure table over audited cases (their report.json)");
  miss_cohort->add_option("inputs", miss_cohort_args.inputs, "report.json files or folders searched for them")->required();
  miss_cohort->add_option("--out", miss_cohort_args.out, "output folder for miss-cohort.json and miss-cohort.csv (created)")->required();
  miss_cohort->add_option("--kind", miss_cohort_args.kind, "point kind to tabulate")
      ->check(CLI::IsMember({"recurrence", "sentinel_node", "suspicious_node"}))->capture_default_str();
  miss_cohort->add_flag("-q,--quiet", miss_cohort_args.quiet, "print nothing on success");

  std::string atlas_parameters = "atlases/imn-nodes/parameters.xml", atlas_out;
  CLI::App* atlas = app.add_subcommand("atlas", "the population IMN node atlas (docs/node-atlas.md)");
  CLI::App* atlas_generate = atlas->add_subcommand("generate", "regenerate the node CSV from its parameters (deterministic)");
  atlas_generate->add_option("--parameters", atlas_parameters, "parameters file")->capture_default_str();
  atlas_generate->add_option("--out", atlas_out, "CSV to write")->required();
  atlas->require_subcommand(1);

  rtaudit::cli::CompareArgs compare_args;
  CLI::App* compare = app.add_subcommand("compare", "exact comparison metrics of two structures A (reference) and B (docs/compare.md)");
  compare->add_option("a", compare_args.a, "reference structure: FILE:ROI (ROI number or name)")->required();
  compare->add_option("b", compare_args.b, "evaluated structure: FILE:ROI (ROI number or name)")->required();
  compare->add_flag("--json", compare_args.json, "write one JSON document to stdout");
  compare->add_option("--plane-tolerance", compare_args.plane_tolerance_mm, "contours within this many mm in z form one plane")
      ->check(CLI::PositiveNumber);
  compare->add_option("--apl-tolerance", compare_args.apl_tolerance_mm, "added path length tolerance (mm)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  compare->add_option("--surface-dice", compare_args.surface_dice_mm, "surface Dice tolerances (mm)")->capture_default_str();
  compare->add_option("--sampling", compare_args.sampling_per_mm2, "surface samples per mm2")
      ->check(CLI::PositiveNumber)->capture_default_str();

  rtaudit::cli::DvhArgs dvh_args;
  CLI::App* dvh = app.add_subcommand("dvh", "DVH and metrics of a structure set's ROIs on RTDOSE (docs/dvh.md)");
  dvh->add_option("rtstruct", dvh_args.rtstruct, "RTSTRUCT file")->required();
  dvh->add_option("rtdose", dvh_args.doses, "RTDOSE file(s); several are summed after checking their grids")->required();
  dvh->add_option("--roi", dvh_args.rois, "ROI name or number (repeatable; default every ROI with area)");
  dvh->add_flag("--json", dvh_args.json, "write one JSON document to stdout (schema rtaudit-dvh/1)");
  dvh->add_option("--metric", dvh_args.metrics, "extra metric, e.g. V20Gy[cc], D0.1cc, D90% (repeatable)");
  dvh->add_flag("--interpolate-planes", dvh_args.interpolate_planes, "shape interpolation between contour planes");
  dvh->add_option("--interpolation-gap", dvh_args.interpolation_gap_mm, "largest plane gap after interpolation (mm)")
      ->check(CLI::PositiveNumber)->capture_default_str();
  dvh->add_option("--sample", dvh_args.max_sample_mm, "largest sub-cell and sub-slab (mm)")->check(CLI::PositiveNumber)->capture_default_str();
  dvh->add_option("--bin", dvh_args.bin_gy, "histogram bin width (Gy)")->check(CLI::PositiveNumber)->capture_default_str();
  dvh->add_option("--curve-step", dvh_args.curve_step_gy, "step of the cumulative curve in the JSON (Gy)")
      ->check(CLI::PositiveNumber)->capture_default_str();
  dvh->add_option("--plane-tolerance", dvh_args.plane_tolerance_mm, "contours within this many mm in z form one plane")
      ->check(CLI::PositiveNumber);

  rtaudit::cli::CalibrateArgs calibrate_args;
  CLI::App* calibrate = app.add_subcommand("calibrate", "fit the department's proxy-to-mean-heart-dose model on planned cases with RTDOSE");
  calibrate->add_option("cohort_dir", calibrate_args.cohort_dir, "folder with one sub-folder per case")->required();
  calibrate->add_option("--out", calibrate_args.out, "output folder for heart-model.json (created)")->required();
  calibrate->add_option("--predictor", calibrate_args.predictors, "proxy name (repeatable; default mhd_mm, heart_in_field_cc)");
  calibrate->add_option("--description", calibrate_args.description, "what the model is for (department, technique)");
  calibrate->add_flag("-q,--quiet", calibrate_args.quiet, "print nothing on success");

  rtaudit::cli::ServeArgs serve_args;
  CLI::App* serve = app.add_subcommand("serve", "the department's DICOM node: receive plans, audit each case as it arrives (docs/serve.md)");
  // The configuration file belongs to the app (CLI11 reads a subcommand's keys from its [serve] section);
  // fallthrough lets it be written after `serve`.
  app.set_config("--config", "", "configuration file (TOML; a [serve] section with keys named as the options, docs/serve.md)");
  serve->fallthrough();
  serve->add_option("--storage", serve_args.storage, "storage folder (created; the node writes nothing outside it)")->required();
  serve->add_option("--ae-title", serve_args.ae_title, "the node's AE title")->capture_default_str();
  serve->add_option("--port", serve_args.port, "TCP port")->check(CLI::Range(1, 65535))->capture_default_str();
  serve->add_option("--allow-ae", serve_args.allow_ae, "calling AE title allowed (repeatable; default any)");
  serve->add_option("--allow-host", serve_args.allow_host, "peer host or IP address allowed (repeatable; default any)");
  serve->add_option("--tls-certificate", serve_args.tls_certificate, "TLS: the node's certificate (PEM)");
  serve->add_option("--tls-private-key", serve_args.tls_private_key, "TLS: the node's private key (PEM)");
  serve->add_option("--tls-ca", serve_args.tls_ca, "TLS: peers must present a certificate signed by this CA (PEM)");
  serve->add_option("--max-associations", serve_args.max_associations, "simultaneous associations")->check(CLI::Range(1, 1000))->capture_default_str();
  serve->add_option("--max-pdu-kb", serve_args.max_pdu_kb, "largest PDU received (KiB)")->check(CLI::Range(4, 16384))->capture_default_str();
  serve->add_option("--max-object-mb", serve_args.max_object_mb, "a larger object cuts its association off (MB)")->check(CLI::PositiveNumber)->capture_default_str();
  serve->add_option("--quota-mb", serve_args.quota_mb, "disk quota of the stored objects (MB; 0 none)")->check(CLI::NonNegativeNumber)->capture_default_str();
  serve->add_option("--dimse-timeout", serve_args.dimse_timeout, "a peer silent this long is cut off (s)")->check(CLI::Range(1, 3600))->capture_default_str();
  serve->add_option("--settle", serve_args.settle_seconds, "a case is audited when its patient has sent nothing for this long (s)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  serve->add_option("--incomplete-wait", serve_args.incomplete_wait_seconds,
                    "a case whose contour images have not all arrived waits this long before it is audited anyway (s)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  serve->add_option("--db", serve_args.database, "queue and results database (default STORAGE/rtaudit.sqlite)");
  serve->add_option("--workers", serve_args.workers, "audits the node runs itself (0: only rtaudit worker processes)")
      ->check(CLI::Range(0, 64))->capture_default_str();
  serve->add_option("--lease", serve_args.lease_seconds, "a worker's hold on a case, renewed while it audits (s)")->check(CLI::Range(3.0, 86400.0))->capture_default_str();
  serve->add_flag("--no-dose", serve_args.no_dose, "audit without RTDOSE");
  serve->add_option("--pseudonymize", serve_args.pseudonymize_key, "key file: patient identifiers become keyed hashes in every report");
  serve->add_option("--run-seconds", serve_args.run_seconds, "stop after this long (0: until SIGTERM or SIGINT)")->check(CLI::NonNegativeNumber);

  rtaudit::cli::WorkerArgs worker_args;
  CLI::App* worker = app.add_subcommand("worker", "audit the cases of a node's queue (docs/serve.md)");
  worker->add_option("--db", worker_args.database, "the node's queue and results database")->required();
  worker->add_option("--out", worker_args.out, "output folder for reports/ and logs/ (created)")->required();
  worker->add_option("--lease", worker_args.lease_seconds, "hold on a case, renewed while auditing (s)")->check(CLI::Range(3.0, 86400.0))->capture_default_str();
  worker->add_option("--max-attempts", worker_args.max_attempts, "claims of one case before it is marked failed")->check(CLI::Range(1, 100))->capture_default_str();
  worker->add_flag("--exit-when-empty", worker_args.exit_when_empty, "stop when the queue is empty instead of waiting");
  worker->add_flag("--no-dose", worker_args.no_dose, "audit without RTDOSE");
  worker->add_option("--pseudonymize", worker_args.pseudonymize_key, "key file: patient identifiers become keyed hashes");
  worker->add_option("--name", worker_args.name, "name in the queue (default host:pid)");

  rtaudit::cli::EnqueueArgs enqueue_args;
  CLI::App* enqueue = app.add_subcommand("enqueue", "queue a cohort's case folders for `rtaudit worker`s sharing a results database (docs/serve.md)");
  enqueue->add_option("inputs", enqueue_args.inputs, "case folders, or folders whose subfolders are cases")->required();
  enqueue->add_option("--db", enqueue_args.database, "queue and results database: SQLite file or postgresql:// URI")->required();
  enqueue->add_flag("--pseudonymized", enqueue_args.pseudonymized,
                    "the cases are for a shared store: folder names stay out of labels, logs and failed cases' records");
  enqueue->add_flag("-q,--quiet", enqueue_args.quiet, "print nothing on success");

  rtaudit::cli::DashboardArgs dashboard_args;
  CLI::App* dashboard = app.add_subcommand("dashboard", "the department dashboard over every case of a results store, SQLite or PostgreSQL (docs/cohort.md)");
  dashboard->add_option("--db", dashboard_args.database, "results database: SQLite file or postgresql:// URI")->required();
  dashboard->add_option("--out", dashboard_args.out, "output folder: dashboard.html, dashboard.json, tables/ (created)")->required();
  dashboard->add_option("--link-prefix", dashboard_args.link_prefix,
                        "relative path put before each report link: the workers' output folder as seen from --out (default: --out is that folder)");
  dashboard->add_flag("-q,--quiet", dashboard_args.quiet, "print nothing on success");

  CLI11_PARSE(app, argc, argv);

  auto logger = spdlog::stderr_color_mt("rtaudit");
  logger->set_level(verbose ? spdlog::level::debug : spdlog::level::warn);
  logger->set_pattern("%^%l%$: %v");
  spdlog::set_default_logger(logger);

  if (inspect->parsed()) return rtaudit::cli::run_inspect(inspect_args, verbose);
  if (phantom->parsed()) return rtaudit::cli::run_phantom(phantom_args, verbose);
  if (audit->parsed()) return rtaudit::cli::run_audit(audit_args, verbose);
  if (compare->parsed()) return rtaudit::cli::run_compare(compare_args, verbose);
  if (dvh->parsed()) return rtaudit::cli::run_dvh(dvh_args, verbose);
  if (calibrate->parsed()) return rtaudit::cli::run_calibrate(calibrate_args, verbose);
  if (miss_cohort->parsed()) return rtaudit::cli::run_miss_cohort(miss_cohort_args);
  if (cohort->parsed()) return rtaudit::cli::run_cohort(cohort_args, verbose);
  if (landmarks->parsed()) return rtaudit::cli::run_landmarks(landmarks_args, verbose);
  if (serve->parsed()) return rtaudit::cli::run_serve(serve_args, verbose);
  if (worker->parsed()) return rtaudit::cli::run_worker(worker_args, verbose);
  if (enqueue->parsed()) return rtaudit::cli::run_enqueue(enqueue_args, verbose);
  if (dashboard->parsed()) return rtaudit::cli::run_dashboard(dashboard_args, verbose);
  if (atlas_generate->parsed()) return rtaudit::cli::run_atlas_generate(atlas_parameters, atlas_out);
  return 1;
}
