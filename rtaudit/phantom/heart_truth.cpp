#include "rtaudit/phantom/heart_truth.hpp"

#include "rtaudit/geom/region_ops.hpp"
#include "rtaudit/plan/beam_geometry.hpp"


#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

namespace rtaudit::phantom {
namespace {

double round3(double v) { return std::round(v * 1000) / 1000; }

// Even-odd point-in-region test on the plane's rings (the plane model's containment; boundary
// points are measure zero for the lattice).
bool inside(const geom::MultiPolygon& region, double x, double y) {
  bool in = false;
  const auto ring_test = [&](const geom::Ring& r) {
    for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) {
      const double xi = r[i].x(), yi = r[i].y(), xj = r[j].x(), yj = r[j].y();
      if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) in = !in;
    }
  };
  for (const auto& poly : region) {
    ring_test(poly.outer());
    for (const auto& h : poly.inners()) ring_test(h);
  }
  return in;
}

double quantile_dose(const std::vector<double>& sorted_desc, double pct) {
  // D x%: the dose that x% of the points receive at least (nearest rank on the descending list).
  if (sorted_desc.empty()) return NAN;
  const double rank = pct / 100.0 * static_cast<double>(sorted_desc.size());
  const auto k = static_cast<std::size_t>(std::clamp(std::ceil(rank) - 1, 0.0, static_cast<double>(sorted_desc.size() - 1)));
  return sorted_desc[k];
}

}  // namespace

nlohmann::ordered_json sampled_dose_metrics(const DoseModel& dose, const geom::Structure& s, double h) {
  std::vector<double> d;
  if (s.planes.empty() || s.slab_mm <= 0) return nullptr;
  // Sub-levels in z: the slab cut into pieces of at most h, each sampled at its centre.
  const int nz = std::max(1, static_cast<int>(std::ceil(s.slab_mm / h - 1e-9)));
  for (const auto& p : s.planes) {
    double xmin = std::numeric_limits<double>::infinity(), ymin = xmin, xmax = -xmin, ymax = -xmin;
    for (const auto& poly : p.region) {
      for (const auto& v : poly.outer()) {
        xmin = std::min(xmin, v.x());
        xmax = std::max(xmax, v.x());
        ymin = std::min(ymin, v.y());
        ymax = std::max(ymax, v.y());
      }
    }
    // The lattice is anchored at multiples of h offset by h/2, independent of the dose grid.
    const double x0 = (std::floor(xmin / h) + 0.5) * h;
    const double y0 = (std::floor(ymin / h) + 0.5) * h;
    for (double y = y0; y <= ymax; y += h) {
      for (double x = x0; x <= xmax; x += h) {
        if (!inside(p.region, x, y)) continue;
        for (int k = 0; k < nz; ++k) {
          const double z = p.z_mm - 0.5 * s.slab_mm + (k + 0.5) * s.slab_mm / nz;
          d.push_back(dose.dose_gy({x, y, z}));
        }
      }
    }
  }
  if (d.empty()) return nullptr;
  std::sort(d.begin(), d.end(), std::greater<>());
  double sum = 0;
  for (const double v : d) sum += v;
  const auto v_pct = [&](double gy) {
    const auto n = std::count_if(d.begin(), d.end(), [&](double v) { return v >= gy; });
    return round3(100.0 * static_cast<double>(n) / static_cast<double>(d.size()));
  };
  return {{"method", "continuous analytic dose (DoseModel::dose_gy) at the points of a regular lattice inside the plane model"},
          {"lattice_mm", h},
          {"points", d.size()},
          {"mean_gy", round3(sum / static_cast<double>(d.size()))},
          {"min_gy", round3(d.back())},
          {"max_gy", round3(d.front())},
          {"d2_pct_gy", round3(quantile_dose(d, 2))},
          {"d50_pct_gy", round3(quantile_dose(d, 50))},
          {"d95_pct_gy", round3(quantile_dose(d, 95))},
          {"d98_pct_gy", round3(quantile_dose(d, 98))},
          {"v5gy_pct", v_pct(5)},
          {"v10gy_pct", v_pct(10)},
          {"v20gy_pct", v_pct(20)},
          {"v25gy_pct", v_pct(25)}};
}

std::optional<double> solid_distance_mm(const geom::Structure& a, const geom::Structure& b) {
  if (a.planes.empty() || b.planes.empty() || a.slab_mm <= 0 || b.slab_mm <= 0) return std::nullopt;
  double best = std::numeric_limits<double>::infinity();
  for (const auto& pa : a.planes) {
    for (const auto& pb : b.planes) {
      const double lo = std::max(pa.z_mm - 0.5 * a.slab_mm, pb.z_mm - 0.5 * b.slab_mm);
      const double hi = std::min(pa.z_mm + 0.5 * a.slab_mm, pb.z_mm + 0.5 * b.slab_mm);
      const double dz = std::max(0.0, lo - hi);
      if (dz >= best) continue;
      const double d2 = geom::ops::distance(pa.region, pb.region);
      best = std::min(best, std::hypot(d2, dz));
    }
  }
  return best;
}

double vertex_max_heart_distance_mm(const Beam& beam, const geom::Structure& heart) {
  const plan::BeamFrame f = plan::beam_frame(beam);
  // The posterior X edge: the jaw whose point at BEV (x, 0) on the isocentre plane is more posterior (+y).
  const plan::Vec3 e1 = plan::bev_to_patient(f, {beam.x1_mm, 0, f.sad_mm});
  const plan::Vec3 e2 = plan::bev_to_patient(f, {beam.x2_mm, 0, f.sad_mm});
  const bool x1_posterior = e1.y > e2.y;
  double mhd = 0;
  for (const auto& p : heart.planes) {
    for (const double dz : {-0.5 * heart.slab_mm, 0.0, 0.5 * heart.slab_mm}) {
      for (const auto& poly : p.region) {
        for (const auto& v : poly.outer()) {
          const plan::BevPoint b = plan::project_to_bev(f, {v.x(), v.y(), p.z_mm + dz});
          if (!plan::in_aperture(beam, b.x_mm, b.y_mm)) continue;
          mhd = std::max(mhd, x1_posterior ? b.x_mm - beam.x1_mm : beam.x2_mm - b.x_mm);
        }
      }
    }
  }
  return mhd;
}

nlohmann::ordered_json heart_truth(const HeartTruthInputs& in) {
  nlohmann::ordered_json t;
  const auto dist = [](const geom::Structure* a, const geom::Structure* b) -> nlohmann::ordered_json {
    if (a == nullptr || b == nullptr) return nullptr;
    const auto d = solid_distance_mm(*a, *b);
    return d ? nlohmann::ordered_json(round3(*d)) : nlohmann::ordered_json(nullptr);
  };
  t["distances_mm"] = {{"method", "exact distance between slab-model solids: min over prism pairs of hypot(2-D region distance, z gap)"},
                       {"ctvn_imn_heart", dist(in.ctvn_imn, in.heart)},
                       {"ctvn_imn_lad", dist(in.ctvn_imn, in.lad)},
                       {"ptv_breast_heart", dist(in.ptv_breast, in.heart)},
                       {"ptvn_imn_heart", dist(in.ptvn_imn, in.heart)}};
  if (in.dose != nullptr) {
    nlohmann::ordered_json dvh;
    if (in.heart) dvh["heart"] = sampled_dose_metrics(*in.dose, *in.heart, in.lattice_mm);
    if (in.lad) dvh["lad"] = sampled_dose_metrics(*in.dose, *in.lad, 0.5 * in.lattice_mm);
    if (in.lung_ipsilateral) dvh["lung_ipsilateral"] = sampled_dose_metrics(*in.dose, *in.lung_ipsilateral, 2 * in.lattice_mm);
    t["dose"] = dvh;
  }
  if (in.plan != nullptr && in.heart != nullptr) {
    nlohmann::ordered_json beams = nlohmann::ordered_json::array();
    for (const Beam& b : in.plan->beams) {
      const double g = b.gantry_deg * std::numbers::pi / 180;
      const bool tangential = std::abs(std::sin(g)) > std::cos(std::numbers::pi / 4);
      beams.push_back({{"beam_number", b.number}, {"beam_name", b.name}, {"tangential", tangential},
                       {"max_heart_distance_mm", tangential ? nlohmann::ordered_json(round3(vertex_max_heart_distance_mm(b, *in.heart)))
                                                            : nlohmann::ordered_json(nullptr)}});
    }
    t["beams"] = beams;
    t["beams_method"] = "MHD from the heart's contour vertices (plane and slab faces) projected into the BEV, from the posterior X jaw";
  }
  return t;
}

}  // namespace rtaudit::phantom
