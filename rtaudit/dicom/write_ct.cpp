#include "rtaudit/dicom/write_ct.hpp"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <fmt/format.h>

#include <cmath>
#include <cstdint>

#include "rtaudit/case/uid.hpp"
#include "rtaudit/dicom/write_common.hpp"

namespace rtaudit::dicom {
namespace {

std::string check_volume(const ImageVolume& v, const CtSeriesOptions& o) {
  if (v.columns <= 0 || v.rows <= 0 || v.slices <= 0)
    return fmt::format("empty volume ({} columns, {} rows, {} slices)", v.columns, v.rows, v.slices);
  if (v.columns > 0xFFFF || v.rows > 0xFFFF) return "Rows/Columns above 65535";
  if (v.slice_positions.size() != static_cast<std::size_t>(v.slices))
    return fmt::format("{} slice positions for {} slices", v.slice_positions.size(), v.slices);
  const std::size_t n =
      static_cast<std::size_t>(v.columns) * static_cast<std::size_t>(v.rows) * static_cast<std::size_t>(v.slices);
  if (v.values.size() != n) return fmt::format("{} values for {} voxels", v.values.size(), n);
  if (!(v.pixel_spacing[0] > 0) || !(v.pixel_spacing[1] > 0)) return "pixel spacing must be positive";
  if (o.series_uid.empty()) return "no series UID";
  return {};
}

}  // namespace

CtSeriesResult write_ct_series(const std::filesystem::path& dir, const StudyIdentity& identity,
                               const ImageVolume& volume, const CtSeriesOptions& options) {
  CtSeriesResult result;
  if (std::string problem = check_volume(volume, options); !problem.empty()) {
    result.error = fmt::format("{}: {}", dir.string(), problem);
    return result;
  }
  double thickness = 1;
  if (options.slice_thickness_mm) {
    thickness = *options.slice_thickness_mm;
  } else if (volume.slices > 1) {
    const auto& a = volume.slice_positions[0];
    const auto& b = volume.slice_positions[1];
    thickness = std::hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]);
  }
  const bool utf8 = detail::any_non_ascii({identity.patient_name, identity.patient_id, identity.study_id,
                                           identity.institution_name, identity.institutional_department_name,
                                           identity.operator_name, identity.manufacturer, options.series_description});
  const std::size_t per_slice = static_cast<std::size_t>(volume.columns) * static_cast<std::size_t>(volume.rows);
  std::vector<Uint16> pixels(per_slice);

  for (int k = 0; k < volume.slices; ++k) {
    CtSliceRef ref;
    ref.file = dir / fmt::format("{}{:04}.dcm", options.file_prefix, k + 1);
    ref.sop_instance_uid = make_uid(fmt::format("{}/ct/{}", options.uid_key_prefix, k + 1));
    ref.position = volume.slice_positions[static_cast<std::size_t>(k)];

    DcmFileFormat file;
    detail::WriteContext ctx{ref.file.string(), {}};
    detail::ElementWriter w(ctx, *file.getDataset());
    detail::write_character_set(w, utf8);
    w.required(DCM_ImageType, "DERIVED\\SECONDARY\\AXIAL");
    detail::write_sop_common(w, identity, UID_CTImageStorage, ref.sop_instance_uid);
    detail::write_patient_and_study(w, identity);
    detail::write_series(w, identity, "CT", options.series_uid, options.series_number, options.series_description);
    w.required(DCM_PatientPosition, identity.patient_position);
    // Laterality (2C) is needed for a paired body part: an unpaired BodyPartExamined makes it not
    // applicable; without one it is written empty (unknown), as dciodvfy asks.
    if (options.body_part_examined.empty()) {
      w.empty(DCM_Laterality);
    } else {
      w.optional(DCM_BodyPartExamined, options.body_part_examined);
    }
    detail::write_frame_of_reference(w, identity);
    detail::write_equipment(w, identity);
    // General Image, General Acquisition
    w.is(DCM_InstanceNumber, k + 1);
    w.type2(DCM_ContentDate, identity.study_date);
    w.type2(DCM_ContentTime, identity.study_time);
    w.is(DCM_AcquisitionNumber, 1);
    // Image Plane
    w.ds(DCM_PixelSpacing, std::span<const double>(volume.pixel_spacing));
    w.ds(DCM_ImageOrientationPatient, std::span<const double>(volume.orientation));
    w.ds(DCM_ImagePositionPatient, std::span<const double>(ref.position));
    w.ds(DCM_SliceThickness, thickness);
    w.ds(DCM_SliceLocation, ref.position[2]);
    // Image Pixel, CT Image
    w.us(DCM_SamplesPerPixel, 1);
    w.required(DCM_PhotometricInterpretation, "MONOCHROME2");
    w.us(DCM_Rows, static_cast<unsigned>(volume.rows));
    w.us(DCM_Columns, static_cast<unsigned>(volume.columns));
    w.us(DCM_BitsAllocated, 16);
    w.us(DCM_BitsStored, 16);
    w.us(DCM_HighBit, 15);
    w.us(DCM_PixelRepresentation, 1);
    w.ds(DCM_RescaleIntercept, 0.0);
    w.ds(DCM_RescaleSlope, 1.0);
    w.required(DCM_RescaleType, "HU");
    w.ds(DCM_KVP, options.kvp);
    w.ds(DCM_WindowCenter, options.window_center);
    w.ds(DCM_WindowWidth, options.window_width);
    if (options.contrast_agent) {
      w.type2(DCM_ContrastBolusAgent, *options.contrast_agent);
    }
    const std::size_t first = static_cast<std::size_t>(k) * per_slice;
    for (std::size_t i = 0; i < per_slice; ++i) pixels[i] = static_cast<Uint16>(volume.values[first + i]);
    if (ctx.ok()) {
      const OFCondition c = file.getDataset()->putAndInsertUint16Array(DCM_PixelData, pixels.data(),
                                                                       static_cast<unsigned long>(per_slice));
      if (c.bad()) w.fail(DCM_PixelData, c.text());
    }
    if (!ctx.ok()) {
      result.error = ctx.error;
      result.slices.clear();
      return result;
    }
    if (std::string e = detail::save(file, ref.file); !e.empty()) {
      result.error = std::move(e);
      result.slices.clear();
      return result;
    }
    result.slices.push_back(std::move(ref));
  }
  return result;
}

}  // namespace rtaudit::dicom
