#include "rtaudit/dicom/inspect.hpp"

#include "rtaudit/dicom/rtstruct_reader.hpp"

#include <dcmtk/dcmdata/dcdatset.h>

#include <algorithm>
#include <cmath>

namespace rtaudit::dicom {
namespace {

// The series a structure set was drawn on: same frame of reference, the referenced series
// preferred. Only axial series give bounds and a fallback slab thickness.
std::optional<std::size_t> match_series(const std::vector<ImageSeries>& series, const StructureSet& ss) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < series.size(); ++i) {
    const ImageSeries& s = series[i];
    if (s.frame_of_reference_uid.empty() || s.frame_of_reference_uid != ss.frame_of_reference_uid) continue;
    if (s.slices.empty()) continue;
    if (s.series_uid == ss.referenced_series_uid) return i;
    if (!best || s.slices.size() > series[*best].slices.size()) best = i;
  }
  return best;
}

}  // namespace

InspectReport inspect(const std::filesystem::path& root, const geom::BuildOptions& options) {
  InspectReport report;
  report.root = root;
  std::vector<std::pair<std::size_t, StructureSet>> sets;
  std::size_t index = 0;
  report.inventory = scan(root, [&](const ObjectInfo& info, DcmDataset& ds) {
    if (info.kind == ObjectKind::RTSTRUCT) sets.emplace_back(index, read_structure_set(ds, info.file));
    ++index;
  });
  report.series = build_image_series(report.inventory.objects);
  report.groups = group_objects(report.inventory.objects);

  for (auto& [object, set] : sets) {
    InspectedStructureSet out;
    out.object = object;
    out.series = match_series(report.series, set);
    geom::BuildOptions opts = options;
    if (out.series && report.series[*out.series].axial) {
      const ImageSeries& image = report.series[*out.series];
      if (!opts.fallback_slab_mm) {
        const double spacing =
            image.slices.size() > 1 ? image.typical_spacing_mm() : image.slice_thickness_mm.value_or(0);
        if (spacing > 0) opts.fallback_slab_mm = spacing;
      }
      if (!opts.image_bounds) {
        // In z the image bounds only mean something when the series is complete and even; a
        // folder holding a few of the referenced slices must not flag every contour.
        geom::Box3 b = image.bounds();
        if (!(image.uniform_spacing_mm && image.slices.size() > 1)) {
          b.min.z = -INFINITY;
          b.max.z = INFINITY;
        }
        opts.image_bounds = b;
      }
    }
    for (const auto& [number, roi] : set.rois) {
      InspectedRoi r;
      r.build = geom::build_structure(roi.contours, opts);
      r.volume_cc = geom::volume_cc(r.build.structure);
      r.stored = geom::count_contour_planes(roi.contours, opts.plane_tolerance_mm);
      out.rois.emplace(number, std::move(r));
    }
    out.set = std::move(set);
    report.structure_sets.push_back(std::move(out));
  }
  return report;
}

}  // namespace rtaudit::dicom
