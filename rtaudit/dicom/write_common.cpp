#include "rtaudit/dicom/write_common.hpp"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcelem.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcvrat.h>
#include <fmt/format.h>

#include "rtaudit/dicom/ds_format.hpp"
#include "rtaudit/dicom/elements.hpp"
#include "rtaudit/case/uid.hpp"

namespace rtaudit::dicom::detail {

void WriteContext::fail(std::string_view where, std::string_view message) {
  if (error.empty()) error = fmt::format("{}: {}: {}", file, where, message);
}

std::string ElementWriter::path(const DcmTagKey& tag) const {
  return where_.empty() ? describe(tag) : where_ + " > " + describe(tag);
}

void ElementWriter::fail(const DcmTagKey& tag, std::string_view message) { context_->fail(path(tag), message); }

void ElementWriter::put(const DcmTagKey& tag, std::string_view value, bool check) {
  if (!ok()) return;
  const std::string text(value);
  OFCondition c = item_->putAndInsertString(DcmTag(tag), text.c_str(), OFTrue);
  if (c.good() && check && !text.empty()) {
    DcmElement* e = nullptr;
    c = item_->findAndGetElement(tag, e);
    if (c.good() && e != nullptr) c = e->checkValue("1-n", OFFalse);
  }
  if (c.bad()) fail(tag, fmt::format("cannot write '{}' ({})", text, c.text()));
}

void ElementWriter::required(const DcmTagKey& tag, std::string_view value) {
  if (value.empty()) {
    fail(tag, "required value is empty");
    return;
  }
  put(tag, value, true);
}

void ElementWriter::type2(const DcmTagKey& tag, std::string_view value) { put(tag, value, true); }

void ElementWriter::optional(const DcmTagKey& tag, std::string_view value) {
  if (!value.empty()) put(tag, value, true);
}

void ElementWriter::uid(const DcmTagKey& tag, std::string_view value) {
  if (!ok()) return;
  if (!is_valid_uid(value)) {
    fail(tag, fmt::format("'{}' is not a valid UID", value));
    return;
  }
  put(tag, value, false);
}

void ElementWriter::ds(const DcmTagKey& tag, double value) {
  if (!ok()) return;
  const auto text = format_ds(value);
  if (!text) {
    fail(tag, fmt::format("value {} is not finite", value));
    return;
  }
  put(tag, *text, false);
}

void ElementWriter::ds(const DcmTagKey& tag, std::span<const double> values) {
  if (!ok()) return;
  if (values.empty()) {
    fail(tag, "no values");
    return;
  }
  const auto text = format_ds_list(values);
  if (!text) {
    fail(tag, "a value is not finite");
    return;
  }
  put(tag, *text, false);
}

void ElementWriter::is(const DcmTagKey& tag, long long value) {
  if (value < -2147483648LL || value > 2147483647LL) {
    fail(tag, fmt::format("{} does not fit an IS", value));
    return;
  }
  put(tag, format_is(value), false);
}

void ElementWriter::us(const DcmTagKey& tag, unsigned value) {
  if (!ok()) return;
  if (value > 0xFFFFu) {
    fail(tag, fmt::format("{} does not fit a US", value));
    return;
  }
  const OFCondition c = item_->putAndInsertUint16(tag, static_cast<Uint16>(value));
  if (c.bad()) fail(tag, c.text());
}

void ElementWriter::at(const DcmTagKey& tag, const DcmTagKey& value) {
  if (!ok()) return;
  const OFCondition c = item_->putAndInsertTagKey(tag, value);
  if (c.bad()) fail(tag, c.text());
}

void ElementWriter::empty(const DcmTagKey& tag) {
  if (!ok()) return;
  const OFCondition c = item_->insertEmptyElement(tag, OFTrue);
  if (c.bad()) fail(tag, c.text());
}

ElementWriter ElementWriter::append_item(const DcmTagKey& tag) {
  DcmItem* sub = nullptr;
  unsigned long count = 0;
  DcmSequenceOfItems* seq = nullptr;
  if (item_->findAndGetSequence(tag, seq).good() && seq != nullptr) count = seq->card();
  const std::string d = describe(tag);
  const auto space = d.find(' ');
  const std::string here = fmt::format("{}[{}]{}", d.substr(0, space), count, d.substr(space));
  std::string where = where_.empty() ? here : where_ + " > " + here;
  if (ok()) {
    const OFCondition c = item_->findOrCreateSequenceItem(tag, sub, -2);
    if (c.bad() || sub == nullptr) fail(tag, fmt::format("cannot add a sequence item ({})", c.text()));
  }
  // After a failure the returned writer only ever no-ops; it still needs an item to point at.
  return ElementWriter(*context_, sub != nullptr ? *sub : *item_, std::move(where));
}

bool any_non_ascii(std::initializer_list<std::string_view> texts) {
  for (const std::string_view t : texts) {
    for (const char c : t) {
      if (static_cast<unsigned char>(c) >= 0x80) return true;
    }
  }
  return false;
}

void write_character_set(ElementWriter& w, bool utf8) {
  if (utf8) w.required(DCM_SpecificCharacterSet, "ISO_IR 192");
}

void write_sop_common(ElementWriter& w, const StudyIdentity& id, std::string_view sop_class_uid,
                      std::string_view sop_instance_uid) {
  w.uid(DCM_SOPClassUID, sop_class_uid);
  w.uid(DCM_SOPInstanceUID, sop_instance_uid);
  w.optional(DCM_InstanceCreationDate, id.study_date);
  w.optional(DCM_InstanceCreationTime, id.study_time);
}

void write_patient_and_study(ElementWriter& w, const StudyIdentity& id) {
  w.type2(DCM_PatientName, id.patient_name);
  w.type2(DCM_PatientID, id.patient_id);
  w.type2(DCM_PatientBirthDate, id.patient_birth_date);
  w.type2(DCM_PatientSex, id.patient_sex);
  w.uid(DCM_StudyInstanceUID, id.study_uid);
  w.type2(DCM_StudyDate, id.study_date);
  w.type2(DCM_StudyTime, id.study_time);
  w.type2(DCM_ReferringPhysicianName, "");
  w.type2(DCM_StudyID, id.study_id);
  w.type2(DCM_AccessionNumber, id.accession_number);
}

void write_series(ElementWriter& w, const StudyIdentity& id, std::string_view modality, std::string_view series_uid,
                  int series_number, std::string_view description) {
  w.required(DCM_Modality, modality);
  w.uid(DCM_SeriesInstanceUID, series_uid);
  w.is(DCM_SeriesNumber, series_number);
  w.optional(DCM_SeriesDescription, description);
  w.type2(DCM_OperatorsName, id.operator_name);
}

void write_frame_of_reference(ElementWriter& w, const StudyIdentity& id) {
  w.uid(DCM_FrameOfReferenceUID, id.frame_of_reference_uid);
  w.type2(DCM_PositionReferenceIndicator, "");
}

void write_equipment(ElementWriter& w, const StudyIdentity& id) {
  w.type2(DCM_Manufacturer, id.manufacturer);
  w.optional(DCM_InstitutionName, id.institution_name);
  w.optional(DCM_InstitutionalDepartmentName, id.institutional_department_name);
}

std::string save(DcmFileFormat& file, const std::filesystem::path& path, E_TransferSyntax xfer) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) return fmt::format("{}: cannot create folder: {}", path.string(), ec.message());
  const OFCondition c =
      file.saveFile(path.c_str(), xfer, EET_ExplicitLength, EGL_recalcGL, EPD_noChange, 0, 0, EWM_fileformat);
  if (c.bad()) return fmt::format("{}: cannot write: {}", path.string(), c.text());
  return {};
}

}  // namespace rtaudit::dicom::detail
