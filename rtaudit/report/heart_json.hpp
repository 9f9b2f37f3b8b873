#pragma once
// The heart assessment in report.json ("heart" member, docs/report-json.md and docs/heart.md) and
// the output of `rtaudit dvh --json` (schema rtaudit-dvh/1). Views of plain data; no I/O.

#include "rtaudit/dose/dvh.hpp"
#include "rtaudit/heart/assessment.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace rtaudit::report {

/// One DVH: metrics (with their conventions) and the cumulative curve sampled every
/// `curve_step_gy` (the metrics come from the full-resolution histogram, not from the samples).
[[nodiscard]] nlohmann::ordered_json dvh_to_json(const dose::Dvh& dvh, const dose::StandardMetrics& metrics,
                                                 double curve_step_gy = 0.1);

[[nodiscard]] nlohmann::ordered_json heart_to_json(const heart::HeartAssessment& h);

/// A few lines for the terminal: mean heart dose and its source, proxies, risk, constraint failures.
[[nodiscard]] std::string heart_to_text(const heart::HeartAssessment& h);

/// The conventions every DVH number follows (printed with them).
[[nodiscard]] nlohmann::ordered_json dvh_conventions(const dose::DvhOptions& options);

}  // namespace rtaudit::report
