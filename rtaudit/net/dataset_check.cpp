#include "rtaudit/net/dataset_check.hpp"

#include "rtaudit/dicom/elements.hpp"

#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcelem.h>
#include <dcmtk/dcmdata/dcsequen.h>

#include <fmt/format.h>

#include <functional>

namespace rtaudit::net {

namespace {

using dicom::get_string;

/// Calls `f` on every item of the sequence `tag` in `item` (none when it is absent).
void for_items(DcmItem& item, const DcmTagKey& tag, const std::function<void(DcmItem&)>& f) {
  DcmSequenceOfItems* seq = nullptr;
  if (item.findAndGetSequence(tag, seq).bad() || !seq) return;
  for (unsigned long i = 0; i < seq->card(); ++i) {
    if (DcmItem* it = seq->getItem(i)) f(*it);
  }
}

void push_uid(std::vector<std::string>& v, DcmItem& item, const DcmTagKey& tag) {
  std::string u = get_string(item, tag);
  if (!u.empty()) v.push_back(std::move(u));
}

/// Why an image (CT, RTDOSE) is not one: missing geometry or pixel data shorter than its header says.
std::string image_problem(DcmDataset& ds) {
  const auto rows = dicom::get_number(ds, DCM_Rows), cols = dicom::get_number(ds, DCM_Columns);
  const auto bits = dicom::get_number(ds, DCM_BitsAllocated);
  if (!rows || !cols || !bits || *rows < 1 || *cols < 1 || (*bits != 8 && *bits != 16 && *bits != 32)) {
    return "Rows, Columns or Bits Allocated missing or invalid";
  }
  if (dicom::get_numbers(ds, DCM_ImagePositionPatient).size() != 3 || dicom::get_numbers(ds, DCM_ImageOrientationPatient).size() != 6 ||
      dicom::get_numbers(ds, DCM_PixelSpacing).size() != 2) {
    return "Image Position, Image Orientation or Pixel Spacing missing";
  }
  DcmElement* pixels = nullptr;
  if (ds.findAndGetElement(DCM_PixelData, pixels).bad() || !pixels) return "no Pixel Data";
  const double frames = dicom::get_number(ds, DCM_NumberOfFrames).value_or(1.0);
  const double samples = dicom::get_number(ds, DCM_SamplesPerPixel).value_or(1.0);
  const double expected = *rows * *cols * *bits / 8.0 * std::max(1.0, frames) * std::max(1.0, samples);
  // Encapsulated (compressed) pixel data has an undefined length: its frames are checked when decoded.
  if (pixels->getLengthField() != DCM_UndefinedLength && static_cast<double>(pixels->getLengthField()) < expected) {
    return fmt::format("Pixel Data holds {} bytes, the header needs {}", pixels->getLengthField(), static_cast<long long>(expected));
  }
  return {};
}

}  // namespace

DatasetVerdict check_dataset(DcmDataset& ds, const std::string& request_sop_class, const std::string& request_sop_instance, bool header_only) {
  DatasetVerdict v;
  const auto refuse = [&](std::uint16_t code, std::string why) {
    v.status = code;
    v.reason = std::move(why);
    return v;
  };
  ReceivedObject& o = v.object;
  o.sop_class_uid = get_string(ds, DCM_SOPClassUID);
  o.sop_instance_uid = get_string(ds, DCM_SOPInstanceUID);
  if (!is_accepted_sop_class(request_sop_class)) return refuse(status::kSopClassNotSupported, "SOP class " + request_sop_class + " is not one the node stores");
  if (o.sop_class_uid != request_sop_class) return refuse(status::kDataSetDoesNotMatchSopClass, "the dataset's SOP Class UID is not the request's");
  if (o.sop_instance_uid != request_sop_instance) return refuse(status::kDataSetDoesNotMatchSopClass, "the dataset's SOP Instance UID is not the request's");
  o.study_uid = get_string(ds, DCM_StudyInstanceUID);
  o.series_uid = get_string(ds, DCM_SeriesInstanceUID);
  for (const auto& [name, uid] : {std::pair<const char*, const std::string*>{"SOP Instance UID", &o.sop_instance_uid},
                                  {"Study Instance UID", &o.study_uid},
                                  {"Series Instance UID", &o.series_uid}}) {
    // The UID is not echoed: a UID built to escape the folder is as untrusted in a log as in a path.
    if (!is_path_safe_uid(*uid)) return refuse(status::kCannotUnderstand, fmt::format("{} missing or not a valid UID ({} characters)", name, uid->size()));
  }
  for (const auto& c : accepted_sop_classes()) {
    if (o.sop_class_uid == c.uid) o.kind = c.kind;
  }
  o.patient_key = patient_key(get_string(ds, DCM_PatientID));
  o.frame_of_reference_uid = get_string(ds, DCM_FrameOfReferenceUID);

  switch (o.kind) {
    case ObjectKind::CT:
    case ObjectKind::RTDOSE: {
      if (const std::string p = header_only ? std::string() : image_problem(ds); !p.empty()) return refuse(status::kCannotUnderstand, p);
      if (o.frame_of_reference_uid.empty()) return refuse(status::kCannotUnderstand, "no Frame of Reference UID");
      if (o.kind == ObjectKind::RTDOSE) {
        for_items(ds, DCM_ReferencedRTPlanSequence, [&](DcmItem& it) { push_uid(o.referenced_plans, it, DCM_ReferencedSOPInstanceUID); });
      }
      break;
    }
    case ObjectKind::RTSTRUCT: {
      DcmSequenceOfItems* rois = nullptr;
      if (ds.findAndGetSequence(DCM_StructureSetROISequence, rois).bad() || !rois) return refuse(status::kCannotUnderstand, "no Structure Set ROI Sequence");
      for_items(ds, DCM_ReferencedFrameOfReferenceSequence, [&](DcmItem& frame) {
        push_uid(o.referenced_frames, frame, DCM_FrameOfReferenceUID);
        for_items(frame, DCM_RTReferencedStudySequence, [&](DcmItem& study) {
          for_items(study, DCM_RTReferencedSeriesSequence, [&](DcmItem& series) {
            push_uid(o.referenced_series, series, DCM_SeriesInstanceUID);
            for_items(series, DCM_ContourImageSequence, [&](DcmItem& image) { push_uid(o.referenced_images, image, DCM_ReferencedSOPInstanceUID); });
          });
        });
      });
      if (o.frame_of_reference_uid.empty() && !o.referenced_frames.empty()) o.frame_of_reference_uid = o.referenced_frames.front();
      break;
    }
    case ObjectKind::RTPLAN:
      for_items(ds, DCM_ReferencedStructureSetSequence, [&](DcmItem& it) { push_uid(o.referenced_structure_sets, it, DCM_ReferencedSOPInstanceUID); });
      break;
    case ObjectKind::REG:
      for_items(ds, DCM_RegistrationSequence, [&](DcmItem& it) { push_uid(o.referenced_frames, it, DCM_FrameOfReferenceUID); });
      for_items(ds, DCM_DeformableRegistrationSequence, [&](DcmItem& it) { push_uid(o.referenced_frames, it, DCM_SourceFrameOfReferenceUID); });
      break;
    default:
      return refuse(status::kSopClassNotSupported, "not an object the node stores");
  }
  return v;
}

}  // namespace rtaudit::net
