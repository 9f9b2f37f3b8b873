#include "rtaudit/geom/region_ops.hpp"

// GCC 12 reports a false "maybe uninitialized" deep inside Boost.Geometry's overlay and buffer
// code; silence it for these headers only (as rtaudit/geom/plane_region.cpp does).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wold-style-cast"
#include <boost/geometry/algorithms/area.hpp>
#include <boost/geometry/algorithms/buffer.hpp>
#include <boost/geometry/algorithms/correct.hpp>
#include <boost/geometry/algorithms/covered_by.hpp>
#include <boost/geometry/algorithms/difference.hpp>
#include <boost/geometry/algorithms/distance.hpp>
#include <boost/geometry/algorithms/intersection.hpp>
#include <boost/geometry/algorithms/union.hpp>
#include <boost/geometry/geometries/linestring.hpp>
#include <boost/geometry/strategies/strategies.hpp>
#pragma GCC diagnostic pop

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace rtaudit::geom::ops {
namespace bg = boost::geometry;
using geom::MultiPolygon;
using geom::Point2;
using geom::Polygon;

namespace {
MultiPolygon single(Polygon p) {
  bg::correct(p);
  MultiPolygon m;
  if (bg::area(p) > 0) m.push_back(std::move(p));
  return m;
}
}  // namespace

MultiPolygon ellipse(double cx, double cy, double a, double b, int n) {
  if (a <= 0 || b <= 0 || n < 3) return {};
  Polygon p;
  for (int k = 0; k < n; ++k) {
    const double t = 2 * std::numbers::pi * k / n;
    p.outer().emplace_back(cx + a * std::cos(t), cy + b * std::sin(t));
  }
  p.outer().push_back(p.outer().front());
  return single(std::move(p));
}

MultiPolygon superellipse(double cx, double cy, double a, double b, double pw, int n) {
  if (a <= 0 || b <= 0 || n < 3) return {};
  Polygon p;
  const double e = 2.0 / pw;
  for (int k = 0; k < n; ++k) {
    const double t = 2 * std::numbers::pi * k / n;
    const double c = std::cos(t);
    const double s = std::sin(t);
    p.outer().emplace_back(cx + a * std::copysign(std::pow(std::abs(c), e), c),
                           cy + b * std::copysign(std::pow(std::abs(s), e), s));
  }
  p.outer().push_back(p.outer().front());
  return single(std::move(p));
}

MultiPolygon box(double x0, double y0, double x1, double y1) {
  Polygon p;
  p.outer() = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
  return single(std::move(p));
}

MultiPolygon from_points(const std::vector<Point2>& points) {
  if (points.size() < 3) return {};
  Polygon p;
  for (const auto& q : points) p.outer().push_back(q);
  const auto& f = p.outer().front();
  const auto& l = p.outer().back();
  if (f.x() != l.x() || f.y() != l.y()) p.outer().push_back(f);
  return single(std::move(p));
}

MultiPolygon unite(const MultiPolygon& a, const MultiPolygon& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  MultiPolygon out;
  bg::union_(a, b, out);
  return out;
}

MultiPolygon subtract(const MultiPolygon& a, const MultiPolygon& b) {
  if (a.empty() || b.empty()) return a;
  MultiPolygon out;
  bg::difference(a, b, out);
  return out;
}

MultiPolygon intersect(const MultiPolygon& a, const MultiPolygon& b) {
  if (a.empty() || b.empty()) return {};
  MultiPolygon out;
  bg::intersection(a, b, out);
  return out;
}

MultiPolygon buffer(const MultiPolygon& a, double distance_mm, int points_per_circle) {
  if (a.empty() || distance_mm == 0) return a;
  MultiPolygon out;
  bg::buffer(a, out, bg::strategy::buffer::distance_symmetric<double>(distance_mm),
             bg::strategy::buffer::side_straight(),
             bg::strategy::buffer::join_round(static_cast<std::size_t>(points_per_circle)),
             bg::strategy::buffer::end_flat(),
             bg::strategy::buffer::point_circle(static_cast<std::size_t>(points_per_circle)));
  return out;
}

MultiPolygon stadium(const Point2& p, const Point2& q, double distance_mm, int points_per_circle) {
  MultiPolygon out;
  const auto ppc = static_cast<std::size_t>(points_per_circle);
  if (bg::distance(p, q) < 1e-9) {
    bg::buffer(p, out, bg::strategy::buffer::distance_symmetric<double>(distance_mm),
               bg::strategy::buffer::side_straight(), bg::strategy::buffer::join_round(ppc),
               bg::strategy::buffer::end_round(ppc), bg::strategy::buffer::point_circle(ppc));
    return out;
  }
  bg::model::linestring<Point2> line{p, q};
  bg::buffer(line, out, bg::strategy::buffer::distance_symmetric<double>(distance_mm),
             bg::strategy::buffer::side_straight(), bg::strategy::buffer::join_round(ppc),
             bg::strategy::buffer::end_round(ppc), bg::strategy::buffer::point_circle(ppc));
  return out;
}

MultiPolygon clean(const MultiPolygon& a, double min_area_mm2) {
  MultiPolygon out;
  for (const auto& p : a) {
    if (std::abs(bg::area(p.outer())) < min_area_mm2) continue;
    Polygon q;
    q.outer() = p.outer();
    for (const auto& h : p.inners()) {
      if (std::abs(bg::area(h)) >= min_area_mm2) q.inners().push_back(h);
    }
    out.push_back(std::move(q));
  }
  return out;
}

MultiPolygon mirror_x(const MultiPolygon& a) {
  MultiPolygon out = a;
  for (auto& p : out) {
    for (auto& pt : p.outer()) pt.x(-pt.x());
    for (auto& h : p.inners()) {
      for (auto& pt : h) pt.x(-pt.x());
    }
  }
  bg::correct(out);
  return out;
}

double area(const MultiPolygon& a) { return a.empty() ? 0.0 : bg::area(a); }

double distance(const MultiPolygon& a, const MultiPolygon& b) {
  if (a.empty() || b.empty()) return std::numeric_limits<double>::infinity();
  return bg::distance(a, b);
}

bool covers(const MultiPolygon& a, const Point2& p) { return !a.empty() && bg::covered_by(p, a); }

double signed_distance(const MultiPolygon& a, const Point2& p) {
  if (a.empty()) return std::numeric_limits<double>::infinity();
  // Distance to the boundary segments (a ring is areal in Boost.Geometry: distance() would be 0
  // for a point inside it).
  double d2 = std::numeric_limits<double>::infinity();
  const auto ring_d2 = [&](const geom::Ring& r) {
    for (std::size_t i = 0; i + 1 < r.size(); ++i) {
      const double ax = r[i].x(), ay = r[i].y();
      const double dx = r[i + 1].x() - ax, dy = r[i + 1].y() - ay;
      const double len2 = dx * dx + dy * dy;
      double t = len2 > 0 ? ((p.x() - ax) * dx + (p.y() - ay) * dy) / len2 : 0.0;
      t = std::clamp(t, 0.0, 1.0);
      const double ex = ax + t * dx - p.x(), ey = ay + t * dy - p.y();
      d2 = std::min(d2, ex * ex + ey * ey);
    }
  };
  for (const auto& poly : a) {
    ring_d2(poly.outer());
    for (const auto& h : poly.inners()) ring_d2(h);
  }
  const double d = std::sqrt(d2);
  return covers(a, p) ? -d : d;
}

}  // namespace rtaudit::geom::ops
