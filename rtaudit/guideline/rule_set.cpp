#include "rtaudit/guideline/rule_set.hpp"

#include "rtaudit/case/text.hpp"
#include "rtaudit/anatomy/roles.hpp"

#include <fmt/format.h>
#include <pugixml.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <initializer_list>
#include <map>
#include <set>
#include <sstream>
#include <system_error>

namespace rtaudit::guideline {
namespace {

// The closed landmark vocabulary; docs/rules.md explains each name. Levels are z positions, in-plane
// landmarks are surfaces or positions found on every plane.
constexpr std::array<std::string_view, 7> kInPlaneLandmarks = {
    "im_vein", "im_artery", "lung.surface", "sternum.edge", "vascular_area.ventral", "heart.surface",
    "external.surface"};

constexpr std::array<std::string_view, 4> kNamedLevels = {"ctvn_l4.caudal", "imv_junction", "target.cranial",
                                                          "target.caudal"};

// rib1..rib12 medial end, cranial and caudal aspect.
constexpr int kRibs = 12;

std::vector<std::string_view> build_landmark_list() {
  static std::vector<std::string> rib_names;
  if (rib_names.empty()) {
    for (int r = 1; r <= kRibs; ++r) {
      rib_names.push_back(fmt::format("rib{}.medial.cranial", r));
      rib_names.push_back(fmt::format("rib{}.medial.caudal", r));
    }
  }
  std::vector<std::string_view> out(kNamedLevels.begin(), kNamedLevels.end());
  out.insert(out.end(), rib_names.begin(), rib_names.end());
  out.insert(out.end(), kInPlaneLandmarks.begin(), kInPlaneLandmarks.end());
  return out;
}

const std::vector<std::string_view>& landmark_list() {
  static const std::vector<std::string_view> list = build_landmark_list();
  return list;
}

std::vector<std::string_view> build_role_list() {
  static std::vector<std::string> ribs;
  if (ribs.empty()) {
    for (int r = 1; r <= kRibs; ++r) ribs.push_back(fmt::format("rib{}", r));
  }
  std::vector<std::string_view> out = {"im_vein", "im_artery"};
  out.insert(out.end(), ribs.begin(), ribs.end());
  for (const std::string_view r : {"sternum", "manubrium", "lung", "heart", "lad", "ctvn_imn", "ctvn_l4", "ptv_*",
                                   "external", "v_subclavian", "v_brachioceph"}) {
    out.push_back(r);
  }
  return out;
}

const std::vector<std::string_view>& role_list() {
  static const std::vector<std::string_view> list = build_role_list();
  return list;
}

// Roles a <target> may have, and roles a <vessel> may have (subsets of role_ids()).
constexpr std::array<std::string_view, 2> kTargetRoles = {"ctvn_imn", "ctvn_l4"};
constexpr std::array<std::string_view, 4> kVesselRoles = {"im_vein", "im_artery", "v_subclavian",
                                                          "v_brachioceph"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

std::string join(std::span<const std::string_view> items) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

using text::line_of;

// Offset of attribute `name` inside the start tag that begins at (or just before) `tag_offset`, or -1.
std::ptrdiff_t attribute_offset(std::string_view text, std::ptrdiff_t tag_offset, std::string_view name) {
  if (tag_offset < 0) return -1;
  std::size_t i = static_cast<std::size_t>(tag_offset);
  if (i < text.size() && text[i] == '<') ++i;
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (i < text.size() && !is_space(text[i]) && text[i] != '>' && text[i] != '/') ++i;  // element name
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    if (i >= text.size() || text[i] == '>' || text[i] == '/') return -1;
    const std::size_t start = i;
    while (i < text.size() && !is_space(text[i]) && text[i] != '=' && text[i] != '>') ++i;
    const std::string_view attr = text.substr(start, i - start);
    while (i < text.size() && is_space(text[i])) ++i;
    if (i >= text.size() || text[i] != '=') return -1;
    ++i;
    while (i < text.size() && is_space(text[i])) ++i;
    if (i >= text.size() || (text[i] != '"' && text[i] != '\'')) return -1;
    const char quote = text[i++];
    while (i < text.size() && text[i] != quote) ++i;
    ++i;
    if (attr == name) return static_cast<std::ptrdiff_t>(start);
  }
  return -1;
}

std::optional<double> parse_number(std::string_view v) { return text::parse_finite_number(v); }

bool valid_ptv_role(std::string_view id) {
  constexpr std::string_view prefix = "ptv_";
  if (id.size() <= prefix.size() || id.substr(0, prefix.size()) != prefix) return false;
  return std::all_of(id.begin() + static_cast<std::ptrdiff_t>(prefix.size()), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::optional<Side> parse_side(std::string_view s) {
  if (s == "ipsilateral") return Side::Ipsilateral;
  if (s == "contralateral") return Side::Contralateral;
  if (s == "both") return Side::Both;
  return std::nullopt;
}

// One file's parse: collects every problem instead of stopping at the first.
class Parser {
 public:
  Parser(std::string_view xml, std::string file) : xml_(xml), file_(std::move(file)) {}

  std::vector<RuleError> take_errors() { return std::move(errors_); }

  void error_at(std::ptrdiff_t offset, std::string expected) {
    errors_.push_back(RuleError{file_, line_of(xml_, offset), std::move(expected)});
  }
  void error(pugi::xml_node node, std::string expected) { error_at(node.offset_debug(), std::move(expected)); }
  void error(pugi::xml_node node, std::string_view attr, std::string expected) {
    const std::ptrdiff_t at = attribute_offset(xml_, node.offset_debug(), attr);
    error_at(at >= 0 ? at : node.offset_debug(), std::move(expected));
  }
  [[nodiscard]] int line(pugi::xml_node node) const { return line_of(xml_, node.offset_debug()); }

  static std::string where(pugi::xml_node node) {
    std::string w = fmt::format("<{}", node.name());
    for (const char* key : {"id", "role", "side", "landmark"}) {
      const pugi::xml_attribute a = node.attribute(key);
      if (a) {
        w += fmt::format(" {}=\"{}\"", key, a.value());
        break;
      }
    }
    return w + ">";
  }

  // Unknown attributes and child elements are mistakes (a misspelt name would otherwise be ignored).
  void allowed(pugi::xml_node node, std::initializer_list<std::string_view> attrs,
               std::initializer_list<std::string_view> children) {
    for (const pugi::xml_attribute a : node.attributes()) {
      if (std::find(attrs.begin(), attrs.end(), std::string_view(a.name())) == attrs.end()) {
        error(node, a.name(),
              fmt::format("one of the attributes of {} ({}); '{}' is not one", where(node),
                          join(std::vector<std::string_view>(attrs)), a.name()));
      }
    }
    for (const pugi::xml_node c : node.children()) {
      if (c.type() != pugi::node_element) {
        if ((c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) && !blank(c.value())) {
          error(c, fmt::format("only elements inside {} (text belongs in a note attribute or <note>)", where(node)));
        }
        continue;
      }
      if (std::find(children.begin(), children.end(), std::string_view(c.name())) == children.end()) {
        error(c, children.size() == 0
                     ? fmt::format("no child element in {}; <{}> is not allowed", where(node), c.name())
                     : fmt::format("one of the elements <{}> inside {}; <{}> is not one",
                                   join(std::vector<std::string_view>(children)), where(node), c.name()));
      }
    }
  }

  static bool blank(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
  }

  std::optional<std::string> text_attr(pugi::xml_node node, const char* attr, bool required) {
    const pugi::xml_attribute a = node.attribute(attr);
    if (!a) {
      if (required) error(node, fmt::format("a {} attribute on {}", attr, where(node)));
      return std::nullopt;
    }
    const std::string v = a.value();
    if (blank(v)) {
      error(node, attr, fmt::format("a non-empty {} attribute on {}", attr, where(node)));
      return std::nullopt;
    }
    return v;
  }

  std::optional<double> number_attr(pugi::xml_node node, const char* attr, bool required, bool non_negative) {
    const pugi::xml_attribute a = node.attribute(attr);
    if (!a) {
      if (required) error(node, fmt::format("a {} attribute (a number) on {}", attr, where(node)));
      return std::nullopt;
    }
    const auto v = parse_number(a.value());
    if (!v) {
      error(node, attr, fmt::format("a finite number in attribute {} of {} (got \"{}\")", attr, where(node), a.value()));
      return std::nullopt;
    }
    if (non_negative && *v < 0) {
      error(node, attr, fmt::format("a number >= 0 in attribute {} of {} (got {})", attr, where(node), *v));
      return std::nullopt;
    }
    return v;
  }

  std::optional<bool> bool_attr(pugi::xml_node node, const char* attr, std::optional<bool> fallback) {
    const pugi::xml_attribute a = node.attribute(attr);
    if (!a) {
      if (!fallback) error(node, fmt::format("a {}=\"true\" or \"false\" attribute on {}", attr, where(node)));
      return fallback;
    }
    const std::string_view v = a.value();
    if (v == "true") return true;
    if (v == "false") return false;
    error(node, attr, fmt::format("{}=\"true\" or \"false\" on {} (got \"{}\")", attr, where(node), v));
    return fallback;
  }

  std::vector<std::string> sources(pugi::xml_node node, const Guideline& g) {
    std::vector<std::string> out;
    std::istringstream in(node.attribute("source").value());
    std::string id;
    while (in >> id) {
      if (g.citation(id) == nullptr) {
        error(node, "source", fmt::format("a citation id declared by <citation> in source=\"...\" of {} ('{}' is not declared)",
                                          where(node), id));
      }
      out.push_back(id);
    }
    return out;
  }

  // A landmark of the right kind. `allow_target_levels` admits target.cranial / target.caudal.
  bool check_landmark(pugi::xml_node node, const char* attr, const std::string& name, LandmarkKind want,
                      bool allow_target_levels) {
    const auto kind = landmark_kind(name);
    if (!kind) {
      error(node, attr,
            fmt::format("a known landmark in {} of {} ('{}' is unknown; docs/rules.md lists them: ctvn_l4.caudal, "
                        "imv_junction, rib<N>.medial.cranial, rib<N>.medial.caudal (N = 1-{}), {})",
                        attr, where(node), name, kRibs, join(kInPlaneLandmarks)));
      return false;
    }
    if (*kind != want) {
      error(node, attr,
            fmt::format("{} landmark in {} of {} ('{}' is {})",
                        want == LandmarkKind::Level ? "a level (cranio-caudal)" : "an in-plane", attr, where(node), name,
                        *kind == LandmarkKind::Level ? "a level" : "in-plane"));
      return false;
    }
    if (!allow_target_levels && (name == "target.cranial" || name == "target.caudal")) {
      error(node, attr, fmt::format("a patient landmark in {} of {} ('{}' is only for a vessel's level range)", attr,
                                    where(node), name));
      return false;
    }
    return true;
  }

  // A tolerance given by reference (tolerance="id") or inline (pass_mm + warn_mm [+ tolerance_basis]).
  std::optional<Tolerance> tolerance(pugi::xml_node node, const Guideline& g) {
    const pugi::xml_attribute ref = node.attribute("tolerance");
    const bool inline_given = node.attribute("pass_mm") || node.attribute("warn_mm");
    if (ref && inline_given) {
      error(node, "tolerance", fmt::format("either tolerance=\"id\" or pass_mm/warn_mm on {}, not both", where(node)));
      return std::nullopt;
    }
    if (ref) {
      for (const Tolerance& t : g.tolerances) {
        if (t.id == ref.value()) return t;
      }
      error(node, "tolerance",
            fmt::format("a tolerance id declared by <tolerance> in tolerance=\"...\" of {} ('{}' is not declared)",
                        where(node), ref.value()));
      return std::nullopt;
    }
    if (!inline_given) {
      error(node, fmt::format("a tolerance on {}: tolerance=\"id\" or pass_mm and warn_mm", where(node)));
      return std::nullopt;
    }
    const auto pass = number_attr(node, "pass_mm", true, true);
    const auto warn = number_attr(node, "warn_mm", true, true);
    const auto basis = text_attr(node, "tolerance_basis", true);
    if (!pass || !warn || !basis) return std::nullopt;
    if (*pass > *warn) {
      error(node, "warn_mm", fmt::format("pass_mm <= warn_mm on {} (got {} and {})", where(node), *pass, *warn));
      return std::nullopt;
    }
    return Tolerance{"", *pass, *warn, *basis};
  }

  Guideline parse(pugi::xml_node root) {
    Guideline g;
    g.file = file_;
    allowed(root, {"format", "id", "version", "status"}, {"title", "citation", "tolerance", "note", "target"});
    if (const auto f = number_attr(root, "format", true, false)) {
      if (*f != 1.0) {
        error(root, "format", fmt::format("format=\"1\" (the rule-language version this rtaudit reads; got {})", *f));
      }
      g.format = 1;
    }
    g.id = text_attr(root, "id", true).value_or("");
    g.version = text_attr(root, "version", true).value_or("");
    if (const auto st = text_attr(root, "status", true)) {
      if (*st == "published") {
        g.status = Status::Published;
      } else if (*st == "provisional") {
        g.status = Status::Provisional;
      } else {
        error(root, "status", fmt::format("status=\"published\" or \"provisional\" (got \"{}\")", *st));
      }
    }
    const pugi::xml_node title = root.child("title");
    if (!title || blank(title.child_value())) {
      error(root, "a non-empty <title> in <guideline>");
    } else {
      g.title = title.child_value();
    }
    g.note = root.child("note").child_value();

    // Citations first: everything else refers to them.
    std::set<std::string> citation_ids;
    for (const pugi::xml_node c : root.children("citation")) parse_citation(c, g, citation_ids);
    if (g.citations.empty()) error(root, "at least one <citation> in <guideline>");

    std::set<std::string> tolerance_ids;
    for (const pugi::xml_node t : root.children("tolerance")) {
      allowed(t, {"id", "pass_mm", "warn_mm", "basis"}, {});
      Tolerance tol;
      const auto id = text_attr(t, "id", true);
      const auto pass = number_attr(t, "pass_mm", true, true);
      const auto warn = number_attr(t, "warn_mm", true, true);
      const auto basis = text_attr(t, "basis", true);
      if (!id || !pass || !warn || !basis) continue;
      if (!tolerance_ids.insert(*id).second) {
        error(t, "id", fmt::format("a unique tolerance id ('{}' is declared twice)", *id));
        continue;
      }
      if (*pass > *warn) {
        error(t, "warn_mm", fmt::format("pass_mm <= warn_mm in <tolerance id=\"{}\"> (got {} and {})", *id, *pass, *warn));
        continue;
      }
      g.tolerances.push_back(Tolerance{*id, *pass, *warn, *basis});
    }

    std::set<std::string> target_roles;
    for (const pugi::xml_node t : root.children("target")) {
      TargetRule target = parse_target(t, g);
      if (!target.role.empty() && !target_roles.insert(target.role).second) {
        error(t, "role", fmt::format("one <target> per role ('{}' is repeated)", target.role));
        continue;
      }
      g.targets.push_back(std::move(target));
    }
    if (!root.child("target")) error(root, "at least one <target> in <guideline>");

    // ctvn_l4.caudal is read from the patient's CTVn_L4, or else from this file's CTVn_L4 caudal border.
    for (const pugi::xml_node t : root.children("target")) {
      for (const pugi::xml_node b : t.children("border")) {
        const bool uses_l4 = std::string_view(b.attribute("landmark").value()) == "ctvn_l4.caudal" ||
                             std::any_of(b.children("alternative").begin(), b.children("alternative").end(),
                                         [](pugi::xml_node a) {
                                           return std::string_view(a.attribute("landmark").value()) == "ctvn_l4.caudal";
                                         });
        const TargetRule* l4 = g.target("ctvn_l4");
        if (uses_l4 && (l4 == nullptr || l4->border(Border::Caudal) == nullptr ||
                        !l4->border(Border::Caudal)->stated)) {
          error(b, "landmark",
                "a <target role=\"ctvn_l4\"> with a stated caudal border in this file, because this border uses "
                "the landmark ctvn_l4.caudal");
        }
      }
    }
    return g;
  }

 private:
  void parse_citation(pugi::xml_node c, Guideline& g, std::set<std::string>& ids) {
    allowed(c, {"id", "type", "authors", "title", "journal", "year", "volume", "pages", "doi", "registry", "url", "note"},
            {});
    Citation cit;
    cit.line = line(c);
    const auto id = text_attr(c, "id", true);
    const auto type = text_attr(c, "type", true);
    const auto authors = text_attr(c, "authors", true);
    const auto title = text_attr(c, "title", true);
    const bool published = type && *type != "other";
    const auto year = number_attr(c, "year", published, true);
    if (type && *type != "article" && *type != "atlas" && *type != "trial" && *type != "other") {
      error(c, "type", fmt::format("type=\"article\", \"atlas\", \"trial\" or \"other\" on {} (got \"{}\")", where(c), *type));
    }
    if (type && *type == "article") {
      for (const char* a : {"journal", "volume", "pages"}) (void)text_attr(c, a, true);
    }
    if (type && *type == "trial") (void)text_attr(c, "registry", true);
    if (year && (*year < 1900 || *year > 2200 || std::floor(*year) != *year)) {
      error(c, "year", fmt::format("a four-digit year on {} (got {})", where(c), *year));
    }
    if (!id || !authors || !title || (published && !year)) return;
    if (!ids.insert(*id).second) {
      error(c, "id", fmt::format("a unique citation id ('{}' is declared twice)", *id));
      return;
    }
    cit.id = *id;
    cit.type = type.value_or("");
    cit.authors = *authors;
    cit.title = *title;
    cit.journal = c.attribute("journal").value();
    cit.year = static_cast<int>(year.value_or(0.0));
    cit.volume = c.attribute("volume").value();
    cit.pages = c.attribute("pages").value();
    cit.doi = c.attribute("doi").value();
    cit.registry = c.attribute("registry").value();
    cit.url = c.attribute("url").value();
    cit.note = c.attribute("note").value();
    g.citations.push_back(std::move(cit));
  }

  // confirmed="false" needs a note saying why.
  void check_unconfirmed_note(pugi::xml_node node, bool confirmed, const std::string& note) {
    if (!confirmed && blank(note)) {
      error(node, fmt::format("a note=\"...\" on {} saying why it is confirmed=\"false\"", where(node)));
    }
  }

  TargetRule parse_target(pugi::xml_node t, const Guideline& g) {
    TargetRule target;
    target.line = line(t);
    allowed(t, {"role", "name", "side"}, {"note", "border", "vessel", "clip", "overlap"});
    if (const auto role = text_attr(t, "role", true)) {
      if (!contains(kTargetRoles, *role)) {
        error(t, "role", fmt::format("a target role ({}) on <target> (got \"{}\")", join(kTargetRoles), *role));
      } else {
        target.role = *role;
      }
    }
    target.name = text_attr(t, "name", true).value_or("");
    if (const auto side = text_attr(t, "side", false)) {
      if (const auto s = parse_side(*side)) {
        target.side = *s;
      } else {
        error(t, "side", fmt::format("side=\"ipsilateral\", \"contralateral\" or \"both\" on {} (got \"{}\")", where(t), *side));
      }
    }
    target.note = t.child("note").child_value();

    std::set<Border> seen;
    for (const pugi::xml_node b : t.children("border")) {
      auto border = parse_border_rule(b, g);
      if (!border) continue;
      if (!seen.insert(border->side).second) {
        error(b, "side", fmt::format("each border at most once in <target role=\"{}\"> ('{}' is repeated)", target.role,
                                     to_string(border->side)));
        continue;
      }
      target.borders.push_back(std::move(*border));
    }
    if (target.borders.empty()) error(t, fmt::format("at least one <border> in {}", where(t)));

    std::set<std::string> vessel_roles;
    for (const pugi::xml_node v : t.children("vessel")) {
      auto vessel = parse_vessel(v, g);
      if (!vessel) continue;
      if (!vessel_roles.insert(vessel->role).second) {
        error(v, "role", fmt::format("one <vessel> per role in {} ('{}' is repeated)", where(t), vessel->role));
        continue;
      }
      target.vessels.push_back(std::move(*vessel));
    }
    for (const pugi::xml_node c : t.children("clip")) {
      if (auto clip = parse_clip(c, g)) target.clips.push_back(std::move(*clip));
    }
    for (const pugi::xml_node o : t.children("overlap")) {
      if (auto ov = parse_overlap(o)) target.overlaps.push_back(std::move(*ov));
    }
    return target;
  }

  std::optional<BorderRule> parse_border_rule(pugi::xml_node b, const Guideline& g) {
    allowed(b, {"side", "stated", "landmark", "offset_mm", "tolerance", "pass_mm", "warn_mm", "tolerance_basis",
                "confirmed", "source", "note"},
            {"alternative"});
    const std::size_t errors_before = errors_.size();
    BorderRule r;
    r.line = line(b);
    const auto side_text = text_attr(b, "side", true);
    if (!side_text) return std::nullopt;
    const auto side = parse_border(*side_text);
    if (!side) {
      error(b, "side", fmt::format("side=\"cranial\", \"caudal\", \"medial\", \"lateral\", \"ventral\" or \"dorsal\" on "
                                   "<border> (got \"{}\")",
                                   *side_text));
      return std::nullopt;
    }
    r.side = *side;
    r.stated = bool_attr(b, "stated", true).value_or(true);
    r.confirmed = bool_attr(b, "confirmed", std::nullopt).value_or(false);
    r.note = b.attribute("note").value();
    r.sources = sources(b, g);
    check_unconfirmed_note(b, r.confirmed, r.note);
    const LandmarkKind want =
        (r.side == Border::Cranial || r.side == Border::Caudal) ? LandmarkKind::Level : LandmarkKind::InPlane;
    if (!r.stated) {
      for (const char* a : {"landmark", "offset_mm", "tolerance", "pass_mm", "warn_mm"}) {
        if (b.attribute(a)) error(b, a, fmt::format("no {} on {}: it has stated=\"false\"", a, where(b)));
      }
      if (b.child("alternative")) error(b.child("alternative"), fmt::format("no <alternative> in {}: it has stated=\"false\"", where(b)));
      if (blank(r.note)) error(b, fmt::format("a note=\"...\" on {} saying what the guideline says instead", where(b)));
      return errors_.size() == errors_before ? std::optional<BorderRule>(std::move(r)) : std::nullopt;
    }
    if (const auto lm = text_attr(b, "landmark", true)) {
      if (check_landmark(b, "landmark", *lm, want, false)) r.landmark = *lm;
    }
    r.offset_mm = number_attr(b, "offset_mm", true, false).value_or(0.0);
    if (auto tol = tolerance(b, g)) r.tolerance = std::move(*tol);
    for (const pugi::xml_node a : b.children("alternative")) {
      allowed(a, {"landmark", "offset_mm", "condition", "confirmed", "source", "note"}, {});
      BorderAlternative alt;
      alt.line = line(a);
      if (const auto lm = text_attr(a, "landmark", true)) {
        if (check_landmark(a, "landmark", *lm, want, false)) alt.landmark = *lm;
      }
      alt.offset_mm = number_attr(a, "offset_mm", true, false).value_or(0.0);
      alt.condition = text_attr(a, "condition", true).value_or("");
      alt.confirmed = bool_attr(a, "confirmed", std::nullopt).value_or(false);
      alt.note = a.attribute("note").value();
      alt.sources = sources(a, g);
      check_unconfirmed_note(a, alt.confirmed, alt.note);
      r.alternatives.push_back(std::move(alt));
    }
    if (errors_.size() != errors_before) return std::nullopt;
    return r;
  }

  std::optional<VesselMargin> parse_vessel(pugi::xml_node v, const Guideline& g) {
    allowed(v, {"role", "margin_mm", "caudal_level", "cranial_level", "levels", "tolerance", "pass_mm", "warn_mm",
                "tolerance_basis", "confirmed", "source", "note"},
            {});
    const std::size_t errors_before = errors_.size();
    VesselMargin m;
    m.line = line(v);
    if (const auto role = text_attr(v, "role", true)) {
      if (!contains(kVesselRoles, *role)) {
        error(v, "role", fmt::format("a vessel role ({}) on <vessel> (got \"{}\")", join(kVesselRoles), *role));
      } else {
        m.role = *role;
      }
    }
    m.margin_mm = number_attr(v, "margin_mm", true, true).value_or(0.0);
    if (const auto lm = text_attr(v, "caudal_level", false)) {
      if (check_landmark(v, "caudal_level", *lm, LandmarkKind::Level, true)) m.levels.caudal = *lm;
    }
    if (const auto lm = text_attr(v, "cranial_level", false)) {
      if (check_landmark(v, "cranial_level", *lm, LandmarkKind::Level, true)) m.levels.cranial = *lm;
    }
    m.levels.text = v.attribute("levels").value();
    if (auto tol = tolerance(v, g)) m.tolerance = std::move(*tol);
    m.confirmed = bool_attr(v, "confirmed", std::nullopt).value_or(false);
    m.note = v.attribute("note").value();
    m.sources = sources(v, g);
    check_unconfirmed_note(v, m.confirmed, m.note);
    if (errors_.size() != errors_before) return std::nullopt;
    return m;
  }

  std::optional<Side> side_attr(pugi::xml_node node) {
    const auto text = text_attr(node, "side", false);
    if (!text) return Side::Ipsilateral;
    const auto s = parse_side(*text);
    if (!s) error(node, "side", fmt::format("side=\"ipsilateral\", \"contralateral\" or \"both\" on {} (got \"{}\")", where(node), *text));
    return s;
  }

  bool check_role(pugi::xml_node node, const std::string& role) {
    if (is_known_role(role)) return true;
    error(node, "role",
          fmt::format("a known structure role on {} ('{}' is unknown; docs/rules.md lists them: im_vein, im_artery, "
                      "rib1-rib{}, sternum, manubrium, lung, heart, lad, ctvn_imn, ctvn_l4, ptv_<name>, external, "
                      "v_subclavian, v_brachioceph)",
                      where(node), role, kRibs));
    return false;
  }

  std::optional<Clip> parse_clip(pugi::xml_node c, const Guideline& g) {
    allowed(c, {"role", "side", "mode", "border", "confirmed", "source", "note"}, {});
    const std::size_t errors_before = errors_.size();
    Clip clip;
    clip.line = line(c);
    if (const auto role = text_attr(c, "role", true)) {
      if (check_role(c, *role)) clip.role = *role;
    }
    clip.side = side_attr(c).value_or(Side::Ipsilateral);
    if (const auto mode = text_attr(c, "mode", false)) {
      if (*mode == "subtract") {
        clip.mode = ClipMode::Subtract;
      } else if (*mode == "intersect") {
        clip.mode = ClipMode::Intersect;
      } else {
        error(c, "mode", fmt::format("mode=\"subtract\" or \"intersect\" on {} (got \"{}\")", where(c), *mode));
      }
    }
    if (const auto b = text_attr(c, "border", false)) {
      clip.border = parse_border(*b);
      if (!clip.border) error(c, "border", fmt::format("a border name (cranial, caudal, medial, lateral, ventral, dorsal) in border of {} (got \"{}\")", where(c), *b));
    }
    clip.confirmed = bool_attr(c, "confirmed", std::nullopt).value_or(false);
    clip.note = c.attribute("note").value();
    clip.sources = sources(c, g);
    check_unconfirmed_note(c, clip.confirmed, clip.note);
    if (errors_.size() != errors_before) return std::nullopt;
    return clip;
  }

  std::optional<OverlapLimit> parse_overlap(pugi::xml_node o) {
    allowed(o, {"role", "side", "pass_cc", "warn_cc", "basis", "note"}, {});
    const std::size_t errors_before = errors_.size();
    OverlapLimit ov;
    ov.line = line(o);
    if (const auto role = text_attr(o, "role", true)) {
      if (check_role(o, *role)) ov.role = *role;
    }
    ov.side = side_attr(o).value_or(Side::Ipsilateral);
    ov.pass_cc = number_attr(o, "pass_cc", true, true).value_or(0.0);
    ov.warn_cc = number_attr(o, "warn_cc", true, true).value_or(0.0);
    ov.basis = text_attr(o, "basis", true).value_or("");
    ov.note = o.attribute("note").value();
    if (errors_.size() == errors_before && ov.pass_cc > ov.warn_cc) {
      error(o, "warn_cc", fmt::format("pass_cc <= warn_cc on {} (got {} and {})", where(o), ov.pass_cc, ov.warn_cc));
    }
    if (errors_.size() != errors_before) return std::nullopt;
    return ov;
  }

  std::string_view xml_;
  std::string file_;
  std::vector<RuleError> errors_;
};

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Parses the XML; on malformed XML returns the error.
std::optional<RuleError> load_document(pugi::xml_document& doc, std::string_view xml, const std::string& file) {
  const pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default);
  if (parsed) return std::nullopt;
  return RuleError{file, line_of(xml, parsed.offset), fmt::format("well-formed XML ({})", parsed.description())};
}

GuidelineLoad parse_document(const pugi::xml_document& doc, std::string_view xml, std::string file) {
  GuidelineLoad out;
  const pugi::xml_node root = doc.document_element();
  Parser parser(xml, file);
  if (!root || std::string_view(root.name()) != "guideline") {
    parser.error_at(root ? root.offset_debug() : 0,
                    fmt::format("the root element <guideline> (got <{}>)", root ? root.name() : ""));
    out.errors = parser.take_errors();
    return out;
  }
  Guideline g = parser.parse(root);
  out.errors = parser.take_errors();
  std::stable_sort(out.errors.begin(), out.errors.end(),
                   [](const RuleError& a, const RuleError& b) { return a.line < b.line; });
  if (out.errors.empty()) out.guideline = std::move(g);
  return out;
}

}  // namespace

std::string_view to_string(Border b) {
  switch (b) {
    case Border::Cranial: return "cranial";
    case Border::Caudal: return "caudal";
    case Border::Medial: return "medial";
    case Border::Lateral: return "lateral";
    case Border::Ventral: return "ventral";
    case Border::Dorsal: return "dorsal";
  }
  return "unknown";
}

std::optional<Border> parse_border(std::string_view text) {
  for (const Border b : {Border::Cranial, Border::Caudal, Border::Medial, Border::Lateral, Border::Ventral,
                         Border::Dorsal}) {
    if (text == to_string(b)) return b;
  }
  return std::nullopt;
}

std::string_view to_string(Status s) { return s == Status::Published ? "published" : "provisional"; }

std::string_view to_string(Side s) {
  switch (s) {
    case Side::Ipsilateral: return "ipsilateral";
    case Side::Contralateral: return "contralateral";
    case Side::Both: return "both";
  }
  return "unknown";
}

std::string_view to_string(ClipMode m) { return m == ClipMode::Subtract ? "subtract" : "intersect"; }

std::string_view to_string(Grade g) {
  switch (g) {
    case Grade::Pass: return "pass";
    case Grade::Warn: return "warn";
    case Grade::Fail: return "fail";
  }
  return "unknown";
}

Grade grade(const Tolerance& tolerance, double deviation_mm) {
  const double d = std::fabs(deviation_mm);
  if (std::isnan(d)) return Grade::Fail;
  if (d <= tolerance.pass_mm) return Grade::Pass;
  if (d <= tolerance.warn_mm) return Grade::Warn;
  return Grade::Fail;
}

std::span<const std::string_view> landmark_names() { return landmark_list(); }

std::optional<LandmarkKind> landmark_kind(std::string_view name) {
  if (std::find(kInPlaneLandmarks.begin(), kInPlaneLandmarks.end(), name) != kInPlaneLandmarks.end()) {
    return LandmarkKind::InPlane;
  }
  const auto& all = landmark_list();
  if (std::find(all.begin(), all.end(), name) != all.end()) return LandmarkKind::Level;
  return std::nullopt;
}

std::span<const std::string_view> role_ids() { return role_list(); }

bool is_known_role(std::string_view id) {
  if (valid_ptv_role(id)) return true;
  if (id == "ptv_*") return false;
  const auto& all = role_list();
  // Rule files may name any role of the names-to-roles catalogue (anatomy/roles.hpp) as well.
  return std::find(all.begin(), all.end(), id) != all.end() || anatomy::find_role(id) != nullptr;
}

const BorderRule* TargetRule::border(Border b) const {
  for (const auto& r : borders) {
    if (r.side == b) return &r;
  }
  return nullptr;
}

const VesselMargin* TargetRule::vessel(std::string_view r) const {
  for (const auto& v : vessels) {
    if (v.role == r) return &v;
  }
  return nullptr;
}

const TargetRule* Guideline::target(std::string_view r) const {
  for (const auto& t : targets) {
    if (t.role == r) return &t;
  }
  return nullptr;
}

const Citation* Guideline::citation(std::string_view cid) const {
  for (const auto& c : citations) {
    if (c.id == cid) return &c;
  }
  return nullptr;
}

const Guideline* GuidelineSet::find(std::string_view gid) const {
  for (const auto& g : guidelines) {
    if (g.id == gid) return &g;
  }
  return nullptr;
}

std::string RuleError::message() const { return fmt::format("{}:{}: expected {}", file, line, expected); }

GuidelineLoad parse_guideline(std::string_view xml, std::string file) {
  pugi::xml_document doc;
  if (auto err = load_document(doc, xml, file)) {
    GuidelineLoad out;
    out.errors.push_back(std::move(*err));
    return out;
  }
  return parse_document(doc, xml, std::move(file));
}

GuidelineLoad load_guideline(const std::filesystem::path& path) {
  const auto text = read_file(path);
  if (!text) {
    GuidelineLoad out;
    out.errors.push_back(RuleError{path.string(), 0, "a readable file"});
    return out;
  }
  return parse_guideline(*text, path.string());
}

GuidelineSet load_guidelines_dirs(std::span<const std::filesystem::path> dirs) {
  GuidelineSet set;
  std::map<std::string, std::string> id_file;
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
      set.errors.push_back(RuleError{dir.string(), 0, "a folder of rule files"});
      continue;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      std::string ext = entry.path().extension().string();
      std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (ext == ".xml" && entry.is_regular_file(ec)) files.push_back(entry.path());
    }
    if (ec) set.errors.push_back(RuleError{dir.string(), 0, fmt::format("a readable folder ({})", ec.message())});
    std::sort(files.begin(), files.end());
    for (const auto& path : files) {
      const std::string file = path.string();
      const auto text = read_file(path);
      if (!text) {
        set.errors.push_back(RuleError{file, 0, "a readable file"});
        continue;
      }
      pugi::xml_document doc;
      if (auto err = load_document(doc, *text, file)) {
        set.errors.push_back(std::move(*err));
        continue;
      }
      const pugi::xml_node root = doc.document_element();
      if (!root || std::string_view(root.name()) != "guideline") {
        set.skipped.push_back(SkippedFile{file, root ? root.name() : ""});
        continue;
      }
      GuidelineLoad load = parse_document(doc, *text, file);
      if (!load) {
        set.errors.insert(set.errors.end(), load.errors.begin(), load.errors.end());
        continue;
      }
      const auto [it, inserted] = id_file.emplace(load.guideline->id, file);
      if (!inserted) {
        const auto at = attribute_offset(*text, root.offset_debug(), "id");
        set.errors.push_back(RuleError{file, line_of(*text, at >= 0 ? at : root.offset_debug()),
                                       fmt::format("a guideline id not already loaded ('{}' is also in {})",
                                                   load.guideline->id, it->second)});
        continue;
      }
      set.guidelines.push_back(std::move(*load.guideline));
    }
  }
  return set;
}

GuidelineSet load_guidelines_dir(const std::filesystem::path& dir) {
  const std::array<std::filesystem::path, 1> dirs = {dir};
  return load_guidelines_dirs(dirs);
}

}  // namespace rtaudit::guideline
