#include "rtaudit/dicom/object_info.hpp"

#include "rtaudit/dicom/elements.hpp"

#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcsequen.h>

namespace rtaudit::dicom {

ObjectInfo read_object_info(DcmDataset& ds) {
  ObjectInfo o;
  o.sop_class_uid = get_string(ds, DCM_SOPClassUID);
  o.sop_instance_uid = get_string(ds, DCM_SOPInstanceUID);
  o.modality = get_string(ds, DCM_Modality);
  o.kind = kind_of(o.sop_class_uid, o.modality);
  o.patient_id = get_string(ds, DCM_PatientID);
  o.patient_name = get_string(ds, DCM_PatientName);
  o.study_uid = get_string(ds, DCM_StudyInstanceUID);
  o.series_uid = get_string(ds, DCM_SeriesInstanceUID);
  o.frame_of_reference_uid = get_string(ds, DCM_FrameOfReferenceUID);
  o.patient_position = get_string(ds, DCM_PatientPosition);
  o.manufacturer = get_string(ds, DCM_Manufacturer);
  o.institution = get_string(ds, DCM_InstitutionName);
  o.department = get_string(ds, DCM_InstitutionalDepartmentName);
  o.operators = get_string(ds, DCM_OperatorsName);
  o.study_date = get_string(ds, DCM_StudyDate);
  for (const DcmTagKey& tag : {DCM_RTPlanDate, DCM_StructureSetDate, DCM_ContentDate, DCM_SeriesDate}) {
    if (o.object_date.empty()) o.object_date = get_string(ds, tag);
  }

  if (o.kind == ObjectKind::RTSTRUCT && o.frame_of_reference_uid.empty()) {
    DcmItem* item = nullptr;
    if (ds.findAndGetSequenceItem(DCM_ReferencedFrameOfReferenceSequence, item, 0).good() && item) {
      o.frame_of_reference_uid = get_string(*item, DCM_FrameOfReferenceUID);
    }
  }

  const bool image = o.kind == ObjectKind::CT || o.kind == ObjectKind::MR || o.kind == ObjectKind::PT ||
                     o.kind == ObjectKind::RTDOSE;
  if (image) {
    const auto pos = get_numbers(ds, DCM_ImagePositionPatient);
    const auto ori = get_numbers(ds, DCM_ImageOrientationPatient);
    const auto spacing = get_numbers(ds, DCM_PixelSpacing);
    const auto rows = get_number(ds, DCM_Rows);
    const auto cols = get_number(ds, DCM_Columns);
    if (pos.size() == 3 && ori.size() == 6 && spacing.size() == 2 && rows && cols) {
      ImagePlaneInfo im;
      for (std::size_t i = 0; i < 3; ++i) im.position[i] = pos[i];
      for (std::size_t i = 0; i < 6; ++i) im.orientation[i] = ori[i];
      im.pixel_spacing = {spacing[0], spacing[1]};
      im.rows = static_cast<int>(*rows);
      im.columns = static_cast<int>(*cols);
      if (auto frames = get_number(ds, DCM_NumberOfFrames)) im.number_of_frames = static_cast<int>(*frames);
      im.slice_thickness_mm = get_number(ds, DCM_SliceThickness);
      im.rescale_slope = get_number(ds, DCM_RescaleSlope).value_or(1.0);
      im.rescale_intercept = get_number(ds, DCM_RescaleIntercept).value_or(0.0);
      if (auto n = get_number(ds, DCM_InstanceNumber)) im.instance_number = static_cast<int>(*n);
      o.image = im;
    }
  }
  return o;
}

}  // namespace rtaudit::dicom
