#include "rtaudit/cohort/dashboard.hpp"

#include "rtaudit/report/escape.hpp"
#include "rtaudit/report/html_report.hpp"
#include "rtaudit/report/svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace rtaudit::cohort {

namespace {

using report::html_escape;

Cell txt(std::string s, std::string css = {}) { return Cell{std::move(s), std::nullopt, 0, {}, std::move(css)}; }
Cell num(std::optional<double> v, int decimals = 1) { return Cell{v ? std::string() : std::string("\xE2\x80\x94"), v, decimals, {}, {}}; }
Cell count(int n) { return Cell{{}, static_cast<double>(n), 0, {}, {}}; }

const std::vector<std::string> kGradedChecks{"overall",       "cranial border", "caudal border", "medial margin",
                                             "lateral margin", "ventral margin", "dorsal margin"};

bool graded(const std::string& status) { return status == "pass" || status == "warn" || status == "fail"; }

void add(Compliance& c, const std::string& status) {
  ++c.cases;
  if (status == "pass") ++c.pass, ++c.evaluated;
  else if (status == "warn") ++c.warn, ++c.evaluated;
  else if (status == "fail") ++c.fail, ++c.evaluated;
  else if (status == "not_evaluable") ++c.not_evaluable;
}

std::vector<std::string> guidelines_of(const std::vector<const CaseRecord*>& ok) {
  std::vector<std::string> ids;
  for (const auto* r : ok) {
    for (const auto& c : r->checks) {
      if (std::find(ids.begin(), ids.end(), c.guideline) == ids.end()) ids.push_back(c.guideline);
    }
  }
  return ids;
}

const std::string& dimension(const CaseRecord& r, const std::string& dim) {
  if (dim == "department") return r.department;
  if (dim == "planner") return r.planner;
  if (dim == "institution") return r.institution;
  return r.month;
}

std::string pct_text(const Compliance& c) {
  if (c.evaluated == 0) return "\xE2\x80\x94";
  return fmt::format("{:.0f} % ({}/{})", *c.pct(), c.pass, c.evaluated);
}

std::string pct_css(const Compliance& c) {
  if (c.evaluated == 0) return "ne";
  const double p = *c.pct();
  return p >= 90 ? "pass" : p >= 70 ? "warn" : "fail";
}

/// compliance_by_<dim> (long, every check) and compliance_by_<dim>_summary (pivot of the graded checks).
void compliance_tables(const std::vector<const CaseRecord*>& ok, const std::vector<std::string>& guidelines, const std::string& dim,
                       std::vector<Table>& out) {
  std::map<std::string, std::map<std::pair<std::string, std::string>, Compliance>> by;  // group -> (guideline, check)
  std::map<std::string, int> cases;
  for (const auto* r : ok) {
    const std::string& g = dimension(*r, dim);
    ++cases[g];
    for (const auto& c : r->checks) add(by[g][{c.guideline, c.check}], c.status);
  }
  Table lng;
  lng.id = "compliance_by_" + dim;
  lng.title = "Compliance by " + dim + ", every check";
  lng.caption = "Compliance = pass / evaluated (pass + warn + fail); not evaluable and info are not counted as evaluated.";
  lng.columns = {dim, "guideline", "check", "cases", "evaluated", "pass", "warn", "fail", "not_evaluable", "compliance_pct"};
  for (const auto& [group, checks] : by) {
    for (const auto& [key, c] : checks) {
      lng.rows.push_back({txt(group), txt(key.first), txt(key.second), count(c.cases), count(c.evaluated), count(c.pass), count(c.warn),
                          count(c.fail), count(c.not_evaluable), num(c.pct(), 1)});
    }
  }
  Table piv;
  piv.id = "compliance_by_" + dim + "_summary";
  piv.title = "Compliance per guideline border by " + dim;
  piv.caption = "Each cell: share of the evaluated cases that pass the check (pass / evaluated). Green >= 90 %, orange >= 70 %, red below.";
  piv.columns = {dim, "cases", "guideline"};
  for (const auto& c : kGradedChecks) piv.columns.push_back(c);
  for (const auto& [group, checks] : by) {
    for (const auto& gid : guidelines) {
      std::vector<Cell> row{txt(group), count(cases[group]), txt(gid)};
      for (const auto& check : kGradedChecks) {
        const auto it = checks.find({gid, check});
        const Compliance c = it == checks.end() ? Compliance{} : it->second;
        row.push_back(txt(pct_text(c), pct_css(c)));
      }
      piv.rows.push_back(std::move(row));
    }
  }
  out.push_back(std::move(piv));
  out.push_back(std::move(lng));
}

/// A histogram as a step curve over bins of `width` covering the values.
report::svg::Series histogram(const std::string& label, const std::string& colour, const std::vector<double>& values, double lo, double hi,
                              double width) {
  report::svg::Series s;
  s.label = fmt::format("{} (n = {})", label, values.size());
  s.colour = colour;
  const int bins = std::max(1, static_cast<int>(std::ceil((hi - lo) / width)));
  std::vector<int> n(bins, 0);
  for (double v : values) n[std::clamp(static_cast<int>(std::floor((v - lo) / width)), 0, bins - 1)]++;
  s.x.push_back(lo), s.y.push_back(0);
  for (int b = 0; b < bins; ++b) {
    s.x.push_back(lo + b * width), s.y.push_back(n[b]);
    s.x.push_back(lo + (b + 1) * width), s.y.push_back(n[b]);
  }
  s.x.push_back(lo + bins * width), s.y.push_back(0);
  return s;
}

report::Figure chart_figure(const std::string& id, const std::string& title, const std::string& caption, report::svg::LineChart c) {
  c.width = 530;  // two charts side by side on screen
  c.height = 330;
  report::Figure f;
  f.id = id;
  f.title = title;
  f.caption = caption;
  f.svg = report::svg::line_chart(c);
  for (const auto& s : c.series) f.has_content = f.has_content || !s.x.empty();
  return f;
}

const std::vector<std::string> kColours{"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

std::string fmt_number(double v, int decimals) { return fmt::format("{:.{}f}", v, decimals); }

}  // namespace

std::pair<double, double> funnel_limits(double p0, int n, double z) {
  if (n <= 0) return {0.0, 1.0};
  const double sd = std::sqrt(p0 * (1 - p0) / n);
  return {std::clamp(p0 - z * sd, 0.0, 1.0), std::clamp(p0 + z * sd, 0.0, 1.0)};
}

Dashboard build_dashboard(const std::vector<CaseRecord>& records, const RunSummary& summary, bool show_inputs) {
  Dashboard d;
  d.summary = summary;
  std::vector<const CaseRecord*> ok;
  for (const auto& r : records) {
    if (r.status == "ok") ok.push_back(&r);
  }
  const std::vector<std::string> guidelines = guidelines_of(ok);

  // Failures first: a QA run must say what it could not do.
  Table fail;
  fail.id = "failures";
  fail.title = "Cases that could not be audited";
  fail.caption = show_inputs ? "Each failed case with the reason rtaudit gave." : "Input folders are withheld (--pseudonymize): folder names often carry identifiers.";
  fail.columns = {"case", "input", "reason"};
  for (const auto& r : records) {
    if (r.status != "ok") fail.rows.push_back({txt(r.key), txt(show_inputs ? r.input : "(withheld)"), txt(r.error)});
  }
  d.tables.push_back(std::move(fail));

  for (const char* dim : {"department", "planner", "month"}) compliance_tables(ok, guidelines, dim, d.tables);

  // Every check of every case, long format: the data under the distributions.
  Table dev;
  dev.id = "deviations";
  dev.title = "Border and margin deviations, every case";
  dev.caption = "Signed, positive = the clinical CTV extends further than the guideline (borders: mm at the border; margins: median over planes).";
  dev.columns = {"case", "department", "planner", "month", "guideline", "check", "status", "deviation_mm"};
  for (const auto* r : ok) {
    for (const auto& c : r->checks) {
      if (c.check == "overall") continue;
      dev.rows.push_back({txt(r->key), txt(r->department), txt(r->planner), txt(r->month), txt(c.guideline), txt(c.check), txt(c.status, c.status),
                          num(c.deviation_mm, 1)});
    }
  }
  d.tables.push_back(std::move(dev));

  // Distributions per guideline.
  for (const auto& gid : guidelines) {
    std::map<std::string, std::vector<double>> values;
    for (const auto* r : ok) {
      for (const auto& c : r->checks) {
        if (c.guideline == gid && c.deviation_mm && std::isfinite(*c.deviation_mm)) values[c.check].push_back(*c.deviation_mm);
      }
    }
    for (const auto& [kind, checks] : std::vector<std::pair<std::string, std::vector<std::string>>>{
             {"borders", {"cranial border", "caudal border"}}, {"margins", {"medial margin", "lateral margin", "ventral margin", "dorsal margin"}}}) {
      report::svg::LineChart c;
      c.title = fmt::format("{}: {} deviation", gid, kind == "borders" ? "border" : "margin");
      c.x_label = "deviation (mm; > 0 = the CTV extends further)";
      c.y_label = "cases";
      double lo = -5, hi = 5, ymax = 1;
      for (const auto& k : checks) {
        for (double v : values[k]) lo = std::min(lo, v), hi = std::max(hi, v);
      }
      const double width = kind == "borders" ? 2.5 : 1.0;
      lo = std::floor(lo / width) * width, hi = std::ceil(hi / width) * width + width;
      std::size_t i = 0;
      for (const auto& k : checks) {
        report::svg::Series s = histogram(k, kColours[i++ % kColours.size()], values[k], lo, hi, width);
        for (double y : s.y) ymax = std::max(ymax, y);
        c.series.push_back(std::move(s));
      }
      c.x_min = lo, c.x_max = hi, c.y_min = 0, c.y_max = std::ceil(ymax * 1.1);
      d.figures.push_back(chart_figure(fmt::format("{}-{}", kind, gid), c.title,
                                       fmt::format("Distribution over the audited cases, bins of {} mm.", width), c));
    }
  }

  // Heart dose against the constraints.
  Table heart;
  heart.id = "heart_constraints";
  heart.title = "Heart and lung dose constraints";
  heart.caption = "Per constraint: cases evaluated and failed; the median value over the evaluated cases.";
  heart.columns = {"constraint", "limit", "unit", "evaluated", "pass", "fail", "not_evaluable", "median_value"};
  std::map<std::string, std::vector<const ConstraintRecord*>> by_constraint;
  std::vector<std::string> order;
  for (const auto* r : ok) {
    for (const auto& k : r->constraints) {
      if (!by_constraint.count(k.name)) order.push_back(k.name);
      by_constraint[k.name].push_back(&k);
    }
  }
  std::vector<double> dmean_limits;
  for (const auto& name : order) {
    int pass = 0, failed = 0, ne = 0;
    std::vector<double> v;
    std::optional<double> limit;
    std::string unit;
    for (const auto* k : by_constraint[name]) {
      (k->status == "pass" ? pass : k->status == "fail" ? failed : ne)++;
      if (k->value && graded(k->status)) v.push_back(*k->value);
      limit = k->limit, unit = k->unit;
    }
    std::sort(v.begin(), v.end());
    std::optional<double> median;
    if (!v.empty()) median = v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
    heart.rows.push_back({txt(name), num(limit, 2), txt(unit), count(pass + failed), count(pass), count(failed), count(ne), num(median, 2)});
    if (name.find("heart Dmean") != std::string::npos && limit) dmean_limits.push_back(*limit);
  }
  d.tables.push_back(std::move(heart));
  {
    std::vector<double> mhd;
    for (const auto* r : ok) {
      if (r->mean_heart_dose_gy) mhd.push_back(*r->mean_heart_dose_gy);
    }
    report::svg::LineChart c;
    c.title = "Mean heart dose";
    c.x_label = "mean heart dose (Gy)";
    c.y_label = "cases";
    double hi = 5;
    for (double v : mhd) hi = std::max(hi, v);
    for (double v : dmean_limits) hi = std::max(hi, v);
    hi = std::ceil(hi + 0.5);
    c.series.push_back(histogram("cases", "#b2182b", mhd, 0, hi, 0.5));
    double ymax = 1;
    for (double y : c.series[0].y) ymax = std::max(ymax, y);
    std::sort(dmean_limits.begin(), dmean_limits.end());
    dmean_limits.erase(std::unique(dmean_limits.begin(), dmean_limits.end()), dmean_limits.end());
    for (double l : dmean_limits) {
      report::svg::Series s;
      s.label = fmt::format("constraint {:g} Gy", l);
      s.colour = "#444444";
      s.dashed = true;
      s.x = {l, l};
      s.y = {0, std::ceil(ymax * 1.1)};
      c.series.push_back(std::move(s));
    }
    c.x_min = 0, c.x_max = hi, c.y_min = 0, c.y_max = std::ceil(ymax * 1.1);
    d.figures.push_back(chart_figure("mean-heart-dose", c.title,
                                     "Mean heart dose of every case with a dose (RTDOSE or the department model); dashed: the heart Dmean constraints.", c));
  }

  // Funnel plots: each planner's overall compliance against their number of evaluated cases.
  for (const auto& gid : guidelines) {
    std::map<std::string, Compliance> per;
    Compliance all;
    for (const auto* r : ok) {
      for (const auto& c : r->checks) {
        if (c.guideline == gid && c.check == "overall") add(per[r->planner], c.status), add(all, c.status);
      }
    }
    Table t;
    t.id = "funnel_" + gid;
    t.title = fmt::format("Funnel: {} compliance per planner", gid);
    t.caption = "Overall pass of the guideline per planner against the number of evaluated cases; limits around the pooled proportion "
                "(binomial, normal approximation). Below the 99.8 % limit: flagged.";
    t.columns = {"planner", "evaluated", "pass", "compliance_pct", "lower_95_pct", "upper_95_pct", "lower_99_8_pct", "upper_99_8_pct", "flag"};
    report::svg::LineChart c;
    c.title = t.title;
    c.x_label = "evaluated cases";
    c.y_label = "compliance (%)";
    const double p0 = all.evaluated > 0 ? static_cast<double>(all.pass) / all.evaluated : 0;
    int nmax = 1;
    report::svg::Series pts;
    pts.label = "planners";
    pts.colour = "#1f77b4";
    pts.markers = true;
    for (const auto& [planner, k] : per) {
      if (k.evaluated == 0) continue;
      nmax = std::max(nmax, k.evaluated);
      const auto [l95, u95] = funnel_limits(p0, k.evaluated, 1.96);
      const auto [l998, u998] = funnel_limits(p0, k.evaluated, 3.09);
      const double p = static_cast<double>(k.pass) / k.evaluated;
      const std::string flag = p < l998 ? "below 99.8 % limit" : p < l95 ? "below 95 % limit" : p > u998 ? "above 99.8 % limit" : "";
      t.rows.push_back({txt(planner), count(k.evaluated), count(k.pass), num(100 * p, 1), num(100 * l95, 1), num(100 * u95, 1), num(100 * l998, 1),
                        num(100 * u998, 1), txt(flag, flag.empty() ? "" : "fail")});
      pts.x.push_back(k.evaluated);
      pts.y.push_back(100 * p);
      pts.point_labels.push_back(fmt::format("{}: {}/{}", planner, k.pass, k.evaluated));
    }
    for (const auto& [z, name, dashed] : std::vector<std::tuple<double, std::string, bool>>{{1.96, "95 % limits", true}, {3.09, "99.8 % limits", false}}) {
      for (int side = 0; side < 2; ++side) {
        report::svg::Series s;
        s.label = side == 0 ? name : "";
        s.colour = dashed ? "#888888" : "#444444";
        s.dashed = dashed;
        for (int n = 1; n <= nmax + 1; ++n) {
          const auto lim = funnel_limits(p0, n, z);
          s.x.push_back(n);
          s.y.push_back(100 * (side == 0 ? lim.first : lim.second));
        }
        c.series.push_back(std::move(s));
      }
    }
    report::svg::Series mean;
    mean.label = fmt::format("pooled {:.0f} %", 100 * p0);
    mean.colour = "#2ca02c";
    mean.x = {1, static_cast<double>(nmax + 1)};
    mean.y = {100 * p0, 100 * p0};
    c.series.push_back(std::move(mean));
    c.series.push_back(std::move(pts));
    c.x_min = 0, c.x_max = nmax + 1, c.y_min = 0, c.y_max = 100;
    d.figures.push_back(chart_figure("funnel-" + gid, c.title, t.caption, c));
    d.tables.push_back(std::move(t));
  }

  // The recurrence cohort (issue 5's table over the department).
  {
    std::vector<miss::CohortPoint> points;
    for (const auto* r : ok) points.insert(points.end(), r->points.begin(), r->points.end());
    for (const char* kind : {"recurrence", "sentinel_node"}) {
      const miss::CohortTable ct = miss::cohort_table(points, kind);
      Table t;
      t.id = std::string(kind) + "s";
      t.title = fmt::format("{} against every CTV ({} points in {} patients)", kind == std::string("recurrence") ? "Recurrences" : "IM sentinel nodes",
                            ct.points, ct.patients);
      t.caption = "Class of every point against the clinical CTV and each guideline's reference CTV of its patient.";
      t.columns = {"ctv", "points", "in_field", "marginal", "outside", "in_field_pct", "marginal_pct", "outside_pct"};
      for (const auto& row : ct.rows) {
        t.rows.push_back({txt(row.ctv), count(row.points), count(row.in_field), count(row.marginal), count(row.outside), num(row.share(row.in_field), 1),
                          num(row.share(row.marginal), 1), num(row.share(row.outside), 1)});
      }
      if (ct.both_evaluated > 0) {
        t.rows.push_back({txt("outside " + ct.estro_key + ", inside " + ct.rtog_key), count(ct.both_evaluated), txt(""), txt(""),
                          count(ct.outside_estro_inside_rtog), txt(""), txt(""), num(100.0 * ct.outside_estro_inside_rtog / ct.both_evaluated, 1)});
      }
      d.tables.push_back(std::move(t));
    }
  }

  // Outliers: a failed guideline check of the clinical CTV, a failed dose constraint, or a point of
  // interest not in-field of the clinical CTV.
  Table outl;
  outl.id = "outliers";
  outl.title = "Outliers";
  outl.caption = "Cases with a failed border, margin or overlap check of any audited guideline (provisional rule files included), a failed dose "
                 "constraint, or a recurrence or node not in-field of the clinical CTV; each links to its report.";
  outl.columns = {"case", "patient", "department", "planner", "month", "reasons"};
  Table all;
  all.id = "cases";
  all.title = "Every case";
  all.columns = {"case", "patient", "department", "planner", "month", "status"};
  for (const auto& gid : guidelines) all.columns.push_back(gid);
  all.columns.push_back("mean_heart_dose_gy");
  for (const auto& r : records) {
    std::vector<Cell> row{Cell{r.key, std::nullopt, 0, r.report_html, {}}, txt(r.label), txt(r.department), txt(r.planner), txt(r.month),
                          txt(r.status, r.status == "ok" ? "" : "fail")};
    for (const auto& gid : guidelines) {
      std::string s = "\xE2\x80\x94";
      for (const auto& c : r.checks) {
        if (c.guideline == gid && c.check == "overall") s = c.status;
      }
      row.push_back(txt(s, s == "not_evaluable" ? "ne" : s));
    }
    row.push_back(num(r.mean_heart_dose_gy, 2));
    all.rows.push_back(std::move(row));
    if (r.status != "ok") continue;
    std::vector<std::string> reasons;
    for (const auto& c : r.checks) {
      if (c.status == "fail" && c.check != "overall")
        reasons.push_back(c.deviation_mm ? fmt::format("{} {} {} mm", c.guideline, c.check, fmt_number(*c.deviation_mm, 1))
                                         : fmt::format("{} {}", c.guideline, c.check));
    }
    for (const auto& k : r.constraints) {
      if (k.status == "fail") reasons.push_back(fmt::format("{} {}", k.name, k.value ? fmt_number(*k.value, 2) : std::string("?")));
    }
    for (const auto& p : r.points) {
      const auto it = p.classes.find("clinical");
      if (it != p.classes.end() && it->second != miss::PointClass::InField)
        reasons.push_back(fmt::format("{} {} {}", p.kind, p.point_id, it->second == miss::PointClass::Marginal ? "marginal" : "outside"));
    }
    if (reasons.empty()) continue;
    std::string joined;
    for (const auto& s : reasons) joined += (joined.empty() ? "" : "; ") + s;
    outl.rows.push_back({Cell{r.key, std::nullopt, 0, r.report_html, {}}, txt(r.label), txt(r.department), txt(r.planner), txt(r.month), txt(joined)});
  }
  d.tables.push_back(std::move(outl));
  d.tables.push_back(std::move(all));
  return d;
}

namespace {

std::string cell_html(const Cell& c) {
  std::string content = c.number ? fmt_number(*c.number, c.decimals) : html_escape(c.text);
  if (!c.link.empty()) content = fmt::format("<a href=\"{}\">{}</a>", html_escape(c.link), content);
  std::string cls = c.number ? "num" : "";
  if (!c.css.empty()) cls += (cls.empty() ? "" : " ") + std::string("cell-") + c.css;
  return cls.empty() ? "<td>" + content + "</td>" : fmt::format("<td class=\"{}\">{}</td>", cls, content);
}

std::string table_html(const Table& t, bool collapsed) {
  std::string s = collapsed ? fmt::format("<details id=\"table-{}\"><summary><b>{}</b> ({} rows) <a href=\"tables/{}.csv\">CSV</a></summary>", t.id,
                                          html_escape(t.title), t.rows.size(), t.id)
                            : fmt::format("<section id=\"table-{}\"><h3>{} <a class=\"csv\" href=\"tables/{}.csv\">CSV</a></h3>", t.id, html_escape(t.title), t.id);
  if (!t.caption.empty()) s += "<p class=\"muted\">" + html_escape(t.caption) + "</p>";
  if (t.rows.empty()) {
    s += "<p class=\"muted\">None.</p>";
  } else {
    s += fmt::format("<table data-table=\"{}\"><tr>", t.id);
    for (const auto& c : t.columns) s += "<th>" + html_escape(c) + "</th>";
    s += "</tr>";
    for (const auto& row : t.rows) {
      s += "<tr>";
      for (const auto& c : row) s += cell_html(c);
      s += "</tr>";
    }
    s += "</table>";
  }
  return s + (collapsed ? "</details>" : "</section>");
}

const Table* find(const Dashboard& d, const std::string& id) {
  for (const auto& t : d.tables) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

}  // namespace

std::string render_dashboard_html(const Dashboard& d) {
  std::string s =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>rtaudit department dashboard</title><style>";
  s += report::report_css();
  s += "td.cell-pass{background:#e3f4e6}td.cell-warn{background:#fdf0dc}td.cell-fail{background:#fbe1e3}td.cell-ne{color:#777}"
       "a.csv{font-size:12px;font-weight:normal;margin-left:8px}details{margin:8px 0}";
  s += "</style></head><body><header><h1>IMC audit: department dashboard</h1>";
  const RunSummary& r = d.summary;
  if (r.store.empty()) {
    s += fmt::format("<p id=\"run-summary\" data-inputs=\"{}\" data-audited=\"{}\" data-unchanged=\"{}\" data-failed=\"{}\">{} cases given: {} audited in "
                     "this run, {} unchanged since the stored result, <b>{} failed</b>. rtaudit {}, {} ({:.0f} s).</p></header>",
                     r.inputs, r.audited, r.unchanged, r.failed, r.inputs, r.audited, r.unchanged, r.failed, html_escape(r.rtaudit_version),
                     html_escape(r.generated), r.wall_seconds);
  } else {
    s += fmt::format("<p id=\"run-summary\" data-inputs=\"{}\" data-audited=\"{}\" data-unchanged=\"{}\" data-failed=\"{}\">{} cases in the results "
                     "store {}, <b>{} failed</b>. rtaudit {}, {}.</p></header>",
                     r.inputs, r.audited, r.unchanged, r.failed, r.inputs, html_escape(r.store), r.failed, html_escape(r.rtaudit_version),
                     html_escape(r.generated));
  }
  if (const Table* t = find(d, "failures")) s += table_html(*t, false);
  s += "<h2>Compliance per guideline border</h2>";
  for (const char* dim : {"department", "planner", "month"}) {
    if (const Table* t = find(d, std::string("compliance_by_") + dim + "_summary")) s += table_html(*t, false);
    if (const Table* t = find(d, std::string("compliance_by_") + dim)) s += table_html(*t, true);
  }
  s += "<h2>Distributions, heart dose and funnel plots</h2><div class=\"figures\">";
  for (const auto& f : d.figures) {
    s += fmt::format("<figure id=\"fig-{0}\" data-figure=\"{0}\" data-has-content=\"{1}\">{2}<figcaption><b>{3}</b>. {4}</figcaption></figure>", html_escape(f.id),
                     f.has_content ? "true" : "false", f.svg, html_escape(f.title), html_escape(f.caption));
  }
  s += "</div>";
  for (const auto& t : d.tables) {
    if (t.id.rfind("funnel_", 0) == 0) s += table_html(t, true);
  }
  if (const Table* t = find(d, "heart_constraints")) s += table_html(*t, false);
  s += "<h2>Recurrences and sentinel nodes</h2>";
  if (const Table* t = find(d, "recurrences")) s += table_html(*t, false);
  if (const Table* t = find(d, "sentinel_nodes")) s += table_html(*t, false);
  s += "<h2>Outliers</h2>";
  if (const Table* t = find(d, "outliers")) s += table_html(*t, false);
  if (const Table* t = find(d, "cases")) s += table_html(*t, true);
  if (const Table* t = find(d, "deviations")) s += table_html(*t, true);
  s += "<footer class=\"muted\"><p>Patient names never appear here; with --pseudonymize the patient column holds keyed hashes.</p></footer></body></html>\n";
  return s;
}

std::string table_csv(const Table& t) {
  std::string s;
  for (std::size_t i = 0; i < t.columns.size(); ++i) s += (i ? "," : "") + report::csv_cell(t.columns[i]);
  s += "\n";
  for (const auto& row : t.rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) s += ",";
      if (row[i].number) s += fmt::format("{}", *row[i].number);
      else if (row[i].text != "\xE2\x80\x94") s += report::csv_cell(row[i].text);
    }
    s += "\n";
  }
  return s;
}

}  // namespace rtaudit::cohort
