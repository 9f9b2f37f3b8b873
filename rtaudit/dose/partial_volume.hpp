#pragma once
// Exact partial volumes of a structure on a regular in-plane lattice (docs/dvh.md): for each plane
// of the plane model, the exact area of its region in each lattice cell, by signed-area
// accumulation over the region's ring edges (the exact-coverage scheme of anti-aliasing
// rasterisers; outer rings and holes carry opposite orientation, so holes subtract), and each
// plane's slab (geom::slab_extents) cut into sub-slabs. The pieces' volumes sum to the structure's
// slab-model volume up to rounding, whatever the lattice. The DVH, the overlap-volume histogram
// and the in-field volumes are built on it.

#include "rtaudit/geom/structure.hpp"

#include <cstddef>
#include <functional>
#include <vector>

namespace rtaudit::dose {

/// The in-plane lattice: cell (i, j) is [x0 + i*dx, x0 + (i+1)*dx] x [y0 + j*dy, y0 + (j+1)*dy].
/// Cells are generated wherever the region is, whatever i and j (negative included).
struct Lattice {
  double x0_mm = 0, y0_mm = 0;
  double dx_mm = 1, dy_mm = 1;
};

/// One piece: the part of one plane's region in one cell, over one sub-slab.
struct VolumePiece {
  double x_mm = 0, y_mm = 0, z_mm = 0;  ///< the cell's centre and the sub-slab's centre
  double volume_mm3 = 0;                 ///< exact covered area x sub-slab thickness
  long i = 0, j = 0;                     ///< lattice cell
  std::size_t plane = 0;                 ///< index of the structure plane
};

/// The covered area (mm²) of one plane region in each cell it touches: (i, j, area) triples,
/// area > 0, in row-major order of j then i.
struct CellArea {
  long i = 0, j = 0;
  double area_mm2 = 0;
};
[[nodiscard]] std::vector<CellArea> cell_areas(const geom::MultiPolygon& region, const Lattice& lattice);

/// Calls `visit` for every piece of the structure: each plane's cell areas on `lattice`, each
/// plane's slab extent split into ceil(thickness / max_sub_slab_mm) equal sub-slabs.
void for_each_piece(const geom::Structure& s, const Lattice& lattice, double max_sub_slab_mm,
                    const std::function<void(const VolumePiece&)>& visit);

/// All pieces at once (convenience for tests and small structures).
[[nodiscard]] std::vector<VolumePiece> volume_pieces(const geom::Structure& s, const Lattice& lattice,
                                                     double max_sub_slab_mm);

}  // namespace rtaudit::dose
