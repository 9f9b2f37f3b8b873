#include "rtaudit/dicom/export_rtstruct.hpp"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numbers>
#include <set>

#include "rtaudit/case/uid.hpp"
#include "rtaudit/dicom/elements.hpp"
#include "rtaudit/dicom/inspect.hpp"
#include "rtaudit/dicom/load.hpp"
#include "rtaudit/dicom/rtstruct_reader.hpp"
#include "rtaudit/dicom/write_rtstruct.hpp"
#include "tests/dicom/test_files.hpp"
#include "tests/dicom/writer_fixtures.hpp"

namespace rtaudit::dicom {
namespace {

namespace fs = std::filesystem;
using test::temp_dir;

// The writer tests' patient: a 3-slice CT (z -2.5, 0, 2.5) and its structure set (ROIs 1 BODY,
// 2 MARKER, 7 RING), written by write_ct_series and write_rtstruct.
struct Source {
  fs::path root;
  fs::path rtstruct;
  std::vector<CtSliceRef> slices;
};

Source write_source(const std::string& name, const StructureSet* set_override = nullptr) {
  Source s;
  s.root = temp_dir(name);
  s.rtstruct = s.root / "src" / "RS.dcm";
  const auto id = test::small_identity();
  const auto ct = write_ct_series(s.root / "ct", id, test::small_volume(), test::small_ct_options());
  EXPECT_TRUE(ct.ok()) << ct.error;
  s.slices = ct.slices;
  RtStructOptions o;
  o.series_uid = make_uid("export-test/source-series");
  o.series_description = "Clinical structures";
  const StructureSet set = set_override ? *set_override : test::small_structure_set(id);
  const auto r = write_rtstruct(s.rtstruct, id, set, s.slices, o);
  EXPECT_TRUE(r.ok()) << r.error;
  fs::create_directories(s.root / "out");
  return s;
}

geom::Contour contour(std::vector<std::pair<double, double>> xy, double z) {
  geom::Contour c;
  for (const auto& [x, y] : xy) c.points.push_back({x, y, z});
  return c;
}

std::vector<std::pair<double, double>> circle(double cx, double cy, double r, int n, bool clockwise = false) {
  std::vector<std::pair<double, double>> out;
  for (int i = 0; i < n; ++i) {
    const double a = (clockwise ? -1 : 1) * 2 * std::numbers::pi * i / n;
    out.emplace_back(cx + r * std::cos(a), cy + r * std::sin(a));
  }
  return out;
}

geom::Structure build(const std::vector<geom::Contour>& contours) {
  const auto b = geom::build_structure(contours);
  EXPECT_TRUE(b.issues.empty());
  return b.structure;
}

// A CTV with a hole on each of the three CT planes; coordinates that DS must round (thirds).
NewRoi ctv_with_hole() {
  std::vector<geom::Contour> contours;
  for (const double z : {-2.5, 0.0, 2.5}) {
    const double a = 10.0 / 3;
    contours.push_back(contour({{-a, -a}, {a, -a}, {a, a}, {-a, a}}, z));
    contours.push_back(contour(circle(0.1, -0.2, 1.0 / 3 + 1, 24, true), z));
  }
  NewRoi roi;
  roi.name = "CTVn_IMN_ESTRO";
  roi.colour = {0, 128, 255};
  roi.description = "rtaudit reference CTV (ESTRO)";
  roi.structure = build(contours);
  return roi;
}

// Two planes (z 0 and 2.5), each with two islands.
NewRoi ctv_two_islands() {
  std::vector<geom::Contour> contours;
  for (const double z : {0.0, 2.5}) {
    contours.push_back(contour(circle(-4.2, 1.7, 1.9, 40), z));
    contours.push_back(contour({{2, -3}, {5.5, -3}, {5.5, 4.25}, {2, 4.25}}, z));
  }
  NewRoi roi;
  roi.name = "CTVn_IMN_RTOG";
  roi.colour = {255, 255, 0};
  roi.structure = build(contours);
  return roi;
}

ExportOptions export_options() {
  ExportOptions o;
  o.sop_instance_uid = make_uid("export-test/rtstruct");
  o.series_instance_uid = make_uid("export-test/series");
  o.series_description = "rtaudit reference CTVs";
  o.date = "20260315";
  o.time = "142500";
  return o;
}

struct Exported {
  Source source;
  fs::path file;
  ExportResult result;
};

Exported export_two(const std::string& name, ExportOptions options = export_options()) {
  Exported e;
  e.source = write_source(name);
  e.file = e.source.root / "out" / "RS.rtaudit.dcm";
  e.result = export_rtstruct_with_rois(e.source.rtstruct, e.file, {ctv_with_hole(), ctv_two_islands()}, options);
  EXPECT_TRUE(e.result.ok()) << e.result.error;
  return e;
}

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

bool have_pydicom() { return test::run_tool("/usr/bin/python3 -c 'import pydicom'").exit_code == 0; }

// Reads `file` the way `rtaudit inspect` does: the only structure set in its folder.
InspectedStructureSet read_back(const fs::path& file) {
  const InspectReport report = inspect(file.parent_path());
  EXPECT_EQ(report.structure_sets.size(), 1u);
  if (report.structure_sets.empty()) return {};
  return report.structure_sets.front();
}

TEST(ExportRtStruct, DciodvfyReportsNoError) {
  if (!fs::exists("/usr/bin/dciodvfy")) GTEST_SKIP() << "dciodvfy (dicom3tools) not installed";
  const Exported e = export_two("dciodvfy");
  std::string output;
  const auto errors = test::dciodvfy_errors(e.file, &output);
  EXPECT_TRUE(errors.empty()) << output;
}

TEST(ExportRtStruct, GivesTheNewRoisTheNumbersAfterTheLargest) {
  const Exported e = export_two("numbers");
  EXPECT_EQ(e.result.roi_numbers, (std::vector<int>{8, 9}));
  EXPECT_TRUE(e.result.warnings.empty()) << e.result.warnings.front();
}

TEST(ExportRtStruct, KeepsEveryOriginalRoiUnchanged) {
  const Exported e = export_two("keeps");
  const InspectedStructureSet back = read_back(e.file);
  const StructureSet original = test::small_structure_set(test::small_identity());
  EXPECT_TRUE(back.set.problems.empty()) << back.set.problems.front().message;
  ASSERT_EQ(back.set.rois.size(), original.rois.size() + 2);
  EXPECT_EQ(back.set.frame_of_reference_uid, original.frame_of_reference_uid);
  EXPECT_EQ(back.set.referenced_series_uid, original.referenced_series_uid);
  for (const auto& [number, roi] : original.rois) {
    ASSERT_TRUE(back.set.rois.count(number)) << number;
    const Roi& r = back.set.rois.at(number);
    EXPECT_EQ(r.name, roi.name);
    EXPECT_EQ(r.interpreted_type, roi.interpreted_type);
    EXPECT_EQ(r.generation_algorithm, roi.generation_algorithm);
    EXPECT_EQ(r.colour, roi.colour);
    EXPECT_EQ(r.point_count(), roi.point_count());
    ASSERT_EQ(r.contours.size(), roi.contours.size());
    for (std::size_t c = 0; c < roi.contours.size(); ++c) EXPECT_EQ(r.contours[c].points, roi.contours[c].points);
  }
}

TEST(ExportRtStruct, TheNewRoisHaveExactlyTheVolumesOfTheGivenStructures) {
  const Exported e = export_two("volumes");
  const InspectedStructureSet back = read_back(e.file);
  const std::vector<NewRoi> given{ctv_with_hole(), ctv_two_islands()};
  for (std::size_t i = 0; i < given.size(); ++i) {
    const int number = 8 + static_cast<int>(i);
    ASSERT_TRUE(back.set.rois.count(number)) << number;
    const Roi& r = back.set.rois.at(number);
    EXPECT_EQ(r.name, given[i].name);
    EXPECT_EQ(r.interpreted_type, "CTV");
    EXPECT_EQ(r.generation_algorithm, "AUTOMATIC");
    EXPECT_EQ(r.frame_of_reference_uid, test::small_identity().frame_of_reference_uid);
    EXPECT_EQ(r.colour, given[i].colour);
    const auto expected = geom::volume_cc(given[i].structure);
    ASSERT_TRUE(expected);
    ASSERT_TRUE(back.rois.at(number).volume_cc);
    EXPECT_TRUE(back.rois.at(number).build.issues.empty());
    EXPECT_NEAR(*back.rois.at(number).volume_cc, *expected, 1e-6 * *expected) << given[i].name;
    EXPECT_EQ(back.rois.at(number).build.structure.planes.size(), given[i].structure.planes.size());
  }
}

TEST(ExportRtStruct, WritesOneClosedPlanarContourPerRingHolesIncluded) {
  const Exported e = export_two("rings");
  const InspectedStructureSet back = read_back(e.file);
  const Roi& hole = back.set.rois.at(8);
  ASSERT_EQ(hole.contours.size(), 6u);  // 3 planes x (outer ring + hole)
  EXPECT_EQ(hole.contours[0].points.size(), 4u);  // the closing point is not repeated
  EXPECT_EQ(hole.contours[1].points.size(), 24u);
  const Roi& islands = back.set.rois.at(9);
  ASSERT_EQ(islands.contours.size(), 4u);  // 2 planes x 2 islands
  for (const geom::Contour& c : islands.contours) EXPECT_EQ(c.type, geom::GeometricType::ClosedPlanar);
  EXPECT_EQ(back.rois.at(9).stored.planes, 2u);
  EXPECT_EQ(back.rois.at(9).stored.max_contours_per_plane, 2u);
}

TEST(ExportRtStruct, IsANewInstanceAndLeavesTheSourceByteIdentical) {
  Source s = write_source("identity");
  const fs::path copy = s.root / "RS.before.dcm";
  fs::copy_file(s.rtstruct, copy);
  const fs::path out = s.root / "out" / "RS.dcm";
  const auto r = export_rtstruct_with_rois(s.rtstruct, out, {ctv_with_hole()}, export_options());
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(test::same_bytes(s.rtstruct, copy));
  EXPECT_EQ(files_in(s.root / "src"), std::vector<std::string>{"RS.dcm"});
  EXPECT_EQ(files_in(s.root / "out"), std::vector<std::string>{"RS.dcm"});  // no temporary left

  LoadedFile before = load_file(s.rtstruct.string(), LoadDepth::Full);
  LoadedFile after = load_file(out.string(), LoadDepth::Full);
  ASSERT_TRUE(before.file && after.file) << before.error << after.error;
  DcmDataset& a = *after.file->getDataset();
  DcmDataset& b = *before.file->getDataset();
  EXPECT_EQ(get_string(a, DCM_SOPInstanceUID), make_uid("export-test/rtstruct"));
  EXPECT_NE(get_string(a, DCM_SOPInstanceUID), get_string(b, DCM_SOPInstanceUID));
  EXPECT_EQ(get_string(a, DCM_SeriesInstanceUID), make_uid("export-test/series"));
  EXPECT_NE(get_string(a, DCM_SeriesInstanceUID), get_string(b, DCM_SeriesInstanceUID));
  EXPECT_EQ(get_string(a, DCM_SOPClassUID), get_string(b, DCM_SOPClassUID));
  EXPECT_EQ(get_string(a, DCM_Modality), "RTSTRUCT");
  EXPECT_EQ(get_string(a, DCM_StructureSetLabel), "RTAUDIT");
  EXPECT_EQ(get_string(a, DCM_StructureSetDate), "20260315");
  EXPECT_EQ(get_string(a, DCM_StructureSetTime), "142500");
  EXPECT_EQ(get_string(a, DCM_InstanceCreationDate), "20260315");
  EXPECT_EQ(get_string(a, DCM_InstanceCreationTime), "142500");
  EXPECT_EQ(get_string(a, DCM_SeriesDescription), "rtaudit reference CTVs");
  // Patient and study as they were.
  for (const DcmTagKey& tag : {DCM_PatientName, DCM_PatientID, DCM_PatientBirthDate, DCM_StudyInstanceUID,
                               DCM_StudyDate, DCM_StudyID, DCM_FrameOfReferenceUID, DCM_StructureSetName}) {
    EXPECT_EQ(get_string(a, tag), get_string(b, tag)) << describe(tag);
  }
  // The source named as the predecessor; the file meta follows the new instance.
  DcmItem* pred = nullptr;
  ASSERT_TRUE(a.findAndGetSequenceItem(DCM_PredecessorStructureSetSequence, pred, 0).good() && pred);
  EXPECT_EQ(get_string(*pred, DCM_ReferencedSOPInstanceUID), get_string(b, DCM_SOPInstanceUID));
  EXPECT_EQ(get_string(*after.file->getMetaInfo(), DCM_MediaStorageSOPInstanceUID), make_uid("export-test/rtstruct"));
  EXPECT_EQ(after.transfer_syntax, "Little Endian Explicit");
}

TEST(ExportRtStruct, PydicomReadsIt) {
  if (!have_pydicom()) GTEST_SKIP() << "/usr/bin/python3 with pydicom not available";
  const Exported e = export_two("pydicom");
  const auto run = test::pydicom(
      "print(ds.file_meta.TransferSyntaxUID, ds.file_meta.MediaStorageSOPInstanceUID == ds.SOPInstanceUID)\n"
      "print([(int(r.ROINumber), r.ROIName) for r in ds.StructureSetROISequence])\n"
      "rc = ds.ROIContourSequence[3]\n"
      "print(int(rc.ReferencedROINumber), [int(v) for v in rc.ROIDisplayColor], len(rc.ContourSequence))\n"
      "c = rc.ContourSequence[2]\n"
      "print(c.ContourGeometricType, c.NumberOfContourPoints, len(c.ContourData) // 3, float(c.ContourData[2]),\n"
      "      max(len(str(v)) for v in c.ContourData) <= 16, c.ContourImageSequence[0].ReferencedSOPInstanceUID)\n"
      "o = ds.RTROIObservationsSequence[4]\n"
      "print(int(o.ObservationNumber), int(o.ReferencedROINumber), o.RTROIInterpretedType, repr(o.ROIInterpreter))",
      e.file);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output,
            fmt::format("1.2.840.10008.1.2.1 True\n"
                        "[(1, 'BODY'), (2, 'MARKER'), (7, 'RING'), (8, 'CTVn_IMN_ESTRO'), (9, 'CTVn_IMN_RTOG')]\n"
                        "8 [0, 128, 255] 6\n"
                        "CLOSED_PLANAR 4 4 0.0 True {}\n"
                        "9 9 CTV ''\n",
                        e.source.slices[1].sop_instance_uid));
}

TEST(ExportRtStruct, ContoursReferenceTheSlicesTheSourcesContoursReference) {
  // No slices given: BODY's contours (z -2.5, 0, 2.5) say which slice lies where. A plane no
  // source contour lies on (z 5) references none.
  Source s = write_source("inferred");
  NewRoi roi = ctv_two_islands();
  roi.structure = build({contour({{0, 0}, {2, 0}, {2, 2}}, 2.5), contour({{0, 0}, {2, 0}, {2, 2}}, 5)});
  const fs::path out = s.root / "out" / "RS.dcm";
  ASSERT_TRUE(export_rtstruct_with_rois(s.rtstruct, out, {roi}, export_options()).ok());
  if (!have_pydicom()) GTEST_SKIP() << "/usr/bin/python3 with pydicom not available";
  const auto run = test::pydicom(
      "cs = ds.ROIContourSequence[3].ContourSequence\n"
      "print(cs[0].ContourImageSequence[0].ReferencedSOPInstanceUID, 'ContourImageSequence' in cs[1])",
      out);
  EXPECT_EQ(run.output, fmt::format("{} False\n", s.slices[2].sop_instance_uid));
}

TEST(ExportRtStruct, ContoursReferenceTheGivenSlicesWithinTheTolerance) {
  Source s = write_source("given");
  std::vector<CtSliceRef> slices = s.slices;
  CtSliceRef extra = slices.back();
  extra.sop_instance_uid = make_uid("export-test/extra-slice");
  extra.position[2] = 5.03;  // within 0.05 mm of the plane at z 5
  slices.push_back(extra);
  ExportOptions o = export_options();
  o.referenced_slices = slices;
  NewRoi roi = ctv_two_islands();
  roi.structure = build({contour({{0, 0}, {2, 0}, {2, 2}}, 5), contour({{0, 0}, {2, 0}, {2, 2}}, 7.5)});
  const fs::path out = s.root / "out" / "RS.dcm";
  ASSERT_TRUE(export_rtstruct_with_rois(s.rtstruct, out, {roi}, o).ok());
  if (!have_pydicom()) GTEST_SKIP() << "/usr/bin/python3 with pydicom not available";
  const auto run = test::pydicom(
      "cs = ds.ROIContourSequence[3].ContourSequence\n"
      "print(cs[0].ContourImageSequence[0].ReferencedSOPInstanceUID, 'ContourImageSequence' in cs[1])\n"
      "s = ds.ReferencedFrameOfReferenceSequence[0].RTReferencedStudySequence[0].RTReferencedSeriesSequence[0]\n"
      "print(len(s.ContourImageSequence), s.ContourImageSequence[-1].ReferencedSOPInstanceUID)",
      out);
  EXPECT_EQ(run.output, fmt::format("{} False\n4 {}\n", extra.sop_instance_uid, extra.sop_instance_uid));
}

TEST(ExportRtStruct, AnEmptyStructureIsSkippedWithAWarningNamingIt) {
  Source s = write_source("empty");
  NewRoi empty;
  empty.name = "CTVn_IMN_EMPTY";
  const fs::path out = s.root / "out" / "RS.dcm";
  const auto r = export_rtstruct_with_rois(s.rtstruct, out, {empty, ctv_two_islands()}, export_options());
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.roi_numbers, (std::vector<int>{0, 8}));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("CTVn_IMN_EMPTY"), std::string::npos) << r.warnings[0];
  const InspectedStructureSet back = read_back(out);
  EXPECT_EQ(back.set.rois.size(), 4u);
  EXPECT_EQ(back.set.rois.at(8).name, "CTVn_IMN_RTOG");
}

TEST(ExportRtStruct, ADuplicateNameIsWrittenWithAWarning) {
  Source s = write_source("duplicate");
  NewRoi roi = ctv_two_islands();
  roi.name = "RING";
  const auto r = export_rtstruct_with_rois(s.rtstruct, s.root / "out" / "RS.dcm", {roi}, export_options());
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("'RING'"), std::string::npos) << r.warnings[0];
}

TEST(ExportRtStruct, ANonAsciiNameIsWrittenAsUtf8) {
  Source s = write_source("utf8");
  NewRoi roi = ctv_two_islands();
  roi.name = "CTV_Hj\xc3\xa4rta";
  const fs::path out = s.root / "out" / "RS.dcm";
  ASSERT_TRUE(export_rtstruct_with_rois(s.rtstruct, out, {roi}, export_options()).ok());
  const InspectedStructureSet back = read_back(out);
  EXPECT_EQ(back.set.rois.at(8).name, "CTV_Hj\xc3\xa4rta");
  if (fs::exists("/usr/bin/dciodvfy")) {
    std::string output;
    EXPECT_TRUE(test::dciodvfy_errors(out, &output).empty()) << output;
  }
}

TEST(ExportRtStruct, ALatin1SourceIsWrittenAsUtf8WithTheSameText) {
  Source s = write_source("latin1");
  const fs::path latin1 = s.root / "src" / "RS-latin1.dcm";
  {
    LoadedFile f = load_file(s.rtstruct.string(), LoadDepth::Full);
    ASSERT_TRUE(f.file);
    DcmDataset& ds = *f.file->getDataset();
    ds.putAndInsertString(DCM_SpecificCharacterSet, "ISO_IR 100");
    ds.putAndInsertString(DCM_PatientName, "M\xfcller^J\xf6rg");  // "Müller^Jörg" in ISO 8859-1
    test::save(*f.file, latin1);
  }
  NewRoi roi = ctv_two_islands();
  roi.name = "CTV_\xc3\xb6";  // UTF-8
  const fs::path out = s.root / "out" / "RS.dcm";
  const auto r = export_rtstruct_with_rois(latin1, out, {roi}, export_options());
  ASSERT_TRUE(r.ok()) << r.error;
  LoadedFile f = load_file(out.string(), LoadDepth::Full);
  ASSERT_TRUE(f.file);
  EXPECT_EQ(get_string(*f.file->getDataset(), DCM_SpecificCharacterSet), "ISO_IR 192");
  EXPECT_EQ(get_string(*f.file->getDataset(), DCM_PatientName), "M\xc3\xbcller^J\xc3\xb6rg");
  EXPECT_EQ(read_back(out).set.rois.at(8).name, "CTV_\xc3\xb6");
}

TEST(ExportRtStruct, AnImplicitVrSourceIsExportedExplicitWithEverythingKept) {
  Source s = write_source("implicit");
  const fs::path implicit = s.root / "src" / "RS-implicit.dcm";
  {
    LoadedFile f = load_file(s.rtstruct.string(), LoadDepth::Full);
    ASSERT_TRUE(f.file);
    test::save(*f.file, implicit, EXS_LittleEndianImplicit, EWM_dataset);  // no preamble, no meta
  }
  const fs::path out = s.root / "out" / "RS.dcm";
  const auto r = export_rtstruct_with_rois(implicit, out, {ctv_with_hole()}, export_options());
  ASSERT_TRUE(r.ok()) << r.error;
  LoadedFile f = load_file(out.string(), LoadDepth::Full);
  ASSERT_TRUE(f.file) << f.error;
  EXPECT_TRUE(f.has_file_meta);
  EXPECT_EQ(f.transfer_syntax, "Little Endian Explicit");
  const InspectedStructureSet back = read_back(out);
  EXPECT_EQ(back.set.rois.size(), 4u);
  EXPECT_EQ(back.set.rois.at(1).point_count(), 12u);
}

TEST(ExportRtStruct, AContourTooLongForExplicitVrIsWrittenImplicit) {
  Source s = write_source("long");
  NewRoi roi;
  roi.name = "CTV_FINE";
  const auto xy = circle(0.123456789, 0.2, 6.123456789, 3000);
  roi.structure = build({contour(xy, 0), contour(xy, 2.5)});
  const fs::path out = s.root / "out" / "RS.dcm";
  ASSERT_TRUE(export_rtstruct_with_rois(s.rtstruct, out, {roi}, export_options()).ok());
  LoadedFile f = load_file(out.string(), LoadDepth::Full);
  ASSERT_TRUE(f.file) << f.error;
  EXPECT_EQ(f.transfer_syntax, "Little Endian Implicit");
  const InspectedStructureSet back = read_back(out);
  ASSERT_TRUE(back.set.rois.count(8));
  EXPECT_EQ(back.set.rois.at(8).contours[0].points.size(), 3000u);
  EXPECT_NEAR(*back.rois.at(8).volume_cc, *geom::volume_cc(roi.structure), 1e-6 * *geom::volume_cc(roi.structure));
}

TEST(ExportRtStruct, AnApprovalIsNotCarriedOver) {
  Source s = write_source("approval");
  const fs::path approved = s.root / "src" / "RS-approved.dcm";
  {
    LoadedFile f = load_file(s.rtstruct.string(), LoadDepth::Full);
    ASSERT_TRUE(f.file);
    DcmDataset& ds = *f.file->getDataset();
    ds.putAndInsertString(DCM_ApprovalStatus, "APPROVED");
    ds.putAndInsertString(DCM_ReviewDate, "20260101");
    ds.putAndInsertString(DCM_ReviewTime, "090000");
    ds.putAndInsertString(DCM_ReviewerName, "DOCTOR^A");
    test::save(*f.file, approved);
  }
  const fs::path out = s.root / "out" / "RS.dcm";
  const auto r = export_rtstruct_with_rois(approved, out, {ctv_with_hole()}, export_options());
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("APPROVED"), std::string::npos);
  LoadedFile f = load_file(out.string(), LoadDepth::Full);
  ASSERT_TRUE(f.file);
  EXPECT_EQ(get_string(*f.file->getDataset(), DCM_ApprovalStatus), "UNAPPROVED");
  EXPECT_EQ(get_string(*f.file->getDataset(), DCM_ReviewerName), "");
}

// ---- Errors: a message, and no file anywhere ----

void expect_error(const fs::path& source, const fs::path& destination, const std::string& fragment,
                  const ExportOptions& options = export_options()) {
  const auto r = export_rtstruct_with_rois(source, destination, {ctv_with_hole()}, options);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find(fragment), std::string::npos) << r.error;
  EXPECT_TRUE(r.roi_numbers.empty());
  EXPECT_FALSE(fs::exists(destination));
  if (fs::is_directory(destination.parent_path())) {
    EXPECT_TRUE(files_in(destination.parent_path()).empty());
  }
}

TEST(ExportRtStruct, ACtSliceIsNotAStructureSet) {
  Source s = write_source("ct");
  expect_error(s.slices[0].file, s.root / "out" / "RS.dcm", "not RT Structure Set Storage");
}

TEST(ExportRtStruct, AFileThatIsNotDicomIsAnError) {
  Source s = write_source("text");
  const fs::path text = s.root / "notes.txt";
  std::ofstream(text) << "not a structure set\n";
  expect_error(text, s.root / "out" / "RS.dcm", "not a DICOM file");
}

TEST(ExportRtStruct, AMissingSourceIsAnError) {
  Source s = write_source("missing");
  expect_error(s.root / "src" / "nope.dcm", s.root / "out" / "RS.dcm", "nope.dcm: cannot open file");
}

TEST(ExportRtStruct, AMissingDestinationFolderIsAnErrorAndIsNotCreated) {
  Source s = write_source("nofolder");
  expect_error(s.rtstruct, s.root / "out" / "missing" / "RS.dcm", "does not exist");
  EXPECT_FALSE(fs::exists(s.root / "out" / "missing"));
  EXPECT_TRUE(files_in(s.root / "out").empty());
}

TEST(ExportRtStruct, TheSourceIsNeverOverwritten) {
  Source s = write_source("overwrite");
  const fs::path copy = s.root / "RS.before.dcm";
  fs::copy_file(s.rtstruct, copy);
  const auto r = export_rtstruct_with_rois(s.rtstruct, s.rtstruct, {ctv_with_hole()}, export_options());
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("is the source"), std::string::npos) << r.error;
  EXPECT_TRUE(test::same_bytes(s.rtstruct, copy));
  EXPECT_EQ(files_in(s.root / "src"), std::vector<std::string>{"RS.dcm"});
}

TEST(ExportRtStruct, TheSourcesUidsAreRefused) {
  Source s = write_source("uids");
  ExportOptions o = export_options();
  o.sop_instance_uid = make_uid("writer-test/rtstruct");  // the source's
  expect_error(s.rtstruct, s.root / "out" / "RS.dcm", "is the source's", o);
  o = export_options();
  o.series_instance_uid = make_uid("export-test/source-series");
  expect_error(s.rtstruct, s.root / "out" / "RS.dcm", "is the source's series", o);
  o = export_options();
  o.sop_instance_uid = "1.02.3";
  expect_error(s.rtstruct, s.root / "out" / "RS.dcm", "not a valid UID", o);
}

TEST(ExportRtStruct, ABadNewRoiNamesItAndWritesNothing) {
  Source s = write_source("badroi");
  NewRoi roi = ctv_with_hole();
  roi.colour = {0, 300, 0};
  const auto r = export_rtstruct_with_rois(s.rtstruct, s.root / "out" / "RS.dcm", {roi}, export_options());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error.find("new ROI 8 'CTVn_IMN_ESTRO' > ROIDisplayColor (3006,002a)"), std::string::npos) << r.error;
  EXPECT_TRUE(files_in(s.root / "out").empty());

  roi = ctv_with_hole();
  roi.structure.planes[1].region[0].outer()[1].x(std::nan(""));
  const auto nan = export_rtstruct_with_rois(s.rtstruct, s.root / "out" / "RS.dcm", {roi}, export_options());
  ASSERT_FALSE(nan.ok());
  EXPECT_NE(nan.error.find("ContourData (3006,0050)"), std::string::npos) << nan.error;
  EXPECT_TRUE(files_in(s.root / "out").empty());

  ExportOptions o = export_options();
  o.structure_set_label = "A LABEL LONGER THAN SIXTEEN";
  const auto label = export_rtstruct_with_rois(s.rtstruct, s.root / "out" / "RS.dcm", {ctv_with_hole()}, o);
  ASSERT_FALSE(label.ok());
  EXPECT_NE(label.error.find("StructureSetLabel (3006,0002)"), std::string::npos) << label.error;
  EXPECT_TRUE(files_in(s.root / "out").empty());

  roi = ctv_with_hole();
  roi.name = std::string(65, 'X');
  const auto name = export_rtstruct_with_rois(s.rtstruct, s.root / "out" / "RS.dcm", {roi}, export_options());
  ASSERT_FALSE(name.ok());
  EXPECT_NE(name.error.find("ROIName (3006,0026)"), std::string::npos) << name.error;
  roi.name = "CTV";
  roi.interpreted_type = "not a CS";
  const auto type = export_rtstruct_with_rois(s.rtstruct, s.root / "out" / "RS.dcm", {roi}, export_options());
  ASSERT_FALSE(type.ok());
  EXPECT_NE(type.error.find("RTROIInterpretedType (3006,00a4)"), std::string::npos) << type.error;
  EXPECT_TRUE(files_in(s.root / "out").empty());
}

// ---- Real structure sets written by other software (../shared/data/conformance) ----

const fs::path kConformance = fs::path(RTAUDIT_SHARED_DIR) / "data" / "conformance";

std::vector<fs::path> conformance_structure_sets() {
  std::vector<fs::path> out;
  if (!fs::is_directory(kConformance)) return out;
  for (const auto& entry : fs::recursive_directory_iterator(kConformance)) {
    if (!entry.is_regular_file()) continue;
    LoadedFile f = load_file(entry.path().string(), LoadDepth::Header);
    if (f.file && get_string(*f.file->getDataset(), DCM_SOPClassUID) == UID_RTStructureSetStorage)
      out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

StructureSet read_set(const fs::path& file) {
  LoadedFile f = load_file(file.string(), LoadDepth::Full);
  EXPECT_TRUE(f.file) << f.error;
  if (!f.file) return {};
  return read_structure_set(*f.file->getDataset(), file.string());
}

std::set<std::string> dciodvfy_error_set(const fs::path& file) {
  const auto errors = test::dciodvfy_errors(file);
  return {errors.begin(), errors.end()};
}

TEST(ExportRtStructConformance, EveryRealStructureSetKeepsItsRoisAndTakesTheNewOnes) {
  configure_dcmtk_logging(false);
  const auto sources = conformance_structure_sets();
  if (sources.empty()) GTEST_SKIP() << "conformance data not found at " << kConformance;
  const fs::path out_dir = temp_dir("conformance");
  const bool dciodvfy = fs::exists("/usr/bin/dciodvfy");
  const bool python = have_pydicom();
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const fs::path& source = sources[i];
    SCOPED_TRACE(source.string());
    const StructureSet before = read_set(source);
    // The new ROI: two planes 3 mm apart, at the first closed contour's plane and centre.
    geom::Point3 at{0, 0, 0};
    for (const auto& [number, roi] : before.rois) {
      const auto it = std::find_if(roi.contours.begin(), roi.contours.end(), [](const geom::Contour& c) {
        return c.type == geom::GeometricType::ClosedPlanar && c.points.size() >= 3;
      });
      if (it != roi.contours.end()) {
        at = it->points.front();
        break;
      }
    }
    NewRoi roi = ctv_with_hole();
    roi.structure = build({contour(circle(at.x, at.y, 7.25, 32), at.z), contour(circle(at.x, at.y, 7.25, 32), at.z + 3)});
    const fs::path out = out_dir / fmt::format("RS{}.dcm", i);
    ExportOptions o = export_options();
    o.sop_instance_uid = make_uid(fmt::format("export-test/conformance/{}", i));
    const auto r = export_rtstruct_with_rois(source, out, {roi}, o);
    ASSERT_TRUE(r.ok()) << r.error;
    const StructureSet after = read_set(out);
    ASSERT_EQ(after.rois.size(), before.rois.size() + 1);
    int largest = 0;
    for (const auto& [number, b] : before.rois) {
      largest = std::max(largest, number);
      ASSERT_TRUE(after.rois.count(number)) << number;
      const Roi& a = after.rois.at(number);
      EXPECT_EQ(a.name, b.name);
      EXPECT_EQ(a.interpreted_type, b.interpreted_type);
      EXPECT_EQ(a.colour, b.colour);
      ASSERT_EQ(a.contours.size(), b.contours.size()) << b.name;
      for (std::size_t c = 0; c < b.contours.size(); ++c) EXPECT_EQ(a.contours[c].points, b.contours[c].points);
    }
    ASSERT_EQ(r.roi_numbers, std::vector<int>{largest + 1});
    const auto back = geom::build_structure(after.rois.at(largest + 1).contours);
    ASSERT_TRUE(geom::volume_cc(back.structure));
    EXPECT_NEAR(*geom::volume_cc(back.structure), *geom::volume_cc(roi.structure), 1e-6 * *geom::volume_cc(roi.structure));
    // No error the source did not already have.
    if (dciodvfy) {
      const auto had = dciodvfy_error_set(source);
      for (const std::string& e : dciodvfy_error_set(out)) EXPECT_TRUE(had.count(e)) << "new dciodvfy error: " << e;
    }
    if (python) {
      const auto run = test::pydicom("print(ds.StructureSetROISequence[-1].ROIName)", out);
      EXPECT_EQ(run.output, roi.name + "\n");
    }
  }
}

}  // namespace
}  // namespace rtaudit::dicom
