// The analytic DVH error table (docs/dvh-analytic.md): per shape x gradient axis x contour spacing
// x dose grid, the largest |error| over the D metrics (Gy and % of the analytic value) and over the
// V metrics (percentage points of the structure volume), for the plane model as contoured and after
// geom::interpolate_planes. Prints markdown.
//
//   dvh_analytic_table [--sample-mm 0.5] [--gap-mm 0.5] [--raster-mm 0.2] [--vertices 360] [--detail]
//
// --sample-mm: DvhOptions::max_sample_spacing_mm; --gap-mm / --raster-mm: ShapeInterpolationOptions;
// --detail: every metric of every case after the table.

#include "tests/dose/analytic_shapes.hpp"

#include "rtaudit/dose/dvh.hpp"
#include "rtaudit/geom/shape_interpolation.hpp"

#include <fmt/core.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace rtaudit::test::analytic;
namespace dose = rtaudit::dose;
namespace geom = rtaudit::geom;

namespace {

struct Row {
  bool ok = false;
  Comparison c;
  double seconds = 0;
  bool coarser = false;
};

Row evaluate(const geom::Structure& s, Shape shape, Axis axis, double grid, const dose::DvhOptions& o) {
  Row row;
  const auto t0 = std::chrono::steady_clock::now();
  const dose::DvhResult r = dose::compute_dvh(s, dose_grid(axis, GridSpec{grid}), o);
  row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!r.dvh) {
    fmt::print(stderr, "no DVH: {}\n", r.error);
    return row;
  }
  row.ok = true;
  row.c = compare(*r.dvh, shape, axis);
  row.coarser = r.contours_coarser_than_dose;
  return row;
}

std::string cells(const Row& r) {
  if (!r.ok) return "n/a | n/a | n/a | n/a | n/a";
  return fmt::format("{:+.3f} | {:.3f} | {:.2f} ({}) | {:.2f} | {:.2f} ({})", r.c.model_volume_error_pct, r.c.max_d_gy,
                     r.c.max_d_pct, r.c.worst_d, r.c.max_dx_pct, r.c.max_v_pp, r.c.worst_v);
}

}  // namespace

int main(int argc, char** argv) {
  dose::DvhOptions options;
  geom::ShapeInterpolationOptions interp;
  int vertices = 360;
  bool detail = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> double {
      if (i + 1 >= argc) {
        fmt::print(stderr, "{} needs a value\n", a);
        std::exit(2);
      }
      return std::atof(argv[++i]);
    };
    if (a == "--sample-mm") options.max_sample_spacing_mm = next();
    else if (a == "--gap-mm") interp.max_plane_gap_mm = next();
    else if (a == "--raster-mm") interp.raster_mm = next();
    else if (a == "--vertices") vertices = static_cast<int>(next());
    else if (a == "--detail") detail = true;
    else {
      fmt::print(stderr, "usage: dvh_analytic_table [--sample-mm X] [--gap-mm X] [--raster-mm X] [--vertices N] [--detail]\n");
      return 2;
    }
  }

  fmt::print("DVH options: max_sample_spacing_mm {}, bin_width_gy {}; interpolation: max_plane_gap_mm {}, "
             "raster_mm {}; {}-gon contours.\n\n",
             options.max_sample_spacing_mm, options.bin_width_gy, interp.max_plane_gap_mm, interp.raster_mm, vertices);
  fmt::print("| shape | gradient | contours mm | grid mm | vol. err % | max D err Gy | max D err % (metric) | "
             "Dx err % | max V err pp (metric) | interp. vol. err % | interp. max D err Gy | "
             "interp. max D err % (metric) | interp. Dx err % | interp. max V err pp (metric) |\n");
  fmt::print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");

  struct Detail {
    std::string label;
    Comparison plain, interp;
    bool has_interp = false;
  };
  std::vector<Detail> details;
  double worst_fine_d = 0, worst_fine_v = 0, total_seconds = 0;

  for (const Shape shape : {Shape::Sphere, Shape::Cylinder, Shape::Cone}) {
    for (const Axis axis : {Axis::Z, Axis::Y}) {
      for (const double h : {0.2, 1.0, 2.0, 3.0}) {
        const geom::Structure plain = structure(shape, h, vertices);
        const bool do_interp = h > interp.max_plane_gap_mm + 1e-9;
        geom::Structure interpolated;
        if (do_interp) interpolated = geom::interpolate_planes(plain, interp).structure;
        for (const double grid : {1.0, 2.0, 3.0}) {
          const Row a = evaluate(plain, shape, axis, grid, options);
          total_seconds += a.seconds;
          std::string right = "(as plain) | | | | ";
          Detail d{fmt::format("{} {} contours {} mm grid {} mm", to_string(shape), to_string(axis), h, grid), a.c, {}, false};
          if (do_interp) {
            const Row b = evaluate(interpolated, shape, axis, grid, options);
            total_seconds += b.seconds;
            right = cells(b);
            d.interp = b.c;
            d.has_interp = true;
          }
          if (h < 0.5) {
            worst_fine_d = std::max(worst_fine_d, a.c.max_d_pct);
            worst_fine_v = std::max(worst_fine_v, a.c.max_v_pp);
          }
          fmt::print("| {} | {} | {} | {} | {} | {} |\n", to_string(shape), to_string(axis), h, grid, cells(a), right);
          std::fflush(stdout);
          details.push_back(std::move(d));
        }
      }
    }
  }
  fmt::print("\n0.2 mm contours: largest D error {:.3f} % of the analytic value, largest V error {:.3f} pp. "
             "DVH time {:.1f} s in all.\n",
             worst_fine_d, worst_fine_v, total_seconds);

  if (detail) {
    for (const Detail& d : details) {
      fmt::print("\n### {}\n\n| metric | analytic | computed | error | interp. computed | interp. error |\n"
                 "|---|---|---|---|---|---|\n",
                 d.label);
      for (std::size_t k = 0; k < d.plain.metrics.size(); ++k) {
        const MetricError& e = d.plain.metrics[k];
        const std::string unit = e.is_dose ? " Gy" : " pp";
        std::string more = "| ";
        if (d.has_interp && k < d.interp.metrics.size()) {
          const MetricError& f = d.interp.metrics[k];
          more = fmt::format("{:.4f} | {:+.4f}{}", f.computed, f.error, unit);
        }
        fmt::print("| {} | {:.4f} | {:.4f} | {:+.4f}{} | {} |\n", e.name, e.analytic, e.computed, e.error, unit, more);
      }
    }
  }
  return 0;
}
