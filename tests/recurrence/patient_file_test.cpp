// patient.json reader (recurrence/patient_file.hpp; docs/patient-facts.md).
#include "rtaudit/recurrence/patient_file.hpp"

#include <gtest/gtest.h>

namespace rtaudit::recurrence {
namespace {

bool reported(const PatientFactsRead& r, const std::string& element) {
  for (const auto& p : r.problems)
    if (p.element == element) return true;
  return false;
}

TEST(PatientFile, ReadsEveryField) {
  const auto r = parse_patient_facts(R"({
    "schema": "rtaudit-patient/1", "age_years": 45, "baseline_coronary_risk_pct": 4.5,
    "cardiac_risk_factors": false, "existing_heart_disease": false, "anthracycline": true, "trastuzumab": false,
    "tumour_quadrant": "upper-inner", "positive_axillary_nodes": 5, "tumour_size_mm": 22,
    "er_positive": false, "her2_positive": true, "lymphovascular_invasion": true,
    "n_stage": "pN2a", "t_stage": "T2", "stage_group": "IIIA",
    "imn_imaging": [{"modality": "MRI", "finding": "positive", "date": "2024-03-01"},
                    {"modality": "PET/CT", "finding": "not_done"}],
    "comment": "x"})",
                                      "patient.json");
  ASSERT_TRUE(r.ok);
  EXPECT_TRUE(r.problems.empty()) << r.problems[0].message;
  const auto& f = r.facts;
  EXPECT_EQ(f.age_years, 45);
  EXPECT_EQ(f.positive_axillary_nodes, 5);
  EXPECT_EQ(f.er_positive, false);
  EXPECT_EQ(f.n_stage, "pN2a");
  EXPECT_EQ(f.t_stage, "T2");
  EXPECT_EQ(f.stage_group, "IIIA");
  ASSERT_EQ(f.imn_imaging.size(), 2u);
  EXPECT_EQ(f.imn_imaging[0].modality, "MRI");
  EXPECT_EQ(f.imn_imaging[0].finding, "positive");
  EXPECT_EQ(f.imn_imaging[0].date, "2024-03-01");
  EXPECT_EQ(f.imn_imaging[1].finding, "not_done");
  EXPECT_TRUE(f.imn_imaging[1].date.empty());
}

TEST(PatientFile, AWrongFindingIsReportedAndItsEntryIgnored) {
  const auto r = parse_patient_facts(R"({"imn_imaging": [
      {"modality": "US", "finding": "suspicious"},
      {"modality": "MRI", "finding": "Negative"},
      {"finding": "positive"},
      "CT positive",
      {"modality": "CT", "finding": "positive", "date": 2024, "reader": "x"}]})",
                                     "p.json");
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(r.facts.imn_imaging.size(), 2u);
  EXPECT_EQ(r.facts.imn_imaging[0].modality, "MRI");
  EXPECT_EQ(r.facts.imn_imaging[0].finding, "negative");  // case folded
  EXPECT_EQ(r.facts.imn_imaging[1].modality, "CT");
  EXPECT_TRUE(r.facts.imn_imaging[1].date.empty());
  EXPECT_TRUE(reported(r, "imn_imaging[0].finding"));
  EXPECT_TRUE(reported(r, "imn_imaging[2].modality"));
  EXPECT_TRUE(reported(r, "imn_imaging[3]"));
  EXPECT_TRUE(reported(r, "imn_imaging[4].date"));
  EXPECT_TRUE(reported(r, "imn_imaging[4].reader"));
}

TEST(PatientFile, WrongTypesAreReportedAndUnknownFieldsKept) {
  const auto r = parse_patient_facts(R"({"n_stage": 2, "imn_imaging": {"modality": "US"}, "age_years": 200, "bmi": 30})",
                                     "p.json");
  ASSERT_TRUE(r.ok);
  EXPECT_FALSE(r.facts.n_stage);
  EXPECT_FALSE(r.facts.age_years);
  EXPECT_TRUE(r.facts.imn_imaging.empty());
  EXPECT_TRUE(reported(r, "n_stage"));
  EXPECT_TRUE(reported(r, "imn_imaging"));
  EXPECT_EQ(r.facts.unknown_fields, (std::vector<std::string>{"bmi"}));
  EXPECT_FALSE(parse_patient_facts("[1, 2]", "p.json").ok);
}

}  // namespace
}  // namespace rtaudit::recurrence
