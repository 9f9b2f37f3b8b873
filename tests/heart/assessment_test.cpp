// The heart assessment of one case (heart/assessment.hpp) on hand-built structures and doses with
// closed-form answers: DVH metrics of boxes in a linear dose, the two lungs combined, the estimate
// of a department model when there is no dose, the coronary risk, and constraint conditions.

#include "rtaudit/heart/assessment.hpp"

#include "tests/support/bound_structures.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace rtaudit::heart {
namespace {

using anatomy::RoleKey;
using anatomy::Side;

std::vector<double> planes(double z0, double z1, double step) {
  std::vector<double> z;
  for (double v = z0; v <= z1 + 1e-9; v += step) z.push_back(v);
  return z;
}

// Dose = a + gx * x on a 1 mm grid covering [-100, 100]^2 x [-50, 50].
dose::DoseVolume linear_dose(double a, double gx) {
  dose::DoseVolume v;
  v.x0_mm = -100;
  v.y0_mm = -100;
  v.dx_mm = v.dy_mm = 1;
  v.nx = v.ny = 201;
  v.z_mm = planes(-50, 50, 1);
  v.gy.resize(static_cast<std::size_t>(v.nx) * v.ny * v.z_mm.size());
  for (int k = 0; k < v.nz(); ++k)
    for (int j = 0; j < v.ny; ++j)
      for (int i = 0; i < v.nx; ++i)
        v.gy[(static_cast<std::size_t>(k) * v.ny + j) * v.nx + i] = static_cast<float>(a + gx * (v.x0_mm + i));
  return v;
}

anatomy::StructureMap case_map() {
  anatomy::StructureMap m;
  const auto z = planes(-10, 10, 2.5);  // 9 planes, slab 2.5: z extent [-11.25, 11.25] = 22.5 mm
  m[RoleKey{"heart", Side::None, ""}] = test::box_stack(4, "Heart", 0, 0, 20, 20, z);          // 9 cc
  m[RoleKey{"lung", Side::Left, ""}] = test::box_stack(2, "Lung_L", 30, 0, 50, 20, z);         // 9 cc
  m[RoleKey{"lung", Side::Right, ""}] = test::box_stack(3, "Lung_R", -50, 0, -30, 20, z);      // 9 cc
  m[RoleKey{"ctvn_imn", Side::Left, ""}] = test::box_stack(31, "CTVn_IMN_L", 25, -20, 28, -17, z);
  return m;
}

TEST(HeartAssessment, DvhMetricsOfBoxesInALinearDoseAndBothLungsTogether) {
  const auto map = case_map();
  const dose::DoseVolume dose = linear_dose(10, 0.1);  // heart x in [0, 20] -> 10..12 Gy, mean 11
  HeartInputs in;
  in.structures = &map;
  in.treated_side = Side::Left;
  in.dose = &dose;
  const HeartAssessment h = assess_heart(in);
  ASSERT_TRUE(h.has_dose);
  ASSERT_TRUE(h.mean_heart_dose_gy);
  EXPECT_NEAR(*h.mean_heart_dose_gy, 11.0, 1e-3);
  EXPECT_EQ(h.mean_heart_dose_source, "RTDOSE");
  const OrganDvh& heart = h.dvhs[0];
  ASSERT_TRUE(heart.metrics);
  EXPECT_NEAR(heart.structure_volume_cc, 9.0, 1e-9);
  EXPECT_NEAR(heart.metrics->d50_gy, 11.0, 0.02);   // uniform in x: the median is the middle
  EXPECT_NEAR(heart.metrics->d98_gy, 10.04, 0.02);  // 98% receive at least 10 + 0.1 * 0.4
  // Lungs: left x in [30, 50] -> 13..15 Gy, right x in [-50, -30] -> 5..7 Gy; together mean 10 Gy.
  const auto lungs = std::find_if(h.dvhs.begin(), h.dvhs.end(), [](const OrganDvh& o) { return o.organ == "lungs"; });
  ASSERT_NE(lungs, h.dvhs.end());
  ASSERT_TRUE(lungs->dvh) << lungs->not_evaluable;
  EXPECT_NEAR(lungs->dvh->mean_gy, 10.0, 1e-3);
  EXPECT_NEAR(lungs->dvh->sampled_volume_cc, 18.0, 1e-6);
  EXPECT_NEAR(dose::volume_at_dose_pct(*lungs->dvh, 13.0), 50.0, 0.1);  // exactly the left lung
  const auto ipsi = std::find_if(h.dvhs.begin(), h.dvhs.end(), [](const OrganDvh& o) { return o.organ == "lung_ipsilateral"; });
  ASSERT_TRUE(ipsi->dvh);
  EXPECT_NEAR(ipsi->dvh->mean_gy, 14.0, 1e-3);
  EXPECT_TRUE(h.imc_irradiated);
}

TEST(HeartAssessment, WithoutDoseTheModelEstimatesAndTheRiskUsesTheEstimate) {
  const auto map = case_map();
  LinearModel model;
  model.predictors = {"ctv_heart_distance_mm"};
  model.intercept_gy = 5.0;
  model.coefficients = {-0.1};  // hand-made for the test, not a clinical model
  model.cases = 10;
  model.loo_rmse_gy = 0.4;
  model.predictor_range["ctv_heart_distance_mm"] = {0.0, 20.0};
  CardiacRiskModel risk;
  risk.source = "test";
  PatientFacts facts;
  facts.baseline_coronary_risk_pct = 4.5;
  facts.anthracycline = true;
  HeartInputs in;
  in.structures = &map;
  in.treated_side = Side::Left;
  in.model = &model;
  in.model_file = "model.json";
  in.risk_model = &risk;
  in.facts = facts;
  const HeartAssessment h = assess_heart(in);
  EXPECT_FALSE(h.has_dose);
  EXPECT_EQ(h.dvhs[0].not_evaluable, "no RTDOSE");       // heart: contoured, no dose
  EXPECT_EQ(h.dvhs[1].not_evaluable, "no lad contour");  // LAD: not contoured
  // The CTV box [25, 28] x [-20, -17] and the heart [0, 20] x [0, 20]: sqrt(5^2 + 17^2) apart in-plane.
  const double d = std::hypot(5.0, 17.0);
  ASSERT_TRUE(h.estimate);
  EXPECT_NEAR(h.estimate->mean_heart_dose_gy, 5.0 - 0.1 * d, 0.05);
  EXPECT_DOUBLE_EQ(h.estimate->error_gy, 0.4);
  ASSERT_TRUE(h.mean_heart_dose_gy);
  EXPECT_NE(h.mean_heart_dose_source.find("estimated"), std::string::npos);
  ASSERT_TRUE(h.risk);
  EXPECT_NEAR(h.risk->excess_relative_risk_pct.value, 7.4 * *h.mean_heart_dose_gy, 1e-6);
  ASSERT_TRUE(h.risk->absolute_excess_pct);
  EXPECT_NEAR(h.risk->absolute_excess_pct->value, 4.5 * 0.074 * *h.mean_heart_dose_gy, 1e-6);
  EXPECT_FALSE(h.risk->modifiers.empty());
}

TEST(HeartAssessment, ImcConditionedConstraintIsNotEvaluableWithoutACtvnImn) {
  auto map = case_map();
  map.erase(RoleKey{"ctvn_imn", Side::Left, ""});
  const dose::DoseVolume dose = linear_dose(1, 0.0);
  std::vector<ConstraintSet> sets(1);
  sets[0].id = "test";
  sets[0].constraints.push_back({"heart", "Dmean", "<", 4.0, "Gy", "imc", 1});
  sets[0].constraints.push_back({"heart", "Dmean", "<", 0.5, "Gy", "", 2});
  sets[0].constraints.push_back({"lad", "Dmean", "<", 10.0, "Gy", "", 3});
  HeartInputs in;
  in.structures = &map;
  in.treated_side = Side::Left;
  in.dose = &dose;
  in.constraints = &sets;
  const HeartAssessment h = assess_heart(in);
  ASSERT_EQ(h.constraints.size(), 3u);
  EXPECT_EQ(h.constraints[0].status, ConstraintStatus::NotEvaluable);
  EXPECT_EQ(h.constraints[1].status, ConstraintStatus::Fail);
  ASSERT_TRUE(h.constraints[1].value);
  EXPECT_NEAR(*h.constraints[1].value, 1.0, 1e-4);
  EXPECT_EQ(h.constraints[2].status, ConstraintStatus::NotEvaluable);  // no LAD contour
  EXPECT_FALSE(h.constraints[2].reason.empty());
}

}  // namespace
}  // namespace rtaudit::heart
