#include "rtaudit/dicom/elements.hpp"

#include <dcmtk/dcmdata/dcdict.h>
#include <dcmtk/dcmdata/dcelem.h>
#include <dcmtk/dcmdata/dctag.h>

#include <fmt/format.h>

#include <cctype>
#include <cstdint>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

namespace rtaudit::dicom {
namespace {

std::string trim(std::string s) {
  const auto not_space = [](unsigned char c) { return c != ' ' && c != '\0' && c != '\t' && c != '\r' && c != '\n'; };
  while (!s.empty() && !not_space(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t b = 0;
  while (b < s.size() && !not_space(static_cast<unsigned char>(s[b]))) ++b;
  return s.substr(b);
}

// Clinger's fast path: a decimal with at most 15 significant digits and a power-of-ten exponent
// within +-22 converts exactly (correctly rounded) with one multiplication or division. DS values
// written by planning systems almost always qualify; anything else goes to std::from_chars.
bool fast_decimal(const char* b, const char* e, double& out) {
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const char* p = b;
  bool negative = false;
  if (p < e && *p == '-') {
    negative = true;
    ++p;
  }
  std::uint64_t mantissa = 0;
  int digits = 0;
  int exponent = 0;
  bool any = false;
  while (p < e && *p >= '0' && *p <= '9') {
    if (mantissa != 0 || *p != '0') ++digits;
    mantissa = mantissa * 10 + static_cast<std::uint64_t>(*p - '0');
    any = true;
    ++p;
  }
  if (p < e && *p == '.') {
    ++p;
    while (p < e && *p >= '0' && *p <= '9') {
      if (mantissa != 0 || *p != '0') ++digits;
      mantissa = mantissa * 10 + static_cast<std::uint64_t>(*p - '0');
      --exponent;
      any = true;
      ++p;
    }
  }
  if (!any || digits > 15) return false;
  if (p < e && (*p == 'e' || *p == 'E')) {
    ++p;
    bool exp_negative = false;
    if (p < e && (*p == '+' || *p == '-')) exp_negative = *p++ == '-';
    int value = 0;
    bool exp_any = false;
    while (p < e && *p >= '0' && *p <= '9' && value < 1000) {
      value = value * 10 + (*p - '0');
      exp_any = true;
      ++p;
    }
    if (!exp_any) return false;
    exponent += exp_negative ? -value : value;
  }
  if (p != e || exponent < -22 || exponent > 22) return false;
  double v = static_cast<double>(mantissa);
  v = exponent < 0 ? v / kPow10[-exponent] : v * kPow10[exponent];
  out = negative ? -v : v;
  return true;
}

}  // namespace

std::string get_string(DcmItem& item, const DcmTagKey& tag) {
  // Some writers store text elements with VR UN (or OB); DCMTK would render those as hex.
  DcmElement* el = nullptr;
  if (item.findAndGetElement(tag, el).good() && el != nullptr) {
    const DcmEVR vr = el->ident();
    if (vr == EVR_UN || vr == EVR_OB) {
      Uint8* bytes = nullptr;
      if (el->getUint8Array(bytes).bad() || bytes == nullptr) return {};
      return trim(std::string(reinterpret_cast<const char*>(bytes), el->getLength()));
    }
  }
  OFString value;
  if (item.findAndGetOFStringArray(tag, value).bad()) return {};
  return trim(std::string(value.c_str(), value.size()));
}

std::optional<double> get_number(DcmItem& item, const DcmTagKey& tag, unsigned long pos) {
  DcmElement* el = nullptr;
  if (item.findAndGetElement(tag, el).bad() || el == nullptr) return std::nullopt;
  Float64 f = 0;
  if (el->getFloat64(f, pos).good()) return f;
  Sint32 si = 0;
  if (el->getSint32(si, pos).good()) return si;
  Uint16 u16 = 0;
  if (el->getUint16(u16, pos).good()) return u16;
  Uint32 u32 = 0;
  if (el->getUint32(u32, pos).good()) return u32;
  Sint16 s16 = 0;
  if (el->getSint16(s16, pos).good()) return s16;
  // IS and DS are strings: parse them ourselves.
  OFString text;
  if (el->getOFString(text, pos).good()) {
    std::vector<double> v;
    if (parse_decimal_string(text.c_str(), text.size(), v) && v.size() == 1) return v[0];
  }
  return std::nullopt;
}

std::vector<double> get_numbers(DcmItem& item, const DcmTagKey& tag) {
  DcmElement* el = nullptr;
  std::vector<double> out;
  if (item.findAndGetElement(tag, el).bad() || el == nullptr) return out;
  char* raw = nullptr;
  if (el->getString(raw).good() && raw != nullptr) {
    if (!parse_decimal_string(raw, el->getLength(), out)) out.clear();
    return out;
  }
  const unsigned long n = el->getVM();
  for (unsigned long i = 0; i < n; ++i) {
    auto v = get_number(item, tag, i);
    if (!v) return {};
    out.push_back(*v);
  }
  return out;
}

bool parse_decimal_string(const char* text, std::size_t length, std::vector<double>& out) {
  // The stored length may include a trailing pad byte; stop at the first NUL as well.
  const char* p = text;
  const char* end = text + length;
  if (const void* nul = std::memchr(text, '\0', length)) end = static_cast<const char*>(nul);
  if (p == end) return true;
  while (true) {
    const char* sep = static_cast<const char*>(std::memchr(p, '\\', static_cast<std::size_t>(end - p)));
    const char* value_end = sep ? sep : end;
    const char* b = p;
    const char* e = value_end;
    while (b < e && (*b == ' ' || *b == '\t')) ++b;
    while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n')) --e;
    if (b < e && *b == '+') ++b;
    if (b == e) return false;
    double v = 0;
    if (fast_decimal(b, e, v)) {
      out.push_back(v);
      if (!sep) break;
      p = sep + 1;
      continue;
    }
    const auto [ptr, ec] = std::from_chars(b, e, v);
    if (ec == std::errc::result_out_of_range) {
      // Beyond double range: strtod gives +-inf (flagged later as non-finite) or 0 for underflow.
      const std::string copy(b, e);
      v = std::strtod(copy.c_str(), nullptr);
    } else if (ec != std::errc() || ptr != e) {
      return false;
    }
    out.push_back(v);
    if (!sep) break;
    p = sep + 1;
  }
  return true;
}

std::string describe(const DcmTagKey& tag) {
  DcmTag t(tag);
  return fmt::format("{} ({:04x},{:04x})", t.getTagName(), tag.getGroup(), tag.getElement());
}

std::string item_name(const std::string& parent, const DcmTagKey& seq, unsigned long index) {
  const std::string d = describe(seq);
  const auto space = d.find(' ');
  const std::string here = fmt::format("{}[{}]{}", d.substr(0, space), index, d.substr(space));
  return parent.empty() ? here : parent + " > " + here;
}

std::string at(const std::string& where, const DcmTagKey& tag) {
  return where.empty() ? describe(tag) : where + " > " + describe(tag);
}

}  // namespace rtaudit::dicom
