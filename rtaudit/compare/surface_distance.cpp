#include "rtaudit/compare/surface_distance.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
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

// ---- Exact distance to a slab stack's surface from its planes (no triangles) -------------------
//
// The surface of a slab stack (geom/surface.hpp) is the union of its walls, each ring edge of plane
// k extruded over the plane's z-extent, and its caps at the extent boundaries: where the region
// below a boundary and the region above it differ (even-odd). So, for a point p,
//   d(p)² = min( min over planes k of D_k(p.xy)² + dz_k(p.z)²,
//                min over the caps that contain p.xy of (p.z - z_cap)² ),
// D_k the in-plane distance to plane k's ring edges, dz_k the distance from p.z to plane k's extent.
// A cap that does not contain p.xy can be left out: its nearest point to p is then on its border,
// which lies on the rim of a wall at z_cap, already counted.
//
// That is the distance the AABB tree over the mesh's triangles gives, since the triangles tile these
// walls and caps (on the phantom's CTV/PTV pairs the two agree to 1e-13 mm, except at 14 samples
// near a cap where the mesh's triangulation of two planes with collinear, interleaved vertices
// covers a sliver more: 0.0025 mm at most), from 2-D queries on the plane polygons instead of 3-D
// queries on ~10^4 triangles: 3.8 to 14 times faster on the pairs tried. The AABB queries were 85 %
// of `rtaudit compare`'s time (perf; docs/benchmarks.md).

struct Segment {
  double ax, ay, bx, by;
};

double squared(double v) { return v * v; }

double segment_distance2(const Segment& s, double x, double y) {
  const double dx = s.bx - s.ax, dy = s.by - s.ay;
  const double px = x - s.ax, py = y - s.ay;
  const double len2 = dx * dx + dy * dy;
  const double t = len2 > 0 ? std::clamp((px * dx + py * dy) / len2, 0.0, 1.0) : 0.0;
  return squared(px - t * dx) + squared(py - t * dy);
}

// A bounding-volume hierarchy over the ring edges of one plane: nearest edge within a bound, and
// even-odd inside tests (a ray to +x).
class EdgeTree {
 public:
  explicit EdgeTree(std::vector<Segment> segments) : segments_(std::move(segments)) {
    if (!segments_.empty()) build(0, static_cast<std::uint32_t>(segments_.size()));
  }

  /// The squared distance from (x, y) to the nearest edge when it is below `bound2`, else +inf.
  [[nodiscard]] double nearest2(double x, double y, double bound2) const {
    double best = bound2;
    bool found = false;
    if (nodes_.empty() || box_distance2(nodes_[0], x, y) >= best) return kInf;
    Pending stack[kStack];  // NOLINT: a plain array, left uninitialised (filled before it is read)
    std::size_t top = 0;
    stack[top++] = {0, 0.0};
    while (top > 0) {
      const Pending next = stack[--top];
      if (next.d2 >= best) continue;
      const Node& node = nodes_[next.index];
      if (node.left == kLeaf) {
        for (std::uint32_t i = node.begin; i < node.end; ++i) {
          const double e2 = segment_distance2(segments_[i], x, y);
          if (e2 < best) {
            best = e2;
            found = true;
          }
        }
        continue;
      }
      const double dl = box_distance2(nodes_[node.left], x, y), dr = box_distance2(nodes_[node.right], x, y);
      // The nearer child is popped first; the farther one is often pruned by then.
      if (dl <= dr) {
        if (dr < best) stack[top++] = {node.right, dr};
        if (dl < best) stack[top++] = {node.left, dl};
      } else {
        if (dl < best) stack[top++] = {node.left, dl};
        if (dr < best) stack[top++] = {node.right, dr};
      }
    }
    return found ? best : kInf;
  }

  /// Even-odd parity of the edges crossed by the ray from (x, y) to +x: true inside the region.
  [[nodiscard]] bool inside(double x, double y) const {
    if (nodes_.empty()) return false;
    bool in = false;
    std::uint32_t stack[kStack];  // NOLINT: a plain array, left uninitialised (filled before it is read)
    std::size_t top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const Node& node = nodes_[stack[--top]];
      if (y < node.y0 || y > node.y1 || x > node.x1) continue;
      if (node.left == kLeaf) {
        for (std::uint32_t i = node.begin; i < node.end; ++i) {
          const Segment& s = segments_[i];
          if ((s.ay > y) != (s.by > y) && x < s.ax + (y - s.ay) * (s.bx - s.ax) / (s.by - s.ay)) in = !in;
        }
        continue;
      }
      stack[top++] = node.left;
      stack[top++] = node.right;
    }
    return in;
  }

 private:
  static constexpr double kInf = std::numeric_limits<double>::infinity();
  static constexpr std::uint32_t kLeaf = 0;  // the root is never a child, so 0 marks a leaf
  static constexpr std::uint32_t kLeafSize = 4;
  // Median splits give a depth of at most log2(n / kLeafSize) + 1; the stack holds depth + 1 entries.
  static constexpr std::size_t kStack = 72;

  struct Pending {
    std::uint32_t index;
    double d2;
  };
  struct Node {
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    std::uint32_t begin = 0, end = 0;
    std::uint32_t left = kLeaf, right = kLeaf;
  };

  static double box_distance2(const Node& n, double x, double y) {
    const double dx = std::max(std::max(n.x0 - x, x - n.x1), 0.0);
    const double dy = std::max(std::max(n.y0 - y, y - n.y1), 0.0);
    return dx * dx + dy * dy;
  }

  std::uint32_t build(std::uint32_t begin, std::uint32_t end) {
    const auto index = static_cast<std::uint32_t>(nodes_.size());
    nodes_.emplace_back();
    Node node;
    node.begin = begin;
    node.end = end;
    node.x0 = node.y0 = kInf;
    node.x1 = node.y1 = -kInf;
    double cx0 = kInf, cy0 = kInf, cx1 = -kInf, cy1 = -kInf;  // extent of the edge midpoints
    for (std::uint32_t i = begin; i < end; ++i) {
      const Segment& s = segments_[i];
      node.x0 = std::min({node.x0, s.ax, s.bx});
      node.x1 = std::max({node.x1, s.ax, s.bx});
      node.y0 = std::min({node.y0, s.ay, s.by});
      node.y1 = std::max({node.y1, s.ay, s.by});
      const double mx = 0.5 * (s.ax + s.bx), my = 0.5 * (s.ay + s.by);
      cx0 = std::min(cx0, mx);
      cx1 = std::max(cx1, mx);
      cy0 = std::min(cy0, my);
      cy1 = std::max(cy1, my);
    }
    if (end - begin > kLeafSize) {
      const bool split_x = cx1 - cx0 >= cy1 - cy0;
      const std::uint32_t mid = begin + (end - begin) / 2;
      std::nth_element(segments_.begin() + begin, segments_.begin() + mid, segments_.begin() + end,
                       [split_x](const Segment& p, const Segment& q) {
                         return split_x ? p.ax + p.bx < q.ax + q.bx : p.ay + p.by < q.ay + q.by;
                       });
      node.left = build(begin, mid);
      node.right = build(mid, end);
    }
    nodes_[index] = node;
    return index;
  }

  std::vector<Segment> segments_;
  std::vector<Node> nodes_;
};

class SlabStackDistance {
 public:
  explicit SlabStackDistance(const geom::Structure& s) {
    const std::vector<geom::SlabExtent> ext = geom::slab_extents(s);
    if (ext.empty()) return;
    for (std::size_t k = 0; k < s.planes.size(); ++k) {
      std::vector<Segment> segments;
      for (const Edge2& e : plane_edges(s.planes[k].region)) {
        if (e.ax == e.bx && e.ay == e.by) continue;  // zero-length edge: no wall (as in the mesh)
        segments.push_back({e.ax, e.ay, e.bx, e.by});
      }
      planes_.push_back({ext[k].z_lo_mm, ext[k].z_hi_mm, EdgeTree(std::move(segments))});
    }

    // The cap levels exactly as geom::SurfaceMesh builds them (ascending z).
    const long n = static_cast<long>(ext.size());
    levels_.push_back({ext[0].z_lo_mm, -1, 0});
    for (long k = 0; k < n; ++k) {
      const auto uk = static_cast<std::size_t>(k);
      if (k + 1 < n && ext[uk].z_hi_mm == ext[uk + 1].z_lo_mm) {
        levels_.push_back({ext[uk].z_hi_mm, k, k + 1});
      } else {
        levels_.push_back({ext[uk].z_hi_mm, k, -1});
        if (k + 1 < n) levels_.push_back({ext[uk + 1].z_lo_mm, -1, k + 1});
      }
    }
  }

  /// Distance (mm) from p to the surface. `bound_mm` must be at least the true distance (it only
  /// prunes the search); +inf when nothing is known.
  [[nodiscard]] double distance_mm(const geom::Point3& p, double bound_mm) const {
    const double d2 = distance2(p, bound_mm * bound_mm);
    return std::isfinite(d2) ? std::sqrt(d2) : std::sqrt(distance2(p, kInf));  // a bound too tight by rounding
  }

 private:
  static constexpr double kInf = std::numeric_limits<double>::infinity();

  struct PlaneIndex {
    double z_lo_mm, z_hi_mm;
    EdgeTree edges;
  };
  struct Level {
    double z_mm;
    long below, above;  // plane indices, -1 for none
  };

  // Distance in z from z to plane k's extent.
  [[nodiscard]] double dz_to(std::size_t k, double z) const {
    return std::max({0.0, planes_[k].z_lo_mm - z, z - planes_[k].z_hi_mm});
  }

  // Whether (x, y) is in the cap between planes `first` and `second` (either -1 for none): in one
  // region, not in both. Walking outward level by level the plane nearer the previous level is
  // passed first; `memo` keeps its answer, so each plane is tested once per query.
  struct InsideMemo {
    long plane = -1;
    bool inside = false;
  };
  [[nodiscard]] bool in_cap(long first, long second, double x, double y, InsideMemo& memo) const {
    auto in = [&](long k) {
      if (k < 0) return false;
      if (k == memo.plane) return memo.inside;
      memo = {k, planes_[static_cast<std::size_t>(k)].edges.inside(x, y)};
      return memo.inside;
    };
    const bool in_first = in(first);
    return in_first != in(second);
  }

  // The squared distance when below bound2, else +inf.
  [[nodiscard]] double distance2(const geom::Point3& p, double bound2) const {
    double best = bound2;
    bool found = false;
    auto consider = [&](double d2) {
      if (d2 < best) {
        best = d2;
        found = true;
      }
    };
    if (planes_.empty()) return kInf;
    // Walls of the plane whose extent holds p.z (or the nearest one) first: usually the nearest.
    const std::size_t n = planes_.size();
    const auto first_up = static_cast<std::size_t>(
        std::lower_bound(planes_.begin(), planes_.end(), p.z,
                         [](const PlaneIndex& q, double z) { return q.z_hi_mm < z; }) -
        planes_.begin());
    const std::size_t k0 = std::min(first_up, n - 1);
    if (const double dz2 = squared(dz_to(k0, p.z)); dz2 < best) {
      consider(dz2 + planes_[k0].edges.nearest2(p.x, p.y, best - dz2));
    }
    // Caps: the nearest level each way whose cap holds p.xy.
    const auto level_up = static_cast<std::size_t>(
        std::lower_bound(levels_.begin(), levels_.end(), p.z, [](const Level& l, double z) { return l.z_mm < z; }) -
        levels_.begin());
    InsideMemo memo_up, memo_down;
    for (std::size_t l = level_up; l < levels_.size(); ++l) {
      const double dz2 = squared(levels_[l].z_mm - p.z);
      if (dz2 >= best) break;
      if (in_cap(levels_[l].below, levels_[l].above, p.x, p.y, memo_up)) {
        consider(dz2);
        break;
      }
    }
    for (std::size_t l = level_up; l-- > 0;) {
      const double dz2 = squared(p.z - levels_[l].z_mm);
      if (dz2 >= best) break;
      if (in_cap(levels_[l].above, levels_[l].below, p.x, p.y, memo_down)) {
        consider(dz2);
        break;
      }
    }
    // The other walls, nearest in z first, while the z distance alone stays below the best.
    std::size_t up = k0 + 1, down = k0;  // the next plane above; the next plane below is down - 1
    while (up < n || down > 0) {
      const double dz_up = up < n ? dz_to(up, p.z) : kInf;
      const double dz_down = down > 0 ? dz_to(down - 1, p.z) : kInf;
      const bool go_up = dz_up <= dz_down;
      const double dz2 = squared(go_up ? dz_up : dz_down);
      if (dz2 >= best) {  // every plane farther that way is farther still
        if (go_up) {
          up = n;
        } else {
          down = 0;
        }
        continue;
      }
      const std::size_t k = go_up ? up++ : --down;
      consider(dz2 + planes_[k].edges.nearest2(p.x, p.y, best - dz2));
    }
    return found ? best : kInf;
  }

  std::vector<PlaneIndex> planes_;
  std::vector<Level> levels_;
};

// Distances of every sample to the slab stack, in sample order. Consecutive samples are close
// (they are generated triangle by triangle) and the distance is 1-Lipschitz, so the previous
// distance plus the step bounds the next one and prunes most of the search.
std::vector<double> distances(const std::vector<geom::SurfaceSample>& from, const SlabStackDistance& to) {
  std::vector<double> d;
  d.reserve(from.size());
  double previous = std::numeric_limits<double>::infinity();
  geom::Point3 at{};
  for (const geom::SurfaceSample& s : from) {
    const double step = std::hypot(s.point.x - at.x, s.point.y - at.y, s.point.z - at.z);
    // Widened by a relative 1e-9 so rounding in the bound never prunes the true nearest point.
    const double bound = (previous + step) * (1 + 1e-9) + 1e-9;
    previous = to.distance_mm(s.point, bound);
    at = s.point;
    d.push_back(previous);
  }
  return d;
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
  // With the structures at hand the distances come from their planes (SlabStackDistance, exact and
  // much faster); from the meshes' AABB trees otherwise.
  const bool planes = a_structure != nullptr && b_structure != nullptr;
  const auto dab = planes ? distances(sa, SlabStackDistance(*b_structure)) : distances(sa, b);
  const auto dba = planes ? distances(sb, SlabStackDistance(*a_structure)) : distances(sb, a);

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
