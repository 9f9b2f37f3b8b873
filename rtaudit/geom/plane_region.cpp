#include "rtaudit/geom/plane_region.hpp"

#include "rtaudit/geom/ring_repair.hpp"
#include "rtaudit/geom/boost_overlay.hpp"

#include <algorithm>
#include <numeric>

namespace rtaudit::geom {
namespace {

enum class Relation { Outside, Inside, Overlap };

// Crossing-number point-in-ring test that also recognises points on the boundary.
enum class Where { In, Out, Boundary };
Where locate(const Point2& p, const Ring& ring) {
  bool inside = false;
  const std::size_t n = ring.size();
  for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
    const Point2& a = ring[i];
    const Point2& b = ring[j];
    const double cr = (b.x() - a.x()) * (p.y() - a.y()) - (b.y() - a.y()) * (p.x() - a.x());
    if (cr == 0.0 && std::min(a.x(), b.x()) <= p.x() && p.x() <= std::max(a.x(), b.x()) &&
        std::min(a.y(), b.y()) <= p.y() && p.y() <= std::max(a.y(), b.y())) {
      return Where::Boundary;
    }
    if ((a.y() > p.y()) != (b.y() > p.y())) {
      const double x = a.x() + (p.y() - a.y()) * (b.x() - a.x()) / (b.y() - a.y());
      if (p.x() < x) inside = !inside;
    }
  }
  return inside ? Where::In : Where::Out;
}

bool box_covers(const Box2& outer, const Box2& inner) {
  return outer.min_corner().x() <= inner.min_corner().x() && outer.min_corner().y() <= inner.min_corner().y() &&
         outer.max_corner().x() >= inner.max_corner().x() && outer.max_corner().y() >= inner.max_corner().y();
}

bool boxes_meet(const Box2& a, const Box2& b) {
  return a.min_corner().x() <= b.max_corner().x() && b.min_corner().x() <= a.max_corner().x() &&
         a.min_corner().y() <= b.max_corner().y() && b.min_corner().y() <= a.max_corner().y();
}

// How the smaller loop `inner` sits against the larger loop `outer`.
Relation relate(const Ring& inner, const Box2& inner_box, const Ring& outer, const Box2& outer_box) {
  if (!boxes_meet(inner_box, outer_box)) return Relation::Outside;
  std::size_t in = 0, out = 0;
  for (std::size_t k = 0; k + 1 < inner.size(); ++k) {
    switch (locate(inner[k], outer)) {
      case Where::In: ++in; break;
      case Where::Out: ++out; break;
      case Where::Boundary: break;
    }
    if (in > 0 && out > 0) return Relation::Overlap;
  }
  if (in > 0) {
    // Every vertex inside: confirm no edge leaves the outer ring (a concave outer ring can be
    // crossed by an edge whose ends are both inside).
    if (!box_covers(outer_box, inner_box)) return Relation::Overlap;
    return bg::covered_by(inner, outer) ? Relation::Inside : Relation::Overlap;
  }
  if (out > 0) {
    // Every vertex outside; the outer ring may still poke into the inner one.
    for (std::size_t k = 0; k + 1 < outer.size(); ++k) {
      if (locate(outer[k], inner) == Where::In) return Relation::Overlap;
    }
    return Relation::Outside;
  }
  return Relation::Overlap;  // all vertices on the boundary: coincident loops, united
}

Box2 envelope_of(const Ring& r) {
  double x0 = r[0].x(), x1 = x0, y0 = r[0].y(), y1 = y0;
  for (const Point2& p : r) {
    x0 = std::min(x0, p.x());
    x1 = std::max(x1, p.x());
    y0 = std::min(y0, p.y());
    y1 = std::max(y1, p.y());
  }
  return Box2{{x0, y0}, {x1, y1}};
}

Ring reversed(const Ring& r) {
  Ring out(r.rbegin(), r.rend());
  return out;
}

}  // namespace

PlaneRegion build_plane_region(std::vector<SourcedLoop> loops) {
  PlaneRegion result;
  const std::size_t n = loops.size();
  if (n == 0) return result;
  if (n == 1) {
    Polygon poly;
    poly.outer() = std::move(loops[0].ring);
    result.area_mm2 = bg::area(poly);
    result.region.push_back(std::move(poly));
    return result;
  }

  std::vector<double> areas(n);
  std::vector<Box2> boxes(n);
  for (std::size_t i = 0; i < n; ++i) {
    areas[i] = bg::area(loops[i].ring);
    boxes[i] = envelope_of(loops[i].ring);
  }
  // Largest first, so a loop can only be contained in loops that come before it.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t l, std::size_t r) { return areas[l] > areas[r]; });

  std::vector<int> depth(n, 0);
  std::vector<std::ptrdiff_t> parent(n, -1);  // smallest containing loop
  bool any_overlap = false;
  for (std::size_t a = 0; a < n; ++a) {
    const std::size_t i = order[a];
    for (std::size_t b = 0; b < a; ++b) {
      const std::size_t j = order[b];
      switch (relate(loops[i].ring, boxes[i], loops[j].ring, boxes[j])) {
        case Relation::Inside:
          ++depth[i];
          if (parent[i] < 0 || areas[j] < areas[static_cast<std::size_t>(parent[i])]) {
            parent[i] = static_cast<std::ptrdiff_t>(j);
          }
          break;
        case Relation::Overlap:
          any_overlap = true;
          result.overlaps.emplace_back(std::min(loops[i].contour, loops[j].contour),
                                       std::max(loops[i].contour, loops[j].contour));
          break;
        case Relation::Outside: break;
      }
    }
  }

  if (!any_overlap) {
    // A proper nesting tree: each filled loop is an outer ring with its direct children as holes.
    std::vector<std::ptrdiff_t> polygon_of(n, -1);
    for (std::size_t i : order) {
      if (depth[i] % 2 == 0) {
        polygon_of[i] = static_cast<std::ptrdiff_t>(result.region.size());
        Polygon poly;
        poly.outer() = loops[i].ring;
        result.region.push_back(std::move(poly));
      }
    }
    for (std::size_t i : order) {
      if (depth[i] % 2 == 1) {
        const auto p = static_cast<std::size_t>(parent[i]);
        result.region[static_cast<std::size_t>(polygon_of[p])].inners().push_back(reversed(loops[i].ring));
      }
    }
    result.area_mm2 = bg::area(result.region);
    return result;
  }

  // Overlaps: fold level by level, uniting even depths and removing odd depths.
  const int max_depth = *std::max_element(depth.begin(), depth.end());
  for (int level = 0; level <= max_depth; ++level) {
    MultiPolygon layer;
    for (std::size_t i = 0; i < n; ++i) {
      if (depth[i] != level) continue;
      Polygon poly;
      poly.outer() = loops[i].ring;
      MultiPolygon merged;
      bg::union_(layer, poly, merged);
      layer = std::move(merged);
    }
    MultiPolygon next;
    if (level % 2 == 0) {
      bg::union_(result.region, layer, next);
    } else {
      bg::difference(result.region, layer, next);
    }
    result.region = std::move(next);
  }
  std::sort(result.overlaps.begin(), result.overlaps.end());
  result.overlaps.erase(std::unique(result.overlaps.begin(), result.overlaps.end()), result.overlaps.end());
  result.area_mm2 = bg::area(result.region);
  return result;
}

}  // namespace rtaudit::geom
