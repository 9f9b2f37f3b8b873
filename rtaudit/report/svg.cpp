#include "rtaudit/report/svg.hpp"

#include "rtaudit/report/escape.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace rtaudit::report::svg {

Mapping isotropic(double wx0, double wx1, double wy0, double wy1, double width, double height, double pad, bool y_up) {
  const double w = std::max(wx1 - wx0, 1e-9), h = std::max(wy1 - wy0, 1e-9);
  const double scale = std::min((width - 2 * pad) / w, (height - 2 * pad) / h);
  const double cx = width / 2, cy = height / 2;
  Mapping m;
  m.wx0 = wx0;
  m.wx1 = wx1;
  m.px0 = cx - w * scale / 2;
  m.px1 = cx + w * scale / 2;
  if (y_up) {
    m.wy0 = wy1, m.wy1 = wy0;
  } else {
    m.wy0 = wy0, m.wy1 = wy1;
  }
  m.py0 = cy - h * scale / 2;
  m.py1 = cy + h * scale / 2;
  return m;
}

std::string num(double v) {
  if (!std::isfinite(v)) return "0";
  std::string s = fmt::format("{:.2f}", v);
  if (s == "-0.00") s = "0.00";
  return s;
}

std::string path_data(const geom::MultiPolygon& region, const Mapping& m) {
  std::string d;
  const auto ring = [&](const geom::Ring& r) {
    bool first = true;
    for (const auto& p : r) {
      d += fmt::format("{}{} {} ", first ? "M" : "L", num(m.x(p.x())), num(m.y(p.y())));
      first = false;
    }
    if (!r.empty()) d += "Z ";
  };
  for (const auto& poly : region) {
    ring(poly.outer());
    for (const auto& inner : poly.inners()) ring(inner);
  }
  if (!d.empty()) d.pop_back();
  return d;
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  std::vector<double> ticks;
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi) || target < 1) return ticks;
  const double raw = (hi - lo) / target;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double f : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    step = f * mag;
    if (step >= raw) break;
  }
  const double first = std::ceil(lo / step - 1e-9) * step;
  for (double t = first; t <= hi + step * 1e-9; t += step) ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
  return ticks;
}

std::string text(double x, double y, std::string_view content, std::string_view attrs) {
  return fmt::format("<text x=\"{}\" y=\"{}\"{}{}>{}</text>", num(x), num(y), attrs.empty() ? "" : " ", attrs, html_escape(content));
}

namespace {

std::string tick_label(double v, double step) {
  if (step >= 1 || v == std::round(v)) return fmt::format("{:.0f}", v);
  if (step >= 0.1) return fmt::format("{:.1f}", v);
  return fmt::format("{:.2f}", v);
}

}  // namespace

std::string line_chart(const LineChart& c) {
  const double left = 58, right = 170, top = 30, bottom = 46;
  Mapping m;
  m.wx0 = c.x_min, m.wx1 = c.x_max > c.x_min ? c.x_max : c.x_min + 1;
  m.wy0 = c.y_max > c.y_min ? c.y_max : c.y_min + 1, m.wy1 = c.y_min;
  m.px0 = left, m.px1 = c.width - right, m.py0 = top, m.py1 = c.height - bottom;
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\">",
      num(c.width), num(c.height), num(c.width), num(c.height));
  s += fmt::format("<title>{}</title>", html_escape(c.title));
  s += fmt::format("<rect class=\"plot-area\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", num(m.px0), num(m.py0),
                   num(m.px1 - m.px0), num(m.py1 - m.py0));
  const auto xt = nice_ticks(c.x_min, c.x_max, 8), yt = nice_ticks(c.y_min, c.y_max, 5);
  const double xs = xt.size() > 1 ? xt[1] - xt[0] : 1, ys = yt.size() > 1 ? yt[1] - yt[0] : 1;
  for (double t : xt) {
    s += fmt::format("<line class=\"grid\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/>", num(m.x(t)), num(m.py0), num(m.py1));
    s += text(m.x(t), m.py1 + 16, tick_label(t, xs), "class=\"tick\" text-anchor=\"middle\"");
  }
  for (double t : yt) {
    s += fmt::format("<line class=\"grid\" x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\"/>", num(m.px0), num(m.px1), num(m.y(t)));
    s += text(m.px0 - 6, m.y(t) + 4, tick_label(t, ys), "class=\"tick\" text-anchor=\"end\"");
  }
  s += text((m.px0 + m.px1) / 2, c.height - 8, c.x_label, "class=\"axis-label\" text-anchor=\"middle\"");
  s += text(14, (m.py0 + m.py1) / 2, c.y_label,
            fmt::format("class=\"axis-label\" text-anchor=\"middle\" transform=\"rotate(-90 14 {})\"", num((m.py0 + m.py1) / 2)));
  s += text(m.px0, 18, c.title, "class=\"chart-title\"");
  double ly = top + 8;
  for (const auto& series : c.series) {
    std::string pts;
    for (std::size_t i = 0; i < series.x.size() && i < series.y.size(); ++i) {
      const double x = std::clamp(series.x[i], c.x_min, c.x_max), y = std::clamp(series.y[i], c.y_min, c.y_max);
      pts += fmt::format("{},{} ", num(m.x(x)), num(m.y(y)));
    }
    if (!pts.empty()) pts.pop_back();
    if (series.markers) {
      for (std::size_t i = 0; i < series.x.size() && i < series.y.size(); ++i) {
        const double x = std::clamp(series.x[i], c.x_min, c.x_max), y = std::clamp(series.y[i], c.y_min, c.y_max);
        const std::string tip = i < series.point_labels.size() ? series.point_labels[i] : series.label;
        s += fmt::format("<circle class=\"marker\" cx=\"{}\" cy=\"{}\" r=\"4.5\" fill=\"{}\" stroke=\"#000\" stroke-width=\"0.6\"><title>{}</title></circle>",
                         num(m.x(x)), num(m.y(y)), series.colour, html_escape(tip));
      }
    } else {
      s += fmt::format("<polyline class=\"series\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{} points=\"{}\"><title>{}</title></polyline>",
                       series.colour, series.dashed ? " stroke-dasharray=\"6 3\"" : "", pts, html_escape(series.label));
    }
    if (series.label.empty()) continue;  // e.g. the second line of a pair of limits
    if (series.markers) {
      s += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"4.5\" fill=\"{}\" stroke=\"#000\" stroke-width=\"0.6\"/>", num(m.px1 + 20), num(ly), series.colour);
    } else {
      s += fmt::format("<line x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"2\"{4}/>", num(m.px1 + 10),
                       num(m.px1 + 30), num(ly), series.colour, series.dashed ? " stroke-dasharray=\"6 3\"" : "");
    }
    s += text(m.px1 + 34, ly + 4, series.label, "class=\"legend\"");
    ly += 16;
  }
  s += "</svg>";
  return s;
}

}  // namespace rtaudit::report::svg
