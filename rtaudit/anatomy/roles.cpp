#include "rtaudit/anatomy/roles.hpp"

#include "rtaudit/case/text.hpp"

#include <fmt/format.h>
#include <pugixml.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>

namespace rtaudit::anatomy {
namespace {

// The role catalogue: the ids the guideline rules refer to. names.xml maps names onto these.
constexpr std::array kCatalogue = {
    RoleInfo{"external", false, "external contour (body)"},
    RoleInfo{"heart", false, "heart"},
    RoleInfo{"lad", false, "left anterior descending coronary artery"},
    RoleInfo{"left_ventricle", false, "left ventricle of the heart (cardiac constraints, issue 6)"},
    RoleInfo{"lung", true, "lung (left, right, or both lungs)"},
    RoleInfo{"sternum", false, "sternum (manubrium and body, or body alone)"},
    RoleInfo{"manubrium", false, "manubrium sterni"},
    RoleInfo{"rib1", true, "rib 1"},   RoleInfo{"rib2", true, "rib 2"},   RoleInfo{"rib3", true, "rib 3"},
    RoleInfo{"rib4", true, "rib 4"},   RoleInfo{"rib5", true, "rib 5"},   RoleInfo{"rib6", true, "rib 6"},
    RoleInfo{"rib7", true, "rib 7"},   RoleInfo{"rib8", true, "rib 8"},   RoleInfo{"rib9", true, "rib 9"},
    RoleInfo{"rib10", true, "rib 10"}, RoleInfo{"rib11", true, "rib 11"}, RoleInfo{"rib12", true, "rib 12"},
    RoleInfo{"im_vein", true, "internal mammary (internal thoracic) vein"},
    RoleInfo{"im_artery", true, "internal mammary (internal thoracic) artery"},
    RoleInfo{"v_subclavian", true, "subclavian vein"},
    RoleInfo{"a_subclavian", true, "subclavian artery"},
    RoleInfo{"v_brachioceph", true, "brachiocephalic vein"},
    RoleInfo{"spinal_cord", false, "spinal cord"},
    RoleInfo{"esophagus", false, "oesophagus"},
    RoleInfo{"breast", true, "breast as an organ (the contralateral breast)"},
    RoleInfo{"ctvn_imn", true, "nodal CTV of the internal mammary chain"},
    RoleInfo{"ctvn_l4", true, "nodal CTV level 4 (supraclavicular)"},
    RoleInfo{"ctvn_l1", true, "nodal CTV axillary level 1"},
    RoleInfo{"ctvn_l2", true, "nodal CTV axillary level 2"},
    RoleInfo{"ctvn_l3", true, "nodal CTV axillary level 3 (infraclavicular)"},
    RoleInfo{"ctvn_l1_3", true, "nodal CTV axillary levels 1-3 together"},
    RoleInfo{"ctv_breast", true, "CTV of the (whole) breast"},
    RoleInfo{"ctv_chestwall", true, "CTV of the chest wall"},
    RoleInfo{"tumour_bed", true, "tumour bed (boost CTV/GTV)"},
    RoleInfo{"ptv_breast", true, "PTV of the breast"},
    RoleInfo{"ptv_chestwall", true, "PTV of the chest wall"},
    RoleInfo{"ptvn", true, "nodal PTV, all levels together"},
    RoleInfo{"ptvn_imn", true, "PTV of the internal mammary chain"},
    RoleInfo{"ptvn_l4", true, "PTV of level 4 (supraclavicular)"},
    RoleInfo{"ptvn_l1_3", true, "PTV of axillary levels 1-3"},
    RoleInfo{"ptv_all", true, "combined PTV (breast or chest wall plus nodes)"},
};

using text::line_of;

std::string_view trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t' || v.front() == '\r' || v.front() == '\n')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r' || v.back() == '\n')) v.remove_suffix(1);
  return v;
}

std::string lower(std::string_view v) {
  std::string out(v);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string upper(std::string_view v) {
  std::string out(v);
  for (auto& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::vector<std::string> split_ws(std::string_view v) {
  std::vector<std::string> out;
  std::string cur;
  for (const char c : v) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return c >= 'a' && c <= 'z'; }

// Latin-1 supplement (U+00C0..U+00FF) folded to ASCII; "" = separator.
constexpr std::array<std::string_view, 64> kLatin1 = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",  // C0-CF
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",  // D0-DF
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",  // E0-EF
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y"};  // F0-FF

// Step 1a: fold accents and case; every other character becomes a space.
std::string fold(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto b = static_cast<unsigned char>(name[i]);
    if (b < 0x80) {
      const char c = static_cast<char>(b >= 'A' && b <= 'Z' ? b - 'A' + 'a' : b);
      out += (is_alpha(c) || is_digit(c)) ? c : ' ';
      continue;
    }
    std::size_t len = 1;
    if ((b & 0xE0) == 0xC0) len = 2;
    else if ((b & 0xF0) == 0xE0) len = 3;
    else if ((b & 0xF8) == 0xF0) len = 4;
    if (len == 2 && i + 1 < name.size()) {
      const auto b2 = static_cast<unsigned char>(name[i + 1]);
      const unsigned cp = ((b & 0x1Fu) << 6) | (b2 & 0x3Fu);
      if (cp >= 0xC0 && cp <= 0xFF) {
        const std::string_view f = kLatin1[cp - 0xC0];
        out += f.empty() ? std::string_view(" ") : f;
      } else if (cp == 0x152 || cp == 0x153) {
        out += "oe";
      } else {
        out += ' ';
      }
    } else {
      out += ' ';
    }
    i += len - 1;
  }
  return out;
}

bool is_ordinal_token(std::string_view t) {
  std::size_t d = 0;
  while (d < t.size() && is_digit(t[d])) ++d;
  if (d == 0 || d == t.size()) return false;
  const std::string_view suffix = t.substr(d);
  return suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th" || suffix == "e" ||
         suffix == "er" || suffix == "ere";
}

std::vector<std::string> tokenize(const std::vector<std::string>& atoms, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& raw : split_ws(fold(name))) {
    if (std::find(atoms.begin(), atoms.end(), raw) != atoms.end() || is_ordinal_token(raw)) {
      out.push_back(raw);
      continue;
    }
    std::string cur;
    for (const char c : raw) {
      if (!cur.empty() && is_digit(c) != is_digit(cur.back())) {
        out.push_back(std::move(cur));
        cur.clear();
      }
      cur += c;
    }
    if (!cur.empty()) out.push_back(std::move(cur));
  }
  return out;
}

std::optional<int> number_value(std::string_view t) {
  static constexpr std::array<std::string_view, 12> kRoman = {"i", "ii", "iii", "iv", "v", "vi",
                                                              "vii", "viii", "ix", "x", "xi", "xii"};
  static constexpr std::array<std::string_view, 12> kWords = {
      "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
      "eleventh", "twelfth"};
  static constexpr std::array<std::string_view, 12> kCardinal = {
      "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"};
  for (std::size_t i = 0; i < 12; ++i) {
    if (t == kRoman[i] || t == kWords[i] || t == kCardinal[i]) return static_cast<int>(i + 1);
  }
  std::size_t d = 0;
  while (d < t.size() && is_digit(t[d])) ++d;
  if (d == 0 || d > 3) return std::nullopt;
  if (d < t.size() && !is_ordinal_token(t)) return std::nullopt;
  int v = 0;
  std::from_chars(t.data(), t.data() + d, v);
  return v;
}

bool position_accepts(const PatternPosition& p, std::string_view token) {
  if (p.number > 0) return number_value(token) == p.number;
  return std::find(p.tokens.begin(), p.tokens.end(), token) != p.tokens.end();
}

bool match_positions(std::span<const PatternPosition> pos, std::span<const std::string> toks) {
  if (pos.empty()) return toks.empty();
  if (!toks.empty() && position_accepts(pos.front(), toks.front()) &&
      match_positions(pos.subspan(1), toks.subspan(1))) {
    return true;
  }
  return pos.front().optional && match_positions(pos.subspan(1), toks);
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

std::string tg263_name(const RoleNames& r, Side side) {
  std::string t = r.tg263;
  auto replace = [&t](std::string_view what, std::string_view with) {
    for (auto at = t.find(what); at != std::string::npos; at = t.find(what, at + with.size())) {
      t.replace(at, what.size(), with);
    }
  };
  replace("{nn}", fmt::format("{:02d}", r.number));
  replace("{n}", fmt::format("{}", r.number));
  if (t.find("{S}") == std::string::npos) return side == Side::None ? t : std::string();
  if (side == Side::Left) replace("{S}", "L");
  else if (side == Side::Right) replace("{S}", "R");
  else if (side == Side::Unknown) {
    replace("_{S}", "");
    replace("{S}", "");
  } else {
    return {};
  }
  return t;
}

bool type_in(const std::vector<std::string>& types, const std::string& itype) {
  return std::find(types.begin(), types.end(), itype.empty() ? std::string("BLANK") : itype) != types.end();
}

// ---------------------------------------------------------------------------------------------------
// Loader

struct Loader {
  std::string_view xml;
  std::string file;
  std::map<std::string, std::vector<std::string>> classes;
  std::vector<std::string> atoms;
  std::optional<NameTableError> error;

  bool fail(const pugi::xml_node& at, std::string expected) {
    if (!error) error = NameTableError{file, line_of(xml, at ? at.offset_debug() : 0), std::move(expected)};
    return false;
  }

  bool check_attributes(const pugi::xml_node& n, std::initializer_list<std::string_view> allowed) {
    for (const auto& a : n.attributes()) {
      if (std::find(allowed.begin(), allowed.end(), std::string_view(a.name())) == allowed.end()) {
        std::vector<std::string> names;
        for (const auto x : allowed) names.emplace_back(x);
        return fail(n, fmt::format("only the attributes {} on <{}>, not '{}'",
                                   names.empty() ? std::string("(none)") : join(names, ", "), n.name(), a.name()));
      }
    }
    return true;
  }

  // A literal token must be one the tokenizer can produce, or it would never match.
  bool valid_literal(const std::string& t) const {
    if (t.empty()) return false;
    for (const char c : t) {
      if (!is_alpha(c) && !is_digit(c)) return false;
    }
    const auto again = tokenize(atoms, t);
    return again.size() == 1 && again.front() == t;
  }

  std::optional<std::vector<PatternPosition>> parse_pattern(const pugi::xml_node& at, std::string_view text,
                                                            int number) {
    std::vector<PatternPosition> out;
    const auto words = split_ws(text);
    if (words.empty()) {
      fail(at, "a pattern of at least one token");
      return std::nullopt;
    }
    for (auto w : words) {
      PatternPosition p;
      if (w.size() > 1 && w.back() == '?') {
        p.optional = true;
        w.pop_back();
      }
      std::string_view rest = w;
      while (true) {
        const auto bar = rest.find('|');
        const std::string alt(rest.substr(0, bar));
        if (alt == "{n}") {
          if (number == 0) {
            fail(at, "'{n}' only in a numbered role (one with an n=\"a-b\" attribute)");
            return std::nullopt;
          }
          p.number = number;
        } else if (!alt.empty() && alt.front() == '@') {
          const auto it = classes.find(alt.substr(1));
          if (it == classes.end()) {
            fail(at, fmt::format("a token class defined in <classes>, not '{}'", alt));
            return std::nullopt;
          }
          p.tokens.insert(p.tokens.end(), it->second.begin(), it->second.end());
        } else if (valid_literal(alt)) {
          p.tokens.push_back(alt);
        } else {
          fail(at, fmt::format("a lowercase token of letters or digits that the tokenizer keeps whole "
                               "(letters and digits are split unless listed in <atoms>), not '{}'", alt));
          return std::nullopt;
        }
        if (bar == std::string_view::npos) break;
        rest.remove_prefix(bar + 1);
      }
      if (p.number > 0 && !p.tokens.empty()) {
        fail(at, "'{n}' alone in its position");
        return std::nullopt;
      }
      out.push_back(std::move(p));
    }
    if (std::all_of(out.begin(), out.end(), [](const PatternPosition& p) { return p.optional; })) {
      fail(at, "a pattern with at least one position that is not optional");
      return std::nullopt;
    }
    return out;
  }

  std::vector<std::string> types_of(const pugi::xml_node& n) {
    std::vector<std::string> out;
    for (const auto& t : split_ws(n.attribute("types").as_string())) out.push_back(upper(t));
    return out;
  }

  bool parse_role(const pugi::xml_node& n, NameTable& table, std::set<std::string>& seen) {
    if (!check_attributes(n, {"id", "n", "tg263", "types"})) return false;
    const std::string id = n.attribute("id").as_string();
    if (id.empty()) return fail(n, "an id attribute on <role>");
    const std::string tg263 = n.attribute("tg263").as_string();
    if (tg263.empty()) return fail(n, fmt::format("a tg263 attribute on <role id=\"{}\">", id));
    int first = 0;
    int last = 0;
    if (const auto range = std::string_view(n.attribute("n").as_string()); !range.empty()) {
      const auto dash = range.find('-');
      const auto a = std::from_chars(range.data(), range.data() + (dash == std::string_view::npos ? range.size() : dash), first);
      const auto b = dash == std::string_view::npos ? a : std::from_chars(range.data() + dash + 1, range.data() + range.size(), last);
      if (dash == std::string_view::npos) last = first;
      if (a.ec != std::errc() || b.ec != std::errc() || first < 1 || last < first || last > 99 ||
          id.find("{n}") == std::string::npos) {
        return fail(n, "n=\"first-last\" (1 <= first <= last) on a role whose id contains {n}");
      }
    } else if (id.find("{n}") != std::string::npos) {
      return fail(n, fmt::format("an n=\"first-last\" attribute on the numbered <role id=\"{}\">", id));
    }
    const std::vector<std::string> types = types_of(n);
    for (int k = first; k <= last; ++k) {
      RoleNames r;
      r.id = id;
      if (k > 0) r.id.replace(r.id.find("{n}"), 3, std::to_string(k));
      r.number = k;
      const RoleInfo* info = find_role(r.id);
      if (info == nullptr) {
        std::vector<std::string> ids;
        for (const auto& c : kCatalogue) ids.emplace_back(c.id);
        return fail(n, fmt::format("a role id from the catalogue ({}), not '{}'", join(ids, ", "), r.id));
      }
      if (!seen.insert(r.id).second) return fail(n, fmt::format("each role once; '{}' is defined twice", r.id));
      if (info->sided != (tg263.find("{S}") != std::string::npos)) {
        return fail(n, fmt::format("a tg263 name {} '{{S}}' for the {} role '{}'", info->sided ? "with" : "without",
                                   info->sided ? "sided" : "unsided", r.id));
      }
      r.tg263 = tg263;
      r.types = types;
      r.line = line_of(xml, n.offset_debug());
      for (const auto& c : n.children()) {
        if (c.type() != pugi::node_element) continue;
        if (std::string_view(c.name()) != "pattern") {
          return fail(c, fmt::format("only <pattern> in <role id=\"{}\">, not <{}>", id, c.name()));
        }
        if (!check_attributes(c, {"side", "types"})) return false;
        NamePattern p;
        p.text = std::string(trim(c.text().as_string()));
        p.line = line_of(xml, c.offset_debug());
        p.types = types_of(c);
        if (const char* s = c.attribute("side").as_string(); *s != '\0') {
          const auto side = parse_side(s);
          if (!side || *side == Side::None || *side == Side::Unknown || !info->sided) {
            return fail(c, fmt::format("side=\"left|right|both|ipsilateral|contralateral\" on a pattern of a sided "
                                       "role, not '{}'", s));
          }
          p.side = *side;
        }
        auto positions = parse_pattern(c, p.text, r.number);
        if (!positions) return false;
        p.positions = std::move(*positions);
        r.patterns.push_back(std::move(p));
      }
      if (r.patterns.empty()) return fail(n, fmt::format("at least one <pattern> in <role id=\"{}\">", id));
      table.roles.push_back(std::move(r));
    }
    return true;
  }
};

}  // namespace

// ---------------------------------------------------------------------------------------------------

std::string_view to_string(Side s) {
  switch (s) {
    case Side::None: return "none";
    case Side::Unknown: return "unknown";
    case Side::Left: return "left";
    case Side::Right: return "right";
    case Side::Both: return "both";
    case Side::Ipsilateral: return "ipsilateral";
    case Side::Contralateral: return "contralateral";
  }
  return "unknown";
}

std::optional<Side> parse_side(std::string_view text) {
  const std::string t = lower(trim(text));
  if (t == "left" || t == "l" || t == "lt") return Side::Left;
  if (t == "right" || t == "r" || t == "rt") return Side::Right;
  if (t == "both" || t == "bilateral") return Side::Both;
  if (t == "ipsi" || t == "ipsilateral") return Side::Ipsilateral;
  if (t == "contra" || t == "contralateral") return Side::Contralateral;
  if (t == "unknown") return Side::Unknown;
  if (t == "none") return Side::None;
  return std::nullopt;
}

Side resolve_relative_side(Side s, Side treated) {
  if (treated != Side::Left && treated != Side::Right) return s;
  const Side other = treated == Side::Left ? Side::Right : Side::Left;
  if (s == Side::Ipsilateral) return treated;
  if (s == Side::Contralateral) return other;
  return s;
}

std::span<const RoleInfo> role_catalogue() { return kCatalogue; }

const RoleInfo* find_role(std::string_view id) {
  for (const auto& r : kCatalogue) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

std::string_view to_string(MatchKind k) {
  switch (k) {
    case MatchKind::NoMatch: return "no match";
    case MatchKind::Excluded: return "excluded";
    case MatchKind::Pattern: return "pattern";
    case MatchKind::Exact: return "exact TG-263";
    case MatchKind::Override: return "override";
  }
  return "unknown";
}

std::string_view to_string(Confidence c) {
  switch (c) {
    case Confidence::None: return "none";
    case Confidence::Low: return "low";
    case Confidence::Medium: return "medium";
    case Confidence::High: return "high";
  }
  return "none";
}

std::string NameTableError::message() const { return fmt::format("{}:{}: expected {}", file, line, expected); }

NameTableLoad parse_name_table(std::string_view xml, std::string file) {
  NameTableLoad out;
  Loader ld{xml, file, {}, {}, std::nullopt};
  auto failed = [&] {
    out.error = ld.error;
    return out;
  };

  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default);
  if (!parsed) {
    out.error = NameTableError{file, line_of(xml, parsed.offset), fmt::format("well-formed XML ({})", parsed.description())};
    return out;
  }
  const pugi::xml_node root = doc.child("names");
  if (!root) {
    ld.fail(doc.first_child(), "the root element <names>");
    return failed();
  }
  if (!ld.check_attributes(root, {"version"})) return failed();

  NameTable table;
  table.file = file;
  table.version = root.attribute("version").as_string();

  // First the vocabulary (atoms, classes) that patterns depend on, wherever it is in the file.
  for (const auto& n : root.children()) {
    const std::string_view name = n.name();
    if (name == "atoms") {
      if (!ld.check_attributes(n, {"tokens"})) return failed();
      for (const auto& t : split_ws(n.attribute("tokens").as_string())) ld.atoms.push_back(lower(t));
    } else if (name == "classes") {
      for (const auto& c : n.children()) {
        if (c.type() != pugi::node_element) continue;
        if (std::string_view(c.name()) != "class" || !ld.check_attributes(c, {"name", "tokens"})) {
          ld.fail(c, fmt::format("<class name=\"...\" tokens=\"...\"/> in <classes>, not <{}>", c.name()));
          return failed();
        }
        const std::string cname = c.attribute("name").as_string();
        const auto tokens = split_ws(c.attribute("tokens").as_string());
        if (cname.empty() || tokens.empty()) {
          ld.fail(c, "a name and at least one token on <class>");
          return failed();
        }
        if (ld.classes.count(cname)) {
          ld.fail(c, fmt::format("each class once; '{}' is defined twice", cname));
          return failed();
        }
        ld.classes[cname] = tokens;
      }
    }
  }
  table.atoms = ld.atoms;
  for (const auto& [cname, tokens] : ld.classes) {
    for (const auto& t : tokens) {
      if (!ld.valid_literal(t)) {
        const auto node = root.child("classes").find_child_by_attribute("class", "name", cname.c_str());
        ld.fail(node, fmt::format("lowercase tokens of letters or digits that the tokenizer keeps whole in class "
                                  "'{}', not '{}'", cname, t));
        return failed();
      }
    }
  }

  std::set<std::string> seen;
  for (const auto& n : root.children()) {
    if (n.type() != pugi::node_element) continue;
    const std::string_view name = n.name();
    if (name == "atoms" || name == "classes") continue;
    if (name == "sides") {
      for (const auto& s : n.children()) {
        if (s.type() != pugi::node_element) continue;
        if (std::string_view(s.name()) != "side" || !ld.check_attributes(s, {"value", "tokens"})) {
          ld.fail(s, "<side value=\"...\" tokens=\"...\"/> in <sides>");
          return failed();
        }
        const auto side = parse_side(s.attribute("value").as_string());
        if (!side || *side == Side::None || *side == Side::Unknown) {
          ld.fail(s, "value=\"left|right|both|ipsilateral|contralateral\" on <side>");
          return failed();
        }
        for (const auto& t : split_ws(s.attribute("tokens").as_string())) {
          if (!ld.valid_literal(t)) {
            ld.fail(s, fmt::format("side tokens of lowercase letters or digits, not '{}'", t));
            return failed();
          }
          table.side_markers.push_back(SideMarker{t, *side});
        }
      }
    } else if (name == "qualifiers") {
      for (const auto& q : n.children()) {
        if (q.type() != pugi::node_element) continue;
        const std::string_view qn = q.name();
        if (qn == "derive") {
          if (!ld.check_attributes(q, {"token", "derivation", "takes_number"})) return failed();
          Qualifier d;
          d.token = q.attribute("token").as_string();
          d.kind = QualifierKind::Derive;
          d.derivation = q.attribute("derivation").as_string();
          d.takes_number = q.attribute("takes_number").as_bool(false);
          if (!ld.valid_literal(d.token) || d.derivation.empty()) {
            ld.fail(q, "<derive token=\"...\" derivation=\"...\"/> with a lowercase token");
            return failed();
          }
          d.reason = fmt::format("derived structure ('{}')", d.token);
          table.qualifiers.push_back(std::move(d));
        } else if (qn == "exclude" || qn == "exclude_leading") {
          if (!ld.check_attributes(q, {"tokens", "reason"})) return failed();
          const auto tokens = split_ws(q.attribute("tokens").as_string());
          const std::string reason = q.attribute("reason").as_string();
          if (tokens.empty() || reason.empty()) {
            ld.fail(q, fmt::format("tokens and a reason on <{}>", qn));
            return failed();
          }
          for (const auto& t : tokens) {
            if (!ld.valid_literal(t)) {
              ld.fail(q, fmt::format("lowercase tokens of letters or digits, not '{}'", t));
              return failed();
            }
            table.qualifiers.push_back(Qualifier{t, qn == "exclude" ? QualifierKind::Exclude : QualifierKind::ExcludeLeading,
                                                 "", false, reason});
          }
        } else {
          ld.fail(q, fmt::format("<derive>, <exclude> or <exclude_leading> in <qualifiers>, not <{}>", qn));
          return failed();
        }
      }
    } else if (name == "role") {
      if (!ld.parse_role(n, table, seen)) return failed();
    } else if (name == "reject") {
      if (!ld.check_attributes(n, {"reason"})) return failed();
      RejectedName r;
      r.text = std::string(trim(n.text().as_string()));
      r.reason = n.attribute("reason").as_string();
      r.line = line_of(xml, n.offset_debug());
      if (r.reason.empty()) {
        ld.fail(n, "a reason attribute on <reject>");
        return failed();
      }
      auto positions = ld.parse_pattern(n, r.text, 0);
      if (!positions) return failed();
      r.positions = std::move(*positions);
      table.rejected.push_back(std::move(r));
    } else {
      ld.fail(n, fmt::format("one of <atoms>, <sides>, <qualifiers>, <classes>, <role>, <reject> in <names>, not <{}>", name));
      return failed();
    }
  }
  if (table.roles.empty()) {
    ld.fail(root, "at least one <role> in <names>");
    return failed();
  }
  out.table = std::move(table);
  return out;
}

NameTableLoad load_name_table(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    NameTableLoad out;
    out.error = NameTableError{path.string(), 0, "a readable file"};
    return out;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_name_table(ss.str(), path.string());
}

std::vector<std::string> name_tokens(const NameTable& table, std::string_view roi_name) {
  return tokenize(table.atoms, roi_name);
}

// ---------------------------------------------------------------------------------------------------
// Matching

namespace {

struct Hit {
  const RoleNames* role = nullptr;
  const NamePattern* pattern = nullptr;
};

struct Hits {
  std::vector<Hit> hits;  // at most one per role (its first matching pattern)
  std::string type_blocked;
};

Hits find_hits(const NameTable& table, std::span<const std::string> toks, const std::string& itype) {
  Hits out;
  for (const auto& r : table.roles) {
    for (const auto& p : r.patterns) {
      if (!match_positions(p.positions, toks)) continue;
      if (!p.types.empty() && !type_in(p.types, itype)) {
        out.type_blocked += fmt::format("{}'{}' would be {} (names.xml:{}) only with interpreted type {}, not '{}'",
                                        out.type_blocked.empty() ? "" : "; ",
                                        join(std::vector<std::string>(toks.begin(), toks.end()), " "), r.id, p.line,
                                        join(p.types, "/"), itype.empty() ? "BLANK" : itype);
        continue;
      }
      out.hits.push_back(Hit{&r, &p});
      break;
    }
  }
  return out;
}

// Steps 3-4 on tokens already free of qualifiers.
RoleMatch match_tokens(const NameTable& table, std::string_view roi_name, const std::vector<std::string>& toks,
                       const std::string& itype) {
  RoleMatch m;
  std::vector<std::string> markers;
  std::set<Side> sides;
  Hits hits = find_hits(table, toks, itype);  // pass A: the tokens as they are
  if (hits.hits.empty()) {                    // pass B: side markers taken out
    std::vector<std::string> rest;
    for (const auto& t : toks) {
      const auto it = std::find_if(table.side_markers.begin(), table.side_markers.end(),
                                   [&](const SideMarker& s) { return s.token == t; });
      if (it == table.side_markers.end()) {
        rest.push_back(t);
      } else {
        markers.push_back(t);
        sides.insert(it->side);
      }
    }
    if (!markers.empty() && !rest.empty()) {
      Hits b = find_hits(table, rest, itype);
      if (!b.hits.empty() || hits.type_blocked.empty()) hits = std::move(b);
    }
  }
  const std::string tokens_text = join(toks, " ");
  if (hits.hits.size() > 1) {
    std::vector<std::string> roles;
    for (const auto& h : hits.hits) roles.push_back(fmt::format("{} (names.xml:{})", h.role->id, h.pattern->line));
    m.reason = fmt::format("'{}' matches several roles: {}; not guessed", tokens_text, join(roles, ", "));
    return m;
  }
  if (hits.hits.empty()) {
    for (const auto& r : table.rejected) {
      if (match_positions(r.positions, toks)) {
        m.reason = fmt::format("'{}' is known and deliberately has no role (names.xml:{}): {}", tokens_text, r.line, r.reason);
        return m;
      }
    }
    m.reason = hits.type_blocked.empty() ? fmt::format("no pattern matches the tokens '{}'", tokens_text)
                                         : hits.type_blocked;
    return m;
  }
  const Hit h = hits.hits.front();
  const RoleInfo* info = find_role(h.role->id);
  const bool sided = info != nullptr && info->sided;
  if (sides.size() > 1) {
    m.reason = fmt::format("reads as {} but its side markers disagree ({})", h.role->id, join(markers, ", "));
    return m;
  }
  Side side = sides.empty() ? Side::Unknown : *sides.begin();
  if (h.pattern->side != Side::Unknown) {
    if (side != Side::Unknown && side != h.pattern->side) {
      m.reason = fmt::format("reads as {} on the {} side (names.xml:{}) but its marker '{}' says {}", h.role->id,
                             to_string(h.pattern->side), h.pattern->line, join(markers, ", "), to_string(side));
      return m;
    }
    side = h.pattern->side;
  }
  if (!sided) {
    if (side != Side::Unknown) {
      m.reason = fmt::format("reads as {}, which has no side, but carries the side marker '{}'", h.role->id,
                             join(markers, ", "));
      return m;
    }
    side = Side::None;
  }
  m.role = h.role->id;
  m.side = side;
  m.pattern = h.pattern->text;
  m.pattern_line = h.pattern->line;
  m.type_agrees = itype.empty() || h.role->types.empty() || type_in(h.role->types, itype);
  const std::string exact = tg263_name(*h.role, side);
  if (!exact.empty() && exact == trim(roi_name)) {
    m.kind = MatchKind::Exact;
    m.confidence = Confidence::High;
    m.reason = fmt::format("the exact TG-263 name of {} ({})", m.role, to_string(side));
  } else {
    m.kind = MatchKind::Pattern;
    m.confidence = m.type_agrees ? Confidence::Medium : Confidence::Low;
    m.reason = fmt::format("tokens '{}' match pattern '{}' (names.xml:{}){}{}", tokens_text, m.pattern, m.pattern_line,
                           markers.empty() ? std::string() : fmt::format(", side from '{}'", join(markers, ", ")),
                           m.type_agrees ? std::string()
                                         : fmt::format("; interpreted type '{}' is not the expected {}", itype,
                                                       join(h.role->types, "/")));
  }
  return m;
}

}  // namespace

RoleMatch match_name(const NameTable& table, std::string_view roi_name, std::string_view interpreted_type) {
  const std::string itype = upper(trim(interpreted_type));
  auto toks = tokenize(table.atoms, roi_name);
  if (toks.empty()) {
    RoleMatch m;
    m.reason = "the name has no letters or digits";
    return m;
  }
  // Step 2: qualifiers.
  std::vector<std::string> core;
  std::string excluded_by;
  std::string derivation;
  std::string derived_token;
  for (std::size_t i = 0; i < toks.size(); ++i) {
    const Qualifier* q = nullptr;
    for (const auto& c : table.qualifiers) {
      if (c.token == toks[i] && (c.kind != QualifierKind::ExcludeLeading || i == 0)) {
        q = &c;
        break;
      }
    }
    if (q == nullptr) {
      core.push_back(toks[i]);
    } else if (q->kind == QualifierKind::Derive) {
      if (derivation.empty()) {
        derivation = q->derivation;
        derived_token = q->token;
      }
      if (q->takes_number && i + 1 < toks.size() && is_digit(toks[i + 1].front())) ++i;
    } else if (excluded_by.empty()) {
      excluded_by = fmt::format("{} ('{}')", q->reason, q->token);
    }
  }
  if (!excluded_by.empty()) {
    RoleMatch m;
    m.kind = MatchKind::Excluded;
    m.reason = excluded_by;
    if (!core.empty()) {
      const RoleMatch rest = match_tokens(table, roi_name, core, itype);
      if (rest.has_role()) m.reason += fmt::format("; the rest reads as {}, deliberately not used", rest.role);
    }
    return m;
  }
  if (core.empty()) {
    RoleMatch m;
    m.reason = fmt::format("only the qualifier '{}', no structure name", derived_token);
    return m;
  }
  RoleMatch m = match_tokens(table, roi_name, core, itype);
  if (m.has_role() && !derivation.empty()) {
    m.derivation = derivation;
    m.kind = MatchKind::Pattern;
    m.confidence = m.type_agrees ? Confidence::Medium : Confidence::Low;
    m.reason = fmt::format("derived structure ('{}') of {}: {}", derived_token, m.role, m.reason);
  }
  return m;
}

// ---------------------------------------------------------------------------------------------------
// Overrides

OverrideParse parse_role_override(std::string_view text) {
  OverrideParse out;
  const std::string_view t = trim(text);
  const auto eq = t.rfind('=');
  if (eq == std::string_view::npos) {
    out.error = fmt::format("expected NAME=ROLE[:SIDE], got '{}' (no '=')", t);
    return out;
  }
  const std::string_view name = trim(t.substr(0, eq));
  const std::string_view spec = trim(t.substr(eq + 1));
  if (name.empty()) {
    out.error = fmt::format("expected NAME=ROLE[:SIDE], got '{}' (no ROI name before '=')", t);
    return out;
  }
  if (spec.empty()) {
    out.error = fmt::format("expected NAME=ROLE[:SIDE], got '{}' (no role after '=')", t);
    return out;
  }
  const auto colon = spec.find(':');
  const std::string role = lower(trim(spec.substr(0, colon)));
  const std::string_view side_text = colon == std::string_view::npos ? std::string_view() : trim(spec.substr(colon + 1));
  RoleOverride o;
  o.roi = std::string(name);
  o.role = role;
  o.origin = "command line";
  if (role == "none") {
    if (!side_text.empty()) {
      out.error = fmt::format("'{}': role 'none' takes no side", t);
      return out;
    }
    out.value = std::move(o);
    return out;
  }
  const RoleInfo* info = find_role(role);
  if (info == nullptr) {
    std::vector<std::string> ids;
    for (const auto& c : kCatalogue) ids.emplace_back(c.id);
    out.error = fmt::format("'{}': unknown role '{}'; expected 'none' or one of {}", t, role, join(ids, ", "));
    return out;
  }
  if (colon != std::string_view::npos) {
    const auto side = parse_side(side_text);
    if (!side || *side == Side::None) {
      out.error = fmt::format("'{}': unknown side '{}'; expected left, right, both, ipsi, contra or unknown", t, side_text);
      return out;
    }
    if (!info->sided) {
      out.error = fmt::format("'{}': role '{}' has no side", t, role);
      return out;
    }
    o.side = *side;
  } else {
    o.side = info->sided ? Side::Unknown : Side::None;
  }
  out.value = std::move(o);
  return out;
}

OverridesLoad parse_overrides_text(std::string_view text, std::string file) {
  OverridesLoad out;
  int line = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto nl = text.find('\n', start);
    const std::string_view raw = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    ++line;
    const std::string_view l = trim(raw);
    const bool comment = !l.empty() && l.front() == '#' && (l.size() == 1 || !is_digit(l[1]));
    if (!l.empty() && !comment) {
      OverrideParse p = parse_role_override(l);
      if (p.value) {
        p.value->origin = fmt::format("{}:{}", file, line);
        out.overrides.entries.push_back(std::move(*p.value));
      } else {
        out.errors.push_back(fmt::format("{}:{}: {}", file, line, p.error));
      }
    }
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return out;
}

OverridesLoad load_overrides_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    OverridesLoad out;
    out.errors.push_back(fmt::format("{}: cannot read the override file", path.string()));
    return out;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_overrides_text(ss.str(), path.string());
}

// ---------------------------------------------------------------------------------------------------
// Assignment

std::string RoleKey::to_string() const {
  std::string s = role;
  if (side != Side::None) s += fmt::format(":{}", anatomy::to_string(side));
  if (!derivation.empty()) s += "/" + derivation;
  return s;
}

const RoleBinding* RoleAssignment::find(std::string_view role, Side side, std::string_view derivation) const {
  for (const auto& b : bindings) {
    if (b.key.role == role && b.key.side == side && b.key.derivation == derivation) return &b;
  }
  return nullptr;
}

namespace {

struct Candidate {
  int roi = 0;
  std::string name;
  std::string itype;
  RoleMatch match;
};

std::string roi_list(const std::vector<const Candidate*>& c) {
  std::vector<std::string> parts;
  for (const auto* x : c) parts.push_back(fmt::format("#{} '{}'", x->roi, x->name));
  return join(parts, ", ");
}

}  // namespace

RoleAssignment assign_roles(const NameTable& table, const StructureSet& structures, const Overrides& overrides) {
  RoleAssignment out;

  // Overrides: which ROI each names.
  std::map<int, const RoleOverride*> by_roi;
  for (const auto& o : overrides.entries) {
    std::vector<int> hits;
    if (o.roi.size() > 1 && o.roi.front() == '#' &&
        std::all_of(o.roi.begin() + 1, o.roi.end(), [](char c) { return is_digit(c); })) {
      int number = 0;
      std::from_chars(o.roi.data() + 1, o.roi.data() + o.roi.size(), number);
      if (structures.rois.count(number)) hits.push_back(number);
    } else {
      for (const auto& [number, roi] : structures.rois) {
        if (trim(roi.name) == o.roi) hits.push_back(number);
      }
      if (hits.empty()) {
        for (const auto& [number, roi] : structures.rois) {
          if (lower(trim(roi.name)) == lower(o.roi)) hits.push_back(number);
        }
      }
    }
    if (hits.empty()) out.problems.push_back(fmt::format("override '{}' ({}) names no ROI", o.roi, o.origin));
    for (const int h : hits) {
      if (by_roi.count(h)) {
        out.problems.push_back(fmt::format("ROI #{} has several overrides; the last ({}) is used", h, o.origin));
      }
      by_roi[h] = &o;
    }
  }

  auto role_types = [&table](const std::string& id) -> const std::vector<std::string>* {
    for (const auto& r : table.roles) {
      if (r.id == id) return &r.types;
    }
    return nullptr;
  };

  // Every ROI through overrides or match_name.
  std::map<std::pair<std::string, std::string>, std::vector<Candidate>> groups;  // (role, derivation)
  std::map<int, std::string> not_bound;                                         // ROI -> reason
  for (const auto& [number, roi] : structures.rois) {
    RoleMatch m;
    if (const auto it = by_roi.find(number); it != by_roi.end()) {
      const RoleOverride& o = *it->second;
      m.kind = MatchKind::Override;
      m.pattern = fmt::format("{}={}{}", o.roi, o.role,
                              o.side == Side::None || o.side == Side::Unknown ? std::string() : ":" + std::string(to_string(o.side)));
      m.reason = fmt::format("override from {}", o.origin);
      if (o.role != "none") {
        m.role = o.role;
        m.side = o.side;
        m.confidence = Confidence::High;
        m.type_agrees = true;
      }
    } else {
      m = match_name(table, roi.name, roi.interpreted_type);
    }
    out.matches.push_back(m);
    out.match_rois.push_back(number);
    if (!m.has_role()) {
      out.unassigned.push_back(UnassignedRoi{number, roi.name, m.reason});
      continue;
    }
    groups[{m.role, m.derivation}].push_back(Candidate{number, roi.name, upper(trim(roi.interpreted_type)), m});
  }

  auto bind = [&out](const RoleKey& key, const Candidate& c, std::string decided_by) {
    out.bindings.push_back(RoleBinding{key, c.roi, c.name, std::move(decided_by), c.match});
  };

  auto contest = [&](const RoleKey& key, const std::vector<const Candidate*>& cands) {
    if (cands.size() == 1) {
      bind(key, *cands.front(), cands.front()->match.kind == MatchKind::Override ? "override" : "only candidate");
      return;
    }
    Ambiguity a;
    a.key = key;
    for (const auto* c : cands) a.candidates.push_back(c->roi);
    const Candidate* winner = nullptr;
    std::vector<const Candidate*> over;
    for (const auto* c : cands) {
      if (c->match.kind == MatchKind::Override) over.push_back(c);
    }
    if (over.size() == 1) {
      winner = over.front();
      a.decided_by = "override";
    } else if (over.empty()) {
      const auto* types = role_types(key.role);
      std::vector<const Candidate*> typed;
      std::vector<const Candidate*> exact;
      for (const auto* c : cands) {
        if (types != nullptr && !c->itype.empty() && type_in(*types, c->itype)) typed.push_back(c);
        if (c->match.kind == MatchKind::Exact) exact.push_back(c);
      }
      if (typed.size() == 1) {
        winner = typed.front();
        a.decided_by = "interpreted type";
      } else if (exact.size() == 1) {
        winner = exact.front();
        a.decided_by = "exact TG-263 name";
      }
    }
    if (winner != nullptr && winner->match.side == Side::Unknown && key.side != Side::Unknown) {
      a.message = fmt::format("{} claimed by {}; rule '{}' favours #{}, whose name has no side: none chosen",
                              key.to_string(), roi_list(cands), a.decided_by, winner->roi);
      winner = nullptr;
    }
    if (winner == nullptr) {
      a.decided_by = "undecided";
      if (a.message.empty()) {
        a.message = fmt::format("{} claimed by {}; neither an override, the interpreted type nor an exact TG-263 name "
                                "decides: none chosen (use --role to choose)", key.to_string(), roi_list(cands));
      }
      for (const auto* c : cands) {
        not_bound.emplace(c->roi, fmt::format("ambiguous: {}", a.message));
      }
    } else {
      a.chosen = winner->roi;
      a.message = fmt::format("{} claimed by {}; #{} chosen by {}", key.to_string(), roi_list(cands), winner->roi,
                              a.decided_by);
      bind(key, *winner, a.decided_by);
      for (const auto* c : cands) {
        if (c != winner) not_bound.emplace(c->roi, fmt::format("lost {} to #{} ({})", key.to_string(), winner->roi, a.decided_by));
      }
    }
    out.ambiguities.push_back(std::move(a));
  };

  for (const auto& [group_key, cands] : groups) {
    std::map<Side, std::vector<const Candidate*>> by_side;
    std::vector<const Candidate*> sideless;
    for (const auto& c : cands) {
      if (c.match.side == Side::Unknown) sideless.push_back(&c);
      else by_side[c.match.side].push_back(&c);
    }
    if (by_side.empty()) {
      contest(RoleKey{group_key.first, Side::Unknown, group_key.second}, sideless);
      continue;
    }
    for (const auto& [side, sided] : by_side) {
      std::vector<const Candidate*> all = sided;
      all.insert(all.end(), sideless.begin(), sideless.end());
      contest(RoleKey{group_key.first, side, group_key.second}, all);
    }
  }

  std::sort(out.bindings.begin(), out.bindings.end(),
            [](const RoleBinding& a, const RoleBinding& b) { return a.key < b.key; });
  std::set<int> bound;
  for (const auto& b : out.bindings) bound.insert(b.roi_number);
  for (const auto& [roi, reason] : not_bound) {
    if (!bound.count(roi)) out.unassigned.push_back(UnassignedRoi{roi, structures.rois.at(roi).name, reason});
  }
  std::sort(out.unassigned.begin(), out.unassigned.end(),
            [](const UnassignedRoi& a, const UnassignedRoi& b) { return a.roi_number < b.roi_number; });
  return out;
}

}  // namespace rtaudit::anatomy
