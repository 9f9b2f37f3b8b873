// One case's geographic-miss assessment: points against every CTV, atlas coverage, IMN risk and the
// expected miss. See assessment.hpp.

#include "rtaudit/miss/assessment.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace rtaudit::miss {
namespace {

Probability product(const Probability& a, const Probability& b) {
  Probability p;
  if (a.value && b.value) p.value = *a.value * *b.value;
  p.lo = a.lo * b.lo;
  p.hi = a.hi * b.hi;
  return p;
}

std::string percent(const Probability& p) {
  if (p.value) return fmt::format("{:.1f} % ({:.1f}-{:.1f} %)", 100 * *p.value, 100 * p.lo, 100 * p.hi);
  return fmt::format("no point value ({:.1f}-{:.1f} %)", 100 * p.lo, 100 * p.hi);
}

}  // namespace

MissAssessment assess_miss(const MissInputs& in) {
  MissAssessment out;
  const double lateral = in.landmarks ? in.landmarks->lateral_sign() : 0.0;
  if (lateral == 0 && !in.points.empty())
    out.notes.push_back("treated side unknown: medial/lateral borders are named with lateral = +x (patient's left)");

  // ---- CTVs prepared once (surface mesh and AABB tree).
  std::vector<CtvTarget> targets;
  std::vector<std::size_t> target_of;  // index into in.ctvs
  for (std::size_t i = 0; i < in.ctvs.size(); ++i) {
    const CtvInput& c = in.ctvs[i];
    CtvMiss m;
    m.key = c.key;
    m.label = c.label;
    m.guideline_id = c.guideline_id;
    if (c.structure == nullptr || c.structure->planes.empty()) {
      m.not_evaluable = c.not_evaluable.empty() ? "no structure" : c.not_evaluable;
    } else {
      targets.emplace_back(c.key, *c.structure);
      target_of.push_back(i);
    }
    out.ctvs.push_back(std::move(m));
  }

  // ---- Points.
  for (const PointInput& p : in.points) {
    PointResult r;
    r.point = p;
    if (in.landmarks != nullptr) {
      r.ics = anatomy::ics_at(*in.landmarks, p.position_mm.z);
      if (!r.ics) r.ics_note = in.landmarks->ics.empty() ? "no intercostal space found (ribs not contoured)"
                                                         : "outside every intercostal space found";
    }
    const Lesion lesion{p.position_mm, p.radius_mm};
    for (std::size_t t = 0; t < targets.size(); ++t) {
      PointVsCtv v = classify(targets[t], lesion, lateral, in.dose, in.prescription_gy, in.classify);
      CtvMiss& m = out.ctvs[target_of[t]];
      if (p.kind == "recurrence") {
        (v.classification == PointClass::InField ? m.in_field : v.classification == PointClass::Marginal ? m.marginal : m.outside)++;
      } else if (v.classification != PointClass::InField) {
        m.findings.push_back(fmt::format("{} {} is {} {} ({:.1f} mm from its surface)", p.kind == "sentinel_node" ? "IM sentinel node" : "suspicious node",
                                         p.id, to_string(v.classification), m.label, v.geometry.signed_distance_mm));
      }
      r.vs.push_back(std::move(v));
    }
    out.points.push_back(std::move(r));
  }

  // ---- Atlas: mapped once, coverage per CTV.
  if (in.atlas == nullptr || in.atlas_nodes == nullptr) {
    out.not_evaluable.push_back("node atlas: not loaded");
  } else if (in.landmarks == nullptr || in.im_vein == nullptr || in.im_vein->planes.empty()) {
    out.not_evaluable.push_back("node atlas: no treated-side IM vein to map it onto");
  } else {
    out.atlas_mapping = map_atlas(*in.atlas_nodes, *in.landmarks, *in.im_vein);
    if (!out.atlas_mapping->not_evaluable.empty()) out.not_evaluable.push_back("node atlas: " + out.atlas_mapping->not_evaluable);
    for (std::size_t t = 0; t < targets.size(); ++t) {
      if (!out.atlas_mapping->not_evaluable.empty()) break;
      out.ctvs[target_of[t]].coverage = atlas_coverage(*out.atlas_mapping, targets[t].structure(), *in.atlas);
    }
  }

  // ---- IMN involvement: factors, then imaging.
  if (in.risk_model == nullptr) {
    out.not_evaluable.push_back("IMN involvement: risk model not loaded");
  } else {
    out.risk = estimate_imn_risk(in.facts, *in.risk_model);
    Probability p = out.risk->probability;
    out.involvement_basis = "patient factors: " + (out.risk->basis.empty() ? std::string("no table complete") : out.risk->basis);
    if (!in.facts.imn_imaging.empty()) {
      if (in.imaging == nullptr) {
        out.notes.push_back("IMN imaging findings given but the imaging table is not loaded: not used");
      } else {
        out.imaging = update_with_imaging(p, in.facts.imn_imaging, *in.imaging);
        p = out.imaging->posterior;
        out.involvement_basis += fmt::format("; updated by {} imaging finding(s) (Bayes)", in.facts.imn_imaging.size());
      }
    }
    out.involvement = p;
    out.miss_without_imc = p;
  }

  // ---- Expected miss per CTV.
  for (CtvMiss& m : out.ctvs) {
    if (!m.coverage || !out.involvement) {
      m.miss_basis = !out.involvement ? "IMN involvement not estimated" : "atlas coverage not evaluable";
      continue;
    }
    if (!m.coverage->covered_share) {
      m.miss_basis = "atlas coverage not evaluable: " + m.coverage->not_evaluable;
      continue;
    }
    m.expected_miss = product(*out.involvement, m.coverage->uncovered);
    m.miss_basis = fmt::format("P(IMN involvement) {} x uncovered atlas share {}", percent(*out.involvement),
                               percent(m.coverage->uncovered));
  }

  // ---- Which guideline fits.
  if (in.fit_rules == nullptr) out.not_evaluable.push_back("guideline fit: rules not loaded");
  else out.fit = fit_guideline(in.facts, *in.fit_rules, in.audited_guidelines);
  return out;
}

}  // namespace rtaudit::miss
