#include "rtaudit/report/miss_json.hpp"

#include "rtaudit/report/json_values.hpp"

#include <fmt/format.h>

#include <cmath>

namespace rtaudit::report {
namespace {

using json = nlohmann::ordered_json;
using json_values::num;
using json_values::strings;
json point3(const geom::Point3& p) { return json::array({num(p.x), num(p.y), num(p.z)}); }

json vs_json(const miss::PointVsCtv& v) {
  json j;
  j["ctv"] = v.ctv;
  j["inside"] = v.geometry.inside;
  j["signed_distance_mm"] = num(v.geometry.signed_distance_mm);
  j["nearest_border"] = v.geometry.nearest_border ? json(std::string(miss::to_string(*v.geometry.nearest_border))) : json(nullptr);
  j["nearest_point_mm"] = v.geometry.nearest_point ? point3(*v.geometry.nearest_point) : json(nullptr);
  j["distance_class"] = std::string(miss::to_string(v.distance_class));
  j["marginal_distance_mm"] = num(v.marginal_distance_mm);
  if (v.dose) {
    j["dose"] = {{"prescription_gy", num(v.dose->prescription_gy)},
                 {"share_high_pct", num(v.dose->share_high_pct, 2)},
                 {"share_low_pct", num(v.dose->share_low_pct, 2)},
                 {"centre_dose_gy", num(v.dose->centre_dose_gy)},
                 {"min_gy", num(v.dose->min_gy)},
                 {"mean_gy", num(v.dose->mean_gy)},
                 {"max_gy", num(v.dose->max_gy)},
                 {"complete", v.dose->complete},
                 {"method", v.dose->method}};
  } else {
    j["dose"] = nullptr;
  }
  j["dose_class"] = v.dose_class ? json(std::string(miss::to_string(*v.dose_class))) : json(nullptr);
  j["class"] = std::string(miss::to_string(v.classification));
  j["basis"] = v.basis;
  return j;
}

json coverage_json(const miss::AtlasCoverage& c) {
  json j;
  j["nodes"] = c.nodes;
  j["mapped"] = c.mapped;
  j["covered"] = c.covered;
  j["covered_share_pct"] = c.covered_share ? num(100 * *c.covered_share, 2) : json(nullptr);
  j["uncovered"] = probability_json(c.uncovered);
  json per = json::array();
  for (const auto& i : c.per_ics)
    per.push_back({{"ics", i.ics}, {"nodes", i.nodes}, {"covered", i.covered}, {"unmapped", i.unmapped},
                   {"covered_share_pct", i.covered_share ? num(100 * *i.covered_share, 2) : json(nullptr)}});
  j["per_ics"] = per;
  j["notes"] = strings(c.notes);
  j["not_evaluable"] = c.not_evaluable.empty() ? json(nullptr) : json(c.not_evaluable);
  return j;
}

std::string pct(const miss::Probability& p) {
  if (p.value) return fmt::format("{:.1f}% ({:.1f}-{:.1f}%)", 100 * *p.value, 100 * p.lo, 100 * p.hi);
  return fmt::format("unknown, {:.1f}-{:.1f}%", 100 * p.lo, 100 * p.hi);
}

}  // namespace

json probability_json(const miss::Probability& p) {
  return {{"value_pct", p.value ? num(100 * *p.value, 2) : json(nullptr)}, {"lo_pct", num(100 * p.lo, 2)}, {"hi_pct", num(100 * p.hi, 2)}};
}

json miss_to_json(const miss::MissAssessment& m, const miss::ClassifyOptions& options) {
  json j;
  j["conventions"] = {
      {"distance", "exact 3-D distance to the CTV's slab-stack surface (CGAL AABB tree), negative inside"},
      {"nearest_border", "the largest component of the outward direction from the point to its nearest surface point"},
      {"distance_class", fmt::format("in-field: centre inside; marginal: outside within max({:g} mm, lesion radius); outside: beyond",
                                     options.marginal_margin_mm)},
      {"dose_class", fmt::format("lesion with a size: in-field when >= {:g} % of it lies within the {:g} % isodose (Dawson et al., IJROBP "
                                 "2000;46:1117), outside when < {:g} % lies within the {:g} % isodose, else marginal; no size: centre "
                                 "dose >= {:g} % in-field, >= {:g} % marginal, else outside (percent of the prescription)",
                                 options.dose.in_field_share_pct, options.dose.high_level_pct, options.dose.marginal_share_pct,
                                 options.dose.low_level_pct, options.dose.high_level_pct, options.dose.low_level_pct)},
      {"atlas_coverage", "share of atlas node centres inside the CTV, per ICS, weighted by the primary ICS distribution"},
      {"expected_miss", "P(IMN involvement) x uncovered atlas share; bounds = products of the bounds"}};
  json points = json::array();
  for (const auto& r : m.points) {
    json p;
    p["id"] = r.point.id;
    p["kind"] = r.point.kind;
    p["position_mm"] = point3(r.point.position_mm);
    p["radius_mm"] = num(r.point.radius_mm);
    p["site"] = r.point.site;
    p["modality"] = r.point.modality;
    p["date"] = r.point.date;
    p["source"] = r.point.source;
    p["registration"] = r.point.registration.empty() ? json(nullptr) : json(r.point.registration);
    p["ics"] = r.ics ? json(*r.ics) : json(nullptr);
    if (!r.ics_note.empty()) p["ics_note"] = r.ics_note;
    json vs = json::array();
    for (const auto& v : r.vs) vs.push_back(vs_json(v));
    p["vs"] = vs;
    points.push_back(std::move(p));
  }
  j["points"] = points;
  json ctvs = json::array();
  for (const auto& c : m.ctvs) {
    json x;
    x["key"] = c.key;
    x["label"] = c.label;
    x["guideline_id"] = c.guideline_id.empty() ? json(nullptr) : json(c.guideline_id);
    x["not_evaluable"] = c.not_evaluable.empty() ? json(nullptr) : json(c.not_evaluable);
    x["recurrences"] = {{"in_field", c.in_field}, {"marginal", c.marginal}, {"outside", c.outside}};
    x["findings"] = strings(c.findings);
    x["atlas_coverage"] = c.coverage ? coverage_json(*c.coverage) : json(nullptr);
    x["expected_miss"] = c.expected_miss ? probability_json(*c.expected_miss) : json(nullptr);
    x["miss_basis"] = c.miss_basis;
    ctvs.push_back(std::move(x));
  }
  j["ctvs"] = ctvs;
  if (m.atlas_mapping) {
    j["atlas_mapping"] = {{"mapped", m.atlas_mapping->mapped}, {"unmapped", m.atlas_mapping->unmapped},
                          {"notes", strings(m.atlas_mapping->notes)},
                          {"not_evaluable", m.atlas_mapping->not_evaluable.empty() ? json(nullptr) : json(m.atlas_mapping->not_evaluable)}};
  } else {
    j["atlas_mapping"] = nullptr;
  }
  if (m.risk) {
    json r;
    r["probability"] = probability_json(m.risk->probability);
    r["basis"] = m.risk->basis;
    json tables = json::array();
    for (const auto& t : m.risk->tables) {
      tables.push_back({{"table", t.table_id}, {"source", t.citation.empty() ? t.source : t.citation}, {"stratum", t.stratum},
                        {"rate_pct", t.rate ? num(100 * *t.rate, 2) : json(nullptr)}, {"lo_pct", num(100 * t.lo, 2)},
                        {"hi_pct", num(100 * t.hi, 2)}, {"missing_factors", strings(t.missing_factors)},
                        {"not_applicable", t.not_applicable.empty() ? json(nullptr) : json(t.not_applicable)}});
    }
    r["tables"] = tables;
    r["missing_factors"] = strings(m.risk->missing_factors);
    json unq = json::array();
    for (const auto& f : m.risk->unquantified)
      unq.push_back({{"factor", f.factor}, {"condition", f.condition}, {"effect", f.effect}, {"ratio", num(f.ratio)}, {"source", f.source}, {"note", f.note}});
    r["unquantified_factors"] = unq;
    r["unknown_modifiers"] = strings(m.risk->unknown_modifiers);
    r["notes"] = strings(m.risk->notes);
    j["imn_risk"] = r;
  } else {
    j["imn_risk"] = nullptr;
  }
  if (m.imaging) {
    json steps = json::array();
    for (const auto& s : m.imaging->steps) {
      steps.push_back({{"modality", s.modality}, {"finding", s.finding},
                       {"sensitivity_pct", s.accuracy ? num(s.accuracy->sensitivity ? std::optional<double>(100 * *s.accuracy->sensitivity) : std::nullopt, 2) : json(nullptr)},
                       {"specificity_pct", s.accuracy ? num(s.accuracy->specificity ? std::optional<double>(100 * *s.accuracy->specificity) : std::nullopt, 2) : json(nullptr)},
                       {"source", s.accuracy ? json(s.accuracy->source) : json(nullptr)},
                       {"before", probability_json(s.before)}, {"after", probability_json(s.after)}, {"note", s.note}});
    }
    j["imaging"] = {{"prior", probability_json(m.imaging->prior)}, {"posterior", probability_json(m.imaging->posterior)},
                    {"steps", steps}, {"notes", strings(m.imaging->notes)}};
  } else {
    j["imaging"] = nullptr;
  }
  j["involvement"] = m.involvement ? probability_json(*m.involvement) : json(nullptr);
  j["involvement_basis"] = m.involvement_basis;
  j["miss_without_imc"] = m.miss_without_imc ? probability_json(*m.miss_without_imc) : json(nullptr);
  if (m.fit) {
    j["guideline_fit"] = {{"extent", m.fit->extent}, {"basis", m.fit->basis}, {"preferred", strings(m.fit->preferred)},
                          {"weighted", m.fit->weighted.empty() ? json(nullptr) : json(m.fit->weighted)},
                          {"flag", m.fit->flag}, {"flag_message", m.fit->flag_message}, {"rationale", m.fit->rationale},
                          {"source", m.fit->source}, {"notes", strings(m.fit->notes)}};
  } else {
    j["guideline_fit"] = nullptr;
  }
  j["notes"] = strings(m.notes);
  j["not_evaluable"] = strings(m.not_evaluable);
  return j;
}

std::string miss_to_text(const miss::MissAssessment& m) {
  std::string s = "geographic miss:\n";
  for (const auto& r : m.points) {
    s += fmt::format("  {} {} ({}{}):", r.point.kind, r.point.id, !r.ics ? std::string("ICS ?") : *r.ics == 0 ? std::string("on a rib") : fmt::format("ICS{}", *r.ics),
                     r.point.radius_mm ? fmt::format(", r {:.1f} mm", *r.point.radius_mm) : std::string());
    for (const auto& v : r.vs)
      s += fmt::format(" {} {} {:+.1f} mm{};", v.ctv, miss::to_string(v.classification), v.geometry.signed_distance_mm,
                       v.geometry.nearest_border ? fmt::format(" {}", miss::to_string(*v.geometry.nearest_border)) : std::string());
    s += "\n";
  }
  if (m.involvement) s += fmt::format("  P(IMN involvement): {} [{}]\n", pct(*m.involvement), m.involvement_basis);
  for (const auto& c : m.ctvs) {
    if (c.coverage && c.coverage->covered_share)
      s += fmt::format("  {}: atlas coverage {:.1f}%{}\n", c.label, 100 * *c.coverage->covered_share,
                       c.expected_miss ? fmt::format(", expected miss {}", pct(*c.expected_miss)) : std::string());
    for (const auto& f : c.findings) s += fmt::format("  finding: {}\n", f);
  }
  if (m.fit) {
    s += fmt::format("  guideline fit: {} disease ({}){}\n", m.fit->extent, m.fit->basis,
                     m.fit->weighted.empty() ? std::string() : fmt::format(", weighs {}", m.fit->weighted));
    if (m.fit->flag) s += fmt::format("  FLAG: {}\n", m.fit->flag_message);
  }
  for (const auto& n : m.not_evaluable) s += fmt::format("  not evaluable: {}\n", n);
  return s;
}

std::optional<std::vector<miss::CohortPoint>> cohort_points_from_report(const nlohmann::json& report, const std::string& patient) {
  if (!report.is_object() || !report.contains("miss") || !report["miss"].is_object()) return std::nullopt;
  const auto& points = report["miss"].value("points", nlohmann::json::array());
  std::vector<miss::CohortPoint> out;
  for (const auto& p : points) {
    miss::CohortPoint c;
    c.patient = patient;
    c.point_id = p.value("id", "");
    c.kind = p.value("kind", "recurrence");
    for (const auto& v : p.value("vs", nlohmann::json::array())) {
      const std::string cls = v.value("class", "");
      const std::string key = v.value("ctv", "");
      if (cls == "in-field") c.classes[key] = miss::PointClass::InField;
      else if (cls == "marginal") c.classes[key] = miss::PointClass::Marginal;
      else if (cls == "outside") c.classes[key] = miss::PointClass::Outside;
    }
    out.push_back(std::move(c));
  }
  return out;
}

json cohort_to_json(const miss::CohortTable& t) {
  json j;
  j["schema"] = "rtaudit-miss-cohort";
  j["schema_version"] = 1;
  j["kind"] = t.kind;
  j["patients"] = t.patients;
  j["points"] = t.points;
  json rows = json::array();
  for (const auto& r : t.rows)
    rows.push_back({{"ctv", r.ctv}, {"points", r.points}, {"in_field", r.in_field}, {"marginal", r.marginal}, {"outside", r.outside},
                    {"in_field_pct", num(r.share(r.in_field), 2)}, {"marginal_pct", num(r.share(r.marginal), 2)},
                    {"outside_pct", num(r.share(r.outside), 2)}});
  j["rows"] = rows;
  const auto share = [&](int n) { return t.both_evaluated > 0 ? num(100.0 * n / t.both_evaluated, 2) : json(nullptr); };
  j["estro_vs_rtog"] = {{"estro", t.estro_key}, {"rtog", t.rtog_key}, {"both_evaluated", t.both_evaluated},
                        {"outside_estro_inside_rtog", t.outside_estro_inside_rtog},
                        {"outside_estro_inside_rtog_pct", share(t.outside_estro_inside_rtog)},
                        {"outside_rtog_inside_estro", t.outside_rtog_inside_estro},
                        {"outside_rtog_inside_estro_pct", share(t.outside_rtog_inside_estro)},
                        {"literature", "14 % of regional recurrences outside ESTRO but inside RTOG (Loganadane et al. 2017, 796 patients)"}};
  return j;
}

std::string cohort_to_csv(const miss::CohortTable& t) {
  std::string s = "ctv,kind,patients,points,in_field,marginal,outside,in_field_pct,marginal_pct,outside_pct\n";
  for (const auto& r : t.rows)
    s += fmt::format("{},{},{},{},{},{},{},{:.2f},{:.2f},{:.2f}\n", csv_cell(r.ctv), csv_cell(t.kind), t.patients, r.points, r.in_field,
                     r.marginal, r.outside, r.share(r.in_field), r.share(r.marginal), r.share(r.outside));
  s += fmt::format("{},{},{},{},{},,,{},,\n", csv_cell("outside " + t.estro_key + " inside " + t.rtog_key), csv_cell(t.kind), t.patients,
                   t.both_evaluated, t.outside_estro_inside_rtog,
                   t.both_evaluated > 0 ? fmt::format("{:.2f}", 100.0 * t.outside_estro_inside_rtog / t.both_evaluated) : std::string());
  return s;
}

std::string cohort_to_text(const miss::CohortTable& t) {
  std::string s = fmt::format("{} {}(s) in {} patient(s)\n", t.points, t.kind, t.patients);
  s += fmt::format("  {:<16} {:>6} {:>10} {:>10} {:>10}\n", "CTV", "points", "in-field", "marginal", "outside");
  for (const auto& r : t.rows)
    s += fmt::format("  {:<16} {:>6} {:>9.1f}% {:>9.1f}% {:>9.1f}%\n", r.ctv, r.points, r.share(r.in_field), r.share(r.marginal), r.share(r.outside));
  if (t.both_evaluated > 0)
    s += fmt::format("  outside {} but inside {}: {} of {} ({:.1f}%)\n", t.estro_key, t.rtog_key, t.outside_estro_inside_rtog,
                     t.both_evaluated, 100.0 * t.outside_estro_inside_rtog / t.both_evaluated);
  return s;
}

}  // namespace rtaudit::report
