// The node's judgement of received datasets and its storage folder (issue 9): DCMTK datasets built in
// code, files written by DCMTK, the folder reopened as after a crash.

#include "rtaudit/net/archive.hpp"
#include "rtaudit/net/dataset_check.hpp"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

namespace rtaudit::net {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCt = "1.2.840.10008.5.1.4.1.1.2";
constexpr const char* kRtstruct = "1.2.840.10008.5.1.4.1.1.481.3";

struct Ids {
  std::string sop = "1.2.826.0.1.3680043.10.999.1", study = "1.2.826.0.1.3680043.10.999.2", series = "1.2.826.0.1.3680043.10.999.3";
};

/// A 4 x 4 CT slice; `pixel_bytes` short of the 32 the header promises makes it truncated.
DcmFileFormat make_ct(const Ids& id, std::size_t pixel_bytes = 32) {
  DcmFileFormat f;
  DcmDataset& d = *f.getDataset();
  d.putAndInsertString(DCM_SOPClassUID, kCt);
  d.putAndInsertString(DCM_SOPInstanceUID, id.sop.c_str());
  d.putAndInsertString(DCM_StudyInstanceUID, id.study.c_str());
  d.putAndInsertString(DCM_SeriesInstanceUID, id.series.c_str());
  d.putAndInsertString(DCM_FrameOfReferenceUID, "1.2.826.0.1.3680043.10.999.4");
  d.putAndInsertString(DCM_PatientID, "SECRET-ID-42");
  d.putAndInsertString(DCM_Modality, "CT");
  d.putAndInsertUint16(DCM_Rows, 4);
  d.putAndInsertUint16(DCM_Columns, 4);
  d.putAndInsertUint16(DCM_BitsAllocated, 16);
  d.putAndInsertUint16(DCM_BitsStored, 16);
  d.putAndInsertUint16(DCM_SamplesPerPixel, 1);
  d.putAndInsertString(DCM_ImagePositionPatient, "0\\0\\0");
  d.putAndInsertString(DCM_ImageOrientationPatient, "1\\0\\0\\0\\1\\0");
  d.putAndInsertString(DCM_PixelSpacing, "1\\1");
  std::vector<Uint8> px(pixel_bytes, 0);
  d.putAndInsertUint8Array(DCM_PixelData, px.data(), static_cast<unsigned long>(px.size()));
  return f;
}

TEST(DatasetCheck, AGoodCtIsAcceptedWithItsPlace) {
  const Ids id;
  DcmFileFormat f = make_ct(id);
  const DatasetVerdict v = check_dataset(*f.getDataset(), kCt, id.sop);
  ASSERT_TRUE(v.accepted()) << v.reason;
  EXPECT_EQ(v.object.kind, ObjectKind::CT);
  EXPECT_EQ(v.object.study_uid, id.study);
  EXPECT_EQ(v.object.patient_key, patient_key("SECRET-ID-42"));
}

TEST(DatasetCheck, MismatchesTruncationAndEscapingUidsAreRefusedWithAStatus) {
  const Ids id;
  {
    DcmFileFormat f = make_ct(id);
    EXPECT_EQ(check_dataset(*f.getDataset(), kRtstruct, id.sop).status, status::kDataSetDoesNotMatchSopClass);
    EXPECT_EQ(check_dataset(*f.getDataset(), kCt, id.sop + "9").status, status::kDataSetDoesNotMatchSopClass);
    EXPECT_EQ(check_dataset(*f.getDataset(), "1.2.840.10008.5.1.4.1.1.4", id.sop).status, status::kSopClassNotSupported);
  }
  {
    DcmFileFormat f = make_ct(id, 20);
    const DatasetVerdict v = check_dataset(*f.getDataset(), kCt, id.sop);
    EXPECT_EQ(v.status, status::kCannotUnderstand);
    EXPECT_NE(v.reason.find("Pixel Data holds 20 bytes"), std::string::npos) << v.reason;
    EXPECT_TRUE(check_dataset(*f.getDataset(), kCt, id.sop, true).accepted()) << "header-only reads skip the pixel check";
  }
  for (const std::string bad : {"../../../../tmp/x", "1.2.3/../../x", "", "1.2..3"}) {
    Ids escaping;
    escaping.series = bad;
    DcmFileFormat f = make_ct(escaping);
    const DatasetVerdict v = check_dataset(*f.getDataset(), kCt, escaping.sop);
    EXPECT_EQ(v.status, status::kCannotUnderstand) << bad;
    if (!bad.empty()) {
      EXPECT_EQ(v.reason.find(bad), std::string::npos) << "the peer's string is not echoed";
    }
  }
  {
    DcmFileFormat f = make_ct(id);
    f.getDataset()->findAndDeleteElement(DCM_PixelSpacing);
    EXPECT_EQ(check_dataset(*f.getDataset(), kCt, id.sop).status, status::kCannotUnderstand);
  }
  {
    DcmFileFormat f;
    f.getDataset()->putAndInsertString(DCM_SOPClassUID, kRtstruct);
    f.getDataset()->putAndInsertString(DCM_SOPInstanceUID, id.sop.c_str());
    f.getDataset()->putAndInsertString(DCM_StudyInstanceUID, id.study.c_str());
    f.getDataset()->putAndInsertString(DCM_SeriesInstanceUID, id.series.c_str());
    const DatasetVerdict v = check_dataset(*f.getDataset(), kRtstruct, id.sop);
    EXPECT_EQ(v.status, status::kCannotUnderstand);
    EXPECT_NE(v.reason.find("Structure Set ROI"), std::string::npos);
  }
}

TEST(DatasetCheck, AStructureSetTellsWhatItReferences) {
  const Ids id;
  DcmFileFormat f;
  DcmDataset& d = *f.getDataset();
  d.putAndInsertString(DCM_SOPClassUID, kRtstruct);
  d.putAndInsertString(DCM_SOPInstanceUID, id.sop.c_str());
  d.putAndInsertString(DCM_StudyInstanceUID, id.study.c_str());
  d.putAndInsertString(DCM_SeriesInstanceUID, id.series.c_str());
  DcmItem* roi = nullptr;
  d.findOrCreateSequenceItem(DCM_StructureSetROISequence, roi, -2);
  DcmItem *frame = nullptr, *study = nullptr, *series = nullptr, *image = nullptr;
  d.findOrCreateSequenceItem(DCM_ReferencedFrameOfReferenceSequence, frame, -2);
  frame->putAndInsertString(DCM_FrameOfReferenceUID, "7.7");
  frame->findOrCreateSequenceItem(DCM_RTReferencedStudySequence, study, -2);
  study->findOrCreateSequenceItem(DCM_RTReferencedSeriesSequence, series, -2);
  series->putAndInsertString(DCM_SeriesInstanceUID, "8.8");
  series->findOrCreateSequenceItem(DCM_ContourImageSequence, image, -2);
  image->putAndInsertString(DCM_ReferencedSOPInstanceUID, "8.8.1");
  const DatasetVerdict v = check_dataset(d, kRtstruct, id.sop);
  ASSERT_TRUE(v.accepted()) << v.reason;
  EXPECT_EQ(v.object.frame_of_reference_uid, "7.7");
  EXPECT_EQ(v.object.referenced_series, std::vector<std::string>{"8.8"});
  EXPECT_EQ(v.object.referenced_images, std::vector<std::string>{"8.8.1"});
}

fs::path fresh_dir(const std::string& name) {
  const fs::path p = fs::temp_directory_path() / ("rtaudit-archive-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(p);
  return p;
}

/// Writes `f` as a received file into the archive's incoming/ and returns its verdict and path.
std::pair<DatasetVerdict, fs::path> receive(Archive& a, DcmFileFormat& f, const Ids& id) {
  const fs::path in = a.incoming_path();
  EXPECT_TRUE(f.saveFile(in.c_str(), EXS_LittleEndianExplicit).good());
  return {check_dataset(*f.getDataset(), kCt, id.sop), in};
}

TEST(Archive, AnObjectIsStoredOnceUnderItsUidsAndFoundAgainAfterARestart) {
  const fs::path root = fresh_dir("once");
  std::string error;
  std::vector<std::string> problems;
  auto a = Archive::open(root, 0, &problems, &error);
  ASSERT_TRUE(a) << error;
  const Ids id;
  DcmFileFormat f = make_ct(id);
  auto [v, in] = receive(*a, f, id);
  ASSERT_TRUE(v.accepted());
  const CommitOutcome first = a->commit(in, v.object);
  EXPECT_EQ(first.status, status::kSuccess);
  EXPECT_FALSE(first.duplicate);
  EXPECT_FALSE(fs::exists(in));
  const fs::path stored = root / "objects" / patient_key("SECRET-ID-42") / id.study / id.series / (id.sop + ".dcm");
  EXPECT_TRUE(fs::is_regular_file(stored));
  auto [v2, in2] = receive(*a, f, id);
  const CommitOutcome again = a->commit(in2, v2.object);
  EXPECT_EQ(again.status, status::kSuccess);
  EXPECT_TRUE(again.duplicate);
  EXPECT_FALSE(fs::exists(in2));
  EXPECT_EQ(a->snapshot().size(), 1u);

  // A crash mid-transfer leaves a partial file in incoming/: the restart removes it and finds the object.
  { std::ofstream(root / "incoming" / "999-1.part") << "partial"; }
  { std::ofstream(root / "objects" / "stray.dcm") << "not dicom"; }
  a.reset();
  auto b = Archive::open(root, 0, &problems, &error);
  ASSERT_TRUE(b) << error;
  EXPECT_TRUE(fs::is_empty(root / "incoming"));
  ASSERT_EQ(b->snapshot().size(), 1u);
  EXPECT_EQ(b->snapshot()[0].sop_instance_uid, id.sop);
  EXPECT_EQ(b->snapshot()[0].path, fs::relative(stored, root).string());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("stray.dcm"), std::string::npos);
  fs::remove_all(root);
}

TEST(Archive, TheQuotaRefusesWithOutOfResourcesAndKeepsNothing) {
  const fs::path root = fresh_dir("quota");
  std::string error;
  Ids one, two;
  two.sop += "1";
  DcmFileFormat f1 = make_ct(one), f2 = make_ct(two);
  fs::create_directories(root);
  ASSERT_TRUE(f1.saveFile((root / "probe").c_str(), EXS_LittleEndianExplicit).good());
  const auto size = fs::file_size(root / "probe");
  fs::remove(root / "probe");
  auto a = Archive::open(root, size * 3 / 2, nullptr, &error);  // room for one of these files, not two
  ASSERT_TRUE(a) << error;
  auto [v1, in1] = receive(*a, f1, one);
  EXPECT_EQ(a->commit(in1, v1.object).status, status::kSuccess);
  auto [v2, in2] = receive(*a, f2, two);
  const CommitOutcome refused = a->commit(in2, v2.object);
  EXPECT_EQ(refused.status, status::kOutOfResources);
  EXPECT_NE(refused.reason.find("quota"), std::string::npos);
  EXPECT_FALSE(fs::exists(in2));
  EXPECT_EQ(a->snapshot().size(), 1u);
  fs::remove_all(root);
}

TEST(Archive, ParallelCopiesOfOneObjectAreStoredOnce) {
  const fs::path root = fresh_dir("parallel");
  std::string error;
  auto a = Archive::open(root, 0, nullptr, &error);
  ASSERT_TRUE(a) << error;
  const Ids id;
  std::vector<std::thread> threads;
  std::atomic<int> stored{0}, duplicates{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      DcmFileFormat f = make_ct(id);
      auto [v, in] = receive(*a, f, id);
      const CommitOutcome o = a->commit(in, v.object);
      if (o.status == status::kSuccess) (o.duplicate ? duplicates : stored)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(stored.load(), 1);
  EXPECT_EQ(duplicates.load(), 7);
  EXPECT_EQ(a->snapshot().size(), 1u);
  EXPECT_TRUE(fs::is_empty(root / "incoming"));
  fs::remove_all(root);
}

TEST(Archive, ACaseFolderHoldsLinksToItsMembersAndIsBuiltOnce) {
  const fs::path root = fresh_dir("case");
  std::string error;
  auto a = Archive::open(root, 0, nullptr, &error);
  ASSERT_TRUE(a) << error;
  const Ids id;
  DcmFileFormat f = make_ct(id);
  auto [v, in] = receive(*a, f, id);
  ASSERT_EQ(a->commit(in, v.object).status, status::kSuccess);
  const auto objects = a->snapshot();
  CaseSpec c;
  c.key = "n0123456789abcdef";
  c.input_hash = std::string(64, 'a');
  c.members = {&objects[0]};
  const fs::path dir = a->materialise(c, &error);
  ASSERT_FALSE(dir.empty()) << error;
  EXPECT_EQ(dir, root / "cases" / "n0123456789abcdef-aaaaaaaaaaaa");
  const fs::path link = dir / ("CT_" + id.sop + ".dcm");
  ASSERT_TRUE(fs::is_regular_file(link));
  EXPECT_EQ(fs::hard_link_count(link), 2u);
  EXPECT_EQ(a->materialise(c, &error), dir);
  fs::remove_all(root);
}

}  // namespace
}  // namespace rtaudit::net
