// Coronary risk from mean heart dose and dose constraints, both read from rule files
// (heart/risk.hpp; docs/heart-risk.md). Every number comes from the files, which cite their
// sources; this code only checks their form and does the arithmetic of Darby et al. (2013):
// excess relative risk = ERR/Gy x mean heart dose, absolute excess = baseline x ERR.
#include "rtaudit/heart/risk.hpp"

#include "rtaudit/case/text.hpp"
#include "rtaudit/dose/dvh.hpp"

#include <fmt/format.h>
#include <pugixml.hpp>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <set>
#include <sstream>

namespace rtaudit::heart {
namespace {

// Structures a constraint may name: the organ ids of the heart assessment (assessment.hpp).
constexpr std::array<std::string_view, 6> kStructures = {"heart", "lad", "left_ventricle", "lung_ipsilateral",
                                                         "lung_contralateral", "lungs"};
// Condition ids (docs/heart-risk.md). "imc": applies only to nodal RT that includes the internal
// mammary chain (the assessment looks for "imc" in the id).
constexpr std::array<std::string_view, 1> kConditions = {"imc"};
// Modifier ids of cardiac-risk.xml, one per flag of PatientFacts.
constexpr std::array<std::string_view, 3> kModifiers = {"anthracycline", "trastuzumab", "existing_heart_disease"};

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

// One file's text and document; the first problem stops the load (the result holds one error).
class XmlFile {
 public:
  explicit XmlFile(std::string path) : path_(std::move(path)) {}

  // Reads and parses; false with `error` set.
  bool load() {
    std::ifstream in(path_, std::ios::binary);
    if (!in) return fail_at(0, "cannot be read");
    std::ostringstream ss;
    ss << in.rdbuf();
    text_ = ss.str();
    const pugi::xml_parse_result r = doc_.load_buffer(text_.data(), text_.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!r) return fail_at(r.offset, fmt::format("not well-formed XML ({})", r.description()));
    return true;
  }

  bool fail_at(std::ptrdiff_t offset, const std::string& what) {
    if (error.empty()) error = fmt::format("{}:{}: {}", path_, text_.empty() ? 1 : text::line_of(text_, offset), what);
    return false;
  }
  bool fail(pugi::xml_node n, const std::string& what) { return fail_at(n.offset_debug(), what); }
  [[nodiscard]] int line(pugi::xml_node n) const { return text::line_of(text_, n.offset_debug()); }

  // Unknown attributes are mistakes: a misspelt one would otherwise be silently ignored.
  bool allowed(pugi::xml_node n, std::initializer_list<std::string_view> attrs) {
    for (const pugi::xml_attribute a : n.attributes()) {
      if (std::find(attrs.begin(), attrs.end(), std::string_view(a.name())) == attrs.end())
        return fail(n, fmt::format("unknown attribute '{}' on <{}>", a.name(), n.name()));
    }
    return true;
  }
  std::optional<std::string> required(pugi::xml_node n, const char* attr) {
    const pugi::xml_attribute a = n.attribute(attr);
    if (!a || std::string_view(a.value()).empty()) {
      fail(n, fmt::format("missing attribute '{}' on <{}>", attr, n.name()));
      return std::nullopt;
    }
    return std::string(a.value());
  }
  std::optional<double> number(pugi::xml_node n, const char* attr, bool needed = true) {
    const pugi::xml_attribute a = n.attribute(attr);
    if (!a) {
      if (needed) fail(n, fmt::format("missing attribute '{}' on <{}>", attr, n.name()));
      return std::nullopt;
    }
    const auto v = text::parse_finite_number(a.value());
    if (!v) fail(n, fmt::format("{}=\"{}\" on <{}> is not a number", attr, a.value(), n.name()));
    return v;
  }
  // Every element child must be one of `names`.
  bool children(pugi::xml_node n, std::initializer_list<std::string_view> names) {
    for (const pugi::xml_node c : n.children()) {
      if (c.type() != pugi::node_element) continue;
      if (std::find(names.begin(), names.end(), std::string_view(c.name())) == names.end())
        return fail(c, fmt::format("unexpected element <{}> inside <{}>", c.name(), n.name()));
    }
    return true;
  }

  pugi::xml_document doc_;
  std::string error;

 private:
  std::string path_;
  std::string text_;
};

std::optional<bool> parse_bool(std::string_view v) {
  if (v == "true") return true;
  if (v == "false") return false;
  return std::nullopt;
}

// "rules/cardiac-risk.xml" rather than the install-specific absolute path.
std::string table_name(const std::string& file) {
  if (file.empty()) return "the cardiac risk table";
  const std::filesystem::path p(file);
  return p.has_parent_path() ? (p.parent_path().filename() / p.filename()).generic_string() : p.generic_string();
}

Range scaled(const CardiacRiskModel& m, double dose_gy, double factor) {
  return {m.err_per_gy * dose_gy * factor, m.err_per_gy_lo * dose_gy * factor, m.err_per_gy_hi * dose_gy * factor};
}

}  // namespace

LoadResult load_cardiac_risk(const std::string& path) {
  LoadResult res;
  XmlFile f(path);
  const auto done = [&]() {
    res.error = f.error;
    return res;
  };
  if (!f.load()) return done();
  const pugi::xml_node root = f.doc_.document_element();
  if (std::string_view(root.name()) != "cardiac-risk") {
    f.fail(root, "the root element is not <cardiac-risk>");
    return done();
  }
  if (!f.allowed(root, {"version"}) || !f.children(root, {"excess-relative-risk", "baseline", "modifiers"}))
    return done();
  if (std::string_view(root.attribute("version").value()) != "1") {
    f.fail(root, "version=\"1\" expected on <cardiac-risk>");
    return done();
  }
  CardiacRiskModel m;
  m.file = path;
  const pugi::xml_node err = root.child("excess-relative-risk");
  if (!err) {
    f.fail(root, "no <excess-relative-risk> in <cardiac-risk>");
    return done();
  }
  if (!f.allowed(err, {"per_gy", "lo", "hi", "ci", "endpoint", "dose", "source"})) return done();
  const auto per_gy = f.number(err, "per_gy"), lo = f.number(err, "lo"), hi = f.number(err, "hi");
  const auto source = f.required(err, "source");
  if (!per_gy || !lo || !hi || !source) return done();
  if (!(*lo >= 0 && *lo <= *per_gy && *per_gy <= *hi)) {
    f.fail(err, "lo <= per_gy <= hi (and lo >= 0) expected on <excess-relative-risk>");
    return done();
  }
  m.err_per_gy = *per_gy;
  m.err_per_gy_lo = *lo;
  m.err_per_gy_hi = *hi;
  m.source = *source;

  for (const pugi::xml_node table : root.children("baseline")) {
    if (!f.allowed(table, {}) || !f.children(table, {"row"})) return done();
    for (const pugi::xml_node row : table.children("row")) {
      if (!f.allowed(row, {"age_from", "age_to", "risk_factors", "risk_pct", "horizon_age", "source", "note"}))
        return done();
      BaselineRow b;
      const auto from = f.number(row, "age_from"), to = f.number(row, "age_to"), pct = f.number(row, "risk_pct");
      const auto horizon = f.number(row, "horizon_age", false);
      const auto src = f.required(row, "source");
      if (!from || !to || !pct || !src || !f.error.empty()) return done();
      if (*from != static_cast<int>(*from) || *to != static_cast<int>(*to) || *from > *to) {
        f.fail(row, "whole ages with age_from <= age_to expected on <row>");
        return done();
      }
      if (!(*pct >= 0 && *pct <= 100)) {
        f.fail(row, "risk_pct between 0 and 100 expected on <row>");
        return done();
      }
      b.age_from = static_cast<int>(*from);
      b.age_to = static_cast<int>(*to);
      b.risk_pct = *pct;
      if (horizon) b.horizon_age = static_cast<int>(*horizon);
      if (const pugi::xml_attribute rf = row.attribute("risk_factors")) {
        b.risk_factors = parse_bool(rf.value());
        if (!b.risk_factors) {
          f.fail(row, fmt::format("risk_factors=\"{}\" on <row> is neither true nor false", rf.value()));
          return done();
        }
      }
      b.source = *src;
      m.baseline.push_back(std::move(b));
    }
  }
  for (const pugi::xml_node list : root.children("modifiers")) {
    if (!f.allowed(list, {}) || !f.children(list, {"modifier"})) return done();
    for (const pugi::xml_node mod : list.children("modifier")) {
      if (!f.allowed(mod, {"id", "note", "source"})) return done();
      const auto id = f.required(mod, "id");
      if (!id) return done();
      if (!one_of(kModifiers, *id)) {
        f.fail(mod, fmt::format("modifier id '{}' is not one of {}", *id, joined(kModifiers)));
        return done();
      }
      m.modifiers.push_back(*id);
    }
  }
  res.model = std::move(m);
  return res;
}

CoronaryRisk coronary_risk(double mean_heart_dose_gy, const PatientFacts& facts, const CardiacRiskModel& model) {
  CoronaryRisk r;
  r.mean_heart_dose_gy = mean_heart_dose_gy;
  r.source = model.source;
  r.excess_relative_risk_pct = scaled(model, mean_heart_dose_gy, 100.0);

  if (facts.baseline_coronary_risk_pct) {
    r.baseline_pct = *facts.baseline_coronary_risk_pct;
    r.baseline_source = "entered";
  } else if (!facts.age_years) {
    r.baseline_source = "no baseline entered and no age recorded";
  } else {
    const int age = *facts.age_years;
    const auto row = std::find_if(model.baseline.begin(), model.baseline.end(), [&](const BaselineRow& b) {
      if (age < b.age_from || age > b.age_to) return false;
      return !b.risk_factors || (facts.cardiac_risk_factors && *facts.cardiac_risk_factors == *b.risk_factors);
    });
    if (row != model.baseline.end()) {
      r.baseline_pct = row->risk_pct;
      r.baseline_source = row->source;
      r.notes.push_back(fmt::format("baseline {}% by age {}: table row for age {}-{}{}", row->risk_pct, row->horizon_age,
                                    row->age_from, row->age_to,
                                    row->risk_factors ? (*row->risk_factors ? ", with risk factors" : ", no risk factors")
                                                      : ""));
    } else {
      const std::string rf = !facts.cardiac_risk_factors ? "risk factors unknown"
                             : *facts.cardiac_risk_factors ? "with risk factors"
                                                           : "no risk factors";
      r.baseline_source = fmt::format("no baseline entered and no row of {} for age {}, {}",
                                      table_name(model.file), age, rf);
    }
  }
  if (r.baseline_pct) {
    const double b = *r.baseline_pct;
    r.absolute_excess_pct = scaled(model, mean_heart_dose_gy, b);
    r.risk_with_rt_pct = Range{b + r.absolute_excess_pct->value, b + r.absolute_excess_pct->lo,
                               b + r.absolute_excess_pct->hi};
  }
  const std::array<std::pair<std::string_view, const std::optional<bool>*>, 3> flags = {
      std::pair{kModifiers[0], &facts.anthracycline}, std::pair{kModifiers[1], &facts.trastuzumab},
      std::pair{kModifiers[2], &facts.existing_heart_disease}};
  for (const auto& [id, flag] : flags) {
    if (*flag && **flag) r.modifiers.emplace_back(id);
  }
  if (!r.modifiers.empty())
    r.notes.emplace_back("recorded modifiers have no published coefficient: shown for the clinician to weigh");
  return r;
}

ConstraintsLoad load_constraints(const std::string& path) {
  ConstraintsLoad res;
  XmlFile f(path);
  const auto done = [&]() {
    res.error = f.error;
    res.sets.clear();
    return res;
  };
  if (!f.load()) return done();
  const pugi::xml_node root = f.doc_.document_element();
  if (std::string_view(root.name()) != "heart-constraints") {
    f.fail(root, "the root element is not <heart-constraints>");
    return done();
  }
  if (!f.allowed(root, {"version"}) || !f.children(root, {"set"})) return done();
  if (std::string_view(root.attribute("version").value()) != "1") {
    f.fail(root, "version=\"1\" expected on <heart-constraints>");
    return done();
  }
  std::set<std::string> ids;
  for (const pugi::xml_node s : root.children("set")) {
    if (!f.allowed(s, {"id", "title", "source", "note"}) || !f.children(s, {"constraint"})) return done();
    ConstraintSet set;
    const auto id = f.required(s, "id");
    const auto title = f.required(s, "title");
    const auto source = f.required(s, "source");
    if (!id || !title || !source) return done();
    if (!ids.insert(*id).second) {
      f.fail(s, fmt::format("a second set with id '{}'", *id));
      return done();
    }
    set.id = *id;
    set.title = *title;
    set.source = *source;
    for (const pugi::xml_node c : s.children("constraint")) {
      if (!f.allowed(c, {"structure", "metric", "op", "limit", "unit", "condition", "note"})) return done();
      Constraint k;
      k.line = f.line(c);
      const auto structure = f.required(c, "structure");
      const auto metric = f.required(c, "metric");
      const auto op = f.required(c, "op");
      const auto limit = f.number(c, "limit");
      if (!structure || !metric || !op || !limit) return done();
      if (!one_of(kStructures, *structure)) {
        f.fail(c, fmt::format("structure '{}' is not one of {}", *structure, joined(kStructures)));
        return done();
      }
      const auto spec = dose::parse_metric(*metric);
      if (!spec) {
        f.fail(c, fmt::format("metric '{}' is not a metric name (Dmean, D2%, D0.03cc, V20Gy[%], ...)", *metric));
        return done();
      }
      if (*op == "<" || *op == "lt") {
        k.op = "<";
      } else if (*op == "<=" || *op == "le") {
        k.op = "<=";
      } else {
        f.fail(c, fmt::format("op '{}' is not < or <= (lt, le)", *op));
        return done();
      }
      k.unit = spec->unit();
      if (const pugi::xml_attribute u = c.attribute("unit"); u && std::string_view(u.value()) != k.unit) {
        f.fail(c, fmt::format("unit '{}' does not fit metric {} (its unit is {})", u.value(), spec->text, k.unit));
        return done();
      }
      if (const pugi::xml_attribute cond = c.attribute("condition")) {
        if (!one_of(kConditions, cond.value())) {
          f.fail(c, fmt::format("condition '{}' is not one of {}", cond.value(), joined(kConditions)));
          return done();
        }
        k.condition = cond.value();
      }
      k.structure = *structure;
      k.metric = spec->text;
      k.limit = *limit;
      set.constraints.push_back(std::move(k));
    }
    res.sets.push_back(std::move(set));
  }
  return res;
}

std::string_view to_string(ConstraintStatus s) {
  switch (s) {
    case ConstraintStatus::Pass: return "pass";
    case ConstraintStatus::Fail: return "fail";
    case ConstraintStatus::NotEvaluable: return "not evaluable";
  }
  return "not evaluable";
}

std::vector<ConstraintCheck> check_constraints(const std::vector<ConstraintSet>& sets, const MetricLookup& lookup) {
  std::vector<ConstraintCheck> out;
  for (const ConstraintSet& set : sets) {
    for (const Constraint& c : set.constraints) {
      ConstraintCheck k;
      k.set_id = set.id;
      k.structure = c.structure;
      k.metric = c.metric;
      k.op = c.op;
      k.unit = c.unit;
      k.condition = c.condition;
      k.source = set.source;
      k.limit = c.limit;
      std::string why;
      k.value = lookup ? lookup(c.structure, c.metric, why) : std::nullopt;
      if (!lookup) why = "no metric lookup";
      if (!k.value) {
        k.status = ConstraintStatus::NotEvaluable;
        k.reason = why.empty() ? "no value" : why;
      } else {
        const bool ok = c.op == "<=" ? *k.value <= c.limit : *k.value < c.limit;
        k.status = ok ? ConstraintStatus::Pass : ConstraintStatus::Fail;
        k.reason = why;  // a caveat the lookup gave with its value (e.g. partly outside the dose grid)
      }
      out.push_back(std::move(k));
    }
  }
  return out;
}

}  // namespace rtaudit::heart
