#include "rtaudit/dicom/write_rtdose.hpp"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "rtaudit/dicom/ds_format.hpp"

namespace rtaudit::dicom {
namespace {

using detail::ElementWriter;

std::string check_grid(const DoseGrid& g, const RtDoseOptions& o) {
  if (g.columns <= 0 || g.rows <= 0 || g.columns > 0xFFFF || g.rows > 0xFFFF)
    return fmt::format("Rows/Columns (0028,0010/0011): {} x {} is not a grid", g.rows, g.columns);
  if (g.frames() < 1) return "GridFrameOffsetVector (3004,000c): no frame";
  const std::size_t n =
      static_cast<std::size_t>(g.columns) * static_cast<std::size_t>(g.rows) * static_cast<std::size_t>(g.frames());
  if (g.dose_gy.size() != n) return fmt::format("PixelData (7fe0,0010): {} doses for {} voxels", g.dose_gy.size(), n);
  for (std::size_t k = 0; k < g.frame_offsets_mm.size(); ++k) {
    if (!std::isfinite(g.frame_offsets_mm[k]) || (k > 0 && !(g.frame_offsets_mm[k] > g.frame_offsets_mm[k - 1])))
      return "GridFrameOffsetVector (3004,000c): offsets must be finite and ascending";
  }
  if (!(g.column_spacing_mm > 0) || !(g.row_spacing_mm > 0)) return "PixelSpacing (0028,0030): must be positive";
  for (std::size_t i = 0; i < g.dose_gy.size(); ++i) {
    if (!std::isfinite(g.dose_gy[i]) || g.dose_gy[i] < 0)
      return fmt::format("PixelData (7fe0,0010): dose {} at voxel {} is negative or not finite", g.dose_gy[i], i);
  }
  if (g.dose_units != "GY") return fmt::format("DoseUnits (3004,0002): '{}' is not written (GY only)", g.dose_units);
  if (o.bits_allocated != 32 && o.bits_allocated != 16)
    return fmt::format("BitsAllocated (0028,0100): {} (32 or 16)", o.bits_allocated);
  return {};
}

}  // namespace

WriteResult write_rtdose(const std::filesystem::path& path, const StudyIdentity& identity, const DoseGrid& grid,
                         const RtDoseOptions& options) {
  const std::string file = path.string();
  if (std::string e = check_grid(grid, options); !e.empty()) return {fmt::format("{}: {}", file, e)};
  // The frame of reference is the identity's; a grid that names another one does not belong here.
  if (!grid.frame_of_reference_uid.empty() && grid.frame_of_reference_uid != identity.frame_of_reference_uid)
    return {fmt::format("{}: FrameOfReferenceUID (0020,0052): the grid is in '{}', the study in '{}'", file,
                        grid.frame_of_reference_uid, identity.frame_of_reference_uid)};
  const std::string& sum = grid.dose_summation_type;
  const bool references_plan = sum == "PLAN" || sum == "MULTI_PLAN" || sum == "FRACTION";
  if (!references_plan)
    return {fmt::format("{}: DoseSummationType (3004,000a): '{}' is not written (PLAN, MULTI_PLAN or FRACTION)", file,
                        sum)};

  // Scaling: the maximum dose near the top of the pixel range, then read back as written.
  const float max_dose = *std::max_element(grid.dose_gy.begin(), grid.dose_gy.end());
  const double top = options.bits_allocated == 32 ? 4.0e9 : 65000.0;
  const double limit = options.bits_allocated == 32 ? 4294967295.0 : 65535.0;
  const std::string scaling_text = *format_ds(max_dose > 0 ? static_cast<double>(max_dose) / top : 1.0);
  const double scaling = std::strtod(scaling_text.c_str(), nullptr);

  // Frame geometry: relative offsets, the first 0.
  const auto& o = grid.orientation;
  const std::array<double, 3> normal{o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]};
  const double first = grid.frame_offsets_mm.front();
  const std::array<double, 3> origin{grid.origin_mm[0] + normal[0] * first, grid.origin_mm[1] + normal[1] * first,
                                     grid.origin_mm[2] + normal[2] * first};
  std::vector<double> offsets;
  offsets.reserve(grid.frame_offsets_mm.size());
  for (const double f : grid.frame_offsets_mm) offsets.push_back(f - first);
  // SliceThickness: the frame spacing when it is uniform, otherwise empty (Type 2).
  double thickness_mm = 0;
  bool uniform = offsets.size() > 1;
  if (uniform) {
    thickness_mm = offsets[1] - offsets[0];
    for (std::size_t k = 2; k < offsets.size(); ++k) {
      if (std::abs(offsets[k] - offsets[k - 1] - thickness_mm) > 1e-3) uniform = false;
    }
  }

  DcmFileFormat ff;
  detail::WriteContext ctx{file, {}};
  ElementWriter w(ctx, *ff.getDataset());
  const bool utf8 = detail::any_non_ascii({identity.patient_name, identity.patient_id, identity.study_id,
                                           identity.institution_name, identity.institutional_department_name,
                                           identity.operator_name, identity.manufacturer, options.series_description});
  detail::write_character_set(w, utf8);
  detail::write_sop_common(w, identity, UID_RTDoseStorage, grid.sop_instance_uid);
  detail::write_patient_and_study(w, identity);
  detail::write_series(w, identity, "RTDOSE", grid.series_uid, options.series_number, options.series_description);
  detail::write_frame_of_reference(w, identity);
  detail::write_equipment(w, identity);
  // General Image
  w.is(DCM_InstanceNumber, 1);
  w.type2(DCM_ContentDate, identity.study_date);
  w.type2(DCM_ContentTime, identity.study_time);
  // Image Plane
  const std::array<double, 2> spacing{grid.row_spacing_mm, grid.column_spacing_mm};
  w.ds(DCM_PixelSpacing, std::span<const double>(spacing));
  w.ds(DCM_ImageOrientationPatient, std::span<const double>(grid.orientation));
  w.ds(DCM_ImagePositionPatient, std::span<const double>(origin));
  if (uniform) {
    w.ds(DCM_SliceThickness, thickness_mm);
  } else if (offsets.size() == 1 && grid.slice_thickness_mm && *grid.slice_thickness_mm > 0) {
    w.ds(DCM_SliceThickness, *grid.slice_thickness_mm);  // a single frame's extent
  } else {
    w.empty(DCM_SliceThickness);
  }
  // Image Pixel, Multi-frame
  const unsigned bits = static_cast<unsigned>(options.bits_allocated);
  w.us(DCM_SamplesPerPixel, 1);
  w.required(DCM_PhotometricInterpretation, "MONOCHROME2");
  w.us(DCM_Rows, static_cast<unsigned>(grid.rows));
  w.us(DCM_Columns, static_cast<unsigned>(grid.columns));
  w.us(DCM_BitsAllocated, bits);
  w.us(DCM_BitsStored, bits);
  w.us(DCM_HighBit, bits - 1);
  w.us(DCM_PixelRepresentation, 0);
  w.is(DCM_NumberOfFrames, grid.frames());
  w.at(DCM_FrameIncrementPointer, DCM_GridFrameOffsetVector);
  // RT Dose
  w.required(DCM_DoseUnits, "GY");
  w.required(DCM_DoseType, options.dose_type);
  w.required(DCM_DoseSummationType, sum);
  {
    ElementWriter r = w.append_item(DCM_ReferencedRTPlanSequence);
    r.uid(DCM_ReferencedSOPClassUID, UID_RTPlanStorage);
    r.uid(DCM_ReferencedSOPInstanceUID, grid.referenced_plan_uid);
    if (sum == "FRACTION") {
      ElementWriter f = r.append_item(DCM_ReferencedFractionGroupSequence);
      f.is(DCM_ReferencedFractionGroupNumber, grid.referenced_fraction_group.value_or(1));
    }
  }
  w.ds(DCM_GridFrameOffsetVector, std::span<const double>(offsets));
  w.required(DCM_DoseGridScaling, scaling_text);
  if (!ctx.ok()) return {ctx.error};

  // Pixels as 16-bit words, low word first: the same bytes as little-endian 32-bit values.
  const std::size_t words_per_value = bits / 16;
  std::vector<Uint16> words(grid.dose_gy.size() * words_per_value);
  for (std::size_t i = 0; i < grid.dose_gy.size(); ++i) {
    const double v = std::min(std::round(static_cast<double>(grid.dose_gy[i]) / scaling), limit);
    const auto stored = static_cast<std::uint32_t>(v);
    if (words_per_value == 2) {
      words[2 * i] = static_cast<Uint16>(stored & 0xFFFFu);
      words[2 * i + 1] = static_cast<Uint16>(stored >> 16);
    } else {
      words[i] = static_cast<Uint16>(stored);
    }
  }
  const OFCondition c =
      ff.getDataset()->putAndInsertUint16Array(DCM_PixelData, words.data(), static_cast<unsigned long>(words.size()));
  if (c.bad()) return {fmt::format("{}: PixelData (7fe0,0010): {}", file, c.text())};
  return {detail::save(ff, path)};
}

}  // namespace rtaudit::dicom
