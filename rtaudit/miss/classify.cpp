// Points against CTVs: exact signed distance (AABB tree on the slab-stack surface), nearest border,
// dose shares and the in-field / marginal / outside class. See classify.hpp for the conventions.

#include "rtaudit/miss/classify.hpp"

#include "rtaudit/dose/dvh.hpp"
#include "rtaudit/geom/region_ops.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <thread>

namespace rtaudit::miss {

std::string_view to_string(PointClass c) {
  switch (c) {
    case PointClass::InField: return "in-field";
    case PointClass::Marginal: return "marginal";
    case PointClass::Outside: return "outside";
  }
  return "unknown";
}

std::string_view to_string(NearestBorder b) {
  switch (b) {
    case NearestBorder::Cranial: return "cranial";
    case NearestBorder::Caudal: return "caudal";
    case NearestBorder::Medial: return "medial";
    case NearestBorder::Lateral: return "lateral";
    case NearestBorder::Ventral: return "ventral";
    case NearestBorder::Dorsal: return "dorsal";
  }
  return "unknown";
}

CtvTarget::CtvTarget(std::string label, const geom::Structure& structure)
    : label_(std::move(label)), structure_(structure), surface_(structure) {}

namespace {

// The border a direction (outward, patient axes) points through: its largest component decides.
NearestBorder border_of(const geom::Point3& d, double lateral_sign) {
  const double ax = std::abs(d.x), ay = std::abs(d.y), az = std::abs(d.z);
  if (az >= ax && az >= ay) return d.z >= 0 ? NearestBorder::Cranial : NearestBorder::Caudal;
  if (ay >= ax) return d.y >= 0 ? NearestBorder::Dorsal : NearestBorder::Ventral;
  const double sign = lateral_sign == 0 ? 1.0 : lateral_sign;
  return d.x * sign >= 0 ? NearestBorder::Lateral : NearestBorder::Medial;
}

// Below this the point is on the surface and the direction to it is noise: use the face normal.
constexpr double kOnSurfaceMm = 1e-9;

}  // namespace

PointGeometry locate(const CtvTarget& ctv, const geom::Point3& p, double lateral_sign) {
  std::optional<std::size_t> hint;
  return locate(ctv, p, lateral_sign, hint);
}

PointGeometry locate(const CtvTarget& ctv, const geom::Point3& p, double lateral_sign, std::optional<std::size_t>& hint) {
  PointGeometry g;
  const auto c = ctv.surface().closest(p, hint);
  if (c) hint = c->face;
  if (!c) {
    g.signed_distance_mm = std::numeric_limits<double>::infinity();
    return g;
  }
  // Inside or not: from the nearest face when the nearest point lies inside it and the point is off
  // the surface (unambiguous: the face's plane separates), else point-in-solid on the planes.
  const double side = (p.x - c->point.x) * c->normal.x + (p.y - c->point.y) * c->normal.y + (p.z - c->point.z) * c->normal.z;
  g.inside = c->on_face_interior && c->distance_mm > kOnSurfaceMm ? side < 0 : geom::contains(ctv.structure(), p);
  g.signed_distance_mm = g.inside ? -c->distance_mm : c->distance_mm;
  g.nearest_point = c->point;
  geom::Point3 outward = c->normal;
  if (c->distance_mm > kOnSurfaceMm) {
    // From an inside point the nearest surface point lies outward of it; from an outside point the
    // point itself lies outward of its nearest surface point.
    const double s = g.inside ? 1.0 : -1.0;
    outward = geom::Point3{s * (c->point.x - p.x), s * (c->point.y - p.y), s * (c->point.z - p.z)};
  }
  g.nearest_border = border_of(outward, lateral_sign);
  return g;
}

std::vector<PointGeometry> locate_all(const CtvTarget& ctv, std::span<const geom::Point3> points, double lateral_sign,
                                      unsigned threads) {
  std::vector<PointGeometry> out(points.size());
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(1, points.size() / 256)));
  // Build the tree before the workers share it (its construction is once-only but serialised).
  if (!points.empty()) (void)ctv.surface().closest(points.front());
  // Morton order over a 0.5 mm lattice of the points' bounding box: neighbours in the order are
  // neighbours in space, so each query's search starts from a tight bound.
  std::vector<std::pair<std::uint64_t, std::size_t>> order(points.size());
  {
    geom::Point3 lo{std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
    for (const auto& p : points) lo = {std::min(lo.x, p.x), std::min(lo.y, p.y), std::min(lo.z, p.z)};
    const auto spread = [](std::uint64_t v) {  // 21 bits -> every third bit
      v &= 0x1FFFFF;
      v = (v | v << 32) & 0x1F00000000FFFFULL;
      v = (v | v << 16) & 0x1F0000FF0000FFULL;
      v = (v | v << 8) & 0x100F00F00F00F00FULL;
      v = (v | v << 4) & 0x10C30C30C30C30C3ULL;
      v = (v | v << 2) & 0x1249249249249249ULL;
      return v;
    };
    const auto cell = [](double d) { return static_cast<std::uint64_t>(std::clamp(d / 0.5, 0.0, 2097151.0)); };
    for (std::size_t i = 0; i < points.size(); ++i) {
      const auto& p = points[i];
      order[i] = {spread(cell(p.x - lo.x)) | spread(cell(p.y - lo.y)) << 1 | spread(cell(p.z - lo.z)) << 2, i};
    }
    std::sort(order.begin(), order.end());
  }
  const auto work = [&](std::size_t begin, std::size_t end) {
    std::optional<std::size_t> hint;
    for (std::size_t k = begin; k < end; ++k) {
      const std::size_t i = order[k].second;
      out[i] = locate(ctv, points[i], lateral_sign, hint);
    }
  };
  if (threads <= 1) {
    work(0, points.size());
    return out;
  }
  std::vector<std::jthread> pool;
  const std::size_t chunk = (points.size() + threads - 1) / threads;
  for (unsigned t = 0; t < threads; ++t) {
    const std::size_t b = std::min(points.size(), t * chunk), e = std::min(points.size(), b + chunk);
    if (b < e) pool.emplace_back(work, b, e);
  }
  return out;
}

double sphere_radius_mm(double volume_cc) {
  if (!(volume_cc > 0)) return 0;
  return std::cbrt(3.0 * volume_cc * 1000.0 / (4.0 * std::numbers::pi));
}

namespace {

// A sphere as a slab stack whose slabs tile [z - r, z + r]; each plane's circle has the area of the
// sphere's cross-section at the slab's centre, so the stack's volume is the midpoint rule's.
geom::Structure sphere_structure(const geom::Point3& c, double r, double spacing) {
  geom::Structure s;
  const int n = std::max(2, static_cast<int>(std::ceil(r / std::max(spacing, 1e-3))));
  const double slab = r / n;
  constexpr int kVertices = 64;
  // Area of a regular n-gon of circumradius R is (n/2) R^2 sin(2 pi / n): scale R so it equals pi rho^2.
  const double area_scale = std::sqrt(std::numbers::pi / (0.5 * kVertices * std::sin(2 * std::numbers::pi / kVertices)));
  for (int k = -n; k < n; ++k) {
    const double dz = (k + 0.5) * slab;
    const double rho = std::sqrt(std::max(0.0, r * r - dz * dz));
    geom::Plane plane;
    plane.z_mm = c.z + dz;
    plane.region = geom::ops::ellipse(c.x, c.y, rho * area_scale, rho * area_scale, kVertices);
    plane.area_mm2 = geom::ops::area(plane.region);
    s.planes.push_back(std::move(plane));
  }
  s.slab_mm = slab;
  return s;
}

}  // namespace

std::optional<DoseShares> lesion_dose(const Lesion& lesion, const dose::DoseVolume& dose, double prescription_gy,
                                      const DoseClassOptions& options) {
  const geom::Point3& c = lesion.centre;
  if (!dose::covers(dose, c.x, c.y, c.z)) return std::nullopt;
  DoseShares d;
  d.prescription_gy = prescription_gy;
  d.centre_dose_gy = dose::sample(dose, c.x, c.y, c.z);
  const double high = prescription_gy * options.high_level_pct / 100.0;
  const double low = prescription_gy * options.low_level_pct / 100.0;
  if (lesion.radius_mm && *lesion.radius_mm > 0) {
    const double r = *lesion.radius_mm;
    const geom::Structure sphere = sphere_structure(c, r, options.sphere_plane_spacing_mm);
    dose::DvhOptions o;
    o.max_sample_spacing_mm = std::clamp(r / 10, 0.1, 0.5);  // a lesion is small: sample it finely
    const dose::DvhResult res = dose::compute_dvh(sphere, dose, o);
    if (!res.dvh) {
      d.method = fmt::format("sphere r = {:.1f} mm: no DVH ({}); centre dose only", r, res.error);
      return d;
    }
    const dose::Dvh& dvh = *res.dvh;
    d.complete = dvh.complete();
    if (dvh.sampled_volume_cc > 0) {
      d.share_high_pct = dose::volume_at_dose_pct(dvh, high);
      d.share_low_pct = dose::volume_at_dose_pct(dvh, low);
      d.min_gy = dvh.min_gy;
      d.mean_gy = dvh.mean_gy;
      d.max_gy = dvh.max_gy;
    }
    d.method = fmt::format("sphere r = {:.1f} mm, exact partial-volume DVH", r);
    if (!d.complete) d.method += fmt::format(" ({:.2f} cc outside the dose grid: shares of the part inside)", dvh.outside_grid_cc);
  } else {
    d.share_high_pct = *d.centre_dose_gy >= high ? 100.0 : 0.0;
    d.share_low_pct = *d.centre_dose_gy >= low ? 100.0 : 0.0;
    d.method = "centre dose (no lesion size given)";
  }
  return d;
}

PointVsCtv classify(const CtvTarget& ctv, const Lesion& lesion, double lateral_sign, const dose::DoseVolume* dose,
                    double prescription_gy, const ClassifyOptions& options) {
  PointVsCtv r;
  r.ctv = ctv.label();
  r.geometry = locate(ctv, lesion.centre, lateral_sign);
  r.marginal_distance_mm = std::max(options.marginal_margin_mm, lesion.radius_mm.value_or(0.0));
  if (r.geometry.inside) r.distance_class = PointClass::InField;
  else if (r.geometry.signed_distance_mm <= r.marginal_distance_mm) r.distance_class = PointClass::Marginal;
  else r.distance_class = PointClass::Outside;
  r.classification = r.distance_class;
  r.basis = fmt::format("distance (inside; outside within {:.1f} mm: marginal; beyond: outside)", r.marginal_distance_mm);
  if (dose == nullptr) return r;
  if (!(prescription_gy > 0)) {
    r.basis += "; dose not used: prescription unknown";
    return r;
  }
  r.dose = lesion_dose(lesion, *dose, prescription_gy, options.dose);
  if (!r.dose) {
    r.basis += "; dose not used: the lesion's centre lies outside the dose grid";
    return r;
  }
  const DoseClassOptions& o = options.dose;
  if (lesion.radius_mm && *lesion.radius_mm > 0 && r.dose->share_high_pct && r.dose->share_low_pct) {
    const double high = *r.dose->share_high_pct, low = *r.dose->share_low_pct;
    r.dose_class = high >= o.in_field_share_pct ? PointClass::InField
                   : low >= o.marginal_share_pct ? PointClass::Marginal
                                                 : PointClass::Outside;
    r.basis = fmt::format("dose: {:.1f} % of the lesion within the {:g} % isodose, {:.1f} % within the {:g} % isodose "
                          "(in-field: >= {:g} % within the {:g} % isodose, Dawson et al. 2000; outside: < {:g} % within the {:g} % isodose)",
                          high, o.high_level_pct, low, o.low_level_pct, o.in_field_share_pct, o.high_level_pct, o.marginal_share_pct,
                          o.low_level_pct);
  } else {
    const double pct = 100.0 * r.dose->centre_dose_gy.value_or(0) / prescription_gy;
    r.dose_class = pct >= o.high_level_pct ? PointClass::InField : pct >= o.low_level_pct ? PointClass::Marginal : PointClass::Outside;
    r.basis = fmt::format("dose at the centre: {:.1f} % of the prescription (in-field >= {:g} %, marginal >= {:g} %)", pct,
                          o.high_level_pct, o.low_level_pct);
  }
  r.classification = *r.dose_class;
  return r;
}

}  // namespace rtaudit::miss
