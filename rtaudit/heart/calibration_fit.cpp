// A department's linear model from geometric proxies to mean heart dose (heart/calibration.hpp,
// docs/heart-risk.md). Ordinary least squares with an intercept, solved by Householder QR on the
// centred and scaled design (so a millimetre predictor and a cc predictor do not make the system
// badly conditioned); the leave-one-out errors come from the hat-matrix identity
// e_(i) = e_i / (1 - h_ii), exact for OLS, so no refit is needed.
#include "rtaudit/heart/calibration.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>

namespace rtaudit::heart {
namespace {

using Matrix = std::vector<std::vector<double>>;  // row-major, small (cases x (predictors + 1))

// Relative size below which a pivot of R (or a predictor's spread) counts as zero.
constexpr double kRankTolerance = 1e-10;

struct Qr {
  Matrix r;                  // (p+1) x (p+1), upper triangular
  std::vector<double> qty;   // first p+1 entries of Q^T y
};

// Householder QR of the n x m matrix `a` (n >= m), applied to `y` at the same time.
Qr householder(Matrix a, std::vector<double> y) {
  const std::size_t n = a.size(), m = a.front().size();
  for (std::size_t k = 0; k < m; ++k) {
    double norm = 0;
    for (std::size_t i = k; i < n; ++i) norm += a[i][k] * a[i][k];
    norm = std::sqrt(norm);
    if (norm == 0) continue;
    const double alpha = a[k][k] > 0 ? -norm : norm;  // sign chosen to avoid cancellation
    std::vector<double> v(n, 0.0);
    for (std::size_t i = k; i < n; ++i) v[i] = a[i][k];
    v[k] -= alpha;
    double vv = 0;
    for (std::size_t i = k; i < n; ++i) vv += v[i] * v[i];
    if (vv == 0) continue;
    for (std::size_t j = k; j < m; ++j) {
      double d = 0;
      for (std::size_t i = k; i < n; ++i) d += v[i] * a[i][j];
      const double f = 2 * d / vv;
      for (std::size_t i = k; i < n; ++i) a[i][j] -= f * v[i];
    }
    double d = 0;
    for (std::size_t i = k; i < n; ++i) d += v[i] * y[i];
    const double f = 2 * d / vv;
    for (std::size_t i = k; i < n; ++i) y[i] -= f * v[i];
  }
  Qr out;
  out.r.assign(m, std::vector<double>(m, 0.0));
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = i; j < m; ++j) out.r[i][j] = a[i][j];
  out.qty.assign(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(m));
  return out;
}

// Solves R b = c (back substitution).
std::vector<double> back_substitute(const Matrix& r, const std::vector<double>& c) {
  const std::size_t m = c.size();
  std::vector<double> b(m, 0.0);
  for (std::size_t k = m; k-- > 0;) {
    double s = c[k];
    for (std::size_t j = k + 1; j < m; ++j) s -= r[k][j] * b[j];
    b[k] = s / r[k][k];
  }
  return b;
}

// h = z^T (R^T R)^{-1} z = |R^{-T} z|^2 (forward substitution with R^T).
double leverage(const Matrix& r, const std::vector<double>& z) {
  const std::size_t m = z.size();
  std::vector<double> w(m, 0.0);
  double h = 0;
  for (std::size_t k = 0; k < m; ++k) {
    double s = z[k];
    for (std::size_t j = 0; j < k; ++j) s -= r[j][k] * w[j];
    w[k] = s / r[k][k];
    h += w[k] * w[k];
  }
  return h;
}

bool finite_number(const nlohmann::json& j) { return j.is_number() && std::isfinite(j.get<double>()); }

}  // namespace

std::vector<std::string> default_predictors() { return {"mhd_mm", "heart_in_field_cc"}; }

CalibrationResult fit_linear_model(const std::vector<CalibrationSample>& samples,
                                   const std::vector<std::string>& predictors) {
  CalibrationResult res;
  if (predictors.empty()) {
    res.error = "no predictors given";
    return res;
  }
  if (std::set<std::string>(predictors.begin(), predictors.end()).size() != predictors.size()) {
    res.error = "a predictor is named twice";
    return res;
  }
  const std::size_t p = predictors.size();

  // Cases with every predictor and a dose; the others are named in the notes.
  std::vector<const CalibrationSample*> used;
  for (const CalibrationSample& s : samples) {
    std::string missing;
    for (const std::string& name : predictors) {
      const auto it = s.proxies.find(name);
      if (it == s.proxies.end() || !std::isfinite(it->second)) {
        missing += missing.empty() ? name : ", " + name;
      }
    }
    if (!missing.empty()) {
      res.notes.push_back(fmt::format("case {} left out: no {}", s.case_id, missing));
    } else if (!std::isfinite(s.mean_heart_dose_gy)) {
      res.notes.push_back(fmt::format("case {} left out: no mean heart dose", s.case_id));
    } else {
      used.push_back(&s);
    }
  }
  const std::size_t n = used.size();
  if (n < p + 3) {
    res.error = fmt::format("too few cases: {} usable, a model with {} predictor{} needs at least {}", n, p,
                            p == 1 ? "" : "s", p + 3);
    return res;
  }

  // Centre and scale each predictor; a constant one cannot be fitted.
  std::vector<double> mean(p, 0.0), scale(p, 0.0);
  for (std::size_t k = 0; k < p; ++k) {
    for (const auto* s : used) mean[k] += s->proxies.at(predictors[k]);
    mean[k] /= static_cast<double>(n);
    double ss = 0;
    for (const auto* s : used) ss += std::pow(s->proxies.at(predictors[k]) - mean[k], 2);
    scale[k] = std::sqrt(ss / static_cast<double>(n));
    if (!(scale[k] > kRankTolerance * std::max(1.0, std::abs(mean[k])))) {
      res.error = fmt::format("predictor {} is constant over the {} cases ({}): it cannot be fitted", predictors[k],
                              n, mean[k]);
      return res;
    }
  }
  Matrix z(n, std::vector<double>(p + 1, 1.0));
  std::vector<double> y(n);
  double ymean = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < p; ++k) z[i][k + 1] = (used[i]->proxies.at(predictors[k]) - mean[k]) / scale[k];
    y[i] = used[i]->mean_heart_dose_gy;
    ymean += y[i];
  }
  ymean /= static_cast<double>(n);

  const Qr qr = householder(z, y);
  double rmax = 0;
  for (std::size_t k = 0; k <= p; ++k) rmax = std::max(rmax, std::abs(qr.r[k][k]));
  for (std::size_t k = 0; k <= p; ++k) {
    if (!(std::abs(qr.r[k][k]) > kRankTolerance * rmax)) {
      res.error = k == 0 ? "singular system"
                         : fmt::format("singular system: predictor {} is a linear combination of the others",
                                       predictors[k - 1]);
      return res;
    }
  }
  const std::vector<double> b = back_substitute(qr.r, qr.qty);

  LinearModel m;
  m.predictors = predictors;
  m.coefficients.resize(p);
  m.intercept_gy = b[0];
  for (std::size_t k = 0; k < p; ++k) {
    m.coefficients[k] = b[k + 1] / scale[k];
    m.intercept_gy -= m.coefficients[k] * mean[k];
  }

  double sse = 0, sst = 0, press = 0, loo_max = 0;
  m.dose_min_gy = m.dose_max_gy = y[0];
  for (std::size_t i = 0; i < n; ++i) {
    double fit = b[0];
    for (std::size_t k = 0; k < p; ++k) fit += b[k + 1] * z[i][k + 1];
    const double e = y[i] - fit;
    const double h = leverage(qr.r, z[i]);
    if (!(h < 1 - 1e-9)) {
      res.error = fmt::format("case {} alone determines the fit (leverage {:.6f}): leave-one-out is not defined",
                              used[i]->case_id, h);
      return res;
    }
    const double loo = e / (1 - h);
    sse += e * e;
    sst += (y[i] - ymean) * (y[i] - ymean);
    press += loo * loo;
    loo_max = std::max(loo_max, std::abs(loo));
    m.dose_min_gy = std::min(m.dose_min_gy, y[i]);
    m.dose_max_gy = std::max(m.dose_max_gy, y[i]);
    m.case_ids.push_back(used[i]->case_id);
  }
  if (!(sst > 0)) {
    res.error = fmt::format("the {} calibration doses are all equal ({} Gy): R² is not defined", n, y[0]);
    return res;
  }
  m.cases = n;
  m.r2 = 1 - sse / sst;
  m.rmse_gy = std::sqrt(sse / static_cast<double>(n));
  m.loo_rmse_gy = std::sqrt(press / static_cast<double>(n));
  m.loo_max_abs_gy = loo_max;
  for (const std::string& name : predictors) {
    double lo = used[0]->proxies.at(name), hi = lo;
    for (const auto* s : used) {
      lo = std::min(lo, s->proxies.at(name));
      hi = std::max(hi, s->proxies.at(name));
    }
    m.predictor_range[name] = {lo, hi};
  }
  res.model = std::move(m);
  return res;
}

std::optional<DoseEstimate> estimate(const LinearModel& model, const std::map<std::string, double>& proxies,
                                     std::string* why) {
  DoseEstimate e;
  e.mean_heart_dose_gy = model.intercept_gy;
  e.error_gy = model.loo_rmse_gy;
  for (std::size_t k = 0; k < model.predictors.size() && k < model.coefficients.size(); ++k) {
    const std::string& name = model.predictors[k];
    const auto it = proxies.find(name);
    if (it == proxies.end() || !std::isfinite(it->second)) {
      if (why != nullptr) *why = fmt::format("no {} for this case (a predictor of the model)", name);
      return std::nullopt;
    }
    e.mean_heart_dose_gy += model.coefficients[k] * it->second;
    const auto range = model.predictor_range.find(name);
    if (range != model.predictor_range.end() &&
        (it->second < range->second.first || it->second > range->second.second)) {
      e.extrapolated = true;
      e.notes.push_back(fmt::format("{} = {} lies outside the calibration range [{}, {}]: extrapolated", name,
                                    it->second, range->second.first, range->second.second));
    }
  }
  if (e.mean_heart_dose_gy < 0) {
    // A mean dose cannot be negative; the line only reaches below 0 outside its data.
    e.notes.push_back(fmt::format("the model gives {:.2f} Gy; reported as 0 Gy", e.mean_heart_dose_gy));
    e.mean_heart_dose_gy = 0;
  }
  return e;
}

nlohmann::json to_json(const LinearModel& model) {
  nlohmann::json ranges = nlohmann::json::object();
  for (const auto& [name, r] : model.predictor_range) ranges[name] = {r.first, r.second};
  return {{"schema", "rtaudit-heart-model/1"},
          {"description", model.description},
          {"fitted_at", model.fitted_at},
          {"target", "mean_heart_dose_gy"},
          {"predictors", model.predictors},
          {"intercept_gy", model.intercept_gy},
          {"coefficients", model.coefficients},
          {"cases", model.cases},
          {"case_ids", model.case_ids},
          {"r2", model.r2},
          {"rmse_gy", model.rmse_gy},
          {"loo_rmse_gy", model.loo_rmse_gy},
          {"loo_max_abs_gy", model.loo_max_abs_gy},
          {"dose_range_gy", {model.dose_min_gy, model.dose_max_gy}},
          {"predictor_range", ranges}};
}

std::optional<LinearModel> model_from_json(const nlohmann::json& j, std::string* error) {
  const auto fail = [&](std::string what) -> std::optional<LinearModel> {
    if (error != nullptr) *error = std::move(what);
    return std::nullopt;
  };
  if (!j.is_object()) return fail("not a JSON object");
  if (!j.contains("schema") || !j["schema"].is_string()) return fail("no \"schema\"");
  if (j["schema"].get<std::string>() != "rtaudit-heart-model/1") {
    return fail(fmt::format("schema \"{}\" is not rtaudit-heart-model/1", j["schema"].get<std::string>()));
  }
  if (j.contains("target") && j["target"] != "mean_heart_dose_gy")
    return fail("\"target\" is not mean_heart_dose_gy");
  LinearModel m;
  const auto number = [&](const char* key, double& out) {
    if (!j.contains(key) || !finite_number(j[key])) return false;
    out = j[key].get<double>();
    return true;
  };
  for (const char* key : {"description", "fitted_at"}) {
    if (j.contains(key) && !j[key].is_string()) return fail(fmt::format("\"{}\" is not a string", key));
  }
  m.description = j.value("description", "");
  m.fitted_at = j.value("fitted_at", "");
  if (!j.contains("predictors") || !j["predictors"].is_array() || j["predictors"].empty())
    return fail("\"predictors\" is not a non-empty array of names");
  for (const auto& p : j["predictors"]) {
    if (!p.is_string() || p.get<std::string>().empty()) return fail("\"predictors\" holds something not a name");
    m.predictors.push_back(p.get<std::string>());
  }
  if (!number("intercept_gy", m.intercept_gy)) return fail("\"intercept_gy\" is not a finite number");
  if (!j.contains("coefficients") || !j["coefficients"].is_array() ||
      j["coefficients"].size() != m.predictors.size())
    return fail("\"coefficients\" is not an array with one number per predictor");
  for (const auto& c : j["coefficients"]) {
    if (!finite_number(c)) return fail("\"coefficients\" holds something not a finite number");
    m.coefficients.push_back(c.get<double>());
  }
  if (!j.contains("cases") || !j["cases"].is_number_unsigned()) return fail("\"cases\" is not a count");
  m.cases = j["cases"].get<std::size_t>();
  for (const char* key : {"r2", "rmse_gy", "loo_rmse_gy", "loo_max_abs_gy"}) {
    double v = 0;
    if (!number(key, v)) return fail(fmt::format("\"{}\" is not a finite number", key));
    if (std::string_view(key) == "r2") m.r2 = v;
    else if (std::string_view(key) == "rmse_gy") m.rmse_gy = v;
    else if (std::string_view(key) == "loo_rmse_gy") m.loo_rmse_gy = v;
    else m.loo_max_abs_gy = v;
  }
  if (m.loo_rmse_gy < 0 || m.rmse_gy < 0) return fail("a negative RMSE");
  const auto pair = [](const nlohmann::json& a) -> std::optional<std::pair<double, double>> {
    if (!a.is_array() || a.size() != 2 || !finite_number(a[0]) || !finite_number(a[1])) return std::nullopt;
    const double lo = a[0].get<double>(), hi = a[1].get<double>();
    if (lo > hi) return std::nullopt;
    return std::pair{lo, hi};
  };
  const auto dose = j.contains("dose_range_gy") ? pair(j["dose_range_gy"]) : std::nullopt;
  if (!dose) return fail("\"dose_range_gy\" is not [min, max]");
  m.dose_min_gy = dose->first;
  m.dose_max_gy = dose->second;
  if (!j.contains("predictor_range") || !j["predictor_range"].is_object())
    return fail("\"predictor_range\" is not an object");
  for (const std::string& name : m.predictors) {
    const auto r = j["predictor_range"].contains(name) ? pair(j["predictor_range"][name]) : std::nullopt;
    if (!r) return fail(fmt::format("\"predictor_range\" has no [min, max] for {}", name));
    m.predictor_range[name] = *r;
  }
  if (j.contains("case_ids")) {
    if (!j["case_ids"].is_array()) return fail("\"case_ids\" is not an array");
    for (const auto& c : j["case_ids"]) {
      if (!c.is_string()) return fail("\"case_ids\" holds something not a string");
      m.case_ids.push_back(c.get<std::string>());
    }
  }
  return m;
}

}  // namespace rtaudit::heart
