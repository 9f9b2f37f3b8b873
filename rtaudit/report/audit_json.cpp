#include "rtaudit/report/audit_json.hpp"

#include "rtaudit/version.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <utility>

namespace rtaudit::report {
namespace {

using json = nlohmann::ordered_json;

// ---------------------------------------------------------------------------------------------------
// The convention strings (DOMAIN.md section 6). One place, so the report and docs/report-json.md agree.

constexpr std::string_view kSchema = "rtaudit-audit/1";

constexpr std::string_view kVolumeConvention =
    "slab model: each plane a slab of the structure's slice spacing (the most common gap between its planes; "
    "the CT's slice spacing for a single plane), half-slab end caps; exact polygon areas, no voxels";
constexpr std::string_view kDeviationSign =
    "positive = the clinician's CTV extends further than the guideline's border (more cranial at the cranial "
    "border, more caudal at the caudal border, a wider margin); negative = it stops short; the grade uses the "
    "magnitude";
constexpr std::string_view kLevels =
    "landmark levels and CTV borders are slab edges: a plane at z stands for [z - slab/2, z + slab/2], so a "
    "structure's cranial aspect is its cranial-most plane + slab/2 and its caudal aspect its caudal-most plane "
    "- slab/2; a reference CTV holds the planes with caudal level <= z < cranial level";
constexpr std::string_view kDeviationIcs =
    "the level deviation in intercostal spaces: difference of rib-unit positions (the cranial aspect of rib N "
    "is N, linear between consecutive ribs, extrapolated beyond the first and last rib found)";
constexpr std::string_view kMargins =
    "in-plane margin around the IM vein on the ray from the vein's centre in each direction: distance from the "
    "vein wall to the CTV boundary (0 when the CTV does not reach past the wall, negative when the ray leaves "
    "the CTV inside the vein); min and median over the planes where both CTVs have the vein; the deviation is "
    "the median over planes of (clinical - reference), so a clip of the reference (lung) does not count "
    "against the clinician";
constexpr std::string_view kTolerance = "|deviation| <= pass_mm passes, <= warn_mm warns, larger fails";
constexpr std::string_view kOverlapTolerance = "overlap_cc <= pass_cc passes, <= warn_cc warns, larger fails";
constexpr std::string_view kRoles =
    "a = reference (the guideline's CTV for this patient), b = evaluated (the clinician's CTV)";

constexpr std::string_view kDice =
    "Dice = 2|A n B| / (|A| + |B|); exact polygon intersection areas per plane times the shared slab extent, "
    "no voxels";
constexpr std::string_view kJaccard = "Jaccard = |A n B| / |A u B|; exact polygon areas, slab model";
constexpr std::string_view kVolumeRatio = "|clinical| / |reference|, slab-model volumes";
constexpr std::string_view kMissed = "|reference \\ clinical| (cc): reference volume the clinical CTV does not cover";
constexpr std::string_view kAdded = "|clinical \\ reference| (cc): clinical volume outside the reference";
constexpr std::string_view kIntersection = "|reference n clinical| (cc), exact polygon intersections, slab model";
constexpr std::string_view kUnion = "|reference u clinical| (cc) = |A| + |B| - |A n B|";
constexpr std::string_view kHd =
    "Hausdorff distance: max of the two directed maxima, on the contour (slab-stack) surfaces, every mesh "
    "vertex included";
constexpr std::string_view kHd95 =
    "HD95: max of the two directed 95th percentiles, surface-area weighted, on the contour surfaces";
constexpr std::string_view kHd95Plastimatch =
    "plastimatch's HD95: mean of the two directed 95th percentiles; for comparison with plastimatch only";
constexpr std::string_view kMsd =
    "mean surface distance: area-weighted mean of both directed distances over both contour surfaces together";
constexpr std::string_view kSurfaceDice =
    "surface Dice at tolerance tau (Nikolov et al. 2018): area of each contour surface within tau of the other, "
    "over the total area of both";
constexpr std::string_view kApl =
    "added path length (Vaassen et al. 2020): length of the reference contour farther than the tolerance "
    "(in-plane) from the clinical contour on the same plane, summed over the reference's planes; a reference "
    "plane without a clinical plane counts whole";
constexpr std::string_view kDirected =
    "from the area-weighted samples of one surface to the other surface (exact point-to-surface distances)";

// ---------------------------------------------------------------------------------------------------
// Numbers

// Rounded for a stable document (1e-6 mm / cc is far below clinical meaning and DS precision). A
// non-finite value stays non-finite; replace_non_finite() turns it into null and records where.
double rounded(double v) {
  if (!std::isfinite(v)) return v;
  const double r = std::round(v * 1e6) / 1e6;
  return r == 0.0 ? 0.0 : r;  // no "-0.0"
}

json num(double v) { return json(rounded(v)); }
json num(const std::optional<double>& v) { return v ? num(*v) : json(nullptr); }
json text(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

std::string non_finite_word(double v) { return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf"); }

/// A metric with its convention; a missing or non-finite value is null with the reason.
json metric(const std::optional<double>& v, std::string_view convention, std::string_view missing_reason = {}) {
  json m{{"value", nullptr}, {"convention", convention}};
  if (!v) {
    m["reason"] = missing_reason.empty() ? "undefined for these structures" : missing_reason;
  } else if (!std::isfinite(*v)) {
    m["reason"] = fmt::format("the computation gave a non-finite number ({})", non_finite_word(*v));
  } else {
    m["value"] = rounded(*v);
  }
  return m;
}

json string_array(const std::vector<std::string>& v) {
  json a = json::array();
  for (const auto& s : v) a.push_back(s);
  return a;
}

// Where a landmark came from (issue 8): {"origin": "contour" | "ct" | "estimated", "confidence": 0..1}.
json provenance_json(const anatomy::Provenance& p) {
  return json{{"origin", anatomy::to_string(p.origin)}, {"confidence", num(p.confidence)}};
}

// An ROI number of the structure set, or null for a landmark found in the CT (numbered < 0 inside).
json roi_number_json(int n) { return n > 0 ? json(n) : json(nullptr); }

// " [estimated landmark]" on a finding built on one, so no reader takes it for a contoured one.
std::string basis_words(const anatomy::Provenance& p) {
  if (p.origin == anatomy::Origin::Estimated) return " [built on an estimated landmark]";
  if (p.origin == anatomy::Origin::Ct) return " [landmark found in the CT]";
  return "";
}

json int_array(const std::vector<int>& v) {
  json a = json::array();
  for (int i : v) a.push_back(i);
  return a;
}

// The ROIs of the structure set among `v` (a landmark found in the CT has no ROI there).
json structure_set_rois(const std::vector<int>& v) {
  json a = json::array();
  for (int i : v) {
    if (i > 0) a.push_back(i);
  }
  return a;
}

std::string pointer_token(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

void collect_non_finite(json& node, const std::string& path, std::vector<std::string>& out) {
  if (node.is_number_float()) {
    if (!std::isfinite(node.get<double>())) {
      out.push_back(path.empty() ? "/" : path);
      node = nullptr;
    }
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) collect_non_finite(node[i], path + "/" + std::to_string(i), out);
  } else if (node.is_object()) {
    for (auto it = node.begin(); it != node.end(); ++it) collect_non_finite(it.value(), path + "/" + pointer_token(it.key()), out);
  }
}

// ---------------------------------------------------------------------------------------------------
// Words

std::string_view direction_word(audit::Direction d) {
  switch (d) {
    case audit::Direction::Medial: return "medial";
    case audit::Direction::Lateral: return "lateral";
    case audit::Direction::Ventral: return "ventral";
    case audit::Direction::Dorsal: return "dorsal";
  }
  return "?";
}

std::string_view status_label(guideline::Status s) {
  return s == guideline::Status::Provisional ? "provisional" : "published";
}

std::string side_word(const std::optional<anatomy::Side>& s) {
  return s ? std::string(anatomy::to_string(*s)) : std::string();
}

// Worst first: fail > warn > not evaluable > pass > info (for sorting the summary).
int severity(audit::CheckStatus s) {
  switch (s) {
    case audit::CheckStatus::Fail: return 4;
    case audit::CheckStatus::Warn: return 3;
    case audit::CheckStatus::NotEvaluable: return 2;
    case audit::CheckStatus::Pass: return 1;
    case audit::CheckStatus::Info: return 0;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------------
// Sections

json tolerance_json(const guideline::Tolerance& t) {
  return json{{"id", text(t.id)}, {"pass_mm", num(t.pass_mm)}, {"warn_mm", num(t.warn_mm)}, {"basis", text(t.basis)},
              {"rule", kTolerance}};
}

json resolved_level_json(const guideline::ResolvedLevel& l) {
  return json{{"landmark", text(l.landmark)},
              {"offset_mm", num(l.offset_mm)},
              {"z_mm", num(l.z_mm)},
              {"landmark_z_mm", num(l.landmark_z_mm)},
              {"method", text(l.method)},
              {"not_evaluable", text(l.not_evaluable)},
              {"confirmed", l.confirmed}};
}

json structure_set_json(const StructureSetInfo& s) {
  json j{{"file", s.file},
         {"sop_instance_uid", s.sop_instance_uid},
         {"label", text(s.label)},
         {"date", text(s.date)},
         {"time", text(s.time)},
         {"frame_of_reference_uid", text(s.frame_of_reference_uid)},
         {"patient_id", s.patient_id},
         {"rois", s.rois}};
  if (!s.not_audited_reason.empty()) j["not_audited"] = s.not_audited_reason;
  return j;
}

json case_json(const AuditReportContext& ctx) {
  const InputInfo& in = ctx.input;
  json others = json::array();
  for (const auto& s : in.other_structure_sets) others.push_back(structure_set_json(s));
  json series = nullptr;
  if (in.image_series) {
    series = {{"series_uid", in.image_series->series_uid},
              {"modality", text(in.image_series->modality)},
              {"slices", in.image_series->slices},
              {"slice_spacing_mm", num(in.image_series->slice_spacing_mm)}};
  }
  return json{{"dir", in.case_dir},
               {"patient_id", in.structure_set.patient_id},
               {"structure_set", structure_set_json(in.structure_set)},
               {"selection", text(in.selection)},
               {"other_structure_sets", std::move(others)},
               {"image_series", std::move(series)},
               {"fallback_slab_mm", num(in.fallback_slab_mm)},
               {"plane_tolerance_mm", num(in.plane_tolerance_mm)}};
}

json rules_json(const AuditReportContext& ctx) {
  const RulesInfo& r = ctx.rules;
  json files = json::array();
  for (const auto& g : r.guidelines) {
    files.push_back({{"file", g.file},
                     {"id", g.id},
                     {"version", g.version},
                     {"status", status_label(g.status)},
                     {"provisional", g.status == guideline::Status::Provisional},
                     {"has_ctvn_imn_target", g.has_imn_target},
                     {"audited", g.audited}});
  }
  json errors = json::array();
  for (const auto& e : r.errors) errors.push_back({{"file", e.file}, {"line", e.line}, {"message", e.message()}});
  json skipped = json::array();
  for (const auto& s : r.skipped) skipped.push_back({{"file", s.file}, {"root", s.root}});
  json overrides = json::array();
  for (const auto& o : ctx.overrides) {
    overrides.push_back({{"roi", o.roi}, {"role", o.role}, {"side", anatomy::to_string(o.side)}, {"origin", text(o.origin)}});
  }
  return json{{"folders", string_array(r.folders)},
              {"guidelines", std::move(files)},
              {"errors", std::move(errors)},
              {"skipped", std::move(skipped)},
              {"guideline_filter", string_array(r.filter)},
              {"names_table", {{"file", text(r.names_file)}, {"version", text(r.names_version)}}},
              {"overrides", std::move(overrides)}};
}

json options_json(const audit::AuditOptions& o) {
  json dice_tol = json::array();
  for (double t : o.surface.surface_dice_tolerances_mm) dice_tol.push_back(num(t));
  return json{{"rib_medial_window_mm", num(o.landmarks.rib_medial_window_mm)},
              {"junction_contact_mm", num(o.landmarks.junction_contact_mm)},
              {"reference_points_per_circle", o.reference.points_per_circle},
              {"reference_min_component_area_mm2", num(o.reference.min_component_area_mm2)},
              {"overlap_plane_match_tolerance_mm", num(o.overlap.plane_match_tolerance_mm)},
              {"surface_sampling_per_mm2", num(o.surface.sampling.density_per_mm2)},
              {"surface_sampling_includes_vertices", o.surface.sampling.include_vertices},
              {"surface_dice_tolerances_mm", std::move(dice_tol)},
              {"apl_tolerance_mm", num(o.surface.apl_tolerance_mm)},
              {"surface_plane_match_tolerance_mm", num(o.surface.plane_match_tolerance_mm)},
              {"treated_side_given", o.treated_side ? json(anatomy::to_string(*o.treated_side)) : json(nullptr)}};
}

json conventions_json(const AuditReportContext& ctx) {
  json c{{"coordinates", "DICOM patient coordinates (LPS), mm: +x patient's left, +y posterior, +z head"},
         {"units", "lengths mm, volumes cc (cm3), ratios 0..1, coverage percent"},
         {"deviation_sign", kDeviationSign},
         {"deviation_ics", kDeviationIcs},
         {"levels", kLevels},
         {"volume", kVolumeConvention},
         {"margins", kMargins},
         {"tolerance", kTolerance},
         {"overlap_tolerance", kOverlapTolerance},
         {"comparison_roles", kRoles},
         {"surface_distances",
          "on the contour (slab-stack) surfaces, never voxels: each surface sampled with area weights, every "
          "sample's exact distance to the other surface"},
         {"status_words",
          "pass, warn, fail (graded against the tolerance), not_evaluable (a landmark or structure is missing; "
          "the reason is given), info (reported, not graded)"},
         {"overall", "a guideline's overall status is the worst of its graded checks (fail > warn > pass); a "
                     "pass only when the reference CTV could be built, else not_evaluable (most of the rule went "
                     "unchecked)"},
         {"provisional", "a provisional guideline's borders are not confirmed from a primary source: its results "
                         "are flagged provisional and are not a finding against the clinician"},
         {"unconfirmed", "rule elements marked confirmed=false come from reproductions of a guideline, not its "
                         "primary text; the reference CTV lists the ones it used"}};
  if (ctx.options) c["surface_sampling_per_mm2"] = num(ctx.options->surface.sampling.density_per_mm2);
  return c;
}

json match_json(const anatomy::RoleMatch& m) {
  return json{{"kind", anatomy::to_string(m.kind)},
              {"confidence", anatomy::to_string(m.confidence)},
              {"type_agrees", m.type_agrees},
              {"pattern", text(m.pattern)},
              {"pattern_line", m.pattern_line},
              {"reason", text(m.reason)}};
}

json roles_json(const anatomy::RoleAssignment& roles) {
  json bindings = json::array();
  for (const auto& b : roles.bindings) {
    bindings.push_back({{"key", b.key.to_string()},
                        {"role", b.key.role},
                        {"side", anatomy::to_string(b.key.side)},
                        {"derivation", text(b.key.derivation)},
                        {"roi_number", b.roi_number},
                        {"roi_name", b.roi_name},
                        {"decided_by", b.decided_by},
                        {"match", match_json(b.match)}});
  }
  json ambiguities = json::array();
  for (const auto& a : roles.ambiguities) {
    ambiguities.push_back({{"key", a.key.to_string()},
                           {"candidates", int_array(a.candidates)},
                           {"chosen", a.chosen ? json(*a.chosen) : json(nullptr)},
                           {"decided_by", a.decided_by},
                           {"message", text(a.message)}});
  }
  json unassigned = json::array();
  for (const auto& u : roles.unassigned) {
    unassigned.push_back({{"roi_number", u.roi_number}, {"roi_name", u.name}, {"reason", text(u.reason)}});
  }
  return json{{"bindings", std::move(bindings)},
              {"ambiguities", std::move(ambiguities)},
              {"unassigned", std::move(unassigned)},
              {"problems", string_array(roles.problems)}};
}

json structures_json(const anatomy::StructureMap& map) {
  json out = json::array();
  for (const auto& [key, bound] : map) {
    const geom::Structure& s = bound.structure;
    json issues = json::array();
    for (const auto& issue : bound.issues) {
      issues.push_back({{"code", geom::to_string(issue.code)},
                        {"contour", issue.contour ? json(*issue.contour) : json(nullptr)},
                        {"detail", text(issue.detail)}});
    }
    out.push_back({{"key", key.to_string()},
                   {"roi_number", roi_number_json(bound.roi_number)},
                   {"roi_name", bound.roi_name},
                   {"provenance", provenance_json(bound.provenance)},
                   {"planes", s.planes.size()},
                   {"slab_mm", s.slab_mm > 0 ? num(s.slab_mm) : json(nullptr)},
                   {"slab_from_image_spacing", s.slab_from_fallback},
                   {"volume_cc", num(geom::volume_cc(s))},
                   {"z_min_mm", s.planes.empty() ? json(nullptr) : num(s.planes.front().z_mm)},
                   {"z_max_mm", s.planes.empty() ? json(nullptr) : num(s.planes.back().z_mm)},
                   {"issues", std::move(issues)}});
  }
  return out;
}

// Level names in reading order: the non-rib levels by name, then ribs by number, cranial before caudal.
std::vector<std::string> ordered_level_names(const std::map<std::string, anatomy::Level>& levels) {
  std::vector<std::string> names;
  for (const auto& [name, level] : levels) names.push_back(name);
  auto rank = [](const std::string& n) {
    int rib = 0;
    int part = 0;
    if (n.rfind("rib", 0) == 0) {
      std::size_t i = 3;
      while (i < n.size() && n[i] >= '0' && n[i] <= '9') rib = rib * 10 + (n[i++] - '0');
      part = n.find(".caudal") != std::string::npos ? 1 : 0;
    }
    return std::pair{rib, part};
  };
  std::stable_sort(names.begin(), names.end(), [&](const std::string& a, const std::string& b) {
    const auto ra = rank(a), rb = rank(b);
    if (ra != rb) return ra < rb;
    return a < b;
  });
  return names;
}

json vessel_json(const anatomy::VesselLine& v, bool include_points) {
  std::size_t max_components = 0;
  for (const auto& p : v.centreline) max_components = std::max(max_components, p.components);
  json j{{"role", v.role},
         {"roi_number", roi_number_json(v.roi_number)},
         {"roi_name", text(v.roi_name)},
         {"evaluable", v.evaluable()},
         {"provenance", v.evaluable() ? provenance_json(v.provenance) : json(nullptr)},
         {"method", text(v.method)},
         {"not_evaluable", text(v.not_evaluable)},
         {"planes", v.centreline.size()},
         {"z_min_mm", v.centreline.empty() ? json(nullptr) : num(v.centreline.front().z_mm)},
         {"z_max_mm", v.centreline.empty() ? json(nullptr) : num(v.centreline.back().z_mm)},
         {"max_components_per_plane", max_components}};
  if (include_points) {
    json rows = json::array();
    for (const auto& p : v.centreline) {
      rows.push_back({num(p.z_mm), num(p.centre.x()), num(p.centre.y()), num(p.area_mm2), p.components});
    }
    j["centreline"] = {{"columns", json::array({"z_mm", "x_mm", "y_mm", "area_mm2", "components"})}, {"rows", std::move(rows)}};
  }
  return j;
}

json surface_landmark_json(const anatomy::SurfaceLandmark& s) {
  return json{{"name", s.name},
              {"evaluable", s.evaluable()},
              {"roi_number", s.evaluable() ? json(s.roi_number) : json(nullptr)},
              {"roi_name", text(s.roi_name)},
              {"method", text(s.method)},
              {"not_evaluable", text(s.not_evaluable)}};
}

json treated_side_json(const anatomy::TreatedSide& t) {
  return json{{"side", t.side ? json(side_word(t.side)) : json(nullptr)},
              {"method", text(t.method)},
              {"not_evaluable", text(t.not_evaluable)}};
}

json landmarks_json(const anatomy::Landmarks& lm, bool include_points) {
  json levels = json::object();
  for (const auto& name : ordered_level_names(lm.levels)) {
    const anatomy::Level& l = lm.levels.at(name);
    levels[name] = {{"z_mm", num(l.z_mm)},
                    {"evaluable", l.evaluable()},
                    {"method", text(l.method)},
                    {"not_evaluable", text(l.not_evaluable)},
                    {"rois", structure_set_rois(l.rois)},
                    {"provenance", l.evaluable() ? provenance_json(l.provenance) : json(nullptr)}};
  }
  json ics = json::array();
  for (const auto& b : lm.ics) {
    ics.push_back({{"number", b.number},
                   {"cranial_z_mm", num(b.cranial_z_mm)},
                   {"caudal_z_mm", num(b.caudal_z_mm)},
                   {"height_mm", num(b.height_mm())}});
  }
  json sternum{{"planes", lm.sternum_edge.size()},
               {"z_min_mm", lm.sternum_edge.empty() ? json(nullptr) : num(lm.sternum_edge.front().z_mm)},
               {"z_max_mm", lm.sternum_edge.empty() ? json(nullptr) : num(lm.sternum_edge.back().z_mm)},
               {"method", text(lm.sternum_method)},
               {"provenance", lm.sternum_edge.empty() ? json(nullptr) : provenance_json(lm.sternum_provenance)}};
  if (include_points) {
    json rows = json::array();
    for (const auto& e : lm.sternum_edge) rows.push_back({num(e.z_mm), num(e.x_mm)});
    sternum["edge"] = {{"columns", json::array({"z_mm", "x_mm"})}, {"rows", std::move(rows)}};
  }
  return json{{"levels", std::move(levels)},
              {"ics", std::move(ics)},
              {"im_vein", vessel_json(lm.im_vein, include_points)},
              {"im_artery", vessel_json(lm.im_artery, include_points)},
              {"sternum_edge", std::move(sternum)},
              {"midline", {{"x_mm", num(lm.midline_x_mm)}, {"method", text(lm.midline_method)}}},
              {"lateral_sign", num(lm.lateral_sign())},
              {"surfaces",
               {{"lung", surface_landmark_json(lm.lung_surface)},
                {"heart", surface_landmark_json(lm.heart_surface)},
                {"external", surface_landmark_json(lm.external_surface)}}}};
}

json reference_json(const guideline::ReferenceCtv& r) {
  json j{{"name", text(r.name)},
         {"roi_name", text(r.roi_name)},
         {"target_role", text(r.target_role)},
         {"status", status_label(r.status)},
         {"provisional", r.status == guideline::Status::Provisional},
         {"evaluable", r.evaluable()}};
  if (r.structure) {
    const geom::Structure& s = *r.structure;
    j["volume_cc"] = num(geom::volume_cc(s));
    j["volume_convention"] = kVolumeConvention;
    j["planes"] = s.planes.size();
    j["slab_mm"] = s.slab_mm > 0 ? num(s.slab_mm) : json(nullptr);
    if (!s.planes.empty()) {
      j["extent"] = {{"caudal_plane_z_mm", num(s.planes.front().z_mm)},
                     {"cranial_plane_z_mm", num(s.planes.back().z_mm)},
                     {"caudal_edge_z_mm", num(s.planes.front().z_mm - s.slab_mm / 2)},
                     {"cranial_edge_z_mm", num(s.planes.back().z_mm + s.slab_mm / 2)}};
    } else {
      j["extent"] = nullptr;
    }
  } else {
    j["volume_cc"] = nullptr;
    j["volume_convention"] = kVolumeConvention;
    j["planes"] = 0;
    j["slab_mm"] = nullptr;
    j["extent"] = nullptr;
  }
  j["cranial"] = resolved_level_json(r.cranial);
  j["caudal"] = resolved_level_json(r.caudal);
  j["construction"] = string_array(r.construction);
  j["not_evaluable"] = string_array(r.not_evaluable);
  j["unconfirmed"] = string_array(r.unconfirmed);
  return j;
}

json level_check_json(const audit::LevelCheck& c) {
  json alternatives = json::array();
  for (const auto& a : c.alternatives) {
    json alt = resolved_level_json(a.level);
    alt["condition"] = text(a.condition);
    alt["deviation_mm"] = num(a.deviation_mm);
    alternatives.push_back(std::move(alt));
  }
  return json{{"border", guideline::to_string(c.border)},
              {"status", status_word(c.status)},
              {"clinical_z_mm", num(c.clinical_z_mm)},
              {"reference", resolved_level_json(c.reference)},
              {"deviation_mm", num(c.deviation_mm)},
              {"deviation_ics", num(c.deviation_ics)},
              {"alternatives", std::move(alternatives)},
              {"tolerance", tolerance_json(c.tolerance)},
              {"reason", text(c.reason)},
              {"landmark_basis", provenance_json(c.basis)}};
}

json margin_check_json(const audit::MarginCheck& m) {
  return json{{"direction", direction_word(m.direction)},
              {"status", status_word(m.status)},
              {"planes", m.planes},
              {"clinical", {{"min_mm", num(m.clinical_min_mm)}, {"median_mm", num(m.clinical_median_mm)}}},
              {"reference", {{"min_mm", num(m.reference_min_mm)}, {"median_mm", num(m.reference_median_mm)}}},
              {"deviation", {{"median_mm", num(m.deviation_median_mm)}, {"min_mm", num(m.deviation_min_mm)}}},
              {"tolerance", tolerance_json(m.tolerance)},
              {"reason", text(m.reason)},
              {"landmark_basis", provenance_json(m.basis)}};
}

json coverage_json(const audit::VeinCoverage& v) {
  return json{{"ics", v.ics},
              {"cranial_z_mm", num(v.cranial_z_mm)},
              {"caudal_z_mm", num(v.caudal_z_mm)},
              {"planes", v.planes},
              {"centreline_pct", num(v.centreline_pct)},
              {"volume_pct", num(v.volume_pct)},
              {"reason", text(v.reason)},
              {"landmark_basis", provenance_json(v.basis)}};
}

json organ_overlap_json(const audit::OrganOverlap& o) {
  return json{{"role", o.role},
              {"roi_number", roi_number_json(o.roi_number)},
              {"roi_name", text(o.roi_name)},
              {"status", status_word(o.status)},
              {"landmark_basis", provenance_json(o.landmark_basis)},
              {"overlap_cc", num(o.overlap_cc)},
              {"pass_cc", num(o.pass_cc)},
              {"warn_cc", num(o.warn_cc)},
              {"basis", text(o.basis)},
              {"rule", kOverlapTolerance},
              {"reason", text(o.reason)}};
}

json directed_json(const compare::DirectedDistance& d) {
  return json{{"max_mm", num(d.max_mm)},
              {"p95_mm", num(d.p95_mm)},
              {"mean_mm", num(d.mean_mm)},
              {"area_mm2", num(d.area_mm2)},
              {"samples", d.samples},
              {"convention", kDirected}};
}

json comparison_json(const audit::Comparison& c) {
  const std::string why = c.reason.empty() ? std::string("not computed") : c.reason;
  json j{{"roles", kRoles}, {"reason", text(c.reason)}};
  if (c.overlap) {
    const compare::Overlap& o = *c.overlap;
    j["overlap"] = {{"dice", metric(o.dice, kDice, "both volumes are 0")},
                    {"jaccard", metric(o.jaccard, kJaccard, "the union is empty")},
                    {"volume_ratio", metric(o.volume_ratio, kVolumeRatio, "the reference volume is 0")},
                    {"missed_cc", metric(o.missed_cc, kMissed)},
                    {"added_cc", metric(o.added_cc, kAdded)},
                    {"reference_volume_cc", metric(o.volume_a_cc, kVolumeConvention)},
                    {"clinical_volume_cc", metric(o.volume_b_cc, kVolumeConvention)},
                    {"intersection_cc", metric(o.intersection_cc, kIntersection)},
                    {"union_cc", metric(o.union_cc, kUnion)},
                    {"planes",
                     {{"matched", o.matched_planes}, {"only_reference", o.planes_only_a}, {"only_clinical", o.planes_only_b}}}};
  } else {
    j["overlap"] = nullptr;
    j["overlap_reason"] = why;
  }
  if (c.surface) {
    const compare::SurfaceDistances& s = *c.surface;
    json sd = json::array();
    for (const auto& d : s.surface_dice) {
      json m = metric(d.value, kSurfaceDice);
      m["tolerance_mm"] = num(d.tolerance_mm);
      sd.push_back(std::move(m));
    }
    json apl = metric(s.added_path_length_mm, kApl);
    apl["tolerance_mm"] = num(s.apl_tolerance_mm);
    j["surface"] = {{"hd_mm", metric(s.hausdorff_mm, kHd)},
                    {"hd95_mm", metric(s.hd95_mm, kHd95)},
                    {"hd95_plastimatch_mm", metric(compare::hd95_plastimatch_mm(s), kHd95Plastimatch)},
                    {"msd_mm", metric(s.msd_mm, kMsd)},
                    {"surface_dice", std::move(sd)},
                    {"added_path_length_mm", std::move(apl)},
                    {"directed",
                     {{"reference_to_clinical", directed_json(s.a_to_b)},
                      {"clinical_to_reference", directed_json(s.b_to_a)}}}};
  } else {
    j["surface"] = nullptr;
    j["surface_reason"] = why;
  }
  return j;
}

// ---------------------------------------------------------------------------------------------------
// The summary of failed / warned checks, in words

std::string signed_mm(double v) { return fmt::format("{:+.1f} mm", v); }

std::string extends_words(double deviation_mm) {
  if (std::abs(deviation_mm) < 0.05) return "on the reference border";
  return fmt::format("{} {:.1f} mm {}", deviation_mm > 0 ? "extends" : "stops", std::abs(deviation_mm),
                     deviation_mm > 0 ? "beyond the reference border" : "short of the reference border");
}

std::string tolerance_words(const guideline::Tolerance& t) {
  return fmt::format("tolerance pass {:g} / warn {:g} mm", t.pass_mm, t.warn_mm);
}

struct Finding {
  std::string check;  ///< "cranial border", "medial margin", "overlap heart"
  audit::CheckStatus status = audit::CheckStatus::Info;
  std::optional<double> deviation_mm;
  std::string message;
};

std::vector<Finding> findings(const audit::GuidelineAudit& g, bool with_not_evaluable) {
  std::vector<Finding> out;
  auto wanted = [&](audit::CheckStatus s) {
    return s == audit::CheckStatus::Fail || s == audit::CheckStatus::Warn ||
           (with_not_evaluable && s == audit::CheckStatus::NotEvaluable);
  };
  for (const auto& c : g.levels) {
    if (!wanted(c.status)) continue;
    Finding f{fmt::format("{} border", guideline::to_string(c.border)), c.status, c.deviation_mm, {}};
    if (c.status == audit::CheckStatus::NotEvaluable || !c.deviation_mm) {
      f.message = c.reason.empty() ? std::string("not evaluable") : c.reason;
    } else {
      f.message = fmt::format("{} ({}) {}{} ({}){}", f.check, c.reference.landmark, extends_words(*c.deviation_mm),
                              c.deviation_ics ? fmt::format(", {:+.2f} ICS", *c.deviation_ics) : std::string(),
                              tolerance_words(c.tolerance), basis_words(c.basis));
    }
    out.push_back(std::move(f));
  }
  for (const auto& m : g.margins) {
    if (!wanted(m.status)) continue;
    Finding f{fmt::format("{} margin", direction_word(m.direction)), m.status, m.deviation_median_mm, {}};
    if (m.status == audit::CheckStatus::NotEvaluable || !m.deviation_median_mm) {
      f.message = m.reason.empty() ? std::string("not evaluable") : m.reason;
    } else {
      f.message = fmt::format("{}: median clinical margin {} vs reference {}, deviation {} ({}){}", f.check,
                              m.clinical_median_mm ? fmt::format("{:.1f} mm", *m.clinical_median_mm) : "-",
                              m.reference_median_mm ? fmt::format("{:.1f} mm", *m.reference_median_mm) : "-",
                              signed_mm(*m.deviation_median_mm), tolerance_words(m.tolerance), basis_words(m.basis));
    }
    out.push_back(std::move(f));
  }
  for (const auto& o : g.overlaps) {
    if (!wanted(o.status)) continue;
    Finding f{fmt::format("overlap {}", o.role), o.status, std::nullopt, {}};
    if (o.status == audit::CheckStatus::NotEvaluable || !o.overlap_cc) {
      f.message = o.reason.empty() ? std::string("not evaluable") : o.reason;
    } else {
      f.message = fmt::format("overlap with {} ({} '{}'): {:.3f} cc (pass <= {:g}, warn <= {:g} cc){}", o.role,
                              o.roi_number > 0 ? fmt::format("ROI {}", o.roi_number) : std::string("CT landmark"), o.roi_name,
                              *o.overlap_cc, o.pass_cc, o.warn_cc, basis_words(o.landmark_basis));
    }
    out.push_back(std::move(f));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Finding& a, const Finding& b) { return severity(a.status) > severity(b.status); });
  return out;
}

json findings_json(const std::vector<Finding>& list) {
  json a = json::array();
  for (const auto& f : list) {
    a.push_back({{"check", f.check},
                 {"status", status_word(f.status)},
                 {"deviation_mm", num(f.deviation_mm)},
                 {"message", f.message}});
  }
  return a;
}

json guideline_json(const audit::GuidelineAudit& g) {
  json levels = json::array();
  for (const auto& c : g.levels) levels.push_back(level_check_json(c));
  json margins = json::array();
  for (const auto& m : g.margins) margins.push_back(margin_check_json(m));
  json coverage = json::array();
  for (const auto& v : g.vein_coverage) coverage.push_back(coverage_json(v));
  json overlaps = json::array();
  for (const auto& o : g.overlaps) overlaps.push_back(organ_overlap_json(o));
  json not_evaluable = json::array();
  for (const auto& f : findings(g, true)) {
    if (f.status == audit::CheckStatus::NotEvaluable) not_evaluable.push_back({{"check", f.check}, {"reason", f.message}});
  }
  return json{{"id", g.guideline_id},
              {"version", g.guideline_version},
              {"title", g.guideline_title},
              {"file", text(g.guideline_file)},
              {"status", status_label(g.status)},
              {"provisional", g.status == guideline::Status::Provisional},
              {"overall", status_word(g.overall)},
              {"landmark_basis", provenance_json(g.basis)},
              {"estimated_landmarks", string_array(g.estimated_landmarks)},
              {"reference_ctv", reference_json(g.reference)},
              {"checks",
               {{"levels", std::move(levels)},
                {"margins", std::move(margins)},
                {"vein_coverage", std::move(coverage)},
                {"organ_overlaps", std::move(overlaps)}}},
              {"comparison", comparison_json(g.comparison)},
              {"notes", string_array(g.notes)},
              {"summary", findings_json(findings(g, false))},
              {"not_evaluable", std::move(not_evaluable)}};
}

json export_json(const ExportInfo& e) {
  json rois = json::array();
  for (const auto& r : e.rois) {
    rois.push_back({{"roi_number", r.roi_number},
                    {"roi_name", r.roi_name},
                    {"guideline", r.guideline_id},
                    {"colour", json::array({r.colour[0], r.colour[1], r.colour[2]})}});
  }
  return json{{"written", !e.file.empty()},
              {"file", text(e.file)},
              {"sop_instance_uid", text(e.sop_instance_uid)},
              {"series_instance_uid", text(e.series_instance_uid)},
              {"rois", std::move(rois)},
              {"skipped", string_array(e.skipped)},
              {"warnings", string_array(e.warnings)},
              {"error", text(e.error)}};
}

}  // namespace

std::string_view status_word(audit::CheckStatus s) {
  switch (s) {
    case audit::CheckStatus::Pass: return "pass";
    case audit::CheckStatus::Warn: return "warn";
    case audit::CheckStatus::Fail: return "fail";
    case audit::CheckStatus::NotEvaluable: return "not_evaluable";
    case audit::CheckStatus::Info: return "info";
  }
  return "not_evaluable";
}

std::vector<std::string> replace_non_finite(nlohmann::ordered_json& doc) {
  std::vector<std::string> out;
  collect_non_finite(doc, "", out);
  return out;
}

nlohmann::ordered_json audit_to_json(const audit::AuditResult& result, const AuditReportContext& context) {
  json guidelines = json::array();
  json overall = json::array();
  for (const auto& g : result.guidelines) {
    guidelines.push_back(guideline_json(g));
    overall.push_back({{"guideline", g.guideline_id},
                       {"status", status_word(g.overall)},
                       {"provisional", g.status == guideline::Status::Provisional}});
  }
  json doc{{"schema", kSchema},
           {"rtaudit_version", context.rtaudit_version.empty() ? std::string(version()) : context.rtaudit_version}};
  if (!context.generated.empty()) doc["generated"] = context.generated;
  doc["conventions"] = conventions_json(context);
  doc["case"] = case_json(context);
  doc["rules"] = rules_json(context);
  doc["options"] = context.options ? options_json(*context.options) : json(nullptr);
  doc["treated_side"] = treated_side_json(result.landmarks.treated);
  doc["roles"] = roles_json(result.roles);
  if (context.structures != nullptr) doc["structures"] = structures_json(*context.structures);
  doc["landmarks"] = landmarks_json(result.landmarks, context.include_centrelines);
  doc["clinical_ctv"] = {{"roi_number", result.clinical_roi_number != 0 ? json(result.clinical_roi_number) : json(nullptr)},
                         {"roi_name", text(result.clinical_roi_name)},
                         {"volume_cc", num(result.clinical_volume_cc)},
                         {"volume_convention", kVolumeConvention}};
  doc["not_evaluable"] = string_array(result.not_evaluable);
  doc["notes"] = string_array(result.notes);
  doc["guidelines"] = std::move(guidelines);
  doc["overall"] = std::move(overall);
  doc["export"] = context.exported_rtstruct ? export_json(*context.exported_rtstruct) : json(nullptr);
  doc["warnings"] = string_array(context.warnings);

  json places = json::array();
  for (const auto& p : replace_non_finite(doc)) {
    places.push_back({{"path", p}, {"reason", "not a finite number (NaN or infinite) in the computation; written as null"}});
  }
  doc["non_finite_values"] = std::move(places);
  return doc;
}

std::string audit_to_text(const audit::AuditResult& result, const AuditReportContext& context) {
  std::string out;
  const InputInfo& in = context.input;
  out += fmt::format("structure set {} ({} ROIs){}\n", in.structure_set.file, in.structure_set.rois,
                     in.other_structure_sets.empty()
                         ? std::string()
                         : fmt::format("; {} other structure set(s) not audited", in.other_structure_sets.size()));
  const anatomy::TreatedSide& t = result.landmarks.treated;
  if (t.side) {
    out += fmt::format("treated side: {} ({})\n", anatomy::to_string(*t.side), t.method);
  } else {
    out += fmt::format("treated side: not evaluable ({})\n", t.not_evaluable);
  }
  if (result.clinical_roi_number != 0) {
    out += fmt::format("clinical CTV: ROI {} '{}'{}\n", result.clinical_roi_number, result.clinical_roi_name,
                       result.clinical_volume_cc && std::isfinite(*result.clinical_volume_cc)
                           ? fmt::format(", {:.2f} cc", *result.clinical_volume_cc)
                           : std::string());
  }
  for (const auto& r : result.not_evaluable) out += fmt::format("not evaluable: {}\n", r);
  for (const auto& n : result.notes) out += fmt::format("note: {}\n", n);
  for (const auto& g : result.guidelines) {
    out += fmt::format("\n{} v{}{}: {}\n  {}\n", g.guideline_id, g.guideline_version,
                       g.status == guideline::Status::Provisional ? " [provisional]" : "", status_word(g.overall),
                       g.guideline_title);
    for (const auto& c : g.levels) {
      out += fmt::format("  {:<8} border  {:<14} clinical {:>8}  reference {:>8}  deviation {:>10}  {}\n",
                         guideline::to_string(c.border), status_word(c.status),
                         c.clinical_z_mm ? fmt::format("{:.1f}", *c.clinical_z_mm) : "-",
                         c.reference.z_mm ? fmt::format("{:.1f}", *c.reference.z_mm) : "-",
                         c.deviation_mm && std::isfinite(*c.deviation_mm) ? signed_mm(*c.deviation_mm) : "-",
                         c.reference.landmark);
    }
    for (const auto& m : g.margins) {
      out += fmt::format("  {:<8} margin  {:<14} clinical {:>8}  reference {:>8}  deviation {:>10}\n",
                         direction_word(m.direction), status_word(m.status),
                         m.clinical_median_mm ? fmt::format("{:.1f}", *m.clinical_median_mm) : "-",
                         m.reference_median_mm ? fmt::format("{:.1f}", *m.reference_median_mm) : "-",
                         m.deviation_median_mm && std::isfinite(*m.deviation_median_mm) ? signed_mm(*m.deviation_median_mm)
                                                                                        : "-");
    }
    for (const auto& o : g.overlaps) {
      out += fmt::format("  overlap {:<8} {:<14} {}\n", o.role, status_word(o.status),
                         o.overlap_cc ? fmt::format("{:.3f} cc", *o.overlap_cc) : o.reason);
    }
    if (g.comparison.overlap && g.comparison.overlap->dice) {
      std::string line = fmt::format("  Dice {:.3f}", *g.comparison.overlap->dice);
      if (g.comparison.surface) {
        line += fmt::format(", HD95 {:.1f} mm, MSD {:.1f} mm", g.comparison.surface->hd95_mm, g.comparison.surface->msd_mm);
      }
      out += line + "\n";
    }
    for (const auto& r : g.reference.not_evaluable) out += fmt::format("  reference not evaluable: {}\n", r);
    for (const auto& f : findings(g, false)) out += fmt::format("  ! {}: {}\n", status_word(f.status), f.message);
  }
  if (context.exported_rtstruct) {
    const ExportInfo& e = *context.exported_rtstruct;
    if (e.error.empty()) {
      out += fmt::format("\nexported {} reference ROI(s) to {}\n", e.rois.size(), e.file);
    } else {
      out += fmt::format("\nexport failed: {}\n", e.error);
    }
  }
  for (const auto& w : context.warnings) out += fmt::format("warning: {}\n", w);
  return out;
}

}  // namespace rtaudit::report
