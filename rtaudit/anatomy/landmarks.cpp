#include "rtaudit/anatomy/landmarks.hpp"

#include "rtaudit/geom/region_ops.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace rtaudit::anatomy {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::string side_word(Side s) { return std::string(to_string(s)); }

/// Upper slab edge of the cranial-most plane (the cranial aspect in the slab model).
double top_edge(const geom::Structure& s) { return s.planes.back().z_mm + 0.5 * s.slab_mm; }
/// Lower slab edge of the caudal-most plane.
double bottom_edge(const geom::Structure& s) { return s.planes.front().z_mm - 0.5 * s.slab_mm; }

bool has_volume(const geom::Structure& s) { return !s.planes.empty() && s.slab_mm > 0; }

/// Area centroid of one polygon (outer ring minus holes); rings are closed, outer counter-clockwise.
struct AreaCentroid {
  double area = 0;
  geom::Point2 centre;
};

AreaCentroid polygon_centroid(const geom::Polygon& p) {
  double a = 0, cx = 0, cy = 0;
  const auto add_ring = [&](const geom::Ring& r) {
    for (std::size_t i = 0; i + 1 < r.size(); ++i) {
      const double x0 = r[i].x(), y0 = r[i].y(), x1 = r[i + 1].x(), y1 = r[i + 1].y();
      const double cross = x0 * y1 - x1 * y0;
      a += cross;
      cx += (x0 + x1) * cross;
      cy += (y0 + y1) * cross;
    }
  };
  add_ring(p.outer());
  for (const auto& h : p.inners()) add_ring(h);
  AreaCentroid c;
  c.area = 0.5 * std::abs(a);
  if (std::abs(a) > 0) c.centre = geom::Point2(cx / (3.0 * a), cy / (3.0 * a));
  else if (!p.outer().empty()) c.centre = p.outer().front();
  return c;
}

double dist2(const geom::Point2& a, const geom::Point2& b) {
  const double dx = a.x() - b.x(), dy = a.y() - b.y();
  return dx * dx + dy * dy;
}

template <class F>
void for_each_vertex(const geom::MultiPolygon& m, F&& f) {
  for (const auto& p : m) {
    for (const auto& v : p.outer()) f(v);
    for (const auto& h : p.inners())
      for (const auto& v : h) f(v);
  }
}

Level missing_level(std::string name, std::string reason) {
  Level l;
  l.name = std::move(name);
  l.not_evaluable = std::move(reason);
  return l;
}

// ---- ribs ----

/// The cranial and caudal aspects of a rib's medial (sternal) end. The sternal end is the most
/// medial point of the rib's ventral half (the rib wraps round to the spine, which is also near the
/// midline, so the dorsal half is left out); the medial end is the part of the ventral half within
/// the window lateral of that point.
void find_rib(const BoundStructure& rib, int n, double lateral, double midline_x, const LandmarkOptions& o,
              Landmarks& out) {
  const std::string cranial_name = fmt::format("rib{}.medial.cranial", n);
  const std::string caudal_name = fmt::format("rib{}.medial.caudal", n);
  const geom::Structure& s = rib.structure;
  if (!has_volume(s)) {
    const std::string why = fmt::format("{} (rib {}) has no plane with an area and a slab thickness", roi_label(rib), n);
    out.levels[cranial_name] = missing_level(cranial_name, why);
    out.levels[caudal_name] = missing_level(caudal_name, why);
    return;
  }
  double y_min = kInf, y_max = -kInf;
  for (const auto& p : s.planes) for_each_vertex(p.region, [&](const geom::Point2& v) {
      y_min = std::min(y_min, v.y());
      y_max = std::max(y_max, v.y());
    });
  const double y_cut = 0.5 * (y_min + y_max);
  // Lateral distance from the midline, over the ventral half: its minimum is the sternal end.
  double medial_lat = kInf;
  for (const auto& p : s.planes) for_each_vertex(p.region, [&](const geom::Point2& v) {
      if (v.y() <= y_cut) medial_lat = std::min(medial_lat, lateral * (v.x() - midline_x));
    });
  const double x_a = midline_x + lateral * medial_lat;
  const double x_b = midline_x + lateral * (medial_lat + o.rib_medial_window_mm);
  const geom::MultiPolygon window =
      geom::ops::box(std::min(x_a, x_b) - 1e-6, y_min - 1.0, std::max(x_a, x_b) + 1e-6, y_cut);
  const geom::Plane* top = nullptr;
  const geom::Plane* bottom = nullptr;
  for (const auto& p : s.planes) {
    if (geom::ops::area(geom::ops::intersect(p.region, window)) <= 0) continue;
    if (bottom == nullptr) bottom = &p;
    top = &p;
  }
  if (top == nullptr) {  // cannot happen (the window holds the sternal-end vertex), kept for safety
    const std::string why = fmt::format("{}: no plane holds its medial end", roi_label(rib));
    out.levels[cranial_name] = missing_level(cranial_name, why);
    out.levels[caudal_name] = missing_level(caudal_name, why);
    return;
  }
  const std::string end_words = fmt::format(
      "medial end of {} = its ventral half within {:g} mm lateral of its most medial point (x = {:.1f} mm)",
      roi_label(rib), o.rib_medial_window_mm, x_a);
  Level cranial;
  cranial.name = cranial_name;
  cranial.z_mm = top->z_mm + 0.5 * s.slab_mm;
  cranial.method = fmt::format("upper slab edge of the cranial-most plane (z = {:.2f} mm) of the {}", top->z_mm, end_words);
  cranial.rois = {rib.roi_number};
  cranial.provenance = rib.provenance;
  Level caudal;
  caudal.name = caudal_name;
  caudal.z_mm = bottom->z_mm - 0.5 * s.slab_mm;
  caudal.method = fmt::format("lower slab edge of the caudal-most plane (z = {:.2f} mm) of the {}", bottom->z_mm, end_words);
  caudal.rois = {rib.roi_number};
  caudal.provenance = rib.provenance;
  out.levels[cranial_name] = std::move(cranial);
  out.levels[caudal_name] = std::move(caudal);
}

// ---- vessels ----

VesselLine find_vessel(const StructureMap& map, std::string role, std::string words, Side treated,
                       std::vector<std::string>& notes) {
  VesselLine line;
  line.role = role;
  const BoundStructure* b = find_structure(map, role, treated);
  if (b == nullptr) {
    line.not_evaluable = fmt::format("no ROI bound to the {} {} ({})", side_word(treated), words, role);
    return line;
  }
  line.roi_number = b->roi_number;
  line.roi_name = b->roi_name;
  line.provenance = b->provenance;
  const geom::Structure& s = b->structure;
  if (s.planes.empty()) {
    line.not_evaluable = fmt::format("{} has no plane with an area", roi_label(*b));
    return line;
  }
  std::optional<geom::Point2> previous;
  std::size_t multi = 0;
  for (const auto& plane : s.planes) {
    if (plane.region.empty()) continue;
    CentrelinePoint c;
    c.z_mm = plane.z_mm;
    c.components = plane.region.size();
    AreaCentroid best;
    double best_score = kInf;
    for (const auto& poly : plane.region) {
      const AreaCentroid pc = polygon_centroid(poly);
      // Without a neighbour, the largest component; else the one continuing the line.
      const double score = previous ? dist2(pc.centre, *previous) : -pc.area;
      if (score < best_score) {
        best_score = score;
        best = pc;
      }
    }
    c.centre = best.centre;
    c.area_mm2 = best.area;
    if (c.components > 1) ++multi;
    previous = c.centre;
    line.centreline.push_back(c);
  }
  line.method = fmt::format("area centroid of {} on each of its {} planes", roi_label(*b), line.centreline.size());
  if (multi > 0) {
    line.method += fmt::format(
        "; on {} plane(s) with several components, the component nearest the centre on the plane below", multi);
    notes.push_back(fmt::format("{} has several components on {} plane(s)", roi_label(*b), multi));
  }
  return line;
}

Level find_imv_junction(const StructureMap& map, Side treated, const LandmarkOptions& o) {
  const BoundStructure* vein = find_structure(map, "im_vein", treated);
  if (vein == nullptr || !has_volume(vein->structure)) {
    return missing_level("imv_junction", fmt::format("no {} IM vein (im_vein) with a volume: the junction with the "
                                                     "brachiocephalic / subclavian vein cannot be located",
                                                     side_word(treated)));
  }
  if (vein->provenance.origin != Origin::Contour) {
    return missing_level("imv_junction", fmt::format("the {} IM vein {} was found in the CT only beside the sternum: where it "
                                                     "joins the brachiocephalic / subclavian vein is not located",
                                                     side_word(treated), roi_label(*vein)));
  }
  const geom::Structure& v = vein->structure;
  Level l;
  l.name = "imv_junction";
  l.rois = {vein->roi_number};
  l.z_mm = top_edge(v);
  l.method = fmt::format("cranial end of the IM vein {} (upper slab edge of its cranial-most plane, z = {:.2f} mm): "
                         "the IM vein ends where it joins the brachiocephalic / subclavian vein",
                         roi_label(*vein), v.planes.back().z_mm);
  // Where a great vein is contoured, check that the IM vein really ends on it, and if the IM vein was
  // drawn on into it, take the cranial-most plane where the two still meet.
  for (const char* great : {"v_brachioceph", "v_subclavian"}) {
    const BoundStructure* g = find_structure(map, great, treated);
    if (g == nullptr || g->structure.planes.empty()) continue;
    const geom::Plane* contact_top = nullptr;
    double top_gap = kInf;
    for (const auto& p : v.planes) {
      const geom::Plane* q = geom::plane_at(g->structure, p.z_mm);
      if (q == nullptr || std::abs(q->z_mm - p.z_mm) > 0.5 * std::max(v.slab_mm, 0.1)) continue;
      const double d = geom::ops::distance(p.region, q->region);
      if (d <= o.junction_contact_mm) contact_top = &p;
      if (&p == &v.planes.back()) top_gap = d;
    }
    l.rois.push_back(g->roi_number);
    if (contact_top == nullptr) {
      l.method += fmt::format("; the IM vein does not come within {:g} mm of {} on any common plane (cranial-most "
                              "plane {}), so its cranial end is used",
                              o.junction_contact_mm, roi_label(*g),
                              std::isfinite(top_gap) ? fmt::format("{:.1f} mm away", top_gap) : "not shared");
    } else if (contact_top != &v.planes.back()) {
      l.z_mm = contact_top->z_mm + 0.5 * v.slab_mm;
      l.method = fmt::format("cranial-most plane (z = {:.2f} mm) on which the IM vein {} still meets {} (within {:g} mm), "
                             "upper slab edge; the IM vein ROI continues above it to z = {:.2f} mm",
                             contact_top->z_mm, roi_label(*vein), roi_label(*g), o.junction_contact_mm,
                             v.planes.back().z_mm);
    } else {
      l.method += fmt::format("; confirmed: it meets {} on that plane", roi_label(*g));
    }
    break;
  }
  return l;
}

SurfaceLandmark surface(const StructureMap& map, std::string name, std::string role, Side side, std::string words) {
  SurfaceLandmark s;
  s.name = std::move(name);
  const BoundStructure* b = find_structure(map, role, side);
  if (b == nullptr || b->structure.planes.empty()) {
    s.not_evaluable = b == nullptr ? fmt::format("no ROI bound to the {} ({})", words, role)
                                   : fmt::format("{} has no plane with an area", roi_label(*b));
    return s;
  }
  s.roi_number = b->roi_number;
  s.roi_name = b->roi_name;
  s.method = fmt::format("surface of {}", roi_label(*b));
  return s;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------

std::string roi_label(const BoundStructure& b) {
  if (b.roi_number < 0) {
    return fmt::format("{} landmark '{}'", b.provenance.origin == Origin::Estimated ? "estimated" : "CT", b.roi_name);
  }
  return fmt::format("ROI {} '{}'", b.roi_number, b.roi_name);
}

std::string_view to_string(Origin o) {
  switch (o) {
    case Origin::Contour: return "contour";
    case Origin::Ct: return "ct";
    case Origin::Estimated: return "estimated";
  }
  return "estimated";
}

Provenance weakest(Provenance a, Provenance b) {
  return {std::max(a.origin, b.origin), std::min(a.confidence, b.confidence)};
}

Side opposite(Side s) {
  if (s == Side::Left) return Side::Right;
  if (s == Side::Right) return Side::Left;
  return s;
}

StructureMap bind_structures(const StructureSet& set, const RoleAssignment& roles, const geom::BuildOptions& options) {
  StructureMap map;
  for (const auto& binding : roles.bindings) {
    const auto it = set.rois.find(binding.roi_number);
    if (it == set.rois.end()) continue;  // assign_roles binds only ROIs of the set
    geom::StructureBuild built = geom::build_structure(it->second.contours, options);
    BoundStructure b;
    b.roi_number = binding.roi_number;
    b.roi_name = it->second.name;
    b.structure = std::move(built.structure);
    b.issues = std::move(built.issues);
    map.emplace(binding.key, std::move(b));
  }
  return map;
}

StructureMap resolve_relative_sides(StructureMap map, Side treated) {
  if (treated != Side::Left && treated != Side::Right) return map;
  StructureMap out;
  std::vector<std::pair<RoleKey, BoundStructure>> relative;
  for (auto& [key, b] : map) {
    if (key.side == Side::Ipsilateral || key.side == Side::Contralateral) relative.emplace_back(key, std::move(b));
    else out.emplace(key, std::move(b));
  }
  for (auto& [key, b] : relative) {
    RoleKey k = key;
    k.side = resolve_relative_side(key.side, treated);
    if (out.contains(k)) out.emplace(key, std::move(b));  // collision: keep it under its relative key
    else out.emplace(k, std::move(b));
  }
  return out;
}

const BoundStructure* find_structure(const StructureMap& map, std::string_view role, Side side) {
  RoleKey key{std::string(role), side, ""};
  if (auto it = map.find(key); it != map.end()) return &it->second;
  if (side == Side::Left || side == Side::Right) {
    key.side = Side::Both;
    if (auto it = map.find(key); it != map.end()) return &it->second;
  }
  return nullptr;
}

TreatedSide find_treated_side(const StructureMap& map, std::optional<Side> user_side) {
  TreatedSide t;
  if (user_side && (*user_side == Side::Left || *user_side == Side::Right)) {
    t.side = user_side;
    t.method = fmt::format("{} side, as given by the user", side_word(*user_side));
    return t;
  }
  // 1. The side of the IMN CTV itself.
  const auto named_sides = [&](std::string_view role) {
    std::vector<std::pair<Side, const BoundStructure*>> v;
    for (Side s : {Side::Left, Side::Right}) {
      auto it = map.find(RoleKey{std::string(role), s, ""});
      if (it != map.end()) v.emplace_back(s, &it->second);
    }
    return v;
  };
  const auto imn = named_sides("ctvn_imn");
  if (imn.size() == 1) {
    t.side = imn.front().first;
    t.method = fmt::format("{} side, from the name of the IMN CTV {}", side_word(imn.front().first),
                           roi_label(*imn.front().second));
    return t;
  }
  if (imn.size() == 2) {
    t.not_evaluable = fmt::format("IMN CTVs on both sides ({} and {}): give the treated side (--side)",
                                  roi_label(*imn[0].second), roi_label(*imn[1].second));
    return t;
  }
  // 2. The other ipsilateral targets, when they agree.
  std::set<Side> sides;
  std::vector<std::string> from;
  for (const char* role : {"ctvn_l4", "ctv_breast", "ctv_chestwall", "ptv_breast", "ptv_chestwall", "ptvn_imn",
                           "ptvn_l4", "ctvn_l1_3", "ctvn_l1", "ctvn_l2", "ctvn_l3", "tumour_bed"}) {
    for (const auto& [s, b] : named_sides(role)) {
      sides.insert(s);
      from.push_back(roi_label(*b));
    }
  }
  if (sides.size() == 1) {
    t.side = *sides.begin();
    t.method = fmt::format("{} side, from the names of the other target volumes ({})", side_word(*sides.begin()),
                           fmt::join(from, ", "));
    return t;
  }
  if (sides.size() == 2) {
    t.not_evaluable = fmt::format("target volumes name both sides ({}): give the treated side (--side)", fmt::join(from, ", "));
    return t;
  }
  // 3. Geometry: the side of the midline on which the IMN CTV lies.
  const BoundStructure* any_imn = nullptr;
  for (const auto& [key, b] : map) {
    if (key.role == "ctvn_imn" && key.derivation.empty()) {
      any_imn = &b;
      break;
    }
  }
  if (any_imn == nullptr) {
    t.not_evaluable = "no IMN CTV and no sided target volume: the treated side is unknown (give --side)";
    return t;
  }
  const auto c = geom::centroid(any_imn->structure);
  if (!c) {
    t.not_evaluable = fmt::format("the IMN CTV {} has no area: the treated side is unknown (give --side)", roi_label(*any_imn));
    return t;
  }
  double midline = 0;
  std::string midline_words = "x = 0";
  if (const BoundStructure* st = find_structure(map, "sternum", Side::None)) {
    if (auto sc = geom::centroid(st->structure)) {
      midline = sc->x;
      midline_words = fmt::format("the centre of the sternum {}", roi_label(*st));
    }
  }
  if (std::abs(c->x - midline) < 1.0) {
    t.not_evaluable = fmt::format("the IMN CTV {} lies on the midline ({}): the treated side is unknown (give --side)",
                                  roi_label(*any_imn), midline_words);
    return t;
  }
  t.side = c->x > midline ? Side::Left : Side::Right;  // LPS: +x is the patient's left
  t.method = fmt::format("{} side, geometric: the centroid of {} lies {:.1f} mm to the patient's {} of {} (no name "
                         "says the side)",
                         side_word(*t.side), roi_label(*any_imn), std::abs(c->x - midline), side_word(*t.side),
                         midline_words);
  return t;
}

const Level* Landmarks::level(std::string_view name) const {
  auto it = levels.find(std::string(name));
  return it == levels.end() ? nullptr : &it->second;
}

double Landmarks::lateral_sign() const {
  if (!treated.side) return 0;
  return *treated.side == Side::Left ? 1.0 : -1.0;
}

Landmarks find_landmarks(const StructureMap& map, const TreatedSide& treated, const LandmarkOptions& options) {
  Landmarks out;
  out.treated = treated;
  const std::string no_side =
      "the treated side is unknown" + (treated.not_evaluable.empty() ? std::string() : " (" + treated.not_evaluable + ")");

  // Midline: the sternum's centre when contoured, else x = 0 (DICOM patient coordinates are centred by
  // the scanner, not on the patient, so the sternum is the better reference).
  out.midline_x_mm = 0;
  out.midline_method = "x = 0 (no sternum contoured)";
  const BoundStructure* sternum = find_structure(map, "sternum", Side::None);
  if (sternum != nullptr) {
    if (auto c = geom::centroid(sternum->structure)) {
      out.midline_x_mm = c->x;
      out.midline_method = fmt::format("x of the centroid of the sternum {}", roi_label(*sternum));
    }
  }

  out.heart_surface = surface(map, "heart.surface", "heart", Side::None, "heart");
  out.external_surface = surface(map, "external.surface", "external", Side::None, "external contour (body)");

  if (!treated.side) {
    for (int n = 1; n <= 6; ++n) {
      for (const char* which : {"cranial", "caudal"}) {
        const std::string name = fmt::format("rib{}.medial.{}", n, which);
        out.levels[name] = missing_level(name, no_side);
      }
    }
    out.levels["imv_junction"] = missing_level("imv_junction", no_side);
    out.levels["ctvn_l4.caudal"] = missing_level("ctvn_l4.caudal", no_side);
    out.im_vein.role = "im_vein";
    out.im_vein.not_evaluable = no_side;
    out.im_artery.role = "im_artery";
    out.im_artery.not_evaluable = no_side;
    out.sternum_method = "not evaluable: " + no_side;
    out.lung_surface.name = "lung.surface";
    out.lung_surface.not_evaluable = no_side;
    return out;
  }
  const Side side = *treated.side;
  const double lateral = out.lateral_sign();

  // Ribs and intercostal spaces.
  for (int n = 1; n <= 12; ++n) {
    const BoundStructure* rib = find_structure(map, fmt::format("rib{}", n), side);
    if (rib == nullptr) {
      if (n <= 6) {
        const std::string why = fmt::format("no ROI bound to the {} rib {} (rib{})", side_word(side), n, n);
        out.levels[fmt::format("rib{}.medial.cranial", n)] = missing_level(fmt::format("rib{}.medial.cranial", n), why);
        out.levels[fmt::format("rib{}.medial.caudal", n)] = missing_level(fmt::format("rib{}.medial.caudal", n), why);
      }
      continue;
    }
    find_rib(*rib, n, lateral, out.midline_x_mm, options, out);
  }
  double previous_top = kInf;
  int previous_n = 0;
  for (int n = 1; n <= 12; ++n) {
    const Level* top = out.level(fmt::format("rib{}.medial.cranial", n));
    if (top == nullptr || !top->evaluable()) continue;
    if (*top->z_mm >= previous_top) {
      out.notes.push_back(fmt::format("rib {}'s medial end (cranial aspect z = {:.1f} mm) is not caudal of rib {}'s "
                                      "(z = {:.1f} mm): check the rib names",
                                      n, *top->z_mm, previous_n, previous_top));
    }
    previous_top = *top->z_mm;
    previous_n = n;
  }
  for (int n = 1; n < 12; ++n) {
    const Level* upper = out.level(fmt::format("rib{}.medial.caudal", n));
    const Level* lower = out.level(fmt::format("rib{}.medial.cranial", n + 1));
    if (upper == nullptr || lower == nullptr || !upper->evaluable() || !lower->evaluable()) continue;
    if (*lower->z_mm >= *upper->z_mm) {
      out.notes.push_back(fmt::format("ICS {} has no height: rib {}'s medial end reaches z = {:.1f} mm, rib {}'s starts "
                                      "at z = {:.1f} mm; the band is left out",
                                      n, n + 1, *lower->z_mm, n, *upper->z_mm));
      continue;
    }
    out.ics.push_back(IcsBand{n, *upper->z_mm, *lower->z_mm});
  }

  // IM vessels.
  out.im_vein = find_vessel(map, "im_vein", "IM vein", side, out.notes);
  out.im_artery = find_vessel(map, "im_artery", "IM artery", side, out.notes);
  out.levels["imv_junction"] = find_imv_junction(map, side, options);

  // CTVn_L4: its caudal limit, from the patient's own contour.
  if (const BoundStructure* l4 = find_structure(map, "ctvn_l4", side); l4 != nullptr && has_volume(l4->structure)) {
    Level l;
    l.name = "ctvn_l4.caudal";
    l.z_mm = bottom_edge(l4->structure);
    l.method = fmt::format("lower slab edge of the caudal-most plane (z = {:.2f} mm) of {}", l4->structure.planes.front().z_mm,
                           roi_label(*l4));
    l.rois = {l4->roi_number};
    out.levels["ctvn_l4.caudal"] = std::move(l);
  } else {
    out.levels["ctvn_l4.caudal"] = missing_level(
        "ctvn_l4.caudal", l4 == nullptr ? fmt::format("no {} CTVn_L4 contoured (ctvn_l4)", side_word(side))
                                        : fmt::format("{} has no plane with a volume", roi_label(*l4)));
  }

  // Sternum edge on the treated side.
  if (sternum != nullptr && !sternum->structure.planes.empty()) {
    for (const auto& p : sternum->structure.planes) {
      double edge = -kInf;
      for_each_vertex(p.region, [&](const geom::Point2& v) { edge = std::max(edge, lateral * v.x()); });
      if (std::isfinite(edge)) out.sternum_edge.push_back(EdgePoint{p.z_mm, lateral * edge});
    }
    out.sternum_provenance = sternum->provenance;
    out.sternum_method = fmt::format("most lateral point on the {} side of {} on each of its {} planes", side_word(side),
                                     roi_label(*sternum), out.sternum_edge.size());
  } else {
    out.sternum_method = "not evaluable: no sternum contoured (sternum)";
  }

  out.lung_surface = surface(map, "lung.surface", "lung", side, side_word(side) + " lung");
  return out;
}

std::optional<double> rib_units(const Landmarks& landmarks, double z_mm) {
  std::vector<std::pair<int, double>> ribs;  // (N, cranial aspect z), N ascending
  for (int n = 1; n <= 12; ++n) {
    const Level* l = landmarks.level(fmt::format("rib{}.medial.cranial", n));
    if (l != nullptr && l->evaluable()) ribs.emplace_back(n, *l->z_mm);
  }
  if (ribs.size() < 2) return std::nullopt;
  const auto interp = [&](std::size_t i) {  // on the interval between ribs i and i + 1
    const auto [n0, z0] = ribs[i];
    const auto [n1, z1] = ribs[i + 1];
    if (z0 == z1) return static_cast<double>(n0);
    return n0 + (z0 - z_mm) / (z0 - z1) * (n1 - n0);
  };
  for (std::size_t i = 0; i + 1 < ribs.size(); ++i) {
    if (z_mm <= ribs[i].second && z_mm >= ribs[i + 1].second) return interp(i);
  }
  if (z_mm > ribs.front().second) return interp(0);
  return interp(ribs.size() - 2);
}

std::optional<int> ics_at(const Landmarks& landmarks, double z_mm) {
  for (const auto& band : landmarks.ics) {
    if (z_mm >= band.caudal_z_mm && z_mm < band.cranial_z_mm) return band.number;
  }
  for (int n = 1; n <= 12; ++n) {
    const Level* top = landmarks.level(fmt::format("rib{}.medial.cranial", n));
    const Level* bottom = landmarks.level(fmt::format("rib{}.medial.caudal", n));
    if (top == nullptr || bottom == nullptr || !top->evaluable() || !bottom->evaluable()) continue;
    if (z_mm >= *bottom->z_mm && z_mm < *top->z_mm) return 0;
  }
  return std::nullopt;
}

}  // namespace rtaudit::anatomy
