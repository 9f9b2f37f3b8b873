// Exact partial volumes (partial_volume.hpp): per-cell area and first moments of a region on a
// lattice by signed accumulation over its ring edges.
//
// Every ring edge is cut at the lattice's horizontal and vertical lines into pieces, each inside
// one cell. By Green's theorem the region's area (and moments) in a cell are sums, over the edge
// pieces in its row at or to the left of it, of the signed region between the piece and the row's
// right end. Split that region at the piece's cell boundary: the trapezoid between the piece and
// the cell's right edge goes to the piece's cell, and the full-width strip [v_a, v_b] goes to every
// cell further right — added as a difference (acc[i+1] += carry - trapezoid) and recovered by a
// prefix sum along the row, as exact-coverage font rasterisers do. Counter-clockwise outer rings
// accumulate -1 inside; holes (clockwise) cancel it; the sign is flipped at the end.

#include "rtaudit/dose/partial_volume.hpp"

#include "rtaudit/geom/surface.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace rtaudit::dose {
namespace {

struct Accumulator {
  long i0 = 0, j0 = 0;  ///< lattice index of column 0 / row 0 of the buffers
  long ni = 0, nj = 0;  ///< buffer size; ni includes one spare column for the last carry
  std::vector<double> a, mx, my;     ///< area, first moments about the cell centre (x, y), per cell
  std::vector<double> sxx, syy, sxy;  ///< second moments about the cell centre

  double& at(std::vector<double>& v, long i, long j) { return v[static_cast<std::size_t>((j - j0) * ni + (i - i0))]; }
};

// Adds one edge piece lying inside cell (i, j); local coordinates relative to the cell's lower-left
// corner: u in [0, w], v in [0, h].
void add_piece(Accumulator& acc, long i, long j, double ua, double va, double ub, double vb, double w, double h) {
  const double dv = vb - va;
  if (dv == 0) return;
  // Trapezoid between the piece and the cell's right edge (signed by dv). Integrands in v are at
  // most quadratic: Simpson's rule is exact.
  const double um = 0.5 * (ua + ub), vm = 0.5 * (va + vb);
  const auto width = [&](double u) { return w - u; };
  const double area = dv * width(um);  // linear integrand: midpoint exact
  const auto fx = [&](double u) { return 0.5 * ((w - 0.5 * w) * (w - 0.5 * w) - (u - 0.5 * w) * (u - 0.5 * w)); };
  const double mx = dv * (fx(ua) + 4 * fx(um) + fx(ub)) / 6;
  const auto fy = [&](double u, double v) { return (v - 0.5 * h) * (w - u); };
  const double my = dv * (fy(ua, va) + 4 * fy(um, vm) + fy(ub, vb)) / 6;
  // The full strip carried to the cells on the right: area w dv, y-moment w ((vb-h/2)^2-(va-h/2)^2)/2, no x-moment.
  const double carry_a = w * dv;
  const double carry_my = 0.5 * w * ((vb - 0.5 * h) * (vb - 0.5 * h) - (va - 0.5 * h) * (va - 0.5 * h));
  // Second moments (integrands cubic in v: Simpson still exact).
  const double cw = 0.5 * w, ch = 0.5 * h;
  const auto gxx = [&](double u) { return (cw * cw * cw - (u - cw) * (u - cw) * (u - cw)) / 3; };
  const double sxx = dv * (gxx(ua) + 4 * gxx(um) + gxx(ub)) / 6;
  const auto gyy = [&](double u, double v) { return (v - ch) * (v - ch) * (w - u); };
  const double syy = dv * (gyy(ua, va) + 4 * gyy(um, vm) + gyy(ub, vb)) / 6;
  const auto gxy = [&](double u, double v) { return (v - ch) * 0.5 * (cw * cw - (u - cw) * (u - cw)); };
  const double sxy = dv * (gxy(ua, va) + 4 * gxy(um, vm) + gxy(ub, vb)) / 6;
  const double carry_sxx = dv * w * w * w / 12;
  const double carry_syy = w * ((vb - ch) * (vb - ch) * (vb - ch) - (va - ch) * (va - ch) * (va - ch)) / 3;
  acc.at(acc.a, i, j) += area;
  acc.at(acc.mx, i, j) += mx;
  acc.at(acc.my, i, j) += my;
  acc.at(acc.sxx, i, j) += sxx;
  acc.at(acc.syy, i, j) += syy;
  acc.at(acc.sxy, i, j) += sxy;
  acc.at(acc.a, i + 1, j) += carry_a - area;
  acc.at(acc.mx, i + 1, j) -= mx;
  acc.at(acc.my, i + 1, j) += carry_my - my;
  acc.at(acc.sxx, i + 1, j) += carry_sxx - sxx;
  acc.at(acc.syy, i + 1, j) += carry_syy - syy;
  acc.at(acc.sxy, i + 1, j) -= sxy;
}

void add_edge(Accumulator& acc, const Lattice& L, double xa, double ya, double xb, double yb) {
  if (ya == yb) return;  // horizontal edges add nothing
  // Parameters where the edge crosses lattice lines.
  std::vector<double> ts{0.0, 1.0};
  const auto crossings = [&](double a, double b, double origin, double step) {
    const double lo = std::min(a, b), hi = std::max(a, b);
    if (a == b) return;
    for (double k = std::ceil((lo - origin) / step); origin + k * step < hi; k += 1) {
      const double t = (origin + k * step - a) / (b - a);
      if (t > 0 && t < 1) ts.push_back(t);
    }
  };
  crossings(xa, xb, L.x0_mm, L.dx_mm);
  crossings(ya, yb, L.y0_mm, L.dy_mm);
  std::sort(ts.begin(), ts.end());
  for (std::size_t k = 0; k + 1 < ts.size(); ++k) {
    const double t0 = ts[k], t1 = ts[k + 1];
    if (t1 <= t0) continue;
    const double tm = 0.5 * (t0 + t1);
    const long i = static_cast<long>(std::floor((xa + tm * (xb - xa) - L.x0_mm) / L.dx_mm));
    const long j = static_cast<long>(std::floor((ya + tm * (yb - ya) - L.y0_mm) / L.dy_mm));
    const double cx = L.x0_mm + static_cast<double>(i) * L.dx_mm, cy = L.y0_mm + static_cast<double>(j) * L.dy_mm;
    const auto clampu = [&](double u) { return std::clamp(u, 0.0, L.dx_mm); };
    const auto clampv = [&](double v) { return std::clamp(v, 0.0, L.dy_mm); };
    add_piece(acc, i, j, clampu(xa + t0 * (xb - xa) - cx), clampv(ya + t0 * (yb - ya) - cy), clampu(xa + t1 * (xb - xa) - cx),
              clampv(ya + t1 * (yb - ya) - cy), L.dx_mm, L.dy_mm);
  }
}

}  // namespace

std::vector<CellArea> cell_areas(const geom::MultiPolygon& region, const Lattice& L) {
  std::vector<CellArea> out;
  double xmin = std::numeric_limits<double>::infinity(), ymin = xmin, xmax = -xmin, ymax = -xmin;
  for (const auto& poly : region) {
    for (const auto& p : poly.outer()) {
      xmin = std::min(xmin, p.x());
      xmax = std::max(xmax, p.x());
      ymin = std::min(ymin, p.y());
      ymax = std::max(ymax, p.y());
    }
  }
  if (!(xmin <= xmax) || !(ymin <= ymax) || !(L.dx_mm > 0) || !(L.dy_mm > 0)) return out;
  Accumulator acc;
  acc.i0 = static_cast<long>(std::floor((xmin - L.x0_mm) / L.dx_mm)) - 1;
  acc.j0 = static_cast<long>(std::floor((ymin - L.y0_mm) / L.dy_mm)) - 1;
  acc.ni = static_cast<long>(std::floor((xmax - L.x0_mm) / L.dx_mm)) + 3 - acc.i0;
  acc.nj = static_cast<long>(std::floor((ymax - L.y0_mm) / L.dy_mm)) + 2 - acc.j0;
  const auto n = static_cast<std::size_t>(acc.ni * acc.nj);
  acc.a.assign(n, 0.0);
  acc.mx.assign(n, 0.0);
  acc.my.assign(n, 0.0);
  acc.sxx.assign(n, 0.0);
  acc.syy.assign(n, 0.0);
  acc.sxy.assign(n, 0.0);
  const auto ring = [&](const geom::Ring& r) {
    for (std::size_t k = 0; k + 1 < r.size(); ++k) add_edge(acc, L, r[k].x(), r[k].y(), r[k + 1].x(), r[k + 1].y());
    if (!r.empty() && (r.front().x() != r.back().x() || r.front().y() != r.back().y()))
      add_edge(acc, L, r.back().x(), r.back().y(), r.front().x(), r.front().y());
  };
  for (const auto& poly : region) {
    ring(poly.outer());
    for (const auto& h : poly.inners()) ring(h);
  }
  const double cell = L.dx_mm * L.dy_mm;
  for (long j = acc.j0; j < acc.j0 + acc.nj; ++j) {
    double a = 0, mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
    for (long i = acc.i0; i < acc.i0 + acc.ni; ++i) {
      a += acc.at(acc.a, i, j);
      mx += acc.at(acc.mx, i, j);
      my += acc.at(acc.my, i, j);
      sxx += acc.at(acc.sxx, i, j);
      syy += acc.at(acc.syy, i, j);
      sxy += acc.at(acc.sxy, i, j);
      const double area = -a;  // counter-clockwise outer rings accumulate negative
      if (area <= 1e-12 * cell) continue;
      CellArea c;
      c.i = i;
      c.j = j;
      c.area_mm2 = std::min(area, cell);
      const double ox = L.x0_mm + (static_cast<double>(i) + 0.5) * L.dx_mm;
      const double oy = L.y0_mm + (static_cast<double>(j) + 0.5) * L.dy_mm;
      const double ux = (-mx) / area, uy = (-my) / area;  // centroid offset from the cell centre
      c.cx_mm = std::clamp(ox + ux, ox - 0.5 * L.dx_mm, ox + 0.5 * L.dx_mm);
      c.cy_mm = std::clamp(oy + uy, oy - 0.5 * L.dy_mm, oy + 0.5 * L.dy_mm);
      c.var_x_mm2 = std::max(0.0, (-sxx) / area - ux * ux);
      c.var_y_mm2 = std::max(0.0, (-syy) / area - uy * uy);
      c.cov_xy_mm2 = (-sxy) / area - ux * uy;
      out.push_back(c);
    }
  }
  return out;
}

void for_each_piece(const geom::Structure& s, const Lattice& lattice, double max_sub_slab_mm,
                    const std::function<void(const VolumePiece&)>& visit, const std::vector<double>& z_cuts) {
  const std::vector<geom::SlabExtent> extents = geom::slab_extents(s);
  if (extents.size() != s.planes.size()) return;
  std::vector<double> cuts;
  for (std::size_t p = 0; p < s.planes.size(); ++p) {
    const geom::SlabExtent& e = extents[p];
    if (!(e.thickness_mm() > 0)) continue;
    // The sub-slab boundaries: the extent's ends and every cut inside, then each part evenly split.
    cuts.assign({e.z_lo_mm});
    for (const double z : z_cuts)
      if (z > e.z_lo_mm && z < e.z_hi_mm) cuts.push_back(z);
    cuts.push_back(e.z_hi_mm);
    std::sort(cuts.begin(), cuts.end());
    const std::vector<CellArea> cells = cell_areas(s.planes[p].region, lattice);
    VolumePiece piece;
    piece.plane = p;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
      const double span = cuts[k + 1] - cuts[k];
      if (!(span > 0)) continue;
      const int parts = std::max(1, static_cast<int>(std::ceil(span / max_sub_slab_mm - 1e-9)));
      const double t = span / parts;
      for (int q = 0; q < parts; ++q) {
        piece.z_mm = cuts[k] + (q + 0.5) * t;
        piece.thickness_mm = t;
        for (const CellArea& c : cells) {
          piece.x_mm = c.cx_mm;
          piece.y_mm = c.cy_mm;
          piece.i = c.i;
          piece.j = c.j;
          piece.volume_mm3 = c.area_mm2 * t;
          piece.var_x_mm2 = c.var_x_mm2;
          piece.var_y_mm2 = c.var_y_mm2;
          piece.cov_xy_mm2 = c.cov_xy_mm2;
          visit(piece);
        }
      }
    }
  }
}

std::vector<VolumePiece> volume_pieces(const geom::Structure& s, const Lattice& lattice, double max_sub_slab_mm) {
  std::vector<VolumePiece> out;
  for_each_piece(s, lattice, max_sub_slab_mm, [&](const VolumePiece& p) { out.push_back(p); });
  return out;
}

}  // namespace rtaudit::dose
