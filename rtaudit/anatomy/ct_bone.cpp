#include "rtaudit/anatomy/ct_bone.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace rtaudit::anatomy {

namespace {

/// One axial slice's geometry: pixel centres at x0 + i dx, y0 + j dy.
struct SliceGeometry {
  int columns = 0, rows = 0;
  double x0 = 0, y0 = 0, dx = 1, dy = 1;
  [[nodiscard]] double x(int i) const { return x0 + i * dx; }
  [[nodiscard]] double y(int j) const { return y0 + j * dy; }
};

struct Component {
  double area_mm2 = 0, cx = 0, cy = 0;
  double x_min = 1e300, x_max = -1e300, y_min = 1e300, y_max = -1e300;  ///< pixel centres
  double cartilage_share = 0;  ///< share of its pixels below the bone threshold (costal cartilage)
  int max_hu = -32768;
};

/// 4-connected components of `mask` inside the box [i0, i1) x [j0, j1); `label` is scratch of the
/// slice's size. Components smaller than `min_pixels` are dropped.
std::vector<Component> components(const std::vector<std::uint8_t>& mask, std::vector<int>& label, std::vector<int>& stack, const SliceGeometry& g,
                                  int i0, int i1, int j0, int j1, std::size_t min_pixels, const std::int16_t* hu = nullptr, double bone_hu = 0) {
  std::vector<Component> out;
  i0 = std::max(i0, 0), j0 = std::max(j0, 0), i1 = std::min(i1, g.columns), j1 = std::min(j1, g.rows);
  for (int j = j0; j < j1; ++j) {
    for (int i = i0; i < i1; ++i) label[static_cast<std::size_t>(j) * g.columns + i] = 0;
  }
  int next = 0;
  const double pixel = std::abs(g.dx * g.dy);
  for (int j = j0; j < j1; ++j) {
    for (int i = i0; i < i1; ++i) {
      const std::size_t at = static_cast<std::size_t>(j) * g.columns + i;
      if (!mask[at] || label[at] != 0) continue;
      ++next;
      Component c;
      std::size_t n = 0, soft = 0;
      double sx = 0, sy = 0;
      stack.clear();
      stack.push_back(static_cast<int>(at));
      label[at] = next;
      while (!stack.empty()) {
        const int p = stack.back();
        stack.pop_back();
        const int pi = p % g.columns, pj = p / g.columns;
        ++n;
        if (hu != nullptr) {
          soft += hu[p] < bone_hu ? 1 : 0;
          c.max_hu = std::max<int>(c.max_hu, hu[p]);
        }
        const double x = g.x(pi), y = g.y(pj);
        sx += x, sy += y;
        c.x_min = std::min(c.x_min, x), c.x_max = std::max(c.x_max, x), c.y_min = std::min(c.y_min, y), c.y_max = std::max(c.y_max, y);
        const int ni[4] = {pi - 1, pi + 1, pi, pi}, nj[4] = {pj, pj, pj - 1, pj + 1};
        for (int q = 0; q < 4; ++q) {
          if (ni[q] < i0 || ni[q] >= i1 || nj[q] < j0 || nj[q] >= j1) continue;
          const std::size_t na = static_cast<std::size_t>(nj[q]) * g.columns + ni[q];
          if (mask[na] && label[na] == 0) label[na] = next, stack.push_back(static_cast<int>(na));
        }
      }
      if (n < min_pixels) continue;
      c.area_mm2 = static_cast<double>(n) * pixel;
      c.cx = sx / static_cast<double>(n), c.cy = sy / static_cast<double>(n);
      c.cartilage_share = static_cast<double>(soft) / static_cast<double>(n);
      out.push_back(c);
    }
  }
  return out;
}

/// What one slice tells: the body's centre, the lungs, the sternum candidate.
struct SliceFacts {
  bool body = false;
  double body_centre_x = 0;
  double lung_left_mm2 = 0, lung_right_mm2 = 0, lung_mean_y = 0;
  std::optional<Component> sternum;
};

}  // namespace

CtBoneLandmarks find_bone_landmarks(const ImageVolume& ct, const CtBoneOptions& o) {
  CtBoneLandmarks out;
  if (ct.slices < 3 || ct.columns < 16 || ct.rows < 16 || ct.values.size() != static_cast<std::size_t>(ct.slices) * ct.rows * ct.columns) {
    out.not_found.push_back("landmarks not found: the image volume is too small or incomplete");
    return out;
  }
  const auto& r = ct.orientation;
  if (std::abs(r[0] - 1) > 1e-3 || std::abs(r[4] - 1) > 1e-3) {
    out.not_found.push_back(fmt::format("landmarks not found: not an axial head-first image (orientation {:.3f} {:.3f} {:.3f} / {:.3f} {:.3f} {:.3f})",
                                        r[0], r[1], r[2], r[3], r[4], r[5]));
    return out;
  }
  out.slice_spacing_mm = std::abs(ct.slice_positions[1][2] - ct.slice_positions[0][2]);
  for (int k = 2; k < ct.slices; ++k) {
    if (std::abs(std::abs(ct.slice_positions[k][2] - ct.slice_positions[k - 1][2]) - out.slice_spacing_mm) > 0.01) {
      out.not_found.push_back("landmarks not found: the slices are not uniformly spaced");
      return out;
    }
  }
  SliceGeometry g;
  g.columns = ct.columns, g.rows = ct.rows, g.dx = ct.pixel_spacing[1], g.dy = ct.pixel_spacing[0];
  const std::size_t n = static_cast<std::size_t>(g.columns) * g.rows;
  const double pixel = g.dx * g.dy;
  std::vector<std::uint8_t> outside(n), mask(n);
  std::vector<int> label(n), stack;
  stack.reserve(n);
  std::vector<SliceFacts> facts(static_cast<std::size_t>(ct.slices));

  // ---- 1. Body, lungs and midline on every slice.
  for (int k = 0; k < ct.slices; ++k) {
    g.x0 = ct.slice_positions[k][0], g.y0 = ct.slice_positions[k][1];
    const std::int16_t* hu = ct.values.data() + static_cast<std::size_t>(k) * n;
    // Air connected to the image border is outside the body.
    std::fill(outside.begin(), outside.end(), 0);
    stack.clear();
    for (int i = 0; i < g.columns; ++i) {
      for (int j : {0, g.rows - 1}) {
        const std::size_t a = static_cast<std::size_t>(j) * g.columns + i;
        if (hu[a] < o.air_hu && !outside[a]) outside[a] = 1, stack.push_back(static_cast<int>(a));
      }
    }
    for (int j = 0; j < g.rows; ++j) {
      for (int i : {0, g.columns - 1}) {
        const std::size_t a = static_cast<std::size_t>(j) * g.columns + i;
        if (hu[a] < o.air_hu && !outside[a]) outside[a] = 1, stack.push_back(static_cast<int>(a));
      }
    }
    while (!stack.empty()) {
      const int p = stack.back();
      stack.pop_back();
      const int pi = p % g.columns, pj = p / g.columns;
      const int ni[4] = {pi - 1, pi + 1, pi, pi}, nj[4] = {pj, pj, pj - 1, pj + 1};
      for (int q = 0; q < 4; ++q) {
        if (ni[q] < 0 || ni[q] >= g.columns || nj[q] < 0 || nj[q] >= g.rows) continue;
        const std::size_t a = static_cast<std::size_t>(nj[q]) * g.columns + ni[q];
        if (!outside[a] && hu[a] < o.air_hu) outside[a] = 1, stack.push_back(static_cast<int>(a));
      }
    }
    double bx0 = 1e300, bx1 = -1e300;
    for (int j = 0; j < g.rows; ++j) {
      for (int i = 0; i < g.columns; ++i) {
        if (!outside[static_cast<std::size_t>(j) * g.columns + i]) bx0 = std::min(bx0, g.x(i)), bx1 = std::max(bx1, g.x(i));
      }
    }
    SliceFacts& f = facts[static_cast<std::size_t>(k)];
    if (bx1 < bx0) continue;
    f.body = true;
    f.body_centre_x = (bx0 + bx1) / 2;
    double sy = 0, count = 0;
    for (int j = 0; j < g.rows; ++j) {
      for (int i = 0; i < g.columns; ++i) {
        const std::size_t a = static_cast<std::size_t>(j) * g.columns + i;
        if (outside[a] || hu[a] >= o.air_hu) continue;
        (g.x(i) > f.body_centre_x ? f.lung_left_mm2 : f.lung_right_mm2) += pixel;
        sy += g.y(j), count += 1;
      }
    }
    if (count > 0) f.lung_mean_y = sy / count;
  }
  std::vector<double> centres;
  for (const auto& f : facts) {
    if (f.body && f.lung_left_mm2 >= o.min_lung_area_mm2 && f.lung_right_mm2 >= o.min_lung_area_mm2) centres.push_back(f.body_centre_x);
  }
  if (static_cast<int>(centres.size()) < o.min_thorax_slices) {
    out.not_found.push_back(fmt::format("landmarks not found: not a thorax CT (two lungs of at least {:.0f} cm2 each inside the body on {} slice(s), "
                                        "at least {} needed)",
                                        o.min_lung_area_mm2 / 100, centres.size(), o.min_thorax_slices));
    return out;
  }
  out.thorax = true;
  std::nth_element(centres.begin(), centres.begin() + static_cast<std::ptrdiff_t>(centres.size() / 2), centres.end());
  const double mid = centres[centres.size() / 2];
  out.midline_x_mm = mid;
  out.method.push_back(fmt::format("thorax: two lungs (air below {:.0f} HU inside the body, at least {:.0f} cm2 each) on {} slices; midline x = {:.1f} mm "
                                   "(median centre of the body)",
                                   o.air_hu, o.min_lung_area_mm2 / 100, centres.size(), mid));

  // ---- 2. Sternum: the most ventral bone component near the midline, ventral to the lungs.
  const int band_i0 = static_cast<int>(std::floor((mid - 60 - ct.slice_positions[0][0]) / g.dx));
  const int band_i1 = static_cast<int>(std::ceil((mid + 60 - ct.slice_positions[0][0]) / g.dx)) + 1;
  const auto min_pixels = static_cast<std::size_t>(std::max(1.0, o.min_sternum_area_mm2 / pixel));
  for (int k = 0; k < ct.slices; ++k) {
    SliceFacts& f = facts[static_cast<std::size_t>(k)];
    if (!f.body || f.lung_left_mm2 + f.lung_right_mm2 < o.min_lung_area_mm2 / 3) continue;
    g.x0 = ct.slice_positions[k][0], g.y0 = ct.slice_positions[k][1];
    const std::int16_t* hu = ct.values.data() + static_cast<std::size_t>(k) * n;
    const int j1 = std::clamp(static_cast<int>(std::ceil((f.lung_mean_y - g.y0) / g.dy)), 0, g.rows);
    for (int j = 0; j < j1; ++j) {
      for (int i = std::max(band_i0, 0); i < std::min(band_i1, g.columns); ++i) {
        const std::size_t a = static_cast<std::size_t>(j) * g.columns + i;
        mask[a] = hu[a] >= o.bone_hu;
      }
    }
    for (const Component& c : components(mask, label, stack, g, band_i0, band_i1, 0, j1, min_pixels)) {
      if (std::abs(c.cx - mid) > o.sternum_midline_mm) continue;
      if (!f.sternum || c.cy < f.sternum->cy) f.sternum = c;
    }
  }
  int best_start = -1, best_len = 0;
  for (int k = 0; k < ct.slices;) {
    if (!facts[static_cast<std::size_t>(k)].sternum) {
      ++k;
      continue;
    }
    int e = k;
    while (e < ct.slices && facts[static_cast<std::size_t>(e)].sternum) ++e;
    if (e - k > best_len) best_start = k, best_len = e - k;
    k = e;
  }
  if (best_len < 3) {
    out.not_found.push_back("sternum not found: no bone above " + fmt::format("{:.0f}", o.bone_hu) +
                            " HU near the midline ventral to the lungs on three consecutive slices");
    return out;
  }
  for (int k = best_start; k < best_start + best_len; ++k) {
    const Component& c = *facts[static_cast<std::size_t>(k)].sternum;
    out.sternum.push_back({ct.slice_positions[k][2], c.x_max + g.dx / 2, c.x_min - g.dx / 2, c.y_min - g.dy / 2, c.y_max + g.dy / 2, c.area_mm2});
  }
  if (out.sternum.size() > 1 && out.sternum.front().z_mm > out.sternum.back().z_mm) std::reverse(out.sternum.begin(), out.sternum.end());
  out.method.push_back(fmt::format("sternum: on {} consecutive slices (z {:.1f} to {:.1f} mm) the most ventral bone component (>= {:.0f} HU, >= {:.0f} mm2) "
                                   "centred within {:.0f} mm of the midline and ventral to the lungs; edges = its outer pixel borders",
                                   out.sternum.size(), out.sternum.front().z_mm, out.sternum.back().z_mm, o.bone_hu, o.min_sternum_area_mm2,
                                   o.sternum_midline_mm));

  // ---- 3. The ribs' sternal ends: cartilage or bone just lateral of the sternal edge.
  const double slab = out.slice_spacing_mm;
  for (const int side : {+1, -1}) {
    std::vector<std::pair<double, bool>> present;  // z, a rib end on this slice
    for (int k = best_start; k < best_start + best_len; ++k) {
      const Component& s = *facts[static_cast<std::size_t>(k)].sternum;
      g.x0 = ct.slice_positions[k][0], g.y0 = ct.slice_positions[k][1];
      const std::int16_t* hu = ct.values.data() + static_cast<std::size_t>(k) * n;
      const double edge = side > 0 ? s.x_max + g.dx / 2 : s.x_min - g.dx / 2;
      const double xa = side > 0 ? edge : edge - o.rib_window_mm, xb = side > 0 ? edge + o.rib_window_mm : edge;
      const int i0 = static_cast<int>(std::ceil((xa - g.x0) / g.dx)), i1 = static_cast<int>(std::floor((xb - g.x0) / g.dx)) + 1;
      const int j0 = static_cast<int>(std::floor((s.y_min - 10 - g.y0) / g.dy)), j1 = static_cast<int>(std::ceil((s.y_max + 10 - g.y0) / g.dy)) + 1;
      for (int j = std::max(j0, 0); j < std::min(j1, g.rows); ++j) {
        for (int i = std::max(i0, 0); i < std::min(i1, g.columns); ++i) {
          const std::size_t a = static_cast<std::size_t>(j) * g.columns + i;
          mask[a] = hu[a] >= o.rib_end_hu;
        }
      }
      bool found = false;
      for (const Component& c : components(mask, label, stack, g, i0, i1, j0, j1, 1, hu, o.bone_hu)) {
        const bool big = c.area_mm2 >= o.min_rib_end_area_mm2 || c.x_max - c.x_min + g.dx >= o.min_rib_end_width_mm;
        // Cartilage, or bone with a cortex: a contrast-filled vessel (150-400 HU throughout) is neither.
        const bool rib_like = c.cartilage_share >= o.min_cartilage_share || c.max_hu >= o.cortex_hu;
        if (big && rib_like) found = true;
      }
      present.emplace_back(ct.slice_positions[k][2], found);
    }
    std::sort(present.begin(), present.end(), [](const auto& a, const auto& b) { return a.first > b.first; });  // cranial first
    std::vector<RibEnd>& ribs = side > 0 ? out.ribs_left : out.ribs_right;
    for (std::size_t a = 0; a < present.size();) {
      if (!present[a].second) {
        ++a;
        continue;
      }
      std::size_t b = a;
      while (b < present.size() && present[b].second) ++b;
      RibEnd rib;
      rib.rib = static_cast<int>(ribs.size()) + 1;
      rib.cranial_z_mm = present[a].first + slab / 2;
      rib.caudal_z_mm = present[b - 1].first - slab / 2;
      rib.slices = static_cast<int>(b - a);
      if (!ribs.empty()) {
        const double gap = ribs.back().cranial_z_mm - rib.cranial_z_mm;
        if (gap < 10 || gap > 45) {
          rib.confidence = 0.5;
          rib.note = fmt::format("{:.1f} mm below rib {}'s cranial aspect: outside the 10-45 mm a rib-to-rib interval spans", gap, ribs.back().rib);
        }
      }
      ribs.push_back(rib);
      a = b;
    }
    out.method.push_back(fmt::format("{} ribs: {} sternal end(s): runs of slices with cartilage or bone (>= {:.0f} HU; >= {:.0f} mm2 or >= {:.0f} mm wide, "
                                     "cartilage (>= {:.0f} % below {:.0f} HU) or a cortex (>= {:.0f} HU), so a vessel's cross-section, filled with contrast or not, does not count) within {:.0f} mm lateral of the sternal edge, numbered from the top",
                                     side > 0 ? "left" : "right", ribs.size(), o.rib_end_hu, o.min_rib_end_area_mm2, o.min_rib_end_width_mm,
                                     100 * o.min_cartilage_share, o.bone_hu, o.cortex_hu, o.rib_window_mm));
    if (ribs.empty()) out.not_found.push_back(fmt::format("{} ribs not found beside the sternum", side > 0 ? "left" : "right"));
  }
  return out;
}

}  // namespace rtaudit::anatomy
