#include "rtaudit/dicom/write_rtstruct.hpp"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmrt/drtstrct.h>
#include <fmt/format.h>

#include <cmath>
#include <optional>

#include "rtaudit/dicom/ds_format.hpp"
#include "rtaudit/case/uid.hpp"

namespace rtaudit::dicom {
namespace {

// The Detached Study Management SOP Class, which RTReferencedStudySequence conventionally names.
constexpr const char* kStudyComponentClass = "1.2.840.10008.3.1.2.3.1";
constexpr std::size_t kMaxShortLength = 65534;

class Writer {
 public:
  Writer(const std::filesystem::path& path, const StudyIdentity& id, const StructureSet& set,
         const std::vector<CtSliceRef>& slices, const RtStructOptions& options)
      : path_(path), id_(id), set_(set), slices_(slices), options_(options) {}

  WriteResult run() {
    const std::string sop_uid = options_.sop_instance_uid.empty() ? set_.sop_instance_uid : options_.sop_instance_uid;
    const std::string series_ref =
        options_.referenced_series_uid.empty() ? set_.referenced_series_uid : options_.referenced_series_uid;
    frame_uid_ = set_.frame_of_reference_uid.empty() ? id_.frame_of_reference_uid : set_.frame_of_reference_uid;
    check_uid("SOPInstanceUID (0008,0018)", sop_uid);
    check_uid("SeriesInstanceUID (0020,000e)", options_.series_uid);
    check_uid("StudyInstanceUID (0020,000d)", id_.study_uid);
    check_uid("FrameOfReferenceUID (0020,0052)", frame_uid_);
    check_uid("RTReferencedSeriesSequence > SeriesInstanceUID (0020,000e)", series_ref);
    for (std::size_t i = 0; i < slices_.size(); ++i) {
      check_uid(fmt::format("ContourImageSequence[{}] > ReferencedSOPInstanceUID (0008,1155)", i),
                slices_[i].sop_instance_uid);
    }
    if (!error_.empty()) return {error_};

    bool utf8 = detail::any_non_ascii({id_.patient_name, id_.patient_id, id_.study_id, id_.institution_name,
                                       id_.institutional_department_name, id_.operator_name, id_.manufacturer,
                                       set_.label, set_.name, options_.series_description});
    for (const auto& [number, roi] : set_.rois) utf8 = utf8 || detail::any_non_ascii({roi.name});

    // dcmrt checks text values against the default repertoire only: UTF-8 text is checked by
    // nothing here (it is passed through as given, with SpecificCharacterSet ISO_IR 192).
    check_text_ = utf8 ? OFFalse : OFTrue;
    DRTStructureSetIOD iod;
    // SOP Common, Patient, General Study
    if (utf8) set(iod.setSpecificCharacterSet("ISO_IR 192"), "SpecificCharacterSet (0008,0005)");
    set(iod.setSOPClassUID(UID_RTStructureSetStorage), "SOPClassUID (0008,0016)");
    set(iod.setSOPInstanceUID(sop_uid.c_str()), "SOPInstanceUID (0008,0018)");
    set(iod.setInstanceCreationDate(id_.study_date.c_str()), "InstanceCreationDate (0008,0012)");
    set(iod.setInstanceCreationTime(id_.study_time.c_str()), "InstanceCreationTime (0008,0013)");
    set(iod.setPatientName(id_.patient_name.c_str(), check_text_), "PatientName (0010,0010)");
    set(iod.setPatientID(id_.patient_id.c_str(), check_text_), "PatientID (0010,0020)");
    set(iod.setPatientBirthDate(id_.patient_birth_date.c_str()), "PatientBirthDate (0010,0030)");
    set(iod.setPatientSex(id_.patient_sex.c_str()), "PatientSex (0010,0040)");
    set(iod.setStudyInstanceUID(id_.study_uid.c_str()), "StudyInstanceUID (0020,000d)");
    set(iod.setStudyDate(id_.study_date.c_str()), "StudyDate (0008,0020)");
    set(iod.setStudyTime(id_.study_time.c_str()), "StudyTime (0008,0030)");
    set(iod.setStudyID(id_.study_id.c_str(), check_text_), "StudyID (0020,0010)");
    set(iod.setAccessionNumber(id_.accession_number.c_str(), check_text_), "AccessionNumber (0008,0050)");
    // RT Series (dcmrt leaves Modality to the caller), Frame of Reference, General Equipment
    set(iod.setModality("RTSTRUCT"), "Modality (0008,0060)");
    set(iod.setSeriesInstanceUID(options_.series_uid.c_str()), "SeriesInstanceUID (0020,000e)");
    set(iod.setSeriesNumber(format_is(options_.series_number).c_str()), "SeriesNumber (0020,0011)");
    if (!options_.series_description.empty())
      set(iod.setSeriesDescription(options_.series_description.c_str(), check_text_), "SeriesDescription (0008,103e)");
    set(iod.setOperatorsName(id_.operator_name.c_str(), check_text_), "OperatorsName (0008,1070)");
    set(iod.setFrameOfReferenceUID(frame_uid_.c_str()), "FrameOfReferenceUID (0020,0052)");
    set(iod.setPositionReferenceIndicator(""), "PositionReferenceIndicator (0020,1040)");
    set(iod.setManufacturer(id_.manufacturer.c_str(), check_text_), "Manufacturer (0008,0070)");
    if (!id_.institution_name.empty())
      set(iod.setInstitutionName(id_.institution_name.c_str(), check_text_), "InstitutionName (0008,0080)");
    if (!id_.institutional_department_name.empty())
      set(iod.setInstitutionalDepartmentName(id_.institutional_department_name.c_str(), check_text_),
          "InstitutionalDepartmentName (0008,1040)");
    // Structure Set
    set(iod.setStructureSetLabel(set_.label.empty() ? "RTSTRUCT" : set_.label.c_str(), check_text_),
        "StructureSetLabel (3006,0002)");
    if (!set_.name.empty())
      set(iod.setStructureSetName(set_.name.c_str(), check_text_), "StructureSetName (3006,0004)");
    set(iod.setStructureSetDate((set_.date.empty() ? id_.study_date : set_.date).c_str()),
        "StructureSetDate (3006,0008)");
    set(iod.setStructureSetTime((set_.time.empty() ? id_.study_time : set_.time).c_str()),
        "StructureSetTime (3006,0009)");
    write_referenced_frame(iod, series_ref);
    write_rois(iod);
    if (!error_.empty()) return {error_};

    DcmFileFormat file;
    const OFCondition c = iod.write(*file.getDataset());
    if (c.bad()) return {fmt::format("{}: DRTStructureSetIOD::write: {}", path_.string(), c.text())};
    const E_TransferSyntax xfer = long_value_ ? EXS_LittleEndianImplicit : EXS_LittleEndianExplicit;
    std::string e = detail::save(file, path_, xfer);
    return {std::move(e)};
  }

 private:
  void fail(std::string_view element, std::string_view message) {
    if (error_.empty()) error_ = fmt::format("{}: {}: {}", path_.string(), element, message);
  }
  void set(const OFCondition& c, std::string_view element) {
    if (c.bad()) fail(element, c.text());
  }
  void check_uid(std::string_view element, const std::string& uid) {
    if (!is_valid_uid(uid)) fail(element, fmt::format("'{}' is not a valid UID", uid));
  }

  void write_referenced_frame(DRTStructureSetIOD& iod, const std::string& series_ref) {
    DRTReferencedFrameOfReferenceSequence::Item* frame = nullptr;
    set(iod.getReferencedFrameOfReferenceSequence().addItem(frame), "ReferencedFrameOfReferenceSequence (3006,0010)");
    if (frame == nullptr) return;
    set(frame->setFrameOfReferenceUID(frame_uid_.c_str()),
        "ReferencedFrameOfReferenceSequence[0] > FrameOfReferenceUID (0020,0052)");
    DRTRTReferencedStudySequence::Item* study = nullptr;
    set(frame->getRTReferencedStudySequence().addItem(study), "RTReferencedStudySequence (3006,0012)");
    if (study == nullptr) return;
    set(study->setReferencedSOPClassUID(kStudyComponentClass), "RTReferencedStudySequence > ReferencedSOPClassUID");
    set(study->setReferencedSOPInstanceUID(id_.study_uid.c_str()),
        "RTReferencedStudySequence > ReferencedSOPInstanceUID");
    DRTRTReferencedSeriesSequence::Item* series = nullptr;
    set(study->getRTReferencedSeriesSequence().addItem(series), "RTReferencedSeriesSequence (3006,0014)");
    if (series == nullptr) return;
    set(series->setSeriesInstanceUID(series_ref.c_str()), "RTReferencedSeriesSequence > SeriesInstanceUID");
    for (const CtSliceRef& s : slices_) {
      DRTContourImageSequence::Item* image = nullptr;
      set(series->getContourImageSequence().addItem(image), "RTReferencedSeriesSequence > ContourImageSequence");
      if (image == nullptr) return;
      set(image->setReferencedSOPClassUID(UID_CTImageStorage), "ContourImageSequence > ReferencedSOPClassUID");
      set(image->setReferencedSOPInstanceUID(s.sop_instance_uid.c_str()),
          "ContourImageSequence > ReferencedSOPInstanceUID");
    }
  }

  const CtSliceRef* slice_at(double z) const {
    const CtSliceRef* best = nullptr;
    double best_d = options_.slice_match_tolerance_mm;
    for (const CtSliceRef& s : slices_) {
      const double d = std::abs(s.position[2] - z);
      if (d <= best_d) {
        best = &s;
        best_d = d;
      }
    }
    return best;
  }

  void write_rois(DRTStructureSetIOD& iod) {
    for (const auto& [number, roi] : set_.rois) {
      const std::string where = fmt::format("ROI {} '{}'", number, roi.name);
      const std::string roi_frame = roi.frame_of_reference_uid.empty() ? frame_uid_ : roi.frame_of_reference_uid;
      check_uid(where + " > ReferencedFrameOfReferenceUID (3006,0024)", roi_frame);
      if (roi.name.empty()) fail(where + " > ROIName (3006,0026)", "ROI has no name");
      const std::string num = format_is(number);

      DRTStructureSetROISequence::Item* ss = nullptr;
      set(iod.getStructureSetROISequence().addItem(ss), "StructureSetROISequence (3006,0020)");
      if (ss == nullptr) return;
      set(ss->setROINumber(num.c_str()), where + " > ROINumber (3006,0022)");
      set(ss->setReferencedFrameOfReferenceUID(roi_frame.c_str()), where + " > ReferencedFrameOfReferenceUID");
      set(ss->setROIName(roi.name.c_str(), check_text_), where + " > ROIName (3006,0026)");
      set(ss->setROIGenerationAlgorithm(roi.generation_algorithm.c_str()),
          where + " > ROIGenerationAlgorithm (3006,0036)");

      DRTROIContourSequence::Item* rc = nullptr;
      set(iod.getROIContourSequence().addItem(rc), "ROIContourSequence (3006,0039)");
      if (rc == nullptr) return;
      set(rc->setReferencedROINumber(num.c_str()), where + " > ReferencedROINumber (3006,0084)");
      if (roi.colour) {
        for (const int c : *roi.colour) {
          if (c < 0 || c > 255) fail(where + " > ROIDisplayColor (3006,002a)", fmt::format("{} is not 0-255", c));
        }
        const auto& c = *roi.colour;
        set(rc->setROIDisplayColor(fmt::format("{}\\{}\\{}", c[0], c[1], c[2]).c_str()),
            where + " > ROIDisplayColor (3006,002a)");
      }
      write_contours(*rc, roi, where);

      DRTRTROIObservationsSequence::Item* obs = nullptr;
      set(iod.getRTROIObservationsSequence().addItem(obs), "RTROIObservationsSequence (3006,0080)");
      if (obs == nullptr) return;
      set(obs->setObservationNumber(num.c_str()), where + " > ObservationNumber (3006,0082)");
      set(obs->setReferencedROINumber(num.c_str()), where + " > ReferencedROINumber (3006,0084)");
      set(obs->setRTROIInterpretedType(roi.interpreted_type.c_str()), where + " > RTROIInterpretedType (3006,00a4)");
      set(obs->setROIInterpreter(""), where + " > ROIInterpreter (3006,00a6)");
    }
  }

  void write_contours(DRTROIContourSequence::Item& rc, const Roi& roi, const std::string& roi_where) {
    std::string data;
    for (std::size_t i = 0; i < roi.contours.size(); ++i) {
      const geom::Contour& contour = roi.contours[i];
      const std::string where = fmt::format("{} > ContourSequence[{}]", roi_where, i);
      if (contour.type == geom::GeometricType::Unknown) {
        fail(where + " > ContourGeometricType (3006,0042)", "unknown geometric type");
        return;
      }
      if (contour.points.empty()) {
        fail(where + " > ContourData (3006,0050)", "contour has no points");
        return;
      }
      data.clear();
      for (const geom::Point3& p : contour.points) {
        for (const double v : {p.x, p.y, p.z}) {
          const auto text = format_ds(v);
          if (!text) {
            fail(where + " > ContourData (3006,0050)", "coordinate is not finite");
            return;
          }
          if (!data.empty()) data.push_back('\\');
          data += *text;
        }
      }
      if (data.size() > kMaxShortLength) long_value_ = true;
      DRTContourSequence::Item* item = nullptr;
      set(rc.getContourSequence().addItem(item), where);
      if (item == nullptr) return;
      if (contour.type != geom::GeometricType::OpenNonplanar) {
        if (const CtSliceRef* slice = slice_at(contour.points.front().z)) {
          DRTContourImageSequence::Item* image = nullptr;
          set(item->getContourImageSequence().addItem(image), where + " > ContourImageSequence (3006,0016)");
          if (image == nullptr) return;
          set(image->setReferencedSOPClassUID(UID_CTImageStorage), where + " > ContourImageSequence");
          set(image->setReferencedSOPInstanceUID(slice->sop_instance_uid.c_str()), where + " > ContourImageSequence");
        }
      }
      set(item->setContourNumber(format_is(static_cast<long long>(i) + 1).c_str()),
          where + " > ContourNumber (3006,0048)");
      set(item->setContourGeometricType(std::string(geom::to_string(contour.type)).c_str()),
          where + " > ContourGeometricType (3006,0042)");
      set(item->setNumberOfContourPoints(format_is(static_cast<long long>(contour.points.size())).c_str()),
          where + " > NumberOfContourPoints (3006,0046)");
      set(item->setContourData(OFString(data.data(), data.size()), OFFalse), where + " > ContourData (3006,0050)");
    }
  }

  const std::filesystem::path& path_;
  const StudyIdentity& id_;
  const StructureSet& set_;
  const std::vector<CtSliceRef>& slices_;
  const RtStructOptions& options_;
  std::string frame_uid_;
  std::string error_;
  bool long_value_ = false;
  OFBool check_text_ = OFTrue;
};

}  // namespace

WriteResult write_rtstruct(const std::filesystem::path& path, const StudyIdentity& identity, const StructureSet& set,
                           const std::vector<CtSliceRef>& referenced_slices, const RtStructOptions& options) {
  return Writer(path, identity, set, referenced_slices, options).run();
}

}  // namespace rtaudit::dicom
