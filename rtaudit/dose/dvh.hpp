#pragma once
// Cumulative dose-volume histograms with exact partial volumes (docs/dvh.md).
//
// The structure is the plane model of geom/ (each plane a region standing for its slab,
// geom::slab_extents). For each plane, the exact area of its region falling in each dose voxel
// column is computed (signed-area accumulation over the polygon edges, like an exact-coverage
// rasteriser: no voxel-centre tests), with the exact centroid of the covered part. Each dose cell
// is split into m x m sub-cells (m even, so sub-cell edges run through the voxel centres where the
// trilinear interpolant has its kinks) and each slab is cut at the dose planes and into sub-slabs,
// so that no piece exceeds DvhOptions::max_sample_spacing_mm. Each piece carries its exact volume
// and the trilinear dose (bilinear in-plane, linear between dose planes) at its centroid; its
// volume is spread uniformly over the dose range the local gradient spans across the piece (exact
// for a dose linear across the piece; added in O(1) per piece to the cumulative histogram through
// difference arrays of the piecewise-linear cumulative function). So the total volume is the
// structure's own (geom::slab_extents, never the dose grid's) and the dose is integrated at a
// resolution independent of the grid.
//
// Parts of the structure outside the dose grid's domain (dose_volume.hpp) are not sampled: their
// volume is reported (outside_grid_cc) and the DVH is marked incomplete, never extrapolated.

#include "rtaudit/dose/dose_volume.hpp"
#include "rtaudit/geom/structure.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rtaudit::dose {

struct DvhOptions {
  /// Largest sub-cell edge and sub-slab thickness (mm) at which the dose is sampled.
  double max_sample_spacing_mm = 1.25;
  /// Width of the histogram bins (Gy). Dx and Vx interpolate linearly within a bin.
  double bin_width_gy = 0.01;
};

struct Dvh {
  double bin_width_gy = 0.01;
  /// cumulative_cc[i] = volume (cc) receiving at least i * bin_width_gy; cumulative_cc[0] is the
  /// sampled volume; the last entry is 0 (one bin above the maximum).
  std::vector<double> cumulative_cc;
  double structure_volume_cc = 0;  ///< the plane model's volume (slab extents), whatever the grid
  double sampled_volume_cc = 0;    ///< the part inside the dose grid (= structure volume when complete)
  double outside_grid_cc = 0;      ///< the part outside the dose grid's domain
  double min_gy = 0, max_gy = 0, mean_gy = 0;  ///< over the sampled pieces (mean volume-weighted)
  std::size_t samples = 0;

  [[nodiscard]] bool complete() const { return outside_grid_cc <= 1e-9 * std::max(1.0, structure_volume_cc); }
  /// Volume (cc) receiving at least `gy`, interpolated linearly between bin edges.
  [[nodiscard]] double volume_at_least_cc(double gy) const;
};

struct DvhResult {
  std::optional<Dvh> dvh;
  std::string error;                 ///< no DVH: empty structure, no slab thickness, no overlap with the grid
  std::vector<std::string> notes;    ///< e.g. part outside the grid, contours farther apart than dose planes
  double structure_slab_mm = 0;      ///< the structure's slab thickness
  double dose_plane_gap_mm = 0;      ///< the dose grid's largest plane gap
  /// True when the structure's planes are farther apart than the dose planes (the dose varies
  /// within a slab more than between planes): offer geom::interpolate_planes.
  bool contours_coarser_than_dose = false;
};

[[nodiscard]] DvhResult compute_dvh(const geom::Structure& s, const DoseVolume& dose, const DvhOptions& options = {});

// ---- Metrics on a cumulative DVH (Dx by linear interpolation on the curve, DOMAIN.md section 6) ----

/// The smallest dose received by the hottest `cc` of the sampled volume: D(V) where the cumulative
/// curve equals `cc`. NaN when cc exceeds the sampled volume or is negative.
[[nodiscard]] double dose_at_volume_cc(const Dvh& dvh, double cc);
/// The same for a share (percent) of the sampled volume (D95% = dose_at_volume_pct(dvh, 95)).
[[nodiscard]] double dose_at_volume_pct(const Dvh& dvh, double pct);
/// Volume (cc / percent of the sampled volume) receiving at least `gy`.
[[nodiscard]] double volume_at_dose_cc(const Dvh& dvh, double gy);
[[nodiscard]] double volume_at_dose_pct(const Dvh& dvh, double gy);

struct VolumeAtDose {
  double dose_gy = 0;
  double volume_cc = 0;
  double volume_pct = 0;
};

struct StandardMetrics {
  double mean_gy = 0, min_gy = 0, max_gy = 0;
  double d0_03cc_gy = 0;  ///< NaN when the structure is smaller than 0.03 cc
  double d2_gy = 0, d50_gy = 0, d95_gy = 0, d98_gy = 0;
  std::vector<VolumeAtDose> v;  ///< one per requested level
};

/// The metrics the issue names; `v_levels_gy` are the Vx levels (default 5, 10, 20, 25, 30, 40 Gy).
[[nodiscard]] StandardMetrics standard_metrics(const Dvh& dvh,
                                               const std::vector<double>& v_levels_gy = {5, 10, 20, 25, 30, 40});

// ---- Metric names as constraint files and the command line write them ----

/// A parsed metric name: "Dmean", "Dmax", "Dmin", "D0.03cc", "D2%", "D95%", "V20Gy" (cc or % by
/// `unit`), "V20Gy%", "V20Gy[cc]"...
struct MetricSpec {
  enum class Kind { Mean, Min, Max, DoseAtVolumeCc, DoseAtVolumePct, VolumeAtDoseCc, VolumeAtDosePct };
  Kind kind = Kind::Mean;
  double parameter = 0;  ///< the volume (cc or %) of a D metric, the dose (Gy) of a V metric
  std::string text;      ///< canonical spelling, e.g. "D0.03cc", "V20Gy[%]"
  [[nodiscard]] bool is_dose() const { return kind != Kind::VolumeAtDoseCc && kind != Kind::VolumeAtDosePct; }
  [[nodiscard]] std::string unit() const;  ///< "Gy", "cc" or "%"
};

/// Parses a metric name. `v_unit` ("%" or "cc") applies to a V metric written without a unit.
/// Empty on a name it does not know.
[[nodiscard]] std::optional<MetricSpec> parse_metric(const std::string& text, const std::string& v_unit = "%");

/// The metric's value on the DVH (Gy, cc or %).
[[nodiscard]] double evaluate(const Dvh& dvh, const MetricSpec& metric);

}  // namespace rtaudit::dose
