#pragma once
// Small 2-D helpers over geom::MultiPolygon (shapes, Booleans, in-plane margins with Boost.Geometry buffer,
// distances). Used by the phantom and the guideline engine; the overlay and buffer headers stay in region_ops.cpp.

#include "rtaudit/geom/types.hpp"

#include <cstddef>

namespace rtaudit::geom::ops {

/// Ellipse centred at (cx, cy) with semi-axes a (x) and b (y), n vertices, counter-clockwise.
[[nodiscard]] geom::MultiPolygon ellipse(double cx, double cy, double a, double b, int n);
/// Superellipse |x/a|^p + |y/b|^p <= 1 (p = 4: a rounded box), n vertices.
[[nodiscard]] geom::MultiPolygon superellipse(double cx, double cy, double a, double b, double p, int n);
/// The box [x0, x1] x [y0, y1].
[[nodiscard]] geom::MultiPolygon box(double x0, double y0, double x1, double y1);
/// A ring given by its points (any orientation, closing point optional) as a region.
[[nodiscard]] geom::MultiPolygon from_points(const std::vector<geom::Point2>& points);

[[nodiscard]] geom::MultiPolygon unite(const geom::MultiPolygon& a, const geom::MultiPolygon& b);
[[nodiscard]] geom::MultiPolygon subtract(const geom::MultiPolygon& a, const geom::MultiPolygon& b);
[[nodiscard]] geom::MultiPolygon intersect(const geom::MultiPolygon& a, const geom::MultiPolygon& b);
/// In-plane dilation (distance > 0) or erosion (< 0) with round joins (points_per_circle).
[[nodiscard]] geom::MultiPolygon buffer(const geom::MultiPolygon& a, double distance_mm, int points_per_circle = 72);
/// The segment p -> q dilated by distance (a stadium, round ends).
[[nodiscard]] geom::MultiPolygon stadium(const geom::Point2& p, const geom::Point2& q, double distance_mm,
                                         int points_per_circle = 72);
/// Drops polygons (and holes) smaller than min_area_mm2.
[[nodiscard]] geom::MultiPolygon clean(const geom::MultiPolygon& a, double min_area_mm2 = 0.5);
/// Mirror x -> -x (orientation restored).
[[nodiscard]] geom::MultiPolygon mirror_x(const geom::MultiPolygon& a);

[[nodiscard]] double area(const geom::MultiPolygon& a);
/// Smallest in-plane distance between two regions (0 when they touch or overlap).
[[nodiscard]] double distance(const geom::MultiPolygon& a, const geom::MultiPolygon& b);
/// Signed distance of a point to a region's boundary: negative inside.
[[nodiscard]] double signed_distance(const geom::MultiPolygon& a, const geom::Point2& p);
[[nodiscard]] bool covers(const geom::MultiPolygon& a, const geom::Point2& p);

}  // namespace rtaudit::geom::ops
