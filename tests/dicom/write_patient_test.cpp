// All four writers into one folder: one patient, one study, one frame of reference.
#include <gtest/gtest.h>

#include "rtaudit/dicom/inspect.hpp"
#include "rtaudit/case/uid.hpp"
#include "rtaudit/dicom/write_ct.hpp"
#include "rtaudit/dicom/write_rtdose.hpp"
#include "rtaudit/dicom/write_rtplan.hpp"
#include "rtaudit/dicom/write_rtstruct.hpp"
#include "tests/dicom/test_files.hpp"
#include "tests/dicom/writer_fixtures.hpp"

namespace rtaudit::dicom {
namespace {

TEST(WritePatient, AllObjectsGroupUnderOnePatientStudyAndFrame) {
  const auto dir = test::temp_dir("patient");
  const auto id = test::small_identity();
  const auto ct = write_ct_series(dir / "CT", id, test::small_volume(), test::small_ct_options());
  ASSERT_TRUE(ct.ok()) << ct.error;
  RtStructOptions rs;
  rs.sop_instance_uid = make_uid("writer-test/rtstruct");
  rs.series_uid = make_uid("writer-test/rtstruct-series");
  const auto s = write_rtstruct(dir / "RS.dcm", id, test::small_structure_set(id), ct.slices, rs);
  ASSERT_TRUE(s.ok()) << s.error;
  const Plan plan = test::small_plan(id);
  const auto p = write_rtplan(dir / "RP.dcm", id, plan);
  ASSERT_TRUE(p.ok()) << p.error;
  const auto d = write_rtdose(dir / "RD.dcm", id, test::small_dose(plan.sop_instance_uid));
  ASSERT_TRUE(d.ok()) << d.error;

  const InspectReport report = inspect(dir);
  EXPECT_TRUE(report.inventory.problems.empty());
  ASSERT_EQ(report.inventory.objects.size(), 6u);
  ASSERT_EQ(report.groups.size(), 1u);
  EXPECT_EQ(report.groups[0].patient_id, id.patient_id);
  ASSERT_EQ(report.groups[0].studies.size(), 1u);
  ASSERT_EQ(report.groups[0].studies[0].frames.size(), 1u);
  EXPECT_EQ(report.groups[0].studies[0].frames[0].frame_of_reference_uid, id.frame_of_reference_uid);
  EXPECT_EQ(report.groups[0].studies[0].frames[0].objects.size(), 6u);
  ASSERT_EQ(report.structure_sets.size(), 1u);
  EXPECT_TRUE(report.structure_sets[0].series.has_value());
}

}  // namespace
}  // namespace rtaudit::dicom
