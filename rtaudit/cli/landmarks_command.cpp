// `rtaudit landmarks CASE_DIR --out DIR [--export-rtstruct]` (issue 8): the landmarks found in the
// case's planning CT (docs/landmarks-ct.md) as DIR/landmarks.json, and with --export-rtstruct as new
// ROIs (CT_Sternum, CT_Rib01_L..., CT_V_Mammary_L, CT_A_Mammary_L) in a copy of the structure set
// (DIR/RS_rtaudit_landmarks.dcm) so a planner can review them in the planning system.

#include "rtaudit/cli/commands.hpp"

#include "rtaudit/anatomy/ct_structures.hpp"
#include "rtaudit/case/uid.hpp"
#include "rtaudit/cli/ct_landmarks.hpp"
#include "rtaudit/cli/output_dir.hpp"
#include "rtaudit/dicom/export_rtstruct.hpp"
#include "rtaudit/dicom/inspect.hpp"
#include "rtaudit/dicom/load.hpp"
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

std::array<int, 3> colour(const std::string& kind) {
  if (kind == "sternum") return {200, 200, 200};
  if (kind == "rib") return {210, 180, 140};
  if (kind == "vein") return {30, 80, 200};
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
  const CaseCtLandmarks read = find_case_ct_landmarks(*series);
  for (const auto& w : read.warnings) spdlog::warn("{}", w);
  if (!read.found) {
    spdlog::error("{}", read.error);
    return 2;
  }
  const anatomy::CtBoneLandmarks& found = *read.found;

  const auto out = prepare_output_dir(args.out);
  if (!out.ok()) {
    spdlog::error("{}", out.error);
    return 1;
  }
  json doc{{"schema", "rtaudit-landmarks/1"},
           {"rtaudit_version", std::string(version())},
           {"ct", {{"series_uid", series->series_uid}, {"slices", read.slices}, {"slice_spacing_mm", report::json_values::num(found.slice_spacing_mm, 3)}}}};
  doc.update(found_landmarks_json(found, true));
  doc["provenance"] = "every landmark here was found in the CT (origin \"ct\"), interpolated between found slices, or estimated from the "
                      "published offset (origin \"estimated\"); a contoured structure always wins in an audit";
  int status = 0;
  if (args.export_rtstruct) {
    if (set == nullptr) {
      spdlog::error("--export-rtstruct: the case has no structure set to copy");
      status = 1;
    } else if (!found.thorax || found.sternum.empty()) {
      spdlog::error("--export-rtstruct: nothing to export ({})", found.not_found.empty() ? "no landmark" : found.not_found[0]);
      status = 1;
    } else {
      std::vector<dicom::NewRoi> rois;
      for (auto& f : anatomy::ct_landmark_structures(found)) {
        dicom::NewRoi r;
        r.name = f.name;
        r.interpreted_type = "ORGAN";
        r.colour = colour(f.kind);
        r.description = fmt::format("rtaudit {}: {}", version(), f.description);
        r.structure = std::move(f.structure);
        rois.push_back(std::move(r));
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
