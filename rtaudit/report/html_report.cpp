#include "rtaudit/report/html_report.hpp"

#include "rtaudit/report/escape.hpp"
#include "rtaudit/report/json_read.hpp"

#include <fmt/format.h>

#include <cmath>
#include <optional>

namespace rtaudit::report {

namespace {

using json = nlohmann::ordered_json;
using json_read::member;


/// Any JSON scalar as display text (escaped by the caller); null as an em dash.
std::string plain(const json& v, int decimals = -1) {
  if (v.is_null()) return "\xE2\x80\x94";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (v.is_number()) {
    const double d = v.get<double>();
    if (decimals >= 0) return fmt::format("{:.{}f}", d, decimals);
    return fmt::format("{:g}", d);
  }
  return v.dump();
}

/// Escaped display text of `j[key]`.
std::string e(const json& j, const char* key, int decimals = -1) { return html_escape(plain(member(j, key), decimals)); }

std::string status_class(const std::string& s) {
  if (s == "pass" || s == "fail" || s == "warn" || s == "info") return s;
  return "ne";
}

std::string status_text(const std::string& s) { return s == "not_evaluable" || s == "not evaluable" ? "not evaluable" : s; }

std::string badge(const std::string& status) {
  return fmt::format("<span class=\"badge {}\">{}</span>", status_class(status), html_escape(status_text(status)));
}

std::string list_items(const json& a) {
  std::string s;
  if (!a.is_array()) return s;
  for (const auto& v : a) s += "<li>" + html_escape(v.is_string() ? v.get<std::string>() : v.dump()) + "</li>";
  return s;
}

/// "12.3 % (5.1-20.0 %)" from {value_pct, lo_pct, hi_pct} or {value, lo, hi}.
std::string range_text(const json& r, const char* v, const char* lo, const char* hi, const char* unit, int decimals) {
  if (!r.is_object()) return "not available";
  const json& value = member(r, v);
  const json& l = member(r, lo);
  const json& h = member(r, hi);
  std::string s = value.is_number() ? fmt::format("{:.{}f}{}", value.get<double>(), decimals, unit) : std::string("no single value");
  if (l.is_number() && h.is_number()) s += fmt::format(" (range {:.{}f}\xE2\x80\x93{:.{}f}{})", l.get<double>(), decimals, h.get<double>(), decimals, unit);
  return s;
}

constexpr const char* kCss = R"css(
:root{--fg:#1a1a1a;--muted:#5a5a5a;--line:#d0d0d0;--pass:#1a7f37;--warn:#b35900;--fail:#c0111f;--ne:#6b6b6b;--info:#1f5fa8}
*{box-sizing:border-box}
body{font:14px/1.45 "DejaVu Sans",Arial,sans-serif;color:var(--fg);margin:0 auto;max-width:1100px;padding:18px 24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;border-bottom:2px solid var(--line);padding-bottom:3px;margin-top:28px}
h3{font-size:15px;margin:18px 0 6px}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:13px}
th,td{border:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.meta td:first-child{width:230px;color:var(--muted)}
.badge{display:inline-block;min-width:84px;text-align:center;border-radius:3px;padding:0 6px;color:#fff;font-weight:bold;font-size:12px}
.badge.pass{background:var(--pass)}.badge.warn{background:var(--warn)}.badge.fail{background:var(--fail)}
.badge.ne{background:var(--ne)}.badge.info{background:var(--info)}
.provisional{color:var(--warn);font-weight:bold}
.panel{display:grid;grid-template-columns:1fr 1fr;gap:14px}
.panel>div{border:1px solid var(--line);border-radius:4px;padding:8px 12px}
.big{font-size:17px;font-weight:bold}
.figures{display:flex;flex-wrap:wrap;gap:14px}
figure{margin:0;border:1px solid var(--line);padding:6px;max-width:100%}
figure.wide{flex-basis:100%}
figcaption{font-size:12px;color:var(--muted);max-width:640px}
svg{max-width:100%;height:auto;display:block}
svg .view-bg{fill:#fff}svg .plot-area{fill:#fff;stroke:#999}
svg .grid{stroke:#e3e3e3}svg .tick,svg .annot,svg .legend,svg .poi-label{font-size:11px;fill:#333}
svg .axis-label{font-size:12px;fill:#222}svg .chart-title{font-size:13px;font-weight:bold;fill:#222}
svg .orient{font-size:12px;font-weight:bold;fill:#888}svg .empty-note{font-size:13px;fill:#888}
svg .rib-band{fill:#bdbdbd;fill-opacity:.35}svg .level{stroke:#555;stroke-dasharray:2 3}
svg .scale{stroke:#000;stroke-width:2}svg .legend-bg{fill:#fafafa}svg .legend-rule{stroke:#ccc}
.notes li{margin-bottom:2px}.muted{color:var(--muted)}
.basis-estimated{color:#8a4b00;font-weight:bold}.basis-ct{color:#225}
@page{size:A4;margin:14mm}
@media print{body{max-width:none;padding:0;font-size:10.5pt}h2{break-after:avoid}
 figure,table,.panel>div{break-inside:avoid}.figures{gap:6px}a{color:inherit;text-decoration:none}
 .signoff{display:block}}
.signoff{display:none;margin-top:30px;border-top:1px solid #000;padding-top:8px}
.signoff div{display:inline-block;width:45%;margin-right:4%;border-bottom:1px solid #000;height:36px}
)css";

}  // namespace

const char* report_css() { return kCss; }

namespace {

std::string header(const json& r) {
  const json& c = member(r, "case");
  const json& set = member(c, "structure_set");
  const json& side = member(r, "treated_side");
  const json& heart = member(r, "heart");
  std::string patient = plain(member(c, "patient_id"));
  const bool pseudonymised = member(r, "pseudonymized").is_boolean() && member(r, "pseudonymized").get<bool>();
  std::string s = "<header><h1>IMC target audit</h1>";
  s += "<table class=\"meta\">";
  s += fmt::format("<tr><td>{}</td><td id=\"patient\">{}</td></tr>", pseudonymised ? "Patient (pseudonym)" : "Patient ID",
                   html_escape(patient));
  s += fmt::format("<tr><td>Structure set</td><td>{} \xC2\xB7 {} {} \xC2\xB7 {}</td></tr>", e(set, "label"), e(set, "date"), e(set, "time"),
                   e(set, "file"));
  if (const json& plan = member(c, "plan"); plan.is_object()) {
    s += fmt::format("<tr><td>Plan</td><td id=\"plan\">{} \xC2\xB7 {} {} \xC2\xB7 {} \xC2\xB7 {} Gy in {} fractions</td></tr>", e(plan, "label"),
                     e(plan, "date"), e(plan, "time"), e(plan, "file"), e(plan, "prescription_gy", 2), e(plan, "fractions"));
  } else {
    s += "<tr><td>Plan</td><td id=\"plan\">no RTPLAN used</td></tr>";
  }
  if (const json& site = member(c, "site"); site.is_object()) {
    s += fmt::format("<tr><td>Institution, department, planner, date</td><td id=\"site\">{} \xC2\xB7 {} \xC2\xB7 {} \xC2\xB7 {} <span class=\"muted\">({})</span></td></tr>",
                     e(site, "institution"), e(site, "department"), e(site, "planner"), e(site, "date"), e(site, "source"));
  }
  s += fmt::format("<tr><td>Dose</td><td>{}</td></tr>", html_escape(plain(member(heart, "dose"))));
  s += fmt::format("<tr><td>Treated side</td><td id=\"treated-side\">{} <span class=\"muted\">({})</span></td></tr>", e(side, "side"),
                   e(side, "method"));
  const json& clinical = member(r, "clinical_ctv");
  s += fmt::format("<tr><td>Clinical CTVn_IMN</td><td>ROI {} \xE2\x80\x98{}\xE2\x80\x99, {} cc</td></tr>", e(clinical, "roi_number"),
                   e(clinical, "roi_name"), e(clinical, "volume_cc", 2));
  std::string guidelines;
  for (const auto& g : member(member(r, "rules"), "guidelines")) {
    if (member(g, "audited").is_boolean() && !member(g, "audited").get<bool>()) continue;
    guidelines += fmt::format("{}{} v{} ({}){}", guidelines.empty() ? "" : "; ", e(g, "id"), e(g, "version"), e(g, "file"),
                              member(g, "provisional").is_boolean() && member(g, "provisional").get<bool>() ? ", provisional" : "");
  }
  s += fmt::format("<tr><td>Guideline files</td><td>{}</td></tr>", guidelines);
  s += fmt::format("<tr><td>rtaudit</td><td>version {}, report generated {}</td></tr>", e(r, "rtaudit_version"), e(r, "generated"));
  s += "</table></header>";
  return s;
}

}  // namespace

std::vector<VerdictRow> verdict_rows(const nlohmann::ordered_json& r) {
  std::vector<VerdictRow> rows;
  for (const auto& g : member(r, "guidelines")) {
    const std::string id = plain(member(g, "id"));
    const json& checks = member(g, "checks");
    rows.push_back({id, "overall", plain(member(g, "overall")), ""});
    for (const auto& c : member(checks, "levels")) rows.push_back({id, plain(member(c, "border")) + " border", plain(member(c, "status")), ""});
    for (const auto& c : member(checks, "margins")) rows.push_back({id, plain(member(c, "direction")) + " margin", plain(member(c, "status")), ""});
    for (const auto& c : member(checks, "organ_overlaps")) rows.push_back({id, "overlap " + plain(member(c, "role")), plain(member(c, "status")), ""});
    // The one-sentence messages of the summary, matched by check name.
    for (const auto& f : member(g, "summary")) {
      for (auto& row : rows) {
        if (row.group == id && row.check == plain(member(f, "check"))) row.message = plain(member(f, "message"));
      }
    }
    for (const auto& f : member(g, "not_evaluable")) {
      for (auto& row : rows) {
        if (row.group == id && row.check == plain(member(f, "check")) && row.message.empty()) row.message = plain(member(f, "reason"));
      }
    }
  }
  for (const auto& c : member(member(r, "heart"), "constraints")) {
    std::string status = plain(member(c, "status"));
    if (status == "not evaluable") status = "not_evaluable";
    std::string message = fmt::format("{} {} {} {} {} (value {})", plain(member(c, "structure")), plain(member(c, "metric")),
                                      plain(member(c, "op")), plain(member(c, "limit")), plain(member(c, "unit")), plain(member(c, "value"), 2));
    if (member(c, "reason").is_string()) message += ": " + member(c, "reason").get<std::string>();
    rows.push_back({"heart", plain(member(c, "set")) + ": " + plain(member(c, "structure")) + " " + plain(member(c, "metric")), status, message});
  }
  return rows;
}

namespace {

std::string verdict_block(const json& r) {
  std::string s = "<section id=\"verdict\"><h2>Verdict</h2>";
  s += "<p class=\"muted\">Every check and its status. There is no verdict across guidelines: a CTV drawn to ESTRO fails RTOG's "
       "cranial border by design. Deviations: positive = the clinical CTV extends further than the guideline.</p>";
  s += "<table id=\"verdict-table\"><tr><th>guideline / topic</th><th>check</th><th>status</th><th>finding</th></tr>";
  for (const auto& row : verdict_rows(r)) {
    s += fmt::format("<tr class=\"check\" data-group=\"{}\" data-check=\"{}\" data-status=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                     html_escape(row.group), html_escape(row.check), html_escape(row.status), html_escape(row.group), html_escape(row.check),
                     badge(row.status), html_escape(row.message));
  }
  s += "</table>";
  // Points of interest that are findings (a sentinel node outside the CTV, a recurrence outside).
  std::string findings;
  for (const auto& c : member(member(r, "miss"), "ctvs")) {
    for (const auto& f : member(c, "findings")) findings += "<li>" + html_escape(plain(member(c, "label"))) + ": " + html_escape(plain(f)) + "</li>";
  }
  if (!findings.empty()) s += "<h3>Points of interest not in-field</h3><ul class=\"notes\">" + findings + "</ul>";
  return s + "</section>";
}

std::string benefit_risk_panel(const json& r) {
  const json& miss = member(r, "miss");
  const json& heart = member(r, "heart");
  std::string s = "<section id=\"benefit-risk\"><h2>Benefit and risk</h2><div class=\"panel\">";
  // Nodes outside the treated volume.
  s += "<div><h3>Involved IM nodes outside the treated volume</h3>";
  const json* clinical = nullptr;
  for (const auto& c : member(miss, "ctvs")) {
    if (plain(member(c, "key")) == "clinical") clinical = &c;
  }
  s += "<table>";
  s += fmt::format("<tr><td>With IMC irradiation (this CTV)</td><td class=\"big\" id=\"miss-with-imc\">{}</td></tr>",
                   html_escape(clinical ? range_text(member(*clinical, "expected_miss"), "value_pct", "lo_pct", "hi_pct", " %", 1) : "not available"));
  s += fmt::format("<tr><td>Without IMC irradiation</td><td class=\"big\" id=\"miss-without-imc\">{}</td></tr>",
                   html_escape(range_text(member(miss, "miss_without_imc"), "value_pct", "lo_pct", "hi_pct", " %", 1)));
  for (const auto& c : member(miss, "ctvs")) {
    if (plain(member(c, "key")) == "clinical") continue;
    s += fmt::format("<tr><td>With the {}</td><td>{}</td></tr>", e(c, "label"),
                     html_escape(range_text(member(c, "expected_miss"), "value_pct", "lo_pct", "hi_pct", " %", 1)));
  }
  s += "</table>";
  s += fmt::format("<p class=\"muted\">P(IMN involvement) {} ({}). Expected miss = P(involvement) \xC3\x97 the atlas share of nodes "
                   "outside the CTV; {}</p>",
                   html_escape(range_text(member(miss, "involvement"), "value_pct", "lo_pct", "hi_pct", " %", 1)), e(miss, "involvement_basis"),
                   clinical ? e(*clinical, "miss_basis") : std::string("no clinical CTV"));
  s += "</div>";
  // Coronary risk.
  const json& risk = member(heart, "coronary_risk");
  s += "<div><h3>Excess coronary risk from the heart dose</h3>";
  if (risk.is_object()) {
    s += "<table>";
    s += fmt::format("<tr><td>Mean heart dose</td><td class=\"big\" id=\"mhd\">{} Gy</td></tr>", e(risk, "mean_heart_dose_gy", 2));
    s += fmt::format("<tr><td>Excess relative risk of a major coronary event</td><td class=\"big\" id=\"err\">{}</td></tr>",
                     html_escape(range_text(member(risk, "excess_relative_risk_pct"), "value", "lo", "hi", " %", 1)));
    s += fmt::format("<tr><td>Absolute excess risk</td><td>{}</td></tr>",
                     html_escape(range_text(member(risk, "absolute_excess_pct"), "value", "lo", "hi", " %", 2)));
    s += fmt::format("<tr><td>Baseline risk</td><td>{} % <span class=\"muted\">({})</span></td></tr>", e(risk, "baseline_pct", 2),
                     e(risk, "baseline_source"));
    s += "</table>";
    s += fmt::format("<p class=\"muted\">Source: {}. Dose from: {}.</p>", e(risk, "source"), e(risk, "dose_source"));
    if (!member(risk, "notes").empty()) s += "<ul class=\"notes muted\">" + list_items(member(risk, "notes")) + "</ul>";
  } else {
    s += fmt::format("<p>Not available: {}</p>", e(heart, "mean_heart_dose_source"));
  }
  s += "</div></div></section>";
  return s;
}

std::string figures_section(const std::vector<Figure>& figures) {
  std::string s = "<section id=\"figures\"><h2>Figures</h2><div class=\"figures\">";
  for (const auto& f : figures) {
    s += fmt::format("<figure class=\"fig{}\" id=\"fig-{}\" data-figure=\"{}\" data-has-content=\"{}\">{}<figcaption><b>{}</b>. {}</figcaption></figure>",
                     f.id == "dvh" || f.id == "ovh" ? " wide" : "", html_escape(f.id), html_escape(f.id), f.has_content ? "true" : "false",
                     f.svg, html_escape(f.title), html_escape(f.caption));
  }
  return s + "</div></section>";
}

// Where a landmark came from, as the reader needs it: an estimate stands out.
std::string origin_label(const json& provenance) {
  const std::string o = plain(member(provenance, "origin"));
  return o == "contour" ? "contour" : o == "ct" ? "found in the CT" : o == "estimated" ? "ESTIMATED" : o;
}

std::string basis_cell(const json& check) {
  const json& b = member(check, "landmark_basis");
  if (!b.is_object()) return "<td></td>";
  return fmt::format("<td class=\"basis basis-{}\" title=\"confidence {}\">{}</td>", e(b, "origin"), e(b, "confidence", 2),
                     html_escape(origin_label(b)));
}

std::string guideline_tables(const json& r) {
  std::string s = "<section id=\"guidelines\"><h2>Borders, margins and metrics per guideline</h2>";
  for (const auto& g : member(r, "guidelines")) {
    const json& checks = member(g, "checks");
    const bool provisional = member(g, "provisional").is_boolean() && member(g, "provisional").get<bool>();
    s += fmt::format("<h3>{} v{}: {} {}{}</h3>", e(g, "id"), e(g, "version"), e(g, "title"), badge(plain(member(g, "overall"))),
                     provisional ? " <span class=\"provisional\">provisional rule file: read its findings as provisional</span>" : "");
    s += "<table><tr><th>border</th><th>landmark</th><th>reference z (mm)</th><th>clinical z (mm)</th><th>deviation (mm)</th>"
         "<th>deviation (ICS)</th><th>tolerance pass / warn (mm)</th><th>landmark from</th><th>status</th></tr>";
    for (const auto& c : member(checks, "levels")) {
      const json& ref = member(c, "reference");
      const json& tol = member(c, "tolerance");
      s += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                       "<td class=\"num\">{} / {}</td>{}<td>{}</td></tr>",
                       e(c, "border"), e(ref, "landmark"), e(ref, "z_mm", 1), e(c, "clinical_z_mm", 1), e(c, "deviation_mm", 1),
                       e(c, "deviation_ics", 2), e(tol, "pass_mm"), e(tol, "warn_mm"), basis_cell(c), badge(plain(member(c, "status"))));
    }
    s += "</table>";
    s += "<table><tr><th>margin</th><th>planes</th><th>clinical median / min (mm)</th><th>reference median / min (mm)</th>"
         "<th>deviation median / min (mm)</th><th>landmark from</th><th>status</th></tr>";
    for (const auto& c : member(checks, "margins")) {
      s += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{} / {}</td><td class=\"num\">{} / {}</td><td class=\"num\">{} / {}</td>{}<td>{}</td></tr>",
                       e(c, "direction"), e(c, "planes"), e(member(c, "clinical"), "median_mm", 1), e(member(c, "clinical"), "min_mm", 1),
                       e(member(c, "reference"), "median_mm", 1), e(member(c, "reference"), "min_mm", 1),
                       e(member(c, "deviation"), "median_mm", 1), e(member(c, "deviation"), "min_mm", 1), basis_cell(c),
                       badge(plain(member(c, "status"))));
    }
    s += "</table>";
    // Comparison metrics with their conventions.
    const json& cmp = member(g, "comparison");
    std::string rows;
    for (const char* part : {"overlap", "surface"}) {
      const json& p = member(cmp, part);
      if (!p.is_object()) continue;
      for (const auto& [name, m] : p.items()) {
        if (m.is_object() && m.contains("value")) {
          rows += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>", html_escape(name), e(m, "value", 3), e(m, "convention"));
        } else if (m.is_array()) {
          for (const auto& x : m) {
            if (!x.is_object() || !x.contains("value")) continue;
            rows += fmt::format("<tr><td>{} at {} mm</td><td class=\"num\">{}</td><td>{}</td></tr>", html_escape(name), e(x, "tolerance_mm"),
                                e(x, "value", 3), e(x, "convention"));
          }
        }
      }
    }
    if (!rows.empty()) {
      s += "<table><tr><th>metric (A = reference, B = clinical)</th><th>value</th><th>convention</th></tr>" + rows + "</table>";
    } else {
      s += fmt::format("<p class=\"muted\">No comparison metrics: {}</p>", e(cmp, "reason"));
    }
    std::string cov;
    for (const auto& v : member(checks, "vein_coverage")) {
      cov += fmt::format("<tr><td class=\"num\">{}</td><td class=\"num\">{} to {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                         e(v, "ics"), e(v, "cranial_z_mm", 1), e(v, "caudal_z_mm", 1), e(v, "planes"), e(v, "centreline_pct", 1),
                         e(v, "volume_pct", 1), e(v, "reason"));
    }
    if (!cov.empty()) {
      s += "<table><tr><th>ICS</th><th>band z (mm)</th><th>vein planes</th><th>centreline in CTV (%)</th><th>vein volume in CTV (%)</th><th>note</th></tr>" +
           cov + "</table>";
    }
    if (!member(g, "notes").empty()) s += "<ul class=\"notes muted\">" + list_items(member(g, "notes")) + "</ul>";
  }
  return s + "</section>";
}

// Each landmark the guidelines were built on and where it came from (issue 8): a planner reviewing the
// report must see at once which borders stand on the CT or on an estimate rather than on a contour.
std::string landmark_row(const std::string& name, const json& l) {
  const json& p = member(l, "provenance");
  if (!p.is_object()) {
    return fmt::format("<tr><td>{}</td><td class=\"basis basis-none\">not found</td><td></td><td>{}</td></tr>", html_escape(name),
                       e(l, "not_evaluable"));
  }
  return fmt::format("<tr><td>{}</td><td class=\"basis basis-{}\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>", html_escape(name),
                     e(p, "origin"), html_escape(origin_label(p)), e(p, "confidence", 2), e(l, "method"));
}

std::string landmarks_section(const json& r) {
  const json& lm = member(r, "landmarks");
  if (!lm.is_object()) return "";
  std::string rows;
  for (const auto& [name, l] : member(lm, "levels").items()) {
    rows += landmark_row(name, l);
  }
  rows += landmark_row("sternal edge", member(lm, "sternum_edge"));
  for (const char* v : {"im_vein", "im_artery"}) rows += landmark_row(v, member(lm, v));
  std::string s = "<section id=\"landmarks\"><h2>Landmarks and where they came from</h2>";
  s += "<table><tr><th>landmark</th><th>from</th><th>confidence</th><th>method or reason</th></tr>" + rows + "</table>";
  const json& ct = member(r, "ct_landmarks");
  if (ct.is_object() && member(ct, "searched").is_boolean() && member(ct, "searched").get<bool>()) {
    std::string used;
    for (const auto& st : member(ct, "structures")) {
      const bool u = member(st, "used").is_boolean() && member(st, "used").get<bool>();
      used += fmt::format("<li>{} ({}, {}){}</li>", e(st, "name"), e(st, "origin"), e(st, "confidence", 2),
                          u ? " used" : " not used: " + e(st, "why_not_used"));
    }
    if (!used.empty()) s += "<p>Found in the CT:</p><ul class=\"notes muted\">" + used + "</ul>";
  } else if (ct.is_object() && !member(ct, "not_searched_reason").is_null()) {
    s += fmt::format("<p class=\"muted\">The CT was not searched for landmarks: {}</p>", e(ct, "not_searched_reason"));
  }
  return s + "</section>";
}

std::string heart_tables(const json& r) {
  const json& heart = member(r, "heart");
  std::string s = "<section id=\"heart\"><h2>Heart</h2>";
  s += fmt::format("<p>Mean heart dose: <b>{} Gy</b> <span class=\"muted\">({})</span></p>", e(heart, "mean_heart_dose_gy", 2),
                   e(heart, "mean_heart_dose_source"));
  std::string rows;
  for (const auto& d : member(heart, "dvhs")) {
    const json& m = member(member(d, "dvh"), "metrics");
    if (!m.is_object()) {
      rows += fmt::format("<tr><td>{}</td><td>{}</td><td colspan=\"6\">{}</td></tr>", e(d, "organ"), e(d, "roi"), e(d, "not_evaluable"));
      continue;
    }
    rows += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                        e(d, "organ"), e(d, "roi"), e(d, "structure_volume_cc", 2), e(m, "mean_gy", 2), e(m, "max_gy", 2), e(m, "d2_pct_gy", 2),
                        e(m, "d50_pct_gy", 2), e(m, "d95_pct_gy", 2));
  }
  if (!rows.empty()) {
    s += "<table><tr><th>organ</th><th>ROI</th><th>volume (cc)</th><th>Dmean (Gy)</th><th>Dmax (Gy)</th><th>D2% (Gy)</th><th>D50% (Gy)</th><th>D95% (Gy)</th></tr>" +
         rows + "</table>";
  }
  std::string cons;
  for (const auto& c : member(heart, "constraints")) {
    std::string status = plain(member(c, "status"));
    cons += fmt::format("<tr><td>{}</td><td>{}</td><td>{} {} {} {}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>", e(c, "set"), e(c, "structure"),
                        e(c, "metric"), e(c, "op"), e(c, "limit"), e(c, "unit"), e(c, "value", 2), badge(status == "not evaluable" ? "not_evaluable" : status),
                        e(c, "source"));
  }
  if (!cons.empty()) {
    s += "<table><tr><th>set</th><th>structure</th><th>constraint</th><th>value</th><th>status</th><th>source</th></tr>" + cons + "</table>";
  }
  std::string dist;
  for (const auto& d : member(member(heart, "proxies"), "distances")) {
    dist += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>", e(d, "from"), e(d, "to"),
                        e(d, "distance_mm", 1), e(d, "overlap_cc", 2), e(d, "reason"));
  }
  if (!dist.empty()) {
    s += fmt::format("<table><tr><th>from</th><th>to</th><th>distance (mm)</th><th>overlap (cc)</th><th>note</th></tr>{}</table><p class=\"muted\">{}</p>",
                     dist, e(member(heart, "conventions"), "distances"));
  }
  if (!member(heart, "notes").empty()) s += "<ul class=\"notes muted\">" + list_items(member(heart, "notes")) + "</ul>";
  return s + "</section>";
}

std::string miss_tables(const json& r) {
  const json& miss = member(r, "miss");
  std::string s = "<section id=\"miss\"><h2>Recurrences and nodes</h2>";
  std::string rows;
  for (const auto& p : member(miss, "points")) {
    for (const auto& v : member(p, "vs")) {
      rows += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", e(p, "id"),
                          e(p, "kind"), e(p, "ics"), e(v, "ctv"), e(v, "signed_distance_mm", 1), e(v, "nearest_border"), e(v, "class"), e(v, "basis"));
    }
  }
  if (rows.empty()) {
    s += "<p class=\"muted\">No recurrences, sentinel nodes or suspicious nodes were given for this case.</p>";
  } else {
    s += "<table><tr><th>point</th><th>kind</th><th>ICS</th><th>CTV</th><th>signed distance (mm, &lt; 0 inside)</th><th>nearest border</th><th>class</th><th>basis</th></tr>" +
         rows + "</table>";
  }
  std::string cov;
  for (const auto& c : member(miss, "ctvs")) {
    const json& a = member(c, "atlas_coverage");
    cov += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>", e(c, "label"), e(a, "covered_share_pct", 1),
                       html_escape(range_text(member(a, "uncovered"), "value_pct", "lo_pct", "hi_pct", " %", 1)),
                       html_escape(range_text(member(c, "expected_miss"), "value_pct", "lo_pct", "hi_pct", " %", 2)));
  }
  if (!cov.empty()) {
    s += "<table><tr><th>CTV</th><th>atlas nodes covered (%)</th><th>uncovered share</th><th>expected miss</th></tr>" + cov + "</table>";
  }
  if (const json& c = member(miss, "conventions"); c.is_object()) {
    s += "<ul class=\"notes muted\">";
    for (const auto& [k, v] : c.items()) s += "<li>" + html_escape(k) + ": " + html_escape(plain(v)) + "</li>";
    s += "</ul>";
  }
  return s + "</section>";
}

std::string notes_section(const json& r) {
  std::string s = "<section id=\"notes\"><h2>Warnings and notes</h2>";
  std::string items = list_items(member(r, "warnings")) + list_items(member(r, "not_evaluable")) + list_items(member(r, "notes")) +
                      list_items(member(member(r, "miss"), "not_evaluable")) + list_items(member(member(r, "miss"), "notes"));
  if (items.empty()) return s + "<p class=\"muted\">None.</p></section>";
  return s + "<ul class=\"notes\">" + items + "</ul></section>";
}

}  // namespace

std::string render_report_html(const nlohmann::ordered_json& report, const std::vector<Figure>& figures) {
  std::string s =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  s += fmt::format("<meta name=\"generator\" content=\"rtaudit {}\"><title>rtaudit IMC audit \xE2\x80\x93 {}</title>", e(report, "rtaudit_version"),
                   html_escape(plain(member(member(report, "case"), "patient_id"))));
  s += "<style>";
  s += kCss;
  s += "</style></head><body>";
  s += header(report);
  s += verdict_block(report);
  s += benefit_risk_panel(report);
  s += figures_section(figures);
  s += guideline_tables(report);
  s += landmarks_section(report);
  s += heart_tables(report);
  s += miss_tables(report);
  s += notes_section(report);
  s += "<section class=\"signoff\"><p>Reviewed and signed off:</p><div></div><div></div><p class=\"muted\">name, date</p></section>";
  s += fmt::format("<footer class=\"muted\"><p>Schema {}. Coordinates: {}</p></footer>", e(report, "schema"),
                   e(member(report, "conventions"), "coordinates"));
  s += "</body></html>\n";
  return s;
}

}  // namespace rtaudit::report
