#include "rtaudit/dicom/ds_format.hpp"

#include <array>
#include <charconv>
#include <cmath>

namespace rtaudit::dicom {
namespace {

constexpr std::size_t kMaxDs = 16;

std::string tidy(std::string text) {
  // "-0", "-0.0", "-0e+00" and the like: a zero is a zero.
  double parsed = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
  if (ec == std::errc() && ptr == text.data() + text.size() && parsed == 0) return "0";
  return text;
}

}  // namespace

std::optional<std::string> format_ds(double value) {
  if (!std::isfinite(value)) return std::nullopt;
  if (value == 0) return std::string("0");
  std::array<char, 64> buf{};
  auto r = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  if (r.ec == std::errc() && static_cast<std::size_t>(r.ptr - buf.data()) <= kMaxDs) {
    return tidy(std::string(buf.data(), r.ptr));
  }
  // Fewer significant digits until the text fits (general notation switches to an exponent for
  // very small and very large magnitudes, which keeps the most digits in 16 characters).
  for (int digits = 17; digits >= 1; --digits) {
    r = std::to_chars(buf.data(), buf.data() + buf.size(), value, std::chars_format::general, digits);
    if (r.ec == std::errc() && static_cast<std::size_t>(r.ptr - buf.data()) <= kMaxDs) {
      return tidy(std::string(buf.data(), r.ptr));
    }
  }
  return std::nullopt;  // not reached: one significant digit always fits ("-1e-308" is 7)
}

std::optional<std::string> format_ds_list(std::span<const double> values) {
  std::string out;
  out.reserve(values.size() * 8);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto v = format_ds(values[i]);
    if (!v) return std::nullopt;
    if (i) out.push_back('\\');
    out += *v;
  }
  return out;
}

std::string format_is(long long value) { return std::to_string(value); }

}  // namespace rtaudit::dicom
