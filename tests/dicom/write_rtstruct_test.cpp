#include "rtaudit/dicom/write_rtstruct.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "rtaudit/dicom/inspect.hpp"
#include "rtaudit/case/uid.hpp"
#include "rtaudit/dicom/write_ct.hpp"
#include "tests/dicom/test_files.hpp"
#include "tests/dicom/writer_fixtures.hpp"

namespace rtaudit::dicom {
namespace {

using test::temp_dir;

struct Written {
  std::filesystem::path root;
  std::filesystem::path ct_dir;
  std::filesystem::path rtstruct;
  std::vector<CtSliceRef> slices;
};

RtStructOptions small_options() {
  RtStructOptions o;
  o.sop_instance_uid = make_uid("writer-test/rtstruct");
  o.series_uid = make_uid("writer-test/rtstruct-series");
  o.series_number = 3;
  o.series_description = "Writer test structures";
  return o;
}

Written write_patient(const std::string& name, const StructureSet* set_override = nullptr) {
  Written w;
  w.root = temp_dir(name);
  w.ct_dir = w.root / "ct";
  w.rtstruct = w.root / "RS.dcm";
  const auto id = test::small_identity();
  const auto ct = write_ct_series(w.ct_dir, id, test::small_volume(), test::small_ct_options());
  EXPECT_TRUE(ct.ok()) << ct.error;
  w.slices = ct.slices;
  const StructureSet set = set_override ? *set_override : test::small_structure_set(id);
  const auto r = write_rtstruct(w.rtstruct, id, set, w.slices, small_options());
  EXPECT_TRUE(r.ok()) << r.error;
  return w;
}

TEST(WriteRtStruct, IsValidForDciodvfy) {
  const Written w = write_patient("rs");
  std::string output;
  const auto errors = test::dciodvfy_errors(w.rtstruct, &output);
  EXPECT_TRUE(errors.empty()) << output;
}

TEST(WriteRtStruct, RtauditReadsBackEveryRoi) {
  const Written w = write_patient("rs");
  const InspectReport report = inspect(w.root);
  EXPECT_TRUE(report.inventory.problems.empty());
  ASSERT_EQ(report.structure_sets.size(), 1u);
  const InspectedStructureSet& iss = report.structure_sets[0];
  EXPECT_TRUE(iss.set.problems.empty()) << iss.set.problems.front().message;
  ASSERT_TRUE(iss.series);
  EXPECT_EQ(report.series[*iss.series].series_uid, make_uid("writer-test/ct-series"));
  EXPECT_EQ(iss.set.referenced_series_uid, make_uid("writer-test/ct-series"));
  EXPECT_EQ(iss.set.frame_of_reference_uid, test::small_identity().frame_of_reference_uid);
  EXPECT_EQ(iss.set.label, "TEST");

  const StructureSet expected = test::small_structure_set(test::small_identity());
  ASSERT_EQ(iss.set.rois.size(), expected.rois.size());
  for (const auto& [number, roi] : expected.rois) {
    ASSERT_TRUE(iss.set.rois.count(number)) << number;
    const Roi& back = iss.set.rois.at(number);
    EXPECT_EQ(back.name, roi.name);
    EXPECT_EQ(back.interpreted_type, roi.interpreted_type);
    EXPECT_EQ(back.generation_algorithm, roi.generation_algorithm);
    EXPECT_EQ(back.colour, roi.colour);
    EXPECT_EQ(back.contours.size(), roi.contours.size());
    EXPECT_EQ(back.point_count(), roi.point_count());
    for (std::size_t c = 0; c < roi.contours.size(); ++c) {
      EXPECT_EQ(back.contours[c].type, roi.contours[c].type);
      EXPECT_EQ(back.contours[c].points, roi.contours[c].points);
    }
  }
  ASSERT_TRUE(iss.rois.at(1).volume_cc);
  EXPECT_NEAR(*iss.rois.at(1).volume_cc, test::kBodyVolumeCc, 1e-9);
  ASSERT_TRUE(iss.rois.at(7).volume_cc);
  EXPECT_NEAR(*iss.rois.at(7).volume_cc, test::kRingVolumeCc, 1e-9);
  EXPECT_EQ(iss.rois.at(2).stored.planes, 1u);
  EXPECT_EQ(iss.rois.at(7).stored.max_contours_per_plane, 2u);
}

TEST(WriteRtStruct, PydicomSeesContourImageReferencesToTheMatchingSlice) {
  const Written w = write_patient("rs");
  const auto run = test::pydicom(
      "print(ds.Modality, len(ds.StructureSetROISequence), [r.ROIName for r in ds.StructureSetROISequence])\n"
      "ring = ds.ROIContourSequence[2]\n"
      "c = ring.ContourSequence[2]\n"
      "print(ring.ReferencedROINumber, len(ring.ContourSequence), c.NumberOfContourPoints, float(c.ContourData[2]),"
      " c.ContourImageSequence[0].ReferencedSOPInstanceUID)\n"
      "p = ds.ROIContourSequence[1].ContourSequence[0]\n"
      "print(p.ContourGeometricType, p.ContourImageSequence[0].ReferencedSOPInstanceUID)\n"
      "s = ds.ReferencedFrameOfReferenceSequence[0].RTReferencedStudySequence[0].RTReferencedSeriesSequence[0]\n"
      "print(len(s.ContourImageSequence), ds.FrameOfReferenceUID == "
      "ds.ReferencedFrameOfReferenceSequence[0].FrameOfReferenceUID)",
      w.rtstruct);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string uid0 = w.slices[1].sop_instance_uid;
  EXPECT_EQ(run.output,
            fmt::format("RTSTRUCT 3 ['BODY', 'MARKER', 'RING']\n7 4 4 0.0 {}\nPOINT {}\n3 True\n", uid0, uid0));
}

TEST(WriteRtStruct, PlastimatchConvertsItWithTheCt) {
  const Written w = write_patient("rs");
  const auto out = w.root.parent_path() / (w.root.filename().string() + "-plastimatch");
  std::filesystem::remove_all(out);
  const auto run =
      test::run_tool(fmt::format("plastimatch convert --input '{}' --referenced-ct '{}' --output-prefix '{}'",
                                 w.rtstruct.string(), w.ct_dir.string(), out.string()));
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_TRUE(std::filesystem::exists(out / "BODY.mha")) << run.output;
  EXPECT_TRUE(std::filesystem::exists(out / "RING.mha")) << run.output;
}

TEST(WriteRtStruct, IdenticalInputsGiveIdenticalBytes) {
  const Written a = write_patient("a");
  const Written b = write_patient("b");
  EXPECT_TRUE(test::same_bytes(a.rtstruct, b.rtstruct));
}

TEST(WriteRtStruct, AContourTooLongForExplicitVrIsWrittenImplicit) {
  auto id = test::small_identity();
  StructureSet set = test::small_structure_set(id);
  Roi& body = set.rois.at(1);
  geom::Contour circle;
  for (int i = 0; i < 3000; ++i) {
    const double a = 2 * std::numbers::pi * i / 3000;
    circle.points.push_back({6.123456789 * std::cos(a), 6.123456789 * std::sin(a), 2.5});
  }
  body.contours[2] = circle;
  const Written w = write_patient("long", &set);
  std::string output;
  EXPECT_TRUE(test::dciodvfy_errors(w.rtstruct, &output).empty()) << output;
  const InspectReport report = inspect(w.root);
  ASSERT_EQ(report.structure_sets.size(), 1u);
  EXPECT_EQ(report.structure_sets[0].set.rois.at(1).contours[2].points.size(), 3000u);
  const auto run = test::pydicom("print(ds.file_meta.TransferSyntaxUID)", w.rtstruct);
  EXPECT_EQ(run.output, "1.2.840.10008.1.2\n");
}

TEST(WriteRtStruct, NonAsciiNamesAreWrittenAsUtf8) {
  auto id = test::small_identity();
  StructureSet set = test::small_structure_set(id);
  set.rois.at(7).name = "Hj\xc3\xa4rta";  // "Hjärta"
  const Written w = write_patient("utf8", &set);
  std::string output;
  EXPECT_TRUE(test::dciodvfy_errors(w.rtstruct, &output).empty()) << output;
  const InspectReport report = inspect(w.root);
  ASSERT_EQ(report.structure_sets.size(), 1u);
  EXPECT_EQ(report.structure_sets[0].set.rois.at(7).name, "Hj\xc3\xa4rta");
  const auto run = test::pydicom(
      "print(ds.SpecificCharacterSet, ds.StructureSetROISequence[2].ROIName == 'Hj\\u00e4rta')", w.rtstruct);
  EXPECT_EQ(run.output, "ISO_IR 192 True\n");
}

TEST(WriteRtStruct, ANonFiniteCoordinateNamesTheRoiAndElement) {
  const auto dir = temp_dir("bad");
  auto id = test::small_identity();
  StructureSet set = test::small_structure_set(id);
  set.rois.at(7).contours[1].points[2].x = std::nan("");
  const auto r = write_rtstruct(dir / "RS.dcm", id, set, {}, small_options());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error.find("RS.dcm"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("ROI 7 'RING' > ContourSequence[1] > ContourData (3006,0050)"), std::string::npos) << r.error;
  EXPECT_FALSE(std::filesystem::exists(dir / "RS.dcm"));
}

TEST(WriteRtStruct, AMissingReferencedSeriesIsAnError) {
  const auto dir = temp_dir("bad");
  auto id = test::small_identity();
  StructureSet set = test::small_structure_set(id);
  set.referenced_series_uid.clear();
  const auto r = write_rtstruct(dir / "RS.dcm", id, set, {}, small_options());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error.find("RTReferencedSeriesSequence"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace rtaudit::dicom
