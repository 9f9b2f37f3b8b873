// RTPLAN reading: round trips of rtaudit's own writer (the writer test's plan and the phantom's
// breast plan), and every RTPLAN of ../shared/data/conformance (skipped when absent).

#include "rtaudit/dicom/rtplan_reader.hpp"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "rtaudit/dicom/elements.hpp"
#include "rtaudit/dicom/load.hpp"
#include "rtaudit/dicom/write_rtplan.hpp"
#include "rtaudit/geom/structure.hpp"
#include "rtaudit/phantom/plan_model.hpp"
#include "tests/dicom/test_files.hpp"
#include "tests/dicom/writer_fixtures.hpp"
#include "tests/phantom/plan_phantom.hpp"

namespace rtaudit::dicom {
namespace {

namespace fs = std::filesystem;
using ::testing::Contains;
using ::testing::HasSubstr;

const fs::path kConformance = fs::path(RTAUDIT_SHARED_DIR) / "data" / "conformance";

#define SKIP_WITHOUT(path)                                                           \
  do {                                                                               \
    if (!fs::exists(path)) GTEST_SKIP() << "conformance file not found: " << (path); \
  } while (0)

RtPlanRead write_and_read(const Plan& plan, const std::string& name, const RtPlanOptions& options = {}) {
  const fs::path path = test::temp_dir(name) / "RP.dcm";
  const auto w = write_rtplan(path, test::small_identity(), plan, options);
  EXPECT_TRUE(w.ok()) << w.error;
  return read_rtplan(path.string());
}

/// The writer's BeamDose: the fraction dose shared by the beams' relative weights.
void expect_same_plan(const Plan& written, const Plan& read) {
  EXPECT_EQ(read.sop_instance_uid, written.sop_instance_uid);
  EXPECT_EQ(read.series_uid, written.series_uid);
  EXPECT_EQ(read.label, written.label);
  EXPECT_EQ(read.name, written.name);
  EXPECT_EQ(read.date, written.date);
  EXPECT_EQ(read.time, written.time);
  EXPECT_EQ(read.referenced_structure_set_uid, written.referenced_structure_set_uid);
  EXPECT_DOUBLE_EQ(read.prescription_gy, written.prescription_gy);
  EXPECT_EQ(read.fractions, written.fractions);
  ASSERT_EQ(read.beams.size(), written.beams.size());
  double weights = 0;
  for (const Beam& b : written.beams) weights += b.weight;
  for (std::size_t i = 0; i < written.beams.size(); ++i) {
    const Beam& w = written.beams[i];
    const Beam& r = read.beams[i];
    SCOPED_TRACE(w.name);
    EXPECT_EQ(r.number, w.number);
    EXPECT_EQ(r.name, w.name);
    EXPECT_EQ(r.description, w.description);
    EXPECT_EQ(r.radiation_type, w.radiation_type);
    EXPECT_NEAR(r.energy_mv, w.energy_mv, 1e-9);
    EXPECT_NEAR(r.gantry_deg, w.gantry_deg, 1e-9);
    EXPECT_NEAR(r.collimator_deg, w.collimator_deg, 1e-9);
    EXPECT_NEAR(r.couch_deg, w.couch_deg, 1e-9);
    EXPECT_NEAR(r.isocentre_mm.x, w.isocentre_mm.x, 1e-9);
    EXPECT_NEAR(r.isocentre_mm.y, w.isocentre_mm.y, 1e-9);
    EXPECT_NEAR(r.isocentre_mm.z, w.isocentre_mm.z, 1e-9);
    EXPECT_NEAR(r.sad_mm, w.sad_mm, 1e-9);
    EXPECT_NEAR(r.x1_mm, w.x1_mm, 1e-9);
    EXPECT_NEAR(r.x2_mm, w.x2_mm, 1e-9);
    EXPECT_NEAR(r.y1_mm, w.y1_mm, 1e-9);
    EXPECT_NEAR(r.y2_mm, w.y2_mm, 1e-9);
    EXPECT_NEAR(r.monitor_units, w.monitor_units, 1e-9);
    ASSERT_EQ(r.mlc.has_value(), w.mlc.has_value());
    if (w.mlc) {
      EXPECT_EQ(r.mlc->device, w.mlc->device);
      ASSERT_EQ(r.mlc->leaf_boundaries_mm.size(), w.mlc->leaf_boundaries_mm.size());
      ASSERT_EQ(r.mlc->bank_a_mm.size(), w.mlc->bank_a_mm.size());
      ASSERT_EQ(r.mlc->bank_b_mm.size(), w.mlc->bank_b_mm.size());
      for (std::size_t k = 0; k < w.mlc->leaf_boundaries_mm.size(); ++k)
        EXPECT_NEAR(r.mlc->leaf_boundaries_mm[k], w.mlc->leaf_boundaries_mm[k], 1e-9);
      for (std::size_t k = 0; k < w.mlc->bank_a_mm.size(); ++k) {
        EXPECT_NEAR(r.mlc->bank_a_mm[k], w.mlc->bank_a_mm[k], 1e-9);
        EXPECT_NEAR(r.mlc->bank_b_mm[k], w.mlc->bank_b_mm[k], 1e-9);
      }
    }
    // What write_rtplan writes (write_rtplan.hpp): BeamDose = prescription / fractions x weight / sum
    // of weights; the reader's weight is each beam's share of the fraction dose.
    ASSERT_TRUE(r.beam_dose_gy);
    EXPECT_NEAR(*r.beam_dose_gy, written.prescription_gy / written.fractions * w.weight / weights, 1e-12);
    EXPECT_NEAR(r.weight, w.weight / weights, 1e-12);
    EXPECT_FALSE(r.dose_specification_point_mm);  // the writer writes none
  }
}

TEST(RtPlanReader, RoundTripOfTheWritersTestPlan) {
  const Plan plan = test::small_plan(test::small_identity());
  const RtPlanRead r = write_and_read(plan, "rp-small");
  ASSERT_TRUE(r.plan) << r.error;
  EXPECT_TRUE(r.warnings.empty()) << r.warnings[0];
  EXPECT_EQ(r.patient_position, "HFS");
  EXPECT_EQ(r.frame_of_reference_uid, test::small_identity().frame_of_reference_uid);
  expect_same_plan(plan, *r.plan);
}

TEST(RtPlanReader, RoundTripOfThePhantomsBreastPlan) {
  for (const phantom::Side side : {phantom::Side::Left, phantom::Side::Right}) {
    for (const bool nodal : {true, false}) {
      SCOPED_TRACE(fmt::format("side {} nodal {}", side == phantom::Side::Left ? "left" : "right", nodal));
      const test::PlanPhantom p = test::make_plan_phantom(side, nodal);
      phantom::PlanInputs in;
      in.side = side;
      in.breast_ptv = &p.breast_ptv;
      in.nodal_ptv = nodal ? &p.nodal_ptv : nullptr;
      in.body = &p.body;
      in.sop_instance_uid = "1.2.826.0.1.3680043.10.9999.20";
      in.series_uid = "1.2.826.0.1.3680043.10.9999.21";
      in.referenced_structure_set_uid = "1.2.826.0.1.3680043.10.9999.22";
      in.date = "20260102";
      in.time = "103000";
      const Plan plan = phantom::make_breast_plan(in);
      ASSERT_GE(plan.beams.size(), 2u);
      const RtPlanRead r = write_and_read(plan, "rp-phantom");
      ASSERT_TRUE(r.plan) << r.error;
      EXPECT_TRUE(r.warnings.empty()) << r.warnings[0];
      expect_same_plan(plan, *r.plan);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The conformance RTPLANs. Expected values from pydicom (ds.BeamSequence[...] etc.), once.

struct ConformancePlan {
  const char* path;
  std::size_t beams;
  double prescription_gy;
  int fractions;
};

const std::vector<ConformancePlan> kPlans{
    {"pydicom/src/pydicom/data/test_files/rtplan.dcm", 1, 30.826203, 30},
    {"dicompyler-core/tests/testdata/example_data/rtplan.dcm", 4, 14, 7},
    {"SlicerRT/Testing/Data/DICOM/EclipseProstatePhantomRtData/RP.1.2.246.352.71.5.2088656855.377401.20110920153647.dcm",
     5, 46, 23},
    {"pymedphys/app/public/data/RP.2.16.840.1.114337.1.1.1548284863.0_Anonymised.dcm", 1, 1.80, 1},
    {"pymedphys/lib/pymedphys/tests/dicom/data/rtplan/06MV_plan.dcm", 10, 2.00, 1},
    {"pymedphys/tests/data/dcmplan/TinyVMAT/TinyFS_TinyVMAT.dcm", 1, 1.00, 2},
    {"pymedphys/tests/delivery/data/original/rtplan.dcm", 9, 50.40, 28},
    // Pinnacle 16: no DoseReferenceSequence, so the beam doses times the fractions.
    {"pymedphys/tests/pinnacle/data/dcm/1.3.46.670589.13.997910418.20181018190715.112493.dcm", 2,
     (0.931874 + 0.665421) * 25, 25},
};

RtPlanRead read_conformance(const std::string& rel) { return read_rtplan((kConformance / rel).string()); }

bool warned(const RtPlanRead& r, const std::string& text) {
  for (const auto& w : r.warnings)
    if (w.find(text) != std::string::npos) return true;
  return false;
}

TEST(RtPlanReader, EveryConformanceRtPlanIsReadOrReportedClearly) {
  SKIP_WITHOUT(kConformance / kPlans[0].path);
  configure_dcmtk_logging(false);
  for (const ConformancePlan& c : kPlans) {
    SCOPED_TRACE(c.path);
    const RtPlanRead r = read_conformance(c.path);
    ASSERT_TRUE(r.plan) << r.error;
    EXPECT_EQ(r.plan->beams.size(), c.beams);
    EXPECT_NEAR(r.plan->prescription_gy, c.prescription_gy, 1e-9);
    EXPECT_EQ(r.plan->fractions, c.fractions);
    EXPECT_EQ(r.patient_position, "HFS");
    for (const Beam& b : r.plan->beams) {
      EXPECT_LE(b.x1_mm, b.x2_mm);
      EXPECT_LE(b.y1_mm, b.y2_mm);
      EXPECT_EQ(b.sad_mm, 1000);
    }
  }
  // Every RTPLAN of the folder is one of those, or the truncated one.
  int plans = 0;
  for (const auto& entry : fs::recursive_directory_iterator(kConformance)) {
    if (!entry.is_regular_file()) continue;
    LoadedFile f = load_file(entry.path().string(), LoadDepth::Header);
    const std::string name = entry.path().filename().string();
    if (!f.file) {
      if (name.find("rtplan") != std::string::npos) {
        EXPECT_THAT(name, HasSubstr("truncated"));
      }
      continue;
    }
    if (get_string(*f.file->getDataset(), DCM_Modality) != "RTPLAN") continue;
    ++plans;
    EXPECT_TRUE(read_rtplan(entry.path().string()).plan) << entry.path();
  }
  EXPECT_EQ(plans, static_cast<int>(kPlans.size()));
}

TEST(RtPlanReader, TruncatedPlanIsAClearError) {
  const fs::path path = kConformance / "pydicom/src/pydicom/data/test_files/rtplan_truncated.dcm";
  SKIP_WITHOUT(path);
  configure_dcmtk_logging(false);
  const RtPlanRead r = read_rtplan(path.string());
  EXPECT_FALSE(r.plan);
  EXPECT_THAT(r.error, HasSubstr(path.string() + ": unreadable or truncated DICOM file"));
}

TEST(RtPlanReader, PydicomPlanFields) {
  SKIP_WITHOUT(kConformance / kPlans[0].path);
  const RtPlanRead r = read_conformance(kPlans[0].path);
  ASSERT_TRUE(r.plan) << r.error;
  const Plan& p = *r.plan;
  EXPECT_EQ(p.label, "Plan1");
  EXPECT_EQ(p.name, "Plan1");
  EXPECT_EQ(p.date, "20030903");
  EXPECT_EQ(p.time, "150023");
  EXPECT_EQ(p.referenced_structure_set_uid, "1.2.333.444.55.6.7777.88888");
  const Beam& b = p.beams[0];
  EXPECT_EQ(b.number, 1);
  EXPECT_EQ(b.name, "Field 1");
  EXPECT_EQ(b.radiation_type, "PHOTON");
  EXPECT_EQ(b.energy_mv, 6);
  EXPECT_EQ(b.gantry_deg, 0);
  EXPECT_EQ(b.x1_mm, -100);  // symmetric jaws "X" and "Y"
  EXPECT_EQ(b.x2_mm, 100);
  EXPECT_EQ(b.y1_mm, -100);
  EXPECT_EQ(b.y2_mm, 100);
  EXPECT_FALSE(b.mlc);
  EXPECT_DOUBLE_EQ(b.isocentre_mm.x, 235.711172833292);
  EXPECT_DOUBLE_EQ(b.isocentre_mm.y, 244.135437110782);
  EXPECT_DOUBLE_EQ(b.isocentre_mm.z, -724.97815409918);
  EXPECT_DOUBLE_EQ(b.monitor_units, 116.0036697);
  ASSERT_TRUE(b.beam_dose_gy);
  EXPECT_DOUBLE_EQ(*b.beam_dose_gy, 1.0275401);
  ASSERT_TRUE(b.dose_specification_point_mm);  // BeamDoseSpecificationPoint (300a,0082)
  EXPECT_DOUBLE_EQ(b.dose_specification_point_mm->x, 239.53125);
  EXPECT_DOUBLE_EQ(b.dose_specification_point_mm->z, -751.87);
  EXPECT_DOUBLE_EQ(b.weight, 1.0);
}

TEST(RtPlanReader, EclipsePlansWithMlcAndDynamicBeams) {
  SKIP_WITHOUT(kConformance / kPlans[1].path);
  {
    const RtPlanRead r = read_conformance(kPlans[1].path);  // dicompyler-core: 4 sliding-window beams
    ASSERT_TRUE(r.plan) << r.error;
    const Beam& b = r.plan->beams[0];
    EXPECT_EQ(b.name, "3 RAO");
    EXPECT_EQ(b.gantry_deg, 327);
    EXPECT_EQ(b.energy_mv, 10);
    EXPECT_NEAR(b.x1_mm, 9, 1e-9);
    EXPECT_EQ(b.x2_mm, 70);
    EXPECT_EQ(b.y1_mm, -40);
    EXPECT_EQ(b.y2_mm, 40);
    ASSERT_TRUE(b.mlc);
    EXPECT_EQ(b.mlc->device, "MLCX");
    EXPECT_EQ(b.mlc->bank_a_mm.size(), 60u);
    EXPECT_EQ(b.mlc->leaf_boundaries_mm.size(), 61u);
    EXPECT_EQ(b.mlc->bank_a_mm[0], 4.38);
    EXPECT_EQ(b.monitor_units, 97);
    EXPECT_DOUBLE_EQ(b.weight, 0.25);
    EXPECT_TRUE(warned(r, "beam 1 '3 RAO': DYNAMIC beam with 92 control points; the first control point is used"));
    EXPECT_TRUE(warned(r, "several target prescription doses (11.3113869239676, 14 Gy); the largest, 14 Gy"));
  }
  {
    const RtPlanRead r = read_conformance(kPlans[2].path);  // SlicerRT: 4 static MLC fields and a CBCT field
    ASSERT_TRUE(r.plan) << r.error;
    const Beam& lat = r.plan->beams[1];
    EXPECT_EQ(lat.name, "RT LAT PROS");
    EXPECT_EQ(lat.gantry_deg, 270);
    EXPECT_NEAR(lat.x2_mm, 54.4840361774001, 1e-12);
    const Beam& cbct = r.plan->beams[4];
    EXPECT_EQ(cbct.name, "CBCT");
    EXPECT_EQ(cbct.monitor_units, 0);
    EXPECT_FALSE(cbct.beam_dose_gy);
    EXPECT_DOUBLE_EQ(cbct.weight, 0);
    EXPECT_TRUE(warned(r, "beam 5 'CBCT': no BeamMeterset (300a,0086) in the fraction group; 0"));
  }
}

TEST(RtPlanReader, MonacoPlansWithoutXJawsUseTheMlcOpening) {
  SKIP_WITHOUT(kConformance / kPlans[4].path);
  {
    const RtPlanRead r = read_conformance(kPlans[4].path);  // 06MV: square fields 2 x 2 .. 40 x 40 cm
    ASSERT_TRUE(r.plan) << r.error;
    const std::vector<double> half{10, 15, 20, 25, 35, 50, 75, 100, 150, 200};
    for (std::size_t i = 0; i < half.size(); ++i) {
      const Beam& b = r.plan->beams[i];
      SCOPED_TRACE(b.name);
      EXPECT_EQ(b.x1_mm, -half[i]);
      EXPECT_EQ(b.x2_mm, half[i]);
      EXPECT_EQ(b.y1_mm, -half[i]);
      EXPECT_EQ(b.y2_mm, half[i]);
      ASSERT_TRUE(b.dose_specification_point_mm);
      EXPECT_EQ(b.dose_specification_point_mm->y, -200);
      EXPECT_EQ(b.mlc->bank_a_mm.size(), 80u);
    }
    EXPECT_TRUE(warned(r, "beam 1 '02x02': no X (ASYMX or X) jaws at control point 0; X1/X2 = the MLCX opening, -10 to 10 mm"));
  }
  {
    const RtPlanRead r = read_conformance(kPlans[5].path);  // TinyVMAT: one arc
    ASSERT_TRUE(r.plan) << r.error;
    const Beam& b = r.plan->beams[0];
    EXPECT_EQ(b.gantry_deg, 180);
    EXPECT_EQ(b.x1_mm, 47.2);
    EXPECT_EQ(b.x2_mm, 112.6);
    EXPECT_DOUBLE_EQ(b.monitor_units, 598.839783);
    EXPECT_DOUBLE_EQ(*b.beam_dose_gy, 2.683);
    EXPECT_TRUE(warned(r, "DYNAMIC beam with 110 control points"));
  }
}

TEST(RtPlanReader, PinnaclePlanPrescriptionFromBeamDoses) {
  SKIP_WITHOUT(kConformance / kPlans[7].path);
  const RtPlanRead r = read_conformance(kPlans[7].path);
  ASSERT_TRUE(r.plan) << r.error;
  EXPECT_TRUE(warned(r, "no TargetPrescriptionDose (300a,0026); prescription = the beam doses"));
  EXPECT_TRUE(warned(r, "RTPlanGeometry (300a,000c): TREATMENT_DEVICE"));
  EXPECT_EQ(r.plan->beams[1].gantry_deg, 270);
  EXPECT_NEAR(r.plan->beams[0].weight, 0.931874 / (0.931874 + 0.665421), 1e-12);
}

// ---------------------------------------------------------------------------------------------
// Plans changed in memory: what is missing is named.

DcmFileFormat small_plan_file() {
  const fs::path path = test::temp_dir("rp-edit") / "RP.dcm";
  EXPECT_TRUE(write_rtplan(path, test::small_identity(), test::small_plan(test::small_identity())).ok());
  DcmFileFormat ff;
  EXPECT_TRUE(ff.loadFile(path.c_str()).good());
  return ff;
}

DcmItem& control_point0(DcmDataset& ds, unsigned long beam = 0) {
  DcmItem* b = nullptr;
  ds.findAndGetSequenceItem(DCM_BeamSequence, b, static_cast<int>(beam));
  DcmItem* cp = nullptr;
  b->findAndGetSequenceItem(DCM_ControlPointSequence, cp, 0);
  return *cp;
}

TEST(RtPlanReader, MissingOrBadElementsAreNamed) {
  {
    DcmFileFormat ff = small_plan_file();
    control_point0(*ff.getDataset(), 1).findAndDeleteElement(DCM_GantryAngle);
    EXPECT_THAT(read_rtplan(*ff.getDataset(), "RP.dcm").error,
                HasSubstr("RP.dcm: BeamSequence[1] (300a,00b0) > ControlPointSequence[0] (300a,0111) > GantryAngle "
                          "(300a,011e): absent"));
  }
  {
    DcmFileFormat ff = small_plan_file();
    control_point0(*ff.getDataset()).putAndInsertString(DCM_IsocenterPosition, "1\\2");
    EXPECT_THAT(read_rtplan(*ff.getDataset(), "RP.dcm").error, HasSubstr("IsocenterPosition (300a,012c): '1\\2'"));
  }
  {
    DcmFileFormat ff = small_plan_file();
    ff.getDataset()->findAndDeleteElement(DCM_BeamSequence);
    EXPECT_THAT(read_rtplan(*ff.getDataset(), "RP.dcm").error, HasSubstr("BeamSequence (300a,00b0): absent or empty"));
  }
  {
    DcmFileFormat ff = small_plan_file();
    ff.getDataset()->findAndDeleteElement(DCM_DoseReferenceSequence);
    DcmItem* g = nullptr;
    ff.getDataset()->findAndGetSequenceItem(DCM_FractionGroupSequence, g, 0);
    g->putAndInsertString(DCM_NumberOfFractionsPlanned, "");
    const RtPlanRead r = read_rtplan(*ff.getDataset(), "RP.dcm");
    ASSERT_TRUE(r.plan) << r.error;
    EXPECT_EQ(r.plan->fractions, 0);
    EXPECT_EQ(r.plan->prescription_gy, 0);
    EXPECT_TRUE(warned(r, "NumberOfFractionsPlanned (300a,0078): '' is not a positive number of fractions"));
    EXPECT_TRUE(warned(r, "prescription unknown (0)"));
  }
  {
    DcmFileFormat ff = small_plan_file();
    DcmDataset& ds = *ff.getDataset();
    DcmItem* g = nullptr;
    ds.findAndGetSequenceItem(DCM_FractionGroupSequence, g, 0);
    DcmItem* rb = nullptr;
    g->findAndGetSequenceItem(DCM_ReferencedBeamSequence, rb, 0);
    // The newer form of the beam dose point: a dose reference named by UID.
    DcmItem* d = nullptr;
    ds.findAndGetSequenceItem(DCM_DoseReferenceSequence, d, 0);
    OFString uid;
    d->findAndGetOFString(DCM_DoseReferenceUID, uid);
    d->putAndInsertString(DCM_DoseReferencePointCoordinates, "1\\2\\3");
    rb->putAndInsertString(DCM_ReferencedDoseReferenceUID, uid.c_str());
    // A second beam marked SETUP is left out.
    DcmItem* b2 = nullptr;
    ds.findAndGetSequenceItem(DCM_BeamSequence, b2, 1);
    b2->putAndInsertString(DCM_TreatmentDeliveryType, "SETUP");
    const RtPlanRead r = read_rtplan(ds, "RP.dcm");
    ASSERT_TRUE(r.plan) << r.error;
    ASSERT_EQ(r.plan->beams.size(), 1u);
    ASSERT_TRUE(r.plan->beams[0].dose_specification_point_mm);
    EXPECT_EQ(r.plan->beams[0].dose_specification_point_mm->z, 3);
    EXPECT_TRUE(warned(r, "beam 2 'LAT TANG': a SETUP beam"));
  }
  {
    DcmFileFormat ff = small_plan_file();
    ff.getDataset()->putAndInsertString(DCM_SOPClassUID, "1.2.840.10008.5.1.4.1.1.481.8");
    EXPECT_THAT(read_rtplan(*ff.getDataset(), "RP.dcm").error, HasSubstr("an RT Ion Plan"));
  }
  EXPECT_THAT(read_rtplan("/nonexistent/RP.dcm").error, HasSubstr("/nonexistent/RP.dcm: cannot open file"));
}

}  // namespace
}  // namespace rtaudit::dicom
