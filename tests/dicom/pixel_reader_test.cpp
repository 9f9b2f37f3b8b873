// Pixel data of real CT series (../shared conformance) against pydicom's decoding of the same files.

#include "rtaudit/dicom/inspect.hpp"
#include "rtaudit/dicom/load.hpp"
#include "rtaudit/dicom/pixel_reader.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

namespace rtaudit::dicom {
namespace {

namespace fs = std::filesystem;
const fs::path kConformance = fs::path(RTAUDIT_SHARED_DIR) / "data" / "conformance";

std::string python(const std::string& script) {
  const std::string cmd = "/usr/bin/python3 -c \"" + script + "\" 2>&1";
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  ::pclose(p);
  return out;
}

TEST(PixelReader, MatradCtSeriesMatchesPydicom) {
  const fs::path dir = kConformance / "matRad" / "examples" / "dicomExport";
  if (!fs::exists(dir)) GTEST_SKIP() << "conformance data not found";
  configure_dcmtk_logging(false);
  const InspectReport report = inspect(dir);
  ASSERT_EQ(report.series.size(), 1u);
  const ImageSeries& s = report.series[0];
  EXPECT_EQ(s.slices.size(), 100u);
  ASSERT_TRUE(s.uniform_spacing_mm.has_value());
  EXPECT_NEAR(*s.uniform_spacing_mm, 3.0, 1e-6);
  const ImageVolume v = read_image_volume(s);
  ASSERT_TRUE(v.problems.empty()) << v.problems[0].message;
  ASSERT_EQ(v.values.size(), static_cast<std::size_t>(s.rows) * s.columns * 100);
  // Sum of HU of the middle slice, decoded independently by pydicom.
  const int k = 50;
  const std::string file = s.slices[k].file;
  const std::string out = python(
      "import pydicom, numpy as np; d = pydicom.dcmread('" + file +
      "'); a = d.pixel_array.astype(np.float64) * float(getattr(d, 'RescaleSlope', 1)) + "
      "float(getattr(d, 'RescaleIntercept', 0)); print(int(np.round(a).sum()))");
  long long ours = 0;
  for (int j = 0; j < v.rows; ++j)
    for (int i = 0; i < v.columns; ++i) ours += v.at(i, j, k);
  EXPECT_EQ(std::to_string(ours) + "\n", out);
}

TEST(PixelReader, ObliqueSeriesIsRecognisedAsNotAxial) {
  const fs::path dir = kConformance / "rt-utils" / "tests" / "oriented_data";
  if (!fs::exists(dir)) GTEST_SKIP() << "conformance data not found";
  configure_dcmtk_logging(false);
  const InspectReport report = inspect(dir);
  ASSERT_FALSE(report.series.empty());
  EXPECT_FALSE(report.series[0].axial);
}

}  // namespace
}  // namespace rtaudit::dicom
