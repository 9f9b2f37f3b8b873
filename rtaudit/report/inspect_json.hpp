#pragma once
// Views of an inspect report: one JSON document (schema in docs/inspect-json.md) and a text table.

#include "rtaudit/dicom/inspect.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace rtaudit::report {

struct InspectViewOptions {
  bool show_patient_names = false;  ///< patient names appear only when asked
};

[[nodiscard]] nlohmann::ordered_json inspect_to_json(const dicom::InspectReport& report,
                                                     const InspectViewOptions& options = {});

[[nodiscard]] std::string inspect_to_text(const dicom::InspectReport& report, const InspectViewOptions& options = {});

}  // namespace rtaudit::report
