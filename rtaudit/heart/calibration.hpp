#pragma once
// A department's own model from geometric proxies to mean heart dose (issue 6, "Calibration";
// docs/heart.md). Ordinary least squares on the department's plans that have an RTDOSE, with R²,
// RMSE and the leave-one-out (PRESS) error; the estimate for a plan without dose carries the
// leave-one-out RMSE as its error. rtaudit ships no coefficients: a model exists only once a
// department has fitted one. Pure computation; the JSON form is for the edge to save and load.

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rtaudit::heart {

struct CalibrationSample {
  std::string case_id;                     ///< as given (pseudonymised by the caller if needed)
  std::map<std::string, double> proxies;   ///< heart::named_proxies of the case
  double mean_heart_dose_gy = 0;           ///< from the case's RTDOSE (exact DVH)
};

struct LinearModel {
  std::vector<std::string> predictors;     ///< proxy names, in coefficient order
  double intercept_gy = 0;
  std::vector<double> coefficients;        ///< Gy per unit of each predictor
  std::size_t cases = 0;
  double r2 = 0;
  double rmse_gy = 0;                      ///< in-sample residual RMSE
  double loo_rmse_gy = 0;                  ///< leave-one-out RMSE (PRESS / n)^0.5
  double loo_max_abs_gy = 0;               ///< largest leave-one-out error
  double dose_min_gy = 0, dose_max_gy = 0; ///< range of the calibration doses
  std::map<std::string, std::pair<double, double>> predictor_range;  ///< min, max seen per predictor
  std::vector<std::string> case_ids;
  std::string fitted_at;                   ///< ISO date-time, set by the caller (no clock here)
  std::string description;                 ///< e.g. department and technique, set by the caller
};

struct CalibrationResult {
  std::optional<LinearModel> model;
  std::string error;                       ///< too few cases, a constant predictor, a singular system...
  std::vector<std::string> notes;          ///< cases left out (missing proxies) with their reasons
};

/// Fits mean heart dose = intercept + Σ c_k proxy_k. Cases missing a predictor are left out and
/// named in notes. Needs at least predictors + 3 cases.
[[nodiscard]] CalibrationResult fit_linear_model(const std::vector<CalibrationSample>& samples,
                                                 const std::vector<std::string>& predictors);

/// The default predictors: {"mhd_mm", "heart_in_field_cc"} (see heart::named_proxies).
[[nodiscard]] std::vector<std::string> default_predictors();

struct DoseEstimate {
  double mean_heart_dose_gy = 0;
  double error_gy = 0;                      ///< the model's leave-one-out RMSE
  bool extrapolated = false;                ///< a predictor outside the range the model was fitted on
  std::vector<std::string> notes;
};

/// The model's estimate for one case; empty (with `why`) when a predictor is missing.
[[nodiscard]] std::optional<DoseEstimate> estimate(const LinearModel& model,
                                                   const std::map<std::string, double>& proxies,
                                                   std::string* why = nullptr);

/// The saved form (schema "rtaudit-heart-model/1", docs/heart.md).
[[nodiscard]] nlohmann::json to_json(const LinearModel& model);
/// Empty (with `error`) on a document that is not a model of this schema.
[[nodiscard]] std::optional<LinearModel> model_from_json(const nlohmann::json& j, std::string* error = nullptr);

}  // namespace rtaudit::heart
