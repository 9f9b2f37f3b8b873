#include "rtaudit/report/figures.hpp"

#include "rtaudit/geom/region_ops.hpp"
#include "rtaudit/report/escape.hpp"
#include "rtaudit/report/json_read.hpp"
#include "rtaudit/report/svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>

namespace rtaudit::report {

namespace {

using json = nlohmann::ordered_json;
using json_read::member;
using json_read::number;

/// j[key] as a string (empty when absent or not a string).
std::string string_of(const json& j, const char* key) { return json_read::text(j, key); }

// Every anatomical view: a drawing area of kView x kHeight px and a legend column to its right.
constexpr double kView = 430, kLegend = 190, kWidth = kView + kLegend, kHeight = 330, kPad = 14;




/// A growing bounding rectangle.
struct Extent {
  double x0 = std::numeric_limits<double>::infinity(), x1 = -std::numeric_limits<double>::infinity();
  double y0 = std::numeric_limits<double>::infinity(), y1 = -std::numeric_limits<double>::infinity();
  void add(double x, double y) {
    x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
  }
  [[nodiscard]] bool empty() const { return !(x1 >= x0 && y1 >= y0); }
  void grow(double d) { x0 -= d, x1 += d, y0 -= d, y1 += d; }
  void at_least(double w, double h) {
    const double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    const double hw = std::max((x1 - x0) / 2, w / 2), hh = std::max((y1 - y0) / 2, h / 2);
    x0 = cx - hw, x1 = cx + hw, y0 = cy - hh, y1 = cy + hh;
  }
};

bool frames_view(LayerKind k) { return k == LayerKind::Clinical || k == LayerKind::Reference || k == LayerKind::Vessel; }

/// Style of a layer: targets are outlined (the clinical CTV also filled), organs lightly filled.
std::string layer_style(const Layer& l) {
  switch (l.kind) {
    case LayerKind::Clinical: return fmt::format("fill=\"{0}\" fill-opacity=\"0.25\" stroke=\"{0}\" stroke-width=\"2.2\"", l.colour);
    case LayerKind::Reference: return fmt::format("fill=\"none\" stroke=\"{0}\" stroke-width=\"1.8\" stroke-dasharray=\"5 3\"", l.colour);
    case LayerKind::Vessel: return fmt::format("fill=\"{0}\" fill-opacity=\"0.8\" stroke=\"{0}\" stroke-width=\"1\"", l.colour);
    case LayerKind::Bone:
    case LayerKind::Rib: return fmt::format("fill=\"{0}\" fill-opacity=\"0.55\" stroke=\"{0}\" stroke-width=\"0.8\"", l.colour);
    case LayerKind::Organ: return fmt::format("fill=\"{0}\" fill-opacity=\"0.18\" stroke=\"{0}\" stroke-width=\"1\"", l.colour);
  }
  return {};
}

/// Draw order: organs and bones underneath, then vessels, references, the clinical CTV on top.
int draw_rank(LayerKind k) {
  switch (k) {
    case LayerKind::Organ: return 0;
    case LayerKind::Bone:
    case LayerKind::Rib: return 1;
    case LayerKind::Vessel: return 2;
    case LayerKind::Reference: return 3;
    case LayerKind::Clinical: return 4;
  }
  return 0;
}

std::vector<const Layer*> in_draw_order(const std::vector<Layer>& layers) {
  std::vector<const Layer*> v;
  for (const auto& l : layers) {
    if (l.structure != nullptr && !l.structure->planes.empty()) v.push_back(&l);
  }
  std::stable_sort(v.begin(), v.end(), [](const Layer* a, const Layer* b) { return draw_rank(a->kind) < draw_rank(b->kind); });
  return v;
}

std::string svg_open(const std::string& id, const std::string& title) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"view\" id=\"svg-{}\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" "
      "role=\"img\"><title>{}</title><rect class=\"view-bg\" x=\"0\" y=\"0\" width=\"{}\" height=\"{}\"/>",
      id, svg::num(kWidth), svg::num(kHeight), svg::num(kWidth), svg::num(kHeight), html_escape(title), svg::num(kWidth),
      svg::num(kHeight));
}

/// A scale bar of 10 mm and the orientation letters, so every view can be read on its own.
std::string scale_and_orientation(const svg::Mapping& m, std::string_view left, std::string_view right, std::string_view top,
                                  std::string_view bottom) {
  const double len = std::abs(m.x(10) - m.x(0));
  std::string s = fmt::format("<line class=\"scale\" x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\"/>", svg::num(kView - 16 - len),
                              svg::num(kView - 16), svg::num(kHeight - 12));
  s += svg::text(kView - 16 - len / 2, kHeight - 16, "10 mm", "class=\"annot\" text-anchor=\"middle\"");
  s += svg::text(6, kHeight / 2, left, "class=\"orient\"");
  s += svg::text(kView - 6, kHeight / 2, right, "class=\"orient\" text-anchor=\"end\"");
  s += svg::text(kView / 2, 14, top, "class=\"orient\" text-anchor=\"middle\"");
  s += svg::text(kView / 2, kHeight - 4, bottom, "class=\"orient\" text-anchor=\"middle\"");
  // The legend column is drawn over nothing: a frame line separates it from the view.
  s += fmt::format("<line class=\"legend-rule\" x1=\"{0}\" x2=\"{0}\" y1=\"0\" y2=\"{1}\"/>", svg::num(kView), svg::num(kHeight));
  return s;
}

struct PointOfInterest {
  std::string id, kind, cls;  ///< cls: the class against the clinical CTV (in-field / marginal / outside)
  double x = 0, y = 0, z = 0, radius = 0;
};

std::vector<PointOfInterest> points_of(const json& report) {
  std::vector<PointOfInterest> v;
  const json& pts = member(member(report, "miss"), "points");
  if (!pts.is_array()) return v;
  for (const auto& p : pts) {
    const json& pos = member(p, "position_mm");
    if (!pos.is_array() || pos.size() != 3 || !pos[0].is_number() || !pos[1].is_number() || !pos[2].is_number()) continue;
    PointOfInterest q;
    q.id = string_of(p, "id");
    q.kind = string_of(p, "kind");
    q.x = pos[0].get<double>(), q.y = pos[1].get<double>(), q.z = pos[2].get<double>();
    q.radius = number(p, "radius_mm").value_or(0.0);
    for (const auto& vs : member(p, "vs")) {
      if (string_of(vs, "ctv") == "clinical") q.cls = string_of(vs, "class");
    }
    v.push_back(std::move(q));
  }
  return v;
}

std::string point_colour(const std::string& cls) {
  if (cls == "in-field" || cls == "in_field") return "#2ca02c";
  if (cls == "marginal") return "#ff7f0e";
  if (cls == "outside") return "#d62728";
  return "#555555";
}

std::string draw_point(const PointOfInterest& p, double px, double py) {
  const std::string c = point_colour(p.cls);
  const bool node = p.kind != "recurrence";
  std::string s = node ? fmt::format("<rect class=\"poi\" x=\"{}\" y=\"{}\" width=\"9\" height=\"9\" fill=\"{}\" stroke=\"#000\" stroke-width=\"0.8\">",
                                     svg::num(px - 4.5), svg::num(py - 4.5), c)
                       : fmt::format("<circle class=\"poi\" cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{}\" stroke=\"#000\" stroke-width=\"0.8\">",
                                     svg::num(px), svg::num(py), c);
  s += fmt::format("<title>{} ({}, {} vs the clinical CTV)</title>", html_escape(p.id), html_escape(p.kind),
                   html_escape(p.cls.empty() ? "unclassified" : p.cls));
  s += node ? "</rect>" : "</circle>";
  s += svg::text(px + 7, py - 6, p.id, "class=\"poi-label\"");
  return s;
}

/// The legend, one entry per style: layers drawn alike (the ribs) share an entry.
std::string legend(const std::vector<const Layer*>& drawn) {
  std::string s = fmt::format("<rect class=\"legend-bg\" x=\"{}\" y=\"0\" width=\"{}\" height=\"{}\"/>", svg::num(kView + 0.5),
                              svg::num(kLegend - 0.5), svg::num(kHeight));
  std::vector<std::pair<std::string, std::vector<const Layer*>>> entries;  // style -> layers
  for (const Layer* l : drawn) {
    const std::string style = layer_style(*l);
    auto it = std::find_if(entries.begin(), entries.end(), [&](const auto& e) { return e.first == style; });
    if (it == entries.end()) entries.push_back({style, {l}});
    else it->second.push_back(l);
  }
  double y = 20;
  for (const auto& [style, ls] : entries) {
    std::string label = ls.size() == 1 ? ls.front()->label : fmt::format("{} and {} more", ls.front()->label, ls.size() - 1);
    if (ls.size() > 1 && ls.front()->kind == LayerKind::Rib) label = fmt::format("ribs ({} ROIs)", ls.size());
    std::string shown = label;
    if (shown.size() > 27) shown = shown.substr(0, 24) + "...";
    s += fmt::format("<g class=\"legend-entry\"><title>{}</title><rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" {}/>", html_escape(label),
                     svg::num(kView + 8), svg::num(y - 9), style);
    s += svg::text(kView + 22, y, shown, "class=\"legend\"") + "</g>";
    y += 14;
    if (y > kHeight - 8) break;
  }
  return s;
}

// ---- Axial

Figure axial_figure(const std::vector<const Layer*>& drawn, const std::vector<PointOfInterest>& points, double z,
                    double band_lo, double band_hi, const std::string& id, const std::string& title, int lateral_sign) {
  Figure f;
  f.id = id;
  f.title = title;
  Extent e;
  std::vector<std::pair<const Layer*, const geom::Plane*>> planes;
  for (const Layer* l : drawn) {
    const geom::Plane* p = geom::plane_at(*l->structure, z);
    if (p == nullptr || p->region.empty()) continue;
    planes.emplace_back(l, p);
    if (frames_view(l->kind)) {
      for (const auto& poly : p->region) {
        for (const auto& q : poly.outer()) e.add(q.x(), q.y());
      }
    }
  }
  std::vector<const PointOfInterest*> here;
  for (const auto& p : points) {
    if (p.z >= band_lo && p.z <= band_hi) here.push_back(&p), e.add(p.x, p.y);
  }
  std::string s = svg_open(id, title);
  if (e.empty()) {
    s += svg::text(kView / 2, kHeight / 2, "no CTV, reference CTV or IM vessel on this level", "class=\"empty-note\" text-anchor=\"middle\"");
    f.svg = s + "</svg>";
    f.caption = fmt::format("z = {:.1f} mm: nothing to frame the view.", z);
    return f;
  }
  e.grow(30);
  e.at_least(100, 75);
  const svg::Mapping m = svg::isotropic(e.x0, e.x1, e.y0, e.y1, kView, kHeight, kPad, false);
  s += "<g class=\"layers\">";
  std::vector<const Layer*> shown;
  for (const auto& [l, p] : planes) {
    s += fmt::format("<path fill-rule=\"evenodd\" {} d=\"{}\"><title>{}</title></path>", layer_style(*l), svg::path_data(p->region, m),
                     html_escape(l->label));
    if (std::find(shown.begin(), shown.end(), l) == shown.end()) shown.push_back(l);
  }
  s += "</g>";
  for (const auto* p : here) s += draw_point(*p, m.x(p->x), m.y(p->y));
  s += legend(shown);
  // Radiological convention: the patient's right on the viewer's left (DICOM +x = patient's left).
  s += scale_and_orientation(m, "R", "L", "A", "P");
  f.svg = s + "</svg>";
  f.has_content = true;
  f.caption = fmt::format(
      "Axial plane at z = {:.1f} mm (the structures' planes whose slab holds it), viewed from the feet: patient's right on "
      "the left, anterior up. The clinical CTV filled, each guideline's reference CTV dashed.{}",
      z, lateral_sign == 0 ? " Treated side unknown." : "");
  return f;
}

// ---- Coronal / sagittal silhouettes

/// The silhouette of a structure projected along y (coronal: x against z) or x (sagittal: y against
/// z): each plane's component extents as slab-high rectangles, united.
geom::MultiPolygon silhouette(const geom::Structure& s, bool coronal) {
  geom::MultiPolygon out;
  const double half = s.slab_mm > 0 ? s.slab_mm / 2 : 1.0;
  for (const auto& plane : s.planes) {
    for (const auto& poly : plane.region) {
      // The outer ring bounds the polygon (holes lie inside it).
      double lo = std::numeric_limits<double>::infinity(), hi = -lo;
      for (const auto& q : poly.outer()) {
        lo = std::min(lo, coronal ? q.x() : q.y());
        hi = std::max(hi, coronal ? q.x() : q.y());
      }
      if (!(hi > lo)) continue;
      out = geom::ops::unite(out, geom::ops::box(lo, plane.z_mm - half, hi, plane.z_mm + half));
    }
  }
  return out;
}

struct Band {
  std::string label;
  double lo = 0, hi = 0;
};

/// The ribs' medial ends (cranial to caudal aspect) as z bands, from report.landmarks.levels.
std::vector<Band> rib_bands(const json& report) {
  std::vector<Band> v;
  const json& levels = member(member(report, "landmarks"), "levels");
  for (int n = 1; n <= 12; ++n) {
    const auto top = number(member(levels, fmt::format("rib{}.medial.cranial", n).c_str()), "z_mm");
    const auto bottom = number(member(levels, fmt::format("rib{}.medial.caudal", n).c_str()), "z_mm");
    if (top && bottom && *top > *bottom) v.push_back({fmt::format("rib {}", n), *bottom, *top});
  }
  return v;
}

Figure projection_figure(const std::vector<const Layer*>& drawn, const std::vector<Band>& ribs, const std::vector<PointOfInterest>& points,
                         bool coronal, bool recurrence_map, const json& report) {
  Figure f;
  f.id = recurrence_map ? "recurrence-map" : (coronal ? "coronal" : "sagittal");
  f.title = recurrence_map ? "Recurrence and node map (coronal projection)"
                           : (coronal ? "Coronal view: cranial and caudal borders against the rib levels"
                                      : "Sagittal view: cranial and caudal borders against the rib levels");
  std::vector<std::pair<const Layer*, geom::MultiPolygon>> shapes;
  Extent e;
  for (const Layer* l : drawn) {
    if (recurrence_map && l->kind != LayerKind::Clinical && l->kind != LayerKind::Reference) continue;
    // Lungs, heart and the ribs' own silhouettes would hide the borders; the rib bands show the ribs.
    if (!recurrence_map && (l->kind == LayerKind::Organ || l->kind == LayerKind::Rib)) continue;
    geom::MultiPolygon sil = silhouette(*l->structure, coronal);
    if (sil.empty()) continue;
    if (frames_view(l->kind)) {
      for (const auto& poly : sil) {
        for (const auto& q : poly.outer()) e.add(q.x(), q.y());
      }
    }
    shapes.emplace_back(l, std::move(sil));
  }
  if (recurrence_map) {
    for (const auto& p : points) e.add(coronal ? p.x : p.y, p.z);
  }
  std::string s = svg_open(f.id, f.title);
  if (e.empty()) {
    s += svg::text(kView / 2, kHeight / 2, "no CTV or reference CTV to show", "class=\"empty-note\" text-anchor=\"middle\"");
    f.svg = s + "</svg>";
    f.caption = "Nothing to show: no clinical or reference CTV could be drawn.";
    return f;
  }
  e.grow(20);
  e.at_least(80, 100);
  const svg::Mapping m = svg::isotropic(e.x0, e.x1, e.y0, e.y1, kView, kHeight, kPad, true);
  // Rib bands behind everything, labelled at the right edge.
  for (const auto& b : ribs) {
    if (b.hi < e.y0 || b.lo > e.y1) continue;
    s += fmt::format("<rect class=\"rib-band\" x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}</title></rect>", svg::num(m.y(b.hi)),
                     svg::num(kView), svg::num(std::max(1.0, m.y(b.lo) - m.y(b.hi))), html_escape(b.label));
    s += svg::text(kView - 44, (m.y(b.hi) + m.y(b.lo)) / 2 + 4, b.label, "class=\"annot\"");
  }
  std::vector<const Layer*> shown;
  s += "<g class=\"layers\">";
  for (const auto& [l, sil] : shapes) {
    s += fmt::format("<path fill-rule=\"evenodd\" {} d=\"{}\"><title>{}</title></path>", layer_style(*l), svg::path_data(sil, m),
                     html_escape(l->label));
    shown.push_back(l);
  }
  s += "</g>";
  if (!recurrence_map) {
    // The clinical CTV's own cranial and caudal border per guideline check, as short ticks.
    const json& other = member(member(report, "landmarks"), "levels");
    for (const char* name : {"ctvn_l4.caudal", "imv_junction"}) {
      const auto z = number(member(other, name), "z_mm");
      if (!z || *z < e.y0 || *z > e.y1) continue;
      s += fmt::format("<line class=\"level\" x1=\"0\" x2=\"{0}\" y1=\"{1}\" y2=\"{1}\"/>", svg::num(kView), svg::num(m.y(*z)));
      s += svg::text(kView / 2, m.y(*z) - 3, name, "class=\"annot\" text-anchor=\"middle\"");
    }
  }
  if (recurrence_map) {
    for (const auto& p : points) s += draw_point(p, m.x(coronal ? p.x : p.y), m.y(p.z));
    if (points.empty()) s += svg::text(kView / 2, 30, "no recurrences or nodes given for this case", "class=\"empty-note\" text-anchor=\"middle\"");
  }
  s += legend(shown);
  if (coronal) s += scale_and_orientation(m, "R", "L", "H", "F");
  else s += scale_and_orientation(m, "A", "P", "H", "F");
  f.svg = s + "</svg>";
  f.has_content = true;
  f.caption = recurrence_map
                  ? "Every recurrence (circle) and node (square) projected onto the coronal plane, coloured by its class against the "
                    "clinical CTV: green in-field, orange marginal, red outside; the CTVs as their coronal silhouettes."
                  : fmt::format("Silhouettes projected {} (each plane's extent over its slab); grey bands: the medial ends of the ribs "
                                "(cranial to caudal aspect), so the CTVs' cranial and caudal borders read against the rib levels.",
                                coronal ? "along the anterior-posterior axis" : "along the left-right axis");
  return f;
}

/// The DVH series colours by organ.
std::string organ_colour(const std::string& organ, std::size_t i) {
  if (organ == "heart") return "#b2182b";
  if (organ == "lad") return "#e08214";
  if (organ == "left_ventricle") return "#8c510a";
  if (organ.rfind("lung", 0) == 0) return organ == "lung_contralateral" ? "#92c5de" : "#4393c3";
  if (organ == "ctvn_imn") return "#d62728";
  static const std::array<const char*, 4> others{"#1b7837", "#762a83", "#35978f", "#525252"};
  return others[i % others.size()];
}

}  // namespace

std::string reference_colour(std::size_t index) {
  static const std::array<const char*, 6> palette{"#00a6d6", "#ff9f00", "#9b00d9", "#00a85a", "#e00000", "#808000"};
  return palette[index % palette.size()];
}

std::vector<Figure> anatomy_figures(const std::vector<Layer>& layers, const nlohmann::ordered_json& report) {
  std::vector<Figure> figures;
  const std::vector<const Layer*> drawn = in_draw_order(layers);
  const std::vector<PointOfInterest> points = points_of(report);
  const int lateral_sign = static_cast<int>(number(member(report, "landmarks"), "lateral_sign").value_or(0.0));
  const json& ics = member(member(report, "landmarks"), "ics");
  if (ics.is_array() && !ics.empty()) {
    for (const auto& band : ics) {
      const auto hi = number(band, "cranial_z_mm"), lo = number(band, "caudal_z_mm");
      const auto n = number(band, "number");
      if (!hi || !lo || !n) continue;
      figures.push_back(axial_figure(drawn, points, (*hi + *lo) / 2, std::min(*lo, *hi), std::max(*lo, *hi),
                                     fmt::format("axial-ics{}", static_cast<int>(*n)),
                                     fmt::format("Axial view, intercostal space {}", static_cast<int>(*n)), lateral_sign));
    }
  } else {
    // No intercostal spaces found: one axial view through the middle of the clinical CTV.
    for (const Layer* l : drawn) {
      if (l->kind != LayerKind::Clinical) continue;
      const auto& planes = l->structure->planes;
      const double z = planes[planes.size() / 2].z_mm;
      Figure f = axial_figure(drawn, points, z, z - l->structure->slab_mm / 2, z + l->structure->slab_mm / 2, "axial-mid",
                              "Axial view through the middle of the clinical CTV", lateral_sign);
      f.caption += " No intercostal space was found (ribs not contoured), so one plane through the middle of the CTV is shown.";
      figures.push_back(std::move(f));
      break;
    }
  }
  const std::vector<Band> ribs = rib_bands(report);
  figures.push_back(projection_figure(drawn, ribs, points, true, false, report));
  figures.push_back(projection_figure(drawn, ribs, points, false, false, report));
  figures.push_back(projection_figure(drawn, ribs, points, true, true, report));
  return figures;
}

std::vector<Figure> dose_figures(const nlohmann::ordered_json& report) {
  std::vector<Figure> figures;
  const json& heart = member(report, "heart");
  {
    Figure f;
    f.id = "dvh";
    f.title = "Dose-volume histograms";
    svg::LineChart c;
    c.title = "Cumulative DVH";
    c.x_label = "dose (Gy)";
    c.y_label = "volume (% of the structure)";
    double dmax = 0;
    std::size_t i = 0;
    for (const auto& d : member(heart, "dvhs")) {
      const json& dvh = member(d, "dvh");
      const json& cum = member(dvh, "cumulative");
      const json& dose = member(cum, "dose_gy");
      const json& cc = member(cum, "volume_cc");
      const auto total = number(dvh, "sampled_volume_cc");
      if (!dose.is_array() || !cc.is_array() || !total || *total <= 0) continue;
      svg::Series s;
      s.label = string_of(d, "organ");
      s.colour = organ_colour(s.label, i++);
      s.dashed = s.label.rfind("ptv", 0) == 0;
      for (std::size_t k = 0; k < dose.size() && k < cc.size(); ++k) {
        if (!dose[k].is_number() || !cc[k].is_number()) continue;
        s.x.push_back(dose[k].get<double>());
        s.y.push_back(100.0 * cc[k].get<double>() / *total);
        dmax = std::max(dmax, s.x.back());
      }
      if (!s.x.empty()) c.series.push_back(std::move(s));
    }
    if (c.series.empty()) {
      f.svg = svg_open("dvh", f.title) +
              svg::text(kWidth / 2, kHeight / 2, "no DVH: the case has no usable RTDOSE", "class=\"empty-note\" text-anchor=\"middle\"") + "</svg>";
      f.caption = string_of(heart, "mean_heart_dose_source");
    } else {
      c.x_max = std::max(1.0, std::ceil(dmax / 5) * 5);
      f.svg = svg::line_chart(c);
      f.has_content = true;
      f.caption = "Cumulative DVHs from the exact plane model of each structure in the RTDOSE grid (trilinear dose, partial "
                  "volumes from exact polygon areas); volume as a percentage of the sampled structure volume.";
    }
    figures.push_back(std::move(f));
  }
  {
    Figure f;
    f.id = "ovh";
    f.title = "Overlap-volume histograms";
    svg::LineChart c;
    c.title = "OVH: organ volume within a distance of the PTV";
    c.x_label = "distance from the PTV surface (mm)";
    c.y_label = "organ volume (%)";
    double xmax = 0;
    std::size_t i = 0;
    for (const auto& o : member(member(heart, "proxies"), "ovh")) {
      const json& dist = member(o, "distance_mm");
      const json& pct = member(o, "volume_pct");
      if (!dist.is_array() || !pct.is_array()) continue;
      svg::Series s;
      s.label = string_of(o, "organ") + " / " + string_of(o, "ptv");
      s.colour = organ_colour(string_of(o, "organ"), i++);
      s.dashed = i % 2 == 0;
      for (std::size_t k = 0; k < dist.size() && k < pct.size(); ++k) {
        if (!dist[k].is_number() || !pct[k].is_number()) continue;
        s.x.push_back(dist[k].get<double>());
        s.y.push_back(pct[k].get<double>());
        xmax = std::max(xmax, s.x.back());
      }
      if (!s.x.empty()) c.series.push_back(std::move(s));
    }
    if (c.series.empty()) {
      f.svg = svg_open("ovh", f.title) +
              svg::text(kWidth / 2, kHeight / 2, "no OVH: no PTV and organ pair could be evaluated", "class=\"empty-note\" text-anchor=\"middle\"") +
              "</svg>";
      f.caption = "The OVH needs a PTV and the heart or LAD.";
    } else {
      c.x_max = std::max(1.0, xmax);
      f.svg = svg::line_chart(c);
      f.has_content = true;
      f.caption = string_of(member(heart, "conventions"), "ovh");
    }
    figures.push_back(std::move(f));
  }
  return figures;
}

}  // namespace rtaudit::report
