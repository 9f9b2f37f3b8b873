// Path safety of peer strings and the grouping of stored objects into cases (issue 9), on objects built
// in code.

#include "rtaudit/net/case_assembly.hpp"
#include "rtaudit/net/received_object.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace rtaudit::net {
namespace {

TEST(ReceivedObject, OnlyDigitsAndDotsInNonEmptyComponentsNameAFolder) {
  EXPECT_TRUE(is_path_safe_uid("1.2.840.10008.5.1.4.1.1.2"));
  EXPECT_TRUE(is_path_safe_uid("1.2.03.4"));  // a leading zero: wrong by PS3.5, harmless in a path
  for (const char* bad : {"", ".", "..", "1..2", ".1.2", "1.2.", "1.2/3", "../../etc/passwd", "1.2.3 ", "1.2.3\n", "1.2.3\\4", "~", "1.2.a"}) {
    EXPECT_FALSE(is_path_safe_uid(bad)) << bad;
  }
  EXPECT_FALSE(is_path_safe_uid(std::string(65, '1')));
  EXPECT_TRUE(is_path_safe_uid(std::string(64, '1')));
}

TEST(ReceivedObject, ThePathIsBuiltFromCheckedPartsOnly) {
  ReceivedObject o;
  o.patient_key = patient_key("PAT-1");
  o.study_uid = "1.2.3";
  o.series_uid = "1.2.3.4";
  o.sop_instance_uid = "1.2.3.4.5";
  EXPECT_EQ(object_relative_path(o), "objects/" + o.patient_key + "/1.2.3/1.2.3.4/1.2.3.4.5.dcm");
  EXPECT_EQ(o.patient_key.size(), 17u);
  EXPECT_EQ(o.patient_key.find("PAT"), std::string::npos);
  EXPECT_NE(patient_key("PAT-1"), patient_key("PAT-2"));
  ReceivedObject escape = o;
  escape.sop_instance_uid = "../../../x";
  EXPECT_EQ(object_relative_path(escape), "");
  escape = o;
  escape.patient_key = "../p";
  EXPECT_EQ(object_relative_path(escape), "");
  escape = o;
  escape.series_uid = "";
  EXPECT_EQ(object_relative_path(escape), "");
}

TEST(ReceivedObject, TheAcceptedClassesAreThoseOfABreastPlan) {
  EXPECT_TRUE(is_accepted_sop_class("1.2.840.10008.5.1.4.1.1.2"));
  EXPECT_TRUE(is_accepted_sop_class("1.2.840.10008.5.1.4.1.1.481.3"));
  EXPECT_TRUE(is_accepted_sop_class("1.2.840.10008.5.1.4.1.1.481.5"));
  EXPECT_TRUE(is_accepted_sop_class("1.2.840.10008.5.1.4.1.1.481.2"));
  EXPECT_TRUE(is_accepted_sop_class("1.2.840.10008.5.1.4.1.1.66.1"));
  EXPECT_FALSE(is_accepted_sop_class("1.2.840.10008.5.1.4.1.1.4"));   // MR
  EXPECT_FALSE(is_accepted_sop_class("1.2.840.10008.5.1.4.1.1.7"));   // secondary capture
  EXPECT_FALSE(is_accepted_sop_class(""));
}

ReceivedObject object(ObjectKind kind, const std::string& patient, const std::string& sop, double t) {
  ReceivedObject o;
  o.kind = kind;
  o.patient_key = patient_key(patient);
  o.study_uid = "1.1";
  o.series_uid = "1.1." + std::to_string(static_cast<int>(kind));
  o.sop_instance_uid = sop;
  o.frame_of_reference_uid = "9.9";
  o.received_at = t;
  return o;
}

std::vector<ReceivedObject> one_patient(double t) {
  std::vector<ReceivedObject> v;
  auto rs = object(ObjectKind::RTSTRUCT, "A", "2.1", t);
  rs.referenced_series = {"1.1.0"};
  rs.referenced_images = {"3.1", "3.2", "3.3"};
  rs.referenced_frames = {"9.9"};
  v.push_back(rs);
  v.push_back(object(ObjectKind::CT, "A", "3.1", t));
  v.push_back(object(ObjectKind::CT, "A", "3.2", t));
  auto other_ct = object(ObjectKind::CT, "A", "3.9", t);
  other_ct.series_uid = "1.1.77";  // another series of the same frame: not the one contoured
  v.push_back(other_ct);
  auto plan = object(ObjectKind::RTPLAN, "A", "4.1", t);
  plan.referenced_structure_sets = {"2.1"};
  v.push_back(plan);
  auto dose = object(ObjectKind::RTDOSE, "A", "5.1", t);
  dose.referenced_plans = {"4.1"};
  v.push_back(dose);
  auto foreign_dose = object(ObjectKind::RTDOSE, "A", "5.2", t);
  foreign_dose.referenced_plans = {"4.99"};  // of a plan on another structure set
  v.push_back(foreign_dose);
  auto reg = object(ObjectKind::REG, "A", "6.1", t);
  reg.frame_of_reference_uid = "8.8";
  reg.referenced_frames = {"8.8", "9.9"};
  v.push_back(reg);
  v.push_back(object(ObjectKind::CT, "B", "7.1", t));  // another patient, no structure set: no case
  return v;
}

TEST(CaseAssembly, AStructureSetGathersItsSeriesPlansDosesAndRegistrations) {
  const auto objects = one_patient(100);
  const auto cases = assemble_cases(objects, 100, 30);
  ASSERT_EQ(cases.size(), 1u);
  const CaseSpec& c = cases[0];
  EXPECT_EQ(c.structure_set_uid, "2.1");
  EXPECT_EQ(c.images, 2);
  EXPECT_EQ(c.missing_images, 1);
  EXPECT_EQ(c.plans, 1);
  EXPECT_EQ(c.doses, 1);
  EXPECT_EQ(c.registrations, 1);
  ASSERT_EQ(c.members.size(), 6u);
  EXPECT_EQ(c.members.front()->sop_instance_uid, "2.1");
  for (const auto* m : c.members) EXPECT_NE(m->sop_instance_uid, "3.9");
  EXPECT_FALSE(c.ready);
  EXPECT_EQ(c.key.size(), 17u);
  EXPECT_EQ(case_folder_name(c), c.key + "-" + c.input_hash.substr(0, 12));
}

TEST(CaseAssembly, ACaseIsReadyWhenItsPatientHasBeenQuietForTheSettleTime) {
  auto objects = one_patient(100);
  // One contour image is missing: the case waits for it, up to the incomplete wait.
  EXPECT_FALSE(assemble_cases(objects, 130, 30)[0].ready);
  EXPECT_FALSE(assemble_cases(objects, 130, 30, 100)[0].ready);
  EXPECT_TRUE(assemble_cases(objects, 200, 30, 100)[0].ready);
  EXPECT_EQ(assemble_cases(objects, 200, 30, 100)[0].missing_images, 1);
  objects.push_back(object(ObjectKind::CT, "A", "3.3", 125));  // the late slice completes it and restarts the clock
  EXPECT_FALSE(assemble_cases(objects, 150, 30)[0].ready);
  EXPECT_TRUE(assemble_cases(objects, 155, 30)[0].ready);
  EXPECT_EQ(assemble_cases(objects, 155, 30)[0].missing_images, 0);
  // Another patient's traffic does not hold this one back.
  objects.push_back(object(ObjectKind::CT, "B", "7.2", 154));
  EXPECT_TRUE(assemble_cases(objects, 155, 30)[0].ready);
}

TEST(CaseAssembly, TheInputHashChangesWhenAnObjectJoinsAndOnlyThen) {
  auto objects = one_patient(100);
  const std::string before = assemble_cases(objects, 200, 30)[0].input_hash;
  const std::string key = assemble_cases(objects, 200, 30)[0].key;
  std::reverse(objects.begin(), objects.end());
  EXPECT_EQ(assemble_cases(objects, 200, 30)[0].input_hash, before);  // order of arrival does not matter
  auto dose = object(ObjectKind::RTDOSE, "A", "5.3", 150);
  dose.referenced_plans = {"4.1"};
  objects.push_back(dose);
  const auto after = assemble_cases(objects, 200, 30)[0];
  EXPECT_NE(after.input_hash, before);
  EXPECT_EQ(after.key, key);
  EXPECT_EQ(after.doses, 2);
}

TEST(CaseAssembly, WithoutReferencesTheFrameOfReferenceDecides) {
  std::vector<ReceivedObject> v;
  auto rs = object(ObjectKind::RTSTRUCT, "A", "2.1", 0);  // names no series (some systems write none)
  v.push_back(rs);
  v.push_back(object(ObjectKind::CT, "A", "3.1", 0));
  auto ct_other_frame = object(ObjectKind::CT, "A", "3.2", 0);
  ct_other_frame.frame_of_reference_uid = "7.7";
  v.push_back(ct_other_frame);
  auto dose = object(ObjectKind::RTDOSE, "A", "5.1", 0);  // names no plan
  v.push_back(dose);
  const auto c = assemble_cases(v, 100, 30)[0];
  EXPECT_EQ(c.images, 1);
  EXPECT_EQ(c.doses, 1);
  EXPECT_EQ(c.plans, 0);
}

TEST(CaseAssembly, TwoStructureSetsAreTwoCases) {
  auto objects = one_patient(0);
  auto rs2 = objects[0];
  rs2.sop_instance_uid = "2.2";
  objects.push_back(rs2);
  const auto cases = assemble_cases(objects, 100, 30);
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_NE(cases[0].key, cases[1].key);
  EXPECT_EQ(cases[0].images, 2);
  EXPECT_EQ(cases[1].images, 2);
}

}  // namespace
}  // namespace rtaudit::net
