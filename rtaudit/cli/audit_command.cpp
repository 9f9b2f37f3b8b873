// `rtaudit audit CASE_DIR --out DIR`: the clinician's CTVn_IMN against every guideline (issue 4).
//
// The edge of the audit: it reads the case folder, the rule files, the names table and overrides,
// hands plain data to audit::run_audit(), and writes DIR/report.json (docs/report-json.md) and, with
// --export-rtstruct, DIR/RS_rtaudit_references.dcm. The clock is read here and only here. Nothing is
// written outside --out; logs carry no patient identifiers.

#include "rtaudit/cli/commands.hpp"

#include "rtaudit/anatomy/ct_structures.hpp"
#include "rtaudit/anatomy/landmarks.hpp"
#include "rtaudit/anatomy/roles.hpp"
#include "rtaudit/audit/audit.hpp"
#include "rtaudit/case/uid.hpp"
#include "rtaudit/cli/case_dose.hpp"
#include "rtaudit/cli/case_points.hpp"
#include "rtaudit/cli/ct_landmarks.hpp"
#include "rtaudit/cli/output_dir.hpp"
#include "rtaudit/cli/report_layers.hpp"
#include "rtaudit/dicom/export_rtstruct.hpp"
#include "rtaudit/dicom/inspect.hpp"
#include "rtaudit/dicom/load.hpp"
#include "rtaudit/guideline/rule_set.hpp"
#include "rtaudit/heart/assessment.hpp"
#include "rtaudit/recurrence/patient_file.hpp"
#include "rtaudit/report/heart_json.hpp"
#include "rtaudit/report/miss_json.hpp"
#include "rtaudit/report/audit_json.hpp"
#include "rtaudit/report/html_report.hpp"
#include "rtaudit/report/pseudonym.hpp"
#include "rtaudit/report/site_json.hpp"
#include "rtaudit/report/summary_csv.hpp"
#include "rtaudit/version.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <system_error>

namespace rtaudit::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kReportFile = "report.json";
constexpr const char* kHtmlFile = "report.html";
constexpr const char* kCsvFile = "summary.csv";
constexpr const char* kExportFile = "RS_rtaudit_references.dcm";

// Distinct display colours for the exported reference CTVs, one per guideline in audit order.
constexpr std::array<std::array<int, 3>, 6> kPalette{{
    {{0, 200, 255}},   // cyan
    {{255, 160, 0}},   // orange
    {{190, 0, 255}},   // violet
    {{0, 210, 110}},   // green
    {{255, 60, 90}},   // red
    {{200, 200, 0}},   // olive
}};

// "YYYYMMDD" + "HHMMSS(.FFFFFF)" as one sortable key; a missing date sorts first (oldest).
std::string date_time_key(const StructureSet& s) {
  auto digits = [](const std::string& v) {
    std::string d;
    for (char c : v) {
      if (c >= '0' && c <= '9') d += c;
      else if (c == '.') break;  // fraction of TM: compared below as digits after the seconds
    }
    return d;
  };
  std::string date = digits(s.date);
  std::string time = digits(s.time);
  if (const auto dot = s.time.find('.'); dot != std::string::npos) {
    std::string fraction;
    for (std::size_t i = dot + 1; i < s.time.size() && s.time[i] >= '0' && s.time[i] <= '9'; ++i) fraction += s.time[i];
    time.resize(6, '0');
    time += fraction;
  }
  date.resize(8, '0');
  time.resize(12, '0');
  return date + time;
}

std::string relative_to(const fs::path& root, const std::string& file) {
  std::error_code ec;
  if (fs::is_directory(root, ec)) {
    const fs::path rel = fs::path(file).lexically_relative(root);
    if (!rel.empty() && *rel.begin() != "..") return rel.generic_string();
  }
  return fs::path(file).filename().generic_string();
}

bool is_inside(const fs::path& file, const fs::path& dir) {
  std::error_code ec;
  const fs::path f = fs::weakly_canonical(file, ec);
  if (ec) return false;
  const fs::path rel = f.lexically_relative(dir);
  return !rel.empty() && *rel.begin() != "..";
}



report::StructureSetInfo structure_set_info(const dicom::InspectReport& scan, const dicom::InspectedStructureSet& iss) {
  report::StructureSetInfo info;
  const StructureSet& s = iss.set;
  info.file = relative_to(scan.root, s.file);
  info.sop_instance_uid = s.sop_instance_uid;
  info.label = s.label;
  info.date = s.date;
  info.time = s.time;
  info.frame_of_reference_uid = s.frame_of_reference_uid;
  if (iss.object < scan.inventory.objects.size()) info.patient_id = scan.inventory.objects[iss.object].patient_id;
  info.rois = s.rois.size();
  return info;
}

// The slab of a single-plane structure: the matched image series' slice spacing (as inspect does).
std::optional<double> series_spacing(const ImageSeries& image) {
  const double spacing = image.slices.size() > 1 ? image.typical_spacing_mm() : image.slice_thickness_mm.value_or(0);
  if (spacing > 0) return spacing;
  return std::nullopt;
}

// The landmark roles the guidelines read that a planner often leaves uncontoured (issue 8): when one
// is missing on the treated side (either side while the side is unknown), the CT is searched.
std::string missing_landmark_role(const anatomy::StructureMap& map, std::optional<anatomy::Side> user_side) {
  if (anatomy::find_structure(map, "sternum", anatomy::Side::None) == nullptr) return "sternum";
  const anatomy::TreatedSide treated = anatomy::find_treated_side(map, user_side);
  std::vector<anatomy::Side> sides{anatomy::Side::Left, anatomy::Side::Right};
  if (treated.side) sides = {*treated.side};
  for (const anatomy::Side side : sides) {
    std::vector<std::string> roles{"im_vein", "im_artery"};
    for (int n = 1; n <= 6; ++n) roles.push_back(fmt::format("rib{}", n));
    for (const auto& role : roles) {
      if (anatomy::find_structure(map, role, side) == nullptr) return fmt::format("{} {}", anatomy::to_string(side), role);
    }
  }
  return "";
}

}  // namespace

int run_audit(const AuditArgs& args, bool verbose) {
  dicom::configure_dcmtk_logging(verbose);
  report::AuditReportContext ctx;
  ctx.rtaudit_version = std::string(version());
  ctx.input.case_dir = args.case_dir;
  ctx.input.plane_tolerance_mm = args.plane_tolerance_mm;

  // ---- Arguments, names table, overrides, rules: all checked before anything is read or written.
  std::string pseudonym_key;
  if (!args.pseudonymize_key.empty() && !read_pseudonym_key(args.pseudonymize_key, &pseudonym_key)) return 1;
  std::optional<anatomy::Side> user_side;
  if (!args.side.empty()) {
    user_side = anatomy::parse_side(args.side);
    if (!user_side || (*user_side != anatomy::Side::Left && *user_side != anatomy::Side::Right)) {
      spdlog::error("--side must be left or right (got '{}')", args.side);
      return 1;
    }
  }

  const fs::path names_path = args.names.empty() ? data_path("rules/names.xml") : fs::path(args.names);
  const anatomy::NameTableLoad names = anatomy::load_name_table(names_path);
  if (!names) {
    spdlog::error("{}", names.error ? names.error->message() : fmt::format("{}: cannot read the names table", names_path.string()));
    return 1;
  }
  ctx.rules.names_file = names_path.string();
  ctx.rules.names_version = names.table->version;

  anatomy::Overrides overrides;
  for (const auto& text : args.roles) {
    const anatomy::OverrideParse p = anatomy::parse_role_override(text);
    if (!p.value) {
      spdlog::error("--role '{}': {}", text, p.error);
      return 1;
    }
    overrides.entries.push_back(*p.value);
  }
  if (!args.roles_file.empty()) {
    const anatomy::OverridesLoad file = anatomy::load_overrides_file(args.roles_file);
    if (!file.ok()) {
      for (const auto& e : file.errors) spdlog::error("{}", e);
      return 1;
    }
    overrides.entries.insert(overrides.entries.end(), file.overrides.entries.begin(), file.overrides.entries.end());
  }
  ctx.overrides = overrides.entries;

  std::vector<fs::path> rule_dirs{data_path("rules")};
  for (const auto& d : args.rules_dirs) {
    std::error_code ec;
    if (!fs::is_directory(d, ec)) {
      spdlog::error("--rules '{}' is not a folder", d);
      return 1;
    }
    rule_dirs.emplace_back(d);
  }
  guideline::GuidelineSet rules = guideline::load_guidelines_dirs(rule_dirs);
  for (const auto& d : rule_dirs) ctx.rules.folders.push_back(d.string());
  for (const auto& e : rules.errors) {
    spdlog::warn("rule file not used: {}", e.message());
    ctx.warnings.push_back(fmt::format("rule file not used: {}", e.message()));
  }
  ctx.rules.errors = rules.errors;
  ctx.rules.skipped = rules.skipped;
  ctx.rules.filter = args.guidelines;
  for (const auto& id : args.guidelines) {
    if (rules.find(id) == nullptr) {
      std::string known;
      for (const auto& g : rules.guidelines) known += (known.empty() ? "" : ", ") + g.id;
      spdlog::error("unknown guideline '{}'; loaded: {}", id, known.empty() ? "none" : known);
      return 1;
    }
  }
  std::vector<guideline::Guideline> selected;
  for (const auto& g : rules.guidelines) {
    const bool wanted =
        args.guidelines.empty() || std::find(args.guidelines.begin(), args.guidelines.end(), g.id) != args.guidelines.end();
    ctx.rules.guidelines.push_back({g.file, g.id, g.version, g.status, wanted, g.target("ctvn_imn") != nullptr});
    if (wanted) selected.push_back(g);
  }
  if (selected.empty()) {
    spdlog::error("no guideline rule file could be loaded from {}", fmt::join(ctx.rules.folders, ", "));
    return 1;
  }

  // ---- Heart: the department model, constraints, risk model and patient facts (files checked up front).
  std::optional<heart::LinearModel> heart_model;
  if (!args.heart_model.empty()) {
    std::ifstream in(args.heart_model, std::ios::binary);
    const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    std::string why;
    if (in.bad() || j.is_discarded() || !(heart_model = heart::model_from_json(j, &why))) {
      spdlog::error("--heart-model {}: {}", args.heart_model, why.empty() ? "not a JSON document" : why);
      return 1;
    }
  }
  const fs::path constraints_path = args.constraints.empty() ? data_path("rules/heart-constraints.xml") : fs::path(args.constraints);
  const heart::ConstraintsLoad constraints = heart::load_constraints(constraints_path.string());
  if (!constraints.error.empty()) {
    if (!args.constraints.empty()) {
      spdlog::error("{}", constraints.error);
      return 1;
    }
    ctx.warnings.push_back(fmt::format("heart constraints not checked: {}", constraints.error));
  }
  const heart::LoadResult risk_model = heart::load_cardiac_risk(data_path("rules/cardiac-risk.xml").string());
  if (!risk_model.model) ctx.warnings.push_back(fmt::format("coronary risk not estimated: {}", risk_model.error));
  PatientFacts facts;
  {
    const fs::path patient = args.patient.empty() ? fs::path(args.case_dir) / "patient.json" : fs::path(args.patient);
    std::error_code pec;
    if (fs::is_regular_file(patient, pec)) {
      std::ifstream in(patient, std::ios::binary);
      const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      const recurrence::PatientFactsRead r = recurrence::parse_patient_facts(text, patient.filename().string());
      for (const auto& p : r.problems) ctx.warnings.push_back(fmt::format("{}: {}", p.file, p.message));
      facts = r.facts;
    } else if (!args.patient.empty()) {
      spdlog::error("--patient {}: no such file", args.patient);
      return 1;
    }
  }

  // The output folder as it will be (not created yet): structure sets inside it are never audited, so
  // an earlier export in --out is not taken for the clinician's structure set.
  std::error_code ec;
  const fs::path out_abs = fs::weakly_canonical(fs::absolute(args.out, ec), ec);
  const fs::path case_abs = fs::weakly_canonical(fs::absolute(args.case_dir, ec), ec);
  // When --out is the case folder (or holds it) only rtaudit's own export there is left out.
  const bool out_holds_case = !out_abs.empty() && !case_abs.empty() && is_inside(case_abs, out_abs);
  auto in_output_folder = [&](const std::string& file) {
    if (out_abs.empty() || !is_inside(file, out_abs)) return false;
    if (!out_holds_case) return true;
    std::error_code e;
    const fs::path f = fs::weakly_canonical(file, e);
    return !e && f.filename() == kExportFile && f.parent_path() == out_abs;
  };

  // ---- The case folder.
  geom::BuildOptions scan_options;
  scan_options.plane_tolerance_mm = args.plane_tolerance_mm;
  const dicom::InspectReport scan = dicom::inspect(args.case_dir, scan_options);
  const dicom::InspectedStructureSet* chosen = nullptr;
  std::vector<const dicom::InspectedStructureSet*> others;
  std::vector<std::string> other_reasons;
  std::vector<const StructureSet*> followups;
  std::size_t usable = 0;
  for (const auto& iss : scan.structure_sets) {
    std::string why;
    if (in_output_folder(iss.set.file)) why = "lies in the output folder (--out): rtaudit's own output";
    else if (iss.set.rois.empty()) why = "has no ROI";
    else if (is_followup_structure_set(iss.set)) {
      why = "a follow-up structure set (points of interest only): read for its recurrences, not audited";
      followups.push_back(&iss.set);
    }
    if (!why.empty()) {
      others.push_back(&iss);
      other_reasons.push_back(why);
      continue;
    }
    ++usable;
    // Newest by StructureSetDate/Time; on a tie the first in path order.
    if (chosen == nullptr || date_time_key(iss.set) > date_time_key(chosen->set)) {
      if (chosen != nullptr) {
        others.push_back(chosen);
        other_reasons.push_back("older than the audited structure set");
      }
      chosen = &iss;
    } else {
      others.push_back(&iss);
      other_reasons.push_back(date_time_key(iss.set) == date_time_key(chosen->set)
                                  ? "same StructureSetDate/Time as the audited one, later in path order"
                                  : "older than the audited structure set");
    }
  }
  if (chosen == nullptr) {
    spdlog::error("no usable structure set found below the case folder ({} file(s) looked at, {} structure set(s))",
                  scan.inventory.files_seen, scan.structure_sets.size());
    return 2;
  }
  const StructureSet& set = chosen->set;
  ctx.input.structure_set = structure_set_info(scan, *chosen);
  ctx.input.selection = usable == 1 ? "the only usable structure set"
                                    : fmt::format("the newest (StructureSetDate/Time) of {} usable structure sets", usable);
  for (std::size_t i = 0; i < others.size(); ++i) {
    report::StructureSetInfo info = structure_set_info(scan, *others[i]);
    info.not_audited_reason = other_reasons[i];
    ctx.input.other_structure_sets.push_back(std::move(info));
  }
  if (usable > 1) {
    const std::string w = fmt::format("{} structure sets in the case folder; audited the newest, the others are listed "
                                      "in report.json case.other_structure_sets",
                                      usable);
    spdlog::warn("{}", w);
    ctx.warnings.push_back(w);
  }

  geom::BuildOptions build = scan_options;
  const ImageSeries* image = chosen->series ? &scan.series[*chosen->series] : nullptr;
  if (image != nullptr) {
    ctx.input.image_series = report::ImageSeriesInfo{image->series_uid, image->modality, image->slices.size(), series_spacing(*image)};
    if (image->axial) build.fallback_slab_mm = series_spacing(*image);
  }
  ctx.input.fallback_slab_mm = build.fallback_slab_mm;

  // ---- The audit (pure).
  const anatomy::RoleAssignment roles = anatomy::assign_roles(*names.table, set, overrides);
  for (const auto& p : roles.problems) ctx.warnings.push_back(p);
  anatomy::StructureMap contoured = anatomy::bind_structures(set, roles, build);

  // ---- Landmarks from the CT where they are not contoured (issue 8): a contour always wins.
  std::optional<CaseCtLandmarks> ct;
  std::string ct_not_searched;
  std::vector<anatomy::CtLandmarkUse> ct_uses;
  const std::string missing = missing_landmark_role(contoured, user_side);
  if (args.no_ct_landmarks) ct_not_searched = "turned off (--no-ct-landmarks)";
  else if (missing.empty()) ct_not_searched = "not needed: every landmark role the guidelines read is contoured";
  else if (image == nullptr) ct_not_searched = "no image series is matched to the structure set (the CT is needed to find " + missing + ")";
  else {
    ct = find_case_ct_landmarks(*image);
    for (const auto& w : ct->warnings) ctx.warnings.push_back(w);
    if (!ct->found) {
      ctx.warnings.push_back(fmt::format("landmarks not found in the CT: {}", ct->error));
    } else {
      for (const auto& why : ct->found->not_found) ctx.warnings.push_back("landmarks from the CT: " + why);
      anatomy::CtSupplement sup = anatomy::add_ct_landmarks(std::move(contoured), anatomy::ct_landmark_structures(*ct->found),
                                                            !args.no_estimated_landmarks);
      contoured = std::move(sup.map);
      ct_uses = std::move(sup.uses);
      std::size_t used = 0, estimated = 0;
      for (const auto& u : ct_uses) {
        used += u.used ? 1 : 0;
        estimated += u.used && u.provenance.origin == anatomy::Origin::Estimated ? 1 : 0;
      }
      spdlog::info("landmarks from the CT: {} of {} found structure(s) used ({} estimated); contours win", used, ct_uses.size(), estimated);
    }
  }
  const anatomy::StructureMap structures = std::move(contoured);
  audit::AuditOptions options;
  options.treated_side = user_side;
  const audit::AuditResult result = audit::run_audit(structures, roles, selected, options);
  ctx.options = options;
  ctx.structures = &structures;

  // ---- Heart (pure, on what the edge found: plan, dose, model, facts).
  const CaseDose case_dose = load_case_dose(scan, set, args.dose_files, args.no_dose);
  for (const auto& w : case_dose.warnings) ctx.warnings.push_back(w);
  const std::optional<anatomy::Side> treated = result.landmarks.treated.side;
  const anatomy::StructureMap heart_map = treated ? anatomy::resolve_relative_sides(structures, *treated) : structures;
  heart::HeartInputs hin;
  hin.structures = &heart_map;
  hin.treated_side = treated;
  hin.dose = case_dose.dose ? &*case_dose.dose : nullptr;
  hin.dose_description = case_dose.dose_description;
  hin.plan = case_dose.plan ? &*case_dose.plan : nullptr;
  hin.patient_position = case_dose.patient_position;
  hin.model = heart_model ? &*heart_model : nullptr;
  hin.model_file = args.heart_model;
  hin.constraints = constraints.error.empty() ? &constraints.sets : nullptr;
  hin.risk_model = risk_model.model ? &*risk_model.model : nullptr;
  hin.facts = facts;
  hin.interpolate_planes = args.interpolate_planes;
  const heart::HeartAssessment heart_result = heart::assess_heart(hin);

  // ---- Geographic miss (pure, on the points, atlas and risk files the edge reads here).
  miss::ClassifyOptions miss_options;
  miss_options.marginal_margin_mm = args.marginal_mm;
  miss_options.dose.high_level_pct = args.isodose_pct;
  miss_options.dose.low_level_pct = args.low_isodose_pct;
  miss_options.dose.in_field_share_pct = args.in_field_share_pct;
  miss_options.dose.marginal_share_pct = args.marginal_share_pct;
  // The rule and atlas data outlive the assessment, which points into them (imaging steps).
  std::optional<miss::AtlasParameters> atlas;
  std::vector<miss::AtlasNode> nodes;
  std::optional<miss::ImnRiskModel> risk;
  std::optional<miss::ImagingTable> imaging;
  std::optional<miss::GuidelineFitRules> fit;
  const miss::MissAssessment miss_result = [&] {
    miss::MissInputs min;
    const std::string patient_id = ctx.input.structure_set.patient_id;
    const CasePoints points = load_case_points(scan, args.case_dir, args.recurrence_files, set.frame_of_reference_uid, patient_id, followups);
    for (const auto& w : points.warnings) ctx.warnings.push_back("recurrences: " + w);
    min.points = points.points;
    const anatomy::BoundStructure* clinical = nullptr;
    for (const auto& [key, b] : heart_map) {
      if (b.roi_number == result.clinical_roi_number && result.clinical_roi_number != 0) clinical = &b;
    }
    min.ctvs.push_back({"clinical", clinical ? anatomy::roi_label(*clinical) : std::string("clinical CTVn_IMN"), "",
                        clinical ? &clinical->structure : nullptr, clinical ? "" : "no CTVn_IMN bound"});
    for (const auto& g : result.guidelines) {
      std::string why;
      for (const auto& r : g.reference.not_evaluable) why += (why.empty() ? "" : "; ") + r;
      min.ctvs.push_back({g.guideline_id, fmt::format("{} reference {}", g.guideline_id, g.reference.name), g.guideline_id,
                          g.reference.structure ? &*g.reference.structure : nullptr, why});
      min.audited_guidelines.push_back(g.guideline_id);
    }
    min.landmarks = &result.landmarks;
    if (treated) {
      if (const auto* vein = anatomy::find_structure(heart_map, "im_vein", *treated)) min.im_vein = &vein->structure;
    }
    min.dose = case_dose.dose ? &*case_dose.dose : nullptr;
    min.prescription_gy = case_dose.plan ? case_dose.plan->prescription_gy : 0.0;
    min.classify = miss_options;
    min.facts = facts;
    {
      const miss::AtlasParametersLoad a = miss::load_atlas_parameters(data_path("atlases/imn-nodes/parameters.xml").string());
      std::ifstream in(data_path("atlases/imn-nodes/nodes.csv"), std::ios::binary);
      const bool ok = static_cast<bool>(in);
      const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      const miss::AtlasRead read = miss::parse_atlas_csv(text);
      if (!a.parameters) ctx.warnings.push_back("node atlas not used: " + a.error);
      else if (!ok || read.nodes.empty()) ctx.warnings.push_back("node atlas not used: atlases/imn-nodes/nodes.csv cannot be read");
      else {
        atlas = a.parameters;
        nodes = read.nodes;
        min.atlas = &*atlas;
        min.atlas_nodes = &nodes;
      }
      for (const auto& p : read.problems) ctx.warnings.push_back("atlases/imn-nodes/nodes.csv: " + p);
    }
    if (auto r = miss::load_imn_risk(data_path("rules/imn-risk.xml").string()); r.model) risk = r.model, min.risk_model = &*risk;
    else ctx.warnings.push_back("IMN involvement not estimated: " + r.error);
    if (auto r = miss::load_imaging(data_path("rules/imaging.xml").string()); r.table) imaging = r.table, min.imaging = &*imaging;
    else ctx.warnings.push_back("imaging update not available: " + r.error);
    if (auto r = miss::load_guideline_fit(data_path("rules/guideline-fit.xml").string()); r.rules) fit = r.rules, min.fit_rules = &*fit;
    else ctx.warnings.push_back("guideline fit not evaluated: " + r.error);
    miss::MissAssessment m = miss::assess_miss(min);
    m.notes.insert(m.notes.begin(), points.notes.begin(), points.notes.end());
    for (const auto& src : points.sources) m.notes.insert(m.notes.begin(), "points read: " + src);
    return m;
  }();

  // ---- Output.
  const auto out = prepare_output_dir(args.out);
  if (!out.ok()) {
    spdlog::error("{}", out.error);
    return 1;
  }
  std::string dicom_date, dicom_time;
  ctx.generated = local_timestamp(&dicom_date, &dicom_time);

  int status = 0;
  if (args.export_rtstruct) {
    report::ExportInfo info;
    std::vector<dicom::NewRoi> rois;
    std::vector<std::size_t> roi_guideline;  // index into result.guidelines
    std::string key = set.sop_instance_uid + "/rtaudit-references";
    for (std::size_t i = 0; i < result.guidelines.size(); ++i) {
      const audit::GuidelineAudit& g = result.guidelines[i];
      const guideline::ReferenceCtv& ref = g.reference;
      if (!ref.evaluable()) {
        std::string reasons;
        for (const auto& r : ref.not_evaluable) reasons += (reasons.empty() ? "" : "; ") + r;
        info.skipped.push_back(fmt::format("{}: reference CTV not evaluable ({})", g.guideline_id, reasons.empty() ? "no reason given" : reasons));
        continue;
      }
      key += fmt::format("/{}@{}", g.guideline_id, g.guideline_version);
      dicom::NewRoi roi;
      roi.name = ref.roi_name.empty() ? fmt::format("REF_{}_{}", g.guideline_id, ref.name) : ref.roi_name;
      roi.interpreted_type = "CTV";
      roi.colour = kPalette[i % kPalette.size()];
      roi.generation_algorithm = "AUTOMATIC";
      roi.description = fmt::format("rtaudit {} reference {} of {} ({} v{}){}", version(), ref.name, g.guideline_title,
                                    g.guideline_id, g.guideline_version,
                                    g.status == guideline::Status::Provisional ? ", provisional" : "");
      roi.structure = *ref.structure;
      rois.push_back(std::move(roi));
      roi_guideline.push_back(i);
    }
    if (rois.empty()) {
      info.skipped.push_back("no evaluable reference CTV: nothing exported");
    } else {
      dicom::ExportOptions eo;
      eo.sop_instance_uid = make_uid(key + "/sop");
      eo.series_instance_uid = make_uid(key + "/series");
      eo.structure_set_label = "RTAUDIT";
      eo.series_description = "rtaudit reference CTVs";
      eo.date = dicom_date;
      eo.time = dicom_time;
      if (image != nullptr) {
        for (const auto& s : image->slices) eo.referenced_slices.push_back({fs::path(s.file), s.sop_instance_uid, s.position});
      }
      const fs::path destination = out.path / kExportFile;
      const dicom::ExportResult r = dicom::export_rtstruct_with_rois(set.file, destination, rois, eo);
      if (!r.ok()) {
        info.error = r.error;
        spdlog::error("export of the reference CTVs failed: {}", r.error);
        status = 1;
      } else {
        info.file = kExportFile;
        info.sop_instance_uid = eo.sop_instance_uid;
        info.series_instance_uid = eo.series_instance_uid;
        for (std::size_t k = 0; k < rois.size() && k < r.roi_numbers.size(); ++k) {
          if (r.roi_numbers[k] == 0) continue;
          info.rois.push_back({r.roi_numbers[k], rois[k].name, result.guidelines[roi_guideline[k]].guideline_id, rois[k].colour});
        }
        info.warnings = r.warnings;
      }
    }
    ctx.exported_rtstruct = std::move(info);
  }

  nlohmann::ordered_json doc = report::audit_to_json(result, ctx);
  doc["heart"] = report::heart_to_json(heart_result);
  doc["heart"]["plan"] = case_dose.plan ? nlohmann::ordered_json(case_dose.plan_file) : nlohmann::ordered_json(nullptr);
  doc["heart"]["dose_files"] = case_dose.dose_files;
  doc["miss"] = report::miss_to_json(miss_result, miss_options);
  doc["ct_landmarks"] = ct_landmarks_report_json(ct ? &*ct : nullptr, ct_not_searched, ct_uses, !args.no_estimated_landmarks);
  {
    // Where and by whom: the RTPLAN the dose came from, else the audited structure set.
    const ObjectInfo* site = nullptr;
    for (const auto& o : scan.inventory.objects) {
      if (case_dose.plan && o.sop_instance_uid == case_dose.plan->sop_instance_uid && o.kind == ObjectKind::RTPLAN) site = &o;
    }
    for (const auto& o : scan.inventory.objects) {
      if (site == nullptr && o.sop_instance_uid == set.sop_instance_uid) site = &o;
    }
    doc["case"]["site"] = site ? report::site_json(*site, relative_to(scan.root, site->file)) : nlohmann::ordered_json(nullptr);
    doc["case"]["plan"] = case_dose.plan ? nlohmann::ordered_json{{"file", case_dose.plan_file},
                                                                  {"label", case_dose.plan->label},
                                                                  {"date", case_dose.plan->date},
                                                                  {"time", case_dose.plan->time},
                                                                  {"prescription_gy", case_dose.plan->prescription_gy},
                                                                  {"fractions", case_dose.plan->fractions}}
                                         : nlohmann::ordered_json(nullptr);
  }
  doc["outputs"] = {{"json", kReportFile}, {"html", kHtmlFile}, {"csv", kCsvFile}};
  if (!pseudonym_key.empty()) {
    // Every ID and name of every object in the case folder, not only the audited structure set's.
    std::vector<std::string> ids, patient_names;
    for (const auto& o : scan.inventory.objects) ids.push_back(o.patient_id), patient_names.push_back(o.patient_name);
    const std::string p = report::pseudonym(pseudonym_key, ctx.input.structure_set.patient_id);
    const std::size_t n = report::pseudonymize(doc, report::identifiers_to_scrub(ids, patient_names), p);
    spdlog::debug("pseudonymised: {} string(s) rewritten", n);
  } else {
    doc["pseudonymized"] = false;
  }
  std::string error;
  if (!write_file_atomically(out.path / kReportFile, doc.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n", &error)) {
    spdlog::error("{}", error);
    return 1;
  }
  // The views a person reads are drawn from the document just written, so they cannot disagree with it.
  {
    std::vector<report::Figure> figures = report::anatomy_figures(report_layers(heart_map, result, treated), doc);
    for (auto& f : report::dose_figures(doc)) figures.push_back(std::move(f));
    if (!write_file_atomically(out.path / kHtmlFile, report::render_report_html(doc, figures), &error) ||
        !write_file_atomically(out.path / kCsvFile, report::summary_csv(doc), &error)) {
      spdlog::error("{}", error);
      return 1;
    }
  }
  if (!args.quiet) {
    fmt::print("{}", report::audit_to_text(result, ctx));
    if (!ct_uses.empty()) {
      std::vector<std::string> used;
      for (const auto& u : ct_uses) {
        if (u.used) used.push_back(u.provenance.origin == anatomy::Origin::Estimated ? u.name + " (ESTIMATED)" : u.name);
      }
      fmt::print("landmarks from the CT (not contoured): {}\n", used.empty() ? std::string("none used") : fmt::format("{}", fmt::join(used, ", ")));
    }
    fmt::print("{}", report::heart_to_text(heart_result));
    fmt::print("{}", report::miss_to_text(miss_result));
    fmt::print("report: {} ({}, {})\n", (out.path / kReportFile).string(), kHtmlFile, kCsvFile);
  }
  spdlog::debug("audit written: {} guideline(s), {} structure(s) bound", result.guidelines.size(), structures.size());
  return status;
}

}  // namespace rtaudit::cli
