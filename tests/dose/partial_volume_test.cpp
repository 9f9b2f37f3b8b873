// Exact partial volumes (dose/partial_volume.hpp) against each ring clipped to every cell
// (Sutherland-Hodgman; area and centroid), on polygons with holes, islands and edges on lattice lines.

#include "rtaudit/dose/partial_volume.hpp"

#include "rtaudit/geom/region_ops.hpp"
#include "tests/support/shapes.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>

namespace rtaudit::dose {
namespace {

geom::MultiPolygon region_of(const std::vector<geom::Contour>& contours) {
  geom::BuildOptions o;
  o.fallback_slab_mm = 1;
  const auto b = geom::build_structure(contours, o);
  EXPECT_EQ(b.structure.planes.size(), 1u);
  return b.structure.planes.front().region;
}

// Reference: each ring clipped to the cell by Sutherland-Hodgman (exact for a convex window; the
// rings' orientations sign their areas, so holes subtract), area and first moments by shoelace.
// Independent of the accumulation scheme (and of Boost's overlay, whose integer rescaling rounds
// areas at about 1e-7 relative).
struct Moments {
  double a = 0, mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;  ///< about the origin
};
Moments clipped_moments(const geom::MultiPolygon& m, double x0, double y0, double x1, double y1) {
  Moments out;
  const auto clip = [](std::vector<geom::Point2> pts, auto inside, auto cross) {
    std::vector<geom::Point2> res;
    for (std::size_t i = 0; i < pts.size(); ++i) {
      const geom::Point2& p = pts[i];
      const geom::Point2& q = pts[(i + 1) % pts.size()];
      const bool ip = inside(p), iq = inside(q);
      if (ip) res.push_back(p);
      if (ip != iq) res.push_back(cross(p, q));
    }
    return res;
  };
  const auto ring = [&](const geom::Ring& r) {
    std::vector<geom::Point2> pts(r.begin(), r.end() - 1);
    const auto at_x = [](double x) {
      return [x](const geom::Point2& p, const geom::Point2& q) {
        const double t = (x - p.x()) / (q.x() - p.x());
        return geom::Point2(x, p.y() + t * (q.y() - p.y()));
      };
    };
    const auto at_y = [](double y) {
      return [y](const geom::Point2& p, const geom::Point2& q) {
        const double t = (y - p.y()) / (q.y() - p.y());
        return geom::Point2(p.x() + t * (q.x() - p.x()), y);
      };
    };
    pts = clip(pts, [&](const geom::Point2& p) { return p.x() >= x0; }, at_x(x0));
    pts = clip(pts, [&](const geom::Point2& p) { return p.x() <= x1; }, at_x(x1));
    pts = clip(pts, [&](const geom::Point2& p) { return p.y() >= y0; }, at_y(y0));
    pts = clip(pts, [&](const geom::Point2& p) { return p.y() <= y1; }, at_y(y1));
    for (std::size_t i = 0; i < pts.size(); ++i) {
      const auto& p = pts[i];
      const auto& q = pts[(i + 1) % pts.size()];
      const double c = p.x() * q.y() - q.x() * p.y();
      out.a += c / 2;
      out.mx += (p.x() + q.x()) * c / 6;
      out.my += (p.y() + q.y()) * c / 6;
      out.sxx += (p.x() * p.x() + p.x() * q.x() + q.x() * q.x()) * c / 12;
      out.syy += (p.y() * p.y() + p.y() * q.y() + q.y() * q.y()) * c / 12;
      out.sxy += (p.x() * q.y() + 2 * p.x() * p.y() + 2 * q.x() * q.y() + q.x() * p.y()) * c / 24;
    }
  };
  for (const auto& p : m) {
    ring(p.outer());
    for (const auto& h : p.inners()) ring(h);
  }
  return out;
}

void expect_matches_clipping(const geom::MultiPolygon& region, const Lattice& L) {
  const auto cells = cell_areas(region, L);
  std::map<std::pair<long, long>, CellArea> got;
  double sum = 0;
  for (const auto& c : cells) {
    got[{c.i, c.j}] = c;
    sum += c.area_mm2;
  }
  const double total = geom::ops::area(region);
  EXPECT_NEAR(sum, total, 1e-9 * total);
  double xmin = 1e300, ymin = 1e300, xmax = -1e300, ymax = -1e300;
  for (const auto& poly : region)
    for (const auto& p : poly.outer()) {
      xmin = std::min(xmin, p.x());
      xmax = std::max(xmax, p.x());
      ymin = std::min(ymin, p.y());
      ymax = std::max(ymax, p.y());
    }
  const long i0 = static_cast<long>(std::floor((xmin - L.x0_mm) / L.dx_mm)) - 1;
  const long i1 = static_cast<long>(std::floor((xmax - L.x0_mm) / L.dx_mm)) + 1;
  const long j0 = static_cast<long>(std::floor((ymin - L.y0_mm) / L.dy_mm)) - 1;
  const long j1 = static_cast<long>(std::floor((ymax - L.y0_mm) / L.dy_mm)) + 1;
  for (long j = j0; j <= j1; ++j) {
    for (long i = i0; i <= i1; ++i) {
      const double x = L.x0_mm + static_cast<double>(i) * L.dx_mm, y = L.y0_mm + static_cast<double>(j) * L.dy_mm;
      const Moments ref = clipped_moments(region, x, y, x + L.dx_mm, y + L.dy_mm);
      const double a = ref.a;
      const auto it = got.find({i, j});
      const double mine = it == got.end() ? 0.0 : it->second.area_mm2;
      ASSERT_NEAR(mine, a, 1e-9 * L.dx_mm * L.dy_mm + 1e-12) << "cell " << i << ", " << j;
      if (a > 1e-6 * L.dx_mm * L.dy_mm) {
        EXPECT_NEAR(it->second.cx_mm, ref.mx / ref.a, 1e-6) << i << "," << j;
        EXPECT_NEAR(it->second.cy_mm, ref.my / ref.a, 1e-6) << i << "," << j;
        const double cx = ref.mx / ref.a, cy = ref.my / ref.a;
        EXPECT_NEAR(it->second.var_x_mm2, ref.sxx / ref.a - cx * cx, 1e-6) << i << "," << j;
        EXPECT_NEAR(it->second.var_y_mm2, ref.syy / ref.a - cy * cy, 1e-6) << i << "," << j;
        EXPECT_NEAR(it->second.cov_xy_mm2, ref.sxy / ref.a - cx * cy, 1e-6) << i << "," << j;
      }
    }
  }
}

TEST(PartialVolume, CircleWithAHoleAndAnIslandMatchesBoostCellByCell) {
  const std::vector<geom::Contour> contours{test::ngon(0.3, -0.2, 10, 0, 97), test::ngon(1.1, 0.4, 4, 0, 41),
                                            test::ngon(1.0, 0.5, 1.5, 0, 23)};
  Lattice L;
  L.x0_mm = -12.37;
  L.y0_mm = -11.9;
  L.dx_mm = 1.25;
  L.dy_mm = 0.8;
  expect_matches_clipping(region_of(contours), L);
}

TEST(PartialVolume, EdgesOnLatticeLinesAndRandomPolygons) {
  Lattice L;
  L.dx_mm = L.dy_mm = 1.0;
  expect_matches_clipping(region_of({test::rectangle(-2, -3, 4, 5, 0)}), L);  // every edge on a lattice line
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(-1, 1);
  for (int n = 0; n < 20; ++n) {
    // Star-shaped random polygons (simple by construction).
    geom::Contour c;
    const int k = 5 + n;
    for (int q = 0; q < k; ++q) {
      const double a = 2 * std::numbers::pi * q / k, r = 6 + 3 * u(rng);
      c.points.push_back({r * std::cos(a) + u(rng), r * std::sin(a) + u(rng), 0});
    }
    L.x0_mm = 0.37 * u(rng);
    L.y0_mm = 0.37 * u(rng);
    L.dx_mm = 0.7 + 0.5 * (u(rng) + 1);
    L.dy_mm = 0.7 + 0.5 * (u(rng) + 1);
    SCOPED_TRACE(n);
    expect_matches_clipping(region_of({c}), L);
  }
}

TEST(PartialVolume, PiecesSumToTheSlabModelVolumeAndCutAtTheGivenPlanes) {
  std::vector<geom::Contour> contours;
  for (int k = 0; k < 5; ++k) contours.push_back(test::ngon(0, 0, 10 - k, 2.5 * k, 64));
  geom::BuildOptions o;
  const geom::Structure s = geom::build_structure(contours, o).structure;
  Lattice L;
  L.dx_mm = L.dy_mm = 1.3;
  double v = 0;
  double zmin = 1e9, zmax = -1e9;
  for_each_piece(
      s, L, 0.6,
      [&](const VolumePiece& p) {
        v += p.volume_mm3;
        EXPECT_LE(p.thickness_mm, 0.6 + 1e-9);
        // No piece straddles the cut at z = 3.1.
        EXPECT_FALSE(p.z_mm - 0.5 * p.thickness_mm < 3.1 - 1e-9 && p.z_mm + 0.5 * p.thickness_mm > 3.1 + 1e-9);
        zmin = std::min(zmin, p.z_mm - 0.5 * p.thickness_mm);
        zmax = std::max(zmax, p.z_mm + 0.5 * p.thickness_mm);
      },
      {3.1});
  EXPECT_NEAR(v / 1000, *geom::volume_cc(s), 1e-9 * *geom::volume_cc(s));
  EXPECT_NEAR(zmin, -1.25, 1e-9);
  EXPECT_NEAR(zmax, 11.25, 1e-9);
}

}  // namespace
}  // namespace rtaudit::dose
