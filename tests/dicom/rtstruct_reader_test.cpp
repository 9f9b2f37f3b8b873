#include "rtaudit/dicom/rtstruct_reader.hpp"

#include "rtaudit/dicom/load.hpp"
#include "tests/dicom/test_files.hpp"

#include <dcmtk/dcmdata/dcdeftag.h>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace rtaudit::dicom {
namespace {

using ::testing::HasSubstr;
using test::ContourSpec;
using test::RoiSpec;

StructureSet read_back(DcmFileFormat& f, const std::string& name = "rs.dcm") {
  const auto path = test::temp_dir("rs") / name;
  test::save(f, path);
  LoadedFile loaded = load_file(path.string(), LoadDepth::Full);
  EXPECT_TRUE(loaded.file) << loaded.error;
  return read_structure_set(*loaded.file->getDataset(), path.string());
}

bool has_problem(const StructureSet& ss, const std::string& element, const std::string& message) {
  for (const auto& p : ss.problems) {
    if (p.element.find(element) != std::string::npos && p.message.find(message) != std::string::npos &&
        !p.file.empty())
      return true;
  }
  return false;
}

std::string dump(const StructureSet& ss) {
  std::string s;
  for (const auto& p : ss.problems) s += fmt::format("[{}] {} | {}\n", p.file, p.element, p.message);
  return s;
}

TEST(RtstructReader, ReadsRoisKeyedByNumber) {
  auto f = test::make_rtstruct({{.number = 7, .name = "Heart  ", .type = "ORGAN",
                                 .contours = {{"CLOSED_PLANAR", test::square(0, 0, 10, 0)},
                                              {"POINT", "1\\2\\3"}}},
                                {.number = 3, .name = "CTVn_IMN_L", .type = "CTV"}});
  const auto ss = read_back(f);
  EXPECT_EQ(ss.label, "TEST");
  EXPECT_EQ(ss.frame_of_reference_uid, "1.2.3.4.5.6.1");
  ASSERT_EQ(ss.rois.size(), 2u);
  const Roi& heart = ss.rois.at(7);
  EXPECT_EQ(heart.name, "Heart");
  EXPECT_EQ(heart.interpreted_type, "ORGAN");
  EXPECT_EQ(heart.generation_algorithm, "MANUAL");
  ASSERT_TRUE(heart.colour);
  EXPECT_EQ((*heart.colour)[0], 255);
  ASSERT_EQ(heart.contours.size(), 2u);
  EXPECT_EQ(heart.point_count(), 5u);
  EXPECT_EQ(heart.contours[1].type, geom::GeometricType::Point);
  EXPECT_EQ(heart.contours[0].points[2], (geom::Point3{10, 10, 0}));
  EXPECT_TRUE(ss.rois.at(3).contours.empty());
}

TEST(RtstructReader, OddNumberOfContourValuesIsReportedWithElement) {
  auto f = test::make_rtstruct({{.number = 1, .name = "A", .contours = {{"CLOSED_PLANAR", "0\\0\\0\\1\\0\\0\\1\\1"}}}});
  const auto ss = read_back(f);
  EXPECT_TRUE(has_problem(ss, "ContourData (3006,0050)", "not a multiple of 3")) << dump(ss);
  EXPECT_TRUE(has_problem(ss, "ROIContourSequence[0]", "")) << dump(ss);
  EXPECT_EQ(ss.rois.at(1).contours.size(), 1u);
  EXPECT_EQ(ss.rois.at(1).contours[0].points.size(), 2u);
}

TEST(RtstructReader, NanAndInfCoordinatesAreKeptForTheGeometryToReject) {
  auto f = test::make_rtstruct({{.number = 1, .name = "A",
                                 .contours = {{"CLOSED_PLANAR", "0\\0\\0\\NaN\\0\\0\\1\\1\\0"},
                                              {"CLOSED_PLANAR", "0\\0\\0\\inf\\0\\0\\1\\1\\0"}}}});
  const auto ss = read_back(f);
  ASSERT_EQ(ss.rois.at(1).contours.size(), 2u);
  EXPECT_TRUE(std::isnan(ss.rois.at(1).contours[0].points[1].x));
  EXPECT_TRUE(std::isinf(ss.rois.at(1).contours[1].points[1].x));
}

TEST(RtstructReader, GarbageContourDataIsReported) {
  auto f = test::make_rtstruct({{.number = 1, .name = "A", .contours = {{"CLOSED_PLANAR", "0\\zero\\0"}}}});
  const auto ss = read_back(f);
  EXPECT_TRUE(has_problem(ss, "ContourData", "not a decimal number")) << dump(ss);
}

TEST(RtstructReader, RoiContourReferringToMissingRoiIsReportedAndKept) {
  auto f = test::make_rtstruct({{.number = 1, .name = "A", .contours = {{"CLOSED_PLANAR", test::square(0, 0, 1, 0)}},
                                 .contour_reference = 9}});
  const auto ss = read_back(f);
  EXPECT_TRUE(has_problem(ss, "ReferencedROINumber (3006,0084)", "ROI number 9")) << dump(ss);
  ASSERT_TRUE(ss.rois.count(9));
  EXPECT_EQ(ss.rois.at(9).contours.size(), 1u);
  EXPECT_TRUE(has_problem(ss, "ROIContourSequence", "ROI 1 ('A') has no ROIContourSequence item")) << dump(ss);
}

TEST(RtstructReader, DuplicateRoiNamesAreReportedAndBothKept) {
  auto f = test::make_rtstruct({{.number = 1, .name = "PTV"}, {.number = 2, .name = "PTV"}});
  const auto ss = read_back(f);
  EXPECT_EQ(ss.rois.size(), 2u);
  EXPECT_TRUE(has_problem(ss, "ROIName (3006,0026)", "duplicate ROI name 'PTV'")) << dump(ss);
}

TEST(RtstructReader, DuplicateRoiNumbersAreReported) {
  auto f = test::make_rtstruct({{.number = 4, .name = "A"}, {.number = 4, .name = "B", .write_roi_contour = false,
                                                              .write_observation = false}});
  const auto ss = read_back(f);
  EXPECT_EQ(ss.rois.size(), 1u);
  EXPECT_TRUE(has_problem(ss, "ROINumber (3006,0022)", "defined twice")) << dump(ss);
}

TEST(RtstructReader, EmptySequencesAreReportedNotFatal) {
  auto f = test::make_rtstruct({});
  DcmDataset* ds = f.getDataset();
  ds->insertEmptyElement(DCM_StructureSetROISequence);
  ds->insertEmptyElement(DCM_ROIContourSequence);
  ds->insertEmptyElement(DCM_RTROIObservationsSequence);
  const auto ss = read_back(f);
  EXPECT_TRUE(ss.rois.empty());
  EXPECT_TRUE(has_problem(ss, "StructureSetROISequence (3006,0020)", "empty")) << dump(ss);
  EXPECT_TRUE(has_problem(ss, "ROIContourSequence (3006,0039)", "empty")) << dump(ss);
}

TEST(RtstructReader, MissingSequencesAndFrameAreReported) {
  auto f = test::make_rtstruct({});
  f.getDataset()->findAndDeleteElement(DCM_ReferencedFrameOfReferenceSequence);
  const auto ss = read_back(f);
  EXPECT_TRUE(has_problem(ss, "ReferencedFrameOfReferenceSequence", "no referenced frame")) << dump(ss);
  EXPECT_TRUE(has_problem(ss, "StructureSetROISequence", "missing")) << dump(ss);
}

TEST(RtstructReader, CharacterSetIsDecodedToUtf8) {
  auto f = test::make_rtstruct({{.number = 1, .name = "C\xF4te gauche"}});  // Latin-1 o-circumflex
  f.getDataset()->putAndInsertString(DCM_SpecificCharacterSet, "ISO_IR 100");
  const auto ss = read_back(f);
  EXPECT_EQ(ss.rois.at(1).name, "C\xC3\xB4te gauche");
}

TEST(RtstructReader, TwoHundredThousandPointRoiIsRead) {
  std::string data;
  data.reserve(200000 * 3 * 8);
  const int per_contour = 2000;
  std::vector<ContourSpec> contours;
  for (int k = 0; k < 100; ++k) {
    data.clear();
    for (int i = 0; i < per_contour; ++i) {
      const double a = 2 * 3.141592653589793 * i / per_contour;
      if (i) data += '\\';
      data += fmt::format("{:.3f}\\{:.3f}\\{}", 50 * std::cos(a), 50 * std::sin(a), k * 2.5);
    }
    contours.push_back({"CLOSED_PLANAR", data});
  }
  auto f = test::make_rtstruct({{.number = 1, .name = "BODY", .type = "EXTERNAL", .contours = contours}});
  const auto ss = read_back(f);
  EXPECT_EQ(ss.rois.at(1).point_count(), 200000u);
}

}  // namespace
}  // namespace rtaudit::dicom
