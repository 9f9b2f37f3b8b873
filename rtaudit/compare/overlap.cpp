#include "rtaudit/compare/overlap.hpp"

#include "rtaudit/geom/surface.hpp"
#include "rtaudit/geom/boost_overlay.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace rtaudit::compare {
namespace {

namespace bg = boost::geometry;
using geom::Box2;
using geom::MultiPolygon;

// For each plane of b, the index of the plane of a it is matched to (mutual nearest within the
// tolerance), or -1.
std::vector<long> match_planes(const geom::Structure& a, const geom::Structure& b, double tol) {
  auto nearest = [](const std::vector<geom::Plane>& planes, double z) -> long {
    auto it = std::lower_bound(planes.begin(), planes.end(), z, [](const geom::Plane& p, double v) { return p.z_mm < v; });
    long best = -1;
    double best_d = std::numeric_limits<double>::infinity();
    for (auto cand : {it, it == planes.begin() ? it : std::prev(it)}) {
      if (cand == planes.end()) continue;
      const double d = std::abs(cand->z_mm - z);
      if (d < best_d) {
        best_d = d;
        best = cand - planes.begin();
      }
    }
    return best;
  };
  std::vector<long> match(b.planes.size(), -1);
  for (std::size_t j = 0; j < b.planes.size(); ++j) {
    const long i = nearest(a.planes, b.planes[j].z_mm);
    if (i < 0 || std::abs(a.planes[static_cast<std::size_t>(i)].z_mm - b.planes[j].z_mm) > tol) continue;
    if (nearest(b.planes, a.planes[static_cast<std::size_t>(i)].z_mm) == static_cast<long>(j)) match[j] = i;
  }
  return match;
}

double intersection_area_mm2(const MultiPolygon& p, const Box2& pbox, const MultiPolygon& q, const Box2& qbox) {
  if (p.empty() || q.empty() || !bg::intersects(pbox, qbox)) return 0;
  MultiPolygon out;
  bg::intersection(p, q, out);
  return bg::area(out);
}

}  // namespace

OverlapResult overlap(const geom::Structure& a, const geom::Structure& b, const OverlapOptions& options) {
  OverlapResult result;
  for (const auto* s : {&a, &b}) {
    if (!s->planes.empty() && !(s->slab_mm > 0)) {
      result.error = OverlapError{fmt::format("structure {} has {} plane(s) but no slab thickness (single plane without slice spacing)",
                                              s == &a ? "a" : "b", s->planes.size())};
      return result;
    }
  }

  // b's planes matched to a's are taken at a's z (same CT slice).
  const std::vector<long> match = match_planes(a, b, options.plane_match_tolerance_mm);
  std::vector<double> za, zb;
  for (const auto& p : a.planes) za.push_back(p.z_mm);
  for (std::size_t j = 0; j < b.planes.size(); ++j) {
    zb.push_back(match[j] >= 0 ? a.planes[static_cast<std::size_t>(match[j])].z_mm : b.planes[j].z_mm);
  }
  const auto ea = a.planes.empty() ? std::vector<geom::SlabExtent>{} : geom::slab_extents(za, a.slab_mm);
  const auto eb = b.planes.empty() ? std::vector<geom::SlabExtent>{} : geom::slab_extents(zb, b.slab_mm);

  Overlap o;
  o.matched_planes = static_cast<std::size_t>(std::count_if(match.begin(), match.end(), [](long i) { return i >= 0; }));
  o.planes_only_a = a.planes.size() - o.matched_planes;
  o.planes_only_b = b.planes.size() - o.matched_planes;

  double va = 0, vb = 0, vi = 0;  // mm³
  for (std::size_t i = 0; i < a.planes.size(); ++i) va += a.planes[i].area_mm2 * ea[i].thickness_mm();
  for (std::size_t j = 0; j < b.planes.size(); ++j) vb += b.planes[j].area_mm2 * eb[j].thickness_mm();

  std::vector<Box2> boxa(a.planes.size()), boxb(b.planes.size());
  for (std::size_t i = 0; i < a.planes.size(); ++i) {
    if (!a.planes[i].region.empty()) bg::envelope(a.planes[i].region, boxa[i]);
  }
  for (std::size_t j = 0; j < b.planes.size(); ++j) {
    if (!b.planes[j].region.empty()) bg::envelope(b.planes[j].region, boxb[j]);
  }

  // Sweep the two ascending lists of extents; every pair sharing a positive length contributes.
  std::size_t j0 = 0;
  for (std::size_t i = 0; i < ea.size(); ++i) {
    while (j0 < eb.size() && eb[j0].z_hi_mm <= ea[i].z_lo_mm) ++j0;
    for (std::size_t j = j0; j < eb.size() && eb[j].z_lo_mm < ea[i].z_hi_mm; ++j) {
      const double shared = std::min(ea[i].z_hi_mm, eb[j].z_hi_mm) - std::max(ea[i].z_lo_mm, eb[j].z_lo_mm);
      if (shared <= 0) continue;
      vi += shared * intersection_area_mm2(a.planes[i].region, boxa[i], b.planes[j].region, boxb[j]);
    }
  }

  vi = std::min({vi, va, vb});  // floating-point guard: an intersection never exceeds either volume
  o.volume_a_cc = va / 1000.0;
  o.volume_b_cc = vb / 1000.0;
  o.intersection_cc = vi / 1000.0;
  o.union_cc = (va + vb - vi) / 1000.0;
  if (va + vb > 0) o.dice = 2 * vi / (va + vb);
  if (va + vb - vi > 0) o.jaccard = vi / (va + vb - vi);
  if (va > 0) o.volume_ratio = vb / va;
  o.missed_cc = (va - vi) / 1000.0;
  o.added_cc = (vb - vi) / 1000.0;
  result.overlap = o;
  return result;
}

std::optional<double> dice(const geom::Structure& a, const geom::Structure& b) {
  const OverlapResult r = overlap(a, b);
  return r.overlap ? r.overlap->dice : std::nullopt;
}

std::optional<double> jaccard(const geom::Structure& a, const geom::Structure& b) {
  const OverlapResult r = overlap(a, b);
  return r.overlap ? r.overlap->jaccard : std::nullopt;
}

}  // namespace rtaudit::compare
