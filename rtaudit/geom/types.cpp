#include "rtaudit/geom/types.hpp"

namespace rtaudit::geom {

GeometricType parse_geometric_type(std::string_view text) {
  // Values are code strings: trailing spaces are padding, not content.
  while (!text.empty() && (text.back() == ' ' || text.back() == '\0')) text.remove_suffix(1);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  if (text == "CLOSED_PLANAR") return GeometricType::ClosedPlanar;
  if (text == "OPEN_PLANAR") return GeometricType::OpenPlanar;
  if (text == "OPEN_NONPLANAR") return GeometricType::OpenNonplanar;
  if (text == "POINT") return GeometricType::Point;
  return GeometricType::Unknown;
}

std::string_view to_string(GeometricType type) {
  switch (type) {
    case GeometricType::ClosedPlanar: return "CLOSED_PLANAR";
    case GeometricType::OpenPlanar: return "OPEN_PLANAR";
    case GeometricType::OpenNonplanar: return "OPEN_NONPLANAR";
    case GeometricType::Point: return "POINT";
    case GeometricType::Unknown: break;
  }
  return "UNKNOWN";
}

}  // namespace rtaudit::geom
