#pragma once
// An RTSTRUCT as rtaudit sees it: the structure set's identity and every ROI keyed by ROI number
// (names are not unique in real files), each with the contours exactly as stored.

#include "rtaudit/case/diagnostic.hpp"
#include "rtaudit/geom/types.hpp"

#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rtaudit {

struct Roi {
  int number = 0;
  std::string name;                  ///< UTF-8, padding removed
  std::string interpreted_type;      ///< RTROIInterpretedType, e.g. PTV, ORGAN, EXTERNAL
  std::string generation_algorithm;  ///< ROIGenerationAlgorithm: AUTOMATIC, SEMIAUTOMATIC, MANUAL
  std::string frame_of_reference_uid;
  std::optional<std::array<int, 3>> colour;  ///< ROIDisplayColor (RGB)
  std::vector<geom::Contour> contours;        ///< every contour item as stored, any geometric type
  bool in_structure_set_roi = false;          ///< defined in StructureSetROISequence
  bool has_roi_contour = false;               ///< has an item in ROIContourSequence
  bool has_observation = false;               ///< has an item in RTROIObservationsSequence

  [[nodiscard]] std::size_t point_count() const {
    std::size_t n = 0;
    for (const auto& c : contours) n += c.points.size();
    return n;
  }
};

struct StructureSet {
  std::string file;
  std::string sop_instance_uid;
  std::string label;
  std::string name;
  std::string date;  ///< DICOM DA, as stored (YYYYMMDD)
  std::string time;  ///< DICOM TM, as stored
  std::string frame_of_reference_uid;  ///< the referenced frame of reference of the contours
  std::string referenced_series_uid;   ///< the image series the contours were drawn on, if stated
  std::map<int, Roi> rois;             ///< keyed by ROI number
  std::vector<Diagnostic> problems;
};

}  // namespace rtaudit
