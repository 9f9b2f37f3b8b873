#include "rtaudit/dicom/elements.hpp"

#include <dcmtk/dcmdata/dcdict.h>
#include <dcmtk/dcmdata/dcelem.h>
#include <dcmtk/dcmdata/dctag.h>

#include <fmt/format.h>

#include <cctype>
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

}  // namespace rtaudit::dicom
