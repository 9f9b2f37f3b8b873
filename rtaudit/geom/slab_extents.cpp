#include "rtaudit/geom/surface.hpp"

namespace rtaudit::geom {

std::vector<SlabExtent> slab_extents(const std::vector<double>& z_mm, double slab_mm) {
  std::vector<SlabExtent> out(z_mm.size());
  if (!(slab_mm > 0)) return {};
  const double half = slab_mm / 2;
  for (std::size_t k = 0; k < z_mm.size(); ++k) {
    out[k].z_lo_mm = z_mm[k] - half;
    out[k].z_hi_mm = z_mm[k] + half;
  }
  // Neighbours within 1.5 slabs (no missing plane reported by build_structure) meet at the midpoint.
  for (std::size_t k = 0; k + 1 < z_mm.size(); ++k) {
    if (z_mm[k + 1] - z_mm[k] <= 1.5 * slab_mm) {
      const double mid = 0.5 * (z_mm[k] + z_mm[k + 1]);
      out[k].z_hi_mm = mid;
      out[k + 1].z_lo_mm = mid;
    }
  }
  return out;
}

std::vector<SlabExtent> slab_extents(const Structure& s) {
  std::vector<double> z;
  z.reserve(s.planes.size());
  for (const Plane& p : s.planes) z.push_back(p.z_mm);
  return slab_extents(z, s.slab_mm);
}

}  // namespace rtaudit::geom
