// Bayesian update of the IMN-involvement probability by imaging (miss/imaging.hpp,
// docs/imn-risk.md section 3). Sensitivity and specificity come from rules/imaging.xml, which
// cites the review's Table 1; an unknown one is bounded over [0, 1] rather than guessed.
#include "rtaudit/miss/imaging.hpp"

#include "rtaudit/miss/risk_xml.hpp"

#include <algorithm>
#include <set>

namespace rtaudit::miss {
namespace {

using detail::lower;
using detail::RuleXml;

// "unknown" is written explicitly in the file so that a forgotten value is an error, not a gap.
std::optional<double> accuracy_value(RuleXml& x, pugi::xml_node n, const char* attr, bool& ok) {
  if (!n.attribute(attr)) {
    ok = x.fail(n, fmt::format("missing attribute '{}' on <modality> (write {}=\"unknown\" when the sources do not give it)",
                               attr, attr));
    return std::nullopt;
  }
  if (std::string_view(n.attribute(attr).value()) == "unknown") return std::nullopt;
  return x.fraction(n, attr, ok);
}

// P(D | finding) for one prior and one (Se, Sp); nullopt on 0/0 (the finding is impossible there).
std::optional<double> posterior(double p, bool positive, double se, double sp) {
  const double num = positive ? p * se : p * (1 - se);
  const double den = num + (positive ? (1 - p) * (1 - sp) : (1 - p) * sp);
  if (!(den > 0)) return std::nullopt;
  return std::clamp(num / den, 0.0, 1.0);
}

std::string percent(double v) { return fmt::format("{:.1f}%", 100 * v); }

std::string range_text(const Probability& p) {
  if (p.value) return fmt::format("{} [{}, {}]", percent(*p.value), percent(p.lo), percent(p.hi));
  return fmt::format("no value, [{}, {}]", percent(p.lo), percent(p.hi));
}

}  // namespace

const ModalityAccuracy* ImagingTable::find(const std::string& name) const {
  const std::string key = lower(detail::trimmed(name));
  for (const ModalityAccuracy& m : modalities) {
    if (lower(m.id) == key) return &m;
    if (std::any_of(m.aliases.begin(), m.aliases.end(), [&](const std::string& a) { return lower(a) == key; })) return &m;
  }
  return nullptr;
}

ImagingLoad load_imaging(const std::string& path) {
  ImagingLoad res;
  RuleXml x(path);
  const auto done = [&]() {
    res.error = x.error;
    if (!res.error.empty()) res.table.reset();
    return res;
  };
  if (!x.load("imaging")) return done();
  if (!x.allowed(x.root, {"format", "id", "version"}) || !x.children(x.root, {"modality"})) return done();
  ImagingTable t;
  t.file = path;
  const auto id = x.required(x.root, "id");
  const auto version = x.required(x.root, "version");
  if (!id || !version) return done();
  t.id = *id;
  t.version = *version;
  std::set<std::string> names;  // ids and aliases, lower case: one spelling must mean one modality
  for (const pugi::xml_node n : x.root.children("modality")) {
    if (!x.allowed(n, {"id", "name", "sensitivity", "specificity", "accuracy", "patients", "nodes", "source", "note"}) ||
        !x.children(n, {"alias"}))
      return done();
    ModalityAccuracy m;
    const auto mid = x.required(n, "id");
    const auto name = x.required(n, "name");
    const auto source = x.required(n, "source");
    if (!mid || !name || !source) return done();
    bool ok = true;
    m.sensitivity = accuracy_value(x, n, "sensitivity", ok);
    if (ok) m.specificity = accuracy_value(x, n, "specificity", ok);
    if (ok && n.attribute("accuracy") && std::string_view(n.attribute("accuracy").value()) != "unknown")
      (void)x.fraction(n, "accuracy", ok);  // checked, shown in the file; the update does not use it
    if (ok) m.patients = x.count(n, "patients", ok);
    if (ok) m.nodes = x.count(n, "nodes", ok);
    if (!ok) return done();
    m.id = *mid;
    m.name = *name;
    m.source = *source;
    m.note = RuleXml::optional(n, "note");
    if (!names.insert(lower(m.id)).second) {
      x.fail(n, fmt::format("modality '{}' is defined twice (or is another modality's alias)", m.id));
      return done();
    }
    for (const pugi::xml_node a : n.children("alias")) {
      if (!x.allowed(a, {"name"}) || !x.children(a, {})) return done();
      const auto alias = x.required(a, "name");
      if (!alias) return done();
      if (!names.insert(lower(*alias)).second) {
        x.fail(a, fmt::format("alias '{}' already names a modality", *alias));
        return done();
      }
      m.aliases.push_back(*alias);
    }
    t.modalities.push_back(std::move(m));
  }
  if (t.modalities.empty()) {
    x.fail(x.root, "no <modality> in <imaging>");
    return done();
  }
  res.table = std::move(t);
  return done();
}

Probability bayes_update(const Probability& prior, bool positive, std::optional<double> sensitivity,
                         std::optional<double> specificity) {
  // The posterior rises with the prior; after a positive finding it rises with Se and Sp, after a
  // negative one it falls with both. So the bounds are the corners of the box of possible values.
  const double se_lo = sensitivity.value_or(0), se_hi = sensitivity.value_or(1);
  const double sp_lo = specificity.value_or(0), sp_hi = specificity.value_or(1);
  Probability out;
  if (positive) {
    out.lo = posterior(prior.lo, true, se_lo, sp_lo).value_or(prior.lo);
    out.hi = posterior(prior.hi, true, se_hi, sp_hi).value_or(prior.hi);
  } else {
    out.lo = posterior(prior.lo, false, se_hi, sp_hi).value_or(prior.lo);
    out.hi = posterior(prior.hi, false, se_lo, sp_lo).value_or(prior.hi);
  }
  if (prior.value && sensitivity && specificity) {
    out.value = posterior(*prior.value, positive, *sensitivity, *specificity).value_or(*prior.value);
    // A 0/0 at a bound (kept prior) may leave the value outside; the bounds must still hold it.
    out.lo = std::min(out.lo, *out.value);
    out.hi = std::max(out.hi, *out.value);
  }
  return out;
}

ImagingPosterior update_with_imaging(const Probability& prior, const std::vector<PatientFacts::ImagingFinding>& findings,
                                     const ImagingTable& table) {
  ImagingPosterior r;
  r.prior = prior;
  Probability cur = prior;
  int applied = 0;
  for (const auto& f : findings) {
    ImagingStep step;
    step.modality = f.modality;
    step.finding = f.finding;
    step.accuracy = table.find(f.modality);
    step.before = cur;
    if (f.finding == "not_done") {
      step.note = "not done: no update";
    } else if (f.finding != "positive" && f.finding != "negative") {
      step.note = fmt::format("finding '{}' is not positive, negative or not_done: no update", f.finding);
    } else if (!step.accuracy) {
      step.note = fmt::format("modality '{}' is not in {}: no update", f.modality,
                              table.file.empty() ? std::string("the imaging table") : table.file);
      r.notes.push_back(step.note);
    } else {
      const ModalityAccuracy& a = *step.accuracy;
      cur = bayes_update(cur, f.finding == "positive", a.sensitivity, a.specificity);
      ++applied;
      std::vector<std::string> unknown;
      if (!a.sensitivity) unknown.emplace_back("sensitivity");
      if (!a.specificity) unknown.emplace_back("specificity");
      const std::string size = a.patients || a.nodes
                                   ? fmt::format(" (study: {} patients, {} IMNs)",
                                                 a.patients ? std::to_string(*a.patients) : "?",
                                                 a.nodes ? std::to_string(*a.nodes) : "?")
                                   : "";
      step.note = unknown.empty()
                      ? fmt::format("{} {}: Se {}, Sp {}{}", a.id, f.finding, percent(*a.sensitivity),
                                    percent(*a.specificity), size)
                      : fmt::format("{} {}: {} not known: posterior bounded over [0, 1] for it{}", a.id, f.finding,
                                    unknown.size() == 2 ? "sensitivity and specificity" : unknown.front(), size);
    }
    step.after = cur;
    if (!step.note.empty() && step.accuracy && (f.finding == "positive" || f.finding == "negative"))
      step.note += fmt::format("; {} -> {}", range_text(step.before), range_text(step.after));
    r.steps.push_back(std::move(step));
  }
  r.posterior = cur;
  if (applied > 1)
    r.notes.emplace_back("findings applied in turn, assuming the examinations are conditionally independent given "
                         "the node status (not established by the sources)");
  if (applied == 0) r.notes.emplace_back("no imaging finding updated the probability");
  return r;
}

}  // namespace rtaudit::miss
