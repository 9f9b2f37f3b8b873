#include "rtaudit/dicom/write_rtplan.hpp"

#include <gtest/gtest.h>

#include "rtaudit/dicom/inspect.hpp"
#include "tests/dicom/test_files.hpp"
#include "tests/dicom/writer_fixtures.hpp"

namespace rtaudit::dicom {
namespace {

using test::temp_dir;

std::filesystem::path write_small_plan(const std::string& name, const RtPlanOptions& options = {}) {
  const auto path = temp_dir(name) / "RP.dcm";
  const auto id = test::small_identity();
  const auto r = write_rtplan(path, id, test::small_plan(id), options);
  EXPECT_TRUE(r.ok()) << r.error;
  return path;
}

TEST(WriteRtPlan, IsValidForDciodvfy) {
  RtPlanOptions options;
  options.source_to_surface_distance_mm[1] = 912.5;
  const auto path = write_small_plan("rp", options);
  std::string output;
  const auto errors = test::dciodvfy_errors(path, &output);
  EXPECT_TRUE(errors.empty()) << output;
}

TEST(WriteRtPlan, RtauditSeesAnRtPlanOfThePatient) {
  const auto path = write_small_plan("rp");
  const InspectReport report = inspect(path.parent_path());
  EXPECT_TRUE(report.inventory.problems.empty());
  ASSERT_EQ(report.inventory.objects.size(), 1u);
  const ObjectInfo& o = report.inventory.objects[0];
  const auto id = test::small_identity();
  EXPECT_EQ(o.kind, ObjectKind::RTPLAN);
  EXPECT_EQ(o.sop_instance_uid, test::small_plan(id).sop_instance_uid);
  EXPECT_EQ(o.patient_id, id.patient_id);
  EXPECT_EQ(o.study_uid, id.study_uid);
  EXPECT_EQ(o.frame_of_reference_uid, id.frame_of_reference_uid);
}

TEST(WriteRtPlan, PydicomReadsBeamsAperturesAndPrescription) {
  const auto path = write_small_plan("rp");
  const auto run = test::pydicom(
      "b = ds.BeamSequence[0]\n"
      "cp = b.ControlPointSequence[0]\n"
      "mlc = b.BeamLimitingDeviceSequence[2]\n"
      "pos = {d.RTBeamLimitingDeviceType: [float(x) for x in d.LeafJawPositions] for d in "
      "cp.BeamLimitingDevicePositionSequence}\n"
      "print(ds.RTPlanGeometry, ds.RTPlanLabel, len(ds.BeamSequence), b.BeamName, b.BeamType, b.RadiationType)\n"
      "print(mlc.RTBeamLimitingDeviceType, mlc.NumberOfLeafJawPairs, [float(x) for x in mlc.LeafPositionBoundaries])\n"
      "print(float(cp.GantryAngle), float(cp.BeamLimitingDeviceAngle), float(cp.NominalBeamEnergy), [float(x) for x in "
      "cp.IsocenterPosition])\n"
      "print(pos['ASYMX'], pos['ASYMY'], pos['MLCX'])\n"
      "print(b.NumberOfControlPoints, float(b.ControlPointSequence[1].CumulativeMetersetWeight),"
      " len(ds.BeamSequence[1].BeamLimitingDeviceSequence))\n"
      "fg = ds.FractionGroupSequence[0]\n"
      "print(fg.NumberOfFractionsPlanned, fg.NumberOfBeams, [float(r.BeamMeterset) for r in fg.ReferencedBeamSequence],"
      " float(ds.DoseReferenceSequence[0].TargetPrescriptionDose), ds.PatientSetupSequence[0].PatientPosition)",
      path);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output,
            "PATIENT BREAST L 2 MED TANG STATIC PHOTON\n"
            "MLCX 4 [-20.0, -10.0, 0.0, 10.0, 20.0]\n"
            "300.5 10.0 6.0 [1.5, -20.25, 0.0]\n"
            "[-80.0, 0.0] [-100.0, 120.0] [-60.0, -70.0, -75.0, -65.0, -5.0, 0.0, 0.0, -2.5]\n"
            "2 1.0 2\n"
            "15 2 [123.4, 118.0] 40.05 HFS\n");
}

TEST(WriteRtPlan, NonAsciiTextIsWrittenAsUtf8) {
  const auto path = test::temp_dir("utf8") / "RP.dcm";
  auto id = test::small_identity();
  id.patient_name = "M\xc3\xbcller^Anna";  // "Müller^Anna"
  Plan plan = test::small_plan(id);
  plan.beams[0].name = "T\xc3\xa4ngent";
  const auto r = write_rtplan(path, id, plan);
  ASSERT_TRUE(r.ok()) << r.error;
  std::string output;
  EXPECT_TRUE(test::dciodvfy_errors(path, &output).empty()) << output;
  const auto run = test::pydicom(
      "print(ds.SpecificCharacterSet, str(ds.PatientName) == 'M\\u00fcller^Anna', "
      "ds.BeamSequence[0].BeamName == 'T\\u00e4ngent')",
      path);
  EXPECT_EQ(run.output, "ISO_IR 192 True True\n");
}

TEST(WriteRtPlan, IdenticalInputsGiveIdenticalBytes) {
  EXPECT_TRUE(test::same_bytes(write_small_plan("a"), write_small_plan("b")));
}

TEST(WriteRtPlan, DuplicateBeamNumbersAreAnError) {
  const auto dir = temp_dir("bad");
  const auto id = test::small_identity();
  Plan plan = test::small_plan(id);
  plan.beams[1].number = 1;
  const auto r = write_rtplan(dir / "RP.dcm", id, plan);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error.find("BeamSequence[1] > BeamNumber (300a,00c0)"), std::string::npos) << r.error;
}

TEST(WriteRtPlan, AnMlcWithMismatchedBanksIsAnError) {
  const auto dir = temp_dir("bad");
  const auto id = test::small_identity();
  Plan plan = test::small_plan(id);
  plan.beams[0].mlc->bank_b_mm.pop_back();
  const auto r = write_rtplan(dir / "RP.dcm", id, plan);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error.find("BeamSequence[0] > LeafPositionBoundaries"), std::string::npos) << r.error;
}

TEST(WriteRtPlan, ANonFiniteAngleNamesTheElement) {
  const auto dir = temp_dir("bad");
  const auto id = test::small_identity();
  Plan plan = test::small_plan(id);
  plan.beams[1].gantry_deg = std::nan("");
  const auto r = write_rtplan(dir / "RP.dcm", id, plan);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error.find("BeamSequence[1] (300a,00b0) > ControlPointSequence[0] (300a,0111) > GantryAngle (300a,011e)"),
            std::string::npos)
      << r.error;
}

}  // namespace
}  // namespace rtaudit::dicom
