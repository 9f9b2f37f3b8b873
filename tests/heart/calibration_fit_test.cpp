// Department calibration (heart/calibration.hpp): synthetic data with known coefficients, checked
// against an independent solver (normal equations by Gaussian elimination) and brute-force
// leave-one-out refits.
#include "rtaudit/heart/calibration.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <numbers>

namespace rtaudit::heart {
namespace {

// Deterministic noise (an LCG + Box-Muller), the same on every standard library.
class Noise {
 public:
  explicit Noise(std::uint64_t seed) : s_(seed) {}
  double uniform() {
    s_ = s_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return (static_cast<double>(s_ >> 11) + 0.5) / 9007199254740992.0;
  }
  double normal() { return std::sqrt(-2 * std::log(uniform())) * std::cos(2 * std::numbers::pi * uniform()); }

 private:
  std::uint64_t s_;
};

constexpr double kIntercept = 0.4, kMhd = 0.1, kVol = 0.03;

std::vector<CalibrationSample> synthetic(std::size_t n, double sigma, std::uint64_t seed, double offset = 0) {
  Noise rng(seed);
  std::vector<CalibrationSample> out;
  for (std::size_t i = 0; i < n; ++i) {
    CalibrationSample s;
    s.case_id = "case" + std::to_string(i);
    const double mhd = offset + 30 * rng.uniform(), vol = 50 * rng.uniform();
    s.proxies = {{"mhd_mm", mhd}, {"heart_in_field_cc", vol}};
    s.mean_heart_dose_gy = kIntercept + kMhd * mhd + kVol * vol + sigma * rng.normal();
    out.push_back(s);
  }
  return out;
}

// Independent reference: normal equations X^T X b = X^T y by Gaussian elimination with pivoting.
std::vector<double> normal_equations(const std::vector<CalibrationSample>& s, const std::vector<std::string>& pred) {
  const std::size_t m = pred.size() + 1;
  std::vector<std::vector<double>> a(m, std::vector<double>(m + 1, 0.0));
  for (const auto& c : s) {
    std::vector<double> x{1.0};
    for (const auto& p : pred) x.push_back(c.proxies.at(p));
    for (std::size_t i = 0; i < m; ++i) {
      for (std::size_t j = 0; j < m; ++j) a[i][j] += x[i] * x[j];
      a[i][m] += x[i] * c.mean_heart_dose_gy;
    }
  }
  for (std::size_t k = 0; k < m; ++k) {
    std::size_t piv = k;
    for (std::size_t i = k + 1; i < m; ++i)
      if (std::abs(a[i][k]) > std::abs(a[piv][k])) piv = i;
    std::swap(a[k], a[piv]);
    for (std::size_t i = k + 1; i < m; ++i) {
      const double f = a[i][k] / a[k][k];
      for (std::size_t j = k; j <= m; ++j) a[i][j] -= f * a[k][j];
    }
  }
  std::vector<double> b(m);
  for (std::size_t k = m; k-- > 0;) {
    double v = a[k][m];
    for (std::size_t j = k + 1; j < m; ++j) v -= a[k][j] * b[j];
    b[k] = v / a[k][k];
  }
  return b;
}

TEST(Calibration, ExactDataIsRecoveredExactly) {
  const auto s = synthetic(12, 0.0, 7);
  const auto r = fit_linear_model(s, default_predictors());
  ASSERT_TRUE(r.model) << r.error;
  EXPECT_NEAR(r.model->intercept_gy, kIntercept, 1e-10);
  EXPECT_NEAR(r.model->coefficients[0], kMhd, 1e-12);
  EXPECT_NEAR(r.model->coefficients[1], kVol, 1e-12);
  EXPECT_NEAR(r.model->r2, 1.0, 1e-12);
  EXPECT_NEAR(r.model->loo_rmse_gy, 0.0, 1e-10);
}

TEST(Calibration, StableWithALargeOffsetPredictor) {
  // mhd around 1e5 with a 30 mm spread: the raw normal equations lose ~10 digits; centring does not.
  const auto s = synthetic(15, 0.0, 11, 1e5);
  const auto r = fit_linear_model(s, default_predictors());
  ASSERT_TRUE(r.model) << r.error;
  EXPECT_NEAR(r.model->coefficients[0], kMhd, 1e-9);
  EXPECT_NEAR(r.model->coefficients[1], kVol, 1e-9);
  EXPECT_NEAR(r.model->intercept_gy + kMhd * 1e5, kIntercept + kMhd * 1e5, 1e-5);
}

TEST(Calibration, NoisyDataMatchesReferenceAndLooMatchesRefits) {
  const double sigma = 0.3;
  const auto s = synthetic(40, sigma, 42);
  const auto pred = default_predictors();
  const auto r = fit_linear_model(s, pred);
  ASSERT_TRUE(r.model) << r.error;
  const LinearModel& m = *r.model;
  EXPECT_EQ(m.cases, 40u);
  EXPECT_EQ(m.case_ids.size(), 40u);

  // Same solution as the independent solver.
  const auto ref = normal_equations(s, pred);
  EXPECT_NEAR(m.intercept_gy, ref[0], 1e-9);
  EXPECT_NEAR(m.coefficients[0], ref[1], 1e-11);
  EXPECT_NEAR(m.coefficients[1], ref[2], 1e-11);
  // The true coefficients within the noise (standard errors ~0.006 and ~0.004 Gy per unit here).
  EXPECT_NEAR(m.coefficients[0], kMhd, 0.02);
  EXPECT_NEAR(m.coefficients[1], kVol, 0.015);
  EXPECT_NEAR(m.intercept_gy, kIntercept, 0.4);

  // R², RMSE by brute force from the residuals.
  double sse = 0, sst = 0, mean = 0;
  for (const auto& c : s) mean += c.mean_heart_dose_gy / 40.0;
  for (const auto& c : s) {
    const double fit = ref[0] + ref[1] * c.proxies.at("mhd_mm") + ref[2] * c.proxies.at("heart_in_field_cc");
    sse += std::pow(c.mean_heart_dose_gy - fit, 2);
    sst += std::pow(c.mean_heart_dose_gy - mean, 2);
  }
  EXPECT_NEAR(m.r2, 1 - sse / sst, 1e-12);
  EXPECT_NEAR(m.rmse_gy, std::sqrt(sse / 40.0), 1e-12);
  EXPECT_GT(m.rmse_gy, 0.6 * sigma);
  EXPECT_LT(m.rmse_gy, 1.4 * sigma);

  // Leave-one-out: refit without each case and predict it.
  double press = 0, worst = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    std::vector<CalibrationSample> rest = s;
    rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(i));
    const auto ri = fit_linear_model(rest, pred);
    ASSERT_TRUE(ri.model) << ri.error;
    const auto e = estimate(*ri.model, s[i].proxies);
    ASSERT_TRUE(e);
    const double err = s[i].mean_heart_dose_gy - e->mean_heart_dose_gy;
    press += err * err;
    worst = std::max(worst, std::abs(err));
  }
  EXPECT_NEAR(m.loo_rmse_gy, std::sqrt(press / 40.0), 1e-10);
  EXPECT_NEAR(m.loo_max_abs_gy, worst, 1e-10);
  EXPECT_GT(m.loo_rmse_gy, m.rmse_gy);  // leave-one-out is always the harsher
}

TEST(Calibration, RangesAreRecorded) {
  const auto s = synthetic(10, 0.1, 3);
  const auto r = fit_linear_model(s, default_predictors());
  ASSERT_TRUE(r.model) << r.error;
  double lo = 1e9, hi = -1e9, dlo = 1e9, dhi = -1e9;
  for (const auto& c : s) {
    lo = std::min(lo, c.proxies.at("mhd_mm"));
    hi = std::max(hi, c.proxies.at("mhd_mm"));
    dlo = std::min(dlo, c.mean_heart_dose_gy);
    dhi = std::max(dhi, c.mean_heart_dose_gy);
  }
  EXPECT_EQ(r.model->predictor_range.at("mhd_mm"), std::make_pair(lo, hi));
  EXPECT_EQ(r.model->dose_min_gy, dlo);
  EXPECT_EQ(r.model->dose_max_gy, dhi);
}

TEST(Calibration, TooFewCases) {
  const auto r = fit_linear_model(synthetic(4, 0.1, 1), default_predictors());
  EXPECT_FALSE(r.model);
  EXPECT_NE(r.error.find("too few"), std::string::npos) << r.error;
  EXPECT_TRUE(fit_linear_model(synthetic(5, 0.1, 1), default_predictors()).model);  // p + 3 = 5
}

TEST(Calibration, ConstantPredictorIsAnError) {
  auto s = synthetic(10, 0.1, 5);
  for (auto& c : s) c.proxies["heart_in_field_cc"] = 12.5;
  const auto r = fit_linear_model(s, default_predictors());
  EXPECT_FALSE(r.model);
  EXPECT_NE(r.error.find("heart_in_field_cc"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("constant"), std::string::npos) << r.error;
}

TEST(Calibration, CollinearPredictorsAreSingular) {
  auto s = synthetic(10, 0.1, 5);
  for (auto& c : s) c.proxies["sum"] = 2 * c.proxies["mhd_mm"] - c.proxies["heart_in_field_cc"];
  const auto r = fit_linear_model(s, {"mhd_mm", "heart_in_field_cc", "sum"});
  EXPECT_FALSE(r.model);
  EXPECT_NE(r.error.find("singular"), std::string::npos) << r.error;
}

TEST(Calibration, CaseMissingAPredictorIsLeftOutWithANote) {
  auto s = synthetic(8, 0.1, 9);
  s[3].proxies.erase("mhd_mm");
  const auto r = fit_linear_model(s, default_predictors());
  ASSERT_TRUE(r.model) << r.error;
  EXPECT_EQ(r.model->cases, 7u);
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("case3"), std::string::npos) << r.notes[0];
  EXPECT_NE(r.notes[0].find("mhd_mm"), std::string::npos) << r.notes[0];
  // Leaving cases out can leave too few.
  for (std::size_t i = 0; i < 4; ++i) s[i].proxies.erase("heart_in_field_cc");
  EXPECT_FALSE(fit_linear_model(s, default_predictors()).model);
}

TEST(Calibration, EstimateFlagsExtrapolationAndMissingPredictors) {
  const auto r = fit_linear_model(synthetic(20, 0.2, 13), default_predictors());
  ASSERT_TRUE(r.model) << r.error;
  const LinearModel& m = *r.model;
  const auto [lo, hi] = m.predictor_range.at("mhd_mm");
  const double mid_vol = 0.5 * (m.predictor_range.at("heart_in_field_cc").first +
                                m.predictor_range.at("heart_in_field_cc").second);
  auto e = estimate(m, {{"mhd_mm", 0.5 * (lo + hi)}, {"heart_in_field_cc", mid_vol}});
  ASSERT_TRUE(e);
  EXPECT_FALSE(e->extrapolated);
  EXPECT_EQ(e->error_gy, m.loo_rmse_gy);
  EXPECT_NEAR(e->mean_heart_dose_gy, m.intercept_gy + m.coefficients[0] * 0.5 * (lo + hi) + m.coefficients[1] * mid_vol,
              1e-12);
  e = estimate(m, {{"mhd_mm", hi + 5}, {"heart_in_field_cc", mid_vol}});
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->extrapolated);
  ASSERT_FALSE(e->notes.empty());
  EXPECT_NE(e->notes[0].find("mhd_mm"), std::string::npos);
  std::string why;
  EXPECT_FALSE(estimate(m, {{"mhd_mm", lo}}, &why));
  EXPECT_NE(why.find("heart_in_field_cc"), std::string::npos) << why;
}

TEST(Calibration, JsonRoundTrip) {
  auto r = fit_linear_model(synthetic(12, 0.2, 17), default_predictors());
  ASSERT_TRUE(r.model) << r.error;
  r.model->fitted_at = "2024-05-01T10:00:00Z";
  r.model->description = "test department, tangents";
  const nlohmann::json j = to_json(*r.model);
  EXPECT_EQ(j.at("schema"), "rtaudit-heart-model/1");
  std::string error;
  const auto back = model_from_json(nlohmann::json::parse(j.dump()), &error);
  ASSERT_TRUE(back) << error;
  const LinearModel& a = *r.model;
  const LinearModel& b = *back;
  EXPECT_EQ(b.predictors, a.predictors);
  EXPECT_EQ(b.intercept_gy, a.intercept_gy);
  EXPECT_EQ(b.coefficients, a.coefficients);
  EXPECT_EQ(b.cases, a.cases);
  EXPECT_EQ(b.r2, a.r2);
  EXPECT_EQ(b.rmse_gy, a.rmse_gy);
  EXPECT_EQ(b.loo_rmse_gy, a.loo_rmse_gy);
  EXPECT_EQ(b.loo_max_abs_gy, a.loo_max_abs_gy);
  EXPECT_EQ(b.dose_min_gy, a.dose_min_gy);
  EXPECT_EQ(b.dose_max_gy, a.dose_max_gy);
  EXPECT_EQ(b.predictor_range, a.predictor_range);
  EXPECT_EQ(b.case_ids, a.case_ids);
  EXPECT_EQ(b.fitted_at, a.fitted_at);
  EXPECT_EQ(b.description, a.description);
}

TEST(Calibration, JsonRejectsOtherDocuments) {
  const auto r = fit_linear_model(synthetic(12, 0.2, 19), default_predictors());
  ASSERT_TRUE(r.model) << r.error;
  const nlohmann::json good = to_json(*r.model);
  std::string error;
  nlohmann::json j = good;
  j["schema"] = "rtaudit-heart-model/2";
  EXPECT_FALSE(model_from_json(j, &error));
  EXPECT_NE(error.find("schema"), std::string::npos) << error;
  j = good;
  j["coefficients"].erase(1);
  EXPECT_FALSE(model_from_json(j, &error));
  EXPECT_NE(error.find("coefficients"), std::string::npos) << error;
  j = good;
  j["predictor_range"].erase("mhd_mm");
  EXPECT_FALSE(model_from_json(j, &error));
  EXPECT_NE(error.find("mhd_mm"), std::string::npos) << error;
  j = good;
  j["intercept_gy"] = "1.0";
  EXPECT_FALSE(model_from_json(j, &error));
  EXPECT_FALSE(model_from_json(nlohmann::json::array(), &error));
  EXPECT_FALSE(model_from_json(nlohmann::json{{"schema", 1}}, &error));
}

}  // namespace
}  // namespace rtaudit::heart
