#pragma once
// Value types of the exact plane model: 2-D polygons per axial plane (Boost.Geometry) and the raw
// contours an RTSTRUCT stores. Coordinates are DICOM patient coordinates (LPS) in mm.

#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <boost/geometry/geometries/ring.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace rtaudit::geom {

namespace bg = boost::geometry;

/// A point in a plane (x, y in mm).
using Point2 = bg::model::d2::point_xy<double>;
/// Counter-clockwise, closed rings: outer rings have positive area, holes are clockwise.
using Ring = bg::model::ring<Point2, false, true>;
using Polygon = bg::model::polygon<Point2, false, true>;
using MultiPolygon = bg::model::multi_polygon<Polygon>;
using Box2 = bg::model::box<Point2>;

/// A point in patient space (mm).
struct Point3 {
  double x = 0;
  double y = 0;
  double z = 0;
  friend bool operator==(const Point3&, const Point3&) = default;
};

/// An axis-aligned box in patient space (mm).
struct Box3 {
  Point3 min;
  Point3 max;
};

/// DICOM Contour Geometric Type (3006,0042).
enum class GeometricType { ClosedPlanar, OpenPlanar, OpenNonplanar, Point, Unknown };

[[nodiscard]] GeometricType parse_geometric_type(std::string_view text);
[[nodiscard]] std::string_view to_string(GeometricType type);

/// One contour item as stored in an RTSTRUCT ROI.
struct Contour {
  GeometricType type = GeometricType::ClosedPlanar;
  std::vector<Point3> points;
};

}  // namespace rtaudit::geom
