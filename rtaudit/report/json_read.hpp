#pragma once
// Reading a report.json document defensively (the HTML, CSV and dashboard views): a missing member,
// a null or a value of another type gives the fallback, never an exception. Works for both
// nlohmann::json and nlohmann::ordered_json.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace rtaudit::report::json_read {

/// j[key] when j is an object holding it, else a null value.
template <class Json>
const Json& member(const Json& j, const char* key) {
  static const Json null_value;
  if (!j.is_object()) return null_value;
  const auto it = j.find(key);
  return it == j.end() ? null_value : *it;
}

/// j[key] as a number, when it is one.
template <class Json>
std::optional<double> number(const Json& j, const char* key) {
  const Json& v = member(j, key);
  if (!v.is_number()) return std::nullopt;
  return v.template get<double>();
}

/// j[key] as a non-empty string, else `fallback`.
template <class Json>
std::string text(const Json& j, const char* key, const std::string& fallback = {}) {
  const Json& v = member(j, key);
  return v.is_string() && !v.template get<std::string>().empty() ? v.template get<std::string>() : fallback;
}

}  // namespace rtaudit::report::json_read
