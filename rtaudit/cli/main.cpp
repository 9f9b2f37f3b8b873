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
  phantom->add_option("--atlas", phantom_args.atlas, "thorax atlas XML (default atlases/phantom/thorax.xml)");
  phantom->add_option("--institution", phantom_args.institution, "InstitutionName");
  phantom->add_option("--department", phantom_args.department, "InstitutionalDepartmentName");
  phantom->add_option("--planner", phantom_args.planner, "OperatorsName (DICOM PN)");
  phantom->add_option("--date", phantom_args.date, "study/plan date, YYYYMMDD");
  phantom->add_flag("-q,--quiet", phantom_args.quiet, "print nothing on success");

  CLI11_PARSE(app, argc, argv);

  auto logger = spdlog::stderr_color_mt("rtaudit");
  logger->set_level(verbose ? spdlog::level::debug : spdlog::level::warn);
  logger->set_pattern("%^%l%$: %v");
  spdlog::set_default_logger(logger);

  if (inspect->parsed()) return rtaudit::cli::run_inspect(inspect_args, verbose);
  if (phantom->parsed()) return rtaudit::cli::run_phantom(phantom_args, verbose);
  return 1;
}
