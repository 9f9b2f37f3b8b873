#include "rtaudit/report/heart_json.hpp"

#include "rtaudit/report/json_values.hpp"

#include <fmt/format.h>

#include <cmath>

namespace rtaudit::report {
namespace {

using json = nlohmann::ordered_json;
using json_values::num;
using json_values::strings;

json range_json(const heart::Range& r, int decimals) {
  return {{"value", num(r.value, decimals)}, {"lo", num(r.lo, decimals)}, {"hi", num(r.hi, decimals)}};
}

json metrics_json(const dose::StandardMetrics& m) {
  json v = json::array();
  for (const auto& x : m.v)
    v.push_back({{"dose_gy", num(x.dose_gy, 2)}, {"volume_cc", num(x.volume_cc)}, {"volume_pct", num(x.volume_pct, 2)}});
  return {{"mean_gy", num(m.mean_gy)}, {"min_gy", num(m.min_gy)}, {"max_gy", num(m.max_gy)},
          {"d0_03cc_gy", num(m.d0_03cc_gy)}, {"d2_pct_gy", num(m.d2_gy)}, {"d50_pct_gy", num(m.d50_gy)},
          {"d95_pct_gy", num(m.d95_gy)}, {"d98_pct_gy", num(m.d98_gy)}, {"v", v}};
}

}  // namespace

json dvh_conventions(const dose::DvhOptions& options) {
  return {{"volume", "plane model: each plane a slab of the structure's slice spacing, half-slab end caps (DOMAIN.md 6); never from the dose grid"},
          {"partial_volume", fmt::format("exact area of each plane's region in each dose cell; sub-cells and sub-slabs of at most {} mm", options.max_sample_spacing_mm)},
          {"dose_interpolation", "trilinear (bilinear in-plane, linear between dose planes); clamped in the outer half voxel; nothing outside the grid"},
          {"histogram_bin_gy", options.bin_width_gy},
          {"dx", "D x% / D x cc: linear interpolation on the cumulative curve"},
          {"percent_of", "the sampled volume (the structure volume when the DVH is complete)"}};
}

json dvh_to_json(const dose::Dvh& dvh, const dose::StandardMetrics& metrics, double curve_step_gy) {
  json dose = json::array(), cc = json::array();
  const double top = dvh.max_gy + curve_step_gy;
  for (double d = 0; d <= top + 1e-9; d += curve_step_gy) {
    dose.push_back(num(d, 3));
    cc.push_back(num(dvh.volume_at_least_cc(d), 4));
  }
  return {{"structure_volume_cc", num(dvh.structure_volume_cc)},
          {"sampled_volume_cc", num(dvh.sampled_volume_cc)},
          {"outside_grid_cc", num(dvh.outside_grid_cc)},
          {"complete", dvh.complete()},
          {"samples", dvh.samples},
          {"metrics", metrics_json(metrics)},
          {"cumulative", {{"step_gy", curve_step_gy}, {"dose_gy", dose}, {"volume_cc", cc}}}};
}

json heart_to_json(const heart::HeartAssessment& h) {
  json dvhs = json::array();
  for (const auto& o : h.dvhs) {
    json j{{"organ", o.organ}, {"roi", o.label.empty() ? json(nullptr) : json(o.label)},
           {"roi_numbers", o.rois}, {"structure_volume_cc", num(o.structure_volume_cc)},
           {"interpolated_between_planes", o.interpolated}};
    if (o.dvh && o.metrics) j["dvh"] = dvh_to_json(*o.dvh, *o.metrics);
    else j["not_evaluable"] = o.not_evaluable;
    j["notes"] = strings(o.notes);
    dvhs.push_back(std::move(j));
  }
  json distances = json::array();
  for (const auto& d : h.proxies.distances)
    distances.push_back({{"from", d.from}, {"to", d.to}, {"distance_mm", num(d.distance_mm, 2)},
                         {"overlapping", d.overlapping}, {"overlap_cc", num(d.overlap_cc)},
                         {"reason", d.reason.empty() ? json(nullptr) : json(d.reason)}});
  json ovh = json::array();
  for (const auto& o : h.proxies.ovh) {
    json dist = json::array(), cc = json::array(), pct = json::array();
    for (std::size_t i = 0; i < o.distance_mm.size(); ++i) {
      dist.push_back(num(o.distance_mm[i], 2));
      cc.push_back(num(i < o.volume_cc.size() ? o.volume_cc[i] : NAN));
      pct.push_back(num(i < o.volume_pct.size() ? o.volume_pct[i] : NAN, 2));
    }
    ovh.push_back({{"ptv", o.ptv}, {"organ", o.organ}, {"organ_volume_cc", num(o.organ_volume_cc)},
                   {"distance_mm", dist}, {"volume_cc", cc}, {"volume_pct", pct}});
  }
  json beams = json::array();
  for (const auto& b : h.proxies.beams)
    beams.push_back({{"beam_number", b.beam_number}, {"beam_name", b.beam_name}, {"gantry_deg", num(b.gantry_deg, 1)},
                     {"tangential", b.tangential}, {"posterior_edge", b.posterior_edge},
                     {"heart_area_cm2", num(b.heart_area_cm2, 2)}, {"heart_volume_in_field_cc", num(b.heart_volume_in_field_cc)},
                     {"lad_area_cm2", num(b.lad_area_cm2, 2)}, {"lad_volume_in_field_cc", num(b.lad_volume_in_field_cc)},
                     {"max_heart_distance_mm", num(b.max_heart_distance_mm, 2)},
                     {"central_lung_distance_mm", num(b.central_lung_distance_mm, 2)}, {"notes", strings(b.notes)}});
  json named = json::object();
  for (const auto& [k, v] : h.named_proxies) named[k] = num(v);
  json j{{"dose", h.has_dose ? json(h.dose_description) : json(nullptr)},
         {"conventions", {{"distances", "mm between the slab-model solids (exact surfaces, AABB tree)"},
                          {"bev", "beam's-eye view on the isocentre plane (mm, cm2), rays from the source; MHD and CLD from the posterior field edge (docs/heart-proxies.md)"},
                          {"ovh", "organ volume within d mm of the PTV surface (d = 0: inside the PTV)"}}},
         {"mean_heart_dose_gy", num(h.mean_heart_dose_gy)},
         {"mean_heart_dose_source", h.mean_heart_dose_source},
         {"dvhs", dvhs},
         {"proxies", {{"distances", distances}, {"ovh", ovh}, {"beams", beams}, {"named", named},
                      {"notes", strings(h.proxies.notes)}}}};
  if (h.estimate) {
    j["estimate"] = {{"mean_heart_dose_gy", num(h.estimate->mean_heart_dose_gy)},
                     {"error_gy", num(h.estimate->error_gy)},
                     {"extrapolated", h.estimate->extrapolated},
                     {"notes", strings(h.estimate->notes)}};
  } else {
    j["estimate"] = nullptr;
  }
  if (h.risk) {
    const auto& r = *h.risk;
    j["coronary_risk"] = {{"mean_heart_dose_gy", num(r.mean_heart_dose_gy)},
                          {"dose_source", r.dose_source},
                          {"excess_relative_risk_pct", range_json(r.excess_relative_risk_pct, 2)},
                          {"baseline_pct", num(r.baseline_pct, 2)},
                          {"baseline_source", r.baseline_source},
                          {"absolute_excess_pct", r.absolute_excess_pct ? range_json(*r.absolute_excess_pct, 3) : json(nullptr)},
                          {"risk_with_rt_pct", r.risk_with_rt_pct ? range_json(*r.risk_with_rt_pct, 3) : json(nullptr)},
                          {"modifiers", strings(r.modifiers)},
                          {"notes", strings(r.notes)},
                          {"source", r.source}};
  } else {
    j["coronary_risk"] = nullptr;
  }
  json checks = json::array();
  for (const auto& c : h.constraints)
    checks.push_back({{"set", c.set_id}, {"structure", c.structure}, {"metric", c.metric}, {"op", c.op},
                      {"limit", num(c.limit)}, {"unit", c.unit}, {"value", num(c.value)},
                      {"status", std::string(heart::to_string(c.status))},
                      {"condition", c.condition.empty() ? json(nullptr) : json(c.condition)},
                      {"reason", c.reason.empty() ? json(nullptr) : json(c.reason)}, {"source", c.source}});
  j["constraints"] = checks;
  j["imc_irradiated"] = h.imc_irradiated;
  j["notes"] = strings(h.notes);
  return j;
}

std::string heart_to_text(const heart::HeartAssessment& h) {
  std::string out = "Heart\n";
  if (h.mean_heart_dose_gy)
    out += fmt::format("  mean heart dose {:.2f} Gy ({})\n", *h.mean_heart_dose_gy, h.mean_heart_dose_source);
  else
    out += fmt::format("  mean heart dose: not evaluable ({})\n", h.mean_heart_dose_source);
  for (const auto& d : h.proxies.distances) {
    if (d.distance_mm) out += fmt::format("  {} to {}: {:.1f} mm{}\n", d.from, d.to, *d.distance_mm, d.overlapping ? " (overlap)" : "");
  }
  for (const auto& b : h.proxies.beams) {
    if (b.max_heart_distance_mm)
      out += fmt::format("  beam {} '{}': MHD {:.1f} mm, heart in field {:.1f} cc\n", b.beam_number, b.beam_name,
                         *b.max_heart_distance_mm, b.heart_volume_in_field_cc.value_or(0));
  }
  if (h.risk && h.risk->absolute_excess_pct)
    out += fmt::format("  excess coronary risk {:.2f}% absolute ({:.2f}-{:.2f}), baseline {:.1f}%\n", h.risk->absolute_excess_pct->value,
                       h.risk->absolute_excess_pct->lo, h.risk->absolute_excess_pct->hi, h.risk->baseline_pct.value_or(0));
  else if (h.risk)
    out += fmt::format("  excess relative coronary risk {:.1f}% ({:.1f}-{:.1f}); {}\n", h.risk->excess_relative_risk_pct.value,
                       h.risk->excess_relative_risk_pct.lo, h.risk->excess_relative_risk_pct.hi, h.risk->baseline_source);
  for (const auto& c : h.constraints) {
    if (c.status == heart::ConstraintStatus::Fail)
      out += fmt::format("  FAIL {} {} {} {} {} {} (value {:.2f})\n", c.set_id, c.structure, c.metric, c.op, c.limit, c.unit, c.value.value_or(NAN));
  }
  return out;
}

}  // namespace rtaudit::report
