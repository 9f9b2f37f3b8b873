#pragma once
// The identity and hierarchy of one loaded DICOM object.

#include "rtaudit/case/dicom_object.hpp"

class DcmDataset;

namespace rtaudit::dicom {

/// Reads kind, UIDs, patient/study/series/frame of reference and, for images, the image plane.
/// For an RTSTRUCT the frame of reference is the one its contours refer to.
[[nodiscard]] ObjectInfo read_object_info(DcmDataset& ds);

}  // namespace rtaudit::dicom
