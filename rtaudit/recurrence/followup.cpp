#include "rtaudit/recurrence/followup.hpp"

#include "rtaudit/geom/structure.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <numbers>

namespace rtaudit::recurrence {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool matches(const std::string& name, const std::vector<std::string>& patterns) {
  const std::string n = lower(name);
  for (const std::string& p : patterns) {
    if (!p.empty() && n.find(lower(p)) != std::string::npos) return true;
  }
  return false;
}

/// A name like "REC_1", "Rec 2" or "REC3": a word "rec" alone or followed by digits. Kept apart from
/// the substring patterns because "rec" as a substring would take "Rectum" for a recurrence.
bool rec_numbered(const std::string& name) {
  const std::string n = lower(name);
  std::size_t i = 0;
  while (i < n.size()) {
    while (i < n.size() && !std::isalnum(static_cast<unsigned char>(n[i]))) ++i;
    std::size_t j = i;
    while (j < n.size() && std::isalpha(static_cast<unsigned char>(n[j]))) ++j;
    std::size_t k = j;
    while (k < n.size() && std::isdigit(static_cast<unsigned char>(n[k]))) ++k;
    const bool word_ends = k == n.size() || !std::isalnum(static_cast<unsigned char>(n[k]));
    if (n.compare(i, j - i, "rec") == 0 && j - i == 3 && word_ends) return true;
    i = std::max(k, i + 1);
  }
  return false;
}

/// The kind a point of this ROI is, or empty when neither its name nor its type says.
std::string point_kind(const Roi& roi, const FollowupOptions& o) {
  // Recurrence first: it is what the follow-up is read for, and a "recurrence in the SLN region"
  // is a recurrence.
  if (matches(roi.name, o.recurrence_name_patterns)) return "recurrence";
  if (matches(roi.name, o.suspicious_name_patterns)) return "suspicious_node";
  if (matches(roi.name, o.sentinel_name_patterns)) return "sentinel_node";
  if (rec_numbered(roi.name) || matches(roi.interpreted_type, o.recurrence_name_patterns) ||
      lower(roi.interpreted_type) == "gtv")
    return "recurrence";
  return {};
}

bool finite(const geom::Point3& p) { return std::isfinite(p.x) && std::isfinite(p.y) && std::isfinite(p.z); }

std::string roi_label(const Roi& roi) { return fmt::format("ROI {} '{}'", roi.number, roi.name); }

/// Only the file name: folders are often named after the patient, and sources end up in logs.
std::string file_name(const std::string& path) {
  return path.empty() ? std::string("structure set") : std::filesystem::path(path).filename().string();
}

}  // namespace

PointsRead points_from_structure_set(const StructureSet& set, const std::string& patient_id,
                                     const FollowupOptions& options) {
  PointsRead out;
  auto report = [&](Severity s, const Roi& roi, std::string message) {
    out.problems.push_back({s, set.file, roi_label(roi), std::move(message)});
  };
  const std::string file = file_name(set.file);

  for (const auto& [number, roi] : set.rois) {
    const std::string frame =
        roi.frame_of_reference_uid.empty() ? set.frame_of_reference_uid : roi.frame_of_reference_uid;
    // Said only for ROIs that give points: the frame of an unused ROI changes nothing.
    auto note_frame = [&] {
      if (frame != set.frame_of_reference_uid && !set.frame_of_reference_uid.empty())
        report(Severity::Info, roi, fmt::format("refers to frame {}, not the structure set's {}; its own frame is used",
                                                frame, set.frame_of_reference_uid));
    };
    PointRecord base;
    base.patient_id = patient_id;
    base.frame_of_reference_uid = frame;
    base.date = set.date;
    base.source = fmt::format("{} {}", file, roi_label(roi));

    std::vector<std::size_t> point_contours, closed_contours;
    for (std::size_t i = 0; i < roi.contours.size(); ++i) {
      if (roi.contours[i].type == geom::GeometricType::Point) point_contours.push_back(i);
      if (roi.contours[i].type == geom::GeometricType::ClosedPlanar) closed_contours.push_back(i);
    }
    const bool recurrence_name = matches(roi.name, options.recurrence_name_patterns);

    // A recurrence drawn as a volume: one point at its centroid.
    if (recurrence_name && !closed_contours.empty()) {
      if (frame.empty()) {
        report(Severity::Error, roi, "no frame of reference: a recurrence without a frame cannot be placed; not used");
        continue;
      }
      geom::BuildOptions bo;
      bo.plane_tolerance_mm = options.plane_tolerance_mm;
      const geom::StructureBuild built = geom::build_structure(roi.contours, bo);
      for (const geom::Issue& issue : built.issues) {
        if (issue.code == geom::IssueCode::NotClosedPlanar) continue;  // the POINTs, reported below
        if (!geom::drops_contour(issue.code)) continue;
        report(Severity::Warning, roi,
               fmt::format("contour {}: {} ({}); left out of the recurrence volume",
                           issue.contour ? fmt::format("{}", *issue.contour) : std::string("-"),
                           geom::to_string(issue.code), issue.detail));
      }
      const auto c = geom::centroid(built.structure);
      if (!c) {
        report(Severity::Warning, roi, "recurrence name, but its closed contours enclose no area; not used");
        continue;
      }
      note_frame();
      PointRecord p = base;
      p.point_id = roi.name.empty() ? fmt::format("ROI {}", roi.number) : roi.name;
      p.kind = "recurrence";
      p.position_mm = *c;
      if (const auto v = geom::volume_cc(built.structure)) {
        p.volume_cc = *v;
        p.radius_mm = std::cbrt(3 * *v * 1000 / (4 * std::numbers::pi));
      } else {
        report(Severity::Warning, roi,
               "a single plane and no slice spacing: the centroid is used, the volume and radius are unknown");
      }
      if (!point_contours.empty())
        report(Severity::Info, roi,
               fmt::format("{} POINT contour(s) beside the closed contours are not used; the volume's centroid is",
                           point_contours.size()));
      out.points.push_back(std::move(p));
      continue;
    }

    if (!point_contours.empty()) {
      if (roi.interpreted_type == "MARKER" || roi.interpreted_type == "ISOCENTER") {
        report(Severity::Info, roi, fmt::format("a {} point, not a recurrence; not used", roi.interpreted_type));
        continue;
      }
      const std::string kind = point_kind(roi, options);
      if (kind.empty()) {
        report(Severity::Info, roi,
               fmt::format("POINT ROI (type '{}') whose name says neither recurrence, sentinel nor suspicious node; "
                           "not used",
                           roi.interpreted_type));
        continue;
      }
      if (frame.empty()) {
        report(Severity::Error, roi, "no frame of reference: a point without a frame cannot be placed; not used");
        continue;
      }
      note_frame();
      std::size_t k = 0;
      for (const std::size_t ci : point_contours) {
        ++k;
        const geom::Contour& contour = roi.contours[ci];
        if (contour.points.empty() || !finite(contour.points[0])) {
          report(Severity::Warning, roi, fmt::format("POINT contour {} has no finite point; skipped", ci));
          continue;
        }
        if (contour.points.size() > 1)
          report(Severity::Warning, roi,
                 fmt::format("POINT contour {} has {} points; the first is used", ci, contour.points.size()));
        PointRecord p = base;
        p.point_id = roi.name.empty() ? fmt::format("ROI {}", roi.number) : roi.name;
        if (point_contours.size() > 1) p.point_id += fmt::format("#{}", k);
        p.kind = kind;
        p.position_mm = contour.points[0];
        p.source += point_contours.size() > 1 ? fmt::format(" point {}", k) : std::string();
        out.points.push_back(std::move(p));
      }
      continue;
    }

    if (recurrence_name) {
      report(Severity::Warning, roi,
             fmt::format("recurrence name, but no closed planar or POINT contour ({} contours); not used",
                         roi.contours.size()));
    } else {
      report(Severity::Info, roi, "neither a recurrence nor a point of interest; not used");
    }
  }
  return out;
}

FramedPoints to_planning_frame(std::vector<PointRecord> points, const std::string& planning_frame,
                               const std::vector<SpatialRegistration>& registrations) {
  FramedPoints out;
  for (PointRecord& p : points) {
    const std::string where = p.source.empty() ? fmt::format("point '{}'", p.point_id) : p.source;
    if (p.frame_of_reference_uid.empty()) {
      out.rejected.push_back({Severity::Error, {}, where,
                              fmt::format("point '{}' has no frame of reference; it cannot be placed in the planning "
                                          "frame {}; rejected",
                                          p.point_id, planning_frame)});
      continue;
    }
    if (p.frame_of_reference_uid == planning_frame) {
      out.points.push_back(std::move(p));
      continue;
    }
    const auto link = find_frame_link(registrations, p.frame_of_reference_uid, planning_frame);
    if (!link) {
      out.rejected.push_back(
          {Severity::Error, {}, where,
           fmt::format("point '{}' is in frame {}, not the planning frame {}, and no rigid registration links the two; "
                       "rejected (never moved silently)",
                       p.point_id, p.frame_of_reference_uid, planning_frame)});
      continue;
    }
    out.notes.push_back(fmt::format("{}: moved from frame {} by REG {} (file {})", p.point_id, p.frame_of_reference_uid,
                                    link->registration_sop_instance_uid, file_name(link->registration_file)));
    p.position_mm = rtaudit::apply(link->transform, p.position_mm);  // qualified: ADL would find std::apply
    p.source_frame_of_reference_uid = p.frame_of_reference_uid;
    p.frame_of_reference_uid = planning_frame;
    p.registration_sop_instance_uid = link->registration_sop_instance_uid;
    out.points.push_back(std::move(p));
  }
  return out;
}

}  // namespace rtaudit::recurrence
