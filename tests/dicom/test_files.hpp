#pragma once
// DICOM files written by DCMTK in the tests: small structure sets, good and deliberately broken.

#include <dcmtk/dcmdata/dcfilefo.h>

#include <filesystem>
#include <string>
#include <vector>

namespace rtaudit::test {

struct ContourSpec {
  std::string type = "CLOSED_PLANAR";
  std::string data;  ///< ContourData exactly as written, e.g. "0\\0\\0\\10\\0\\0\\10\\10\\0"
};

struct RoiSpec {
  int number = 1;
  std::string name = "ROI";
  std::string type = "ORGAN";
  std::vector<ContourSpec> contours;
  bool write_roi_contour = true;
  bool write_observation = true;
  int contour_reference = -1;  ///< ReferencedROINumber in ROIContourSequence; -1 = number
};

/// ContourData for an axis-aligned square on plane z.
std::string square(double x0, double y0, double size, double z);

/// A structure set with the given ROIs; fields not named here get valid values.
DcmFileFormat make_rtstruct(const std::vector<RoiSpec>& rois, const std::string& frame_uid = "1.2.3.4.5.6.1");

/// Writes `file` to `path` (explicit VR little endian with meta unless told otherwise).
void save(DcmFileFormat& file, const std::filesystem::path& path, E_TransferSyntax xfer = EXS_LittleEndianExplicit,
          E_FileWriteMode mode = EWM_fileformat);

/// A fresh, empty temporary folder for one test.
std::filesystem::path temp_dir(const std::string& name);

}  // namespace rtaudit::test
