// Which guideline's reference CTV fits the patient's disease extent (miss/guideline_fit.hpp,
// docs/imn-risk.md section 4). The reading (ESTRO designed for early disease, RTOG better suited to
// advanced) and the categories are data in rules/guideline-fit.xml; this code only classifies.
#include "rtaudit/miss/guideline_fit.hpp"

#include "rtaudit/miss/risk_xml.hpp"

#include <algorithm>
#include <set>

namespace rtaudit::miss {
namespace {

using detail::RuleXml;

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// "pN2a", "ypN2a", "cN2a" -> "N2A": the prefixes say how the stage was found, not how far it is.
std::string n_category(std::string_view raw) {
  std::string s = upper(detail::trimmed(raw));
  std::size_t i = 0;
  while (i < s.size() && (s[i] == 'C' || s[i] == 'P' || s[i] == 'Y' || s[i] == 'R')) ++i;
  return s.substr(i);
}

// "N2" matches "N2A" but "N1" does not match "N10" (no such category; guards a typo).
bool n_matches(const std::string& category, const std::string& pattern) {
  const std::string p = upper(pattern);
  if (category.compare(0, p.size(), p) != 0) return false;
  return category.size() == p.size() || !std::isdigit(static_cast<unsigned char>(category[p.size()]));
}

// "Stage IIIA", "stage iiia", "IIIA" -> "IIIA".
std::string stage_group(std::string_view raw) {
  std::string s = upper(detail::trimmed(raw));
  if (s.rfind("STAGE", 0) == 0) s = detail::trimmed(std::string_view(s).substr(5));
  return s;
}

std::vector<std::string> texts(RuleXml& x, pugi::xml_node n, const char* child, bool& ok) {
  std::vector<std::string> out;
  for (const pugi::xml_node c : n.children(child)) {
    if (!x.allowed(c, {"value"}) || !x.children(c, {})) {
      ok = false;
      return out;
    }
    const auto v = x.required(c, "value");
    if (!v) {
      ok = false;
      return out;
    }
    out.push_back(*v);
  }
  return out;
}

const FitCategory* classify(const PatientFacts& f, const GuidelineFitRules& rules, GuidelineFit& out) {
  if (f.n_stage) {
    const std::string cat = n_category(*f.n_stage);
    for (const FitCategory& c : rules.categories) {
      if (std::any_of(c.n_stages.begin(), c.n_stages.end(), [&](const std::string& p) { return n_matches(cat, p); })) {
        out.basis = fmt::format("N stage '{}' (patient.json)", *f.n_stage);
        return &c;
      }
    }
    out.notes.push_back(fmt::format("N stage '{}' is in no category of {}: not used", *f.n_stage, rules.file));
  }
  if (f.positive_axillary_nodes) {
    const int n = *f.positive_axillary_nodes;
    for (const FitCategory& c : rules.categories) {
      if (!c.nodes_min && !c.nodes_max) continue;
      if ((!c.nodes_min || n >= *c.nodes_min) && (!c.nodes_max || n <= *c.nodes_max)) {
        out.basis = fmt::format("{} positive axillary node{} (no N stage given)", n, n == 1 ? "" : "s");
        return &c;
      }
    }
  }
  if (f.stage_group) {
    const std::string g = stage_group(*f.stage_group);
    for (const FitCategory& c : rules.categories) {
      if (std::any_of(c.stage_groups.begin(), c.stage_groups.end(), [&](const std::string& s) { return upper(s) == g; })) {
        out.basis = fmt::format("stage group '{}' (no N stage or node count given)", *f.stage_group);
        return &c;
      }
    }
    out.notes.push_back(fmt::format("stage group '{}' is in no category of {}: not used", *f.stage_group, rules.file));
  }
  return nullptr;
}

}  // namespace

GuidelineFitLoad load_guideline_fit(const std::string& path) {
  GuidelineFitLoad res;
  RuleXml x(path);
  const auto done = [&]() {
    res.error = x.error;
    if (!res.error.empty()) res.rules.reset();
    return res;
  };
  if (!x.load("guideline-fit")) return done();
  if (!x.allowed(x.root, {"format", "id", "version", "source"}) || !x.children(x.root, {"category", "early-only"}))
    return done();
  GuidelineFitRules r;
  r.file = path;
  const auto id = x.required(x.root, "id");
  const auto version = x.required(x.root, "version");
  const auto source = x.required(x.root, "source");
  if (!id || !version || !source) return done();
  r.id = *id;
  r.version = *version;
  r.source = *source;
  std::set<std::string> ids;
  for (const pugi::xml_node n : x.root.children("category")) {
    if (!x.allowed(n, {"id", "nodes_min", "nodes_max", "rationale"}) ||
        !x.children(n, {"n-stage", "stage-group", "prefer"}))
      return done();
    FitCategory c;
    const auto cid = x.required(n, "id");
    const auto rationale = x.required(n, "rationale");
    if (!cid || !rationale) return done();
    if (*cid != "early" && *cid != "advanced") {
      x.fail(n, fmt::format("category id '{}' is neither early nor advanced", *cid));
      return done();
    }
    if (!ids.insert(*cid).second) {
      x.fail(n, fmt::format("a second category '{}'", *cid));
      return done();
    }
    bool ok = true;
    c.nodes_min = x.count(n, "nodes_min", ok);
    if (ok) c.nodes_max = x.count(n, "nodes_max", ok);
    if (ok) c.n_stages = texts(x, n, "n-stage", ok);
    if (ok) c.stage_groups = texts(x, n, "stage-group", ok);
    if (ok) c.preferred = texts(x, n, "prefer", ok);
    if (!ok) return done();
    if (c.nodes_min && c.nodes_max && *c.nodes_min > *c.nodes_max) {
      x.fail(n, "nodes_min > nodes_max on <category>");
      return done();
    }
    if (c.preferred.empty()) {
      x.fail(n, fmt::format("category '{}' prefers no guideline (add <prefer value=\"...\"/>)", *cid));
      return done();
    }
    c.id = *cid;
    c.rationale = *rationale;
    r.categories.push_back(std::move(c));
  }
  bool ok = true;
  r.early_only = texts(x, x.root, "early-only", ok);
  if (!ok) return done();
  if (r.categories.empty()) {
    x.fail(x.root, "no <category> in <guideline-fit>");
    return done();
  }
  res.rules = std::move(r);
  return done();
}

GuidelineFit fit_guideline(const PatientFacts& facts, const GuidelineFitRules& rules,
                           const std::vector<std::string>& audited_guideline_ids) {
  GuidelineFit g;
  g.source = rules.source;
  const FitCategory* c = classify(facts, rules, g);
  if (!c) {
    g.extent = "unknown";
    g.basis = "no N stage, positive axillary node count or stage group in the patient file";
    g.notes.emplace_back("disease extent unknown: no guideline is weighted above the others");
    return g;
  }
  g.extent = c->id;
  g.preferred = c->preferred;
  g.rationale = c->rationale;
  const auto audited = [&](const std::string& id) {
    return std::find(audited_guideline_ids.begin(), audited_guideline_ids.end(), id) != audited_guideline_ids.end();
  };
  const auto w = std::find_if(g.preferred.begin(), g.preferred.end(), audited);
  if (w != g.preferred.end()) g.weighted = *w;
  else if (!audited_guideline_ids.empty())
    g.notes.emplace_back("none of the preferred guidelines was audited");
  if (audited_guideline_ids.empty()) g.notes.emplace_back("no guideline audited");
  const bool only_early = !audited_guideline_ids.empty() &&
                          std::all_of(audited_guideline_ids.begin(), audited_guideline_ids.end(), [&](const std::string& id) {
                            return std::find(rules.early_only.begin(), rules.early_only.end(), id) != rules.early_only.end();
                          });
  if (c->id == "advanced" && only_early) {
    std::string others;
    for (const auto& p : g.preferred) {
      if (std::find(rules.early_only.begin(), rules.early_only.end(), p) == rules.early_only.end())
        others += (others.empty() ? "" : ", ") + p;
    }
    std::string early;
    for (const auto& a : audited_guideline_ids) early += (early.empty() ? "" : ", ") + a;
    g.flag = true;
    g.flag_message = fmt::format(
        "advanced nodal disease ({}) audited only against {}, designed for early-stage disease; audit against {} as well",
        g.basis, early, others.empty() ? std::string("a guideline for advanced disease") : others);
  }
  return g;
}

}  // namespace rtaudit::miss
