// Metric names as constraint files and the command line write them (dose/dvh.hpp): parse_metric
// and MetricSpec::unit only; the DVH itself lives elsewhere. Grammar (case-insensitive):
//   Dmean | Dmin | Dmax
//   D<x>cc | D<x>%                       x >= 0; a percentage at most 100
//   V<y>Gy [ % | cc | [%] | [cc] ]       y >= 0; without a unit, `v_unit` decides
// Numbers are plain decimals (digits with at most one point): no sign, no exponent, so "D-5%"
// is rejected rather than read as something nobody meant.
#include "rtaudit/dose/dvh.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <string_view>

namespace rtaudit::dose {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// A plain decimal at the start of `s`: consumes it and returns its value.
std::optional<double> take_number(std::string_view& s) {
  std::size_t n = 0;
  bool point = false;
  while (n < s.size() && (std::isdigit(static_cast<unsigned char>(s[n])) != 0 || (s[n] == '.' && !point))) {
    if (s[n] == '.') point = true;
    ++n;
  }
  const std::string_view num = s.substr(0, n);
  if (num.empty() || num == "." || num.front() == '.' || num.back() == '.') return std::nullopt;
  double v = 0;
  const auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), v);
  if (ec != std::errc() || end != num.data() + num.size() || !std::isfinite(v)) return std::nullopt;
  s.remove_prefix(n);
  return v;
}

// Shortest round-trip form: 20 -> "20", 0.03 -> "0.03".
std::string number_text(double v) { return fmt::format("{}", v); }

}  // namespace

std::string MetricSpec::unit() const {
  switch (kind) {
    case Kind::VolumeAtDoseCc: return "cc";
    case Kind::VolumeAtDosePct: return "%";
    default: return "Gy";
  }
}

std::optional<MetricSpec> parse_metric(const std::string& text, const std::string& v_unit) {
  std::string_view t = text;
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front())) != 0) t.remove_prefix(1);
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back())) != 0) t.remove_suffix(1);
  if (t.size() < 2) return std::nullopt;
  const std::string s = lower(t);
  MetricSpec m;
  if (s == "dmean" || s == "dmin" || s == "dmax") {
    m.kind = s == "dmean" ? MetricSpec::Kind::Mean : s == "dmin" ? MetricSpec::Kind::Min : MetricSpec::Kind::Max;
    m.text = s == "dmean" ? "Dmean" : s == "dmin" ? "Dmin" : "Dmax";
    return m;
  }
  std::string_view rest = std::string_view(s).substr(1);
  const auto value = take_number(rest);
  if (!value) return std::nullopt;
  m.parameter = *value;
  if (s.front() == 'd') {
    if (rest == "cc") {
      m.kind = MetricSpec::Kind::DoseAtVolumeCc;
      m.text = fmt::format("D{}cc", number_text(*value));
    } else if (rest == "%") {
      if (*value > 100) return std::nullopt;  // a share of the volume
      m.kind = MetricSpec::Kind::DoseAtVolumePct;
      m.text = fmt::format("D{}%", number_text(*value));
    } else {
      return std::nullopt;
    }
    return m;
  }
  if (s.front() != 'v' || rest.substr(0, 2) != "gy") return std::nullopt;
  rest.remove_prefix(2);
  std::string unit;
  if (rest.empty()) {
    unit = lower(v_unit);
  } else if (rest == "%" || rest == "[%]") {
    unit = "%";
  } else if (rest == "cc" || rest == "[cc]") {
    unit = "cc";
  } else {
    return std::nullopt;
  }
  if (unit == "%") {
    m.kind = MetricSpec::Kind::VolumeAtDosePct;
  } else if (unit == "cc") {
    m.kind = MetricSpec::Kind::VolumeAtDoseCc;
  } else {
    return std::nullopt;  // v_unit neither "%" nor "cc"
  }
  m.text = fmt::format("V{}Gy[{}]", number_text(*value), unit);
  return m;
}

}  // namespace rtaudit::dose
