#include "rtaudit/geom/shape_interpolation.hpp"

// Method (docs/shape-interpolation.md): for each pair of neighbouring planes, both regions' signed
// distance maps are sampled on one lattice (pixel raster_mm, points at integer multiples of it);
// the distance of a lattice point to the region's boundary is exact (the nearest polygon edge,
// found by a quadtree over the lattice that prunes candidate edges with a bound, see
// DistanceSolver), its sign from scanline parity. Each intermediate plane is the zero level set
// of the linear blend of the two maps, traced by marching squares with linear interpolation along
// the lattice edges into closed rings, inside on the left (outer rings counter-clockwise, holes
// clockwise: the orientation of geom::Ring).
//
// Only the lattice cells that can hold the zero level set for some blend weight are visited: a
// cell whose four corners are inside both regions (or outside both) has a blend of one sign at
// every weight. So distances are computed only at the corners of the other cells (the band where
// the two regions differ, and along their boundaries), and marching squares runs on those cells.

#include "rtaudit/geom/boost_overlay.hpp"

#include <boost/geometry/algorithms/correct.hpp>
#include <boost/geometry/algorithms/is_valid.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>

namespace rtaudit::geom {
namespace {

/// Largest lattice window (pixels) of one pair of planes; beyond it the pixel is enlarged.
constexpr double kMaxWindowPixels = 16.0 * 1024 * 1024;
/// Lattice margin (pixels) around the pair's bounding box: the blend is positive on the border.
constexpr std::int64_t kMargin = 2;
/// Smallest |signed distance| of a lattice point (pixels): a point on a boundary counts on the side
/// its scanline parity gives, and no blend is exactly zero.
constexpr double kEpsPixels = 1e-4;
/// Douglas-Peucker tolerance of the traced rings, in pixels (the zero contour's precision is one
/// pixel; this removes the many nearly collinear lattice crossings at no visible cost).
constexpr double kSimplifyPixels = 0.02;

// ---- Lattice windows and signed distance fields ----

struct Window {
  std::int64_t i0 = 0, j0 = 0;  ///< first lattice index (x = i * h, y = j * h)
  std::int64_t nx = 0, ny = 0;
};

void expand(std::optional<Box2>& box, const Ring& ring) {
  for (const Point2& p : ring) {
    if (!box) {
      box = Box2{p, p};
      continue;
    }
    box->min_corner().x(std::min(box->min_corner().x(), p.x()));
    box->min_corner().y(std::min(box->min_corner().y(), p.y()));
    box->max_corner().x(std::max(box->max_corner().x(), p.x()));
    box->max_corner().y(std::max(box->max_corner().y(), p.y()));
  }
}

std::optional<Box2> envelope(const MultiPolygon& region) {
  std::optional<Box2> box;
  for (const Polygon& poly : region) expand(box, poly.outer());  // holes lie inside their outer ring
  return box;
}

Box2 join(const Box2& a, const Box2& b) {
  return Box2{{std::min(a.min_corner().x(), b.min_corner().x()), std::min(a.min_corner().y(), b.min_corner().y())},
              {std::max(a.max_corner().x(), b.max_corner().x()), std::max(a.max_corner().y(), b.max_corner().y())}};
}

Window window_of(const Box2& b, double h) {
  Window w;
  w.i0 = static_cast<std::int64_t>(std::floor(b.min_corner().x() / h)) - kMargin;
  w.j0 = static_cast<std::int64_t>(std::floor(b.min_corner().y() / h)) - kMargin;
  const auto i1 = static_cast<std::int64_t>(std::ceil(b.max_corner().x() / h)) + kMargin;
  const auto j1 = static_cast<std::int64_t>(std::ceil(b.max_corner().y() / h)) + kMargin;
  w.nx = i1 - w.i0 + 1;
  w.ny = j1 - w.j0 + 1;
  return w;
}

struct Segment {
  double ax, ay, dx, dy, inv_len2;
  double by;  ///< the end's y as stored (ay + dy may differ in the last bit: the parity needs the vertex)
};

double distance2(const Segment& s, double px, double py) {
  const double qx = px - s.ax, qy = py - s.ay;
  const double t = std::clamp((qx * s.dx + qy * s.dy) * s.inv_len2, 0.0, 1.0);
  const double ex = qx - t * s.dx, ey = qy - t * s.dy;
  return ex * ex + ey * ey;
}

template <class F>
void for_each_edge(const MultiPolygon& region, F&& f) {
  const auto ring_edges = [&](const Ring& r) {
    const std::size_t n = r.size();
    if (n < 2) return;
    for (std::size_t i = 0; i + 1 < n; ++i) f(r[i], r[i + 1]);
    if (r.front().x() != r.back().x() || r.front().y() != r.back().y()) f(r.back(), r.front());  // an open ring
  };
  for (const Polygon& poly : region) {
    ring_edges(poly.outer());
    for (const Ring& hole : poly.inners()) ring_edges(hole);
  }
}

/// A plane's region on the lattice window of the plane and its blended neighbours: the inside bit
/// of every point (scanline parity), and the signed distance (negative inside) at the points some
/// pair needs (elsewhere +-1).
struct Field {
  enum : std::uint8_t { kInside = 1, kNeeded = 2, kDone = 4 };
  Window w;
  std::vector<Segment> segs;
  std::vector<std::uint8_t> state;
  std::vector<double> v;
  [[nodiscard]] std::size_t index(std::int64_t I, std::int64_t J) const {
    return static_cast<std::size_t>((J - w.j0) * w.nx + (I - w.i0));
  }
};

Field sign_field(const MultiPolygon& region, const Window& w, double h) {
  Field f;
  f.w = w;
  for_each_edge(region, [&](const Point2& a, const Point2& b) {
    const double dx = b.x() - a.x(), dy = b.y() - a.y();
    const double len2 = dx * dx + dy * dy;
    f.segs.push_back({a.x(), a.y(), dx, dy, len2 > 0 ? 1 / len2 : 0.0, b.y()});
  });
  f.state.assign(static_cast<std::size_t>(w.nx * w.ny), 0);
  f.v.assign(f.state.size(), 1.0);
  // Scanline parity (even-odd over all rings: the region of a valid multipolygon).
  std::vector<double> xs;
  for (std::int64_t j = 0; j < w.ny; ++j) {
    const double py = static_cast<double>(w.j0 + j) * h;
    xs.clear();
    for (const Segment& s : f.segs) {
      if ((s.ay > py) != (s.by > py)) xs.push_back(s.ax + (py - s.ay) * s.dx / s.dy);
    }
    std::sort(xs.begin(), xs.end());
    std::size_t passed = 0;
    for (std::int64_t i = 0; i < w.nx; ++i) {
      const double px = static_cast<double>(w.i0 + i) * h;
      while (passed < xs.size() && xs[passed] < px) ++passed;
      if (passed % 2 == 1) {
        const auto k = static_cast<std::size_t>(j * w.nx + i);
        f.state[k] |= Field::kInside;
        f.v[k] = -1.0;
      }
    }
  }
  return f;
}

// Exact signed distance at the points of a field that are needed and not yet done: the distance
// to the nearest of the region's segments. A block of lattice points with centre c and
// half-diagonal r keeps, of its parent's candidate segments, those with dist(c, s) <= dmin + 2r
// (dmin: the nearest candidate to c): the nearest segment of any point p of the block is within
// dist(p, s_min) + r <= dmin + 2r of c, so no segment that can be nearest is pruned. Blocks are
// halved until they hold at most 16 points or 2 candidates, then every point to do takes the
// minimum over its candidates; blocks with no point to do are skipped (a summed-area table).
class DistanceSolver {
 public:
  DistanceSolver(Field& f, double h) : f_(f), h_(h) {}

  void run() {
    const Window& w = f_.w;
    const auto nx = static_cast<std::size_t>(w.nx), ny = static_cast<std::size_t>(w.ny);
    sat_.assign((nx + 1) * (ny + 1), 0);
    bool any = false;
    for (std::size_t j = 0; j < ny; ++j) {
      std::uint32_t row = 0;
      for (std::size_t i = 0; i < nx; ++i) {
        const std::uint8_t s = f_.state[j * nx + i];
        const bool todo = (s & Field::kNeeded) != 0 && (s & Field::kDone) == 0;
        row += todo ? 1 : 0;
        any = any || todo;
        sat_[(j + 1) * (nx + 1) + i + 1] = sat_[j * (nx + 1) + i + 1] + row;
      }
    }
    if (!any || f_.segs.empty()) return;
    pool_.resize(f_.segs.size());
    for (std::size_t k = 0; k < f_.segs.size(); ++k) pool_[k] = static_cast<std::uint32_t>(k);
    solve(0, w.nx, 0, w.ny, 0, pool_.size());
  }

 private:
  [[nodiscard]] double x(std::int64_t i) const { return static_cast<double>(f_.w.i0 + i) * h_; }
  [[nodiscard]] double y(std::int64_t j) const { return static_cast<double>(f_.w.j0 + j) * h_; }
  [[nodiscard]] std::uint32_t todo(std::int64_t i0, std::int64_t i1, std::int64_t j0, std::int64_t j1) const {
    const auto s = static_cast<std::size_t>(f_.w.nx + 1);
    const auto at = [&](std::int64_t i, std::int64_t j) { return sat_[static_cast<std::size_t>(j) * s + static_cast<std::size_t>(i)]; };
    return at(i1, j1) - at(i0, j1) - at(i1, j0) + at(i0, j0);
  }

  void solve(std::int64_t i0, std::int64_t i1, std::int64_t j0, std::int64_t j1, std::size_t cb, std::size_t ce) {
    const std::int64_t ni = i1 - i0, nj = j1 - j0;
    if (ni * nj <= 16 || ce - cb <= 2) {
      for (std::int64_t j = j0; j < j1; ++j) {
        const double py = y(j);
        for (std::int64_t i = i0; i < i1; ++i) {
          const auto k = static_cast<std::size_t>(j * f_.w.nx + i);
          std::uint8_t& st = f_.state[k];
          if ((st & Field::kNeeded) == 0 || (st & Field::kDone) != 0) continue;
          const double px = x(i);
          double best = std::numeric_limits<double>::infinity();
          for (std::size_t c = cb; c < ce; ++c) best = std::min(best, distance2(f_.segs[pool_[c]], px, py));
          const double d = std::max(std::sqrt(best), kEpsPixels * h_);  // a point on the boundary keeps its side
          f_.v[k] = (st & Field::kInside) != 0 ? -d : d;
          st |= Field::kDone;
        }
      }
      return;
    }
    if (ni >= nj) {
      const std::int64_t mid = i0 + ni / 2;
      child(i0, mid, j0, j1, cb, ce);
      child(mid, i1, j0, j1, cb, ce);
    } else {
      const std::int64_t mid = j0 + nj / 2;
      child(i0, i1, j0, mid, cb, ce);
      child(i0, i1, mid, j1, cb, ce);
    }
  }

  void child(std::int64_t i0, std::int64_t i1, std::int64_t j0, std::int64_t j1, std::size_t cb, std::size_t ce) {
    if (todo(i0, i1, j0, j1) == 0) return;
    const double cx = 0.5 * (x(i0) + x(i1 - 1)), cy = 0.5 * (y(j0) + y(j1 - 1));
    const double rx = x(i1 - 1) - x(i0), ry = y(j1 - 1) - y(j0);
    const double r = 0.5 * std::sqrt(rx * rx + ry * ry);
    d2_.resize(ce - cb);
    double dmin2 = std::numeric_limits<double>::infinity();
    for (std::size_t k = cb; k < ce; ++k) {
      d2_[k - cb] = distance2(f_.segs[pool_[k]], cx, cy);
      dmin2 = std::min(dmin2, d2_[k - cb]);
    }
    const double bound = std::sqrt(dmin2) + 2 * r;
    const double bound2 = bound * bound * (1 + 1e-9) + 1e-12 * h_ * h_;
    const std::size_t nb = pool_.size();
    for (std::size_t k = cb; k < ce; ++k) {
      if (d2_[k - cb] <= bound2) {
        const std::uint32_t s = pool_[k];
        pool_.push_back(s);
      }
    }
    solve(i0, i1, j0, j1, nb, pool_.size());
    pool_.resize(nb);
  }

  Field& f_;
  double h_;
  std::vector<std::uint32_t> sat_;   ///< summed-area table of the points to do
  std::vector<std::uint32_t> pool_;  ///< candidate lists, a stack of the recursion
  std::vector<double> d2_;
};

/// The cells of a pair window that can hold the zero level set of a blend of A and B (corners not
/// all inside both or all outside both), and their corners (window-local indices). Marks those
/// corners as needed in both fields.
struct Band {
  std::vector<std::uint32_t> cells;   ///< i + j * nx of the cell's lower-left corner
  std::vector<std::uint32_t> points;  ///< corners of those cells, each once
};

Band band_of(Field& a, Field& b, const Window& pw) {
  Band band;
  const std::int64_t nx = pw.nx, ny = pw.ny;
  // Per point: 0 = inside both, 3 = outside both, else mixed; a cell is uniform when its four
  // corners are all 0 or all 3.
  std::vector<std::uint8_t> code(static_cast<std::size_t>(nx * ny));
  for (std::int64_t j = 0; j < ny; ++j) {
    for (std::int64_t i = 0; i < nx; ++i) {
      const std::int64_t I = pw.i0 + i, J = pw.j0 + j;
      const bool ia = (a.state[a.index(I, J)] & Field::kInside) != 0, ib = (b.state[b.index(I, J)] & Field::kInside) != 0;
      code[static_cast<std::size_t>(j * nx + i)] = static_cast<std::uint8_t>((ia ? 0 : 1) | (ib ? 0 : 2));
    }
  }
  std::vector<char> taken(code.size(), 0);
  for (std::int64_t j = 0; j + 1 < ny; ++j) {
    for (std::int64_t i = 0; i + 1 < nx; ++i) {
      const auto k = static_cast<std::size_t>(j * nx + i);
      const std::array<std::size_t, 4> c{k, k + 1, k + static_cast<std::size_t>(nx) + 1, k + static_cast<std::size_t>(nx)};
      const std::uint8_t c0 = code[c[0]];
      if ((c0 == 0 || c0 == 3) && code[c[1]] == c0 && code[c[2]] == c0 && code[c[3]] == c0) continue;
      band.cells.push_back(static_cast<std::uint32_t>(k));
      for (const std::size_t p : c) {
        if (taken[p]) continue;
        taken[p] = 1;
        band.points.push_back(static_cast<std::uint32_t>(p));
        const std::int64_t I = pw.i0 + static_cast<std::int64_t>(p) % nx, J = pw.j0 + static_cast<std::int64_t>(p) / nx;
        a.state[a.index(I, J)] |= Field::kNeeded;
        b.state[b.index(I, J)] |= Field::kNeeded;
      }
    }
  }
  return band;
}

// ---- Zero level set by marching squares ----

double ring_area(const Ring& r) {
  double a2 = 0;
  for (std::size_t i = 0; i + 1 < r.size(); ++i) a2 += r[i].x() * r[i + 1].y() - r[i + 1].x() * r[i].y();
  return a2 / 2;
}

bool ring_contains(const Ring& r, const Point2& p) {
  bool inside = false;
  for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) {
    const Point2& a = r[i];
    const Point2& b = r[j];
    if ((a.y() > p.y()) != (b.y() > p.y())) {
      const double x = a.x() + (p.y() - a.y()) * (b.x() - a.x()) / (b.y() - a.y());
      if (p.x() < x) inside = !inside;
    }
  }
  return inside;
}

// Douglas-Peucker on a closed ring (first == last), anchored at the first point and the point
// farthest from it.
void simplify_ring(Ring& r, double tol) {
  const std::size_t n = r.size();
  if (n <= 8) return;
  std::vector<char> keep(n, 0);
  std::size_t far = 0;
  double far_d = -1;
  for (std::size_t i = 1; i + 1 < n; ++i) {
    const double d = std::hypot(r[i].x() - r[0].x(), r[i].y() - r[0].y());
    if (d > far_d) {
      far_d = d;
      far = i;
    }
  }
  keep[0] = keep[far] = keep[n - 1] = 1;
  std::vector<std::pair<std::size_t, std::size_t>> stack{{0, far}, {far, n - 1}};
  while (!stack.empty()) {
    const auto [a, b] = stack.back();
    stack.pop_back();
    if (b <= a + 1) continue;
    const double ax = r[a].x(), ay = r[a].y();
    const double dx = r[b].x() - ax, dy = r[b].y() - ay;
    const double len = std::hypot(dx, dy);
    std::size_t worst = a;
    double worst_d = -1;
    for (std::size_t i = a + 1; i < b; ++i) {
      const double qx = r[i].x() - ax, qy = r[i].y() - ay;
      const double d = len > 0 ? std::abs(qx * dy - qy * dx) / len : std::hypot(qx, qy);
      if (d > worst_d) {
        worst_d = d;
        worst = i;
      }
    }
    if (worst_d > tol) {
      keep[worst] = 1;
      stack.emplace_back(a, worst);
      stack.emplace_back(worst, b);
    }
  }
  Ring out;
  for (std::size_t i = 0; i < n; ++i) {
    if (keep[i]) out.push_back(r[i]);
  }
  if (out.size() >= 4) r = std::move(out);
}

struct Rings {
  std::vector<Ring> rings;
  std::vector<double> areas;
};

// Closed rings of {f < 0} over the band's cells of a window (f > 0 on the window's border; f is
// read only at the corners of those cells), inside on the left. Corners of cell (i, j),
// counter-clockwise: v0 (i, j), v1 (i+1, j), v2 (i+1, j+1), v3 (i, j+1); edge k runs from v_k to
// v_k+1. In a cell the contour runs from each edge crossed inside -> outside (walking
// counter-clockwise) to an edge crossed outside -> inside; each lattice edge is crossed
// inside -> outside in exactly one of its two cells, so `next` links every crossing once. `next`
// (one entry per lattice edge) is all -1 on entry and is left so.
Rings trace_zero_set(const std::vector<double>& f, const Window& w, double h, const std::vector<std::uint32_t>& cells,
                     std::vector<std::int32_t>& next) {
  const std::int64_t nx = w.nx;
  const std::int64_t nh = (nx - 1) * w.ny;  // horizontal edges (i, j)-(i+1, j) first, then vertical
  std::vector<std::int32_t> starts;
  const auto idx = [nx](std::int64_t i, std::int64_t j) { return static_cast<std::size_t>(j * nx + i); };
  for (const std::uint32_t cell : cells) {
    const std::int64_t i = cell % nx, j = cell / nx;
    const std::array<double, 4> v{f[idx(i, j)], f[idx(i + 1, j)], f[idx(i + 1, j + 1)], f[idx(i, j + 1)]};
    const int code = (v[0] < 0) | (v[1] < 0) << 1 | (v[2] < 0) << 2 | (v[3] < 0) << 3;
    if (code == 0 || code == 15) continue;
    const std::array<std::int64_t, 4> e{j * (nx - 1) + i, nh + j * nx + i + 1, (j + 1) * (nx - 1) + i, nh + j * nx + i};
    const auto in = [&](int k) { return (code >> (k & 3) & 1) != 0; };
    if (code == 5 || code == 10) {  // saddle: the centre value (mean of the corners) decides
      const bool centre_in = v[0] + v[1] + v[2] + v[3] < 0;
      for (int k = 0; k < 4; ++k) {
        if (in(k) && !in(k + 1)) {
          next[static_cast<std::size_t>(e[k])] = static_cast<std::int32_t>(e[(k + (centre_in ? 1 : 3)) & 3]);
          starts.push_back(static_cast<std::int32_t>(e[k]));
        }
      }
      continue;
    }
    int from = -1, to = -1;
    for (int k = 0; k < 4; ++k) {
      if (in(k) && !in(k + 1)) from = k;
      if (!in(k) && in(k + 1)) to = k;
    }
    next[static_cast<std::size_t>(e[from])] = static_cast<std::int32_t>(e[to]);
    starts.push_back(static_cast<std::int32_t>(e[from]));
  }
  const auto crossing = [&](std::int64_t id) {
    std::int64_t i = 0, j = 0, di = 0, dj = 0;
    if (id < nh) {
      j = id / (nx - 1);
      i = id % (nx - 1);
      di = 1;
    } else {
      j = (id - nh) / nx;
      i = (id - nh) % nx;
      dj = 1;
    }
    const double fa = f[idx(i, j)], fb = f[idx(i + di, j + dj)];
    const double s = fa / (fa - fb);
    return Point2{(static_cast<double>(w.i0 + i) + s * static_cast<double>(di)) * h,
                  (static_cast<double>(w.j0 + j) + s * static_cast<double>(dj)) * h};
  };
  Rings out;
  for (const std::int32_t start : starts) {
    if (next[static_cast<std::size_t>(start)] < 0) continue;  // already traced
    Ring ring;
    std::int32_t e = start;
    while (e >= 0) {  // round the cycle; the start's link is cleared last, so it closes the ring
      ring.push_back(crossing(e));
      const std::int32_t n = next[static_cast<std::size_t>(e)];
      next[static_cast<std::size_t>(e)] = -1;
      e = n;
    }
    const double a = ring_area(ring);
    out.rings.push_back(std::move(ring));
    out.areas.push_back(a);
  }
  return out;
}

// The region of the traced rings: counter-clockwise rings are outer rings, each clockwise ring is
// a hole of the smallest outer ring containing it. Rings under `min_area` are dropped.
MultiPolygon assemble(const Rings& rings, double min_area, double simplify_tol) {
  std::vector<std::size_t> outers, holes;
  for (std::size_t k = 0; k < rings.rings.size(); ++k) {
    if (std::abs(rings.areas[k]) < min_area) continue;
    (rings.areas[k] > 0 ? outers : holes).push_back(k);
  }
  std::vector<Box2> boxes(rings.rings.size());
  for (std::size_t k : outers) {
    std::optional<Box2> box;
    expand(box, rings.rings[k]);
    boxes[k] = *box;
  }
  std::vector<std::vector<std::size_t>> holes_of(rings.rings.size());
  for (std::size_t k : holes) {
    const Point2 p = rings.rings[k].front();
    std::optional<std::size_t> parent;
    for (std::size_t o : outers) {
      const Box2& b = boxes[o];
      if (p.x() < b.min_corner().x() || p.x() > b.max_corner().x() || p.y() < b.min_corner().y() ||
          p.y() > b.max_corner().y()) {
        continue;
      }
      if ((!parent || rings.areas[o] < rings.areas[*parent]) && ring_contains(rings.rings[o], p)) parent = o;
    }
    if (parent) holes_of[*parent].push_back(k);  // (a hole always has one; guard for safety)
  }
  MultiPolygon out;
  for (std::size_t o : outers) {
    Polygon poly;
    poly.outer() = rings.rings[o];
    if (simplify_tol > 0) simplify_ring(poly.outer(), simplify_tol);
    for (std::size_t k : holes_of[o]) {
      poly.inners().push_back(rings.rings[k]);
      if (simplify_tol > 0) simplify_ring(poly.inners().back(), simplify_tol);
    }
    out.push_back(std::move(poly));
  }
  bg::correct(out);
  return out;
}

bool same_region(const MultiPolygon& a, const MultiPolygon& b) {
  if (a.size() != b.size()) return false;
  const auto same_ring = [](const Ring& x, const Ring& y) {
    return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin(), [](const Point2& p, const Point2& q) {
             return p.x() == q.x() && p.y() == q.y();
           });
  };
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (!same_ring(a[k].outer(), b[k].outer()) || a[k].inners().size() != b[k].inners().size()) return false;
    for (std::size_t m = 0; m < a[k].inners().size(); ++m) {
      if (!same_ring(a[k].inners()[m], b[k].inners()[m])) return false;
    }
  }
  return true;
}

Plane make_plane(double z, MultiPolygon region, std::vector<std::size_t> contours = {}) {
  Plane p;
  p.z_mm = z;
  p.area_mm2 = region.empty() ? 0.0 : bg::area(region);
  p.region = std::move(region);
  p.contours = std::move(contours);
  return p;
}

}  // namespace

InterpolatedStructure interpolate_planes(const Structure& s, const ShapeInterpolationOptions& options) {
  if (!(options.max_plane_gap_mm > 0) || !(options.raster_mm > 0)) {
    throw std::invalid_argument("interpolate_planes: max_plane_gap_mm and raster_mm must be positive");
  }
  InterpolatedStructure out;
  const std::vector<Plane>& planes = s.planes;
  if (planes.empty()) {
    out.structure = s;
    out.notes.emplace_back("no plane: nothing to interpolate");
    return out;
  }
  if (!(s.slab_mm > 0)) {
    out.structure = s;
    out.notes.emplace_back("slab thickness unknown (single plane without slice spacing): not interpolated");
    return out;
  }
  const double slab = s.slab_mm;
  auto n = static_cast<std::int64_t>(std::ceil(slab / options.max_plane_gap_mm - 1e-9));
  n = std::max<std::int64_t>(n, 1);
  if (n % 2 == 0) ++n;
  if (n == 1) {
    out.structure = s;
    out.notes.push_back(fmt::format("slab {:.3f} mm already within {:.3f} mm: not interpolated", slab,
                                    options.max_plane_gap_mm));
    return out;
  }
  const double new_slab = slab / static_cast<double>(n);
  const std::int64_t caps = (n - 1) / 2;
  const std::size_t np = planes.size();

  // Which gaps are bridged by the distance-map blend (the others keep their planes' half slabs).
  std::vector<std::optional<Box2>> boxes(np);
  for (std::size_t k = 0; k < np; ++k) boxes[k] = envelope(planes[k].region);
  std::vector<char> bridged(np, 0), blended(np, 0);  // gap k lies between planes k and k+1
  for (std::size_t k = 0; k + 1 < np; ++k) {
    const double gap = planes[k + 1].z_mm - planes[k].z_mm;
    bridged[k] = gap <= 1.5 * slab;
    blended[k] = bridged[k] && boxes[k] && boxes[k + 1] && !same_region(planes[k].region, planes[k + 1].region);
    if (!bridged[k]) {
      out.notes.push_back(fmt::format("gap of {:.2f} mm between z={:.2f} and z={:.2f} mm not bridged (missing "
                                      "planes); each side keeps its half slab",
                                      gap, planes[k].z_mm, planes[k + 1].z_mm));
    } else if (!boxes[k] != !boxes[k + 1]) {  // one side empty (hand-built planes only)
      out.notes.push_back(fmt::format("empty plane at z={:.2f} mm: its neighbour's region is repeated up to the "
                                      "midpoint",
                                      boxes[k] ? planes[k + 1].z_mm : planes[k].z_mm));
    }
  }

  // The lattice pixel: raster_mm unless a pair's window would be too large.
  double h = options.raster_mm;
  double widest = 0;
  for (std::size_t k = 0; k + 1 < np; ++k) {
    if (!blended[k]) continue;
    const Box2 b = join(*boxes[k], *boxes[k + 1]);
    widest = std::max(widest, (b.max_corner().x() - b.min_corner().x() + 2 * (kMargin + 1) * h) *
                                  (b.max_corner().y() - b.min_corner().y() + 2 * (kMargin + 1) * h));
  }
  if (widest / (h * h) > kMaxWindowPixels) {
    h = std::sqrt(widest / kMaxWindowPixels) * 1.01;
    out.notes.push_back(fmt::format("distance-map pixel enlarged from {:.3f} to {:.3f} mm (regions of {:.0f} cm²)",
                                    options.raster_mm, h, widest / 100));
  }

  // Inside bits and (band) distances of each plane, on the window of the plane and its blended
  // neighbours (that window holds every pair window the plane takes part in, on the same lattice).
  const auto field_of = [&](std::size_t k) {
    Box2 b = *boxes[k];
    if (k > 0 && blended[k - 1]) b = join(b, *boxes[k - 1]);
    if (k + 1 < np && blended[k]) b = join(b, *boxes[k + 1]);
    return sign_field(planes[k].region, window_of(b, h), h);
  };

  Structure& r = out.structure;
  r.slab_mm = new_slab;
  r.slab_from_fallback = s.slab_from_fallback;
  r.planes.reserve(np * static_cast<std::size_t>(n) + static_cast<std::size_t>(2 * caps));
  const auto add_caps = [&](std::size_t k, int side) {
    if (planes[k].region.empty()) return;
    for (std::int64_t j = 1; j <= caps; ++j) {
      const std::int64_t m = side < 0 ? caps + 1 - j : j;  // ascending z
      r.planes.push_back(make_plane(planes[k].z_mm + static_cast<double>(side * m) * new_slab, planes[k].region,
                                    planes[k].contours));
      ++out.planes_added;
    }
  };

  std::optional<Field> lower;  // the field of plane k, when gap k - 1 was blended
  std::vector<double> f;
  std::vector<std::int32_t> next;
  std::size_t fallbacks = 0, vanished = 0;
  for (std::size_t k = 0; k < np; ++k) {
    const Plane& a = planes[k];
    if (k == 0 || !bridged[k - 1]) add_caps(k, -1);
    r.planes.push_back(a);
    if (k + 1 == np || !bridged[k]) {
      add_caps(k, +1);
      lower.reset();
      continue;
    }
    const Plane& b = planes[k + 1];
    const double gap = b.z_mm - a.z_mm;
    std::optional<Field> upper;
    Window w;
    Band band;
    if (blended[k]) {
      if (!lower) lower = field_of(k);
      upper = field_of(k + 1);
      w = window_of(join(*boxes[k], *boxes[k + 1]), h);
      band = band_of(*lower, *upper, w);
      DistanceSolver(*lower, h).run();
      DistanceSolver(*upper, h).run();
      f.resize(static_cast<std::size_t>(w.nx * w.ny));
      next.assign(static_cast<std::size_t>((w.nx - 1) * w.ny + w.nx * (w.ny - 1)), -1);
    }
    for (std::int64_t m = 1; m < n; ++m) {
      const double t = static_cast<double>(m) / static_cast<double>(n);
      const double z = a.z_mm + gap * t;
      const Plane& nearest = 2 * m < n ? a : b;
      if (!blended[k]) {  // identical regions, or an empty side: the plane model's own answer
        if (nearest.region.empty()) continue;
        r.planes.push_back(make_plane(z, nearest.region));
        ++out.planes_added;
        continue;
      }
      // A point inside (outside) both regions keeps that side whatever t: the cells left out of the
      // band rely on it. Elsewhere no blend is exactly zero (no ring touches a lattice point).
      const double eps = 0.5 * kEpsPixels * h;
      for (const std::uint32_t p : band.points) {
        const std::int64_t I = w.i0 + p % w.nx, J = w.j0 + p / w.nx;
        const std::size_t ka = lower->index(I, J), kb = upper->index(I, J);
        const bool ia = (lower->state[ka] & Field::kInside) != 0, ib = (upper->state[kb] & Field::kInside) != 0;
        double v = (1 - t) * lower->v[ka] + t * upper->v[kb];
        if (ia && ib) {
          v = std::min(v, -eps);
        } else if (!ia && !ib) {
          v = std::max(v, eps);
        } else if (std::abs(v) < eps) {
          v = eps;
        }
        f[p] = v;
      }
      const Rings rings = trace_zero_set(f, w, h, band.cells, next);
      MultiPolygon region = assemble(rings, h * h, kSimplifyPixels * h);
      if (!region.empty() && !bg::is_valid(region)) {
        region = assemble(rings, h * h, 0);  // unsimplified
        if (!bg::is_valid(region)) {
          ++fallbacks;
          region = nearest.region;
        }
      }
      if (region.empty()) {  // the morph vanishes here: the structure is split in z
        ++vanished;
        continue;
      }
      r.planes.push_back(make_plane(z, std::move(region)));
      ++out.planes_added;
    }
    lower = std::move(upper);
  }
  if (fallbacks > 0) {
    out.notes.push_back(fmt::format("{} interpolated plane(s) not valid polygons: the nearest original plane's "
                                    "region used instead",
                                    fallbacks));
  }
  if (vanished > 0) {
    out.notes.push_back(fmt::format("{} interpolated plane(s) empty (a region shrinking to nothing between planes "
                                    "whose regions do not meet): left out",
                                    vanished));
  }
  return out;
}

}  // namespace rtaudit::geom
