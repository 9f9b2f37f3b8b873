#include "rtaudit/case/image_series.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace rtaudit {
namespace {

std::array<double, 3> cross(const std::array<double, 6>& o) {
  return {o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]};
}

bool close(const std::array<double, 6>& a, const std::array<double, 6>& b) {
  for (std::size_t i = 0; i < 6; ++i)
    if (std::abs(a[i] - b[i]) > 1e-4) return false;
  return true;
}

}  // namespace

double ImageSeries::typical_spacing_mm() const {
  if (slice_gaps_mm.empty()) return 0;
  std::map<long long, std::pair<int, double>> bins;
  for (double g : slice_gaps_mm) {
    auto& b = bins[std::llround(g * 100)];
    ++b.first;
    b.second += g;
  }
  auto best = std::max_element(bins.begin(), bins.end(),
                               [](const auto& l, const auto& r) { return l.second.first < r.second.first; });
  return best->second.second / best->second.first;
}

geom::Box3 ImageSeries::bounds() const {
  geom::Box3 box{{INFINITY, INFINITY, INFINITY}, {-INFINITY, -INFINITY, -INFINITY}};
  const std::array<double, 3> row{orientation[0], orientation[1], orientation[2]};
  const std::array<double, 3> col{orientation[3], orientation[4], orientation[5]};
  // Corners of the first and last slice, half a voxel beyond the outermost voxel centres.
  const double half_thick = slices.size() > 1 ? typical_spacing_mm() / 2 : slice_thickness_mm.value_or(0) / 2;
  for (const ImageSlice* s : {&slices.front(), &slices.back()}) {
    for (double i : {-0.5, columns - 0.5}) {
      for (double j : {-0.5, rows - 0.5}) {
        for (double k : {-half_thick, half_thick}) {
          double p[3];
          for (std::size_t a = 0; a < 3; ++a) {
            p[a] = s->position[a] + row[a] * i * pixel_spacing[1] + col[a] * j * pixel_spacing[0] + normal[a] * k;
          }
          box.min = {std::min(box.min.x, p[0]), std::min(box.min.y, p[1]), std::min(box.min.z, p[2])};
          box.max = {std::max(box.max.x, p[0]), std::max(box.max.y, p[1]), std::max(box.max.z, p[2])};
        }
      }
    }
  }
  return box;
}

std::vector<ImageSeries> build_image_series(const std::vector<ObjectInfo>& objects) {
  std::map<std::tuple<std::string, std::string>, std::vector<const ObjectInfo*>> groups;
  for (const auto& o : objects) {
    if (!o.image) continue;
    if (o.kind != ObjectKind::CT && o.kind != ObjectKind::MR && o.kind != ObjectKind::PT) continue;
    groups[{o.series_uid, o.frame_of_reference_uid}].push_back(&o);
  }
  std::vector<ImageSeries> out;
  for (auto& [key, members] : groups) {
    ImageSeries s;
    const ObjectInfo& first = *members.front();
    s.series_uid = first.series_uid;
    s.study_uid = first.study_uid;
    s.frame_of_reference_uid = first.frame_of_reference_uid;
    s.patient_id = first.patient_id;
    s.modality = first.modality;
    s.patient_position = first.patient_position;
    s.orientation = first.image->orientation;
    s.normal = cross(s.orientation);
    s.pixel_spacing = first.image->pixel_spacing;
    s.rows = first.image->rows;
    s.columns = first.image->columns;
    s.slice_thickness_mm = first.image->slice_thickness_mm;
    s.axial = std::abs(std::abs(s.normal[2]) - 1.0) < 1e-4;
    for (const ObjectInfo* o : members) {
      const ImagePlaneInfo& im = *o->image;
      if (!close(im.orientation, s.orientation) || im.rows != s.rows || im.columns != s.columns) {
        s.problems.push_back({Severity::Warning, o->file, "ImageOrientationPatient (0020,0037) / Rows / Columns",
                              "slice geometry differs from the rest of the series; slice left out"});
        continue;
      }
      if (std::abs(im.pixel_spacing[0] - s.pixel_spacing[0]) > 1e-4 ||
          std::abs(im.pixel_spacing[1] - s.pixel_spacing[1]) > 1e-4) {
        s.problems.push_back({Severity::Warning, o->file, "PixelSpacing (0028,0030)",
                              "pixel spacing differs from the rest of the series; slice left out"});
        continue;
      }
      ImageSlice slice;
      slice.file = o->file;
      slice.sop_instance_uid = o->sop_instance_uid;
      slice.position = im.position;
      slice.offset_mm = im.position[0] * s.normal[0] + im.position[1] * s.normal[1] + im.position[2] * s.normal[2];
      slice.rescale_slope = im.rescale_slope;
      slice.rescale_intercept = im.rescale_intercept;
      s.slices.push_back(std::move(slice));
    }
    if (s.slices.empty()) {
      out.push_back(std::move(s));
      continue;
    }
    std::stable_sort(s.slices.begin(), s.slices.end(),
                     [](const ImageSlice& a, const ImageSlice& b) { return a.offset_mm < b.offset_mm; });
    for (std::size_t i = 1; i < s.slices.size(); ++i) {
      const double gap = s.slices[i].offset_mm - s.slices[i - 1].offset_mm;
      if (gap < 1e-3) {
        s.problems.push_back({Severity::Warning, s.slices[i].file, "ImagePositionPatient (0020,0032)",
                              fmt::format("two slices at the same position ({:.3f} mm)", s.slices[i].offset_mm)});
      }
      s.slice_gaps_mm.push_back(gap);
    }
    if (!s.slice_gaps_mm.empty()) {
      const double g0 = s.slice_gaps_mm.front();
      const bool uniform = std::all_of(s.slice_gaps_mm.begin(), s.slice_gaps_mm.end(),
                                       [&](double g) { return std::abs(g - g0) <= 0.01; });
      if (uniform) s.uniform_spacing_mm = g0;
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace rtaudit
