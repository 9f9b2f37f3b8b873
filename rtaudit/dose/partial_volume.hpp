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
  double x_mm = 0, y_mm = 0, z_mm = 0;  ///< centroid of the covered part of the cell; the sub-slab's centre
  double thickness_mm = 0;              ///< the sub-slab's thickness
  double var_x_mm2 = 0, var_y_mm2 = 0, cov_xy_mm2 = 0;  ///< in-plane spread of the covered part (CellArea)
  double volume_mm3 = 0;                 ///< exact covered area x sub-slab thickness
  long i = 0, j = 0;                     ///< lattice cell
  std::size_t plane = 0;                 ///< index of the structure plane
};

/// The covered area (mm²) of one plane region in each cell it touches: (i, j, area) triples,
/// area > 0, in row-major order of j then i.
struct CellArea {
  long i = 0, j = 0;
  double area_mm2 = 0;
  double cx_mm = 0, cy_mm = 0;  ///< centroid of the covered part (exact first moments, Green's theorem)
  double var_x_mm2 = 0, var_y_mm2 = 0, cov_xy_mm2 = 0;  ///< its central second moments / area (exact)
};
[[nodiscard]] std::vector<CellArea> cell_areas(const geom::MultiPolygon& region, const Lattice& lattice);

/// Calls `visit` for every piece of the structure: each plane's cell areas on `lattice`, each
/// plane's slab extent (geom::slab_extents) cut at every z of `z_cuts` that falls inside it (e.g.
/// the dose planes, so no piece straddles one) and then into equal parts of at most
/// max_sub_slab_mm.
void for_each_piece(const geom::Structure& s, const Lattice& lattice, double max_sub_slab_mm,
                    const std::function<void(const VolumePiece&)>& visit, const std::vector<double>& z_cuts = {});

/// All pieces at once (convenience for tests and small structures).
[[nodiscard]] std::vector<VolumePiece> volume_pieces(const geom::Structure& s, const Lattice& lattice,
                                                     double max_sub_slab_mm);

}  // namespace rtaudit::dose
