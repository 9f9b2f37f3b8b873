#include "rtaudit/geom/ring_repair.hpp"

#include <boost/geometry/index/rtree.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <unordered_map>
#include <utility>

namespace rtaudit::geom {
namespace {

namespace bgi = boost::geometry::index;

double cross(const Point2& o, const Point2& a, const Point2& b) {
  return (a.x() - o.x()) * (b.y() - o.y()) - (a.y() - o.y()) * (b.x() - o.x());
}

// Parameter of p along a->b, for a point known to lie on the segment's line.
double param_on(const Point2& a, const Point2& b, const Point2& p) {
  const double dx = b.x() - a.x();
  const double dy = b.y() - a.y();
  return std::abs(dx) >= std::abs(dy) ? (p.x() - a.x()) / dx : (p.y() - a.y()) / dy;
}

bool on_segment_box(const Point2& a, const Point2& b, const Point2& p) {
  return std::min(a.x(), b.x()) <= p.x() && p.x() <= std::max(a.x(), b.x()) &&
         std::min(a.y(), b.y()) <= p.y() && p.y() <= std::max(a.y(), b.y());
}

struct Split {
  double t;
  Point2 p;
};

struct PointHash {
  std::size_t operator()(const std::pair<double, double>& p) const noexcept {
    const auto a = std::bit_cast<std::uint64_t>(p.first + 0.0);  // +0.0 folds -0 into 0
    const auto b = std::bit_cast<std::uint64_t>(p.second + 0.0);
    return std::hash<std::uint64_t>{}(a * 0x9E3779B97F4A7C15ULL ^ (b + 0x7F4A7C15ULL + (a << 6) + (a >> 2)));
  }
};

class Splitter {
 public:
  explicit Splitter(std::vector<Point2> pts) : pts_(std::move(pts)), splits_(pts_.size()) {}

  // Finds every pair of segments that meet other than at their shared vertex and records the points
  // where each segment has to be cut so that, afterwards, segments meet only at vertices.
  std::size_t find_intersections() {
    const std::size_t n = pts_.size();
    boxes_.clear();
    boxes_.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      const Point2& a = pts_[i];
      const Point2& b = pts_[(i + 1) % n];
      boxes_.push_back(Box2{{std::min(a.x(), b.x()), std::min(a.y(), b.y())},
                            {std::max(a.x(), b.x()), std::max(a.y(), b.y())}});
    }
    // Sweep and prune along x: for real contours only a handful of segments overlap any vertical
    // line, so this is O(n log n). A pathological ring (a comb of long horizontal strokes) would
    // make it quadratic; then an R-tree takes over.
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t l, std::size_t r) { return boxes_[l].min_corner().x() < boxes_[r].min_corner().x(); });
    const std::size_t budget = 32 * n + 1024;
    std::size_t candidates = 0;
    for (std::size_t a = 0; a < n && candidates <= budget; ++a) {
      const double max_x = boxes_[order[a]].max_corner().x();
      for (std::size_t b = a + 1; b < n && boxes_[order[b]].min_corner().x() <= max_x; ++b) ++candidates;
    }
    return candidates <= budget ? sweep(order) : with_rtree();
  }

  // The ring with every cut point inserted, closed (first point repeated at the end).
  std::vector<Point2> refined() const {
    std::vector<Point2> out;
    out.reserve(pts_.size() * 2 + 1);
    for (std::size_t i = 0; i < pts_.size(); ++i) {
      out.push_back(pts_[i]);
      auto cuts = splits_[i];
      std::sort(cuts.begin(), cuts.end(), [](const Split& l, const Split& r) { return l.t < r.t; });
      for (const Split& s : cuts) {
        if (!(s.p.x() == out.back().x() && s.p.y() == out.back().y())) out.push_back(s.p);
      }
    }
    out.push_back(pts_.front());
    return out;
  }

 private:
  bool y_overlap(std::size_t i, std::size_t j) const {
    return boxes_[i].min_corner().y() <= boxes_[j].max_corner().y() &&
           boxes_[j].min_corner().y() <= boxes_[i].max_corner().y();
  }

  std::size_t sweep(const std::vector<std::size_t>& order) {
    std::size_t count = 0;
    const std::size_t n = order.size();
    for (std::size_t a = 0; a < n; ++a) {
      const std::size_t i = order[a];
      const double max_x = boxes_[i].max_corner().x();
      for (std::size_t b = a + 1; b < n && boxes_[order[b]].min_corner().x() <= max_x; ++b) {
        const std::size_t j = order[b];
        if (y_overlap(i, j) && intersect(std::min(i, j), std::max(i, j))) ++count;
      }
    }
    return count;
  }

  std::size_t with_rtree() {
    using Value = std::pair<Box2, std::size_t>;
    std::vector<Value> values;
    values.reserve(boxes_.size());
    for (std::size_t i = 0; i < boxes_.size(); ++i) values.emplace_back(boxes_[i], i);
    const bgi::rtree<Value, bgi::rstar<16>> tree(values.begin(), values.end());
    std::size_t count = 0;
    std::vector<Value> hits;
    for (std::size_t i = 0; i < boxes_.size(); ++i) {
      hits.clear();
      tree.query(bgi::intersects(boxes_[i]), std::back_inserter(hits));
      for (const auto& hit : hits) {
        if (hit.second > i && intersect(i, hit.second)) ++count;
      }
    }
    return count;
  }

  void cut(std::size_t seg, const Point2& p) {
    const Point2& a = pts_[seg];
    const Point2& b = pts_[(seg + 1) % pts_.size()];
    if ((p.x() == a.x() && p.y() == a.y()) || (p.x() == b.x() && p.y() == b.y())) return;
    const double t = param_on(a, b, p);
    if (t > 0.0 && t < 1.0) splits_[seg].push_back({t, p});
  }

  // Returns true when segments i and j meet anywhere other than a vertex they share as neighbours.
  bool intersect(std::size_t i, std::size_t j) {
    const std::size_t n = pts_.size();
    const Point2& a = pts_[i];
    const Point2& b = pts_[(i + 1) % n];
    const Point2& c = pts_[j];
    const Point2& d = pts_[(j + 1) % n];
    const bool adjacent = (j == i + 1) || (i == 0 && j == n - 1);
    const double o1 = cross(a, b, c);
    const double o2 = cross(a, b, d);
    const double o3 = cross(c, d, a);
    const double o4 = cross(c, d, b);

    if (o1 == 0.0 && o2 == 0.0) {
      // Collinear: they overlap if an end of one lies inside the other.
      bool overlap = false;
      for (const Point2* p : {&c, &d}) {
        if (on_segment_box(a, b, *p)) {
          const double t = param_on(a, b, *p);
          if (t > 0.0 && t < 1.0) { cut(i, *p); overlap = true; }
        }
      }
      for (const Point2* p : {&a, &b}) {
        if (on_segment_box(c, d, *p)) {
          const double t = param_on(c, d, *p);
          if (t > 0.0 && t < 1.0) { cut(j, *p); overlap = true; }
        }
      }
      if (adjacent) return overlap;  // a spike running back along its own line
      // Non-adjacent collinear segments that share only an end vertex touch there.
      const bool share = (a.x() == c.x() && a.y() == c.y()) || (a.x() == d.x() && a.y() == d.y()) ||
                         (b.x() == c.x() && b.y() == c.y()) || (b.x() == d.x() && b.y() == d.y());
      return overlap || share;
    }
    if (adjacent) return false;  // neighbours meet at their shared vertex only

    if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) {
      const double t = o3 / (o3 - o4);
      const Point2 p{a.x() + t * (b.x() - a.x()), a.y() + t * (b.y() - a.y())};
      cut(i, p);
      cut(j, p);
      return true;
    }
    // Touching: an end of one segment lies on the other.
    bool touch = false;
    if (o1 == 0.0 && on_segment_box(a, b, c)) { cut(i, c); touch = true; }
    if (o2 == 0.0 && on_segment_box(a, b, d)) { cut(i, d); touch = true; }
    if (o3 == 0.0 && on_segment_box(c, d, a)) { cut(j, a); touch = true; }
    if (o4 == 0.0 && on_segment_box(c, d, b)) { cut(j, b); touch = true; }
    return touch;
  }

  std::vector<Point2> pts_;
  std::vector<std::vector<Split>> splits_;
  std::vector<Box2> boxes_;
};

// Ignores loops whose area is negligible against the loop's own extent (channels, spikes).
bool degenerate(const std::vector<Point2>& loop) {
  if (loop.size() < 4) return true;  // closed: at least three distinct points and the repeat
  double min_x = loop[0].x(), max_x = min_x, min_y = loop[0].y(), max_y = min_y;
  for (const auto& p : loop) {
    min_x = std::min(min_x, p.x());
    max_x = std::max(max_x, p.x());
    min_y = std::min(min_y, p.y());
    max_y = std::max(max_y, p.y());
  }
  const double extent = std::max(max_x - min_x, max_y - min_y);
  return std::abs(signed_area(loop)) <= 1e-12 * extent * extent + 1e-18;
}

Ring to_ccw_ring(std::vector<Point2> loop) {
  if (signed_area(loop) < 0) std::reverse(loop.begin(), loop.end());
  Ring ring;
  ring.assign(loop.begin(), loop.end());
  return ring;
}

}  // namespace

double signed_area(std::span<const Point2> points) {
  const std::size_t n = points.size();
  if (n < 3) return 0.0;
  // Shoelace relative to the first point: smaller products, less cancellation far from the origin.
  const double ox = points[0].x();
  const double oy = points[0].y();
  double sum = 0.0;
  for (std::size_t i = 1; i + 1 < n; ++i) {
    sum += (points[i].x() - ox) * (points[i + 1].y() - oy) - (points[i + 1].x() - ox) * (points[i].y() - oy);
  }
  return 0.5 * sum;
}

SimpleLoops split_into_simple_loops(std::span<const Point2> points) {
  SimpleLoops result;
  std::vector<Point2> pts;
  pts.reserve(points.size());
  for (const auto& p : points) {
    if (pts.empty() || p.x() != pts.back().x() || p.y() != pts.back().y()) pts.push_back(p);
  }
  while (pts.size() > 1 && pts.front().x() == pts.back().x() && pts.front().y() == pts.back().y()) {
    pts.pop_back();
  }
  if (pts.size() < 3) return result;

  Splitter splitter(pts);
  result.self_intersections = splitter.find_intersections();
  if (result.self_intersections == 0) {
    pts.push_back(pts.front());
    if (!degenerate(pts)) result.loops.push_back(to_ccw_ring(std::move(pts)));
    return result;
  }
  result.repaired = true;

  // Walk the refined ring; each time a point comes back, the stretch since its first visit is a loop.
  const std::vector<Point2> walk = splitter.refined();
  std::vector<Point2> stack;
  std::unordered_map<std::pair<double, double>, std::size_t, PointHash> where;
  for (const Point2& p : walk) {
    const auto key = std::make_pair(p.x(), p.y());
    if (auto it = where.find(key); it != where.end()) {
      const std::size_t k = it->second;
      std::vector<Point2> loop(stack.begin() + static_cast<std::ptrdiff_t>(k), stack.end());
      loop.push_back(p);
      for (std::size_t m = k + 1; m < stack.size(); ++m) where.erase({stack[m].x(), stack[m].y()});
      stack.resize(k + 1);
      if (!degenerate(loop)) result.loops.push_back(to_ccw_ring(std::move(loop)));
    } else {
      where.emplace(key, stack.size());
      stack.push_back(p);
    }
  }
  return result;
}

}  // namespace rtaudit::geom
