#include "rtaudit/compare/surface_distance.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace rtaudit::compare {
namespace {

struct Edge2 {
  double ax, ay, bx, by;
};

std::vector<Edge2> plane_edges(const geom::MultiPolygon& region) {
  std::vector<Edge2> out;
  auto add = [&](const geom::Ring& r) {
    for (std::size_t i = 0; i + 1 < r.size(); ++i) out.push_back({r[i].x(), r[i].y(), r[i + 1].x(), r[i + 1].y()});
  };
  for (const geom::Polygon& p : region) {
    add(p.outer());
    for (const geom::Ring& h : p.inners()) add(h);
  }
  return out;
}

using Interval = std::pair<double, double>;  // parameter range on the reference edge, lo <= hi
constexpr Interval kNone{1.0, 0.0};

Interval hull(Interval x, Interval y) {
  if (x.first > x.second) return y;
  if (y.first > y.second) return x;
  return {std::min(x.first, y.first), std::max(x.second, y.second)};
}
Interval meet(Interval x, Interval y) { return {std::max(x.first, y.first), std::min(x.second, y.second)}; }

// t with lo <= c0 + c1 t <= hi.
Interval linear_range(double c0, double c1, double lo, double hi) {
  if (c1 == 0) return (lo <= c0 && c0 <= hi) ? Interval{-INFINITY, INFINITY} : kNone;
  double t0 = (lo - c0) / c1, t1 = (hi - c0) / c1;
  if (t0 > t1) std::swap(t0, t1);
  return {t0, t1};
}

// t with |p + t d - c| <= r.
Interval disk_range(double px, double py, double dx, double dy, double cx, double cy, double r) {
  const double ex = px - cx, ey = py - cy;
  const double qa = dx * dx + dy * dy, qb = 2 * (ex * dx + ey * dy), qc = ex * ex + ey * ey - r * r;
  if (qa == 0) return qc <= 0 ? Interval{-INFINITY, INFINITY} : kNone;
  const double disc = qb * qb - 4 * qa * qc;
  if (disc < 0) return kNone;
  const double s = std::sqrt(disc);
  return {(-qb - s) / (2 * qa), (-qb + s) / (2 * qa)};
}

// Parameters t in [0, 1] of the reference edge r whose points lie within tol of segment e: the
// line meets the capsule around e (convex) in one interval, the hull of its meeting with the two end
// disks and the central strip.
Interval near_range(const Edge2& r, const Edge2& e, double tol) {
  const double dx = r.bx - r.ax, dy = r.by - r.ay;
  Interval out = hull(disk_range(r.ax, r.ay, dx, dy, e.ax, e.ay, tol), disk_range(r.ax, r.ay, dx, dy, e.bx, e.by, tol));
  const double ux = e.bx - e.ax, uy = e.by - e.ay, ul2 = ux * ux + uy * uy;
  if (ul2 > 0) {
    const double ul = std::sqrt(ul2);
    // projection parameter on e in [0, 1], and |perpendicular offset| <= tol
    const Interval along = linear_range(((r.ax - e.ax) * ux + (r.ay - e.ay) * uy) / ul2, (dx * ux + dy * uy) / ul2, 0, 1);
    const Interval across = linear_range(((r.ax - e.ax) * uy - (r.ay - e.ay) * ux) / ul, (dx * uy - dy * ux) / ul, -tol, tol);
    out = hull(out, meet(along, across));
  }
  return meet(out, {0.0, 1.0});
}

double uncovered_length(const Edge2& r, const std::vector<Edge2>& others, double tol) {
  const double len = std::hypot(r.bx - r.ax, r.by - r.ay);
  if (len == 0) return 0;
  const double rx0 = std::min(r.ax, r.bx) - tol, rx1 = std::max(r.ax, r.bx) + tol;
  const double ry0 = std::min(r.ay, r.by) - tol, ry1 = std::max(r.ay, r.by) + tol;
  std::vector<Interval> covered;
  for (const Edge2& e : others) {
    if (std::max(e.ax, e.bx) < rx0 || std::min(e.ax, e.bx) > rx1 || std::max(e.ay, e.by) < ry0 || std::min(e.ay, e.by) > ry1) continue;
    const Interval i = near_range(r, e, tol);
    if (i.first < i.second) covered.push_back(i);
  }
  std::sort(covered.begin(), covered.end());
  double kept = 0, end = 0;
  for (const Interval& i : covered) {
    if (i.second <= end) continue;
    kept += i.second - std::max(i.first, end);
    end = i.second;
  }
  return len * std::max(0.0, 1.0 - kept);
}

// Distances of every sample to `to`, in sample order.
std::vector<double> distances(const std::vector<geom::SurfaceSample>& from, const geom::SurfaceMesh& to) {
  std::vector<double> d;
  d.reserve(from.size());
  for (const geom::SurfaceSample& s : from) d.push_back(to.distance_mm(s.point));
  return d;
}

DirectedDistance summarize(const std::vector<geom::SurfaceSample>& from, const std::vector<double>& d) {
  DirectedDistance out;
  std::vector<std::pair<double, double>> weighted;  // (distance, weight) of the area samples
  double sum = 0;
  for (std::size_t i = 0; i < from.size(); ++i) {
    out.max_mm = std::max(out.max_mm, d[i]);
    if (from[i].weight_mm2 > 0) {
      weighted.emplace_back(d[i], from[i].weight_mm2);
      out.area_mm2 += from[i].weight_mm2;
      sum += d[i] * from[i].weight_mm2;
    }
  }
  out.samples = weighted.size();
  if (out.area_mm2 > 0) out.mean_mm = sum / out.area_mm2;
  std::sort(weighted.begin(), weighted.end());
  double cumulative = 0;
  for (const auto& [dist, w] : weighted) {
    cumulative += w;
    out.p95_mm = dist;
    if (cumulative >= 0.95 * out.area_mm2) break;
  }
  return out;
}

double area_within(const std::vector<geom::SurfaceSample>& from, const std::vector<double>& d, double tol) {
  double a = 0;
  for (std::size_t i = 0; i < from.size(); ++i) {
    if (d[i] <= tol) a += from[i].weight_mm2;
  }
  return a;
}

}  // namespace

double hd95_plastimatch_mm(const SurfaceDistances& d) { return 0.5 * (d.a_to_b.p95_mm + d.b_to_a.p95_mm); }

DirectedDistance directed_distance(const std::vector<geom::SurfaceSample>& from, const geom::SurfaceMesh& to) {
  return summarize(from, distances(from, to));
}

double added_path_length_mm(const geom::Structure& reference, const geom::Structure& evaluated, double tolerance_mm,
                            double plane_match_tolerance_mm) {
  double total = 0;
  for (const geom::Plane& plane : reference.planes) {
    const geom::Plane* other = nullptr;
    double best = INFINITY;
    for (const geom::Plane& q : evaluated.planes) {  // planes are few; a linear scan is clear and cheap
      const double dz = std::abs(q.z_mm - plane.z_mm);
      if (dz <= plane_match_tolerance_mm && dz < best) {
        best = dz;
        other = &q;
      }
    }
    const std::vector<Edge2> ref = plane_edges(plane.region);
    const std::vector<Edge2> eval = other != nullptr ? plane_edges(other->region) : std::vector<Edge2>{};
    for (const Edge2& r : ref) total += uncovered_length(r, eval, tolerance_mm);
  }
  return total;
}

SurfaceDistanceResult surface_distances(const geom::SurfaceMesh& a, const geom::SurfaceMesh& b,
                                        const SurfaceDistanceOptions& options, const geom::Structure* a_structure,
                                        const geom::Structure* b_structure) {
  SurfaceDistanceResult result;
  if (a.empty() || b.empty()) {
    result.error = SurfaceDistanceError{fmt::format("structure {} has no surface (no plane, or no slab thickness)", a.empty() ? "a" : "b")};
    return result;
  }
  const auto sa = a.sample(options.sampling);
  const auto sb = b.sample(options.sampling);
  const auto dab = distances(sa, b);
  const auto dba = distances(sb, a);

  SurfaceDistances out;
  out.a_to_b = summarize(sa, dab);
  out.b_to_a = summarize(sb, dba);
  out.hausdorff_mm = std::max(out.a_to_b.max_mm, out.b_to_a.max_mm);
  out.hd95_mm = std::max(out.a_to_b.p95_mm, out.b_to_a.p95_mm);
  const double total_area = out.a_to_b.area_mm2 + out.b_to_a.area_mm2;
  out.msd_mm = (out.a_to_b.mean_mm * out.a_to_b.area_mm2 + out.b_to_a.mean_mm * out.b_to_a.area_mm2) / total_area;
  for (double tol : options.surface_dice_tolerances_mm) {
    out.surface_dice.push_back({tol, (area_within(sa, dab, tol) + area_within(sb, dba, tol)) / total_area});
  }
  out.apl_tolerance_mm = options.apl_tolerance_mm;
  if (a_structure != nullptr && b_structure != nullptr) {
    out.added_path_length_mm =
        added_path_length_mm(*a_structure, *b_structure, options.apl_tolerance_mm, options.plane_match_tolerance_mm);
  }
  result.distances = std::move(out);
  return result;
}

SurfaceDistanceResult surface_distances(const geom::Structure& a, const geom::Structure& b, const SurfaceDistanceOptions& options) {
  return surface_distances(geom::SurfaceMesh(a), geom::SurfaceMesh(b), options, &a, &b);
}

}  // namespace rtaudit::compare
