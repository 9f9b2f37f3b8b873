#include "rtaudit/dicom/pixel_reader.hpp"

#include "rtaudit/dicom/elements.hpp"
#include "rtaudit/dicom/load.hpp"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>

namespace rtaudit::dicom {
namespace {

void register_decoders() {
  static std::once_flag once;
  std::call_once(once, [] {
    DcmRLEDecoderRegistration::registerCodecs();
    DJDecoderRegistration::registerCodecs();
    DJLSDecoderRegistration::registerCodecs();
  });
}

std::int16_t clamp16(double v) {
  const double r = std::round(v);
  return static_cast<std::int16_t>(std::clamp(r, -32768.0, 32767.0));
}

}  // namespace

ImageVolume read_image_volume(const ImageSeries& series) {
  register_decoders();
  ImageVolume vol;
  vol.columns = series.columns;
  vol.rows = series.rows;
  vol.slices = static_cast<int>(series.slices.size());
  vol.orientation = series.orientation;
  vol.pixel_spacing = series.pixel_spacing;
  const std::size_t per_slice = static_cast<std::size_t>(vol.rows) * static_cast<std::size_t>(vol.columns);
  const std::int16_t fill = series.modality == "CT" ? std::int16_t{-1024} : std::int16_t{0};
  vol.values.assign(per_slice * series.slices.size(), fill);

  for (std::size_t k = 0; k < series.slices.size(); ++k) {
    const ImageSlice& slice = series.slices[k];
    vol.slice_positions.push_back(slice.position);
    auto fail = [&](const std::string& element, const std::string& why) {
      vol.problems.push_back({Severity::Error, slice.file, element, why + "; slice filled with " + std::to_string(fill)});
    };
    LoadedFile loaded = load_file(slice.file, LoadDepth::Full);
    if (!loaded.file) {
      fail("", loaded.error);
      continue;
    }
    DcmDataset& ds = *loaded.file->getDataset();
    if (ds.chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad()) {
      fail(describe(DCM_PixelData), "cannot decompress transfer syntax " + loaded.transfer_syntax);
      continue;
    }
    const auto bits = get_number(ds, DCM_BitsAllocated).value_or(0);
    const bool is_signed = get_number(ds, DCM_PixelRepresentation).value_or(0) == 1;
    const auto samples = get_number(ds, DCM_SamplesPerPixel).value_or(1);
    if (samples != 1 || (bits != 16 && bits != 8)) {
      fail(describe(DCM_BitsAllocated), fmt::format("unsupported pixel format ({} bits, {} samples)", bits, samples));
      continue;
    }
    std::int16_t* out = vol.values.data() + k * per_slice;
    const double slope = slice.rescale_slope;
    const double intercept = slice.rescale_intercept;
    if (bits == 16) {
      const Uint16* data = nullptr;
      unsigned long count = 0;
      if (ds.findAndGetUint16Array(DCM_PixelData, data, &count).bad() || data == nullptr || count < per_slice) {
        fail(describe(DCM_PixelData), "pixel data missing or shorter than rows x columns");
        continue;
      }
      for (std::size_t p = 0; p < per_slice; ++p) {
        const double raw = is_signed ? static_cast<double>(static_cast<Sint16>(data[p])) : static_cast<double>(data[p]);
        out[p] = clamp16(raw * slope + intercept);
      }
    } else {
      const Uint8* data = nullptr;
      unsigned long count = 0;
      if (ds.findAndGetUint8Array(DCM_PixelData, data, &count).bad() || data == nullptr || count < per_slice) {
        fail(describe(DCM_PixelData), "pixel data missing or shorter than rows x columns");
        continue;
      }
      for (std::size_t p = 0; p < per_slice; ++p) {
        const double raw = is_signed ? static_cast<double>(static_cast<Sint8>(data[p])) : static_cast<double>(data[p]);
        out[p] = clamp16(raw * slope + intercept);
      }
    }
  }
  return vol;
}

}  // namespace rtaudit::dicom
