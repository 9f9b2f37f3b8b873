// `rtaudit landmarks CASE_DIR --out DIR [--export-rtstruct]` (issue 8): the landmarks found in the
// case's planning CT (docs/landmarks-ct.md) as DIR/landmarks.json, and with --export-rtstruct as new
// ROIs (CT_Sternum, CT_Rib01_L..., CT_V_Mammary_L, CT_A_Mammary_L) in a copy of the structure set
// (DIR/RS_rtaudit_landmarks.dcm) so a planner can review them in the planning system.

#include "rtaudit/cli/commands.hpp"

#include "rtaudit/anatomy/ct_bone.hpp"
#include "rtaudit/case/uid.hpp"
#include "rtaudit/cli/output_dir.hpp"
#include "rtaudit/dicom/export_rtstruct.hpp"
#include "rtaudit/dicom/inspect.hpp"
#include "rtaudit/dicom/load.hpp"
#include "rtaudit/dicom/pixel_reader.hpp"
#include "rtaudit/geom/region_ops.hpp"
#include "rtaudit/report/json_values.hpp"
#include "rtaudit/version.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <filesystem>

namespace rtaudit::cli {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;
using report::json_values::num;


json ribs_json(const std::vector<anatomy::RibEnd>& ribs) {
  json a = json::array();
  for (const auto& r : ribs) {
    a.push_back({{"rib", r.rib}, {"cranial_z_mm", num(r.cranial_z_mm, 2)}, {"caudal_z_mm", num(r.caudal_z_mm, 2)}, {"slices", r.slices},
                 {"confidence", r.confidence}, {"note", r.note.empty() ? json(nullptr) : json(r.note)}, {"origin", "ct"}});
  }
  return a;
}

json ics_json(const std::vector<anatomy::RibEnd>& ribs) {
  json a = json::array();
  for (std::size_t i = 0; i + 1 < ribs.size(); ++i) {
    a.push_back({{"number", ribs[i].rib}, {"cranial_z_mm", num(ribs[i].caudal_z_mm)}, {"caudal_z_mm", num(ribs[i + 1].cranial_z_mm)},
                 {"height_mm", num(ribs[i].caudal_z_mm - ribs[i + 1].cranial_z_mm)}});
  }
  return a;
}

json vessel_json(const std::vector<anatomy::VesselPoint>& v) {
  json rows = json::array();
  for (const auto& p : v) rows.push_back({num(p.z_mm), num(p.x_mm), num(p.y_mm), std::string(anatomy::to_string(p.origin)), p.confidence});
  return {{"columns", {"z_mm", "x_mm", "y_mm", "origin", "confidence"}}, {"rows", rows}};
}

json vessels_json(const anatomy::ImVessels& v) {
  return {{"estimated", v.estimated}, {"found_share_pct", num(100 * v.found_share, 1)}, {"method", v.method},
          {"vein", vessel_json(v.vein)}, {"artery", vessel_json(v.artery)}};
}

std::array<int, 3> colour(const std::string& what) {
  if (what == "sternum") return {200, 200, 200};
  if (what == "rib") return {210, 180, 140};
  if (what == "vein") return {30, 80, 200};
  return {200, 30, 90};
}

}  // namespace

int run_landmarks(const LandmarksArgs& args, bool verbose) {
  dicom::configure_dcmtk_logging(verbose);
  const dicom::InspectReport scan = dicom::inspect(args.case_dir);
  // The CT: the one the newest structure set is matched to, else the first axial CT series.
  const dicom::InspectedStructureSet* set = nullptr;
  for (const auto& s : scan.structure_sets) {
    if (set == nullptr || s.set.date + s.set.time > set->set.date + set->set.time) set = &s;
  }
  const ImageSeries* series = nullptr;
  if (set != nullptr && set->series) series = &scan.series[*set->series];
  for (const auto& s : scan.series) {
    if (series == nullptr && s.modality == "CT" && s.axial) series = &s;
  }
  if (series == nullptr) {
    spdlog::error("no CT series below {}: landmarks need the planning CT", args.case_dir);
    return 2;
  }
  const ImageVolume ct = dicom::read_image_volume(*series);
  for (const auto& p : ct.problems) spdlog::warn("CT: {}", p.message);
  const anatomy::CtBoneLandmarks found = anatomy::find_bone_landmarks(ct);

  const auto out = prepare_output_dir(args.out);
  if (!out.ok()) {
    spdlog::error("{}", out.error);
    return 1;
  }
  json sternum = json::array();
  for (const auto& s : found.sternum)
    sternum.push_back({num(s.z_mm), num(s.left_x_mm), num(s.right_x_mm), num(s.ventral_y_mm), num(s.dorsal_y_mm), num(s.area_mm2, 1)});
  json doc{{"schema", "rtaudit-landmarks/1"},
           {"rtaudit_version", std::string(version())},
           {"ct", {{"series_uid", series->series_uid}, {"slices", ct.slices}, {"slice_spacing_mm", num(found.slice_spacing_mm, 3)}}},
           {"thorax", found.thorax},
           {"not_found", found.not_found},
           {"method", found.method},
           {"midline_x_mm", found.midline_x_mm ? num(*found.midline_x_mm) : json(nullptr)},
           {"sternum", {{"columns", {"z_mm", "left_x_mm", "right_x_mm", "ventral_y_mm", "dorsal_y_mm", "area_mm2"}}, {"rows", sternum}}},
           {"ribs", {{"left", ribs_json(found.ribs_left)}, {"right", ribs_json(found.ribs_right)}}},
           {"ics", {{"left", ics_json(found.ribs_left)}, {"right", ics_json(found.ribs_right)}}},
           {"im_vessels", {{"left", vessels_json(found.vessels_left)}, {"right", vessels_json(found.vessels_right)}}},
           {"provenance", "every landmark here was found in the CT (origin \"ct\"), interpolated between found slices, or estimated from the "
                          "published offset (origin \"estimated\"); a contoured structure always wins in an audit"}};
  int status = 0;
  if (args.export_rtstruct) {
    if (set == nullptr) {
      spdlog::error("--export-rtstruct: the case has no structure set to copy");
      status = 1;
    } else if (!found.thorax || found.sternum.empty()) {
      spdlog::error("--export-rtstruct: nothing to export ({})", found.not_found.empty() ? "no landmark" : found.not_found[0]);
      status = 1;
    } else {
      const double slab = found.slice_spacing_mm;
      std::vector<dicom::NewRoi> rois;
      const auto roi = [&](std::string name, const std::string& kind, std::string description) {
        dicom::NewRoi r;
        r.name = std::move(name);
        r.interpreted_type = "ORGAN";
        r.colour = colour(kind);
        r.description = std::move(description);
        r.structure.slab_mm = slab;
        rois.push_back(std::move(r));
        return &rois.back().structure;
      };
      {
        geom::Structure* s = roi("CT_Sternum", "sternum", fmt::format("rtaudit {}: sternum found in the CT (lateral edges and depth per slice)", version()));
        for (const auto& p : found.sternum) {
          s->planes.push_back({p.z_mm, geom::ops::box(p.right_x_mm, p.ventral_y_mm, p.left_x_mm, p.dorsal_y_mm), 0, {}});
        }
      }
      for (const int side : {+1, -1}) {
        const char* sfx = side > 0 ? "L" : "R";
        for (const auto& r : side > 0 ? found.ribs_left : found.ribs_right) {
          geom::Structure* s = roi(fmt::format("CT_Rib{:02d}_{}", r.rib, sfx), "rib",
                                   fmt::format("rtaudit {}: sternal end of rib {} found in the CT (its z-extent; 15 mm lateral of the sternal edge)", version(), r.rib));
          for (const auto& p : found.sternum) {
            if (p.z_mm > r.cranial_z_mm || p.z_mm < r.caudal_z_mm) continue;
            const double edge = side > 0 ? p.left_x_mm : p.right_x_mm, mid = (p.ventral_y_mm + p.dorsal_y_mm) / 2;
            s->planes.push_back({p.z_mm, geom::ops::box(std::min(edge, edge + side * 15), mid - 5, std::max(edge, edge + side * 15), mid + 5), 0, {}});
          }
        }
        const anatomy::ImVessels& v = side > 0 ? found.vessels_left : found.vessels_right;
        for (const auto& [vessel, points, radius] : {std::tuple{"V_Mammary", &v.vein, 2.0}, std::tuple{"A_Mammary", &v.artery, 1.5}}) {
          geom::Structure* s = roi(fmt::format("CT_{}_{}{}", vessel, sfx, v.estimated ? "_est" : ""), std::string(vessel) == "V_Mammary" ? "vein" : "artery",
                                   fmt::format("rtaudit {}: IM {} {} ({:.0f} % found in the CT)", version(), std::string(vessel) == "V_Mammary" ? "vein" : "artery",
                                               v.estimated ? "ESTIMATED at the published offset from the sternal edge" : "found in the CT", 100 * v.found_share));
          for (const auto& p : *points) s->planes.push_back({p.z_mm, geom::ops::ellipse(p.x_mm, p.y_mm, radius, radius, 24), 0, {}});
        }
      }
      for (auto& r : rois) {
        for (auto& p : r.structure.planes) p.area_mm2 = geom::ops::area(p.region);
      }
      dicom::ExportOptions eo;
      const std::string key = set->set.sop_instance_uid + "/rtaudit-landmarks/" + std::string(version());
      eo.sop_instance_uid = make_uid(key + "/sop");
      eo.series_instance_uid = make_uid(key + "/series");
      eo.structure_set_label = "RTAUDIT_LM";
      eo.series_description = "rtaudit landmarks found in the CT";
      local_timestamp(&eo.date, &eo.time);
      for (const auto& s : series->slices) eo.referenced_slices.push_back({fs::path(s.file), s.sop_instance_uid, s.position});
      const dicom::ExportResult r = dicom::export_rtstruct_with_rois(set->set.file, out.path / "RS_rtaudit_landmarks.dcm", rois, eo);
      if (!r.ok()) {
        spdlog::error("export failed: {}", r.error);
        doc["export"] = {{"error", r.error}};
        status = 1;
      } else {
        json names = json::array();
        for (std::size_t i = 0; i < rois.size() && i < r.roi_numbers.size(); ++i) {
          if (r.roi_numbers[i] != 0) names.push_back({{"roi_number", r.roi_numbers[i]}, {"roi_name", rois[i].name}});
        }
        doc["export"] = {{"file", "RS_rtaudit_landmarks.dcm"}, {"sop_instance_uid", eo.sop_instance_uid}, {"rois", names}, {"warnings", r.warnings}};
      }
    }
  }
  std::string error;
  if (!write_file_atomically(out.path / "landmarks.json", doc.dump(1) + "\n", &error)) {
    spdlog::error("{}", error);
    return 1;
  }
  if (!args.quiet) {
    fmt::print("thorax: {}; sternum on {} slice(s); ribs found: left {}, right {}; IM vein left {}, right {}\n", found.thorax ? "yes" : "no",
               found.sternum.size(), found.ribs_left.size(), found.ribs_right.size(), found.vessels_left.estimated ? "estimated" : "found",
               found.vessels_right.estimated ? "estimated" : "found");
    for (const auto& n : found.not_found) fmt::print("  {}\n", n);
    fmt::print("landmarks: {}\n", (out.path / "landmarks.json").string());
  }
  return status;
}

}  // namespace rtaudit::cli
