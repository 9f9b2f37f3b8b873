#include "rtaudit/cli/commands.hpp"

#include "rtaudit/dicom/inspect.hpp"
#include "rtaudit/dicom/load.hpp"
#include "rtaudit/report/inspect_json.hpp"

#include <spdlog/spdlog.h>

#include <iostream>

namespace rtaudit::cli {

int run_inspect(const InspectArgs& args, bool verbose) {
  dicom::configure_dcmtk_logging(verbose);
  geom::BuildOptions options;
  options.plane_tolerance_mm = args.plane_tolerance_mm;
  const dicom::InspectReport report = dicom::inspect(args.path, options);
  const report::InspectViewOptions view{args.show_patient_names};
  if (args.json) {
    std::cout << report::inspect_to_json(report, view).dump(1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  } else {
    std::cout << report::inspect_to_text(report, view);
  }
  if (!report.usable()) {
    spdlog::error("no usable DICOM object found below the given path ({} file(s) looked at)",
                  report.inventory.files_seen);
    return 2;
  }
  spdlog::debug("{} object(s) read, {} file problem(s)", report.inventory.objects.size(),
                report.inventory.problems.size());
  return 0;
}

}  // namespace rtaudit::cli
