#include "rtaudit/dicom/rtstruct_reader.hpp"

#include "rtaudit/dicom/elements.hpp"

#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcelem.h>
#include <dcmtk/dcmdata/dcsequen.h>

#include <fmt/format.h>

#include <map>
#include <optional>

namespace rtaudit::dicom {
namespace {

class Reader {
 public:
  Reader(DcmDataset& ds, const std::string& file) : ds_(ds) { ss_.file = file; }

  StructureSet read() {
    ss_.sop_instance_uid = get_string(ds_, DCM_SOPInstanceUID);
    ss_.label = get_string(ds_, DCM_StructureSetLabel);
    ss_.name = get_string(ds_, DCM_StructureSetName);
    ss_.date = get_string(ds_, DCM_StructureSetDate);
    ss_.time = get_string(ds_, DCM_StructureSetTime);
    read_referenced_frames();
    read_structure_set_rois();
    read_roi_contours();
    read_observations();
    cross_check();
    return std::move(ss_);
  }

 private:
  void report(Severity sev, std::string element, std::string message) {
    ss_.problems.push_back({sev, ss_.file, std::move(element), std::move(message)});
  }

  DcmSequenceOfItems* sequence(const DcmTagKey& tag, bool required) {
    DcmSequenceOfItems* seq = nullptr;
    if (ds_.findAndGetSequence(tag, seq).bad() || seq == nullptr) {
      if (required) report(Severity::Warning, describe(tag), "sequence missing");
      return nullptr;
    }
    if (seq->card() == 0 && required) report(Severity::Warning, describe(tag), "sequence is empty");
    return seq;
  }

  static std::string item_path(const DcmTagKey& seq, unsigned long i) {
    const std::string d = describe(seq);
    const auto space = d.find(' ');
    return fmt::format("{}[{}]{}", d.substr(0, space), i, d.substr(space));
  }

  void read_referenced_frames() {
    DcmSequenceOfItems* seq = sequence(DCM_ReferencedFrameOfReferenceSequence, false);
    if (seq != nullptr) {
      for (unsigned long i = 0; i < seq->card(); ++i) {
        DcmItem* item = seq->getItem(i);
        const std::string uid = get_string(*item, DCM_FrameOfReferenceUID);
        if (ss_.frame_of_reference_uid.empty()) ss_.frame_of_reference_uid = uid;
        // The contoured series: RTReferencedStudySequence > RTReferencedSeriesSequence.
        DcmItem* study = nullptr;
        DcmItem* series = nullptr;
        if (ss_.referenced_series_uid.empty() &&
            item->findAndGetSequenceItem(DCM_RTReferencedStudySequence, study, 0).good() && study &&
            study->findAndGetSequenceItem(DCM_RTReferencedSeriesSequence, series, 0).good() && series) {
          ss_.referenced_series_uid = get_string(*series, DCM_SeriesInstanceUID);
        }
      }
      if (seq->card() > 1) {
        report(Severity::Info, describe(DCM_ReferencedFrameOfReferenceSequence),
               fmt::format("{} frames of reference referenced; ROIs carry their own", seq->card()));
      }
    }
    if (ss_.frame_of_reference_uid.empty()) {
      ss_.frame_of_reference_uid = get_string(ds_, DCM_FrameOfReferenceUID);
      report(Severity::Warning, describe(DCM_ReferencedFrameOfReferenceSequence),
             ss_.frame_of_reference_uid.empty()
                 ? "no referenced frame of reference; the structure set cannot be matched to images by frame"
                 : "missing; using the dataset's FrameOfReferenceUID (0020,0052)");
    }
  }

  std::optional<int> roi_number(DcmItem& item, const DcmTagKey& tag, const std::string& where) {
    const auto v = get_number(item, tag);
    if (!v) {
      report(Severity::Error, where + " > " + describe(tag), "missing or not a number; item skipped");
      return std::nullopt;
    }
    return static_cast<int>(*v);
  }

  void read_structure_set_rois() {
    DcmSequenceOfItems* seq = sequence(DCM_StructureSetROISequence, true);
    if (seq == nullptr) return;
    std::map<std::string, int> names;
    for (unsigned long i = 0; i < seq->card(); ++i) {
      DcmItem& item = *seq->getItem(i);
      const std::string where = item_path(DCM_StructureSetROISequence, i);
      const auto number = roi_number(item, DCM_ROINumber, where);
      if (!number) continue;
      if (ss_.rois.count(*number)) {
        report(Severity::Error, where + " > " + describe(DCM_ROINumber),
               fmt::format("ROI number {} defined twice; the later definition ('{}') is ignored", *number,
                           get_string(item, DCM_ROIName)));
        continue;
      }
      Roi roi;
      roi.number = *number;
      roi.name = get_string(item, DCM_ROIName);
      roi.generation_algorithm = get_string(item, DCM_ROIGenerationAlgorithm);
      roi.frame_of_reference_uid = get_string(item, DCM_ReferencedFrameOfReferenceUID);
      roi.in_structure_set_roi = true;
      if (roi.frame_of_reference_uid.empty()) roi.frame_of_reference_uid = ss_.frame_of_reference_uid;
      if (roi.name.empty()) report(Severity::Warning, where + " > " + describe(DCM_ROIName), "ROI has no name");
      if (auto [it, inserted] = names.emplace(roi.name, roi.number); !inserted && !roi.name.empty()) {
        report(Severity::Warning, where + " > " + describe(DCM_ROIName),
               fmt::format("duplicate ROI name '{}' (ROI numbers {} and {}); ROIs are kept apart by number",
                           roi.name, it->second, roi.number));
      }
      ss_.rois.emplace(roi.number, std::move(roi));
    }
  }

  Roi& roi_for_reference(int number, const std::string& where, const char* sequence_name) {
    auto it = ss_.rois.find(number);
    if (it != ss_.rois.end()) return it->second;
    report(Severity::Error, where,
           fmt::format("{} refers to ROI number {}, which StructureSetROISequence does not define; kept as an "
                       "unnamed ROI",
                       sequence_name, number));
    Roi roi;
    roi.number = number;
    roi.frame_of_reference_uid = ss_.frame_of_reference_uid;
    return ss_.rois.emplace(number, std::move(roi)).first->second;
  }

  void read_roi_contours() {
    DcmSequenceOfItems* seq = sequence(DCM_ROIContourSequence, true);
    if (seq == nullptr) return;
    std::vector<double> values;
    for (unsigned long i = 0; i < seq->card(); ++i) {
      DcmItem& item = *seq->getItem(i);
      const std::string where = item_path(DCM_ROIContourSequence, i);
      const auto number = roi_number(item, DCM_ReferencedROINumber, where);
      if (!number) continue;
      Roi& roi = roi_for_reference(*number, where + " > " + describe(DCM_ReferencedROINumber), "ROIContourSequence");
      if (roi.has_roi_contour) {
        report(Severity::Warning, where,
               fmt::format("a second ROIContourSequence item for ROI {}; its contours are added", *number));
      }
      roi.has_roi_contour = true;
      if (const auto colour = get_numbers(item, DCM_ROIDisplayColor); colour.size() == 3) {
        roi.colour = std::array<int, 3>{static_cast<int>(colour[0]), static_cast<int>(colour[1]),
                                        static_cast<int>(colour[2])};
      }
      DcmSequenceOfItems* contours = nullptr;
      if (item.findAndGetSequence(DCM_ContourSequence, contours).bad() || contours == nullptr) continue;
      for (unsigned long c = 0; c < contours->card(); ++c) {
        read_contour(*contours->getItem(c), where + " > " + item_path(DCM_ContourSequence, c), roi, values);
      }
    }
  }

  void read_contour(DcmItem& item, const std::string& where, Roi& roi, std::vector<double>& values) {
    geom::Contour contour;
    const std::string type = get_string(item, DCM_ContourGeometricType);
    contour.type = geom::parse_geometric_type(type);
    if (contour.type == geom::GeometricType::Unknown) {
      report(Severity::Warning, where + " > " + describe(DCM_ContourGeometricType),
             fmt::format("unknown geometric type '{}'", type));
    }
    values.clear();
    DcmElement* el = nullptr;
    if (item.findAndGetElement(DCM_ContourData, el).good() && el != nullptr) {
      char* raw = nullptr;
      bool ok = el->getString(raw).good();
      if (ok && raw != nullptr) {
        ok = parse_decimal_string(raw, el->getLength(), values);
      } else if (ok) {
        values.clear();  // empty element
      } else {
        // Not a string VR (a private encoding as FD, say): take the numbers DCMTK gives.
        ok = true;
        for (unsigned long k = 0; k < el->getVM(); ++k) {
          Float64 f = 0;
          if (el->getFloat64(f, k).bad()) { ok = false; break; }
          values.push_back(f);
        }
      }
      if (!ok) {
        report(Severity::Error, where + " > " + describe(DCM_ContourData),
               "a value is not a decimal number; contour kept without points");
        values.clear();
      }
    } else {
      report(Severity::Warning, where + " > " + describe(DCM_ContourData), "missing; contour has no points");
    }
    if (values.size() % 3 != 0) {
      report(Severity::Error, where + " > " + describe(DCM_ContourData),
             fmt::format("{} values, not a multiple of 3; the last {} value(s) ignored", values.size(),
                         values.size() % 3));
    }
    const std::size_t n = values.size() / 3;
    contour.points.resize(n);
    for (std::size_t k = 0; k < n; ++k) contour.points[k] = {values[3 * k], values[3 * k + 1], values[3 * k + 2]};
    if (const auto declared = get_number(item, DCM_NumberOfContourPoints); declared && *declared != static_cast<double>(n)) {
      report(Severity::Warning, where + " > " + describe(DCM_NumberOfContourPoints),
             fmt::format("says {} points, ContourData holds {}; the data is used", *declared, n));
    }
    roi.contours.push_back(std::move(contour));
  }

  void read_observations() {
    DcmSequenceOfItems* seq = sequence(DCM_RTROIObservationsSequence, true);
    if (seq == nullptr) return;
    for (unsigned long i = 0; i < seq->card(); ++i) {
      DcmItem& item = *seq->getItem(i);
      const std::string where = item_path(DCM_RTROIObservationsSequence, i);
      const auto number = roi_number(item, DCM_ReferencedROINumber, where);
      if (!number) continue;
      Roi& roi = roi_for_reference(*number, where + " > " + describe(DCM_ReferencedROINumber),
                                   "RTROIObservationsSequence");
      if (roi.has_observation) {
        report(Severity::Info, where, fmt::format("a second observation for ROI {}; the first type is kept", *number));
        continue;
      }
      roi.has_observation = true;
      roi.interpreted_type = get_string(item, DCM_RTROIInterpretedType);
    }
  }

  void cross_check() {
    for (const auto& [number, roi] : ss_.rois) {
      if (roi.in_structure_set_roi && !roi.has_roi_contour) {
        report(Severity::Info, describe(DCM_ROIContourSequence),
               fmt::format("ROI {} ('{}') has no ROIContourSequence item: no contours", number, roi.name));
      }
      if (roi.in_structure_set_roi && !roi.has_observation) {
        report(Severity::Info, describe(DCM_RTROIObservationsSequence),
               fmt::format("ROI {} ('{}') has no RTROIObservationsSequence item: no interpreted type", number,
                           roi.name));
      }
    }
  }

  DcmDataset& ds_;
  StructureSet ss_;
};

}  // namespace

StructureSet read_structure_set(DcmDataset& ds, const std::string& file) { return Reader(ds, file).read(); }

}  // namespace rtaudit::dicom
