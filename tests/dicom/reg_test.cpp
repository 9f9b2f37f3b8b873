// The REG writer and reader against dciodvfy and pydicom, the frame algebra, and bad REG files.
#include "rtaudit/dicom/reg_reader.hpp"
#include "rtaudit/dicom/write_reg.hpp"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <iostream>
#include <numbers>

#include "rtaudit/case/uid.hpp"
#include "rtaudit/dicom/load.hpp"
#include "tests/dicom/test_files.hpp"
#include "tests/dicom/writer_fixtures.hpp"

namespace rtaudit::dicom {
namespace {

namespace fs = std::filesystem;

Matrix4 rotation_z(double degrees, geom::Point3 t) {
  const double a = degrees * std::numbers::pi / 180;
  return {std::cos(a), -std::sin(a), 0, t.x, std::sin(a), std::cos(a), 0, t.y, 0, 0, 1, t.z, 0, 0, 0, 1};
}

void expect_near(const geom::Point3& a, const geom::Point3& b, double tol) {
  EXPECT_NEAR(a.x, b.x, tol);
  EXPECT_NEAR(a.y, b.y, tol);
  EXPECT_NEAR(a.z, b.z, tol);
}

const std::string kFrameB = make_uid("reg-test/frame-B");
const std::string kFrameC = make_uid("reg-test/frame-C");

/// Frame A (the identity's) with itself as an identity item, frame B rotated 30 degrees about z and
/// shifted, and the follow-up CT series of B in another study.
RegistrationSpec sample_spec(const StudyIdentity& id) {
  RegistrationSpec s;
  s.sop_instance_uid = make_uid("reg-test/reg");
  s.series_instance_uid = make_uid("reg-test/reg-series");
  s.content_date = "20260105";
  s.content_time = "120000";
  s.frames.push_back({id.frame_of_reference_uid, identity_matrix(), "RIGID"});
  s.frames.push_back({kFrameB, rotation_z(30, {12.5, -7.25, 101.75}), "RIGID"});
  s.series.push_back({id.frame_of_reference_uid, id.study_uid, make_uid("writer-test/ct-series"),
                      {make_uid("reg-test/ct/1"), make_uid("reg-test/ct/2")}});
  s.series.push_back({kFrameB, make_uid("reg-test/followup-study"), make_uid("reg-test/followup-ct"),
                      {make_uid("reg-test/followup-ct/1")}});
  return s;
}

fs::path write_sample(const fs::path& dir, const RegistrationSpec* spec = nullptr) {
  const auto id = test::small_identity();
  const RegistrationSpec s = spec != nullptr ? *spec : sample_spec(id);
  const fs::path path = dir / "REG.dcm";
  const WriteResult r = write_spatial_registration(path, id, s);
  EXPECT_TRUE(r.ok()) << r.error;
  return path;
}

/// The Matrix Sequence item `k` of Registration Sequence item `i`, in a loaded file.
DcmItem* matrix_item(DcmFileFormat& ff, long i) {
  DcmItem* reg = nullptr;
  DcmItem* mr = nullptr;
  DcmItem* m = nullptr;
  if (ff.getDataset()->findAndGetSequenceItem(DCM_RegistrationSequence, reg, i).bad()) return nullptr;
  if (reg->findAndGetSequenceItem(DCM_MatrixRegistrationSequence, mr, 0).bad()) return nullptr;
  if (mr->findAndGetSequenceItem(DCM_MatrixSequence, m, 0).bad()) return nullptr;
  return m;
}

bool mentions(const std::vector<Diagnostic>& ds, const std::string& element_part, const std::string& message_part) {
  for (const Diagnostic& d : ds) {
    if (d.element.find(element_part) != std::string::npos && d.message.find(message_part) != std::string::npos)
      return true;
  }
  return false;
}

std::string dump(const std::vector<Diagnostic>& ds) {
  std::string out;
  for (const Diagnostic& d : ds) out += fmt::format("[{}] {}: {}\n", to_string(d.severity), d.element, d.message);
  return out;
}

bool have_pydicom() { return test::run_tool("/usr/bin/python3 -c 'import pydicom'").exit_code == 0; }

// ---- Frame algebra ----

TEST(Registration, RigidInverseUndoesTheTransform) {
  const Matrix4 m = rotation_z(37, {3, -4, 5});
  ASSERT_TRUE(is_rigid(m));
  const auto inv = rigid_inverse(m);
  ASSERT_TRUE(inv);
  const Matrix4 product = multiply(*inv, m);
  for (std::size_t i = 0; i < 16; ++i) EXPECT_NEAR(product[i], identity_matrix()[i], 1e-12) << i;
  expect_near(rtaudit::apply(*inv, rtaudit::apply(m, {10, 20, 30})), {10, 20, 30}, 1e-12);
}

TEST(Registration, ScalingReflectionAndPerspectiveAreNotRigid) {
  Matrix4 scaled = rotation_z(10, {1, 2, 3});
  for (const std::size_t i : {0u, 1u, 4u, 5u}) scaled[i] *= 1.01;
  EXPECT_FALSE(is_rigid(scaled));
  EXPECT_FALSE(rigid_inverse(scaled));
  Matrix4 mirrored = identity_matrix();
  mirrored[0] = -1;  // orthonormal, determinant -1: left and right swapped
  EXPECT_FALSE(is_rigid(mirrored));
  Matrix4 perspective = identity_matrix();
  perspective[14] = 0.5;
  EXPECT_FALSE(is_rigid(perspective));
  Matrix4 nan = identity_matrix();
  nan[3] = std::nan("");
  EXPECT_FALSE(is_rigid(nan));
}

TEST(Registration, FrameLinksDirectInverseAndThroughTheRegistrationFrame) {
  SpatialRegistration reg;
  reg.sop_instance_uid = "1.2.3.9";
  reg.file = "REG.dcm";
  reg.frame_of_reference_uid = "1.1";
  const Matrix4 mb = rotation_z(90, {10, 0, 0});
  const Matrix4 mc = rotation_z(-90, {0, 5, 1});
  reg.frames = {{"1.2", mb, "RIGID"}, {"1.3", mc, "RIGID"}};
  const std::vector<SpatialRegistration> regs{reg};
  const geom::Point3 p{1, 2, 3};

  const auto same = find_frame_link(regs, "1.2", "1.2");
  ASSERT_TRUE(same);
  EXPECT_TRUE(same->registration_sop_instance_uid.empty());

  const auto b_to_a = find_frame_link(regs, "1.2", "1.1");
  ASSERT_TRUE(b_to_a);
  EXPECT_EQ(b_to_a->registration_sop_instance_uid, "1.2.3.9");
  expect_near(rtaudit::apply(b_to_a->transform, p), {10 - 2, 1, 3}, 1e-12);

  const auto a_to_b = find_frame_link(regs, "1.1", "1.2");
  ASSERT_TRUE(a_to_b);
  expect_near(rtaudit::apply(a_to_b->transform, {8, 1, 3}), p, 1e-12);

  const auto b_to_c = find_frame_link(regs, "1.2", "1.3");
  ASSERT_TRUE(b_to_c);
  // p_A = M_B p, then p_C = M_C^-1 p_A.
  expect_near(rtaudit::apply(mc, rtaudit::apply(b_to_c->transform, p)), rtaudit::apply(mb, p), 1e-12);

  EXPECT_FALSE(find_frame_link(regs, "1.2", "9.9"));
  EXPECT_FALSE(find_frame_link({}, "1.2", "1.1"));
}

TEST(Registration, ANonInvertibleItemLinksNothingThroughItsInverse) {
  SpatialRegistration reg;
  reg.frame_of_reference_uid = "1.1";
  Matrix4 scaled = identity_matrix();
  scaled[0] = 2;
  reg.frames = {{"1.2", scaled, "RIGID"}};
  EXPECT_FALSE(find_frame_link({reg}, "1.1", "1.2"));
}

// ---- The writer, checked by dciodvfy and read back ----

TEST(WriteReg, IsValidForDciodvfy) {
  if (!fs::exists("/usr/bin/dciodvfy")) GTEST_SKIP() << "dciodvfy (dicom3tools) not installed";
  const fs::path path = write_sample(test::temp_dir("reg"));
  std::string output;
  const auto errors = test::dciodvfy_errors(path, &output);
  EXPECT_TRUE(errors.empty()) << output;
  // Every Warning line is printed for the log; none is expected for the modules written.
  std::cout << output;

  // Without a body part, Laterality is written empty: a warning for dciodvfy, never an error.
  auto id = test::small_identity();
  RegistrationSpec spec = sample_spec(id);
  spec.body_part_examined.clear();
  const fs::path unknown = write_sample(test::temp_dir("reg-no-body-part"), &spec);
  const auto errors_unknown = test::dciodvfy_errors(unknown, &output);
  EXPECT_TRUE(errors_unknown.empty()) << output;
}

TEST(WriteReg, ReadsBackItsMatricesAndFrames) {
  const auto id = test::small_identity();
  const RegistrationSpec spec = sample_spec(id);
  const fs::path path = write_sample(test::temp_dir("reg"));
  std::vector<Diagnostic> problems;
  const auto reg = read_spatial_registration(path.string(), problems);
  ASSERT_TRUE(reg) << dump(problems);
  EXPECT_TRUE(problems.empty()) << dump(problems);
  EXPECT_EQ(reg->sop_instance_uid, spec.sop_instance_uid);
  EXPECT_EQ(reg->frame_of_reference_uid, id.frame_of_reference_uid);
  EXPECT_EQ(reg->file, path.string());
  ASSERT_EQ(reg->frames.size(), 2u);
  for (std::size_t f = 0; f < 2; ++f) {
    EXPECT_EQ(reg->frames[f].frame_of_reference_uid, spec.frames[f].frame_of_reference_uid);
    EXPECT_EQ(reg->frames[f].matrix_type, "RIGID");
    // 16-character DS values keep at least 14 significant digits.
    for (std::size_t i = 0; i < 16; ++i)
      EXPECT_NEAR(reg->frames[f].to_registration_frame[i], spec.frames[f].to_registration_frame[i], 1e-9)
          << f << ":" << i;
  }
}

TEST(WriteReg, PydicomSeesTheModalityItemsAndReferences) {
  if (!have_pydicom()) GTEST_SKIP() << "/usr/bin/python3 with pydicom not available";
  const fs::path path = write_sample(test::temp_dir("reg"));
  const auto run = test::pydicom(
      "r = ds.RegistrationSequence[1].MatrixRegistrationSequence[0].MatrixSequence[0]\n"
      "print(ds.Modality, len(ds.RegistrationSequence), r.FrameOfReferenceTransformationMatrixType,"
      " max(len(str(v)) for v in r.FrameOfReferenceTransformationMatrix) <= 16)\n"
      "print(len(ds.ReferencedSeriesSequence[0].ReferencedInstanceSequence),"
      " len(ds.StudiesContainingOtherReferencedInstancesSequence[0].ReferencedSeriesSequence),"
      " [len(i.ReferencedImageSequence) for i in ds.RegistrationSequence])",
      path);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output, "REG 2 RIGID True\n2 1 [2, 1]\n");
}

TEST(WriteReg, RefusesARigidTypeOnANonRigidMatrixAndASeriesWithoutInstances) {
  const auto id = test::small_identity();
  const fs::path dir = test::temp_dir("reg");
  RegistrationSpec spec = sample_spec(id);
  spec.frames[1].to_registration_frame[0] = 1.5;
  WriteResult r = write_spatial_registration(dir / "a.dcm", id, spec);
  EXPECT_NE(r.error.find("RegistrationSequence[1]"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("not rigid"), std::string::npos) << r.error;
  spec = sample_spec(id);
  spec.series[1].sop_instance_uids.clear();
  r = write_spatial_registration(dir / "b.dcm", id, spec);
  EXPECT_NE(r.error.find("ReferencedInstanceSequence"), std::string::npos) << r.error;
  spec = sample_spec(id);
  spec.series[1].frame_of_reference_uid = kFrameC;  // a frame the REG does not register
  r = write_spatial_registration(dir / "b.dcm", id, spec);
  EXPECT_NE(r.error.find("series reference 1"), std::string::npos) << r.error;
  spec = sample_spec(id);
  spec.frames.clear();
  EXPECT_FALSE(write_spatial_registration(dir / "c.dcm", id, spec).ok());
  EXPECT_FALSE(fs::exists(dir / "a.dcm") || fs::exists(dir / "b.dcm") || fs::exists(dir / "c.dcm"));
}

// ---- A REG written independently (pydicom) ----

TEST(ReadReg, PydicomRegWithTwoMatricesMapsAPointWhereHandComputationSays) {
  if (!have_pydicom()) GTEST_SKIP() << "/usr/bin/python3 with pydicom not available";
  const fs::path dir = test::temp_dir("pyreg");
  const fs::path path = dir / "reg_pydicom.dcm";
  // Beside the temporary folder, not in it, like the writer checks' scripts.
  const fs::path py = fs::temp_directory_path() / fmt::format("rtaudit-reg-test-{}.py", ::getpid());
  {
    std::ofstream out(py);
    out << R"(import sys
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ImplicitVRLittleEndian
meta = FileMetaDataset()
meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.66.1'
meta.MediaStorageSOPInstanceUID = '1.2.826.0.1.3680043.8.498.77.1'
meta.TransferSyntaxUID = ImplicitVRLittleEndian
ds = FileDataset(sys.argv[1], {}, file_meta=meta, preamble=b'\0' * 128)
ds.is_little_endian = True
ds.is_implicit_VR = True
ds.SOPClassUID = meta.MediaStorageSOPClassUID
ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
ds.Modality = 'REG'
ds.PatientID = 'PYDICOM-REG'
ds.StudyInstanceUID = '1.2.826.0.1.3680043.8.498.77.2'
ds.SeriesInstanceUID = '1.2.826.0.1.3680043.8.498.77.3'
ds.FrameOfReferenceUID = '1.2.826.0.1.3680043.8.498.77.10'
def matrix(values):
    m = Dataset()
    m.FrameOfReferenceTransformationMatrix = values
    m.FrameOfReferenceTransformationMatrixType = 'RIGID'
    return m
def item(frame, matrices):
    mr = Dataset()
    mr.RegistrationTypeCodeSequence = Sequence([])
    mr.MatrixSequence = Sequence(matrices)
    i = Dataset()
    i.FrameOfReferenceUID = frame
    i.MatrixRegistrationSequence = Sequence([mr])
    return i
identity = ['1', '0', '0', '0', '0', '1', '0', '0', '0', '0', '1', '0', '0', '0', '0', '1']
# 90 degrees about y (x' = z, z' = -x), then a translation: applied in this order.
rot_y = ['0', '0', '1', '0', '0', '1', '0', '0', '-1', '0', '0', '0', '0', '0', '0', '1']
shift = ['1', '0', '0', '1.5', '0', '1', '0', '-2.25', '0', '0', '1', '100', '0', '0', '0', '1']
ds.RegistrationSequence = Sequence([item(ds.FrameOfReferenceUID, [matrix(identity)]),
                                    item('1.2.826.0.1.3680043.8.498.77.20', [matrix(rot_y), matrix(shift)])])
ds.save_as(sys.argv[1], write_like_original=False)
)";
  }
  const auto run = test::run_tool(fmt::format("/usr/bin/python3 '{}' '{}'", py.string(), path.string()));
  fs::remove(py);
  ASSERT_EQ(run.exit_code, 0) << run.output;

  std::vector<Diagnostic> problems;
  const auto reg = read_spatial_registration(path.string(), problems);
  ASSERT_TRUE(reg) << dump(problems);
  EXPECT_TRUE(problems.empty()) << dump(problems);
  ASSERT_EQ(reg->frames.size(), 2u);
  const std::string a = "1.2.826.0.1.3680043.8.498.77.10", b = "1.2.826.0.1.3680043.8.498.77.20";
  const auto link = find_frame_link({*reg}, b, a);
  ASSERT_TRUE(link);
  EXPECT_EQ(link->registration_sop_instance_uid, "1.2.826.0.1.3680043.8.498.77.1");
  // By hand: R_y(90) (10, 20, 30) = (30, 20, -10); plus (1.5, -2.25, 100) = (31.5, 17.75, 90).
  // The other order, R (p + t), would give (130, 17.75, -11.5).
  expect_near(rtaudit::apply(link->transform, {10, 20, 30}), {31.5, 17.75, 90}, 1e-6);
  const auto back = find_frame_link({*reg}, a, b);
  ASSERT_TRUE(back);
  expect_near(rtaudit::apply(back->transform, {31.5, 17.75, 90}), {10, 20, 30}, 1e-6);
}

// ---- Bad files: reported, never a crash ----

TEST(ReadReg, NonRigidMatrixItemIsSkippedAndReportedTheOthersKept) {
  const fs::path dir = test::temp_dir("bad");
  const fs::path path = write_sample(dir);
  DcmFileFormat ff;
  ASSERT_TRUE(ff.loadFile(path.c_str()).good());
  DcmItem* m = matrix_item(ff, 1);
  ASSERT_NE(m, nullptr);
  // Typed RIGID, but scaled by 1.1 in x.
  m->putAndInsertString(DCM_FrameOfReferenceTransformationMatrix, "1.1\\0\\0\\5\\0\\1\\0\\0\\0\\0\\1\\0\\0\\0\\0\\1");
  test::save(ff, path);
  std::vector<Diagnostic> problems;
  const auto reg = read_spatial_registration(path.string(), problems);
  ASSERT_TRUE(reg) << dump(problems);
  ASSERT_EQ(reg->frames.size(), 1u);
  EXPECT_EQ(reg->frames[0].frame_of_reference_uid, test::small_identity().frame_of_reference_uid);
  EXPECT_TRUE(mentions(problems, "RegistrationSequence[1] (0070,0308)", "not rigid")) << dump(problems);
  EXPECT_TRUE(mentions(reg->problems, "FrameOfReferenceTransformationMatrix (3006,00c6)", "item skipped"))
      << dump(reg->problems);
  for (const Diagnostic& d : problems) EXPECT_EQ(d.file, path.string());
}

TEST(ReadReg, AffineAndRigidScaleItemsAreSkippedAndReported) {
  const auto id = test::small_identity();
  RegistrationSpec spec = sample_spec(id);
  Matrix4 shear = identity_matrix();
  shear[1] = 0.2;
  spec.frames.push_back({kFrameC, shear, "AFFINE"});
  const fs::path path = write_sample(test::temp_dir("affine"), &spec);
  std::vector<Diagnostic> problems;
  auto reg = read_spatial_registration(path.string(), problems);
  ASSERT_TRUE(reg) << dump(problems);
  EXPECT_EQ(reg->frames.size(), 2u);
  EXPECT_TRUE(mentions(problems, "RegistrationSequence[2]", "'AFFINE'")) << dump(problems);
  EXPECT_FALSE(find_frame_link({*reg}, kFrameC, id.frame_of_reference_uid));

  // A rigid matrix typed RIGID_SCALE is refused on its type too: the file says it may scale.
  DcmFileFormat ff;
  ASSERT_TRUE(ff.loadFile(path.c_str()).good());
  matrix_item(ff, 1)->putAndInsertString(DCM_FrameOfReferenceTransformationMatrixType, "RIGID_SCALE");
  test::save(ff, path);
  problems.clear();
  reg = read_spatial_registration(path.string(), problems);
  ASSERT_TRUE(reg) << dump(problems);
  EXPECT_EQ(reg->frames.size(), 1u);
  EXPECT_TRUE(mentions(problems, "RegistrationSequence[1]", "'RIGID_SCALE'")) << dump(problems);
}

TEST(ReadReg, MalformedMatricesAndMissingFramesAreReported) {
  const fs::path path = write_sample(test::temp_dir("malformed"));
  DcmFileFormat ff;
  ASSERT_TRUE(ff.loadFile(path.c_str()).good());
  matrix_item(ff, 1)->putAndInsertString(DCM_FrameOfReferenceTransformationMatrix, "1\\0\\0\\0\\0\\1");
  DcmItem* first = nullptr;
  ASSERT_TRUE(ff.getDataset()->findAndGetSequenceItem(DCM_RegistrationSequence, first, 0).good());
  first->findAndDeleteElement(DCM_FrameOfReferenceUID);
  test::save(ff, path);
  std::vector<Diagnostic> problems;
  const auto reg = read_spatial_registration(path.string(), problems);
  EXPECT_FALSE(reg);
  EXPECT_TRUE(mentions(problems, "RegistrationSequence[0] (0070,0308) > FrameOfReferenceUID", "absent"))
      << dump(problems);
  EXPECT_TRUE(mentions(problems, "RegistrationSequence[1]", "not 16 finite numbers")) << dump(problems);
  EXPECT_TRUE(mentions(problems, "RegistrationSequence (0070,0308)", "none of its 2 items")) << dump(problems);
}

TEST(ReadReg, OtherObjectsDeformableRegistrationsAndNonDicomAreRefused) {
  const fs::path dir = test::temp_dir("refused");
  DcmFileFormat rs = test::make_rtstruct({{1, "BODY", "EXTERNAL", {{"CLOSED_PLANAR", test::square(0, 0, 10, 0)}}}});
  test::save(rs, dir / "RS.dcm");
  std::vector<Diagnostic> problems;
  EXPECT_FALSE(read_spatial_registration((dir / "RS.dcm").string(), problems));
  EXPECT_TRUE(mentions(problems, "SOPClassUID", "not Spatial Registration Storage (modality 'RTSTRUCT')"))
      << dump(problems);

  const fs::path reg_path = write_sample(dir);
  DcmFileFormat ff;
  ASSERT_TRUE(ff.loadFile(reg_path.c_str()).good());
  ff.getDataset()->putAndInsertString(DCM_SOPClassUID, UID_DeformableSpatialRegistrationStorage);
  ff.getMetaInfo()->putAndInsertString(DCM_MediaStorageSOPClassUID, UID_DeformableSpatialRegistrationStorage);
  test::save(ff, reg_path);
  problems.clear();
  EXPECT_FALSE(read_spatial_registration(reg_path.string(), problems));
  EXPECT_TRUE(mentions(problems, "SOPClassUID", "deformable registration is never approximated")) << dump(problems);

  {
    std::ofstream out(dir / "notes.txt");
    out << "frame of reference: none\n";
  }
  problems.clear();
  EXPECT_FALSE(read_spatial_registration((dir / "notes.txt").string(), problems));
  EXPECT_TRUE(mentions(problems, "", "not a DICOM file")) << dump(problems);
  problems.clear();
  EXPECT_FALSE(read_spatial_registration((dir / "absent.dcm").string(), problems));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].severity, Severity::Error);
}

TEST(ReadReg, TruncatedFilesAreReportedAtEveryLength) {
  configure_dcmtk_logging(false);  // DCMTK would print every premature end of stream
  const fs::path dir = test::temp_dir("truncated");
  const fs::path whole = write_sample(dir);
  std::string bytes;
  {
    std::ifstream in(whole, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_GT(bytes.size(), 400u);
  const fs::path cut = dir / "cut.dcm";
  std::size_t refused = 0, lengths = 0;
  for (std::size_t n = 0; n < bytes.size(); n += 7) {
    {
      std::ofstream out(cut, std::ios::binary | std::ios::trunc);
      out.write(bytes.data(), static_cast<std::streamsize>(n));
    }
    std::vector<Diagnostic> problems;
    const auto reg = read_spatial_registration(cut.string(), problems);
    ++lengths;
    if (!reg) {
      ++refused;
      EXPECT_FALSE(problems.empty()) << n;
    } else {
      // Whatever survives a cut must still be a rigid registration.
      for (const FrameRegistration& f : reg->frames) EXPECT_TRUE(is_rigid(f.to_registration_frame, 1e-4)) << n;
    }
  }
  // Cut in the header or the sequences, the file is refused; only the last bytes are optional.
  EXPECT_GT(refused, lengths * 9 / 10);
}

}  // namespace
}  // namespace rtaudit::dicom
