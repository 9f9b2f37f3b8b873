#pragma once
// Shape-based interpolation between the planes of a structure (for DVHs of structures contoured
// more coarsely than the dose grid; docs/dvh.md). Between two neighbouring planes the intermediate
// regions are the zero level set of the linear blend of the two planes' signed distance maps
// (Raya & Udupa 1990; Herman et al. 1992): a shape morphs smoothly, a region present on only one
// side shrinks to nothing towards the other plane.
//
// The result keeps the structure's z-extent and convention: every original plane is kept as it
// is, n - 1 planes are inserted in each gap (n = ceil(slab / max_plane_gap_mm), rounded up to an
// odd number), the new slab is slab / n, and beyond the first and last planes (n - 1) / 2 copies of
// the end regions fill the original half-slab end caps exactly (odd n makes that possible). A gap wider than 1.5 slabs (missing planes, geom::IssueCode::MissingPlanes)
// is not bridged: it stays a gap. Pure computation; no I/O.

#include "rtaudit/geom/structure.hpp"

#include <string>
#include <vector>

namespace rtaudit::geom {

struct ShapeInterpolationOptions {
  double max_plane_gap_mm = 0.5;  ///< the largest gap between planes after interpolation
  double raster_mm = 0.2;         ///< the signed distance maps' pixel (the zero contour's precision)
};

struct InterpolatedStructure {
  Structure structure;
  std::vector<std::string> notes;  ///< e.g. "gap of 7.5 mm at z = ... not bridged (missing planes)"
  std::size_t planes_added = 0;
};

[[nodiscard]] InterpolatedStructure interpolate_planes(const Structure& s, const ShapeInterpolationOptions& options = {});

}  // namespace rtaudit::geom
