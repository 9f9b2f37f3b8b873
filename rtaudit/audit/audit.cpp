#include "rtaudit/audit/audit.hpp"

#include "rtaudit/geom/region_ops.hpp"
#include "rtaudit/geom/surface.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace rtaudit::audit {

std::string_view to_string(CheckStatus s) {
  switch (s) {
    case CheckStatus::Pass: return "pass";
    case CheckStatus::Warn: return "warn";
    case CheckStatus::Fail: return "fail";
    case CheckStatus::NotEvaluable: return "not evaluable";
    case CheckStatus::Info: return "info";
  }
  return "not evaluable";
}

CheckStatus from_grade(guideline::Grade g) {
  switch (g) {
    case guideline::Grade::Pass: return CheckStatus::Pass;
    case guideline::Grade::Warn: return CheckStatus::Warn;
    case guideline::Grade::Fail: return CheckStatus::Fail;
  }
  return CheckStatus::Fail;
}

std::string_view to_string(Direction d) {
  switch (d) {
    case Direction::Medial: return "medial";
    case Direction::Lateral: return "lateral";
    case Direction::Ventral: return "ventral";
    case Direction::Dorsal: return "dorsal";
  }
  return "medial";
}

namespace {

using anatomy::BoundStructure;
using guideline::Border;

// Planes of two structures on the same CT slice differ only by DS rounding jitter; the tolerance that
// groups contours into planes (geom::BuildOptions::plane_tolerance_mm).
constexpr double kPlaneMatchMm = 0.05;

bool has_volume(const geom::Structure& s) { return !s.planes.empty() && s.slab_mm > 0; }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// ---- Rays ----

double cross(double ax, double ay, double bx, double by) { return ax * by - ay * bx; }

/// The largest t >= 0 at which the ray o + t·d (d a unit vector) meets the boundary of `p` (outer ring
/// and holes): where the ray last leaves the polygon. Exact on the polygon's edges (one 2x2 solve per
/// edge). 0 when the ray meets no edge.
double last_exit(const geom::Polygon& p, const geom::Point2& o, const geom::Point2& d) {
  double best = 0;
  const auto ring = [&](const geom::Ring& r) {
    for (std::size_t i = 0; i + 1 < r.size(); ++i) {
      const double ax = r[i].x() - o.x(), ay = r[i].y() - o.y();
      const double ex = r[i + 1].x() - r[i].x(), ey = r[i + 1].y() - r[i].y();
      const double denom = cross(d.x(), d.y(), ex, ey);
      const double elen = std::hypot(ex, ey);
      if (std::abs(denom) <= 1e-12 * elen) {
        // Parallel: an edge along the ray counts with its far end.
        if (std::abs(cross(ax, ay, d.x(), d.y())) <= 1e-9) {
          const double t0 = ax * d.x() + ay * d.y();
          const double t1 = (ax + ex) * d.x() + (ay + ey) * d.y();
          best = std::max(best, std::max(t0, t1));
        }
        continue;
      }
      const double t = cross(ax, ay, ex, ey) / denom;
      const double s = cross(ax, ay, d.x(), d.y()) / denom;
      if (s >= 0 && s <= 1 && t >= 0) best = std::max(best, t);
    }
  };
  ring(p.outer());
  for (const auto& h : p.inners()) ring(h);
  return best;
}

/// Distance from `o` along `d` to where the ray last leaves the connected part of `region` holding
/// `o`; 0 when no part of the region holds o.
double exit_distance(const geom::MultiPolygon& region, const geom::Point2& o, const geom::Point2& d) {
  for (const auto& p : region) {
    geom::MultiPolygon one;
    one.push_back(p);
    if (geom::ops::covers(one, o)) return last_exit(p, o, d);
  }
  return 0;
}

// ---- Checks ----

struct Edges {
  double caudal_z_mm = 0;
  double cranial_z_mm = 0;
};

/// The clinical CTV's own slab edges (geom::slab_extents: the lower edge of its caudal-most plane,
/// the upper edge of its cranial-most plane).
std::optional<Edges> slab_edges(const geom::Structure& s) {
  const auto ext = geom::slab_extents(s);
  if (ext.empty()) return std::nullopt;
  return Edges{ext.front().z_lo_mm, ext.back().z_hi_mm};
}

/// Signed deviation of a clinical edge from a reference level: positive = the CTV extends further.
double level_deviation(Border b, double clinical_z, double reference_z) {
  return b == Border::Cranial ? clinical_z - reference_z : reference_z - clinical_z;
}

LevelCheck level_check(const guideline::Guideline& g, const guideline::TargetRule& t, const guideline::BorderRule& br,
                       const guideline::ResolvedLevel& reference, const std::optional<Edges>& clinical,
                       const std::string& clinical_missing, const anatomy::Landmarks& lm) {
  LevelCheck c;
  c.border = br.side;
  c.reference = reference;
  if (const anatomy::Level* l = lm.level(br.landmark)) c.basis = l->provenance;
  c.tolerance = br.tolerance;
  std::optional<double> z;
  if (clinical) z = br.side == Border::Cranial ? clinical->cranial_z_mm : clinical->caudal_z_mm;
  c.clinical_z_mm = z;
  for (const auto& alt : br.alternatives) {
    LevelCheck::Alternative a;
    a.level = guideline::resolve_level(g, t, alt.landmark, alt.offset_mm, br.side, lm);
    a.level.confirmed = alt.confirmed;
    a.condition = alt.condition;
    if (z && a.level.evaluable()) a.deviation_mm = level_deviation(br.side, *z, *a.level.z_mm);
    c.alternatives.push_back(std::move(a));
  }
  if (!z) {
    c.reason = clinical_missing;
    return c;
  }
  if (!reference.evaluable()) {
    c.reason = fmt::format("the rule's {} level {}: {}", guideline::to_string(br.side), br.landmark, reference.not_evaluable);
    return c;
  }
  c.deviation_mm = level_deviation(br.side, *z, *reference.z_mm);
  const auto uc = anatomy::rib_units(lm, *z);
  const auto ur = anatomy::rib_units(lm, *reference.z_mm);
  // Rib units grow caudally (rib 1 = 1): a cranial excess is a smaller unit.
  if (uc && ur) c.deviation_ics = br.side == Border::Cranial ? *ur - *uc : *uc - *ur;
  c.status = from_grade(guideline::grade(br.tolerance, *c.deviation_mm));
  return c;
}

geom::Point2 direction_vector(Direction d, double lateral_sign) {
  switch (d) {
    case Direction::Medial: return {-lateral_sign, 0.0};  // towards the midline
    case Direction::Lateral: return {lateral_sign, 0.0};
    case Direction::Ventral: return {0.0, -1.0};  // LPS: -y is anterior
    case Direction::Dorsal: return {0.0, 1.0};
  }
  return {0.0, 0.0};
}

Border border_of(Direction d) {
  switch (d) {
    case Direction::Medial: return Border::Medial;
    case Direction::Lateral: return Border::Lateral;
    case Direction::Ventral: return Border::Ventral;
    case Direction::Dorsal: return Border::Dorsal;
  }
  return Border::Medial;
}

struct MarginInputs {
  const geom::Structure* clinical = nullptr;
  std::string clinical_missing;
  const geom::Structure* reference = nullptr;
  std::string reference_missing;
  const BoundStructure* vein = nullptr;
  const anatomy::Landmarks* landmarks = nullptr;
};

MarginCheck margin_check(Direction dir, const guideline::TargetRule& t, const MarginInputs& in) {
  MarginCheck m;
  m.direction = dir;
  const guideline::BorderRule* br = t.border(border_of(dir));
  const guideline::VesselMargin* vein_rule = t.vessel("im_vein");
  const bool stated = br != nullptr && br->stated;
  // The tolerance: the border's own when it is stated from a vessel wall; otherwise (a border on a
  // surface such as the pleura, realised through the reference) the vein margin's tolerance, since what
  // is measured is the realised margin around the vein.
  if (stated && (br->landmark == "im_vein" || br->landmark == "im_artery")) m.tolerance = br->tolerance;
  else if (vein_rule != nullptr) m.tolerance = vein_rule->tolerance;
  else if (stated) m.tolerance = br->tolerance;

  if (in.clinical == nullptr) {
    m.reason = in.clinical_missing;
    return m;
  }
  if (in.reference == nullptr) {
    m.reason = "reference CTV not evaluable: " + in.reference_missing;
    return m;
  }
  const anatomy::Landmarks& lm = *in.landmarks;
  if (in.vein == nullptr || !lm.im_vein.evaluable()) {
    m.reason = "no IM vein centreline: " + (lm.im_vein.not_evaluable.empty() ? "no IM vein" : lm.im_vein.not_evaluable);
    return m;
  }
  const double ls = lm.lateral_sign();
  if (ls == 0) {
    m.reason = "the treated side is unknown: medial and lateral are undefined";
    return m;
  }
  const geom::Point2 d = direction_vector(dir, ls);
  std::vector<double> clinical, reference, deviation;
  for (const auto& c : lm.im_vein.centreline) {
    const geom::Plane* vp = geom::plane_on_slice(in.vein->structure, c.z_mm);
    const geom::Plane* cp = geom::plane_on_slice(*in.clinical, c.z_mm);
    const geom::Plane* rp = geom::plane_on_slice(*in.reference, c.z_mm);
    if (vp == nullptr || cp == nullptr || rp == nullptr) continue;
    const double wall = exit_distance(vp->region, c.centre, d);
    const double mc = exit_distance(cp->region, c.centre, d) - wall;
    const double mr = exit_distance(rp->region, c.centre, d) - wall;
    clinical.push_back(mc);
    reference.push_back(mr);
    deviation.push_back(mc - mr);
  }
  m.planes = clinical.size();
  if (m.planes == 0) {
    m.reason = "no plane on which the clinical CTV, the reference CTV and the IM vein all have a contour";
    return m;
  }
  m.clinical_min_mm = *std::min_element(clinical.begin(), clinical.end());
  m.clinical_median_mm = median(clinical);
  m.reference_min_mm = *std::min_element(reference.begin(), reference.end());
  m.reference_median_mm = median(reference);
  m.deviation_min_mm = *std::min_element(deviation.begin(), deviation.end());
  m.deviation_median_mm = median(deviation);
  if (!stated) {
    m.status = CheckStatus::Info;
    m.reason = fmt::format("the rule states no {} border: measured, not graded", to_string(dir));
    return m;
  }
  m.status = from_grade(guideline::grade(m.tolerance, *m.deviation_median_mm));
  return m;
}

std::vector<VeinCoverage> vein_coverage(const anatomy::Landmarks& lm, const BoundStructure* vein,
                                        const geom::Structure* clinical, const std::string& clinical_missing,
                                        const compare::OverlapOptions& oo) {
  std::vector<VeinCoverage> out;
  for (const auto& band : lm.ics) {
    VeinCoverage v;
    v.ics = band.number;
    v.basis = lm.im_vein.provenance;
    for (const int rib : {band.number, band.number + 1}) {
      if (const anatomy::Level* l = lm.level(fmt::format("rib{}.medial.cranial", rib))) v.basis = anatomy::weakest(v.basis, l->provenance);
    }
    v.cranial_z_mm = band.cranial_z_mm;
    v.caudal_z_mm = band.caudal_z_mm;
    if (vein == nullptr || !has_volume(vein->structure)) {
      v.reason = "no IM vein with a volume: " +
                 (lm.im_vein.not_evaluable.empty() ? std::string("no IM vein") : lm.im_vein.not_evaluable);
      out.push_back(std::move(v));
      continue;
    }
    const geom::Structure& vs = vein->structure;
    const auto ext = geom::slab_extents(vs);
    geom::Structure sub;
    sub.slab_mm = vs.slab_mm;
    sub.slab_from_fallback = vs.slab_from_fallback;
    double length = 0, inside = 0;
    for (std::size_t k = 0; k < vs.planes.size(); ++k) {
      const geom::Plane& p = vs.planes[k];
      if (!(p.z_mm >= band.caudal_z_mm && p.z_mm < band.cranial_z_mm)) continue;
      sub.planes.push_back(p);
      if (clinical == nullptr) continue;
      const auto c = std::find_if(lm.im_vein.centreline.begin(), lm.im_vein.centreline.end(),
                                  [&](const anatomy::CentrelinePoint& q) { return std::abs(q.z_mm - p.z_mm) <= kPlaneMatchMm; });
      if (c == lm.im_vein.centreline.end()) continue;
      const double w = ext[k].z_hi_mm - ext[k].z_lo_mm;
      length += w;
      if (geom::contains(*clinical, geom::Point3{c->centre.x(), c->centre.y(), p.z_mm})) inside += w;
    }
    v.planes = sub.planes.size();
    if (v.planes == 0) {
      v.reason = fmt::format("no plane of the IM vein {} in ICS {} ({:.2f} <= z < {:.2f} mm)", roi_label(*vein), band.number,
                             band.caudal_z_mm, band.cranial_z_mm);
    } else if (clinical == nullptr) {
      v.reason = clinical_missing;
    } else {
      if (length > 0) v.centreline_pct = 100.0 * inside / length;
      const auto ov = compare::overlap(sub, *clinical, oo);
      if (ov.overlap && ov.overlap->volume_a_cc > 0) {
        v.volume_pct = 100.0 * ov.overlap->intersection_cc / ov.overlap->volume_a_cc;
      } else {
        v.reason = ov.error ? ov.error->reason : "the IM vein has no volume in this ICS";
      }
    }
    out.push_back(std::move(v));
  }
  return out;
}

OrganOverlap organ_overlap(const guideline::OverlapLimit& rule, const anatomy::StructureMap& map,
                           const std::optional<anatomy::Side>& treated, const geom::Structure* clinical,
                           const std::string& clinical_missing, const compare::OverlapOptions& oo) {
  OrganOverlap o;
  o.role = rule.role;
  o.pass_cc = rule.pass_cc;
  o.warn_cc = rule.warn_cc;
  o.basis = rule.basis;
  const anatomy::RoleInfo* info = anatomy::find_role(rule.role);
  if (info != nullptr && info->sided && rule.side != guideline::Side::Both && !treated) {
    o.reason = "the treated side is unknown";
    return o;
  }
  const guideline::RuleStructures f = guideline::find_rule_structures(map, rule.role, rule.side, treated.value_or(anatomy::Side::Left));
  if (f.found.empty()) {
    o.reason = f.missing;
    return o;
  }
  o.roi_number = f.found.front()->roi_number;
  std::vector<std::string> names;
  for (const auto* b : f.found) names.push_back(b->roi_name), o.landmark_basis = anatomy::weakest(o.landmark_basis, b->provenance);
  o.roi_name = fmt::format("{}", fmt::join(names, " + "));
  if (clinical == nullptr) {
    o.reason = clinical_missing;
    return o;
  }
  double cc = 0;
  for (const auto* b : f.found) {
    const auto r = compare::overlap(*clinical, b->structure, oo);
    if (!r.overlap) {
      o.reason = fmt::format("overlap with {}: {}", roi_label(*b), r.error ? r.error->reason : "not computable");
      return o;
    }
    cc += r.overlap->intersection_cc;
  }
  o.overlap_cc = cc;
  o.status = cc <= rule.pass_cc ? CheckStatus::Pass : (cc <= rule.warn_cc ? CheckStatus::Warn : CheckStatus::Fail);
  return o;
}

int severity(CheckStatus s) {
  switch (s) {
    case CheckStatus::Pass: return 1;
    case CheckStatus::Warn: return 2;
    case CheckStatus::Fail: return 3;
    default: return 0;  // not graded
  }
}

struct CaseInputs {
  const anatomy::StructureMap* structures = nullptr;
  const anatomy::Landmarks* landmarks = nullptr;
  const BoundStructure* clinical = nullptr;
  std::string clinical_missing;
  std::optional<Edges> clinical_edges;
  const BoundStructure* vein = nullptr;
  std::vector<VeinCoverage> coverage;
  std::vector<std::string> clinical_notes;  ///< case-level notes, repeated per guideline
  /// The clinical CTV's surface, built once and compared with every guideline's reference.
  std::optional<geom::SurfaceMesh> clinical_mesh;
};

GuidelineAudit audit_guideline(const guideline::Guideline& g, const guideline::TargetRule& t, const CaseInputs& in,
                               const AuditOptions& options) {
  GuidelineAudit ga;
  ga.guideline_id = g.id;
  ga.guideline_version = g.version;
  ga.guideline_title = g.title;
  ga.guideline_file = g.file;
  ga.status = g.status;
  ga.reference = guideline::build_reference_ctv(g, t.role, *in.landmarks, *in.structures, options.reference);
  const anatomy::Landmarks& lm = *in.landmarks;
  const geom::Structure* clinical = in.clinical != nullptr ? &in.clinical->structure : nullptr;
  for (const auto& n : in.clinical_notes) ga.notes.push_back(n);
  if (g.status == guideline::Status::Provisional) {
    ga.notes.push_back(fmt::format("{} is provisional: its borders are placeholders; every result against it is provisional",
                                   g.id));
  }

  // Levels.
  for (const Border b : {Border::Cranial, Border::Caudal}) {
    const guideline::BorderRule* br = t.border(b);
    if (br == nullptr || !br->stated) {
      ga.notes.push_back(fmt::format("{} border: {}; not audited", guideline::to_string(b),
                                     br == nullptr ? "not in the rule file" : "not stated by the rule (" + br->note + ")"));
      continue;
    }
    const auto& ref_level = b == Border::Cranial ? ga.reference.cranial : ga.reference.caudal;
    ga.levels.push_back(level_check(g, t, *br, ref_level, in.clinical_edges, in.clinical_missing, lm));
  }

  // Margins around the IM vein (and the artery where the rule takes it in).
  anatomy::Provenance vessels_basis = lm.im_vein.provenance;
  for (const auto& v : t.vessels) {
    if (v.role == "im_artery" && lm.im_artery.evaluable()) vessels_basis = anatomy::weakest(vessels_basis, lm.im_artery.provenance);
  }
  MarginInputs mi;
  mi.clinical = in.clinical_edges ? clinical : nullptr;
  mi.clinical_missing = in.clinical_missing;
  mi.reference = ga.reference.structure ? &*ga.reference.structure : nullptr;
  mi.reference_missing = fmt::format("{}", fmt::join(ga.reference.not_evaluable, "; "));
  mi.vein = in.vein;
  mi.landmarks = &lm;
  for (const Direction d : {Direction::Medial, Direction::Lateral, Direction::Ventral, Direction::Dorsal}) {
    const Border b = border_of(d);
    const guideline::BorderRule* br = t.border(b);
    if (br == nullptr || !br->stated) {
      ga.notes.push_back(fmt::format("{} border: {}; the margin is measured for information only",
                                     guideline::to_string(b),
                                     br == nullptr ? "not in the rule file" : "not stated by the rule (" + br->note + ")"));
    } else if (br->landmark != "im_vein" && br->landmark != "im_artery") {
      std::string by;
      for (const auto& c : t.clips) {
        if (c.border && *c.border == b) by = fmt::format(", realised by the clip '{} {} {}'", guideline::to_string(c.mode),
                                                         guideline::to_string(c.side), c.role);
      }
      ga.notes.push_back(fmt::format(
          "{} border at {} {:+g} mm{}: graded as the realised margin around the IM vein against the reference CTV's "
          "(which carries the rule's clips), with the IM vein margin's tolerance",
          guideline::to_string(b), br->landmark, br->offset_mm, by));
    }
    ga.margins.push_back(margin_check(d, t, mi));
    ga.margins.back().basis = vessels_basis;
  }
  for (const auto& c : t.clips) {
    if (c.border && t.border(*c.border) == nullptr) {
      ga.notes.push_back(fmt::format("{} border: realised by the clip '{} {} {}' in the reference, not stated as a border",
                                     guideline::to_string(*c.border), guideline::to_string(c.mode),
                                     guideline::to_string(c.side), c.role));
    }
  }

  ga.vein_coverage = in.coverage;
  if (lm.ics.empty()) {
    ga.notes.push_back("vein coverage per ICS: not evaluable, no intercostal space was found (both of its ribs are "
                       "needed)");
  }

  for (const auto& o : t.overlaps) {
    ga.overlaps.push_back(organ_overlap(o, *in.structures, lm.treated.side, mi.clinical, in.clinical_missing, options.overlap));
  }

  // Clinical against reference.
  if (mi.clinical == nullptr) {
    ga.comparison.reason = in.clinical_missing;
  } else if (mi.reference == nullptr) {
    ga.comparison.reason = "reference CTV not evaluable: " + mi.reference_missing;
  } else {
    const auto ov = compare::overlap(*mi.reference, *mi.clinical, options.overlap);
    if (ov.overlap) ga.comparison.overlap = ov.overlap;
    const auto sd = in.clinical_mesh ? compare::surface_distances(geom::SurfaceMesh(*mi.reference), *in.clinical_mesh,
                                                                  options.surface, mi.reference, mi.clinical)
                                     : compare::surface_distances(*mi.reference, *mi.clinical, options.surface);
    if (sd.distances) ga.comparison.surface = sd.distances;
    std::vector<std::string> why;
    if (ov.error) why.push_back("overlap: " + ov.error->reason);
    if (sd.error) why.push_back("surface distances: " + sd.error->reason);
    ga.comparison.reason = fmt::format("{}", fmt::join(why, "; "));
  }

  if (!ga.reference.unconfirmed.empty()) {
    ga.notes.push_back(fmt::format("{} rule element(s) used are unconfirmed (listed with the reference CTV)",
                                   ga.reference.unconfirmed.size()));
  }

  // What the result stands on: the weakest landmark of any graded check, and which were estimated.
  std::vector<std::pair<std::string, anatomy::Provenance>> used;
  for (const auto& c : ga.levels) {
    if (c.status != CheckStatus::NotEvaluable) used.emplace_back(c.reference.landmark, c.basis);
  }
  for (const auto& c : ga.margins) {
    if (c.status != CheckStatus::NotEvaluable) used.emplace_back("im_vein", c.basis);
  }
  for (const auto& c : ga.overlaps) {
    if (c.status != CheckStatus::NotEvaluable) used.emplace_back(c.role, c.landmark_basis);
  }
  if (ga.reference.evaluable()) used.emplace_back("im_vein", vessels_basis);
  for (const auto& [name, basis] : used) {
    ga.basis = anatomy::weakest(ga.basis, basis);
    if (basis.origin == anatomy::Origin::Estimated &&
        std::find(ga.estimated_landmarks.begin(), ga.estimated_landmarks.end(), name) == ga.estimated_landmarks.end()) {
      ga.estimated_landmarks.push_back(name);
    }
  }
  if (!ga.estimated_landmarks.empty()) {
    ga.notes.push_back(fmt::format("built on estimated landmarks ({}): found neither in a contour nor credibly in the CT; "
                                   "--no-estimated-landmarks leaves them out",
                                   fmt::join(ga.estimated_landmarks, ", ")));
  }

  // Overall: the worst graded check. A clean result claims a pass only when the reference CTV itself
  // could be built; otherwise most of the rule went unchecked and the result is "not evaluable".
  int worst = 0;
  const auto take = [&](CheckStatus s) { worst = std::max(worst, severity(s)); };
  for (const auto& c : ga.levels) take(c.status);
  for (const auto& c : ga.margins) take(c.status);
  for (const auto& c : ga.overlaps) take(c.status);
  if (worst == 3) ga.overall = CheckStatus::Fail;
  else if (worst == 2) ga.overall = CheckStatus::Warn;
  else if (worst == 1 && ga.reference.evaluable()) ga.overall = CheckStatus::Pass;
  else ga.overall = CheckStatus::NotEvaluable;
  return ga;
}

}  // namespace

AuditResult run_audit(const anatomy::StructureMap& given, const anatomy::RoleAssignment& roles,
                      const std::vector<guideline::Guideline>& rules, const AuditOptions& options) {
  AuditResult res;
  res.roles = roles;
  const anatomy::TreatedSide treated = anatomy::find_treated_side(given, options.treated_side);
  // Names such as "CTV IMN ipsi" are bound as ipsilateral/contralateral: once the side is known they
  // are left/right like the others (a copy only when there is such a binding).
  const auto relative = [](const auto& kv) {
    return kv.first.side == anatomy::Side::Ipsilateral || kv.first.side == anatomy::Side::Contralateral;
  };
  anatomy::StructureMap resolved;
  const anatomy::StructureMap* map = &given;
  if (treated.side && std::any_of(given.begin(), given.end(), relative)) {
    resolved = anatomy::resolve_relative_sides(given, *treated.side);
    map = &resolved;
    for (const auto& [key, b] : given) {
      if (relative(std::pair<const anatomy::RoleKey&, const BoundStructure&>(key, b))) {
        res.notes.push_back(fmt::format("{} is bound as {} {}: taken as the {} one", roi_label(b),
                                        anatomy::to_string(key.side), key.role,
                                        anatomy::to_string(anatomy::resolve_relative_side(key.side, *treated.side))));
      }
    }
  }
  const anatomy::StructureMap& structures = *map;
  res.landmarks = anatomy::find_landmarks(structures, treated, options.landmarks);
  if (!treated.side) res.not_evaluable.push_back("treated side: " + treated.not_evaluable);

  CaseInputs in;
  in.structures = &structures;
  in.landmarks = &res.landmarks;

  // The clinician's CTVn_IMN: the treated side's, else a side-less one (said so).
  if (treated.side) in.clinical = anatomy::find_structure(structures, "ctvn_imn", *treated.side);
  if (in.clinical == nullptr) {
    const auto it = structures.find(anatomy::RoleKey{"ctvn_imn", anatomy::Side::Unknown, ""});
    if (it != structures.end()) {
      in.clinical = &it->second;
      const std::string note = fmt::format(
          "clinical CTV: {} names no side; used as the CTVn_IMN of the treated side ({})", roi_label(it->second),
          treated.side ? std::string(anatomy::to_string(*treated.side)) : std::string("unknown"));
      res.notes.push_back(note);
    }
  }
  if (in.clinical == nullptr) {
    std::string why = "no CTVn_IMN: no ROI bound to the role ctvn_imn";
    if (treated.side) {
      why = fmt::format("no CTVn_IMN on the treated ({}) side", anatomy::to_string(*treated.side));
      if (const auto* c = anatomy::find_structure(structures, "ctvn_imn", anatomy::opposite(*treated.side))) {
        why += fmt::format("; {} is on the contralateral side", roi_label(*c));
      }
    }
    in.clinical_missing = why;
    res.not_evaluable.push_back(why);
  } else {
    res.clinical_roi_number = in.clinical->roi_number;
    res.clinical_roi_name = in.clinical->roi_name;
    res.clinical_volume_cc = geom::volume_cc(in.clinical->structure);
    in.clinical_edges = slab_edges(in.clinical->structure);
    if (in.clinical_edges) in.clinical_mesh.emplace(in.clinical->structure);
    if (!in.clinical_edges) {
      in.clinical_missing = fmt::format("the CTVn_IMN {} has no plane with an area and a slab thickness",
                                        roi_label(*in.clinical));
      res.not_evaluable.push_back(in.clinical_missing);
    }
  }
  const geom::Structure* clinical = in.clinical_edges ? &in.clinical->structure : nullptr;

  if (treated.side) in.vein = anatomy::find_structure(structures, "im_vein", *treated.side);
  in.coverage = vein_coverage(res.landmarks, in.vein, clinical, in.clinical_missing, options.overlap);

  in.clinical_notes = res.notes;  // every guideline's notes repeat the case-level ones
  for (const auto& g : rules) {
    const guideline::TargetRule* t = g.target("ctvn_imn");
    if (t == nullptr) continue;
    res.guidelines.push_back(audit_guideline(g, *t, in, options));
  }
  return res;
}

}  // namespace rtaudit::audit
