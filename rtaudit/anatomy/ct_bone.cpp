#include "rtaudit/anatomy/ct_bone.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <tuple>

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

  // ---- 4. IM vessels: small round dots in the parasternal fat, the most medial one the vein.
  for (const int side : {+1, -1}) {
    ImVessels& iv = side > 0 ? out.vessels_left : out.vessels_right;
    struct Dot {
      double x = 0, y = 0;
      bool bright = false;  ///< contrast-filled
      double radius = 0;    ///< area-equivalent
    };
    struct Found {
      std::vector<Dot> all;  ///< medial first
    };
    std::vector<Found> found(out.sternum.size());
    std::vector<int> ks;  // the volume's slice of each sternum entry
    for (const auto& st : out.sternum) {
      for (int k = best_start; k < best_start + best_len; ++k) {
        if (std::abs(ct.slice_positions[k][2] - st.z_mm) < 1e-6) ks.push_back(k);
      }
    }
    for (std::size_t e = 0; e < out.sternum.size() && e < ks.size(); ++e) {
      const int k = ks[e];
      const SternumSlice& st = out.sternum[e];
      g.x0 = ct.slice_positions[k][0], g.y0 = ct.slice_positions[k][1];
      const std::int16_t* hu = ct.values.data() + static_cast<std::size_t>(k) * n;
      const double edge = side > 0 ? st.left_x_mm : st.right_x_mm;
      const double xa = side > 0 ? edge + 2 : edge - o.vessel_window_mm, xb = side > 0 ? edge + o.vessel_window_mm : edge - 2;
      const int i0 = std::max(0, static_cast<int>(std::ceil((xa - g.x0) / g.dx))), i1 = std::min(g.columns, static_cast<int>(std::floor((xb - g.x0) / g.dx)) + 1);
      const int j0 = std::max(0, static_cast<int>(std::floor((st.ventral_y_mm - 5 - g.y0) / g.dy)));
      const int j1 = std::min(g.rows, static_cast<int>(std::ceil((st.dorsal_y_mm + 15 - g.y0) / g.dy)) + 1);
      std::vector<std::tuple<double, double, double, bool, double>> candidates;  // distance from the edge, x, y, contrast, radius
      for (const auto& [lo, hi, bright] : {std::tuple<double, double, bool>{-20, 100, false}, std::tuple<double, double, bool>{190, 600, true}}) {
        for (int j = j0; j < j1; ++j) {
          for (int i = i0; i < i1; ++i) {
            const std::size_t a = static_cast<std::size_t>(j) * g.columns + i;
            mask[a] = hu[a] >= lo && hu[a] <= hi;
          }
        }
        for (const Component& c : components(mask, label, stack, g, i0, i1, j0, j1, 1)) {
          if (c.area_mm2 < o.min_vessel_area_mm2 || c.area_mm2 > o.max_vessel_area_mm2) continue;
          if (c.x_max - c.x_min + g.dx > o.max_vessel_extent_mm || c.y_max - c.y_min + g.dy > o.max_vessel_extent_mm) continue;
          // The ring around it (its box grown by 3 pixels, the candidate's own tissue left out) is fat.
          const int ci0 = std::max(0, static_cast<int>(std::floor((c.x_min - g.x0) / g.dx)) - 3);
          const int ci1 = std::min(g.columns, static_cast<int>(std::ceil((c.x_max - g.x0) / g.dx)) + 4);
          const int cj0 = std::max(0, static_cast<int>(std::floor((c.y_min - g.y0) / g.dy)) - 3);
          const int cj1 = std::min(g.rows, static_cast<int>(std::ceil((c.y_max - g.y0) / g.dy)) + 4);
          double sum = 0, cnt = 0;
          for (int j = cj0; j < cj1; ++j) {
            for (int i = ci0; i < ci1; ++i) {
              const std::int16_t v = hu[static_cast<std::size_t>(j) * g.columns + i];
              if (v >= lo && v <= hi) continue;
              sum += v, cnt += 1;
            }
          }
          if (cnt == 0 || sum / cnt >= o.fat_ring_hu) continue;
          candidates.emplace_back(std::abs(c.cx - edge), c.cx, c.cy, bright, std::sqrt(c.area_mm2 / std::numbers::pi));
        }
      }
      std::sort(candidates.begin(), candidates.end());
      for (const auto& c : candidates) found[e].all.push_back({std::get<1>(c), std::get<2>(c), std::get<3>(c), std::get<4>(c)});
    }
    // Track each vessel along z from the middle of the sternum, where the vessels run straight: on
    // the seed slice the most medial dot is the vein (the next one laterally the artery); on every
    // other slice the dot nearest the vessel's last accepted position, if within 4 mm.
    struct Track {
      std::vector<std::optional<std::pair<double, double>>> v;
      std::vector<bool> bright;
      std::vector<double> radii;  ///< of the accepted dots
    };
    const auto track = [&](int rank) {
      Track t{std::vector<std::optional<std::pair<double, double>>>(found.size()), std::vector<bool>(found.size(), false), {}};
      auto& v = t.v;
      auto& bright = t.bright;
      std::optional<std::size_t> seed;
      const std::size_t middle = found.size() / 2;
      // Prefer a seed slice where both vessels show, so the most medial dot is the vein, not an
      // artery whose vein is missing on that slice.
      for (const std::size_t need : {std::size_t{2}, static_cast<std::size_t>(rank) + 1}) {
        for (std::size_t d = 0; d < found.size() && !seed; ++d) {
          for (const std::size_t e : {middle + d, middle - std::min(d, middle)}) {
            if (e < found.size() && found[e].all.size() >= std::max(need, static_cast<std::size_t>(rank) + 1)) {
              seed = e;
              break;
            }
          }
        }
      }
      if (!seed) return t;
      v[*seed] = std::make_pair(found[*seed].all[rank].x, found[*seed].all[rank].y);
      bright[*seed] = found[*seed].all[rank].bright;
      t.radii.push_back(found[*seed].all[rank].radius);
      for (const int step : {+1, -1}) {
        std::pair<double, double> last = *v[*seed];
        for (auto e = static_cast<std::ptrdiff_t>(*seed) + step; e >= 0 && e < static_cast<std::ptrdiff_t>(found.size()); e += step) {
          const Dot* best = nullptr;
          double best_d = 3.0;  // below the vein-artery spacing, so a track never jumps to the other vessel
          for (const Dot& d : found[static_cast<std::size_t>(e)].all) {
            const double dist = std::hypot(d.x - last.first, d.y - last.second);
            if (dist <= best_d) best = &d, best_d = dist;
          }
          if (best == nullptr) continue;
          v[static_cast<std::size_t>(e)] = last = std::make_pair(best->x, best->y);
          bright[static_cast<std::size_t>(e)] = best->bright;
          t.radii.push_back(best->radius);
        }
      }
      return t;
    };
    const auto fill = [&](Track tracked, double offset_mm, double default_radius_mm, bool vein) {
      const auto& v = tracked.v;
      std::vector<VesselPoint> points;
      std::size_t got = 0;
      for (const auto& p : v) got += p ? 1 : 0;
      const double share = v.empty() ? 0 : static_cast<double>(got) / static_cast<double>(v.size());
      const bool estimate = share < o.min_found_share;
      for (std::size_t e = 0; e < v.size(); ++e) {
        const SternumSlice& st = out.sternum[e];
        VesselPoint p;
        p.z_mm = st.z_mm;
        const double edge = side > 0 ? st.left_x_mm : st.right_x_mm;
        if (!estimate && v[e]) {
          p.x_mm = v[e]->first, p.y_mm = v[e]->second, p.origin = VesselPoint::Origin::Ct;
          p.confidence = tracked.bright[e] ? 0.9 : 0.7;
        } else {
          // Between two found slices: linear; elsewhere: the published offset from the sternal edge.
          std::optional<std::size_t> below, above;
          for (std::size_t q = e; q-- > 0;) {
            if (v[q]) {
              below = q;
              break;
            }
          }
          for (std::size_t q = e + 1; q < v.size(); ++q) {
            if (v[q]) {
              above = q;
              break;
            }
          }
          if (!estimate && below && above) {
            const double t = (st.z_mm - out.sternum[*below].z_mm) / (out.sternum[*above].z_mm - out.sternum[*below].z_mm);
            p.x_mm = v[*below]->first + t * (v[*above]->first - v[*below]->first);
            p.y_mm = v[*below]->second + t * (v[*above]->second - v[*below]->second);
            p.origin = VesselPoint::Origin::Interpolated;
            p.confidence = 0.5;
          } else {
            p.x_mm = edge + side * offset_mm;
            p.y_mm = st.dorsal_y_mm;
            p.origin = VesselPoint::Origin::Estimated;
            p.confidence = 0.2;
          }
        }
        points.push_back(p);
      }
      double radius = default_radius_mm;
      if (!estimate && !tracked.radii.empty()) {
        auto median_it = tracked.radii.begin() + static_cast<std::ptrdiff_t>(tracked.radii.size() / 2);
        std::nth_element(tracked.radii.begin(), median_it, tracked.radii.end());
        radius = *median_it;
      }
      for (auto& p : points) p.radius_mm = radius;
      if (vein) iv.found_share = share, iv.estimated = estimate;
      return points;
    };
    iv.vein = fill(track(0), side > 0 ? o.estimate_vein_left_mm : o.estimate_vein_right_mm, o.default_vein_radius_mm, true);
    iv.artery = fill(track(1), side > 0 ? o.estimate_artery_left_mm : o.estimate_artery_right_mm, o.default_artery_radius_mm, false);
    iv.method = fmt::format(
        "{} IM vessels: on each sternum slice, dots of {:.0f}-{:.0f} mm2 and at most {:.0f} mm across, soft tissue (-20 to 100 HU) or contrast "
        "(190 to 600 HU), ringed by fat (mean below {:.0f} HU), within {:.0f} mm lateral of the sternal edge; the most medial is the vein, the next "
        "one laterally the artery (the IM vein is the most medial vessel: AJR 1990;155:397-400), tracked slice to slice from the middle of the sternum (the nearest dot within 3 mm). Found on {:.0f} % of the vein's slices{}",
        side > 0 ? "left" : "right", o.min_vessel_area_mm2, o.max_vessel_area_mm2, o.max_vessel_extent_mm, o.fat_ring_hu, o.vessel_window_mm,
        100 * iv.found_share,
        iv.estimated ? fmt::format("; too few to trust: ESTIMATED on every slice at the published mean offset from the sternal edge ({:.1f} mm, "
                                   "AJR 1990;155:397-400) at the depth of the sternum's dorsal surface",
                                   side > 0 ? o.estimate_vein_left_mm : o.estimate_vein_right_mm)
                     : "; the slices between found ones interpolated, the ones beyond estimated at the published offset");
    if (iv.estimated) out.not_found.push_back(fmt::format("{} IM vein not found credibly in the CT: estimated", side > 0 ? "left" : "right"));
  }
  return out;
}

std::string_view to_string(VesselPoint::Origin o) {
  switch (o) {
    case VesselPoint::Origin::Ct: return "ct";
    case VesselPoint::Origin::Interpolated: return "interpolated";
    case VesselPoint::Origin::Estimated: return "estimated";
  }
  return "estimated";
}

}  // namespace rtaudit::anatomy
