#include "rtaudit/dicom/scanner.hpp"

#include "rtaudit/dicom/inspect.hpp"
#include "rtaudit/dicom/load.hpp"
#include "tests/dicom/test_files.hpp"

#include <dcmtk/dcmdata/dcdeftag.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

namespace rtaudit::dicom {
namespace {

namespace fs = std::filesystem;

const Diagnostic* problem_for(const Inventory& inv, const std::string& file_part) {
  for (const auto& p : inv.problems)
    if (p.file.find(file_part) != std::string::npos) return &p;
  return nullptr;
}

void write_bytes(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary);
  out << bytes;
}

class Scanner : public ::testing::Test {
 protected:
  void SetUp() override { configure_dcmtk_logging(false); }
};

TEST_F(Scanner, FindsObjectsWhateverTheirNamesAndSkipsJunk) {
  const auto dir = test::temp_dir("scan");
  fs::create_directories(dir / "a" / "b");
  auto good = test::make_rtstruct({{.number = 1, .name = "A", .contours = {{"CLOSED_PLANAR", test::square(0, 0, 1, 0)}}}});
  test::save(good, dir / "a" / "b" / "no_extension");
  write_bytes(dir / "notes.txt", "this is not DICOM at all, just some text that is long enough to have 132 bytes "
                                 "..............................................................");
  write_bytes(dir / "empty.dcm", "");
  // Truncated: a good file cut in half.
  test::save(good, dir / "full.dcm");
  std::ifstream in(dir / "full.dcm", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  write_bytes(dir / "truncated.dcm", bytes.substr(0, bytes.size() / 2));
  fs::remove(dir / "full.dcm");

  const Inventory inv = scan(dir);
  EXPECT_EQ(inv.files_seen, 4u);
  ASSERT_EQ(inv.objects.size(), 1u);
  EXPECT_EQ(inv.objects[0].kind, ObjectKind::RTSTRUCT);
  EXPECT_EQ(inv.objects[0].frame_of_reference_uid, "1.2.3.4.5.6.1");
  const Diagnostic* txt = problem_for(inv, "notes.txt");
  ASSERT_NE(txt, nullptr);
  EXPECT_THAT(txt->message, ::testing::HasSubstr("not a DICOM file"));
  const Diagnostic* trunc = problem_for(inv, "truncated.dcm");
  ASSERT_NE(trunc, nullptr);
  EXPECT_EQ(trunc->severity, Severity::Error);
  EXPECT_THAT(trunc->message, ::testing::HasSubstr("truncated"));
  EXPECT_NE(problem_for(inv, "empty.dcm"), nullptr);
}

TEST_F(Scanner, ReadsEveryEncodingAndFilesWithoutMeta) {
  const auto dir = test::temp_dir("enc");
  auto f = test::make_rtstruct({{.number = 1, .name = "A", .contours = {{"CLOSED_PLANAR", test::square(0, 0, 1, 0)}}}});
  test::save(f, dir / "implicit", EXS_LittleEndianImplicit);
  test::save(f, dir / "bigendian", EXS_BigEndianExplicit);
  test::save(f, dir / "deflated", EXS_DeflatedLittleEndianExplicit);
  test::save(f, dir / "nometa", EXS_LittleEndianImplicit, EWM_dataset);
  const Inventory inv = scan(dir);
  ASSERT_EQ(inv.objects.size(), 4u);
  for (const auto& o : inv.objects) {
    EXPECT_EQ(o.kind, ObjectKind::RTSTRUCT) << o.file;
    EXPECT_EQ(o.has_file_meta, o.file.find("nometa") == std::string::npos) << o.file;
  }
  const InspectReport report = inspect(dir);
  ASSERT_EQ(report.structure_sets.size(), 4u);
  for (const auto& s : report.structure_sets) EXPECT_EQ(s.set.rois.at(1).contours[0].points.size(), 4u);
}

TEST_F(Scanner, GroupsByPatientStudyAndFrame) {
  const auto dir = test::temp_dir("groups");
  auto a = test::make_rtstruct({{.number = 1, .name = "A"}}, "1.2.3.9.1");
  auto b = test::make_rtstruct({{.number = 1, .name = "A"}}, "1.2.3.9.2");
  b.getDataset()->putAndInsertString(DCM_SOPInstanceUID, "1.2.3.4.5.6.101");
  test::save(a, dir / "a");
  test::save(b, dir / "b");
  const InspectReport report = inspect(dir);
  ASSERT_EQ(report.groups.size(), 1u);
  ASSERT_EQ(report.groups[0].studies.size(), 1u);
  EXPECT_EQ(report.groups[0].studies[0].frames.size(), 2u);
}

TEST_F(Scanner, BadFilesDoNotStopTheRestOfTheFolder) {
  const auto dir = test::temp_dir("mixed");
  auto ok = test::make_rtstruct({{.number = 1, .name = "OK", .contours = {{"CLOSED_PLANAR", test::square(0, 0, 10, 0)},
                                                                        {"CLOSED_PLANAR", test::square(0, 0, 10, 2)}}}});
  auto bad = test::make_rtstruct({{.number = 1, .name = "BAD", .contours = {{"CLOSED_PLANAR", "1\\2"}}},
                                  {.number = 2, .name = "BAD", .contours = {{"CLOSED_PLANAR", "nan\\0\\0\\1\\0\\0\\1\\1\\0"}}}});
  bad.getDataset()->putAndInsertString(DCM_SOPInstanceUID, "1.2.3.4.5.6.102");
  test::save(ok, dir / "1_ok.dcm");
  test::save(bad, dir / "2_bad.dcm");
  write_bytes(dir / "3_junk.dcm", std::string(500, '\x7f'));
  const InspectReport report = inspect(dir);
  ASSERT_EQ(report.structure_sets.size(), 2u);
  EXPECT_NEAR(*report.structure_sets[0].rois.at(1).volume_cc, 0.4, 1e-12);  // two 2-mm slabs of 1 cm2
  EXPECT_FALSE(report.structure_sets[1].rois.at(1).volume_cc);
  EXPECT_EQ(report.structure_sets[1].rois.at(2).build.issues.front().code, geom::IssueCode::NonFiniteCoordinate);
  EXPECT_NE(problem_for(report.inventory, "3_junk.dcm"), nullptr);
}

}  // namespace
}  // namespace rtaudit::dicom
