#include "rtaudit/dicom/rtdose_reader.hpp"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcvr.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "rtaudit/dicom/elements.hpp"
#include "rtaudit/dicom/load.hpp"

namespace rtaudit::dicom {
namespace {

constexpr double kAbsoluteOffsetTolerance = 0.01;  // mm

void register_decoders() {
  static std::once_flag once;
  std::call_once(once, [] {
    DcmRLEDecoderRegistration::registerCodecs();
    DJDecoderRegistration::registerCodecs();
    DJLSDecoderRegistration::registerCodecs();
  });
}

bool present(DcmItem& item, const DcmTagKey& tag) {
  DcmElement* el = nullptr;
  return item.findAndGetElement(tag, el).good() && el != nullptr;
}

bool has_value(DcmItem& item, const DcmTagKey& tag) {
  DcmElement* el = nullptr;
  return item.findAndGetElement(tag, el).good() && el != nullptr && el->getLength() > 0;
}

bool all_finite(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
}

std::string join(const std::vector<double>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += fmt::format("{}{}", i ? "\\" : "", v[i]);
  return s;
}

/// Reads the stored pixel values (before DoseGridScaling) of `count` voxels.
std::string read_pixels(DcmDataset& ds, const std::string& xfer_name, bool big_endian, unsigned bits_allocated,
                        unsigned bits_stored, bool is_signed, std::size_t count, std::vector<double>& out) {
  if (ds.chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad())
    return fmt::format("{}: cannot decompress transfer syntax {}", describe(DCM_PixelData), xfer_name);
  DcmElement* el = nullptr;
  if (ds.findAndGetElement(DCM_PixelData, el).bad() || el == nullptr)
    return fmt::format("{}: absent (the dataset was read without its pixel data?)", describe(DCM_PixelData));
  if (el->getLength() == 0)
    return fmt::format("{}: empty (a header-only RTDOSE carries no dose)", describe(DCM_PixelData));
  Uint16* words = nullptr;
  if (el->getUint16Array(words).bad() || words == nullptr) {
    // Pixel data held as bytes (OB): read it as 16-bit words of the local byte order.
    Uint8* bytes = nullptr;
    if (el->getUint8Array(bytes).bad() || bytes == nullptr)
      return fmt::format("{}: cannot be read as 16-bit words", describe(DCM_PixelData));
    words = reinterpret_cast<Uint16*>(bytes);
  }
  const std::size_t n_words = el->getLength() / 2;
  const std::size_t words_per_value = bits_allocated / 16;
  if (n_words < count * words_per_value)
    return fmt::format("{}: {} bytes for {} voxels of {} bits (need {})", describe(DCM_PixelData), el->getLength(),
                       count, bits_allocated, count * words_per_value * 2);
  out.resize(count);
  const std::uint64_t mask = bits_stored >= 32 ? 0xFFFFFFFFull : ((1ull << bits_stored) - 1);
  const std::int64_t sign_bit = static_cast<std::int64_t>(1) << (bits_stored - 1);
  for (std::size_t i = 0; i < count; ++i) {
    std::uint64_t raw = 0;
    if (words_per_value == 1) {
      raw = words[i];
    } else {
      // DCMTK holds OW as 16-bit words in the local byte order: a 32-bit value is low word first
      // when it came from a little-endian stream, high word first from a big-endian one.
      const std::uint64_t w0 = words[2 * i], w1 = words[2 * i + 1];
      raw = big_endian ? ((w0 << 16) | w1) : (w0 | (w1 << 16));
    }
    raw &= mask;
    std::int64_t value = static_cast<std::int64_t>(raw);
    if (is_signed && (value & sign_bit) != 0) value -= static_cast<std::int64_t>(1) << bits_stored;
    out[i] = static_cast<double>(value);
  }
  return {};
}

}  // namespace

RtDoseRead read_rtdose(const std::string& path) {
  LoadedFile loaded = [&] {
    const UnknownVrConversion convert;
    return load_file(path, LoadDepth::Full);
  }();
  if (!loaded.file) return {std::nullopt, fmt::format("{}: {}", path, loaded.error), {}};
  DcmDataset& ds = *loaded.file->getDataset();
  RtDoseRead r = read_rtdose(ds, path);
  if (!loaded.charset_problem.empty()) r.warnings.push_back(fmt::format("{}: {}", path, loaded.charset_problem));
  return r;
}

RtDoseRead read_rtdose(DcmDataset& ds, const std::string& label) {
  register_decoders();
  RtDoseRead out;
  auto fail = [&](const std::string& what) {
    out.dose.reset();
    out.error = fmt::format("{}: {}", label, what);
    return out;
  };
  auto warn = [&](const std::string& what) { out.warnings.push_back(fmt::format("{}: {}", label, what)); };

  const std::string sop_class = get_string(ds, DCM_SOPClassUID);
  if (sop_class != UID_RTDoseStorage) {
    const std::string modality = get_string(ds, DCM_Modality);
    return fail(fmt::format("{}: '{}' is not RT Dose Storage (modality '{}')", describe(DCM_SOPClassUID), sop_class,
                            modality));
  }

  DoseGrid g;
  g.sop_instance_uid = get_string(ds, DCM_SOPInstanceUID);
  g.series_uid = get_string(ds, DCM_SeriesInstanceUID);
  g.frame_of_reference_uid = get_string(ds, DCM_FrameOfReferenceUID);
  if (g.frame_of_reference_uid.empty()) warn(fmt::format("{}: absent or empty", describe(DCM_FrameOfReferenceUID)));
  g.patient_position = get_string(ds, DCM_PatientPosition);

  // RT Dose module: units, type, summation, the referenced plan / fraction group / beam.
  g.dose_units = get_string(ds, DCM_DoseUnits);
  if (g.dose_units.empty()) return fail(fmt::format("{}: absent or empty (GY or RELATIVE)", describe(DCM_DoseUnits)));
  if (g.dose_units != "GY" && g.dose_units != "RELATIVE")
    return fail(fmt::format("{}: '{}' is neither GY nor RELATIVE", describe(DCM_DoseUnits), g.dose_units));
  if (g.dose_units == "RELATIVE")
    warn(fmt::format("{}: RELATIVE; the values are not Gy and are not summed or compared with Gy",
                     describe(DCM_DoseUnits)));
  g.dose_type = get_string(ds, DCM_DoseType);
  if (g.dose_type.empty()) warn(fmt::format("{}: absent or empty", describe(DCM_DoseType)));
  if (g.dose_type == "ERROR") warn(fmt::format("{}: ERROR; the grid is a dose uncertainty", describe(DCM_DoseType)));
  g.dose_summation_type = get_string(ds, DCM_DoseSummationType);
  if (g.dose_summation_type.empty())
    return fail(fmt::format("{}: absent or empty", describe(DCM_DoseSummationType)));
  {
    DcmSequenceOfItems* plans = nullptr;
    if (ds.findAndGetSequence(DCM_ReferencedRTPlanSequence, plans).good() && plans != nullptr && plans->card() > 0) {
      DcmItem* plan = plans->getItem(0);
      g.referenced_plan_uid = get_string(*plan, DCM_ReferencedSOPInstanceUID);
      if (plans->card() > 1)
        warn(fmt::format("{}: {} plans referenced ({}); the first one is kept", describe(DCM_ReferencedRTPlanSequence),
                         plans->card(), g.dose_summation_type));
      DcmItem* group = nullptr;
      if (plan->findAndGetSequenceItem(DCM_ReferencedFractionGroupSequence, group, 0).good() && group != nullptr) {
        if (auto n = get_number(*group, DCM_ReferencedFractionGroupNumber)) g.referenced_fraction_group = static_cast<int>(*n);
        DcmItem* beam = nullptr;
        if (group->findAndGetSequenceItem(DCM_ReferencedBeamSequence, beam, 0).good() && beam != nullptr) {
          if (auto n = get_number(*beam, DCM_ReferencedBeamNumber)) g.referenced_beam_number = static_cast<int>(*n);
        }
      }
    } else if (g.dose_summation_type == "PLAN" || g.dose_summation_type == "FRACTION" ||
               g.dose_summation_type == "BEAM") {
      warn(fmt::format("{}: absent; the plan this {} dose belongs to is unknown", describe(DCM_ReferencedRTPlanSequence),
                       g.dose_summation_type));
    }
    if (g.dose_summation_type == "BEAM" && !g.referenced_beam_number)
      warn("DoseSummationType BEAM without a ReferencedBeamNumber (300c,0006): the beam is unknown");
  }

  // Image Pixel.
  const auto rows = get_number(ds, DCM_Rows);
  const auto columns = get_number(ds, DCM_Columns);
  if (!rows || !columns || *rows < 1 || *columns < 1)
    return fail(fmt::format("{} / {}: absent or zero", describe(DCM_Rows), describe(DCM_Columns)));
  g.rows = static_cast<int>(*rows);
  g.columns = static_cast<int>(*columns);
  int frames = 1;
  if (has_value(ds, DCM_NumberOfFrames)) {
    const auto nf = get_number(ds, DCM_NumberOfFrames);
    if (!nf || *nf < 1 || *nf != std::floor(*nf))
      return fail(fmt::format("{}: '{}' is not a positive integer", describe(DCM_NumberOfFrames),
                              get_string(ds, DCM_NumberOfFrames)));
    frames = static_cast<int>(*nf);
  }
  const auto samples = get_number(ds, DCM_SamplesPerPixel);
  if (samples && *samples != 1)
    return fail(fmt::format("{}: {} (a dose grid has 1)", describe(DCM_SamplesPerPixel), *samples));
  const std::string photometric = get_string(ds, DCM_PhotometricInterpretation);
  if (!photometric.empty() && photometric != "MONOCHROME2")
    warn(fmt::format("{}: '{}' (MONOCHROME2 expected); values read as stored", describe(DCM_PhotometricInterpretation),
                     photometric));
  const auto bits_allocated = get_number(ds, DCM_BitsAllocated);
  if (!bits_allocated || (*bits_allocated != 16 && *bits_allocated != 32))
    return fail(fmt::format("{}: {} (16 or 32 for a dose grid)", describe(DCM_BitsAllocated),
                            bits_allocated ? fmt::format("{}", *bits_allocated) : std::string("absent")));
  const auto bits_stored = get_number(ds, DCM_BitsStored).value_or(*bits_allocated);
  if (bits_stored < 1 || bits_stored > *bits_allocated)
    return fail(fmt::format("{}: {} for {} bits allocated", describe(DCM_BitsStored), bits_stored, *bits_allocated));
  if (const auto high_bit = get_number(ds, DCM_HighBit); high_bit && *high_bit != bits_stored - 1)
    return fail(fmt::format("{}: {} (only HighBit = BitsStored - 1 = {} is read)", describe(DCM_HighBit), *high_bit,
                            bits_stored - 1));
  const auto representation = get_number(ds, DCM_PixelRepresentation).value_or(0);
  if (representation != 0 && representation != 1)
    return fail(fmt::format("{}: {} (0 or 1)", describe(DCM_PixelRepresentation), representation));

  // Image Plane.
  const std::vector<double> spacing = get_numbers(ds, DCM_PixelSpacing);
  if (spacing.size() != 2 || !all_finite(spacing) || !(spacing[0] > 0) || !(spacing[1] > 0))
    return fail(fmt::format("{}: '{}' is not two positive numbers", describe(DCM_PixelSpacing),
                            get_string(ds, DCM_PixelSpacing)));
  g.row_spacing_mm = spacing[0];     // between rows
  g.column_spacing_mm = spacing[1];  // between columns
  const std::vector<double> position = get_numbers(ds, DCM_ImagePositionPatient);
  if (position.size() != 3 || !all_finite(position))
    return fail(fmt::format("{}: '{}' is not three numbers", describe(DCM_ImagePositionPatient),
                            get_string(ds, DCM_ImagePositionPatient)));
  std::copy(position.begin(), position.end(), g.origin_mm.begin());
  const std::vector<double> orientation = get_numbers(ds, DCM_ImageOrientationPatient);
  if (orientation.size() != 6 || !all_finite(orientation))
    return fail(fmt::format("{}: '{}' is not six numbers", describe(DCM_ImageOrientationPatient),
                            get_string(ds, DCM_ImageOrientationPatient)));
  {
    const double lr = std::hypot(orientation[0], orientation[1], orientation[2]);
    const double lc = std::hypot(orientation[3], orientation[4], orientation[5]);
    const double dot = orientation[0] * orientation[3] + orientation[1] * orientation[4] + orientation[2] * orientation[5];
    if (std::abs(lr - 1) > 1e-3 || std::abs(lc - 1) > 1e-3 || std::abs(dot) > 1e-3)
      return fail(fmt::format("{}: {} are not two orthogonal unit vectors", describe(DCM_ImageOrientationPatient),
                              join(orientation)));
  }
  std::copy(orientation.begin(), orientation.end(), g.orientation.begin());
  if (has_value(ds, DCM_SliceThickness)) {
    if (auto t = get_number(ds, DCM_SliceThickness); t && std::isfinite(*t) && *t > 0) g.slice_thickness_mm = *t;
  }

  // Frames: GridFrameOffsetVector, relative or absolute (PS3.3 C.8.8.3.2).
  std::vector<double> offsets;
  if (has_value(ds, DCM_GridFrameOffsetVector)) {
    offsets = get_numbers(ds, DCM_GridFrameOffsetVector);
    if (offsets.empty() || !all_finite(offsets))
      return fail(fmt::format("{}: not a list of finite numbers", describe(DCM_GridFrameOffsetVector)));
  }
  if (offsets.empty()) {
    if (frames > 1)
      return fail(fmt::format("{}: absent or empty, but required for {} frames", describe(DCM_GridFrameOffsetVector),
                              frames));
    offsets = {0.0};
  }
  if (static_cast<int>(offsets.size()) != frames) {
    if (frames == 1) {
      warn(fmt::format("{}: {} values for a single frame (NumberOfFrames {}); the first one is used",
                       describe(DCM_GridFrameOffsetVector), offsets.size(),
                       has_value(ds, DCM_NumberOfFrames) ? std::string("1") : std::string("absent")));
      offsets.resize(1);
    } else {
      return fail(fmt::format("{}: {} values for {} frames ({})", describe(DCM_GridFrameOffsetVector), offsets.size(),
                              frames, describe(DCM_NumberOfFrames)));
    }
  }
  {
    int direction = 0;
    for (std::size_t k = 1; k < offsets.size(); ++k) {
      const double step = offsets[k] - offsets[k - 1];
      const int d = step > 0 ? 1 : (step < 0 ? -1 : 0);
      if (d == 0 || (direction != 0 && d != direction))
        return fail(fmt::format("{}: not strictly monotonic (value {} is {} after {})",
                                describe(DCM_GridFrameOffsetVector), k, offsets[k], offsets[k - 1]));
      direction = d;
    }
    const auto& o = g.orientation;
    const std::array<double, 3> n{o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]};
    const double along_normal = n[0] * g.origin_mm[0] + n[1] * g.origin_mm[1] + n[2] * g.origin_mm[2];
    const bool standard = o[0] == 1 && o[1] == 0 && o[2] == 0 && o[3] == 0 && o[4] == 1 && o[5] == 0;
    const double first = offsets[0];
    if (first != 0) {
      if (std::abs(first - along_normal) <= kAbsoluteOffsetTolerance) {
        // Absolute: positions along the normal; made relative to ImagePositionPatient.
        for (double& f : offsets) f -= along_normal;
        if (!standard)
          warn(fmt::format("{}: absolute form (first value {} = ImagePositionPatient along the normal), which PS3.3 "
                           "C.8.8.3.2 permits only for ImageOrientationPatient 1\\0\\0\\0\\1\\0; read as absolute",
                           describe(DCM_GridFrameOffsetVector), first));
      } else if (std::abs(std::abs(n[2]) - 1) < 1e-6 && std::abs(first - g.origin_mm[2]) <= kAbsoluteOffsetTolerance) {
        // Absolute patient z values while the normal runs toward -z.
        for (double& f : offsets) f = (f - g.origin_mm[2]) * n[2];
        warn(fmt::format("{}: absolute patient z values (first value {} = ImagePositionPatient z) with the frame "
                         "normal toward -z; read as z positions",
                         describe(DCM_GridFrameOffsetVector), first));
      } else {
        return fail(fmt::format(
            "{}: the first value {} is neither 0 (relative form) nor the position of ImagePositionPatient along the "
            "frame normal, {} (absolute form, within {} mm; PS3.3 C.8.8.3.2)",
            describe(DCM_GridFrameOffsetVector), first, along_normal, kAbsoluteOffsetTolerance));
      }
    }
  }
  g.frame_offsets_mm = offsets;

  // DoseGridScaling and the pixels.
  double scaling = 1;
  if (has_value(ds, DCM_DoseGridScaling)) {
    const auto s = get_number(ds, DCM_DoseGridScaling);
    if (!s || !std::isfinite(*s) || !(*s > 0))
      return fail(fmt::format("{}: '{}' is not a positive number", describe(DCM_DoseGridScaling),
                              get_string(ds, DCM_DoseGridScaling)));
    scaling = *s;
  } else {
    warn(fmt::format("{}: absent; the stored values are taken as doses (scaling 1)", describe(DCM_DoseGridScaling)));
  }
  if (!present(ds, DCM_PixelData))
    return fail(fmt::format("{}: absent (the dataset was read without its pixel data?)", describe(DCM_PixelData)));
  const DcmXfer original(ds.getOriginalXfer());
  const std::size_t count =
      static_cast<std::size_t>(g.columns) * static_cast<std::size_t>(g.rows) * static_cast<std::size_t>(frames);
  std::vector<double> stored;
  if (std::string e = read_pixels(ds, original.getXferName(), original.getByteOrder() == EBO_BigEndian,
                                  static_cast<unsigned>(*bits_allocated), static_cast<unsigned>(bits_stored),
                                  representation == 1, count, stored);
      !e.empty())
    return fail(e);
  g.dose_gy.resize(count);
  bool negative = false;
  for (std::size_t i = 0; i < count; ++i) {
    g.dose_gy[i] = static_cast<float>(stored[i] * scaling);
    negative = negative || stored[i] < 0;
  }
  if (negative && g.dose_type != "ERROR") warn("PixelData (7fe0,0010): negative doses");
  out.dose = std::move(g);
  return out;
}

}  // namespace rtaudit::dicom
