#include "rtaudit/dicom/write_ct.hpp"

#include <gtest/gtest.h>

#include "rtaudit/dicom/inspect.hpp"
#include "rtaudit/dicom/pixel_reader.hpp"
#include "rtaudit/case/uid.hpp"
#include "tests/dicom/test_files.hpp"
#include "tests/dicom/writer_fixtures.hpp"

namespace rtaudit::dicom {
namespace {

using test::temp_dir;

TEST(WriteCt, EverySliceIsValidCtImageForDciodvfy) {
  const auto dir = temp_dir("ct");
  const auto r = write_ct_series(dir, test::small_identity(), test::small_volume(), test::small_ct_options());
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.slices.size(), 3u);
  for (const auto& s : r.slices) {
    std::string output;
    const auto errors = test::dciodvfy_errors(s.file, &output);
    EXPECT_TRUE(errors.empty()) << s.file << "\n" << output;
  }
}

TEST(WriteCt, RtauditReadsBackTheSeriesGeometryAndPixels) {
  const auto dir = temp_dir("ct");
  const auto id = test::small_identity();
  const auto volume = test::small_volume();
  const auto options = test::small_ct_options();
  const auto r = write_ct_series(dir, id, volume, options);
  ASSERT_TRUE(r.ok()) << r.error;
  const InspectReport report = inspect(dir);
  EXPECT_TRUE(report.inventory.problems.empty());
  ASSERT_EQ(report.series.size(), 1u);
  const ImageSeries& s = report.series[0];
  EXPECT_EQ(s.series_uid, options.series_uid);
  EXPECT_EQ(s.study_uid, id.study_uid);
  EXPECT_EQ(s.frame_of_reference_uid, id.frame_of_reference_uid);
  EXPECT_EQ(s.patient_id, id.patient_id);
  EXPECT_EQ(s.modality, "CT");
  EXPECT_EQ(s.patient_position, "HFS");
  EXPECT_EQ(s.rows, 16);
  EXPECT_EQ(s.columns, 16);
  EXPECT_TRUE(s.axial);
  ASSERT_TRUE(s.uniform_spacing_mm);
  EXPECT_DOUBLE_EQ(*s.uniform_spacing_mm, 2.5);
  EXPECT_EQ(s.slice_thickness_mm, 2.5);
  ASSERT_EQ(s.slices.size(), 3u);
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(s.slices[k].position, volume.slice_positions[k]);
    EXPECT_EQ(s.slices[k].sop_instance_uid, r.slices[k].sop_instance_uid);
  }
  const ImageVolume back = read_image_volume(s);
  EXPECT_TRUE(back.problems.empty());
  EXPECT_EQ(back.values, volume.values);
}

TEST(WriteCt, PydicomReadsTheValues) {
  const auto dir = temp_dir("ct");
  const auto r = write_ct_series(dir, test::small_identity(), test::small_volume(), test::small_ct_options());
  ASSERT_TRUE(r.ok()) << r.error;
  const auto run = test::pydicom(
      "px = struct.unpack('<256h', ds.PixelData)\n"
      "print(ds.Modality, ds.KVP, ds.ContrastBolusAgent, ds.RescaleIntercept, ds.PixelRepresentation,"
      " ds.ImagePositionPatient[2], px[0], px[2 * 16 + 2], ds.file_meta.TransferSyntaxUID)",
      r.slices[1].file);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output, "CT 120 IODINE 0 1 0 -1000 52 1.2.840.10008.1.2.1\n");
}

TEST(WriteCt, IdenticalInputsGiveIdenticalBytes) {
  const auto a = temp_dir("a");
  const auto b = temp_dir("b");
  const auto ra = write_ct_series(a, test::small_identity(), test::small_volume(), test::small_ct_options());
  const auto rb = write_ct_series(b, test::small_identity(), test::small_volume(), test::small_ct_options());
  ASSERT_TRUE(ra.ok() && rb.ok());
  for (std::size_t k = 0; k < ra.slices.size(); ++k) {
    EXPECT_EQ(ra.slices[k].file.filename(), rb.slices[k].file.filename());
    EXPECT_TRUE(test::same_bytes(ra.slices[k].file, rb.slices[k].file)) << ra.slices[k].file;
  }
}

TEST(WriteCt, SopInstanceUidsComeFromTheKeyPrefix) {
  const auto dir = temp_dir("ct");
  auto options = test::small_ct_options();
  const auto r = write_ct_series(dir, test::small_identity(), test::small_volume(), options);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.slices[0].sop_instance_uid, make_uid("writer-test/ct/1"));
  EXPECT_EQ(r.slices[2].file.filename(), "CT0003.dcm");
}

TEST(WriteCt, WithoutContrastThereIsNoContrastModule) {
  const auto dir = temp_dir("ct");
  auto options = test::small_ct_options();
  options.contrast_agent.reset();
  const auto r = write_ct_series(dir, test::small_identity(), test::small_volume(), options);
  ASSERT_TRUE(r.ok()) << r.error;
  const auto run = test::pydicom("print('ContrastBolusAgent' in ds)", r.slices[0].file);
  EXPECT_EQ(run.output, "False\n");
}

TEST(WriteCt, AVolumeOfTheWrongSizeIsAnError) {
  const auto dir = temp_dir("ct");
  auto volume = test::small_volume();
  volume.values.pop_back();
  const auto r = write_ct_series(dir, test::small_identity(), volume, test::small_ct_options());
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.slices.empty());
  EXPECT_NE(r.error.find("values for"), std::string::npos) << r.error;
}

TEST(WriteCt, ABadUidNamesTheFileAndElement) {
  const auto dir = temp_dir("ct");
  auto id = test::small_identity();
  id.frame_of_reference_uid = "1.2.03";
  const auto r = write_ct_series(dir, id, test::small_volume(), test::small_ct_options());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error.find("CT0001.dcm"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("FrameOfReferenceUID (0020,0052)"), std::string::npos) << r.error;
}

TEST(WriteCt, ABadDateNamesTheElement) {
  const auto dir = temp_dir("ct");
  auto id = test::small_identity();
  id.study_date = "2026-01-02";
  const auto r = write_ct_series(dir, id, test::small_volume(), test::small_ct_options());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error.find("(0008,0012)"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace rtaudit::dicom
