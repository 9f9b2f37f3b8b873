#include "tests/dicom/test_files.hpp"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <unistd.h>

namespace rtaudit::test {

std::string square(double x0, double y0, double size, double z) {
  return fmt::format("{}\\{}\\{}\\{}\\{}\\{}\\{}\\{}\\{}\\{}\\{}\\{}", x0, y0, z, x0 + size, y0, z, x0 + size,
                     y0 + size, z, x0, y0 + size, z);
}

DcmFileFormat make_rtstruct(const std::vector<RoiSpec>& rois, const std::string& frame_uid) {
  DcmFileFormat file;
  DcmDataset* ds = file.getDataset();
  ds->putAndInsertString(DCM_SOPClassUID, UID_RTStructureSetStorage);
  ds->putAndInsertString(DCM_SOPInstanceUID, "1.2.3.4.5.6.100");
  ds->putAndInsertString(DCM_Modality, "RTSTRUCT");
  ds->putAndInsertString(DCM_PatientID, "TEST-PATIENT");
  ds->putAndInsertString(DCM_PatientName, "Test^Patient");
  ds->putAndInsertString(DCM_StudyInstanceUID, "1.2.3.4.5.6.2");
  ds->putAndInsertString(DCM_SeriesInstanceUID, "1.2.3.4.5.6.3");
  ds->putAndInsertString(DCM_StructureSetLabel, "TEST");
  ds->putAndInsertString(DCM_StructureSetDate, "20260101");
  DcmItem* fr = nullptr;
  ds->findOrCreateSequenceItem(DCM_ReferencedFrameOfReferenceSequence, fr, 0);
  fr->putAndInsertString(DCM_FrameOfReferenceUID, frame_uid.c_str());
  long ssroi = 0, roic = 0, obs = 0;
  for (const RoiSpec& r : rois) {
    DcmItem* item = nullptr;
    ds->findOrCreateSequenceItem(DCM_StructureSetROISequence, item, ssroi++);
    item->putAndInsertString(DCM_ROINumber, std::to_string(r.number).c_str());
    item->putAndInsertString(DCM_ReferencedFrameOfReferenceUID, frame_uid.c_str());
    item->putAndInsertString(DCM_ROIName, r.name.c_str());
    item->putAndInsertString(DCM_ROIGenerationAlgorithm, "MANUAL");
    if (r.write_roi_contour) {
      DcmItem* rc = nullptr;
      ds->findOrCreateSequenceItem(DCM_ROIContourSequence, rc, roic++);
      rc->putAndInsertString(DCM_ROIDisplayColor, "255\\0\\0");
      rc->putAndInsertString(DCM_ReferencedROINumber,
                             std::to_string(r.contour_reference >= 0 ? r.contour_reference : r.number).c_str());
      for (std::size_t c = 0; c < r.contours.size(); ++c) {
        DcmItem* ci = nullptr;
        rc->findOrCreateSequenceItem(DCM_ContourSequence, ci, static_cast<long>(c));
        ci->putAndInsertString(DCM_ContourGeometricType, r.contours[c].type.c_str());
        ci->putAndInsertString(DCM_ContourData, r.contours[c].data.c_str());
      }
    }
    if (r.write_observation) {
      DcmItem* o = nullptr;
      ds->findOrCreateSequenceItem(DCM_RTROIObservationsSequence, o, obs++);
      o->putAndInsertString(DCM_ObservationNumber, std::to_string(r.number).c_str());
      o->putAndInsertString(DCM_ReferencedROINumber, std::to_string(r.number).c_str());
      o->putAndInsertString(DCM_RTROIInterpretedType, r.type.c_str());
    }
  }
  return file;
}

void save(DcmFileFormat& file, const std::filesystem::path& path, E_TransferSyntax xfer, E_FileWriteMode mode) {
  const OFCondition c = file.saveFile(path.c_str(), xfer, EET_ExplicitLength, EGL_recalcGL, EPD_noChange, 0, 0, mode);
  ASSERT_TRUE(c.good()) << c.text();
}

std::filesystem::path temp_dir(const std::string& name) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string test = info ? fmt::format("{}.{}", info->test_suite_name(), info->name()) : "none";
  auto dir = std::filesystem::temp_directory_path() / fmt::format("rtaudit-test-{}-{}-{}", ::getpid(), test, name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace rtaudit::test
