#include "rtaudit/report/site_json.hpp"

#include <fmt/format.h>

#include <cctype>

namespace rtaudit::report {

namespace {

nlohmann::ordered_json text_or_null(const std::string& s) { return s.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s); }

/// "YYYY-MM" of a DICOM DA with a plausible month and day; empty otherwise.
std::string month_of(const std::string& da) {
  if (da.size() != 8) return {};
  for (char c : da) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return {};
  }
  const int month = std::stoi(da.substr(4, 2)), day = std::stoi(da.substr(6, 2));
  if (month < 1 || month > 12 || day < 1 || day > 31) return {};
  return da.substr(0, 4) + "-" + da.substr(4, 2);
}

}  // namespace

nlohmann::ordered_json site_json(const ObjectInfo& o, const std::string& relative_file) {
  const bool own_date = !o.object_date.empty();
  const std::string date = own_date ? o.object_date : o.study_date;
  const char* element = o.kind == ObjectKind::RTPLAN ? "RTPlanDate" : o.kind == ObjectKind::RTSTRUCT ? "StructureSetDate" : "ContentDate";
  const std::string month = month_of(date);
  return {{"source", fmt::format("{} {}", to_string(o.kind), relative_file)},
          {"institution", text_or_null(o.institution)},
          {"department", text_or_null(o.department)},
          {"planner", text_or_null(o.operators)},
          {"date", text_or_null(date)},
          {"date_element", date.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(own_date ? element : "StudyDate")},
          {"month", text_or_null(month)}};
}

}  // namespace rtaudit::report
