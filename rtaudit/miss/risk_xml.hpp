#pragma once
// Private to rtaudit_miss_risk: the strict reading of its three cited rule files (imn-risk.xml,
// imaging.xml, guideline-fit.xml). Same conventions as heart/risk_model.cpp: the first problem
// stops the load and is reported as "file:line: what"; unknown attributes and elements are errors,
// because a misspelt one would otherwise be silently ignored and a number would go unchecked.

#include "rtaudit/case/text.hpp"

#include <fmt/format.h>
#include <pugixml.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace rtaudit::miss::detail {

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

inline std::string trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

class RuleXml {
 public:
  explicit RuleXml(std::string path) : path_(std::move(path)) {}

  /// Reads and parses, checks the root's name and format="1"; false with `error` set.
  bool load(const char* root_name) {
    std::ifstream in(path_, std::ios::binary);
    if (!in) return fail_at(0, "cannot be read");
    std::ostringstream ss;
    ss << in.rdbuf();
    text_ = ss.str();
    const pugi::xml_parse_result r = doc.load_buffer(text_.data(), text_.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!r) return fail_at(r.offset, fmt::format("not well-formed XML ({})", r.description()));
    root = doc.document_element();
    if (std::string_view(root.name()) != root_name) return fail(root, fmt::format("the root element is not <{}>", root_name));
    if (std::string_view(root.attribute("format").value()) != "1")
      return fail(root, fmt::format("format=\"1\" expected on <{}>", root_name));
    return true;
  }

  bool fail_at(std::ptrdiff_t offset, const std::string& what) {
    if (error.empty()) error = fmt::format("{}:{}: {}", path_, text_.empty() ? 1 : text::line_of(text_, offset), what);
    return false;
  }
  bool fail(pugi::xml_node n, const std::string& what) { return fail_at(n.offset_debug(), what); }
  [[nodiscard]] int line(pugi::xml_node n) const { return text::line_of(text_, n.offset_debug()); }
  [[nodiscard]] const std::string& path() const { return path_; }

  bool allowed(pugi::xml_node n, std::initializer_list<std::string_view> attrs) {
    for (const pugi::xml_attribute a : n.attributes()) {
      if (std::find(attrs.begin(), attrs.end(), std::string_view(a.name())) == attrs.end())
        return fail(n, fmt::format("unknown attribute '{}' on <{}>", a.name(), n.name()));
    }
    return true;
  }
  /// Every element child must be one of `names`.
  bool children(pugi::xml_node n, std::initializer_list<std::string_view> names) {
    for (const pugi::xml_node c : n.children()) {
      if (c.type() != pugi::node_element) continue;
      if (std::find(names.begin(), names.end(), std::string_view(c.name())) == names.end())
        return fail(c, fmt::format("unexpected element <{}> inside <{}>", c.name(), n.name()));
    }
    return true;
  }
  std::optional<std::string> required(pugi::xml_node n, const char* attr) {
    const pugi::xml_attribute a = n.attribute(attr);
    if (!a || trimmed(a.value()).empty()) {
      fail(n, fmt::format("missing attribute '{}' on <{}>", attr, n.name()));
      return std::nullopt;
    }
    return std::string(a.value());
  }
  /// The attribute's text, empty when absent.
  static std::string optional(pugi::xml_node n, const char* attr) { return n.attribute(attr).value(); }

  /// A number when present (empty when absent); `ok` turns false on a malformed one.
  std::optional<double> number(pugi::xml_node n, const char* attr, bool& ok) {
    const pugi::xml_attribute a = n.attribute(attr);
    if (!a) return std::nullopt;
    const auto v = text::parse_finite_number(a.value());
    if (!v) ok = fail(n, fmt::format("{}=\"{}\" on <{}> is not a number", attr, a.value(), n.name()));
    return v;
  }
  /// A fraction in [0, 1] when present.
  std::optional<double> fraction(pugi::xml_node n, const char* attr, bool& ok) {
    const auto v = number(n, attr, ok);
    if (v && !(*v >= 0 && *v <= 1))
      ok = fail(n, fmt::format("{}=\"{}\" on <{}> is not a fraction in [0, 1] (write 0.32 for 32%)", attr,
                               n.attribute(attr).value(), n.name()));
    return ok ? v : std::nullopt;
  }
  /// A whole number >= 0 when present.
  std::optional<int> count(pugi::xml_node n, const char* attr, bool& ok) {
    const auto v = number(n, attr, ok);
    if (v && !(*v >= 0 && *v < 1e9 && std::floor(*v) == *v)) {
      ok = fail(n, fmt::format("{}=\"{}\" on <{}> is not a whole number >= 0", attr, n.attribute(attr).value(), n.name()));
      return std::nullopt;
    }
    return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
  }

  pugi::xml_document doc;
  pugi::xml_node root;
  std::string error;

 private:
  std::string path_;
  std::string text_;
};

/// "a, b; c" -> {"a", "b", "c"} (commas or semicolons; blanks dropped).
inline std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (const char c : s) {
    if (c == ',' || c == ';') {
      if (auto t = trimmed(cur); !t.empty()) out.push_back(std::move(t));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (auto t = trimmed(cur); !t.empty()) out.push_back(std::move(t));
  return out;
}

}  // namespace rtaudit::miss::detail
