#pragma once
// The value helpers every report.json view shares: rounded numbers (null when not finite or absent)
// and string arrays.

#include <nlohmann/json.hpp>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace rtaudit::report::json_values {

using json = nlohmann::ordered_json;

/// `v` rounded to `decimals`; null when not finite.
inline json num(double v, int decimals = 3) {
  if (!std::isfinite(v)) return nullptr;
  const double p = std::pow(10.0, decimals);
  return std::round(v * p) / p;
}
inline json num(const std::optional<double>& v, int decimals = 3) { return v ? num(*v, decimals) : json(nullptr); }

inline json strings(const std::vector<std::string>& v) {
  json a = json::array();
  for (const auto& s : v) a.push_back(s);
  return a;
}

}  // namespace rtaudit::report::json_values
