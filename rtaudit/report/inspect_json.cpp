#include "rtaudit/report/inspect_json.hpp"

#include "rtaudit/version.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <map>

namespace rtaudit::report {
namespace {

using json = nlohmann::ordered_json;
namespace fs = std::filesystem;

// Numbers rounded for output so the JSON is stable across platforms (1e-6 mm / cc is far below
// any clinical meaning and below DS precision).
double rounded(double v, int digits = 6) {
  const double scale = std::pow(10.0, digits);
  return std::round(v * scale) / scale;
}

json optional_number(const std::optional<double>& v) { return v ? json(rounded(*v)) : json(nullptr); }

std::string relative(const fs::path& root, const std::string& file) {
  std::error_code ec;
  if (fs::is_directory(root, ec)) {
    const fs::path rel = fs::path(file).lexically_relative(root);
    if (!rel.empty() && *rel.begin() != "..") return rel.generic_string();
  }
  return fs::path(file).filename().generic_string();
}

json diagnostic_json(const Diagnostic& d, const fs::path& root) {
  return json{{"severity", to_string(d.severity)},
              {"file", relative(root, d.file)},
              {"element", d.element},
              {"message", d.message}};
}

json roi_json(const Roi& roi, const dicom::InspectedRoi& ir) {
  std::map<std::string, std::size_t> types;
  for (const auto& c : roi.contours) ++types[std::string(geom::to_string(c.type))];
  json geometric_types = json::object();
  for (const auto& [k, v] : types) geometric_types[k] = v;

  const geom::Structure& s = ir.build.structure;
  json problems = json::array();
  for (const auto& issue : ir.build.issues) {
    problems.push_back({{"code", geom::to_string(issue.code)},
                        {"contour", issue.contour ? json(*issue.contour) : json(nullptr)},
                        {"contour_dropped", geom::drops_contour(issue.code)},
                        {"detail", issue.detail}});
  }
  json out{{"number", roi.number},
           {"name", roi.name},
           {"type", roi.interpreted_type},
           {"generation_algorithm", roi.generation_algorithm},
           {"colour", roi.colour ? json(*roi.colour) : json(nullptr)},
           {"frame_of_reference_uid", roi.frame_of_reference_uid},
           {"contours", roi.contours.size()},
           {"points", roi.point_count()},
           {"geometric_types", geometric_types},
           {"planes", ir.stored.planes},
           {"max_contours_per_plane", ir.stored.max_contours_per_plane},
           {"area_planes", s.planes.size()},
           {"contours_used", ir.build.contours_used},
           {"contours_dropped", ir.build.contours_dropped},
           {"slab_mm", s.slab_mm > 0 ? json(rounded(s.slab_mm)) : json(nullptr)},
           {"slab_from_image_spacing", s.slab_from_fallback},
           {"volume_cc", optional_number(ir.volume_cc)},
           {"z_min_mm", s.planes.empty() ? json(nullptr) : json(rounded(s.planes.front().z_mm))},
           {"z_max_mm", s.planes.empty() ? json(nullptr) : json(rounded(s.planes.back().z_mm))}};
  if (const auto box = geom::bounding_box(s)) {
    out["bounding_box_mm"] = {{"min", {rounded(box->min.x), rounded(box->min.y), rounded(box->min.z)}},
                              {"max", {rounded(box->max.x), rounded(box->max.y), rounded(box->max.z)}}};
  } else {
    out["bounding_box_mm"] = nullptr;
  }
  if (const auto c = geom::centroid(s)) {
    out["centroid_mm"] = {rounded(c->x), rounded(c->y), rounded(c->z)};
  } else {
    out["centroid_mm"] = nullptr;
  }
  out["problems"] = std::move(problems);
  return out;
}

json series_json(const ImageSeries& s, const fs::path& root) {
  json problems = json::array();
  for (const auto& d : s.problems) problems.push_back(diagnostic_json(d, root));
  double min_gap = 0, max_gap = 0;
  if (!s.slice_gaps_mm.empty()) {
    min_gap = *std::min_element(s.slice_gaps_mm.begin(), s.slice_gaps_mm.end());
    max_gap = *std::max_element(s.slice_gaps_mm.begin(), s.slice_gaps_mm.end());
  }
  json out{{"series_uid", s.series_uid},
           {"modality", s.modality},
           {"study_uid", s.study_uid},
           {"frame_of_reference_uid", s.frame_of_reference_uid},
           {"patient_position", s.patient_position},
           {"rows", s.rows},
           {"columns", s.columns},
           {"pixel_spacing_mm", {rounded(s.pixel_spacing[0]), rounded(s.pixel_spacing[1])}},
           {"orientation", s.orientation},
           {"axial", s.axial},
           {"slices", s.slices.size()},
           {"uniform_spacing_mm", optional_number(s.uniform_spacing_mm)},
           {"typical_spacing_mm", rounded(s.typical_spacing_mm())},
           {"min_gap_mm", rounded(min_gap)},
           {"max_gap_mm", rounded(max_gap)},
           {"slice_thickness_mm", optional_number(s.slice_thickness_mm)}};
  if (!s.slices.empty()) {
    out["first_position_mm"] = s.slices.front().position;
    out["last_position_mm"] = s.slices.back().position;
  }
  out["problems"] = std::move(problems);
  return out;
}

}  // namespace

json inspect_to_json(const dicom::InspectReport& report, const InspectViewOptions& options) {
  const auto& inv = report.inventory;
  std::map<std::size_t, const dicom::InspectedStructureSet*> sets;
  std::size_t problem_count = inv.problems.size();
  for (const auto& s : report.structure_sets) {
    sets[s.object] = &s;
    problem_count += s.set.problems.size();
  }

  json objects = json::array();
  for (std::size_t i = 0; i < inv.objects.size(); ++i) {
    const ObjectInfo& o = inv.objects[i];
    json obj{{"kind", to_string(o.kind)},
             {"file", relative(report.root, o.file)},
             {"modality", o.modality},
             {"sop_class_uid", o.sop_class_uid},
             {"sop_instance_uid", o.sop_instance_uid},
             {"transfer_syntax", o.transfer_syntax},
             {"has_file_meta", o.has_file_meta},
             {"patient_id", o.patient_id}};
    if (options.show_patient_names) obj["patient_name"] = o.patient_name;
    obj["study_uid"] = o.study_uid;
    obj["series_uid"] = o.series_uid;
    obj["frame_of_reference_uid"] = o.frame_of_reference_uid;
    obj["patient_position"] = o.patient_position;
    obj["manufacturer"] = o.manufacturer;
    if (auto it = sets.find(i); it != sets.end()) {
      const auto& iss = *it->second;
      const StructureSet& ss = iss.set;
      obj["structure_set"] = {{"label", ss.label},
                              {"name", ss.name},
                              {"date", ss.date},
                              {"time", ss.time},
                              {"frame_of_reference_uid", ss.frame_of_reference_uid},
                              {"referenced_series_uid", ss.referenced_series_uid},
                              {"matched_image_series",
                               iss.series ? json(report.series[*iss.series].series_uid) : json(nullptr)}};
      json rois = json::array();
      for (const auto& [number, roi] : ss.rois) rois.push_back(roi_json(roi, iss.rois.at(number)));
      obj["rois"] = std::move(rois);
      json problems = json::array();
      for (const auto& d : ss.problems) problems.push_back(diagnostic_json(d, report.root));
      obj["problems"] = std::move(problems);
    }
    objects.push_back(std::move(obj));
  }

  json series = json::array();
  for (const auto& s : report.series) series.push_back(series_json(s, report.root));

  json groups = json::array();
  for (const auto& p : report.groups) {
    json studies = json::array();
    for (const auto& st : p.studies) {
      json frames = json::array();
      for (const auto& f : st.frames) frames.push_back({{"frame_of_reference_uid", f.frame_of_reference_uid}, {"objects", f.objects}});
      studies.push_back({{"study_uid", st.study_uid}, {"frames", std::move(frames)}});
    }
    groups.push_back({{"patient_id", p.patient_id}, {"studies", std::move(studies)}});
  }

  json problems = json::array();
  std::size_t skipped = 0;
  for (const auto& d : inv.problems) {
    problems.push_back(diagnostic_json(d, report.root));
    if (d.message.rfind("skipped:", 0) == 0) ++skipped;
  }

  return json{{"schema", "rtaudit-inspect"},
              {"schema_version", 1},
              {"rtaudit_version", std::string(version())},
              {"root", report.root.generic_string()},
              {"summary",
               {{"files_seen", inv.files_seen},
                {"objects", inv.objects.size()},
                {"files_skipped", skipped},
                {"structure_sets", report.structure_sets.size()},
                {"image_series", report.series.size()},
                {"problems", problem_count}}},
              {"objects", std::move(objects)},
              {"image_series", std::move(series)},
              {"groups", std::move(groups)},
              {"problems", std::move(problems)}};
}

std::string inspect_to_text(const dicom::InspectReport& report, const InspectViewOptions& options) {
  std::string out;
  const auto& inv = report.inventory;
  out += fmt::format("{} file(s) seen, {} DICOM object(s) read, {} image series, {} structure set(s)\n",
                     inv.files_seen, inv.objects.size(), report.series.size(), report.structure_sets.size());
  for (const auto& p : report.groups) {
    out += fmt::format("\npatient {}\n", p.patient_id.empty() ? "(no ID)" : p.patient_id);
    for (const auto& st : p.studies) {
      out += fmt::format("  study {}\n", st.study_uid);
      for (const auto& f : st.frames) {
        out += fmt::format("    frame of reference {}\n", f.frame_of_reference_uid.empty() ? "(none)" : f.frame_of_reference_uid);
        for (std::size_t idx : f.objects) {
          const ObjectInfo& o = inv.objects[idx];
          out += fmt::format("      {:<8} {}{}\n", to_string(o.kind), relative(report.root, o.file),
                             options.show_patient_names && !o.patient_name.empty() ? "  [" + o.patient_name + "]" : "");
        }
      }
    }
  }
  for (const auto& s : report.series) {
    out += fmt::format("\n{} series {}: {} x {} x {} slices, pixel {:.3f} x {:.3f} mm, spacing {}, position {}\n",
                       s.modality, s.series_uid, s.columns, s.rows, s.slices.size(), s.pixel_spacing[1],
                       s.pixel_spacing[0],
                       s.slices.size() < 2    ? std::string("n/a (single slice)")
                       : s.uniform_spacing_mm ? fmt::format("{:.3f} mm uniform", *s.uniform_spacing_mm)
                                              : fmt::format("non-uniform (typical {:.3f} mm)", s.typical_spacing_mm()),
                       s.patient_position.empty() ? "?" : s.patient_position);
  }
  for (const auto& iss : report.structure_sets) {
    const StructureSet& ss = iss.set;
    out += fmt::format("\nRTSTRUCT {} (label '{}', date {})\n", relative(report.root, ss.file), ss.label, ss.date);
    out += fmt::format("  {:>4}  {:<24} {:<10} {:>8} {:>8} {:>6} {:>12} {:>20}  {}\n", "ROI", "name", "type",
                       "contours", "points", "planes", "volume cc", "z range mm", "problems");
    for (const auto& [number, roi] : ss.rois) {
      const auto& ir = iss.rois.at(number);
      const auto& s = ir.build.structure;
      const std::string z = s.planes.empty() ? "-" : fmt::format("{:.1f}..{:.1f}", s.planes.front().z_mm, s.planes.back().z_mm);
      std::string problems;
      for (const auto& issue : ir.build.issues) {
        if (!problems.empty()) problems += "; ";
        problems += std::string(geom::to_string(issue.code));
        if (issue.contour) problems += fmt::format(" (contour {})", *issue.contour);
      }
      out += fmt::format("  {:>4}  {:<24} {:<10} {:>8} {:>8} {:>6} {:>12} {:>20}  {}\n", number, roi.name,
                         roi.interpreted_type, roi.contours.size(), roi.point_count(), s.planes.size(),
                         ir.volume_cc ? fmt::format("{:.3f}", *ir.volume_cc) : "-", z, problems);
    }
    for (const auto& d : ss.problems) out += fmt::format("  {}: {} {}\n", to_string(d.severity), d.element, d.message);
  }
  if (!inv.problems.empty()) {
    out += "\nfiles:\n";
    for (const auto& d : inv.problems) {
      out += fmt::format("  {}: {} {}{}\n", to_string(d.severity), relative(report.root, d.file), d.element.empty() ? "" : d.element + " ", d.message);
    }
  }
  return out;
}

}  // namespace rtaudit::report
