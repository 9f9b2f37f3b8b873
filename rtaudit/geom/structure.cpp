#include "rtaudit/geom/structure.hpp"

#include "rtaudit/geom/plane_region.hpp"
#include "rtaudit/geom/ring_repair.hpp"

#include <boost/geometry/algorithms/covered_by.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace rtaudit::geom {

std::string_view to_string(IssueCode code) {
  switch (code) {
    case IssueCode::NotClosedPlanar: return "not CLOSED_PLANAR";
    case IssueCode::TooFewPoints: return "fewer than 3 points";
    case IssueCode::NonFiniteCoordinate: return "non-finite coordinate";
    case IssueCode::NotOnOnePlane: return "points not on one plane";
    case IssueCode::ZeroArea: return "zero area";
    case IssueCode::SelfIntersectionRepaired: return "self-intersection repaired";
    case IssueCode::OverlapUnited: return "overlapping contours united";
    case IssueCode::OutsideImage: return "outside the image";
    case IssueCode::NoContours: return "ROI with no contours";
    case IssueCode::NoClosedContours: return "ROI with no closed contours";
    case IssueCode::MissingPlanes: return "missing planes";
    case IssueCode::SinglePlane: return "single plane without slice spacing";
  }
  return "unknown";
}

bool drops_contour(IssueCode code) {
  switch (code) {
    case IssueCode::NotClosedPlanar:
    case IssueCode::TooFewPoints:
    case IssueCode::NonFiniteCoordinate:
    case IssueCode::NotOnOnePlane:
    case IssueCode::ZeroArea: return true;
    default: return false;
  }
}

namespace {

struct PreparedContour {
  std::size_t index;
  double z;
  SimpleLoops loops;
};

// The most common gap between consecutive planes. Gaps are binned at 0.01 mm so DS rounding jitter
// does not split the mode; the slab is the mean of the gaps in the winning bin (ties: smaller gap).
double modal_gap(const std::vector<Plane>& planes) {
  std::map<long long, std::pair<std::size_t, double>> bins;
  for (std::size_t i = 1; i < planes.size(); ++i) {
    const double gap = planes[i].z_mm - planes[i - 1].z_mm;
    auto& bin = bins[std::llround(gap * 100.0)];
    ++bin.first;
    bin.second += gap;
  }
  std::size_t best_count = 0;
  double best = 0;
  for (const auto& [key, bin] : bins) {
    if (bin.first > best_count) {
      best_count = bin.first;
      best = bin.second / static_cast<double>(bin.first);
    }
  }
  return best;
}

bool outside(const Contour& c, const Box3& b) {
  const double tol = 1e-3;
  return std::any_of(c.points.begin(), c.points.end(), [&](const Point3& p) {
    return p.x < b.min.x - tol || p.x > b.max.x + tol || p.y < b.min.y - tol || p.y > b.max.y + tol ||
           p.z < b.min.z - tol || p.z > b.max.z + tol;
  });
}

}  // namespace

StructureBuild build_structure(const std::vector<Contour>& contours, const BuildOptions& options) {
  StructureBuild out;
  if (contours.empty()) {
    out.issues.push_back({IssueCode::NoContours, std::nullopt, "the ROI has no contour items"});
    return out;
  }

  auto drop = [&](std::size_t i, IssueCode code, std::string detail) {
    out.issues.push_back({code, i, std::move(detail)});
    ++out.contours_dropped;
  };

  std::vector<PreparedContour> prepared;
  prepared.reserve(contours.size());
  std::vector<std::size_t> outside_image;
  std::vector<Point2> flat;
  for (std::size_t i = 0; i < contours.size(); ++i) {
    const Contour& c = contours[i];
    if (c.type != GeometricType::ClosedPlanar) {
      drop(i, IssueCode::NotClosedPlanar, fmt::format("geometric type {}", to_string(c.type)));
      continue;
    }
    if (std::any_of(c.points.begin(), c.points.end(), [](const Point3& p) {
          return !std::isfinite(p.x) || !std::isfinite(p.y) || !std::isfinite(p.z);
        })) {
      drop(i, IssueCode::NonFiniteCoordinate, "a coordinate is NaN or infinite");
      continue;
    }
    if (c.points.size() < 3) {
      drop(i, IssueCode::TooFewPoints, fmt::format("{} point(s)", c.points.size()));
      continue;
    }
    const auto [lo, hi] = std::minmax_element(c.points.begin(), c.points.end(),
                                              [](const Point3& a, const Point3& b) { return a.z < b.z; });
    if (hi->z - lo->z > options.plane_tolerance_mm) {
      drop(i, IssueCode::NotOnOnePlane, fmt::format("z spans {:.3f} to {:.3f} mm", lo->z, hi->z));
      continue;
    }
    flat.clear();
    double z_sum = 0;
    for (const Point3& p : c.points) {
      flat.emplace_back(p.x, p.y);
      z_sum += p.z;
    }
    SimpleLoops loops = split_into_simple_loops(flat);
    if (loops.loops.empty()) {
      drop(i, IssueCode::ZeroArea, loops.repaired ? "only zero-area loops after repair" : "encloses no area");
      continue;
    }
    if (loops.repaired) {
      out.issues.push_back({IssueCode::SelfIntersectionRepaired, i,
                            fmt::format("{} self-intersection(s); split into {} simple loop(s)",
                                        loops.self_intersections, loops.loops.size())});
    }
    if (options.image_bounds && outside(c, *options.image_bounds)) outside_image.push_back(i);
    prepared.push_back({i, z_sum / static_cast<double>(c.points.size()), std::move(loops)});
  }
  out.contours_used = prepared.size();
  if (!outside_image.empty()) {
    // One issue per ROI: a structure set drawn on a larger or partial image would otherwise flood.
    std::string list;
    for (std::size_t k = 0; k < outside_image.size() && k < 10; ++k) list += (k ? ", " : "") + std::to_string(outside_image[k]);
    if (outside_image.size() > 10) list += ", ...";
    out.issues.push_back({IssueCode::OutsideImage, outside_image.front(),
                          fmt::format("{} contour(s) with points outside the image volume (contours {}); used",
                                      outside_image.size(), list)});
  }

  if (prepared.empty()) {
    out.issues.push_back({IssueCode::NoClosedContours, std::nullopt, "no contour encloses an area"});
    return out;
  }

  // Group by z: a new plane starts when a contour lies beyond the tolerance from the plane's first.
  std::stable_sort(prepared.begin(), prepared.end(),
                   [](const PreparedContour& a, const PreparedContour& b) { return a.z < b.z; });
  auto& planes = out.structure.planes;
  std::size_t start = 0;
  while (start < prepared.size()) {
    std::size_t end = start + 1;
    while (end < prepared.size() && prepared[end].z - prepared[start].z <= options.plane_tolerance_mm) ++end;
    Plane plane;
    std::vector<SourcedLoop> loops;
    double z_sum = 0;
    for (std::size_t k = start; k < end; ++k) {
      z_sum += prepared[k].z;
      plane.contours.push_back(prepared[k].index);
      for (auto& ring : prepared[k].loops.loops) loops.push_back({std::move(ring), prepared[k].index});
    }
    plane.z_mm = z_sum / static_cast<double>(end - start);
    PlaneRegion region = build_plane_region(std::move(loops));
    for (const auto& [a, b] : region.overlaps) {
      out.issues.push_back({IssueCode::OverlapUnited, b,
                            fmt::format("overlaps contour {} on plane z={:.2f} mm; united", a, plane.z_mm)});
    }
    plane.region = std::move(region.region);
    plane.area_mm2 = region.area_mm2;
    planes.push_back(std::move(plane));
    start = end;
  }

  Structure& s = out.structure;
  if (planes.size() >= 2) {
    s.slab_mm = modal_gap(planes);
    for (std::size_t i = 1; i < planes.size(); ++i) {
      const double gap = planes[i].z_mm - planes[i - 1].z_mm;
      if (gap > 1.5 * s.slab_mm) {
        out.issues.push_back({IssueCode::MissingPlanes, std::nullopt,
                              fmt::format("gap of {:.2f} mm between z={:.2f} and z={:.2f} mm (about {} plane(s) "
                                          "missing; left as a gap)",
                                          gap, planes[i - 1].z_mm, planes[i].z_mm,
                                          std::llround(gap / s.slab_mm) - 1)});
      }
    }
  } else if (options.fallback_slab_mm && *options.fallback_slab_mm > 0) {
    s.slab_mm = *options.fallback_slab_mm;
    s.slab_from_fallback = true;
  } else {
    out.issues.push_back({IssueCode::SinglePlane, std::nullopt,
                          "one plane and no slice spacing known: volume not defined"});
  }
  return out;
}

ContourPlanes count_contour_planes(const std::vector<Contour>& contours, double tolerance_mm) {
  std::vector<double> z;
  for (const Contour& c : contours) {
    if (c.points.empty()) continue;
    double sum = 0;
    for (const Point3& p : c.points) sum += p.z;
    z.push_back(sum / static_cast<double>(c.points.size()));
  }
  std::sort(z.begin(), z.end());
  ContourPlanes out;
  std::size_t start = 0;
  while (start < z.size()) {
    std::size_t end = start + 1;
    while (end < z.size() && z[end] - z[start] <= tolerance_mm) ++end;
    ++out.planes;
    out.max_contours_per_plane = std::max(out.max_contours_per_plane, end - start);
    start = end;
  }
  return out;
}

std::optional<double> volume_cc(const Structure& s) {
  if (s.planes.empty() || s.slab_mm <= 0) return std::nullopt;
  double area = 0;
  for (const Plane& p : s.planes) area += p.area_mm2;
  return area * s.slab_mm / 1000.0;
}

std::optional<Box3> bounding_box(const Structure& s) {
  if (s.planes.empty()) return std::nullopt;
  Box3 box{{INFINITY, INFINITY, 0}, {-INFINITY, -INFINITY, 0}};
  for (const Plane& p : s.planes) {
    if (p.region.empty()) continue;
    for (const Polygon& poly : p.region) {
      for (const Point2& q : poly.outer()) {  // holes lie inside their outer ring
        box.min.x = std::min(box.min.x, q.x());
        box.min.y = std::min(box.min.y, q.y());
        box.max.x = std::max(box.max.x, q.x());
        box.max.y = std::max(box.max.y, q.y());
      }
    }
  }
  box.min.z = s.planes.front().z_mm - s.slab_mm / 2;
  box.max.z = s.planes.back().z_mm + s.slab_mm / 2;
  return box;
}

namespace {
// Adds the first moments (integral of x and of y over the signed area) of a closed ring.
void ring_moments(const Ring& r, double& mx, double& my) {
  if (r.size() < 4) return;
  const double ox = r[0].x(), oy = r[0].y();
  double a2 = 0, cx = 0, cy = 0;  // relative to the first point, for precision
  for (std::size_t i = 0; i + 1 < r.size(); ++i) {
    const double x0 = r[i].x() - ox, y0 = r[i].y() - oy, x1 = r[i + 1].x() - ox, y1 = r[i + 1].y() - oy;
    const double c = x0 * y1 - x1 * y0;
    a2 += c;
    cx += (x0 + x1) * c;
    cy += (y0 + y1) * c;
  }
  mx += cx / 6 + ox * a2 / 2;
  my += cy / 6 + oy * a2 / 2;
}
}  // namespace

std::optional<Point3> centroid(const Structure& s) {
  double total = 0, x = 0, y = 0, z = 0;
  for (const Plane& p : s.planes) {
    if (p.area_mm2 <= 0) continue;
    // First moments of each ring (holes are clockwise, so they subtract).
    double mx = 0, my = 0;
    for (const Polygon& poly : p.region) {
      ring_moments(poly.outer(), mx, my);
      for (const Ring& hole : poly.inners()) ring_moments(hole, mx, my);
    }
    total += p.area_mm2;
    x += mx;
    y += my;
    z += p.area_mm2 * p.z_mm;
  }
  if (total <= 0) return std::nullopt;
  return Point3{x / total, y / total, z / total};
}

const Plane* plane_at(const Structure& s, double z_mm) {
  if (s.planes.empty()) return nullptr;
  const double half = s.slab_mm / 2 + 1e-9;
  auto it = std::lower_bound(s.planes.begin(), s.planes.end(), z_mm,
                             [](const Plane& p, double z) { return p.z_mm < z; });
  const Plane* best = nullptr;
  double best_d = INFINITY;
  for (auto cand : {it, it == s.planes.begin() ? it : std::prev(it)}) {
    if (cand == s.planes.end()) continue;
    const double d = std::abs(cand->z_mm - z_mm);
    if (d <= half && d < best_d) {
      best = &*cand;
      best_d = d;
    }
  }
  return best;
}

bool contains(const Structure& s, const Point3& p) {
  const Plane* plane = plane_at(s, p.z);
  return plane != nullptr && bg::covered_by(Point2{p.x, p.y}, plane->region);
}

const Plane* plane_on_slice(const Structure& s, double z_mm, double tolerance_mm) {
  const auto it = std::lower_bound(s.planes.begin(), s.planes.end(), z_mm - tolerance_mm,
                                   [](const Plane& p, double z) { return p.z_mm < z; });
  if (it == s.planes.end() || std::abs(it->z_mm - z_mm) > tolerance_mm) return nullptr;
  return &*it;
}

}  // namespace rtaudit::geom
