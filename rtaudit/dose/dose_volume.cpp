#include "rtaudit/dose/dose_volume.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace rtaudit::dose {
namespace {

constexpr double kAxisTolerance = 1e-4;   // direction cosines within this of a patient axis are that axis
constexpr double kGridTolerance = 0.01;   // mm: voxel centres closer than this coincide

/// The patient axis (0, 1, 2) a direction cosine vector lies along and its sign, or axis -1.
struct AxisDirection {
  int axis = -1;
  int sign = 0;
};

AxisDirection along_axis(double a, double b, double c) {
  const std::array<double, 3> v{a, b, c};
  AxisDirection out;
  for (int k = 0; k < 3; ++k) {
    if (std::abs(std::abs(v[k]) - 1) <= kAxisTolerance) {
      const bool others_small = std::abs(v[(k + 1) % 3]) <= kAxisTolerance && std::abs(v[(k + 2) % 3]) <= kAxisTolerance;
      if (others_small) {
        out.axis = k;
        out.sign = v[k] > 0 ? 1 : -1;
      }
    }
  }
  return out;
}

std::string name_of(const DoseGrid& g, std::size_t index) {
  return g.sop_instance_uid.empty() ? fmt::format("RTDOSE #{}", index + 1)
                                    : fmt::format("RTDOSE {} (#{})", g.sop_instance_uid, index + 1);
}

std::string orientation_text(const std::array<double, 6>& o) {
  return fmt::format("{}\\{}\\{}\\{}\\{}\\{}", o[0], o[1], o[2], o[3], o[4], o[5]);
}

bool is_whole(const std::string& summation) { return summation == "PLAN" || summation == "MULTI_PLAN"; }
bool is_part(const std::string& summation) { return summation == "BEAM" || summation == "FRACTION"; }

/// The largest distance between corresponding voxel centres of two volumes of the same size: the
/// differences are linear in each in-plane index, so the largest lies at a corner of each plane.
double max_voxel_distance(const DoseVolume& a, const DoseVolume& b) {
  double worst = 0;
  for (const int ix : {0, a.nx - 1}) {
    const double ex = (a.x0_mm + ix * a.dx_mm) - (b.x0_mm + ix * b.dx_mm);
    for (const int iy : {0, a.ny - 1}) {
      const double ey = (a.y0_mm + iy * a.dy_mm) - (b.y0_mm + iy * b.dy_mm);
      for (std::size_t k = 0; k < a.z_mm.size(); ++k) {
        const double ez = a.z_mm[k] - b.z_mm[k];
        worst = std::max(worst, std::sqrt(ex * ex + ey * ey + ez * ez));
      }
    }
  }
  return worst;
}

/// Cell of a regular axis holding `u` (in index units, already clamped to [0, n-1]) and the
/// fraction within it.
std::pair<int, double> cell(double u, int n) {
  if (n <= 1) return {0, 0.0};
  int i = static_cast<int>(std::floor(u));
  i = std::clamp(i, 0, n - 2);
  return {i, u - i};
}

}  // namespace

DoseVolumeResult to_dose_volume(const DoseGrid& g) {
  DoseVolumeResult out;
  const int frames = g.frames();
  if (g.columns <= 0 || g.rows <= 0 || frames <= 0) {
    out.error = fmt::format("empty dose grid ({} columns x {} rows x {} frames)", g.columns, g.rows, frames);
    return out;
  }
  const std::size_t n = static_cast<std::size_t>(g.columns) * static_cast<std::size_t>(g.rows) *
                        static_cast<std::size_t>(frames);
  if (g.dose_gy.size() != n) {
    out.error = fmt::format("{} doses for {} x {} x {} = {} voxels", g.dose_gy.size(), g.columns, g.rows, frames, n);
    return out;
  }
  if (!(g.column_spacing_mm > 0) || !(g.row_spacing_mm > 0) || !std::isfinite(g.column_spacing_mm) ||
      !std::isfinite(g.row_spacing_mm)) {
    out.error = fmt::format("pixel spacing {} x {} mm is not positive", g.row_spacing_mm, g.column_spacing_mm);
    return out;
  }
  for (const double c : g.origin_mm) {
    if (!std::isfinite(c)) {
      out.error = "ImagePositionPatient is not finite";
      return out;
    }
  }
  // Frame offsets: finite and strictly monotonic, ascending or descending.
  int direction = 0;
  for (std::size_t k = 0; k < g.frame_offsets_mm.size(); ++k) {
    if (!std::isfinite(g.frame_offsets_mm[k])) {
      out.error = fmt::format("frame offset {} is not finite", k);
      return out;
    }
    if (k == 0) continue;
    const double step = g.frame_offsets_mm[k] - g.frame_offsets_mm[k - 1];
    const int d = step > 0 ? 1 : (step < 0 ? -1 : 0);
    if (d == 0 || (direction != 0 && d != direction)) {
      out.error = fmt::format("frame offsets are not strictly monotonic (frame {}: {} mm after {} mm)", k,
                              g.frame_offsets_mm[k], g.frame_offsets_mm[k - 1]);
      return out;
    }
    direction = d;
  }

  // Orientation: rows and columns along patient axes, the frame normal along z.
  const auto& o = g.orientation;
  const AxisDirection r = along_axis(o[0], o[1], o[2]);
  const AxisDirection c = along_axis(o[3], o[4], o[5]);
  if (r.axis < 0 || c.axis < 0 || r.axis == c.axis) {
    out.error = fmt::format(
        "ImageOrientationPatient {} is oblique: its row and column directions are not along two different patient "
        "axes (within {}); the grid is not resampled",
        orientation_text(o), kAxisTolerance);
    return out;
  }
  if (r.axis == 2 || c.axis == 2) {
    out.error = fmt::format(
        "ImageOrientationPatient {}: the frames are not axial (their normal is along {}, not z); the grid is not "
        "resampled",
        orientation_text(o), (3 - r.axis - c.axis) == 0 ? "x" : "y");
    return out;
  }
  // Normal of the snapped axes: along z with sign s_r * s_c * (+1 for x,y order, -1 for y,x).
  const int normal_sign = r.sign * c.sign * (r.axis == 0 ? 1 : -1);

  DoseVolume v;
  v.frame_of_reference_uid = g.frame_of_reference_uid;
  if (!g.sop_instance_uid.empty()) v.sources.push_back(g.sop_instance_uid);
  // In-plane: which stored index runs along x, its spacing and direction.
  const bool rows_along_x = r.axis == 0;  // i (column index) varies along x
  const int count_x = rows_along_x ? g.columns : g.rows;
  const int count_y = rows_along_x ? g.rows : g.columns;
  const double step_x = rows_along_x ? g.column_spacing_mm : g.row_spacing_mm;
  const double step_y = rows_along_x ? g.row_spacing_mm : g.column_spacing_mm;
  const int sign_x = rows_along_x ? r.sign : c.sign;
  const int sign_y = rows_along_x ? c.sign : r.sign;
  v.nx = count_x;
  v.ny = count_y;
  v.dx_mm = step_x;
  v.dy_mm = step_y;
  v.x0_mm = g.origin_mm[0] + (sign_x > 0 ? 0.0 : -(count_x - 1) * step_x);
  v.y0_mm = g.origin_mm[1] + (sign_y > 0 ? 0.0 : -(count_y - 1) * step_y);

  // Planes: z of frame k, ascending.
  std::vector<double> z(static_cast<std::size_t>(frames));
  for (int k = 0; k < frames; ++k) z[static_cast<std::size_t>(k)] = g.origin_mm[2] + normal_sign * g.frame_offsets_mm[k];
  const bool frames_reversed = frames > 1 && z[1] < z[0];
  if (frames_reversed) std::reverse(z.begin(), z.end());
  v.z_mm = std::move(z);
  if (frames == 1 && g.slice_thickness_mm && std::isfinite(*g.slice_thickness_mm) && *g.slice_thickness_mm > 0)
    v.z_half_extent_single_mm = 0.5 * *g.slice_thickness_mm;

  v.gy.resize(n);
  const std::size_t plane = static_cast<std::size_t>(v.nx) * static_cast<std::size_t>(v.ny);
  for (int kz = 0; kz < frames; ++kz) {
    const int k = frames_reversed ? frames - 1 - kz : kz;
    for (int iy = 0; iy < v.ny; ++iy) {
      const int a_y = sign_y > 0 ? iy : v.ny - 1 - iy;  // stored index along y
      float* dst = &v.gy[static_cast<std::size_t>(kz) * plane + static_cast<std::size_t>(iy) * v.nx];
      for (int ix = 0; ix < v.nx; ++ix) {
        const int a_x = sign_x > 0 ? ix : v.nx - 1 - ix;  // stored index along x
        const int i = rows_along_x ? a_x : a_y;
        const int j = rows_along_x ? a_y : a_x;
        dst[ix] = g.at(i, j, k);
      }
    }
  }

  if (!rows_along_x) out.notes.push_back("rows run along y (decubitus orientation): rows and columns exchanged");
  if (sign_x < 0) out.notes.push_back("x reversed (the grid runs toward -x)");
  if (sign_y < 0) out.notes.push_back("y reversed (the grid runs toward -y)");
  if (frames_reversed) out.notes.push_back("frames reversed (they run toward -z)");
  if (g.dose_units == "RELATIVE") out.notes.push_back("RELATIVE dose units: the values are not Gy");
  if (g.dose_type == "ERROR") out.notes.push_back("DoseType ERROR: the values are a dose uncertainty, not a dose");
  out.volume = std::move(v);
  return out;
}

DoseVolumeResult sum_doses(const std::vector<DoseGrid>& grids) {
  DoseVolumeResult out;
  if (grids.empty()) {
    out.error = "no RTDOSE to sum";
    return out;
  }
  if (grids.size() == 1) return to_dose_volume(grids[0]);

  // The same object twice.
  for (std::size_t a = 0; a < grids.size(); ++a) {
    for (std::size_t b = a + 1; b < grids.size(); ++b) {
      if (!grids[a].sop_instance_uid.empty() && grids[a].sop_instance_uid == grids[b].sop_instance_uid) {
        out.error = fmt::format("{} and {} are the same SOP instance {}: it would be counted twice",
                                name_of(grids[a], a), name_of(grids[b], b), grids[a].sop_instance_uid);
        return out;
      }
    }
  }
  // Units and type.
  for (std::size_t a = 0; a < grids.size(); ++a) {
    if (grids[a].dose_units != "GY") {
      out.error = fmt::format("{} has DoseUnits {}: only doses in GY are summed", name_of(grids[a], a),
                              grids[a].dose_units.empty() ? std::string("(none)") : grids[a].dose_units);
      return out;
    }
    if (grids[a].dose_type == "ERROR") {
      out.error = fmt::format("{} has DoseType ERROR (a dose uncertainty): it is not summed", name_of(grids[a], a));
      return out;
    }
    if (grids[a].dose_type != grids[0].dose_type) {
      out.error = fmt::format("{} has DoseType {} but {} has {}: physical and effective doses are not summed",
                              name_of(grids[a], a), grids[a].dose_type, name_of(grids[0], 0), grids[0].dose_type);
      return out;
    }
  }
  // Frame of reference.
  for (std::size_t a = 1; a < grids.size(); ++a) {
    if (grids[a].frame_of_reference_uid != grids[0].frame_of_reference_uid) {
      out.error = fmt::format("{} is in frame of reference '{}' but {} in '{}': doses of different frames are not summed",
                              name_of(grids[a], a), grids[a].frame_of_reference_uid, name_of(grids[0], 0),
                              grids[0].frame_of_reference_uid);
      return out;
    }
  }
  // Summation types: a whole plan with its own parts, or one part twice, counts dose twice.
  for (std::size_t a = 0; a < grids.size(); ++a) {
    for (std::size_t b = 0; b < grids.size(); ++b) {
      if (a == b) continue;
      const DoseGrid& ga = grids[a];
      const DoseGrid& gb = grids[b];
      if (ga.referenced_plan_uid != gb.referenced_plan_uid) continue;
      const std::string plan = ga.referenced_plan_uid.empty() ? std::string("(no plan reference)")
                                                              : ga.referenced_plan_uid;
      if (is_whole(ga.dose_summation_type) && is_part(gb.dose_summation_type)) {
        out.error = fmt::format(
            "{} is a {} dose and {} a {} dose of the same plan {}: summing a plan with its own parts counts the dose "
            "twice",
            name_of(ga, a), ga.dose_summation_type, name_of(gb, b), gb.dose_summation_type, plan);
        return out;
      }
      if (b < a) continue;  // symmetric checks once per pair
      if (is_whole(ga.dose_summation_type) && is_whole(gb.dose_summation_type)) {
        out.error = fmt::format("{} and {} are both {} doses of the same plan {}: the plan would be counted twice",
                                name_of(ga, a), name_of(gb, b), ga.dose_summation_type, plan);
        return out;
      }
      const bool fraction_a = ga.dose_summation_type == "FRACTION", fraction_b = gb.dose_summation_type == "FRACTION";
      const bool beam_a = ga.dose_summation_type == "BEAM", beam_b = gb.dose_summation_type == "BEAM";
      const bool same_group = ga.referenced_fraction_group.value_or(1) == gb.referenced_fraction_group.value_or(1);
      if (same_group && ((fraction_a && (fraction_b || beam_b)) || (fraction_b && beam_a))) {
        out.error = fmt::format(
            "{} ({}) and {} ({}) cover the same fraction group {} of plan {}: the dose would be counted twice",
            name_of(ga, a), ga.dose_summation_type, name_of(gb, b), gb.dose_summation_type,
            ga.referenced_fraction_group.value_or(1), plan);
        return out;
      }
      if (beam_a && beam_b && same_group && ga.referenced_beam_number == gb.referenced_beam_number) {
        out.error = fmt::format("{} and {} are both the BEAM dose of beam {} of plan {}: it would be counted twice",
                                name_of(ga, a), name_of(gb, b),
                                ga.referenced_beam_number ? std::to_string(*ga.referenced_beam_number)
                                                          : std::string("(unnamed)"),
                                plan);
        return out;
      }
    }
  }

  // Each in patient axes, then the same grid within 0.01 mm.
  std::vector<DoseVolume> volumes;
  volumes.reserve(grids.size());
  for (std::size_t a = 0; a < grids.size(); ++a) {
    DoseVolumeResult r = to_dose_volume(grids[a]);
    if (!r.volume) {
      out.error = fmt::format("{}: {}", name_of(grids[a], a), r.error);
      return out;
    }
    for (const std::string& note : r.notes) out.notes.push_back(fmt::format("{}: {}", name_of(grids[a], a), note));
    volumes.push_back(std::move(*r.volume));
  }
  const DoseVolume& first = volumes[0];
  for (std::size_t a = 1; a < volumes.size(); ++a) {
    const DoseVolume& v = volumes[a];
    if (v.nx != first.nx || v.ny != first.ny || v.nz() != first.nz()) {
      out.error = fmt::format(
          "{} is a {} x {} x {} grid but {} is {} x {} x {}: different grids are not summed (no resampling)",
          name_of(grids[a], a), v.nx, v.ny, v.nz(), name_of(grids[0], 0), first.nx, first.ny, first.nz());
      return out;
    }
    const double d = max_voxel_distance(first, v);
    if (!(d <= kGridTolerance)) {
      out.error = fmt::format(
          "the voxel centres of {} are up to {:.4g} mm from those of {} (more than {} mm): different grids are not "
          "summed (no resampling)",
          name_of(grids[a], a), d, name_of(grids[0], 0), kGridTolerance);
      return out;
    }
    if (first.nz() == 1 && v.z_half_extent_single_mm != first.z_half_extent_single_mm)
      out.notes.push_back(fmt::format("{}: its single plane's thickness differs; the first one's is kept",
                                      name_of(grids[a], a)));
  }

  DoseVolume sum = volumes[0];
  std::vector<double> acc(sum.gy.begin(), sum.gy.end());
  for (std::size_t a = 1; a < volumes.size(); ++a) {
    for (std::size_t i = 0; i < acc.size(); ++i) acc[i] += volumes[a].gy[i];
    sum.sources.insert(sum.sources.end(), volumes[a].sources.begin(), volumes[a].sources.end());
  }
  for (std::size_t i = 0; i < acc.size(); ++i) sum.gy[i] = static_cast<float>(acc[i]);
  out.notes.push_back(fmt::format("{} RTDOSE objects summed voxel by voxel", volumes.size()));
  out.volume = std::move(sum);
  return out;
}

bool covers(const DoseVolume& v, double x_mm, double y_mm, double z_mm) {
  if (v.nx <= 0 || v.ny <= 0 || v.z_mm.empty()) return false;
  return x_mm >= v.x_lo() && x_mm <= v.x_hi() && y_mm >= v.y_lo() && y_mm <= v.y_hi() && z_mm >= v.z_lo() &&
         z_mm <= v.z_hi();
}

double sample(const DoseVolume& v, double x_mm, double y_mm, double z_mm) {
  if (!covers(v, x_mm, y_mm, z_mm)) return std::numeric_limits<double>::quiet_NaN();
  const double u = std::clamp((x_mm - v.x0_mm) / v.dx_mm, 0.0, static_cast<double>(v.nx - 1));
  const double w = std::clamp((y_mm - v.y0_mm) / v.dy_mm, 0.0, static_cast<double>(v.ny - 1));
  const auto [i, tx] = cell(u, v.nx);
  const auto [j, ty] = cell(w, v.ny);
  // Planes: the interval of (possibly irregular) plane positions holding z, clamped to the first and last.
  const int nz = v.nz();
  int k = 0;
  double tz = 0;
  if (nz > 1) {
    const double zc = std::clamp(z_mm, v.z_mm.front(), v.z_mm.back());
    const auto it = std::upper_bound(v.z_mm.begin(), v.z_mm.end(), zc);
    k = std::clamp(static_cast<int>(it - v.z_mm.begin()) - 1, 0, nz - 2);
    const double z0 = v.z_mm[static_cast<std::size_t>(k)], z1 = v.z_mm[static_cast<std::size_t>(k) + 1];
    tz = (zc - z0) / (z1 - z0);
  }
  const int i1 = v.nx > 1 ? i + 1 : i;
  const int j1 = v.ny > 1 ? j + 1 : j;
  const int k1 = nz > 1 ? k + 1 : k;
  // (1 - t) a + t b: exactly a at t = 0 and exactly b at t = 1.
  auto lerp = [](double a, double b, double t) { return (1 - t) * a + t * b; };
  auto plane = [&](int kk) {
    const double c00 = v.at(i, j, kk), c10 = v.at(i1, j, kk);
    const double c01 = v.at(i, j1, kk), c11 = v.at(i1, j1, kk);
    return lerp(lerp(c00, c10, tx), lerp(c01, c11, tx), ty);
  };
  return lerp(plane(k), plane(k1), tz);
}

}  // namespace rtaudit::dose
