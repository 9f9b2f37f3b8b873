// RTDOSE reading: real files of other systems (../shared/data/conformance, skipped when absent),
// grids built in memory with DCMTK, and round trips of rtaudit's own writer.

#include "rtaudit/dicom/rtdose_reader.hpp"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "rtaudit/case/uid.hpp"
#include "rtaudit/dicom/elements.hpp"
#include "rtaudit/dicom/load.hpp"
#include "rtaudit/dicom/write_rtdose.hpp"
#include "rtaudit/dose/dose_volume.hpp"
#include "tests/dicom/test_files.hpp"
#include "tests/dicom/writer_fixtures.hpp"

namespace rtaudit::dicom {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const fs::path kConformance = fs::path(RTAUDIT_SHARED_DIR) / "data" / "conformance";
const fs::path kPydicom = kConformance / "pydicom/src/pydicom/data/test_files";
const fs::path kPymedphysDose = kConformance / "pymedphys/tests/data/dicom_dose";
const fs::path kPinnacleDose =
    kConformance / "pymedphys/tests/pinnacle/data/dcm/1.3.46.670589.13.997910418.20181018190715.183309.dcm";

#define SKIP_WITHOUT(path)                                                        \
  do {                                                                            \
    if (!fs::exists(path)) GTEST_SKIP() << "conformance file not found: " << (path); \
  } while (0)

RtDoseRead read_ok(const fs::path& path) {
  RtDoseRead r = read_rtdose(path.string());
  EXPECT_TRUE(r.dose.has_value()) << r.error;
  return r;
}

struct Voxel {
  int i, j, k;
  double dose_gy;
};

// ---------------------------------------------------------------------------------------------
// pydicom's RTDOSE files: one 10 x 10 x 15 grid of 32-bit pixels, DoseGridScaling 1e-6, stored in
// implicit VR little endian (rtdose.dcm), RLE lossless (rtdose_rle.dcm) and explicit VR big
// endian (rtdose_expb.dcm). Expected doses: pydicom 2.3's ds.pixel_array[k, j, i] *
// float(ds.DoseGridScaling), computed once:
//   ds = pydicom.dcmread(f); a = ds.pixel_array; print(a[k, j, i] * float(ds.DoseGridScaling))
constexpr std::array<Voxel, 7> kPydicomRtDose{{
    {0, 0, 0, 1.249},   // stored 1249000
    {9, 0, 0, 1.253},   // 1253000
    {0, 9, 0, 0.795},   // 795000
    {0, 0, 14, 1.249},  // 1249000
    {9, 9, 14, 0.799},  // 799000
    {3, 7, 5, 0.884},   // 884000
    {5, 5, 7, 0.975},   // 975000
}};

TEST(RtDoseReader, PydicomRtDoseGivesPydicomsValues) {
  SKIP_WITHOUT(kPydicom / "rtdose.dcm");
  const RtDoseRead r = read_ok(kPydicom / "rtdose.dcm");
  ASSERT_TRUE(r.dose);
  const DoseGrid& g = *r.dose;
  EXPECT_EQ(g.columns, 10);
  EXPECT_EQ(g.rows, 10);
  ASSERT_EQ(g.frames(), 15);
  EXPECT_EQ(g.origin_mm, (std::array<double, 3>{189.43125, 199.43125, -761.87}));
  EXPECT_EQ(g.orientation, (std::array<double, 6>{1, 0, 0, 0, 1, 0}));
  EXPECT_EQ(g.row_spacing_mm, 10);
  EXPECT_EQ(g.column_spacing_mm, 10);
  EXPECT_EQ(g.frame_offsets_mm[14], 70);
  EXPECT_EQ(g.dose_units, "RELATIVE");
  EXPECT_EQ(g.dose_type, "PHYSICAL");
  EXPECT_EQ(g.dose_summation_type, "BEAM");
  EXPECT_EQ(g.referenced_plan_uid, "1.2.123.456.78.9.0123.4567.89012345678901");
  EXPECT_EQ(g.referenced_fraction_group, 1);
  EXPECT_EQ(g.referenced_beam_number, 1);
  EXPECT_EQ(g.frame_of_reference_uid, "2.22.222.2.222222.2.2222222222222222222222222222.2");
  EXPECT_EQ(g.sop_instance_uid, "1.9.999.999.99.9.9999.9999.20030818153516");
  EXPECT_FALSE(g.slice_thickness_mm);
  for (const Voxel& v : kPydicomRtDose)
    EXPECT_FLOAT_EQ(g.at(v.i, v.j, v.k), static_cast<float>(v.dose_gy)) << v.i << "," << v.j << "," << v.k;
  // RELATIVE units are read, with a warning.
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_THAT(r.warnings[0], HasSubstr("DoseUnits (3004,0002): RELATIVE"));
}

TEST(RtDoseReader, RleAndBigEndianGiveTheSameGrid) {
  SKIP_WITHOUT(kPydicom / "rtdose.dcm");
  const RtDoseRead plain = read_ok(kPydicom / "rtdose.dcm");
  for (const char* name : {"rtdose_rle.dcm", "rtdose_expb.dcm"}) {
    SCOPED_TRACE(name);
    const RtDoseRead other = read_ok(kPydicom / name);
    ASSERT_TRUE(plain.dose && other.dose);
    EXPECT_EQ(other.dose->dose_gy, plain.dose->dose_gy);  // every voxel, exactly
    EXPECT_EQ(other.dose->origin_mm, plain.dose->origin_mm);
    EXPECT_EQ(other.dose->frame_offsets_mm, plain.dose->frame_offsets_mm);
    for (const Voxel& v : kPydicomRtDose) EXPECT_FLOAT_EQ(other.dose->at(v.i, v.j, v.k), static_cast<float>(v.dose_gy));
  }
}

// rtdose_1frame.dcm: no NumberOfFrames (so one frame) but the 15 offsets of rtdose.dcm.
TEST(RtDoseReader, OneFrameFileUsesTheFirstOffset) {
  SKIP_WITHOUT(kPydicom / "rtdose_1frame.dcm");
  const RtDoseRead r = read_ok(kPydicom / "rtdose_1frame.dcm");
  ASSERT_TRUE(r.dose);
  ASSERT_EQ(r.dose->frames(), 1);
  EXPECT_EQ(r.dose->frame_offsets_mm[0], 0);
  EXPECT_EQ(r.dose->dose_gy.size(), 100u);
  // pydicom: a[j, i] * DoseGridScaling of its (10, 10) pixel array.
  constexpr std::array<Voxel, 5> expected{{{0, 0, 0, 1.249}, {9, 0, 0, 1.253}, {0, 9, 0, 0.795}, {9, 9, 0, 0.798},
                                           {3, 7, 0, 0.887}}};
  for (const Voxel& v : expected) EXPECT_FLOAT_EQ(r.dose->at(v.i, v.j, 0), static_cast<float>(v.dose_gy));
  bool warned = false;
  for (const auto& w : r.warnings) warned = warned || w.find("15 values for a single frame") != std::string::npos;
  EXPECT_TRUE(warned);
  // One plane without SliceThickness: the domain is that plane only.
  const auto v = dose::to_dose_volume(*r.dose);
  ASSERT_TRUE(v.volume) << v.error;
  EXPECT_EQ(v.volume->nz(), 1);
  EXPECT_EQ(v.volume->z_lo(), -761.87);
  EXPECT_EQ(v.volume->z_hi(), -761.87);
}

// 16-bit grids of two planning systems, RayStation 8 (RD.wedge.dcm) and Pinnacle 16: pydicom's
// pixel_array[k, j, i] * DoseGridScaling.
TEST(RtDoseReader, SixteenBitGridsOfRayStationAndPinnacle) {
  SKIP_WITHOUT(kPymedphysDose / "RD.wedge.dcm");
  {
    const RtDoseRead r = read_ok(kPymedphysDose / "RD.wedge.dcm");
    ASSERT_TRUE(r.dose);
    EXPECT_EQ(r.dose->columns, 75);
    EXPECT_EQ(r.dose->rows, 130);
    EXPECT_EQ(r.dose->frames(), 60);
    EXPECT_EQ(r.dose->dose_units, "GY");
    EXPECT_EQ(r.dose->slice_thickness_mm, 2.0);
    constexpr std::array<Voxel, 5> expected{{{0, 0, 0, 0.0},
                                             {74, 129, 59, 30 * 2.990142e-05},
                                             {37, 65, 30, 32440 * 2.990142e-05},
                                             {10, 100, 20, 19249 * 2.990142e-05},
                                             {24, 11, 39, 65535 * 2.990142e-05}}};  // the maximum
    for (const Voxel& v : expected) EXPECT_FLOAT_EQ(r.dose->at(v.i, v.j, v.k), static_cast<float>(v.dose_gy));
    EXPECT_TRUE(r.warnings.empty()) << r.warnings[0];
  }
  SKIP_WITHOUT(kPinnacleDose);
  {
    const RtDoseRead r = read_ok(kPinnacleDose);
    ASSERT_TRUE(r.dose);
    EXPECT_EQ(r.dose->columns, 150);
    EXPECT_EQ(r.dose->rows, 90);
    EXPECT_EQ(r.dose->frames(), 50);
    EXPECT_EQ(r.dose->origin_mm, (std::array<double, 3>{-200, -2.5, -52.5}));
    constexpr std::array<Voxel, 4> expected{
        {{0, 0, 0, 0.0}, {75, 45, 25, 14063 * 0.00304397}, {80, 40, 20, 13824 * 0.00304397}, {64, 33, 15, 16384 * 0.00304397}}};
    for (const Voxel& v : expected) EXPECT_FLOAT_EQ(r.dose->at(v.i, v.j, v.k), static_cast<float>(v.dose_gy));
  }
}

TEST(RtDoseReader, EveryConformanceRtDoseIsReadOrReportedClearly) {
  SKIP_WITHOUT(kPydicom / "rtdose.dcm");
  configure_dcmtk_logging(false);
  int read = 0, header_only = 0;
  for (const auto& entry : fs::recursive_directory_iterator(kConformance)) {
    if (!entry.is_regular_file()) continue;
    LoadedFile f = load_file(entry.path().string(), LoadDepth::Header);
    if (!f.file || get_string(*f.file->getDataset(), DCM_Modality) != "RTDOSE") continue;
    SCOPED_TRACE(entry.path().string());
    const RtDoseRead r = read_rtdose(entry.path().string());
    if (r.dose) {
      ++read;
      EXPECT_TRUE(dose::to_dose_volume(*r.dose).volume);
    } else {
      // The only RTDOSE files that cannot be read are pymedphys' headers without pixels.
      EXPECT_THAT(entry.path().filename().string(), HasSubstr("_empty"));
      EXPECT_THAT(r.error, HasSubstr(entry.path().string() + ": PixelData (7fe0,0010): empty"));
      ++header_only;
    }
  }
  EXPECT_EQ(read, 6);
  EXPECT_EQ(header_only, 8);
}

// ---------------------------------------------------------------------------------------------
// The eight pymedphys orientation files (Eclipse 13.7, one empty RTDOSE header per patient
// position). Expected patient positions of voxel (i, j, k) from the DICOM definition (PS3.3
// C.7.6.2.1.1, C.8.8.3.2), computed once with pydicom and numpy:
//   r, c = IOP[:3], IOP[3:]; n = cross(r, c); drow, dcol = PixelSpacing
//   p = IPP + i * dcol * r + j * drow * c + GridFrameOffsetVector[k] * n
// pymedphys checks its own xyz axes of these files against a stored baseline
// (expected_dicom_xyz.json, not in this copy); these positions are the same quantity. The eight
// files are not one patient box in eight encodings: their sizes and positions differ (the phantom
// was set up anew for each position), so each is checked against its own positions.
struct Orientation {
  const char* name;
  std::array<double, 6> iop;
  int columns, rows;
  std::array<std::pair<std::array<int, 3>, std::array<double, 3>>, 7> voxels;
};

const std::array<Orientation, 8> kOrientations{{
    {"HFS", {1, 0, 0, 0, 1, 0}, 228, 111,
     {{{{0, 0, 0}, {-351.0475, -161.4519, -1259.5}},
       {{227, 0, 0}, {102.9525, -161.4519, -1259.5}},
       {{0, 110, 0}, {-351.0475, 58.5481, -1259.5}},
       {{0, 0, 100}, {-351.0475, -161.4519, -1059.5}},
       {{227, 110, 100}, {102.9525, 58.5481, -1059.5}},
       {{17, 23, 42}, {-317.0475, -115.4519, -1175.5}},
       {{114, 37, 99}, {-123.0475, -87.4519, -1061.5}}}}},
    {"HFP", {-1, 0, 0, 0, -1, 0}, 226, 121,
     {{{{0, 0, 0}, {351.0475, 182.7169, -1256.5}},
       {{225, 0, 0}, {-98.9525, 182.7169, -1256.5}},
       {{0, 120, 0}, {351.0475, -57.2831, -1256.5}},
       {{0, 0, 100}, {351.0475, 182.7169, -1056.5}},
       {{225, 120, 100}, {-98.9525, -57.2831, -1056.5}},
       {{17, 23, 42}, {317.0475, 136.7169, -1172.5}},
       {{113, 40, 99}, {125.0475, 102.7169, -1058.5}}}}},
    {"FFS", {-1, 0, 0, 0, 1, 0}, 226, 149,
     {{{{0, 0, 0}, {350.9521, -236.6169, 1252.0}},
       {{225, 0, 0}, {-99.0479, -236.6169, 1252.0}},
       {{0, 148, 0}, {350.9521, 59.3831, 1252.0}},
       {{0, 0, 100}, {350.9521, -236.6169, 1052.0}},
       {{225, 148, 100}, {-99.0479, 59.3831, 1052.0}},
       {{17, 23, 42}, {316.9521, -190.6169, 1168.0}},
       {{113, 49, 99}, {124.9521, -138.6169, 1054.0}}}}},
    {"FFP", {1, 0, 0, 0, -1, 0}, 219, 149,
     {{{{0, 0, 0}, {-350.9521, 237.8829, 1257.0}},
       {{218, 0, 0}, {85.0479, 237.8829, 1257.0}},
       {{0, 148, 0}, {-350.9521, -58.1171, 1257.0}},
       {{0, 0, 100}, {-350.9521, 237.8829, 1057.0}},
       {{218, 148, 100}, {85.0479, -58.1171, 1057.0}},
       {{17, 23, 42}, {-316.9521, 191.8829, 1173.0}},
       {{109, 49, 99}, {-132.9521, 139.8829, 1059.0}}}}},
    {"HFDL", {0, -1, 0, 1, 0, 0}, 235, 112,
     {{{{0, 0, 0}, {-164.9469, 351.0475, -1283.0}},
       {{234, 0, 0}, {-164.9469, -116.9525, -1283.0}},
       {{0, 111, 0}, {57.0531, 351.0475, -1283.0}},
       {{0, 0, 100}, {-164.9469, 351.0475, -1083.0}},
       {{234, 111, 100}, {57.0531, -116.9525, -1083.0}},
       {{17, 23, 42}, {-118.9469, 317.0475, -1199.0}},
       {{117, 37, 99}, {-90.9469, 117.0475, -1085.0}}}}},
    {"HFDR", {0, 1, 0, -1, 0, 0}, 225, 117,
     {{{{0, 0, 0}, {172.8459, -351.0475, -1262.5}},
       {{224, 0, 0}, {172.8459, 96.9525, -1262.5}},
       {{0, 116, 0}, {-59.1541, -351.0475, -1262.5}},
       {{0, 0, 100}, {172.8459, -351.0475, -1062.5}},
       {{224, 116, 100}, {-59.1541, 96.9525, -1062.5}},
       {{17, 23, 42}, {126.8459, -317.0475, -1178.5}},
       {{112, 39, 99}, {94.8459, -127.0475, -1064.5}}}}},
    {"FFDL", {0, 1, 0, 1, 0, 0}, 224, 131,
     {{{{0, 0, 0}, {-202.4149, -350.9521, 1254.5}},
       {{223, 0, 0}, {-202.4149, 95.0479, 1254.5}},
       {{0, 130, 0}, {57.5851, -350.9521, 1254.5}},
       {{0, 0, 100}, {-202.4149, -350.9521, 1054.5}},
       {{223, 130, 100}, {57.5851, 95.0479, 1054.5}},
       {{17, 23, 42}, {-156.4149, -316.9521, 1170.5}},
       {{112, 43, 99}, {-116.4149, -126.9521, 1056.5}}}}},
    {"FFDR", {0, -1, 0, -1, 0, 0}, 238, 133,
     {{{{0, 0, 0}, {205.1489, 350.9521, 1255.5}},
       {{237, 0, 0}, {205.1489, -123.0479, 1255.5}},
       {{0, 132, 0}, {-58.8511, 350.9521, 1255.5}},
       {{0, 0, 100}, {205.1489, 350.9521, 1055.5}},
       {{237, 132, 100}, {-58.8511, -123.0479, 1055.5}},
       {{17, 23, 42}, {159.1489, 316.9521, 1171.5}},
       {{119, 44, 99}, {117.1489, 112.9521, 1057.5}}}}},
}};

/// Fills the empty Pixel Data of a loaded header with 32-bit values 1, 2, 3, ... (one per voxel,
/// low word first as in the file's little-endian encoding).
void fill_pixels(DcmDataset& ds, std::size_t voxels) {
  std::vector<Uint16> words(2 * voxels);
  for (std::size_t v = 0; v < voxels; ++v) {
    const auto value = static_cast<std::uint32_t>(v + 1);
    words[2 * v] = static_cast<Uint16>(value & 0xFFFFu);
    words[2 * v + 1] = static_cast<Uint16>(value >> 16);
  }
  ASSERT_TRUE(ds.putAndInsertUint16Array(DCM_PixelData, words.data(), static_cast<unsigned long>(words.size())).good());
}

TEST(RtDoseReader, EightPatientOrientationsGiveTheDicomVoxelPositions) {
  SKIP_WITHOUT(kPymedphysDose / "RD.DICOMORIENT.Dose_HFS_empty.dcm");
  configure_dcmtk_logging(false);
  for (const Orientation& o : kOrientations) {
    SCOPED_TRACE(o.name);
    const fs::path path = kPymedphysDose / fmt::format("RD.DICOMORIENT.Dose_{}_empty.dcm", o.name);
    // As it is: a header without pixels is not a dose.
    const RtDoseRead empty = read_rtdose(path.string());
    EXPECT_FALSE(empty.dose);
    EXPECT_THAT(empty.error, HasSubstr("PixelData (7fe0,0010): empty"));

    LoadedFile f = load_file(path.string(), LoadDepth::Full);
    ASSERT_TRUE(f.file) << f.error;
    DcmDataset& ds = *f.file->getDataset();
    const std::size_t voxels = static_cast<std::size_t>(o.columns) * o.rows * 101;
    fill_pixels(ds, voxels);
    const RtDoseRead r = read_rtdose(ds, path.string());
    ASSERT_TRUE(r.dose) << r.error;
    const DoseGrid& g = *r.dose;
    EXPECT_EQ(g.orientation, o.iop);
    ASSERT_EQ(g.columns, o.columns);
    ASSERT_EQ(g.rows, o.rows);
    ASSERT_EQ(g.frames(), 101);
    for (const auto& [ijk, expected] : o.voxels) {
      const auto p = g.voxel_position(ijk[0], ijk[1], ijk[2]);
      for (int a = 0; a < 3; ++a) EXPECT_NEAR(p[a], expected[a], 1e-9) << ijk[0] << "," << ijk[1] << "," << ijk[2];
    }

    // In patient axes every stored value sits at its own voxel's position: sample() at each
    // original voxel centre gives that voxel's value back (every voxel of the grid).
    const dose::DoseVolumeResult vr = dose::to_dose_volume(g);
    ASSERT_TRUE(vr.volume) << vr.error;
    const dose::DoseVolume& v = *vr.volume;
    EXPECT_EQ(static_cast<std::size_t>(v.nx) * v.ny * v.nz(), voxels);
    EXPECT_GT(v.dx_mm, 0);
    EXPECT_GT(v.dy_mm, 0);
    for (std::size_t k = 1; k < v.z_mm.size(); ++k) ASSERT_LT(v.z_mm[k - 1], v.z_mm[k]);
    std::size_t mismatches = 0;
    for (int k = 0; k < g.frames(); ++k) {
      for (int j = 0; j < g.rows; ++j) {
        for (int i = 0; i < g.columns; ++i) {
          const auto p = g.voxel_position(i, j, k);
          const double s = dose::sample(v, p[0], p[1], p[2]);
          if (!(std::abs(s - g.at(i, j, k)) <= 1e-9)) {
            if (mismatches++ < 5) ADD_FAILURE() << "voxel " << i << "," << j << "," << k << ": " << s << " vs " << g.at(i, j, k);
          }
        }
      }
    }
    EXPECT_EQ(mismatches, 0u);
    // The domain is the box of the voxels: half a spacing beyond the outermost centres.
    const auto c0 = g.voxel_position(0, 0, 0);
    const auto c1 = g.voxel_position(g.columns - 1, g.rows - 1, 100);
    EXPECT_NEAR(v.x_lo(), std::min(c0[0], c1[0]) - 1.0, 1e-9);
    EXPECT_NEAR(v.x_hi(), std::max(c0[0], c1[0]) + 1.0, 1e-9);
    EXPECT_NEAR(v.z_lo(), std::min(c0[2], c1[2]) - 1.0, 1e-9);
    EXPECT_NEAR(v.z_hi(), std::max(c0[2], c1[2]) + 1.0, 1e-9);
  }
}

// ---------------------------------------------------------------------------------------------
// Grids built in memory.

struct GridSpec {
  std::array<double, 6> iop{1, 0, 0, 0, 1, 0};
  std::array<double, 3> ipp{-10, -20, 300};
  std::vector<double> offsets{0, 2.5, 5};
  int rows = 3, columns = 4;
  double scaling = 0.001;
  int bits = 16;
  bool is_signed = false;
  std::string units = "GY";
  std::string summation = "PLAN";
};

std::string ds_list(const double* v, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += fmt::format("{}{}", i ? "\\" : "", v[i]);
  return s;
}

/// An RT Dose dataset whose voxel n (in stored order) holds n + 1 (times the scaling).
DcmFileFormat make_dose(const GridSpec& s) {
  DcmFileFormat ff;
  DcmDataset& ds = *ff.getDataset();
  ds.putAndInsertString(DCM_SOPClassUID, UID_RTDoseStorage);
  ds.putAndInsertString(DCM_SOPInstanceUID, "1.2.826.0.1.3680043.10.9999.1");
  ds.putAndInsertString(DCM_Modality, "RTDOSE");
  ds.putAndInsertString(DCM_FrameOfReferenceUID, "1.2.826.0.1.3680043.10.9999.2");
  ds.putAndInsertUint16(DCM_Rows, static_cast<Uint16>(s.rows));
  ds.putAndInsertUint16(DCM_Columns, static_cast<Uint16>(s.columns));
  ds.putAndInsertString(DCM_NumberOfFrames, std::to_string(s.offsets.size()).c_str());
  ds.putAndInsertString(DCM_PixelSpacing, "2\\3");
  ds.putAndInsertString(DCM_ImagePositionPatient, ds_list(s.ipp.data(), 3).c_str());
  ds.putAndInsertString(DCM_ImageOrientationPatient, ds_list(s.iop.data(), 6).c_str());
  ds.putAndInsertString(DCM_GridFrameOffsetVector, ds_list(s.offsets.data(), s.offsets.size()).c_str());
  ds.putAndInsertUint16(DCM_SamplesPerPixel, 1);
  ds.putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
  ds.putAndInsertUint16(DCM_BitsAllocated, static_cast<Uint16>(s.bits));
  ds.putAndInsertUint16(DCM_BitsStored, static_cast<Uint16>(s.bits));
  ds.putAndInsertUint16(DCM_HighBit, static_cast<Uint16>(s.bits - 1));
  ds.putAndInsertUint16(DCM_PixelRepresentation, s.is_signed ? 1 : 0);
  if (!s.units.empty()) ds.putAndInsertString(DCM_DoseUnits, s.units.c_str());
  ds.putAndInsertString(DCM_DoseType, "PHYSICAL");
  ds.putAndInsertString(DCM_DoseSummationType, s.summation.c_str());
  ds.putAndInsertString(DCM_DoseGridScaling, fmt::format("{}", s.scaling).c_str());
  DcmItem* plan = nullptr;
  ds.findOrCreateSequenceItem(DCM_ReferencedRTPlanSequence, plan, 0);
  plan->putAndInsertString(DCM_ReferencedSOPClassUID, UID_RTPlanStorage);
  plan->putAndInsertString(DCM_ReferencedSOPInstanceUID, "1.2.826.0.1.3680043.10.9999.3");
  const std::size_t n = static_cast<std::size_t>(s.rows) * s.columns * s.offsets.size();
  std::vector<Uint16> words;
  for (std::size_t v = 0; v < n; ++v) {
    const std::int64_t value = s.is_signed ? static_cast<std::int64_t>(v) - 5 : static_cast<std::int64_t>(v) + 1;
    const auto u = static_cast<std::uint32_t>(value);
    words.push_back(static_cast<Uint16>(u & 0xFFFFu));
    if (s.bits == 32) words.push_back(static_cast<Uint16>(u >> 16));
  }
  ds.putAndInsertUint16Array(DCM_PixelData, words.data(), static_cast<unsigned long>(words.size()));
  return ff;
}

RtDoseRead read_spec(const GridSpec& s) {
  DcmFileFormat ff = make_dose(s);
  return read_rtdose(*ff.getDataset(), "mem.dcm");
}

bool warned(const RtDoseRead& r, const std::string& text) {
  for (const auto& w : r.warnings)
    if (w.find(text) != std::string::npos) return true;
  return false;
}

TEST(RtDoseReader, RelativeAndAbsoluteOffsetsGiveTheSamePositions) {
  GridSpec relative;
  GridSpec absolute;
  absolute.offsets = {300, 302.5, 305};  // the first equals ImagePositionPatient z (PS3.3 C.8.8.3.2 b)
  const RtDoseRead a = read_spec(relative);
  const RtDoseRead b = read_spec(absolute);
  ASSERT_TRUE(a.dose) << a.error;
  ASSERT_TRUE(b.dose) << b.error;
  EXPECT_EQ(b.dose->frame_offsets_mm, (std::vector<double>{0, 2.5, 5}));
  for (int k = 0; k < 3; ++k)
    for (int j = 0; j < 3; ++j)
      for (int i = 0; i < 4; ++i) EXPECT_EQ(a.dose->voxel_position(i, j, k), b.dose->voxel_position(i, j, k));
  EXPECT_EQ(a.dose->voxel_position(3, 2, 2), (std::array<double, 3>{-10 + 3 * 3, -20 + 2 * 2, 305}));
  EXPECT_TRUE(a.warnings.empty()) << a.warnings[0];
  EXPECT_TRUE(b.warnings.empty()) << b.warnings[0];  // the standard orientation: no remark

  // Written to a file and read back the same.
  const fs::path dir = test::temp_dir("rd-absolute");
  DcmFileFormat ff = make_dose(absolute);
  test::save(ff, dir / "RD.dcm");
  const RtDoseRead c = read_rtdose((dir / "RD.dcm").string());
  ASSERT_TRUE(c.dose) << c.error;
  EXPECT_EQ(c.dose->frame_offsets_mm, b.dose->frame_offsets_mm);
  EXPECT_EQ(c.dose->dose_gy, b.dose->dose_gy);
}

TEST(RtDoseReader, AbsoluteOffsetsInOtherOrientations) {
  // HFP: the normal is +z, so absolute values are z positions; PS3.3 allows this form only for
  // 1\0\0\0\1\0, so it is read with a warning.
  GridSpec hfp;
  hfp.iop = {-1, 0, 0, 0, -1, 0};
  hfp.offsets = {300, 302.5, 305};
  const RtDoseRead a = read_spec(hfp);
  ASSERT_TRUE(a.dose) << a.error;
  EXPECT_EQ(a.dose->frame_offsets_mm, (std::vector<double>{0, 2.5, 5}));
  EXPECT_TRUE(warned(a, "absolute form"));
  // FFS: the normal is -z; absolute patient z values (first = IPP z) keep their planes.
  GridSpec ffs;
  ffs.iop = {-1, 0, 0, 0, 1, 0};
  ffs.offsets = {300, 297.5, 295};
  const RtDoseRead b = read_spec(ffs);
  ASSERT_TRUE(b.dose) << b.error;
  for (int k = 0; k < 3; ++k) EXPECT_DOUBLE_EQ(b.dose->voxel_position(0, 0, k)[2], ffs.offsets[k]);
  EXPECT_TRUE(warned(b, "absolute patient z values"));
  // Relative FFS offsets run along the normal, toward -z.
  ffs.offsets = {0, 2.5, 5};
  const RtDoseRead c = read_spec(ffs);
  ASSERT_TRUE(c.dose) << c.error;
  EXPECT_EQ(c.dose->voxel_position(0, 0, 2)[2], 295);
}

TEST(RtDoseReader, BadFrameOffsetsAreErrorsNamingTheElement) {
  const std::vector<std::pair<std::vector<double>, std::string>> cases{
      {{0, 5, 2.5}, "not strictly monotonic"},
      {{0, 2.5, 2.5}, "not strictly monotonic"},
      {{301, 303.5, 306}, "the first value 301 is neither 0 (relative form) nor"},
  };
  for (const auto& [offsets, message] : cases) {
    GridSpec s;
    s.offsets = offsets;
    const RtDoseRead r = read_spec(s);
    EXPECT_FALSE(r.dose);
    EXPECT_THAT(r.error, HasSubstr("mem.dcm: GridFrameOffsetVector (3004,000c): " + message));
  }
  // Fewer offsets than frames.
  GridSpec s;
  DcmFileFormat ff = make_dose(s);
  ff.getDataset()->putAndInsertString(DCM_GridFrameOffsetVector, "0\\2.5");
  const RtDoseRead r = read_rtdose(*ff.getDataset(), "mem.dcm");
  EXPECT_FALSE(r.dose);
  EXPECT_THAT(r.error, HasSubstr("2 values for 3 frames"));
  // No offsets for several frames.
  ff.getDataset()->findAndDeleteElement(DCM_GridFrameOffsetVector);
  EXPECT_THAT(read_rtdose(*ff.getDataset(), "mem.dcm").error, HasSubstr("required for 3 frames"));
}

TEST(RtDoseReader, DescendingOffsetsAreReadAndPutInAscendingZ) {
  GridSpec s;
  s.offsets = {0, -2.5, -5};
  const RtDoseRead r = read_spec(s);
  ASSERT_TRUE(r.dose) << r.error;
  EXPECT_EQ(r.dose->voxel_position(0, 0, 2)[2], 295);
  const auto v = dose::to_dose_volume(*r.dose);
  ASSERT_TRUE(v.volume);
  EXPECT_EQ(v.volume->z_mm, (std::vector<double>{295, 297.5, 300}));
  // Frame 2 (z 295) is plane 0 now.
  EXPECT_EQ(v.volume->at(0, 0, 0), r.dose->at(0, 0, 2));
}

TEST(RtDoseReader, ScalingAndPixelFormats) {
  for (const int bits : {16, 32}) {
    for (const bool is_signed : {false, true}) {
      SCOPED_TRACE(fmt::format("{} bits, signed {}", bits, is_signed));
      GridSpec s;
      s.bits = bits;
      s.is_signed = is_signed;
      s.scaling = 0.25;
      const RtDoseRead r = read_spec(s);
      ASSERT_TRUE(r.dose) << r.error;
      for (std::size_t v = 0; v < r.dose->dose_gy.size(); ++v) {
        const double stored = is_signed ? static_cast<double>(v) - 5 : static_cast<double>(v) + 1;
        EXPECT_EQ(r.dose->dose_gy[v], static_cast<float>(stored * 0.25)) << v;
      }
      EXPECT_EQ(warned(r, "negative doses"), is_signed);
    }
  }
  // 32-bit values above 16 bits keep their high word.
  GridSpec big;
  big.bits = 32;
  big.scaling = 1;
  DcmFileFormat ff = make_dose(big);
  std::vector<Uint16> words(2 * 36, 0);
  words[2 * 7] = 0x5678;
  words[2 * 7 + 1] = 0x1234;
  ff.getDataset()->putAndInsertUint16Array(DCM_PixelData, words.data(), static_cast<unsigned long>(words.size()));
  const RtDoseRead r = read_rtdose(*ff.getDataset(), "mem.dcm");
  ASSERT_TRUE(r.dose) << r.error;
  EXPECT_EQ(r.dose->dose_gy[7], static_cast<float>(0x12345678));
}

TEST(RtDoseReader, HeaderProblemsAreErrorsOrWarnings) {
  {
    GridSpec s;
    s.units = "";
    EXPECT_THAT(read_spec(s).error, HasSubstr("mem.dcm: DoseUnits (3004,0002): absent"));
  }
  {
    GridSpec s;
    s.units = "CGY";
    EXPECT_THAT(read_spec(s).error, HasSubstr("'CGY' is neither GY nor RELATIVE"));
  }
  {
    GridSpec s;
    s.bits = 32;
    DcmFileFormat ff = make_dose(s);
    ff.getDataset()->putAndInsertUint16(DCM_BitsAllocated, 8);
    EXPECT_THAT(read_rtdose(*ff.getDataset(), "mem.dcm").error, HasSubstr("BitsAllocated (0028,0100): 8"));
  }
  {
    DcmFileFormat ff = make_dose(GridSpec{});
    ff.getDataset()->putAndInsertString(DCM_PixelSpacing, "0\\3");
    EXPECT_THAT(read_rtdose(*ff.getDataset(), "mem.dcm").error, HasSubstr("PixelSpacing (0028,0030)"));
  }
  {
    DcmFileFormat ff = make_dose(GridSpec{});
    ff.getDataset()->putAndInsertString(DCM_ImageOrientationPatient, "1\\0\\0\\0.5\\1\\0");
    EXPECT_THAT(read_rtdose(*ff.getDataset(), "mem.dcm").error, HasSubstr("not two orthogonal unit vectors"));
  }
  {
    DcmFileFormat ff = make_dose(GridSpec{});
    std::vector<Uint16> words(10, 1);  // 36 voxels needed
    ff.getDataset()->putAndInsertUint16Array(DCM_PixelData, words.data(), 10);
    EXPECT_THAT(read_rtdose(*ff.getDataset(), "mem.dcm").error, HasSubstr("PixelData (7fe0,0010): 20 bytes for 36"));
  }
  {
    DcmFileFormat ff = make_dose(GridSpec{});
    ff.getDataset()->putAndInsertString(DCM_SOPClassUID, UID_RTPlanStorage);
    EXPECT_THAT(read_rtdose(*ff.getDataset(), "mem.dcm").error, HasSubstr("is not RT Dose Storage"));
  }
  {
    DcmFileFormat ff = make_dose(GridSpec{});
    ff.getDataset()->findAndDeleteElement(DCM_DoseGridScaling);
    const RtDoseRead r = read_rtdose(*ff.getDataset(), "mem.dcm");
    ASSERT_TRUE(r.dose);
    EXPECT_EQ(r.dose->dose_gy[0], 1.0f);
    EXPECT_TRUE(warned(r, "DoseGridScaling (3004,000e): absent"));
  }
  EXPECT_THAT(read_rtdose("/nonexistent/RD.dcm").error, HasSubstr("/nonexistent/RD.dcm: cannot open file"));
}

// ---------------------------------------------------------------------------------------------
// rtaudit's own writer (the phantom's RTDOSE) through the reader.

void expect_round_trip(const DoseGrid& written, const DoseGrid& read, double max_gy, int bits) {
  const double step = max_gy / (bits == 32 ? 4.0e9 : 65000.0);  // the writer's DoseGridScaling (about)
  EXPECT_EQ(read.columns, written.columns);
  EXPECT_EQ(read.rows, written.rows);
  ASSERT_EQ(read.frames(), written.frames());
  for (int k = 0; k < written.frames(); ++k) {
    for (const auto& [i, j] : {std::pair{0, 0}, std::pair{written.columns - 1, written.rows - 1}}) {
      const auto a = written.voxel_position(i, j, k);
      const auto b = read.voxel_position(i, j, k);
      for (int c = 0; c < 3; ++c) EXPECT_NEAR(a[c], b[c], 1e-9);
    }
  }
  ASSERT_EQ(read.dose_gy.size(), written.dose_gy.size());
  for (std::size_t v = 0; v < written.dose_gy.size(); ++v)
    ASSERT_NEAR(read.dose_gy[v], written.dose_gy[v], 0.5 * step * 1.0001 + 4e-7 * max_gy) << v;
}

TEST(RtDoseReader, RoundTripOfTheWriter) {
  const StudyIdentity id = test::small_identity();
  for (const int bits : {16, 32}) {
    SCOPED_TRACE(bits);
    DoseGrid grid = test::small_dose(make_uid("reader-test/rtplan"));
    grid.frame_offsets_mm = {5, 7.5, 10};  // the writer moves the position instead
    RtDoseOptions options;
    options.bits_allocated = bits;
    const fs::path path = test::temp_dir(fmt::format("rd-round-trip-{}", bits)) / "RD.dcm";
    ASSERT_TRUE(write_rtdose(path, id, grid, options).ok());
    const RtDoseRead r = read_rtdose(path.string());
    ASSERT_TRUE(r.dose) << r.error;
    EXPECT_TRUE(r.warnings.empty()) << r.warnings[0];
    expect_round_trip(grid, *r.dose, 50, bits);
    EXPECT_EQ(r.dose->frame_offsets_mm, (std::vector<double>{0, 2.5, 5}));
    EXPECT_EQ(r.dose->sop_instance_uid, grid.sop_instance_uid);
    EXPECT_EQ(r.dose->series_uid, grid.series_uid);
    EXPECT_EQ(r.dose->referenced_plan_uid, grid.referenced_plan_uid);
    EXPECT_EQ(r.dose->frame_of_reference_uid, id.frame_of_reference_uid);
    EXPECT_EQ(r.dose->dose_units, "GY");
    EXPECT_EQ(r.dose->dose_type, "PHYSICAL");
    EXPECT_EQ(r.dose->dose_summation_type, "PLAN");
    EXPECT_EQ(r.dose->slice_thickness_mm, 2.5);
  }
}

TEST(RtDoseReader, RoundTripOfAFractionDoseAndASingleFrame) {
  const StudyIdentity id = test::small_identity();
  DoseGrid grid = test::small_dose(make_uid("reader-test/rtplan"));
  grid.dose_summation_type = "FRACTION";
  grid.referenced_fraction_group = 2;
  grid.frame_of_reference_uid = id.frame_of_reference_uid;
  grid.frame_offsets_mm = {0};
  grid.dose_gy.resize(20);
  grid.slice_thickness_mm = 3;
  const fs::path path = test::temp_dir("rd-fraction") / "RD.dcm";
  ASSERT_TRUE(write_rtdose(path, id, grid).ok());
  const RtDoseRead r = read_rtdose(path.string());
  ASSERT_TRUE(r.dose) << r.error;
  EXPECT_EQ(r.dose->dose_summation_type, "FRACTION");
  EXPECT_EQ(r.dose->referenced_fraction_group, 2);
  EXPECT_EQ(r.dose->slice_thickness_mm, 3.0);
  const auto v = dose::to_dose_volume(*r.dose);
  ASSERT_TRUE(v.volume);
  EXPECT_EQ(v.volume->z_lo(), -2.5 - 1.5);
  // A grid that names another frame of reference than the study's is not written.
  grid.frame_of_reference_uid = "1.2.3.4";
  const auto w = write_rtdose(path, id, grid);
  EXPECT_THAT(w.error, HasSubstr("FrameOfReferenceUID (0020,0052)"));
}

}  // namespace
}  // namespace rtaudit::dicom
