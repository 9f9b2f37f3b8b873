// IMN-involvement probability from patient factors, read from rules/imn-risk.xml (miss/imn_risk.hpp,
// docs/imn-risk.md). The sources publish univariable stratum rates from different cohorts and no
// multivariable model, so this code never combines rates arithmetically: it picks the most
// specific complete table for the point value and spans every applicable table for the bounds.
#include "rtaudit/miss/imn_risk.hpp"

#include "rtaudit/miss/risk_xml.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace rtaudit::miss {
namespace {

using detail::lower;
using detail::RuleXml;

constexpr std::array<std::string_view, 3> kFactors = {"age_years", "positive_axillary_nodes", "tumour_quadrant"};
constexpr std::array<std::string_view, 4> kModifierFactors = {"er_positive", "her2_positive", "tumour_size_mm",
                                                              "lymphovascular_invasion"};

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& a, std::string_view v) {
  return std::find(a.begin(), a.end(), v) != a.end();
}
template <std::size_t N>
std::string joined(const std::array<std::string_view, N>& a) {
  std::string s;
  for (const auto v : a) s += (s.empty() ? "" : ", ") + std::string(v);
  return s;
}
std::string joined(const std::vector<std::string>& a, std::string_view sep = ", ") {
  std::string s;
  for (const auto& v : a) s += (s.empty() ? "" : std::string(sep)) + v;
  return s;
}

// "Upper Inner", "upper_inner" and "upper-inner" are the same quadrant word.
std::string quadrant_word(std::string_view s) {
  std::string w = lower(detail::trimmed(s));
  std::replace_if(w.begin(), w.end(), [](char c) { return c == ' ' || c == '_'; }, '-');
  return w;
}

bool constrains(const RiskStratum& s, std::string_view factor) {
  if (factor == "age_years") return s.age_min || s.age_max;
  if (factor == "positive_axillary_nodes") return s.nodes_min || s.nodes_max;
  return !s.quadrants.empty();
}

bool in_range(int v, const std::optional<int>& lo, const std::optional<int>& hi) {
  return (!lo || v >= *lo) && (!hi || v <= *hi);
}

// Whether a stratum admits the patient's value of `factor`; a missing value admits every stratum
// (the unknown value could be any of them).
bool admits(const RiskStratum& s, std::string_view factor, const PatientFacts& f) {
  if (factor == "age_years") return !f.age_years || in_range(*f.age_years, s.age_min, s.age_max);
  if (factor == "positive_axillary_nodes")
    return !f.positive_axillary_nodes || in_range(*f.positive_axillary_nodes, s.nodes_min, s.nodes_max);
  if (!f.tumour_quadrant) return true;
  const std::string q = quadrant_word(*f.tumour_quadrant);
  return std::any_of(s.quadrants.begin(), s.quadrants.end(), [&](const std::string& w) { return quadrant_word(w) == q; });
}

bool known(std::string_view factor, const PatientFacts& f) {
  if (factor == "age_years") return f.age_years.has_value();
  if (factor == "positive_axillary_nodes") return f.positive_axillary_nodes.has_value();
  return f.tumour_quadrant.has_value();
}

std::string value_text(std::string_view factor, const PatientFacts& f) {
  if (factor == "age_years") return fmt::format("age {}", *f.age_years);
  if (factor == "positive_axillary_nodes") return fmt::format("{} positive axillary nodes", *f.positive_axillary_nodes);
  return fmt::format("tumour quadrant '{}'", *f.tumour_quadrant);
}

bool read_range(RuleXml& x, pugi::xml_node n, const char* lo_attr, const char* hi_attr, std::optional<int>& lo,
                std::optional<int>& hi) {
  bool ok = true;
  lo = x.count(n, lo_attr, ok);
  if (ok) hi = x.count(n, hi_attr, ok);
  if (ok && lo && hi && *lo > *hi) ok = x.fail(n, fmt::format("{} > {} on <stratum>", lo_attr, hi_attr));
  return ok;
}

std::optional<RiskStratum> read_stratum(RuleXml& x, pugi::xml_node n, const RiskTable& t) {
  if (!x.allowed(n, {"label", "age_min", "age_max", "nodes_min", "nodes_max", "quadrants", "rate", "patients", "note"}) ||
      !x.children(n, {}))
    return std::nullopt;
  RiskStratum s;
  const auto label = x.required(n, "label");
  if (!label || !x.required(n, "rate")) return std::nullopt;
  s.label = *label;
  bool ok = read_range(x, n, "age_min", "age_max", s.age_min, s.age_max) &&
            read_range(x, n, "nodes_min", "nodes_max", s.nodes_min, s.nodes_max);
  if (ok) s.rate = x.fraction(n, "rate", ok).value_or(0);
  if (ok) s.patients = x.count(n, "patients", ok);
  if (!ok) return std::nullopt;
  s.quadrants = detail::split_list(RuleXml::optional(n, "quadrants"));
  for (const auto f : kFactors) {
    const bool listed = std::find(t.factors.begin(), t.factors.end(), f) != t.factors.end();
    if (constrains(s, f) && !listed) {
      x.fail(n, fmt::format("stratum '{}' sets {} but table '{}' does not list that factor", s.label, f, t.id));
      return std::nullopt;
    }
    if (!constrains(s, f) && listed) {
      x.fail(n, fmt::format("stratum '{}' does not say which {} it is for (table '{}' lists that factor)", s.label, f, t.id));
      return std::nullopt;
    }
  }
  return s;
}

std::optional<RiskTable> read_table(RuleXml& x, pugi::xml_node n, const std::set<std::string>& sources) {
  if (!x.allowed(n, {"id", "source", "factors", "note"}) || !x.children(n, {"stratum"})) return std::nullopt;
  RiskTable t;
  t.line = x.line(n);
  const auto id = x.required(n, "id");
  const auto source = x.required(n, "source");
  const auto factors = x.required(n, "factors");
  if (!id || !source || !factors) return std::nullopt;
  t.id = *id;
  t.source = *source;
  t.note = RuleXml::optional(n, "note");
  if (!sources.count(t.source)) {
    x.fail(n, fmt::format("table '{}' cites source '{}', which no <source> defines", t.id, t.source));
    return std::nullopt;
  }
  for (auto& f : detail::split_list(*factors)) {
    if (!one_of(kFactors, f)) {
      x.fail(n, fmt::format("unknown factor '{}' in table '{}' (known: {})", f, t.id, joined(kFactors)));
      return std::nullopt;
    }
    if (std::find(t.factors.begin(), t.factors.end(), f) != t.factors.end()) {
      x.fail(n, fmt::format("factor '{}' listed twice in table '{}'", f, t.id));
      return std::nullopt;
    }
    t.factors.push_back(std::move(f));
  }
  for (const pugi::xml_node s : n.children("stratum")) {
    auto stratum = read_stratum(x, s, t);
    if (!stratum) return std::nullopt;
    t.strata.push_back(std::move(*stratum));
  }
  if (t.strata.empty()) {
    x.fail(n, fmt::format("table '{}' has no <stratum>", t.id));
    return std::nullopt;
  }
  return t;
}

std::optional<RiskModifier> read_modifier(RuleXml& x, pugi::xml_node n, const std::set<std::string>& sources) {
  if (!x.allowed(n, {"factor", "condition", "when", "above", "effect", "ratio", "source", "note"}) || !x.children(n, {}))
    return std::nullopt;
  RiskModifier m;
  const auto factor = x.required(n, "factor");
  const auto condition = x.required(n, "condition");
  const auto effect = x.required(n, "effect");
  const auto source = x.required(n, "source");
  if (!factor || !condition || !effect || !source) return std::nullopt;
  if (!one_of(kModifierFactors, *factor)) {
    x.fail(n, fmt::format("unknown modifier factor '{}' (known: {})", *factor, joined(kModifierFactors)));
    return std::nullopt;
  }
  if (*effect != "raises" && *effect != "lowers") {
    x.fail(n, fmt::format("effect '{}' is neither raises nor lowers", *effect));
    return std::nullopt;
  }
  if (!sources.count(*source)) {
    x.fail(n, fmt::format("modifier '{}' cites source '{}', which no <source> defines", *factor, *source));
    return std::nullopt;
  }
  bool ok = true;
  m.ratio = x.number(n, "ratio", ok);
  if (ok) m.above = x.number(n, "above", ok);
  if (!ok) return std::nullopt;
  const std::string when = RuleXml::optional(n, "when");
  if (*factor == "tumour_size_mm") {
    if (!m.above || !when.empty()) {
      x.fail(n, "modifier tumour_size_mm needs above=\"mm\" (and no when)");
      return std::nullopt;
    }
  } else if (m.above || (when != "true" && when != "false")) {
    x.fail(n, fmt::format("modifier {} needs when=\"true\" or when=\"false\" (and no above)", *factor));
    return std::nullopt;
  } else {
    m.when = when == "true";
  }
  if (m.ratio && *m.ratio <= 0) {
    x.fail(n, "ratio must be > 0");
    return std::nullopt;
  }
  m.factor = *factor;
  m.condition = *condition;
  m.effect = *effect;
  m.source = *source;
  m.note = RuleXml::optional(n, "note");
  return m;
}

// Present / absent / unknown for one modifier.
std::optional<bool> modifier_applies(const RiskModifier& m, const PatientFacts& f) {
  if (m.factor == "tumour_size_mm") {
    if (!f.tumour_size_mm) return std::nullopt;
    return *f.tumour_size_mm > m.above.value_or(0);
  }
  const std::optional<bool>& v = m.factor == "er_positive"     ? f.er_positive
                                 : m.factor == "her2_positive" ? f.her2_positive
                                                               : f.lymphovascular_invasion;
  if (!v) return std::nullopt;
  return *v == m.when.value_or(true);
}

TableEstimate estimate_table(const RiskTable& t, const RiskSource* src, const PatientFacts& f) {
  TableEstimate te;
  te.table_id = t.id;
  te.source = t.source;
  te.citation = src ? src->citation : "";
  std::vector<std::string> known_values;
  for (const auto& factor : t.factors) {
    if (known(factor, f)) known_values.push_back(value_text(factor, f));
    else te.missing_factors.push_back(factor);
  }
  std::vector<const RiskStratum*> open;
  for (const auto& s : t.strata) {
    if (std::all_of(t.factors.begin(), t.factors.end(), [&](const std::string& fac) { return admits(s, fac, f); }))
      open.push_back(&s);
  }
  if (open.empty()) {
    te.not_applicable = fmt::format("no stratum for {}", joined(known_values));
    te.lo = 0;
    te.hi = 1;
    return te;
  }
  const auto [mn, mx] = std::minmax_element(open.begin(), open.end(),
                                            [](const RiskStratum* a, const RiskStratum* b) { return a->rate < b->rate; });
  te.lo = (*mn)->rate;
  te.hi = (*mx)->rate;
  std::vector<std::string> labels;
  for (const RiskStratum* s : open) labels.push_back(s->label);
  if (!te.missing_factors.empty()) {
    te.stratum = fmt::format("factor missing ({}): any of {}", joined(te.missing_factors), joined(labels, " / "));
  } else if (open.size() == 1) {
    te.rate = open.front()->rate;
    te.stratum = open.front()->label;
  } else {
    // Overlapping strata: a boundary value the source leaves between its strata (e.g. age 50 in
    // Heuts' "< 50" and "51-70"); the table gives their span and no point value.
    te.stratum = fmt::format("{} falls in more than one stratum: {}", joined(known_values), joined(labels, " / "));
  }
  return te;
}

}  // namespace

const RiskSource* ImnRiskModel::source(const std::string& source_id) const {
  const auto it = std::find_if(sources.begin(), sources.end(), [&](const RiskSource& s) { return s.id == source_id; });
  return it == sources.end() ? nullptr : &*it;
}

ImnRiskLoad load_imn_risk(const std::string& path) {
  ImnRiskLoad res;
  RuleXml x(path);
  const auto done = [&]() {
    res.error = x.error;
    if (!res.error.empty()) res.model.reset();
    return res;
  };
  if (!x.load("imn-risk")) return done();
  const pugi::xml_node root = x.root;
  if (!x.allowed(root, {"format", "id", "version", "title"}) || !x.children(root, {"source", "table", "modifier"}))
    return done();
  ImnRiskModel m;
  m.file = path;
  const auto id = x.required(root, "id");
  const auto version = x.required(root, "version");
  if (!id || !version) return done();
  m.id = *id;
  m.version = *version;
  m.title = RuleXml::optional(root, "title");

  // Sources first, wherever they appear, so a table may cite one defined below it.
  std::set<std::string> source_ids;
  for (const pugi::xml_node s : root.children("source")) {
    if (!x.allowed(s, {"id", "citation", "patients", "note"}) || !x.children(s, {})) return done();
    RiskSource src;
    const auto sid = x.required(s, "id");
    const auto citation = x.required(s, "citation");
    if (!sid || !citation) return done();
    bool ok = true;
    src.patients = x.count(s, "patients", ok);
    if (!ok) return done();
    if (!source_ids.insert(*sid).second) {
      x.fail(s, fmt::format("a second source with id '{}'", *sid));
      return done();
    }
    src.id = *sid;
    src.citation = *citation;
    src.note = RuleXml::optional(s, "note");
    m.sources.push_back(std::move(src));
  }
  std::set<std::string> table_ids;
  for (const pugi::xml_node t : root.children("table")) {
    auto table = read_table(x, t, source_ids);
    if (!table) return done();
    if (!table_ids.insert(table->id).second) {
      x.fail(t, fmt::format("a second table with id '{}'", table->id));
      return done();
    }
    m.tables.push_back(std::move(*table));
  }
  for (const pugi::xml_node n : root.children("modifier")) {
    auto mod = read_modifier(x, n, source_ids);
    if (!mod) return done();
    m.modifiers.push_back(std::move(*mod));
  }
  if (m.tables.empty()) {
    x.fail(root, "no <table> in <imn-risk>");
    return done();
  }
  res.model = std::move(m);
  return done();
}

ImnRiskEstimate estimate_imn_risk(const PatientFacts& facts, const ImnRiskModel& model) {
  ImnRiskEstimate e;
  const TableEstimate* best = nullptr;
  std::size_t best_factors = 0;
  bool any = false;
  double lo = 1, hi = 0;
  e.tables.reserve(model.tables.size());
  for (const RiskTable& t : model.tables) {
    e.tables.push_back(estimate_table(t, model.source(t.source), facts));
    const TableEstimate& te = e.tables.back();
    if (!te.not_applicable.empty()) continue;
    any = true;
    lo = std::min(lo, te.lo);
    hi = std::max(hi, te.hi);
    for (const auto& mf : te.missing_factors) {
      if (std::find(e.missing_factors.begin(), e.missing_factors.end(), mf) == e.missing_factors.end())
        e.missing_factors.push_back(mf);
    }
    // Most factors wins; on a tie the earlier table (strict >) keeps it.
    if (te.rate && (!best || t.factors.size() > best_factors)) {
      best = &te;
      best_factors = t.factors.size();
    }
  }
  if (any) {
    e.probability.lo = lo;
    e.probability.hi = hi;
  } else {
    e.notes.emplace_back("no table of the model applies to this patient: bounds [0, 1]");
  }
  if (best) {
    e.probability.value = best->rate;
    e.basis = fmt::format("{}: {} (source {})", best->table_id, best->stratum, best->source);
  } else {
    e.basis = "no point value: no table has every factor it needs with a single matching stratum";
  }
  if (!e.missing_factors.empty())
    e.notes.push_back(fmt::format("missing from the patient file: {} (the range spans the strata they leave open)",
                                  joined(e.missing_factors)));
  for (const RiskModifier& m : model.modifiers) {
    const auto applies = modifier_applies(m, facts);
    if (!applies) {
      if (std::find(e.unknown_modifiers.begin(), e.unknown_modifiers.end(), m.factor) == e.unknown_modifiers.end())
        e.unknown_modifiers.push_back(m.factor);
    } else if (*applies) {
      const RiskSource* src = model.source(m.source);
      e.unquantified.push_back({m.factor, m.condition, m.effect, src ? src->citation : m.source, m.note, m.ratio});
    }
  }
  if (!e.unquantified.empty())
    e.notes.emplace_back("factors present without a usable rate are listed, not multiplied in (no coefficient published)");
  e.notes.emplace_back(
      "stratum rates are univariable and from different cohorts; no multivariable model is published in the sources, "
      "so none is combined");
  return e;
}

}  // namespace rtaudit::miss
