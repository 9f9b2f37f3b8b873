#pragma once
// The region of one axial plane from the simple loops of all contours stored on it, by nesting
// parity (DOMAIN.md section 6): a loop inside an odd number of other loops is a hole, inside an
// even number (islands in holes included) it is filled. Loops that overlap without one containing
// the other are united, and the overlap is reported.

#include "rtaudit/geom/types.hpp"

#include <cstddef>
#include <utility>
#include <vector>

namespace rtaudit::geom {

struct SourcedLoop {
  Ring ring;               ///< simple, counter-clockwise, closed
  std::size_t contour = 0;  ///< index of the contour it came from
};

struct PlaneRegion {
  MultiPolygon region;
  double area_mm2 = 0;
  /// Pairs of contours (indices) whose loops overlapped without nesting; they were united.
  std::vector<std::pair<std::size_t, std::size_t>> overlaps;
};

[[nodiscard]] PlaneRegion build_plane_region(std::vector<SourcedLoop> loops);

}  // namespace rtaudit::geom
