#pragma once
// report.json's case.site (issue 7): institution, department, planner and date of the audited plan,
// which the department QA dashboard groups by. Taken from the RTPLAN the dose came from when there is
// one, else from the audited structure set. Staff and site only: never a patient identifier.

#include "rtaudit/case/dicom_object.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace rtaudit::report {

/// {source, institution, department, planner, date (DICOM DA), month ("YYYY-MM")}; empty values are
/// null; `month` is null unless `date` is a valid YYYYMMDD. `source` says which object and element.
[[nodiscard]] nlohmann::ordered_json site_json(const ObjectInfo& object, const std::string& relative_file);

}  // namespace rtaudit::report
