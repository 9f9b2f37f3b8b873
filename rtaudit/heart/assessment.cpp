#include "rtaudit/heart/assessment.hpp"

#include "rtaudit/geom/shape_interpolation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace rtaudit::heart {
namespace {

using anatomy::Side;

struct Wanted {
  std::string organ;
  std::string role;
  enum class Which { NoSide, Ipsilateral, Contralateral, Treated } which = Which::NoSide;
};

const anatomy::BoundStructure* find(const anatomy::StructureMap& map, const std::string& role, Side side) {
  return anatomy::find_structure(map, role, side);
}

// A structure with no side may have been bound with Side::None or (unsided name of a sided role) Unknown.
const anatomy::BoundStructure* find_unsided(const anatomy::StructureMap& map, const std::string& role) {
  if (const auto* b = find(map, role, Side::None)) return b;
  for (const auto& [key, b] : map) {
    if (key.role == role && key.derivation.empty()) return &b;
  }
  return nullptr;
}

OrganDvh organ_dvh(const std::string& organ, const anatomy::BoundStructure* b, const HeartInputs& in) {
  OrganDvh o;
  o.organ = organ;
  if (b == nullptr) {
    o.not_evaluable = fmt::format("no {} contour", organ);
    return o;
  }
  o.label = anatomy::roi_label(*b);
  o.rois = {b->roi_number};
  o.structure_volume_cc = geom::volume_cc(b->structure).value_or(0);
  if (in.dose == nullptr) {
    o.not_evaluable = "no RTDOSE";
    return o;
  }
  const geom::Structure* s = &b->structure;
  geom::InterpolatedStructure interpolated;
  if (in.interpolate_planes) {
    geom::ShapeInterpolationOptions so;
    so.max_plane_gap_mm = in.interpolation_gap_mm;
    interpolated = geom::interpolate_planes(b->structure, so);
    s = &interpolated.structure;
    o.interpolated = true;
    o.notes.insert(o.notes.end(), interpolated.notes.begin(), interpolated.notes.end());
  }
  dose::DvhResult r = dose::compute_dvh(*s, *in.dose, in.dvh_options);
  o.notes.insert(o.notes.end(), r.notes.begin(), r.notes.end());
  if (!r.dvh) {
    o.not_evaluable = r.error.empty() ? "no DVH" : r.error;
    return o;
  }
  o.metrics = dose::standard_metrics(*r.dvh, in.v_levels_gy);
  o.dvh = std::move(r.dvh);
  return o;
}

std::optional<double> lookup_metric(const std::vector<OrganDvh>& dvhs, const std::string& structure,
                                    const std::string& metric, std::string& why) {
  const auto it = std::find_if(dvhs.begin(), dvhs.end(), [&](const OrganDvh& o) { return o.organ == structure; });
  if (it == dvhs.end()) {
    why = fmt::format("no {} in this audit", structure);
    return std::nullopt;
  }
  if (!it->dvh) {
    why = it->not_evaluable.empty() ? "no DVH" : it->not_evaluable;
    return std::nullopt;
  }
  const auto spec = dose::parse_metric(metric);
  if (!spec) {
    why = fmt::format("unknown metric '{}'", metric);
    return std::nullopt;
  }
  const double v = dose::evaluate(*it->dvh, *spec);
  if (!std::isfinite(v)) {
    why = fmt::format("{} is not defined for {} ({:.3f} cc)", metric, it->label, it->dvh->sampled_volume_cc);
    return std::nullopt;
  }
  if (!it->dvh->complete()) why = fmt::format("{} lies partly outside the dose grid", it->label);
  return v;
}

}  // namespace

dose::Dvh combine_dvhs(const dose::Dvh& a, const dose::Dvh& b) {
  dose::Dvh c;
  c.bin_width_gy = a.bin_width_gy;
  const std::size_t n = std::max(a.cumulative_cc.size(), b.cumulative_cc.size());
  c.cumulative_cc.assign(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    if (i < a.cumulative_cc.size()) c.cumulative_cc[i] += a.cumulative_cc[i];
    if (i < b.cumulative_cc.size()) c.cumulative_cc[i] += b.cumulative_cc[i];
  }
  c.structure_volume_cc = a.structure_volume_cc + b.structure_volume_cc;
  c.sampled_volume_cc = a.sampled_volume_cc + b.sampled_volume_cc;
  c.outside_grid_cc = a.outside_grid_cc + b.outside_grid_cc;
  c.min_gy = std::min(a.min_gy, b.min_gy);
  c.max_gy = std::max(a.max_gy, b.max_gy);
  c.mean_gy = c.sampled_volume_cc > 0
                  ? (a.mean_gy * a.sampled_volume_cc + b.mean_gy * b.sampled_volume_cc) / c.sampled_volume_cc
                  : 0.0;
  c.samples = a.samples + b.samples;
  return c;
}

HeartAssessment assess_heart(const HeartInputs& in) {
  HeartAssessment h;
  h.has_dose = in.dose != nullptr;
  h.dose_description = in.dose_description;
  if (in.structures == nullptr) {
    h.notes.push_back("no structures");
    return h;
  }
  const anatomy::StructureMap& map = *in.structures;
  const std::optional<Side> treated = in.treated_side;
  const Side ipsi = treated.value_or(Side::Unknown);
  const Side contra = treated ? anatomy::opposite(*treated) : Side::Unknown;

  const auto* heart = find_unsided(map, "heart");
  const auto* lad = find_unsided(map, "lad");
  const auto* lv = find_unsided(map, "left_ventricle");
  const auto* lung_i = treated ? find(map, "lung", ipsi) : nullptr;
  const auto* lung_c = treated ? find(map, "lung", contra) : nullptr;
  const auto* lungs_both = find(map, "lung", Side::Both);
  const auto* ctvn_imn = treated ? find(map, "ctvn_imn", ipsi) : nullptr;
  h.imc_irradiated = ctvn_imn != nullptr;

  // ---- DVHs
  h.dvhs.push_back(organ_dvh("heart", heart, in));
  h.dvhs.push_back(organ_dvh("lad", lad, in));
  h.dvhs.push_back(organ_dvh("left_ventricle", lv, in));
  if (!treated) h.notes.push_back("treated side unknown: ipsilateral and contralateral lung not evaluable");
  if (lungs_both != nullptr && (lung_i == lungs_both || lung_c == lungs_both)) {
    // One ROI for both lungs: ipsilateral and contralateral cannot be told apart.
    lung_i = lung_c = nullptr;
  }
  h.dvhs.push_back(organ_dvh("lung_ipsilateral", lung_i, in));
  h.dvhs.push_back(organ_dvh("lung_contralateral", lung_c, in));
  if (lungs_both != nullptr) {
    h.dvhs.push_back(organ_dvh("lungs", lungs_both, in));
  } else {
    OrganDvh total;
    total.organ = "lungs";
    const OrganDvh& a = h.dvhs[3];
    const OrganDvh& b = h.dvhs[4];
    if (lung_i != nullptr && lung_c != nullptr) {
      total.label = a.label + " + " + b.label;
      total.rois = {lung_i->roi_number, lung_c->roi_number};
      total.structure_volume_cc = a.structure_volume_cc + b.structure_volume_cc;
      if (a.dvh && b.dvh) {
        total.dvh = combine_dvhs(*a.dvh, *b.dvh);
        total.metrics = dose::standard_metrics(*total.dvh, in.v_levels_gy);
        total.notes.push_back("both lungs together: the sum of the two lungs' DVHs (disjoint ROIs)");
      } else {
        total.not_evaluable = a.dvh ? b.not_evaluable : a.not_evaluable;
      }
    } else {
      total.not_evaluable = "needs both lungs (ipsilateral and contralateral) or one ROI for both";
    }
    h.dvhs.push_back(std::move(total));
  }
  if (ctvn_imn != nullptr) h.dvhs.push_back(organ_dvh("ctvn_imn", ctvn_imn, in));
  std::vector<LabelledStructure> ptvs;
  for (const auto& [key, b] : map) {
    if (key.role.rfind("ptv", 0) != 0 || !key.derivation.empty()) continue;
    if (treated && key.side != ipsi && key.side != Side::None && key.side != Side::Unknown && key.side != Side::Both) continue;
    h.dvhs.push_back(organ_dvh(key.role, &b, in));
    ptvs.push_back({anatomy::roi_label(b), &b.structure});
  }

  // ---- Proxies
  ProxyInputs pi;
  pi.heart = heart ? &heart->structure : nullptr;
  pi.lad = lad ? &lad->structure : nullptr;
  pi.ipsilateral_lung = lung_i ? &lung_i->structure : nullptr;
  if (ctvn_imn != nullptr) pi.ctvn_imn = {anatomy::roi_label(*ctvn_imn), &ctvn_imn->structure};
  pi.ptvs = ptvs;
  pi.plan = in.plan;
  pi.patient_position = in.patient_position;
  if (heart == nullptr) h.notes.push_back("no heart contour: no heart metric, proxy or risk");
  h.proxies = compute_proxies(pi, in.proxy_options);
  h.named_proxies = named_proxies(h.proxies);

  // ---- Mean heart dose: measured, else estimated by the department's model.
  std::map<std::string, double> proxy_map(h.named_proxies.begin(), h.named_proxies.end());
  if (in.model != nullptr) {
    std::string why;
    h.estimate = estimate(*in.model, proxy_map, &why);
    if (!h.estimate) h.notes.push_back(fmt::format("department model {}: no estimate ({})", in.model_file, why));
  }
  const OrganDvh& heart_dvh = h.dvhs[0];
  if (heart_dvh.dvh) {
    h.mean_heart_dose_gy = heart_dvh.dvh->mean_gy;
    h.mean_heart_dose_source = heart_dvh.dvh->complete() ? "RTDOSE" : "RTDOSE (heart partly outside the dose grid)";
  } else if (h.estimate) {
    h.mean_heart_dose_gy = h.estimate->mean_heart_dose_gy;
    h.mean_heart_dose_source = fmt::format("estimated by the department model {} (leave-one-out error {:.2f} Gy)",
                                           in.model_file, h.estimate->error_gy);
  } else {
    h.mean_heart_dose_source =
        heart == nullptr ? "no heart contour"
                         : (in.model == nullptr ? "no RTDOSE and no department model (rtaudit calibrate)" : "no RTDOSE; the model gave no estimate");
  }

  // ---- Risk
  if (h.mean_heart_dose_gy && in.risk_model != nullptr) {
    h.risk = coronary_risk(*h.mean_heart_dose_gy, in.facts, *in.risk_model);
    h.risk->dose_source = h.mean_heart_dose_source;
  }

  // ---- Constraints
  if (in.constraints != nullptr) {
    const auto lookup = [&](const std::string& structure, const std::string& metric, std::string& why) {
      return lookup_metric(h.dvhs, structure, metric, why);
    };
    for (ConstraintCheck c : check_constraints(*in.constraints, lookup)) {
      if (!c.condition.empty() && c.condition.find("imc") != std::string::npos && !h.imc_irradiated) {
        c.status = ConstraintStatus::NotEvaluable;
        c.reason = "applies to nodal RT including the IMC; no CTVn_IMN in this structure set";
      }
      h.constraints.push_back(std::move(c));
    }
  }
  return h;
}

}  // namespace rtaudit::heart
