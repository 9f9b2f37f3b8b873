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

  CLI11_PARSE(app, argc, argv);

  auto logger = spdlog::stderr_color_mt("rtaudit");
  logger->set_level(verbose ? spdlog::level::debug : spdlog::level::warn);
  logger->set_pattern("%^%l%$: %v");
  spdlog::set_default_logger(logger);

  if (inspect->parsed()) return rtaudit::cli::run_inspect(inspect_args, verbose);
  return 1;
}
