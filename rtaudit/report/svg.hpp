#pragma once
// Small SVG building blocks for the HTML report's figures: a world-to-pixel mapping, polygon paths,
// axis ticks and a line chart. Pure string building; every text passes through html_escape (SVG
// inline in HTML is parsed by the HTML parser).

#include "rtaudit/geom/types.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace rtaudit::report::svg {

/// Maps a world rectangle (mm, Gy, ...) onto a pixel rectangle. World y0 goes to pixel py0, so a
/// view with z upwards maps z_max to the top by giving wy0 = z_max.
struct Mapping {
  double wx0 = 0, wx1 = 1, wy0 = 0, wy1 = 1;
  double px0 = 0, px1 = 1, py0 = 0, py1 = 1;
  [[nodiscard]] double x(double w) const { return px0 + (w - wx0) / (wx1 - wx0) * (px1 - px0); }
  [[nodiscard]] double y(double w) const { return py0 + (w - wy0) / (wy1 - wy0) * (py1 - py0); }
};

/// A world window scaled isotropically (1 mm is as wide as it is high) and centred in a
/// width x height pixel area with `pad` pixels of margin; `y_up` maps larger world y upwards.
[[nodiscard]] Mapping isotropic(double wx0, double wx1, double wy0, double wy1, double width, double height,
                                double pad, bool y_up);

/// A number for an attribute: fixed, two decimals, no "-0.00".
[[nodiscard]] std::string num(double v);

/// Path data of a region (outer rings and holes; draw with fill-rule="evenodd").
[[nodiscard]] std::string path_data(const geom::MultiPolygon& region, const Mapping& m);

/// About `target` round tick values covering [lo, hi] (steps 1, 2, 2.5, 5 x 10^k).
[[nodiscard]] std::vector<double> nice_ticks(double lo, double hi, int target = 6);

/// <text> element with escaped content. `attrs` is trusted markup written by rtaudit itself.
[[nodiscard]] std::string text(double x, double y, std::string_view content, std::string_view attrs = {});

struct Series {
  std::string label;
  std::string colour;  ///< a CSS colour rtaudit chose (never data from a file)
  std::vector<double> x, y;
  bool dashed = false;
  bool markers = false;  ///< draw each point as a circle instead of joining them
  std::vector<std::string> point_labels;  ///< tooltips of the markers (escaped when drawn)
};

struct LineChart {
  std::string title, x_label, y_label;
  double x_min = 0, x_max = 1, y_min = 0, y_max = 100;
  std::vector<Series> series;
  double width = 640, height = 360;
};

/// A complete <svg> element: axes with ticks and labels, one polyline per series, a legend.
[[nodiscard]] std::string line_chart(const LineChart& chart);

}  // namespace rtaudit::report::svg
