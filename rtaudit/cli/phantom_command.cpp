#include "rtaudit/cli/commands.hpp"

#include "rtaudit/cli/output_dir.hpp"
#include "rtaudit/dicom/load.hpp"
#include "rtaudit/dicom/write_ct.hpp"
#include "rtaudit/dicom/write_rtdose.hpp"
#include "rtaudit/dicom/write_rtplan.hpp"
#include "rtaudit/dicom/write_rtstruct.hpp"
#include "rtaudit/geom/structure.hpp"
#include "rtaudit/phantom/atlas.hpp"
#include "rtaudit/phantom/clinical_size_ct.hpp"
#include "rtaudit/phantom/dose_model.hpp"
#include "rtaudit/phantom/heart_truth.hpp"
#include "rtaudit/phantom/phantom.hpp"
#include "rtaudit/phantom/plan_model.hpp"
#include "rtaudit/recurrence/points_file.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <fstream>
#include <optional>

namespace rtaudit::cli {
namespace {

namespace fs = std::filesystem;

// The structure made of the contours of every named ROI (overlaps on a plane are united).
std::optional<geom::Structure> structure_named(const StructureSet& set, std::initializer_list<std::string> names) {
  std::vector<geom::Contour> contours;
  for (const auto& [number, roi] : set.rois) {
    for (const auto& name : names) {
      if (roi.name == name) contours.insert(contours.end(), roi.contours.begin(), roi.contours.end());
    }
  }
  if (contours.empty()) return std::nullopt;
  return geom::build_structure(contours).structure;
}

bool write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

}  // namespace

int run_phantom(const PhantomArgs& args, bool verbose) {
  dicom::configure_dcmtk_logging(verbose);
  const auto started = std::chrono::steady_clock::now();
  if (!phantom::is_phantom_variant(args.variant)) {
    std::string known;
    for (auto v : phantom::phantom_variants()) known += (known.empty() ? "" : ", ") + std::string(v);
    spdlog::error("unknown variant '{}'; known: {}", args.variant, known);
    return 1;
  }
  const fs::path atlas_path = args.atlas.empty() ? data_path("atlases/phantom/thorax.xml") : fs::path(args.atlas);
  const auto atlas = phantom::load_thorax_atlas(atlas_path);
  if (!atlas) {
    spdlog::error("{}", atlas.error ? atlas.error->message() : std::string("cannot load the thorax atlas"));
    return 1;
  }
  phantom::PhantomOptions options;
  options.seed = args.seed;
  options.side = args.side == "right" ? phantom::Side::Right : phantom::Side::Left;
  options.variant = args.variant;
  options.contrast = args.contrast;
  options.hide_im_vessels = args.hide_im_vessels;
  if (!args.institution.empty()) options.institution = args.institution;
  if (!args.department.empty()) options.department = args.department;
  if (!args.planner.empty()) options.planner = args.planner;
  if (!args.date.empty()) options.date = args.date;
  phantom::PhantomCase pc = phantom::make_phantom(*atlas.atlas, options);
  if (args.clinical_ct) {
    // The same anatomy in a clinical-size CT (load tests of the node): the truth's CT grid follows it.
    pc.ct = phantom::clinical_size_ct(pc.ct, 512, 512, 150);
    auto& t = pc.truth["ct"];
    t["columns"] = pc.ct.columns;
    t["rows"] = pc.ct.rows;
    t["slices"] = pc.ct.slices;
    t["origin_mm"] = pc.ct.slice_positions.front();
    t["first_slice_z_mm"] = pc.ct.slice_positions.front()[2];
  }
  const auto side = pc.truth.value("side", std::string("left")) == "right" ? phantom::Side::Right : phantom::Side::Left;

  const auto out = prepare_output_dir(args.out);
  if (!out.ok()) {
    spdlog::error("{}", out.error);
    return 1;
  }
  const fs::path dir = out.path;

  // CT
  dicom::CtSeriesOptions ct_options;
  const auto& uids = pc.truth["uids"];
  ct_options.series_uid = uids["ct_series"].get<std::string>();
  ct_options.uid_key_prefix = ct_options.series_uid + "/ct";
  ct_options.series_description = options.contrast ? "Thorax phantom, contrast" : "Thorax phantom";
  ct_options.slice_thickness_mm = pc.truth["ct"].value("slice_mm", 2.5);
  if (options.contrast) ct_options.contrast_agent = "Iodinated contrast (synthetic)";
  fs::create_directories(dir / "CT");
  const auto ct = dicom::write_ct_series(dir / "CT", pc.identity, pc.ct, ct_options);
  if (!ct.ok()) {
    spdlog::error("CT: {}", ct.error);
    return 1;
  }

  // RTSTRUCT
  dicom::RtStructOptions rs_options;
  rs_options.series_uid = uids["rtstruct_series"].get<std::string>();
  rs_options.referenced_series_uid = ct_options.series_uid;
  rs_options.series_description = "Phantom structures";
  if (auto r = dicom::write_rtstruct(dir / "RS.dcm", pc.identity, pc.structures, ct.slices, rs_options); !r.ok()) {
    spdlog::error("RTSTRUCT: {}", r.error);
    return 1;
  }

  // RTPLAN and RTDOSE from the PTVs.
  const std::string suffix = side == phantom::Side::Right ? "_R" : "_L";
  const auto body = structure_named(pc.structures, {"External"});
  const auto breast_ptv = structure_named(pc.structures, {"PTV_Breast" + suffix});
  const auto nodal_ptv = structure_named(pc.structures, {"PTVn_L4" + suffix, "PTVn_IMN" + suffix});
  nlohmann::ordered_json plan_truth;
  if (body && breast_ptv) {
    phantom::PlanInputs in;
    in.side = side;
    in.breast_ptv = &*breast_ptv;
    in.nodal_ptv = nodal_ptv ? &*nodal_ptv : nullptr;
    in.body = &*body;
    in.sop_instance_uid = uids["rtplan"].get<std::string>();
    in.series_uid = uids["rtplan_series"].get<std::string>();
    in.date = options.date;
    in.time = options.time;
    in.referenced_structure_set_uid = pc.structures.sop_instance_uid;
    const Plan plan = phantom::make_breast_plan(in);
    if (auto r = dicom::write_rtplan(dir / "RP.dcm", pc.identity, plan); !r.ok()) {
      spdlog::error("RTPLAN: {}", r.error);
      return 1;
    }
    auto box = geom::bounding_box(*body);
    const phantom::DoseModel dose_model(plan, *body);
    DoseGrid dose = dose_model.grid(phantom::grid_covering(*box, 2.5));
    dose.referenced_plan_uid = plan.sop_instance_uid;
    dose.sop_instance_uid = uids["rtdose"].get<std::string>();
    dose.series_uid = uids["rtdose_series"].get<std::string>();
    dose.referenced_plan_uid = plan.sop_instance_uid;
    if (auto r = dicom::write_rtdose(dir / "RD.dcm", pc.identity, dose); !r.ok()) {
      spdlog::error("RTDOSE: {}", r.error);
      return 1;
    }
    // The heart's answers, from the continuous dose and the contours (independent of rtaudit's DVH).
    const auto heart = structure_named(pc.structures, {"Heart"});
    const auto lad = structure_named(pc.structures, {"A_LAD"});
    const auto lung = structure_named(pc.structures, {"Lung" + suffix});
    const auto ctvn_imn = structure_named(pc.structures, {"CTVn_IMN" + suffix});
    const auto ptvn_imn = structure_named(pc.structures, {"PTVn_IMN" + suffix});
    phantom::HeartTruthInputs ht;
    ht.plan = &plan;
    ht.dose = &dose_model;
    ht.heart = heart ? &*heart : nullptr;
    ht.lad = lad ? &*lad : nullptr;
    ht.lung_ipsilateral = lung ? &*lung : nullptr;
    ht.ctvn_imn = ctvn_imn ? &*ctvn_imn : nullptr;
    ht.ptv_breast = &*breast_ptv;
    ht.ptvn_imn = ptvn_imn ? &*ptvn_imn : nullptr;
    pc.truth["heart"] = phantom::heart_truth(ht);
    plan_truth["prescription_gy"] = plan.prescription_gy;
    plan_truth["fractions"] = plan.fractions;
    for (const Beam& b : plan.beams) {
      plan_truth["beams"].push_back({{"number", b.number}, {"name", b.name}, {"gantry_deg", b.gantry_deg},
                                     {"collimator_deg", b.collimator_deg},
                                     {"isocentre_mm", {b.isocentre_mm.x, b.isocentre_mm.y, b.isocentre_mm.z}},
                                     {"jaws_mm", {b.x1_mm, b.x2_mm, b.y1_mm, b.y2_mm}}});
    }
  } else {
    spdlog::warn("no External or PTV_Breast{} in the phantom; no plan or dose written", suffix);
  }

  // Recurrences and truth.
  std::vector<recurrence::PointRecord> points;
  for (const auto& r : pc.recurrences) {
    recurrence::PointRecord p;
    p.patient_id = pc.identity.patient_id;
    p.point_id = r.id;
    p.kind = r.kind;
    p.position_mm = r.position_mm;
    p.frame_of_reference_uid = pc.identity.frame_of_reference_uid;
    if (r.radius_mm > 0) p.radius_mm = r.radius_mm;
    p.date = options.date;
    p.site = r.site;
    p.modality = r.kind == "sentinel_node" ? "SPECT/CT" : "CT";
    points.push_back(std::move(p));
  }
  if (!write_text(dir / "recurrences.csv", recurrence::to_csv(points)) ||
      !write_text(dir / "recurrences.json", recurrence::to_json(points).dump(1) + "\n")) {
    spdlog::error("cannot write the recurrence files in {}", dir.string());
    return 1;
  }
  pc.truth["plan"] = plan_truth;
  pc.truth["files"] = {{"ct_dir", "CT"}, {"rtstruct", "RS.dcm"}, {"rtplan", "RP.dcm"}, {"rtdose", "RD.dcm"},
                       {"recurrences_csv", "recurrences.csv"}, {"recurrences_json", "recurrences.json"}};
  if (!write_text(dir / "truth.json", pc.truth.dump(1) + "\n")) {
    spdlog::error("cannot write truth.json in {}", dir.string());
    return 1;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  spdlog::info("phantom written to {} in {:.2f} s", dir.string(), seconds);
  if (!args.quiet) {
    fmt::print("phantom seed {} variant {} side {}: {} CT slices, {} ROIs, {} recurrence(s) -> {} ({:.2f} s)\n",
               options.seed, options.variant, side == phantom::Side::Right ? "right" : "left", ct.slices.size(),
               pc.structures.rois.size(), points.size(), dir.string(), seconds);
  }
  return 0;
}

}  // namespace rtaudit::cli
