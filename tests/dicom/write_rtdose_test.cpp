#include "rtaudit/dicom/write_rtdose.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <sstream>

#include "rtaudit/dicom/inspect.hpp"
#include "rtaudit/case/uid.hpp"
#include "tests/dicom/test_files.hpp"
#include "tests/dicom/writer_fixtures.hpp"

namespace rtaudit::dicom {
namespace {

using test::temp_dir;

const std::string kPlanUid = make_uid("writer-test/rtplan");

std::filesystem::path write_small_dose(const std::string& name, const DoseGrid& grid,
                                       const RtDoseOptions& options = {}) {
  const auto path = temp_dir(name) / "RD.dcm";
  const auto r = write_rtdose(path, test::small_identity(), grid, options);
  EXPECT_TRUE(r.ok()) << r.error;
  return path;
}

// Every voxel as pydicom decodes it (stored value x DoseGridScaling), one per line.
std::vector<double> doses_by_pydicom(const std::filesystem::path& path) {
  const auto run = test::pydicom(
      "n = ds.Rows * ds.Columns * int(ds.NumberOfFrames)\n"
      "fmt = '<%d%s' % (n, 'I' if ds.BitsAllocated == 32 else 'H')\n"
      "for v in struct.unpack(fmt, ds.PixelData): print(repr(v * float(ds.DoseGridScaling)))",
      path);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  std::vector<double> out;
  std::istringstream in(run.output);
  for (double v; in >> v;) out.push_back(v);
  return out;
}

TEST(WriteRtDose, IsValidForDciodvfy) {
  const auto path = write_small_dose("rd", test::small_dose(kPlanUid));
  std::string output;
  const auto errors = test::dciodvfy_errors(path, &output);
  EXPECT_TRUE(errors.empty()) << output;
}

TEST(WriteRtDose, SixteenBitPixelsDecodeWithinHalfAScalingStep) {
  const auto path = write_small_dose("rd16", test::small_dose(kPlanUid));
  const auto grid = test::small_dose(kPlanUid);
  const auto doses = doses_by_pydicom(path);
  ASSERT_EQ(doses.size(), grid.dose_gy.size());
  for (std::size_t i = 0; i < doses.size(); ++i) EXPECT_NEAR(doses[i], grid.dose_gy[i], 50.0 / 65000) << i;
}

TEST(WriteRtDose, RtauditSeesTheGridGeometry) {
  const auto grid = test::small_dose(kPlanUid);
  const auto path = write_small_dose("rd", grid);
  for (const int bits : {16, 32}) {
    RtDoseOptions options;
    options.bits_allocated = bits;
    const auto p = write_small_dose(fmt::format("rd{}", bits), grid, options);
    const InspectReport r = inspect(p.parent_path());
    ASSERT_EQ(r.inventory.objects.size(), 1u);
    EXPECT_EQ(r.inventory.objects[0].kind, ObjectKind::RTDOSE) << bits;
  }
  const InspectReport report = inspect(path.parent_path());
  EXPECT_TRUE(report.inventory.problems.empty());
  ASSERT_EQ(report.inventory.objects.size(), 1u);
  const ObjectInfo& o = report.inventory.objects[0];
  EXPECT_EQ(o.kind, ObjectKind::RTDOSE);
  EXPECT_EQ(o.sop_instance_uid, grid.sop_instance_uid);
  EXPECT_EQ(o.frame_of_reference_uid, test::small_identity().frame_of_reference_uid);
  ASSERT_TRUE(o.image);
  EXPECT_EQ(o.image->rows, 5);
  EXPECT_EQ(o.image->columns, 4);
  EXPECT_EQ(o.image->number_of_frames, 3);
  EXPECT_EQ(o.image->position, grid.origin_mm);
  EXPECT_EQ(o.image->pixel_spacing[0], 2.0);
  EXPECT_EQ(o.image->pixel_spacing[1], 2.5);
}

// 32-bit is an option: pydicom and rtaudit read it; dciodvfy cannot (it aborts on 32-bit pixels).
TEST(WriteRtDose, ThirtyTwoBitPixelsDecodeWithinHalfAScalingStep) {
  const auto grid = test::small_dose(kPlanUid);
  RtDoseOptions options;
  options.bits_allocated = 32;
  const auto path = write_small_dose("rd32", grid, options);
  const auto run = test::pydicom(
      "print(ds.DoseUnits, ds.DoseType, ds.DoseSummationType, ds.BitsAllocated, [float(x) for x in "
      "ds.GridFrameOffsetVector],"
      " ds.FrameIncrementPointer, ds.ReferencedRTPlanSequence[0].ReferencedSOPInstanceUID)",
      path);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output, fmt::format("GY PHYSICAL PLAN 32 [0.0, 2.5, 5.0] (3004, 000c) {}\n", kPlanUid));
  const auto doses = doses_by_pydicom(path);
  ASSERT_EQ(doses.size(), grid.dose_gy.size());
  for (std::size_t i = 0; i < doses.size(); ++i) EXPECT_NEAR(doses[i], grid.dose_gy[i], 50.0 / 4e9) << i;
}

TEST(WriteRtDose, AFirstOffsetOtherThanZeroMovesThePosition) {
  auto grid = test::small_dose(kPlanUid);
  grid.frame_offsets_mm = {5, 7.5, 10};
  const auto path = write_small_dose("rd", grid);
  const auto run = test::pydicom(
      "print([float(x) for x in ds.ImagePositionPatient], [float(x) for x in ds.GridFrameOffsetVector])", path);
  EXPECT_EQ(run.output, "[-5.0, -5.0, 2.5] [0.0, 2.5, 5.0]\n");
}

TEST(WriteRtDose, IdenticalInputsGiveIdenticalBytes) {
  EXPECT_TRUE(test::same_bytes(write_small_dose("a", test::small_dose(kPlanUid)),
                               write_small_dose("b", test::small_dose(kPlanUid))));
}

TEST(WriteRtDose, ANegativeDoseIsAnError) {
  auto grid = test::small_dose(kPlanUid);
  grid.dose_gy[3] = -1;
  const auto dir = temp_dir("bad");
  const auto r = write_rtdose(dir / "RD.dcm", test::small_identity(), grid);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error.find("RD.dcm: PixelData (7fe0,0010)"), std::string::npos) << r.error;
}

TEST(WriteRtDose, AMissingPlanReferenceNamesTheElement) {
  auto grid = test::small_dose("");
  const auto dir = temp_dir("bad");
  const auto r = write_rtdose(dir / "RD.dcm", test::small_identity(), grid);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error.find("ReferencedRTPlanSequence[0] (300c,0002) > ReferencedSOPInstanceUID (0008,1155)"),
            std::string::npos)
      << r.error;
}

}  // namespace
}  // namespace rtaudit::dicom
