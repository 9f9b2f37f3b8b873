#pragma once
// Turning one stored contour into simple rings.
//
// Planning systems store keyhole contours (a hole reached through a zero-width channel), spikes that
// run out and back along one line, and occasionally rings that cross themselves. Each of these is
// split at its self-intersections and self-touches into simple loops; zero-area loops (the channel,
// the spike) are dropped. The loops then take part in nesting parity like any other contour, so a
// keyhole's inner loop becomes a hole and a figure-eight's lobes become two islands.

#include "rtaudit/geom/types.hpp"

#include <cstddef>
#include <span>
#include <vector>

namespace rtaudit::geom {

struct SimpleLoops {
  /// Simple rings, counter-clockwise (positive area), closed.
  std::vector<Ring> loops;
  /// True when the input was not already one simple ring (it crossed or touched itself).
  bool repaired = false;
  /// Pairs of segments that crossed, touched or overlapped.
  std::size_t self_intersections = 0;
};

/// Splits a closed polygon (points in order; the closing point may or may not be repeated) into
/// simple loops. Consecutive duplicate points are ignored. An input with fewer than three distinct
/// points, or whose loops all have zero area, gives no loops.
[[nodiscard]] SimpleLoops split_into_simple_loops(std::span<const Point2> points);

/// Signed shoelace area of an open or closed point sequence (mm^2; positive when counter-clockwise).
[[nodiscard]] double signed_area(std::span<const Point2> points);

}  // namespace rtaudit::geom
