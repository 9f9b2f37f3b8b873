#pragma once
// What `rtaudit inspect` reports: every object below a path, every image series' geometry and
// every structure set with its ROIs built into the exact plane model.

#include "rtaudit/case/image_series.hpp"
#include "rtaudit/case/object_groups.hpp"
#include "rtaudit/case/structure_set.hpp"
#include "rtaudit/dicom/scanner.hpp"
#include "rtaudit/geom/structure.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <vector>

namespace rtaudit::dicom {

struct InspectedRoi {
  geom::StructureBuild build;
  std::optional<double> volume_cc;
  geom::ContourPlanes stored;  ///< planes of the stored contours, any geometric type
};

struct InspectedStructureSet {
  std::size_t object = 0;  ///< index into Inventory::objects
  StructureSet set;
  std::map<int, InspectedRoi> rois;  ///< keyed by ROI number, as set.rois
  std::optional<std::size_t> series;  ///< index into InspectReport::series: the image series matched by frame of reference
};

struct InspectReport {
  std::filesystem::path root;
  Inventory inventory;
  std::vector<ImageSeries> series;
  std::vector<PatientGroup> groups;
  std::vector<InspectedStructureSet> structure_sets;

  /// True when at least one DICOM object was read.
  [[nodiscard]] bool usable() const { return !inventory.objects.empty(); }
};

[[nodiscard]] InspectReport inspect(const std::filesystem::path& root, const geom::BuildOptions& options = {});

}  // namespace rtaudit::dicom
