#pragma once
// Which of the case's structures the HTML report's anatomical figures draw, and how (issue 7): the
// clinical CTVn_IMN, each guideline's reference CTV, the treated side's IM vessels, sternum and
// ribs, the lungs, heart and LAD. The edge decides this because it holds the bound structures.

#include "rtaudit/anatomy/landmarks.hpp"
#include "rtaudit/audit/audit.hpp"
#include "rtaudit/report/figures.hpp"

#include <optional>
#include <vector>

namespace rtaudit::cli {

/// Layers pointing into `map` and `result` (both must outlive the layers).
[[nodiscard]] std::vector<report::Layer> report_layers(const anatomy::StructureMap& map, const audit::AuditResult& result,
                                                       std::optional<anatomy::Side> treated);

}  // namespace rtaudit::cli
