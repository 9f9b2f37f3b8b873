#include "rtaudit/guideline/reference_ctv.hpp"

#include "rtaudit/geom/region_ops.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace rtaudit::guideline {

namespace {

// A level landmark may refer to another level (target.cranial, the ctvn_l4.caudal fallback); a rule
// file could make that circular (checked at load only for ctvn_l4). Depth guard, not a clinical number.
constexpr int kMaxLevelDepth = 4;

std::string upper(std::string s) {
  for (auto& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

std::string vessel_words(std::string_view role) {
  if (role == "im_vein") return "IM vein";
  if (role == "im_artery") return "IM artery";
  if (role == "v_subclavian") return "subclavian vein";
  if (role == "v_brachioceph") return "brachiocephalic vein";
  return std::string(role);
}

std::string side_words(Side s) {
  switch (s) {
    case Side::Ipsilateral: return "ipsilateral";
    case Side::Contralateral: return "contralateral";
    case Side::Both: return "both sides'";
  }
  return "";
}

std::string fmt_mm(double v) { return fmt::format("{:.2f} mm", v); }

ResolvedLevel resolve(const Guideline& g, const TargetRule& t, std::string_view landmark, double offset_mm, Border side,
                      const anatomy::Landmarks& lm, int depth);

/// The confirmed mark of the rule element that names `landmark` for the border `side` of `t`.
bool confirmed_mark(const TargetRule& t, std::string_view landmark, Border side) {
  const BorderRule* b = t.border(side);
  if (b == nullptr) return true;
  if (b->landmark == landmark) return b->confirmed;
  for (const auto& a : b->alternatives) {
    if (a.landmark == landmark) return a.confirmed;
  }
  return true;
}

/// Resolves the border `side` of target `t` as stated in the rule (landmark + offset).
ResolvedLevel resolve_border(const Guideline& g, const TargetRule& t, Border side, const anatomy::Landmarks& lm,
                             int depth) {
  const BorderRule* b = t.border(side);
  if (b == nullptr || !b->stated) {
    ResolvedLevel r;
    r.landmark = fmt::format("{}.{}", t.role, to_string(side));
    r.not_evaluable = fmt::format("the {} target {} of {} states no {} border", t.role, t.name, g.id, to_string(side));
    return r;
  }
  ResolvedLevel r = resolve(g, t, b->landmark, b->offset_mm, side, lm, depth + 1);
  r.confirmed = b->confirmed && r.confirmed;
  return r;
}

ResolvedLevel resolve(const Guideline& g, const TargetRule& t, std::string_view landmark, double offset_mm, Border side,
                      const anatomy::Landmarks& lm, int depth) {
  ResolvedLevel r;
  r.landmark = std::string(landmark);
  r.offset_mm = offset_mm;
  r.confirmed = confirmed_mark(t, landmark, side);
  if (side != Border::Cranial && side != Border::Caudal) {
    r.not_evaluable = fmt::format("'{}' is resolved for the {} border, which is not a level", landmark, to_string(side));
    return r;
  }
  if (depth > kMaxLevelDepth) {
    r.not_evaluable = fmt::format("'{}' refers to itself through other levels of {}", landmark, g.id);
    return r;
  }
  // Outward: + is cranial for a cranial border, caudal for a caudal one (docs/rules.md).
  const double sign = side == Border::Cranial ? 1.0 : -1.0;
  const auto finish = [&](double landmark_z, std::string method) {
    r.landmark_z_mm = landmark_z;
    r.z_mm = landmark_z + sign * offset_mm;
    r.method = std::move(method);
  };

  if (landmark == "target.cranial" || landmark == "target.caudal") {
    const Border b = landmark == "target.cranial" ? Border::Cranial : Border::Caudal;
    const ResolvedLevel own = resolve_border(g, t, b, lm, depth);
    r.confirmed = own.confirmed;
    if (!own.evaluable()) {
      r.not_evaluable = fmt::format("{}: {}", landmark, own.not_evaluable);
      return r;
    }
    finish(*own.z_mm, fmt::format("the target's own {} border: {} {:+g} mm ({})", to_string(b), own.landmark,
                                  own.offset_mm, own.method));
    return r;
  }

  const anatomy::Level* level = lm.level(landmark);
  if (level != nullptr && level->evaluable()) {
    finish(*level->z_mm, level->method);
    return r;
  }
  const std::string why = level == nullptr ? fmt::format("'{}' is not a level found for this patient", landmark)
                                           : level->not_evaluable;
  if (landmark == "ctvn_l4.caudal") {
    // Fallback (docs/rules.md): the caudal border of the guideline's own ctvn_l4 target.
    const TargetRule* l4 = g.target("ctvn_l4");
    if (l4 == nullptr) {
      r.not_evaluable = fmt::format("ctvn_l4.caudal: {}; {} has no ctvn_l4 target to fall back on", why, g.id);
      return r;
    }
    const ResolvedLevel fb = resolve_border(g, *l4, Border::Caudal, lm, depth);
    if (!fb.evaluable()) {
      r.not_evaluable = fmt::format("ctvn_l4.caudal: {}; fallback to the caudal border of {}'s {} target: {}", why, g.id,
                                    l4->name, fb.not_evaluable);
      return r;
    }
    r.confirmed = r.confirmed && fb.confirmed;
    finish(*fb.z_mm, fmt::format("fallback ({}): the caudal border of {}'s {} target, {} {:+g} mm ({})", why, g.id,
                                 l4->name, fb.landmark, fb.offset_mm, fb.method));
    return r;
  }
  r.not_evaluable = why;
  return r;
}

/// Levels as text for the construction record.
std::string level_words(const ResolvedLevel& l) {
  return fmt::format("z = {} = {} {:+g} mm ({})", fmt_mm(*l.z_mm), l.landmark, l.offset_mm, l.method);
}

struct VesselPlan {
  const VesselMargin* rule = nullptr;
  const anatomy::BoundStructure* structure = nullptr;
  ResolvedLevel caudal, cranial;
  std::size_t planes_used = 0;
  std::size_t planes_without = 0;  // planes of its range on which the vessel has no contour
};

struct ClipPlan {
  const Clip* rule = nullptr;
  RuleStructures structures;
  std::size_t planes_touched = 0;
};

}  // namespace

RuleStructures find_rule_structures(const anatomy::StructureMap& map, std::string_view role, Side side,
                                    anatomy::Side treated) {
  RuleStructures l;
  const anatomy::RoleInfo* info = anatomy::find_role(role);
  const bool sided = info != nullptr && info->sided;
  const std::string what = vessel_words(role);
  if (!sided) {
    if (const auto* b = anatomy::find_structure(map, role, anatomy::Side::None)) {
      l.found.push_back(b);
      l.words = fmt::format("{} {}", what, roi_label(*b));
    } else {
      l.missing = fmt::format("no ROI bound to the {} (role {})", what, role);
    }
    return l;
  }
  std::vector<anatomy::Side> sides;
  if (side == Side::Ipsilateral) sides = {treated};
  else if (side == Side::Contralateral) sides = {anatomy::opposite(treated)};
  else if (const auto* both = anatomy::find_structure(map, role, anatomy::Side::Both)) {
    l.found.push_back(both);
    l.words = fmt::format("{} (both sides) {}", what, roi_label(*both));
    return l;
  } else {
    sides = {anatomy::Side::Left, anatomy::Side::Right};
  }
  std::vector<std::string> names;
  for (const anatomy::Side s : sides) {
    const auto* b = anatomy::find_structure(map, role, s);
    if (b == nullptr) {
      l.found.clear();
      l.missing = fmt::format("no ROI bound to the {} {} (role {}, {})", anatomy::to_string(s), what, role,
                              side_words(side));
      return l;
    }
    if (std::find(l.found.begin(), l.found.end(), b) == l.found.end()) {
      l.found.push_back(b);
      names.push_back(roi_label(*b));
    }
  }
  l.words = fmt::format("{} {} {}", side_words(side), what, fmt::join(names, " + "));
  return l;
}

ResolvedLevel resolve_level(const Guideline& guideline, const TargetRule& target, std::string_view landmark,
                            double offset_mm, Border side, const anatomy::Landmarks& landmarks) {
  return resolve(guideline, target, landmark, offset_mm, side, landmarks, 0);
}

ReferenceCtv build_reference_ctv(const Guideline& guideline, std::string_view target_role,
                                 const anatomy::Landmarks& landmarks, const anatomy::StructureMap& structures,
                                 const ReferenceOptions& options) {
  ReferenceCtv ref;
  ref.guideline_id = guideline.id;
  ref.guideline_version = guideline.version;
  ref.status = guideline.status;
  ref.target_role = std::string(target_role);
  const TargetRule* t = guideline.target(target_role);
  if (t == nullptr) {
    ref.not_evaluable.push_back(fmt::format("{} has no {} target", guideline.id, target_role));
    return ref;
  }
  ref.name = t->name;
  ref.roi_name = fmt::format("REF_{}_{}", upper(guideline.id), t->name);
  if (ref.roi_name.size() > 64) ref.roi_name.resize(64);  // DICOM ROI Name is LO: 64 characters
  if (guideline.status == Status::Provisional) {
    ref.construction.push_back(fmt::format("{} is provisional: its borders are placeholders, so is this reference",
                                           guideline.id));
  }

  // Which rule elements used are unconfirmed (docs/rules.md: results that depend on them must say so).
  const auto unconfirmed = [&](std::string what, const std::string& note) {
    ref.unconfirmed.push_back(note.empty() ? std::move(what) : fmt::format("{}: {}", what, note));
  };

  // ---- Levels ----
  ref.cranial = resolve_border(guideline, *t, Border::Cranial, landmarks, 0);
  ref.caudal = resolve_border(guideline, *t, Border::Caudal, landmarks, 0);
  for (const Border b : {Border::Cranial, Border::Caudal}) {
    const ResolvedLevel& l = b == Border::Cranial ? ref.cranial : ref.caudal;
    if (!l.evaluable()) ref.not_evaluable.push_back(fmt::format("{} level: {}", to_string(b), l.not_evaluable));
    const BorderRule* br = t->border(b);
    if (br != nullptr && br->stated && !br->confirmed) {
      unconfirmed(fmt::format("{} border {} {:+g} mm (line {})", to_string(b), br->landmark, br->offset_mm, br->line),
                  br->note);
    }
    if (l.evaluable() && l.method.starts_with("fallback")) {
      if (const TargetRule* l4 = guideline.target("ctvn_l4")) {
        const BorderRule* fb = l4->border(Border::Caudal);
        if (fb != nullptr && !fb->confirmed) {
          unconfirmed(fmt::format("{} caudal border {} {:+g} mm (line {}), the fallback of ctvn_l4.caudal", l4->name,
                                  fb->landmark, fb->offset_mm, fb->line),
                      fb->note);
        }
      }
    }
  }
  if (ref.cranial.evaluable() && ref.caudal.evaluable() && !(*ref.caudal.z_mm < *ref.cranial.z_mm)) {
    ref.not_evaluable.push_back(fmt::format("the caudal level (z = {}) is not below the cranial level (z = {})",
                                            fmt_mm(*ref.caudal.z_mm), fmt_mm(*ref.cranial.z_mm)));
  }

  // ---- Side and vein ----
  const auto& treated = landmarks.treated.side;
  if (!treated) {
    ref.not_evaluable.push_back("the treated side is unknown" +
                                (landmarks.treated.not_evaluable.empty() ? std::string()
                                                                         : ": " + landmarks.treated.not_evaluable));
    return ref;
  }
  anatomy::Side side = *treated;
  if (t->side == Side::Contralateral) side = anatomy::opposite(side);
  if (t->side == Side::Both) {
    ref.construction.push_back(fmt::format("the rule's target side is 'both': built on the treated ({}) side only",
                                           anatomy::to_string(side)));
  }
  const anatomy::BoundStructure* vein = anatomy::find_structure(structures, "im_vein", side);
  if (vein == nullptr) {
    ref.not_evaluable.push_back(
        fmt::format("no IM vein contour: no ROI bound to the {} IM vein (role im_vein); the reference is built on the "
                    "vein's planes",
                    anatomy::to_string(side)));
  } else if (vein->structure.planes.empty() || !(vein->structure.slab_mm > 0)) {
    ref.not_evaluable.push_back(fmt::format("the IM vein {} has no plane with an area and a slab thickness",
                                            roi_label(*vein)));
  }

  // ---- Vessels and their level ranges ----
  std::vector<VesselPlan> vessels;
  if (t->vessels.empty()) ref.not_evaluable.push_back(fmt::format("the {} target of {} names no <vessel>", t->name, guideline.id));
  for (const auto& v : t->vessels) {
    VesselPlan p;
    p.rule = &v;
    p.caudal = resolve(guideline, *t, v.levels.caudal, 0, Border::Caudal, landmarks, 0);
    p.cranial = resolve(guideline, *t, v.levels.cranial, 0, Border::Cranial, landmarks, 0);
    for (const ResolvedLevel* l : {&p.caudal, &p.cranial}) {
      // target.caudal / target.cranial are the target's own levels: their reason is already given.
      if (!l->evaluable() && !l->landmark.starts_with("target.")) {
        ref.not_evaluable.push_back(
            fmt::format("level range of the {} margin (line {}): {}", vessel_words(v.role), v.line, l->not_evaluable));
      }
    }
    if (v.role == "im_vein") {
      p.structure = vein;
    } else {
      const RuleStructures l = find_rule_structures(structures, v.role, t->side, *treated);
      if (l.found.empty()) {
        // A vessel the rule adds to the vein (the artery) missing: the reference would silently lack its
        // margin, and the lateral border often depends on it. Not evaluable, as for a missing clip.
        ref.not_evaluable.push_back(fmt::format("the rule dilates the {} by {:g} mm (line {}), but {}",
                                                vessel_words(v.role), v.margin_mm, v.line, l.missing));
      } else {
        p.structure = l.found.front();
      }
    }
    if (!v.confirmed) {
      unconfirmed(fmt::format("{} margin {:g} mm{} (line {})", vessel_words(v.role), v.margin_mm,
                              v.levels.text.empty() ? std::string() : ", " + v.levels.text, v.line),
                  v.note);
    }
    vessels.push_back(std::move(p));
  }

  // ---- Clips ----
  std::vector<ClipPlan> clips;
  for (const auto& c : t->clips) {
    ClipPlan p;
    p.rule = &c;
    p.structures = find_rule_structures(structures, c.role, c.side, *treated);
    if (p.structures.found.empty()) {
      // Every clip is needed: a subtracted structure left out would let the reference run into it (the
      // lung clip realises the dorsal border: without the lung it is undefined), an intersecting one
      // left out would leave the reference unbounded on that side.
      ref.not_evaluable.push_back(fmt::format("the rule clips the reference by the {} {} ({}{}, line {}), but {}",
                                              side_words(c.side), vessel_words(c.role), to_string(c.mode),
                                              c.border ? fmt::format(", the {} border", to_string(*c.border)) : "",
                                              c.line, p.structures.missing));
    }
    if (!c.confirmed) {
      unconfirmed(fmt::format("clip {} {} {} (line {})", to_string(c.mode), side_words(c.side), c.role, c.line), c.note);
    }
    clips.push_back(std::move(p));
  }
  if (!ref.not_evaluable.empty()) return ref;

  // ---- Planes ----
  const double caudal_z = *ref.caudal.z_mm;
  const double cranial_z = *ref.cranial.z_mm;
  ref.construction.push_back(fmt::format("cranial level: {}", level_words(ref.cranial)));
  ref.construction.push_back(fmt::format("caudal level: {}", level_words(ref.caudal)));

  geom::Structure out;
  out.slab_mm = vein->structure.slab_mm;
  out.slab_from_fallback = vein->structure.slab_from_fallback;
  std::size_t vein_planes = 0;
  std::size_t sliver_planes = 0;
  double sliver_area = 0;
  std::size_t empty_planes = 0;
  for (const geom::Plane& vp : vein->structure.planes) {
    const double z = vp.z_mm;
    // Plane rule: caudal level <= z < cranial level (the levels are slab edges).
    if (!(z >= caudal_z && z < cranial_z)) continue;
    ++vein_planes;
    geom::MultiPolygon region;
    for (auto& p : vessels) {
      if (!(z >= *p.caudal.z_mm && z < *p.cranial.z_mm)) continue;
      const geom::Plane* sp = p.structure == vein ? &vp : geom::plane_on_slice(p.structure->structure, z);
      if (sp == nullptr || sp->region.empty()) {
        ++p.planes_without;
        continue;
      }
      ++p.planes_used;
      region = geom::ops::unite(region, geom::ops::buffer(sp->region, p.rule->margin_mm, options.points_per_circle));
    }
    for (auto& c : clips) {
      geom::MultiPolygon clip_region;
      for (const auto* b : c.structures.found) {
        if (const geom::Plane* cp = geom::plane_on_slice(b->structure, z)) clip_region = geom::ops::unite(clip_region, cp->region);
      }
      if (c.rule->mode == ClipMode::Subtract) {
        if (clip_region.empty()) continue;
        const double before = geom::ops::area(region);
        region = geom::ops::subtract(region, clip_region);
        if (geom::ops::area(region) < before) ++c.planes_touched;
      } else {
        const double before = geom::ops::area(region);
        region = geom::ops::intersect(region, clip_region);  // no plane of the clip: nothing is inside it
        if (geom::ops::area(region) < before) ++c.planes_touched;
      }
    }
    const double before_clean = geom::ops::area(region);
    region = geom::ops::clean(region, options.min_component_area_mm2);
    const double after_clean = geom::ops::area(region);
    if (std::abs(before_clean - after_clean) > 0) {
      ++sliver_planes;
      sliver_area += std::abs(before_clean - after_clean);
    }
    if (region.empty()) {
      ++empty_planes;
      continue;
    }
    geom::Plane plane;
    plane.z_mm = z;
    plane.area_mm2 = after_clean;
    plane.region = std::move(region);
    out.planes.push_back(std::move(plane));
  }

  ref.construction.push_back(fmt::format(
      "planes: the {} plane(s) of the IM vein {} with {} <= z < {} (slab {:g} mm{})", vein_planes, roi_label(*vein),
      fmt_mm(caudal_z), fmt_mm(cranial_z), out.slab_mm, out.slab_from_fallback ? ", fallback thickness" : ""));
  for (const auto& p : vessels) {
    std::string range;
    if (p.rule->levels.caudal != "target.caudal" || p.rule->levels.cranial != "target.cranial") {
      range = fmt::format(" from {} (z = {}) up to {} (z = {}){}", p.rule->levels.caudal, fmt_mm(*p.caudal.z_mm),
                          p.rule->levels.cranial, fmt_mm(*p.cranial.z_mm),
                          p.rule->levels.text.empty() ? std::string() : ", " + p.rule->levels.text);
    }
    std::string without;
    if (p.planes_without > 0) {
      without = fmt::format("; not contoured on {} plane(s) of that range (nothing to dilate there)", p.planes_without);
    }
    ref.construction.push_back(fmt::format("{} {} dilated {:g} mm in-plane (round joins, {} points per circle) on {} "
                                           "plane(s){}{}",
                                           vessel_words(p.rule->role), roi_label(*p.structure), p.rule->margin_mm,
                                           options.points_per_circle, p.planes_used, range, without));
  }
  if (vessels.size() > 1) ref.construction.push_back("the dilated vessels united on each plane");
  for (const auto& c : clips) {
    ref.construction.push_back(fmt::format(
        "{} {}{}: it cut the region on {} plane(s)", c.rule->mode == ClipMode::Subtract ? "minus" : "kept inside",
        c.structures.words, c.rule->border ? fmt::format(" (realises the {} border)", to_string(*c.rule->border)) : "",
        c.planes_touched));
  }
  if (sliver_planes > 0) {
    ref.construction.push_back(fmt::format("components and holes below {:g} mm² dropped on {} plane(s) ({:.2f} mm² in all)",
                                           options.min_component_area_mm2, sliver_planes, sliver_area));
  }
  if (empty_planes > 0) {
    ref.construction.push_back(fmt::format("{} plane(s) left empty after clipping: not part of the reference", empty_planes));
  }
  if (out.planes.empty()) {
    ref.not_evaluable.push_back(
        vein_planes == 0
            ? fmt::format("no plane of the IM vein {} lies between the caudal level z = {} and the cranial level z = {}",
                          roi_label(*vein), fmt_mm(caudal_z), fmt_mm(cranial_z))
            : fmt::format("every one of the {} plane(s) is empty after clipping", vein_planes));
    return ref;
  }
  ref.construction.push_back(fmt::format("result: {} plane(s) from z = {} to z = {}, slab {:g} mm", out.planes.size(),
                                         fmt_mm(out.planes.front().z_mm), fmt_mm(out.planes.back().z_mm), out.slab_mm));
  ref.structure = std::move(out);
  return ref;
}

}  // namespace rtaudit::guideline
