#include "rtaudit/cli/case_points.hpp"

#include "rtaudit/dicom/reg_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

namespace rtaudit::cli {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool matches(const std::string& name, const std::vector<std::string>& patterns) {
  const std::string n = lower(name);
  return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) { return n.find(lower(p)) != std::string::npos; });
}

std::string read_text(const fs::path& p, bool* ok) {
  std::ifstream in(p, std::ios::binary);
  *ok = static_cast<bool>(in);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string diagnostic_text(const Diagnostic& d) {
  std::string s = d.file;
  if (!d.element.empty()) s += (s.empty() ? "" : " ") + d.element;
  return s.empty() ? d.message : s + ": " + d.message;
}

bool same_place(const recurrence::PointRecord& a, const recurrence::PointRecord& b) {
  return std::abs(a.position_mm.x - b.position_mm.x) < 1e-6 && std::abs(a.position_mm.y - b.position_mm.y) < 1e-6 &&
         std::abs(a.position_mm.z - b.position_mm.z) < 1e-6 && a.frame_of_reference_uid == b.frame_of_reference_uid;
}

}  // namespace

bool is_followup_structure_set(const StructureSet& set, const recurrence::FollowupOptions& options) {
  bool any_point = false;
  for (const auto& [number, roi] : set.rois) {
    const bool named = matches(roi.name, options.recurrence_name_patterns) || matches(roi.name, options.sentinel_name_patterns) ||
                       matches(roi.name, options.suspicious_name_patterns);
    const bool only_points = !roi.contours.empty() && std::all_of(roi.contours.begin(), roi.contours.end(), [](const geom::Contour& c) {
      return c.type == geom::GeometricType::Point;
    });
    if (named || only_points) any_point = true;
    else if (!roi.contours.empty()) return false;  // a structure of a plan (target, organ, body...)
  }
  return any_point;
}

CasePoints load_case_points(const dicom::InspectReport& scan, const std::string& case_dir, const std::vector<std::string>& files,
                            const std::string& planning_frame, const std::string& patient_id,
                            const std::vector<const StructureSet*>& followups) {
  CasePoints out;
  std::vector<recurrence::PointRecord> records;
  std::map<std::string, std::size_t> by_id;  // point_id -> index in records (duplicates across files)
  const auto add = [&](recurrence::PointRecord r) {
    if (!r.patient_id.empty() && !patient_id.empty() && r.patient_id != patient_id) {
      ++out.other_patients;
      return;
    }
    const auto it = by_id.find(r.point_id);
    if (it != by_id.end()) {
      if (same_place(records[it->second], r)) {
        out.notes.push_back(fmt::format("point {}: the same in {} and {}; counted once", r.point_id, records[it->second].source, r.source));
      } else {
        out.warnings.push_back(fmt::format("point {}: {} and {} disagree on its position or frame; the first is used",
                                           r.point_id, records[it->second].source, r.source));
      }
      return;
    }
    by_id[r.point_id] = records.size();
    records.push_back(std::move(r));
  };

  // Files: the user's, else the case folder's own recurrences.json / recurrences.csv.
  std::vector<fs::path> paths(files.begin(), files.end());
  if (paths.empty()) {
    for (const char* name : {"recurrences.json", "recurrences.csv"}) {
      std::error_code ec;
      const fs::path p = fs::path(case_dir) / name;
      if (fs::is_regular_file(p, ec)) paths.push_back(p);
    }
  }
  for (const fs::path& p : paths) {
    bool ok = false;
    const std::string text = read_text(p, &ok);
    if (!ok) {
      out.warnings.push_back(fmt::format("{}: cannot be read", p.filename().string()));
      continue;
    }
    const std::string ext = lower(p.extension().string());
    const recurrence::PointsRead read = ext == ".json" ? recurrence::parse_json(text, p.filename().string())
                                                       : recurrence::parse_csv(text, p.filename().string());
    for (const auto& d : read.problems) out.warnings.push_back(diagnostic_text(d));
    out.sources.push_back(fmt::format("{} ({} point(s))", p.filename().string(), read.points.size()));
    for (auto r : read.points) {
      if (r.source.empty()) r.source = p.filename().string();
      add(std::move(r));
    }
  }

  // Follow-up structure sets.
  for (const StructureSet* s : followups) {
    const recurrence::PointsRead read = recurrence::points_from_structure_set(*s, patient_id);
    for (const auto& d : read.problems) {
      if (d.severity == Severity::Info) out.notes.push_back(diagnostic_text(d));
      else out.warnings.push_back(diagnostic_text(d));
    }
    out.sources.push_back(fmt::format("{} ({} point(s), follow-up structure set)", fs::path(s->file).filename().string(), read.points.size()));
    for (auto r : read.points) add(std::move(r));
  }

  // Registrations of the folder, then every point into the planning frame.
  std::vector<SpatialRegistration> registrations;
  for (const auto& o : scan.inventory.objects) {
    if (o.kind != ObjectKind::REG) continue;
    std::vector<Diagnostic> problems;
    auto reg = dicom::read_spatial_registration(o.file, problems);
    for (const auto& d : problems) out.warnings.push_back(diagnostic_text(d));
    if (reg) registrations.push_back(std::move(*reg));
  }
  recurrence::FramedPoints framed = recurrence::to_planning_frame(std::move(records), planning_frame, registrations);
  for (const auto& d : framed.rejected) out.warnings.push_back(diagnostic_text(d));
  for (const auto& n : framed.notes) out.notes.push_back(n);
  for (const auto& r : framed.points) {
    miss::PointInput p;
    p.id = r.point_id;
    p.kind = r.kind;
    p.position_mm = r.position_mm;
    p.radius_mm = r.radius_mm;
    if (!p.radius_mm && r.volume_cc && *r.volume_cc > 0) p.radius_mm = miss::sphere_radius_mm(*r.volume_cc);
    p.site = r.site;
    p.modality = r.modality;
    p.date = r.date;
    p.source = r.source;
    if (!r.registration_sop_instance_uid.empty())
      p.registration = fmt::format("moved from frame {} by REG {}", r.source_frame_of_reference_uid, r.registration_sop_instance_uid);
    out.points.push_back(std::move(p));
  }
  if (out.other_patients > 0)
    out.notes.push_back(fmt::format("{} point(s) of other patients in the recurrence files ignored", out.other_patients));
  return out;
}

}  // namespace rtaudit::cli
