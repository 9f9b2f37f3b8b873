#include "rtaudit/case/dicom_object.hpp"

namespace rtaudit {

std::string_view to_string(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::CT: return "CT";
    case ObjectKind::MR: return "MR";
    case ObjectKind::PT: return "PT";
    case ObjectKind::RTSTRUCT: return "RTSTRUCT";
    case ObjectKind::RTPLAN: return "RTPLAN";
    case ObjectKind::RTDOSE: return "RTDOSE";
    case ObjectKind::REG: return "REG";
    case ObjectKind::RTIMAGE: return "RTIMAGE";
    case ObjectKind::Other: return "OTHER";
  }
  return "OTHER";
}

ObjectKind kind_of(std::string_view sop_class_uid, std::string_view modality) {
  // SOP classes from DICOM PS3.4 Annex B.5.
  if (sop_class_uid == "1.2.840.10008.5.1.4.1.1.2" || sop_class_uid == "1.2.840.10008.5.1.4.1.1.2.1") return ObjectKind::CT;
  if (sop_class_uid == "1.2.840.10008.5.1.4.1.1.4" || sop_class_uid == "1.2.840.10008.5.1.4.1.1.4.1") return ObjectKind::MR;
  if (sop_class_uid == "1.2.840.10008.5.1.4.1.1.128" || sop_class_uid == "1.2.840.10008.5.1.4.1.1.130") return ObjectKind::PT;
  if (sop_class_uid == "1.2.840.10008.5.1.4.1.1.481.3") return ObjectKind::RTSTRUCT;
  if (sop_class_uid == "1.2.840.10008.5.1.4.1.1.481.5" || sop_class_uid == "1.2.840.10008.5.1.4.1.1.481.8") return ObjectKind::RTPLAN;
  if (sop_class_uid == "1.2.840.10008.5.1.4.1.1.481.2") return ObjectKind::RTDOSE;
  if (sop_class_uid == "1.2.840.10008.5.1.4.1.1.481.1") return ObjectKind::RTIMAGE;
  if (sop_class_uid == "1.2.840.10008.5.1.4.1.1.66.1" || sop_class_uid == "1.2.840.10008.5.1.4.1.1.66.3") return ObjectKind::REG;
  if (modality == "CT") return ObjectKind::CT;
  if (modality == "MR") return ObjectKind::MR;
  if (modality == "PT") return ObjectKind::PT;
  if (modality == "RTSTRUCT") return ObjectKind::RTSTRUCT;
  if (modality == "RTPLAN") return ObjectKind::RTPLAN;
  if (modality == "RTDOSE") return ObjectKind::RTDOSE;
  if (modality == "RTIMAGE") return ObjectKind::RTIMAGE;
  if (modality == "REG") return ObjectKind::REG;
  return ObjectKind::Other;
}

}  // namespace rtaudit
