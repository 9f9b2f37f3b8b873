// The DVH (dvh.hpp): exact partial-volume pieces (partial_volume.hpp) with the trilinear dose at
// their centroid, each spread over the dose range its local gradient spans, accumulated into the
// cumulative histogram in O(1) per piece.

#include "rtaudit/dose/dvh.hpp"

#include "rtaudit/dose/partial_volume.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace rtaudit::dose {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// An even number of sub-cells per dose cell, so sub-cell edges run through the voxel centres.
int subdivisions(double spacing, double max_piece) {
  int m = static_cast<int>(std::ceil(spacing / max_piece - 1e-9));
  m = std::max(m, 2);
  return m % 2 == 0 ? m : m + 1;
}

// Index and fraction along one regular axis of voxel centres; clamped outside the centres' box
// (the outer half voxel), where the gradient is zero.
struct AxisPos {
  int i = 0;
  double t = 0;
  bool clamped = false;
};
AxisPos regular_axis(double x, double x0, double d, int n) {
  AxisPos p;
  if (n <= 1) {
    p.clamped = true;
    return p;
  }
  const double f = (x - x0) / d;
  if (f <= 0) {
    p.clamped = f < 0;
    return p;
  }
  if (f >= n - 1) {
    p.i = n - 2;
    p.t = 1;
    p.clamped = f > n - 1;
    return p;
  }
  p.i = std::min(static_cast<int>(f), n - 2);
  p.t = f - p.i;
  return p;
}

struct Sampler {
  const DoseVolume& v;
  double value = 0, gx = 0, gy = 0, gz = 0;

  // Trilinear value and gradient at (x, y, z) (inside the domain).
  void at(double x, double y, double z) {
    const AxisPos ax = regular_axis(x, v.x0_mm, v.dx_mm, v.nx);
    const AxisPos ay = regular_axis(y, v.y0_mm, v.dy_mm, v.ny);
    AxisPos az;
    double dz = 1;
    const int nz = v.nz();
    if (nz <= 1) {
      az.clamped = true;
    } else if (z <= v.z_mm.front()) {
      az.clamped = z < v.z_mm.front();
    } else if (z >= v.z_mm.back()) {
      az.i = nz - 2;
      az.t = 1;
      az.clamped = z > v.z_mm.back();
    } else {
      const auto it = std::upper_bound(v.z_mm.begin(), v.z_mm.end(), z);
      az.i = static_cast<int>(it - v.z_mm.begin()) - 1;
      dz = v.z_mm[static_cast<std::size_t>(az.i) + 1] - v.z_mm[static_cast<std::size_t>(az.i)];
      az.t = (z - v.z_mm[static_cast<std::size_t>(az.i)]) / dz;
    }
    if (nz > 1 && az.clamped) dz = v.z_mm[static_cast<std::size_t>(az.i) + 1] - v.z_mm[static_cast<std::size_t>(az.i)];
    const int i1 = v.nx > 1 ? ax.i + 1 : ax.i, k1 = nz > 1 ? az.i + 1 : az.i;
    const auto g = [&](int i, int j, int k) { return static_cast<double>(v.at(i, j, k)); };
    const int j0 = ay.i, jj = v.ny > 1 ? ay.i + 1 : ay.i;
    const double c000 = g(ax.i, j0, az.i), c100 = g(i1, j0, az.i), c010 = g(ax.i, jj, az.i), c110 = g(i1, jj, az.i);
    const double c001 = g(ax.i, j0, k1), c101 = g(i1, j0, k1), c011 = g(ax.i, jj, k1), c111 = g(i1, jj, k1);
    const double tx = ax.t, ty = ay.t, tz = az.t;
    // Bilinear on each of the two planes, then linear between them.
    const double b0 = (c000 * (1 - tx) + c100 * tx) * (1 - ty) + (c010 * (1 - tx) + c110 * tx) * ty;
    const double b1 = (c001 * (1 - tx) + c101 * tx) * (1 - ty) + (c011 * (1 - tx) + c111 * tx) * ty;
    value = b0 * (1 - tz) + b1 * tz;
    const double dx0 = ((c100 - c000) * (1 - ty) + (c110 - c010) * ty), dx1 = ((c101 - c001) * (1 - ty) + (c111 - c011) * ty);
    const double dy0 = ((c010 - c000) * (1 - tx) + (c110 - c100) * tx), dy1 = ((c011 - c001) * (1 - tx) + (c111 - c101) * tx);
    gx = ax.clamped ? 0.0 : (dx0 * (1 - tz) + dx1 * tz) / v.dx_mm;
    gy = ay.clamped ? 0.0 : (dy0 * (1 - tz) + dy1 * tz) / v.dy_mm;
    gz = az.clamped ? 0.0 : (b1 - b0) / dz;
  }
};

}  // namespace

double Dvh::volume_at_least_cc(double gy) const {
  if (cumulative_cc.empty()) return 0;
  if (!(gy > 0)) return cumulative_cc.front();
  const double f = gy / bin_width_gy;
  const auto k = static_cast<std::size_t>(f);
  if (k + 1 >= cumulative_cc.size()) return cumulative_cc.back();
  const double t = f - static_cast<double>(k);
  return cumulative_cc[k] * (1 - t) + cumulative_cc[k + 1] * t;
}

DvhResult compute_dvh(const geom::Structure& s, const DoseVolume& dose, const DvhOptions& options) {
  DvhResult r;
  r.structure_slab_mm = s.slab_mm;
  r.dose_plane_gap_mm = dose.max_plane_gap_mm();
  if (s.planes.empty() || !(s.slab_mm > 0)) {
    r.error = s.planes.empty() ? "the structure has no plane with area" : "the structure's slab thickness is unknown (single plane)";
    return r;
  }
  if (dose.nx <= 0 || dose.ny <= 0 || dose.nz() <= 0 ||
      dose.gy.size() != static_cast<std::size_t>(dose.nx) * static_cast<std::size_t>(dose.ny) * dose.z_mm.size()) {
    r.error = "the dose grid is empty or inconsistent";
    return r;
  }
  const double max_piece = options.max_sample_spacing_mm > 0 ? options.max_sample_spacing_mm : 1.25;
  const double bw = options.bin_width_gy > 0 ? options.bin_width_gy : 0.01;
  const int mx = subdivisions(dose.dx_mm, max_piece), my = subdivisions(dose.dy_mm, max_piece);
  Lattice lattice;
  lattice.x0_mm = dose.x0_mm - 0.5 * dose.dx_mm;
  lattice.y0_mm = dose.y0_mm - 0.5 * dose.dy_mm;
  lattice.dx_mm = dose.dx_mm / mx;
  lattice.dy_mm = dose.dy_mm / my;

  // Histogram edges e_k = k * bw up to one bin above the largest possible dose.
  const double top = std::max(0.0, dose.max_gy());
  const std::size_t K = static_cast<std::size_t>(std::ceil(top / bw)) + 3;
  // C(e_k) = sum_k' <= k T[k'] + e_k * sum_k' <= k S[k'] + D[k] (see the header: O(1) per piece).
  std::vector<double> S(K + 1, 0.0), T(K + 1, 0.0), D(K + 1, 0.0);
  const auto edge_at_or_above = [&](double x) {  // first k with e_k >= x
    const double k = std::ceil(x / bw - 1e-12);
    return static_cast<std::size_t>(std::clamp(k, 0.0, static_cast<double>(K)));
  };
  const auto edge_above = [&](double x) {  // first k with e_k > x
    const double k = std::floor(x / bw + 1e-12) + 1;
    return static_cast<std::size_t>(std::clamp(k, 0.0, static_cast<double>(K)));
  };

  Sampler sampler{dose};
  const double x_lo = dose.x_lo(), x_hi = dose.x_hi(), y_lo = dose.y_lo(), y_hi = dose.y_hi();
  const double z_lo = dose.z_lo(), z_hi = dose.z_hi();
  double inside = 0, outside = 0, sum_d = 0, dmin = std::numeric_limits<double>::infinity(), dmax = -dmin;
  std::size_t samples = 0;
  for_each_piece(
      s, lattice, max_piece,
      [&](const VolumePiece& p) {
        if (p.x_mm < x_lo || p.x_mm > x_hi || p.y_mm < y_lo || p.y_mm > y_hi || p.z_mm < z_lo || p.z_mm > z_hi) {
          outside += p.volume_mm3;
          return;
        }
        sampler.at(p.x_mm, p.y_mm, p.z_mm);
        const double w = p.volume_mm3;
        const double d0 = sampler.value;
        // The dose's spread over the piece (linear dose: its variance from the piece's exact second
        // moments), taken as a uniform distribution of the same variance: half-width sqrt(3 var).
        const double gx = sampler.gx, gy = sampler.gy, gz = sampler.gz;
        const double var = gx * gx * p.var_x_mm2 + gy * gy * p.var_y_mm2 + 2 * gx * gy * p.cov_xy_mm2 +
                           gz * gz * p.thickness_mm * p.thickness_mm / 12;
        const double h = std::sqrt(3 * std::max(0.0, var));
        const double a = std::max(0.0, d0 - h), b = d0 + h;
        inside += w;
        sum_d += w * d0;
        ++samples;
        dmin = std::min(dmin, a);
        dmax = std::max(dmax, b);
        T[0] += w;
        if (b - a < bw) {
          // Narrow: at most one edge strictly inside (a, b); a point mass when a == b.
          if (b - a <= 0) {
            T[edge_above(a)] -= w;
            return;
          }
          const std::size_t kb = edge_at_or_above(b);
          const std::size_t ka = edge_above(a);
          for (std::size_t k = ka; k < kb; ++k) D[k] += w * (b - static_cast<double>(k) * bw) / (b - a) - w;
          T[kb] -= w;
          return;
        }
        // Uniform on [a, b]: C(e) = w - w ramp(e - a)/(b - a) + w ramp(e - b)/(b - a).
        const double q = w / (b - a);
        const std::size_t ka = edge_above(a), kb = edge_above(b);
        S[ka] -= q;
        T[ka] += q * a;
        S[kb] += q;
        T[kb] -= q * b;
      },
      [&] {
        // Cut at the dose planes (no piece straddles a kink of the trilinear dose) and at the
        // domain's ends (no piece straddles the edge of the grid).
        std::vector<double> cuts = dose.z_mm;
        cuts.push_back(dose.z_lo());
        cuts.push_back(dose.z_hi());
        return cuts;
      }());

  r.contours_coarser_than_dose = dose.nz() > 1 && s.slab_mm > r.dose_plane_gap_mm + 1e-6;
  if (r.contours_coarser_than_dose) {
    r.notes.push_back(fmt::format("contours {:.3g} mm apart, dose planes {:.3g} mm apart: the dose varies within a contour's slab "
                                  "more than between dose planes; shape interpolation between the planes (--interpolate-planes) "
                                  "models the structure between its contours",
                                  s.slab_mm, r.dose_plane_gap_mm));
  }
  const double total = inside + outside;
  if (outside > 1e-9 * std::max(1.0, total)) {
    r.notes.push_back(fmt::format("{:.3f} cc of the structure's {:.3f} cc lie outside the dose grid: not sampled, not "
                                  "extrapolated; percentages are of the {:.3f} cc inside",
                                  outside / 1000, total / 1000, inside / 1000));
  }
  if (!(inside > 0)) {
    r.error = "the structure lies entirely outside the dose grid";
    return r;
  }
  Dvh dvh;
  dvh.bin_width_gy = bw;
  dvh.cumulative_cc.resize(K + 1);
  double s_acc = 0, t_acc = 0;
  for (std::size_t k = 0; k <= K; ++k) {
    s_acc += S[k];
    t_acc += T[k];
    const double c = t_acc + s_acc * static_cast<double>(k) * bw + D[k];
    dvh.cumulative_cc[k] = std::clamp(c, 0.0, inside) / 1000.0;
  }
  // Monotone by construction up to rounding; make it exactly so.
  for (std::size_t k = 1; k <= K; ++k) dvh.cumulative_cc[k] = std::min(dvh.cumulative_cc[k], dvh.cumulative_cc[k - 1]);
  dvh.cumulative_cc[0] = inside / 1000.0;
  dvh.cumulative_cc[K] = 0;
  dvh.structure_volume_cc = total / 1000.0;
  dvh.sampled_volume_cc = inside / 1000.0;
  dvh.outside_grid_cc = outside / 1000.0;
  dvh.min_gy = dmin;
  dvh.max_gy = dmax;
  dvh.mean_gy = sum_d / inside;
  dvh.samples = samples;
  r.dvh = std::move(dvh);
  return r;
}

double dose_at_volume_cc(const Dvh& dvh, double cc) {
  const auto& c = dvh.cumulative_cc;
  if (c.empty() || !(cc >= 0) || cc > dvh.sampled_volume_cc * (1 + 1e-12)) return kNaN;
  if (cc <= 0) return dvh.max_gy;
  if (cc >= c.front()) return dvh.min_gy;
  // First k with c[k] < cc (c is non-increasing), then linear between k - 1 and k.
  const auto it = std::upper_bound(c.begin(), c.end(), cc, [](double v, double ck) { return ck < v; });
  if (it == c.begin()) return dvh.min_gy;
  if (it == c.end()) return dvh.max_gy;
  const auto k = static_cast<std::size_t>(it - c.begin());
  const double c0 = c[k - 1], c1 = c[k];
  const double t = c0 > c1 ? (c0 - cc) / (c0 - c1) : 0.0;
  const double d = (static_cast<double>(k - 1) + t) * dvh.bin_width_gy;
  return std::clamp(d, dvh.min_gy, dvh.max_gy);
}

double dose_at_volume_pct(const Dvh& dvh, double pct) {
  if (!(pct >= 0 && pct <= 100)) return kNaN;
  return dose_at_volume_cc(dvh, pct / 100.0 * dvh.sampled_volume_cc);
}

double volume_at_dose_cc(const Dvh& dvh, double gy) { return dvh.volume_at_least_cc(gy); }

double volume_at_dose_pct(const Dvh& dvh, double gy) {
  return dvh.sampled_volume_cc > 0 ? 100.0 * dvh.volume_at_least_cc(gy) / dvh.sampled_volume_cc : kNaN;
}

StandardMetrics standard_metrics(const Dvh& dvh, const std::vector<double>& v_levels_gy) {
  StandardMetrics m;
  m.mean_gy = dvh.mean_gy;
  m.min_gy = dvh.min_gy;
  m.max_gy = dvh.max_gy;
  m.d0_03cc_gy = dvh.sampled_volume_cc >= 0.03 ? dose_at_volume_cc(dvh, 0.03) : kNaN;
  m.d2_gy = dose_at_volume_pct(dvh, 2);
  m.d50_gy = dose_at_volume_pct(dvh, 50);
  m.d95_gy = dose_at_volume_pct(dvh, 95);
  m.d98_gy = dose_at_volume_pct(dvh, 98);
  for (const double gy : v_levels_gy) m.v.push_back({gy, volume_at_dose_cc(dvh, gy), volume_at_dose_pct(dvh, gy)});
  return m;
}

double evaluate(const Dvh& dvh, const MetricSpec& metric) {
  switch (metric.kind) {
    case MetricSpec::Kind::Mean: return dvh.mean_gy;
    case MetricSpec::Kind::Min: return dvh.min_gy;
    case MetricSpec::Kind::Max: return dvh.max_gy;
    case MetricSpec::Kind::DoseAtVolumeCc: return dose_at_volume_cc(dvh, metric.parameter);
    case MetricSpec::Kind::DoseAtVolumePct: return dose_at_volume_pct(dvh, metric.parameter);
    case MetricSpec::Kind::VolumeAtDoseCc: return volume_at_dose_cc(dvh, metric.parameter);
    case MetricSpec::Kind::VolumeAtDosePct: return volume_at_dose_pct(dvh, metric.parameter);
  }
  return kNaN;
}

}  // namespace rtaudit::dose
