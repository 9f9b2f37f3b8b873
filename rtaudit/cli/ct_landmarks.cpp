#include "rtaudit/cli/ct_landmarks.hpp"

#include "rtaudit/dicom/pixel_reader.hpp"
#include "rtaudit/report/json_values.hpp"

#include <fmt/format.h>

namespace rtaudit::cli {
namespace {

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

json vessel_json(const std::vector<anatomy::VesselPoint>& v, bool points) {
  std::size_t ct = 0, interpolated = 0, estimated = 0;
  json rows = json::array();
  for (const auto& p : v) {
    (p.origin == anatomy::VesselPoint::Origin::Ct ? ct : p.origin == anatomy::VesselPoint::Origin::Interpolated ? interpolated : estimated) += 1;
    if (points) rows.push_back({num(p.z_mm), num(p.x_mm), num(p.y_mm), std::string(anatomy::to_string(p.origin)), p.confidence});
  }
  json j{{"slices", v.size()}, {"slices_ct", ct}, {"slices_interpolated", interpolated}, {"slices_estimated", estimated},
         {"radius_mm", v.empty() ? json(nullptr) : num(v.front().radius_mm, 2)}};
  if (points) j["centreline"] = {{"columns", {"z_mm", "x_mm", "y_mm", "origin", "confidence"}}, {"rows", rows}};
  return j;
}

json vessels_json(const anatomy::ImVessels& v, bool points) {
  return {{"estimated", v.estimated}, {"found_share_pct", num(100 * v.found_share, 1)}, {"method", v.method},
          {"vein", vessel_json(v.vein, points)}, {"artery", vessel_json(v.artery, points)}};
}

}  // namespace

CaseCtLandmarks find_case_ct_landmarks(const ImageSeries& series) {
  CaseCtLandmarks out;
  out.series_uid = series.series_uid;
  if (series.modality != "CT") {
    out.error = fmt::format("the image series is {}, not CT: landmarks are found in a CT only", series.modality.empty() ? "of no modality" : series.modality);
    return out;
  }
  const ImageVolume ct = dicom::read_image_volume(series);
  for (const auto& p : ct.problems) out.warnings.push_back("CT: " + p.message);
  out.slices = ct.slices;
  if (ct.slices == 0 || ct.values.empty()) {
    out.error = "the CT's pixel data could not be read" + (ct.problems.empty() ? std::string() : ": " + ct.problems.front().message);
    return out;
  }
  out.found = anatomy::find_bone_landmarks(ct);
  return out;
}

json found_landmarks_json(const anatomy::CtBoneLandmarks& found, bool points) {
  json j{{"thorax", found.thorax},
         {"not_found", found.not_found},
         {"method", found.method},
         {"slice_spacing_mm", num(found.slice_spacing_mm, 3)},
         {"midline_x_mm", found.midline_x_mm ? num(*found.midline_x_mm) : json(nullptr)}};
  json sternum{{"slices", found.sternum.size()},
               {"z_min_mm", found.sternum.empty() ? json(nullptr) : num(found.sternum.front().z_mm)},
               {"z_max_mm", found.sternum.empty() ? json(nullptr) : num(found.sternum.back().z_mm)}};
  if (points) {
    json rows = json::array();
    for (const auto& s : found.sternum)
      rows.push_back({num(s.z_mm), num(s.left_x_mm), num(s.right_x_mm), num(s.ventral_y_mm), num(s.dorsal_y_mm), num(s.area_mm2, 1)});
    sternum["columns"] = {"z_mm", "left_x_mm", "right_x_mm", "ventral_y_mm", "dorsal_y_mm", "area_mm2"};
    sternum["rows"] = rows;
  }
  j["sternum"] = sternum;
  j["ribs"] = {{"left", ribs_json(found.ribs_left)}, {"right", ribs_json(found.ribs_right)}};
  j["ics"] = {{"left", ics_json(found.ribs_left)}, {"right", ics_json(found.ribs_right)}};
  j["im_vessels"] = {{"left", vessels_json(found.vessels_left, points)}, {"right", vessels_json(found.vessels_right, points)}};
  return j;
}

json ct_landmarks_report_json(const CaseCtLandmarks* searched, const std::string& not_searched,
                              const std::vector<anatomy::CtLandmarkUse>& uses, bool estimates_used) {
  json structures = json::array();
  bool any = false;
  for (const auto& u : uses) {
    any = any || u.used;
    structures.push_back({{"name", u.name},
                          {"role", u.key.role},
                          {"side", u.key.side == anatomy::Side::None ? json(nullptr) : json(anatomy::to_string(u.key.side))},
                          {"origin", anatomy::to_string(u.provenance.origin)},
                          {"confidence", num(u.provenance.confidence, 2)},
                          {"used", u.used},
                          {"why_not_used", u.used ? json(nullptr) : json(u.why)}});
  }
  json j{{"searched", searched != nullptr},
         {"not_searched_reason", searched != nullptr ? json(nullptr) : json(not_searched)},
         {"estimates_used", estimates_used},
         {"used", any},
         {"rule", "a contoured structure always wins; a landmark found in the CT stands in only for a role no ROI is bound to, and "
                  "every landmark, check and guideline result says what it was built on (landmark_basis: contour, ct or estimated)"}};
  if (searched != nullptr) {
    j["series_uid"] = searched->series_uid;
    j["error"] = searched->error.empty() ? json(nullptr) : json(searched->error);
    j["found"] = searched->found ? found_landmarks_json(*searched->found, false) : json(nullptr);
  }
  j["structures"] = std::move(structures);
  return j;
}

}  // namespace rtaudit::cli
