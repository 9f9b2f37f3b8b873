#include "rtaudit/phantom/dose_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

namespace rtaudit::phantom {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kFar = 1e7;  // "infinite" ray length (mm)

bool point_in_plane(const DoseModel::BodyPlane& plane, double x, double y) {
  if (x < plane.xmin || x > plane.xmax || y < plane.ymin || y > plane.ymax) return false;
  bool inside = false;
  for (const auto& e : plane.edges) {
    if ((e[1] > y) != (e[3] > y)) {
      const double xc = e[0] + (y - e[1]) * (e[2] - e[0]) / (e[3] - e[1]);
      if (x < xc) inside = !inside;
    }
  }
  return inside;
}

const DoseModel::BodyPlane* plane_for_z(const std::vector<DoseModel::BodyPlane>& planes, double z) {
  auto it = std::upper_bound(planes.begin(), planes.end(), z,
                             [](double v, const DoseModel::BodyPlane& p) { return v < p.lo; });
  if (it == planes.begin()) return nullptr;
  --it;
  return z <= it->hi ? &*it : nullptr;
}

// First t in [ta, tb] where origin + t * dir (xy) is inside the plane's region; -1 when none.
double first_inside(const DoseModel::BodyPlane& plane, const Vec3& o, const Vec3& d, double ta, double tb) {
  const double ax = o.x + ta * d.x, ay = o.y + ta * d.y;
  const double bx = o.x + tb * d.x, by = o.y + tb * d.y;
  if (std::max(ax, bx) < plane.xmin || std::min(ax, bx) > plane.xmax || std::max(ay, by) < plane.ymin ||
      std::min(ay, by) > plane.ymax)
    return -1;
  if (point_in_plane(plane, ax, ay)) return ta;
  double best = -1;
  for (const auto& e : plane.edges) {
    const double sx = e[2] - e[0], sy = e[3] - e[1];
    const double denom = d.x * sy - d.y * sx;
    if (std::abs(denom) < 1e-15) continue;
    const double qx = e[0] - o.x, qy = e[1] - o.y;
    const double t = (qx * sy - qy * sx) / denom;
    const double u = (qx * d.y - qy * d.x) / denom;
    if (u < 0 || u > 1 || t < ta || t > tb) continue;
    if (best < 0 || t < best) best = t;
  }
  return best;
}

double lookup_bilinear(const DoseModel::Map2& m, double x, double y) {
  const double fx = (x - m.x0) / m.h, fy = (y - m.y0) / m.h;
  if (!(fx >= 0) || !(fy >= 0) || fx > m.nx - 1 || fy > m.ny - 1) return 0;
  const int i = std::min(static_cast<int>(fx), m.nx - 2), j = std::min(static_cast<int>(fy), m.ny - 2);
  const double tx = fx - i, ty = fy - j;
  const double* r0 = &m.v[static_cast<std::size_t>(j) * m.nx + i];
  const double* r1 = r0 + m.nx;
  return (1 - ty) * ((1 - tx) * r0[0] + tx * r0[1]) + ty * ((1 - tx) * r1[0] + tx * r1[1]);
}

// Bilinear over the corners that hold a value (weights renormalised); NaN when none does.
double lookup_valid(const DoseModel::Map2& m, double x, double y) {
  const double fx = (x - m.x0) / m.h, fy = (y - m.y0) / m.h;
  if (!(fx >= 0) || !(fy >= 0) || fx > m.nx - 1 || fy > m.ny - 1) return kNaN;
  const int i = std::min(static_cast<int>(fx), m.nx - 2), j = std::min(static_cast<int>(fy), m.ny - 2);
  const double tx = fx - i, ty = fy - j;
  const double w[4] = {(1 - tx) * (1 - ty), tx * (1 - ty), (1 - tx) * ty, tx * ty};
  const std::size_t base = static_cast<std::size_t>(j) * m.nx + i;
  const double v[4] = {m.v[base], m.v[base + 1], m.v[base + m.nx], m.v[base + m.nx + 1]};
  double sw = 0, sv = 0;
  for (int k = 0; k < 4; ++k) {
    if (std::isnan(v[k])) continue;
    sw += w[k];
    sv += w[k] * v[k];
  }
  return sw > 1e-12 ? sv / sw : kNaN;
}

DoseModel::Map2 make_map(double x0, double x1, double y0, double y1, double h) {
  DoseModel::Map2 m;
  m.h = h;
  m.x0 = x0;
  m.y0 = y0;
  m.nx = std::max(2, static_cast<int>(std::ceil((x1 - x0) / h)) + 1);
  m.ny = std::max(2, static_cast<int>(std::ceil((y1 - y0) / h)) + 1);
  m.v.assign(static_cast<std::size_t>(m.nx) * m.ny, 0.0);
  return m;
}

}  // namespace

std::vector<DoseModel::BodyPlane> prepare_body(const geom::Structure& body) {
  std::vector<DoseModel::BodyPlane> planes;
  const double half = body.slab_mm / 2;
  for (std::size_t k = 0; k < body.planes.size(); ++k) {
    const geom::Plane& p = body.planes[k];
    DoseModel::BodyPlane bp;
    bp.z = p.z_mm;
    bp.lo = p.z_mm - half;
    bp.hi = p.z_mm + half;
    if (k > 0) bp.lo = std::max(bp.lo, (body.planes[k - 1].z_mm + p.z_mm) / 2);
    if (k + 1 < body.planes.size()) bp.hi = std::min(bp.hi, (body.planes[k + 1].z_mm + p.z_mm) / 2);
    bp.xmin = bp.ymin = std::numeric_limits<double>::infinity();
    bp.xmax = bp.ymax = -std::numeric_limits<double>::infinity();
    const auto add_ring = [&](const geom::Ring& ring) {
      for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        const double x0 = ring[i].x(), y0 = ring[i].y(), x1 = ring[i + 1].x(), y1 = ring[i + 1].y();
        bp.edges.push_back({x0, y0, x1, y1});
        bp.xmin = std::min(bp.xmin, x0);
        bp.xmax = std::max(bp.xmax, x0);
        bp.ymin = std::min(bp.ymin, y0);
        bp.ymax = std::max(bp.ymax, y0);
      }
    };
    for (const geom::Polygon& poly : p.region) {
      add_ring(poly.outer());
      for (const geom::Ring& inner : poly.inners()) add_ring(inner);
    }
    if (!bp.edges.empty()) planes.push_back(std::move(bp));
  }
  return planes;
}

double body_entry_distance(const std::vector<DoseModel::BodyPlane>& planes, const Vec3& origin,
                           const Vec3& direction) {
  if (planes.empty()) return -1;
  if (std::abs(direction.z) < 1e-12) {
    const DoseModel::BodyPlane* p = plane_for_z(planes, origin.z);
    return p != nullptr ? first_inside(*p, origin, direction, 0, kFar) : -1;
  }
  const auto visit = [&](const DoseModel::BodyPlane& p) {
    double ta = (p.lo - origin.z) / direction.z, tb = (p.hi - origin.z) / direction.z;
    if (ta > tb) std::swap(ta, tb);
    ta = std::max(ta, 0.0);
    if (tb < ta) return -1.0;
    return first_inside(p, origin, direction, ta, tb);
  };
  if (direction.z > 0) {
    for (const auto& p : planes)
      if (const double t = visit(p); t >= 0) return t;
  } else {
    for (auto it = planes.rbegin(); it != planes.rend(); ++it)
      if (const double t = visit(*it); t >= 0) return t;
  }
  return -1;
}

DoseGridSpec grid_covering(const geom::Box3& box, double spacing_mm) {
  DoseGridSpec spec;
  spec.origin_mm = {box.min.x, box.min.y, box.min.z};
  spec.spacing_mm = {spacing_mm, spacing_mm, spacing_mm};
  const double ext[3] = {box.max.x - box.min.x, box.max.y - box.min.y, box.max.z - box.min.z};
  for (int a = 0; a < 3; ++a) spec.size[a] = static_cast<int>(std::ceil(ext[a] / spacing_mm - 1e-9)) + 1;
  return spec;
}

DoseModel::DoseModel(const Plan& plan, const geom::Structure& body, const DoseModelParams& params)
    : params_(params), planes_(prepare_body(body)), prescription_gy_(plan.prescription_gy) {
  const double sigma = params_.penumbra_sigma_mm;
  const double margin = 5 * sigma + 1;
  const double root2s = std::numbers::sqrt2 * sigma;
  for (const Beam& beam : plan.beams) {
    BeamModel bm;
    bm.frame = beam_frame(beam);
    const std::vector<BevRect> rects = aperture_rectangles(beam);
    if (!rects.empty()) {
      double x0 = rects[0].x0, x1 = rects[0].x1, y0 = rects[0].y0, y1 = rects[0].y1;
      for (const BevRect& r : rects) {
        x0 = std::min(x0, r.x0);
        x1 = std::max(x1, r.x1);
        y0 = std::min(y0, r.y0);
        y1 = std::max(y1, r.y1);
      }
      x0 -= margin;
      x1 += margin;
      y0 -= margin;
      y1 += margin;
      // OAR map: separable erf profiles per rectangle, summed.
      bm.oar = make_map(x0, x1, y0, y1, params_.oar_map_spacing_mm);
      std::vector<double> ex(static_cast<std::size_t>(bm.oar.nx)), ey(static_cast<std::size_t>(bm.oar.ny));
      for (const BevRect& r : rects) {
        for (int i = 0; i < bm.oar.nx; ++i) {
          const double x = bm.oar.x0 + i * bm.oar.h;
          ex[static_cast<std::size_t>(i)] = 0.5 * (std::erf((x - r.x0) / root2s) - std::erf((x - r.x1) / root2s));
        }
        for (int j = 0; j < bm.oar.ny; ++j) {
          const double y = bm.oar.y0 + j * bm.oar.h;
          ey[static_cast<std::size_t>(j)] = 0.5 * (std::erf((y - r.y0) / root2s) - std::erf((y - r.y1) / root2s));
        }
        for (int j = 0; j < bm.oar.ny; ++j) {
          const double wy = ey[static_cast<std::size_t>(j)];
          if (wy < 1e-12) continue;
          double* row = &bm.oar.v[static_cast<std::size_t>(j) * bm.oar.nx];
          for (int i = 0; i < bm.oar.nx; ++i) row[i] += wy * ex[static_cast<std::size_t>(i)];
        }
      }
      // Entry map: distance from the source to the body surface along each BEV ray.
      bm.entry = make_map(x0, x1, y0, y1, params_.entry_map_spacing_mm);
      for (int j = 0; j < bm.entry.ny; ++j) {
        for (int i = 0; i < bm.entry.nx; ++i) {
          const double x = bm.entry.x0 + i * bm.entry.h, y = bm.entry.y0 + j * bm.entry.h;
          const double t = body_entry_distance(planes_, bm.frame.source, ray_direction(bm.frame, x, y));
          bm.entry.v[static_cast<std::size_t>(j) * bm.entry.nx + i] = t >= 0 ? t : kNaN;
        }
      }
    }
    // Normalisation at the dose specification point.
    const Vec3 spec = beam.dose_specification_point_mm.value_or(beam.isocentre_mm);
    const double total =
        beam.beam_dose_gy ? *beam.beam_dose_gy * plan.fractions : beam.weight * plan.prescription_gy;
    if (total != 0) {
      const double r = inside_body(spec) ? response(bm, spec) : 0.0;
      if (!(r > 1e-6))
        throw std::invalid_argument(fmt::format(
            "beam {} ({}): its dose specification point ({:.1f}, {:.1f}, {:.1f}) gets no dose (outside the body "
            "or the aperture)",
            beam.number, beam.name, spec.x, spec.y, spec.z));
      bm.norm = total / r;
    }
    beams_.push_back(std::move(bm));
  }
}

bool DoseModel::inside_body(const Vec3& p) const {
  const BodyPlane* plane = plane_for_z(planes_, p.z);
  return plane != nullptr && point_in_plane(*plane, p.x, p.y);
}

double DoseModel::response(const BeamModel& b, const Vec3& p) const {
  if (b.oar.v.empty()) return 0;
  const BevPoint bev = project_to_bev(b.frame, p);
  if (!(bev.depth_mm > 0)) return 0;
  const double oar = lookup_bilinear(b.oar, bev.x_mm, bev.y_mm);
  if (oar < 1e-9) return 0;
  const double sad = b.frame.sad_mm;
  const double ray = bev.depth_mm * std::sqrt(1 + (bev.x_mm * bev.x_mm + bev.y_mm * bev.y_mm) / (sad * sad));
  const double entry = lookup_valid(b.entry, bev.x_mm, bev.y_mm);
  const double d = std::isnan(entry) ? 0.0 : std::max(0.0, ray - entry);
  const double t = std::exp(-params_.mu_per_mm * d) *
                   (1 - (1 - params_.surface_fraction) * std::exp(-d / params_.buildup_mm));
  const double isq = (sad / bev.depth_mm) * (sad / bev.depth_mm);
  return oar * t * isq;
}

double DoseModel::relative_response(std::size_t beam, const Vec3& p) const { return response(beams_.at(beam), p); }

std::vector<double> DoseModel::beam_doses_gy(const Vec3& p) const {
  std::vector<double> out(beams_.size(), 0.0);
  if (!inside_body(p)) return out;
  for (std::size_t b = 0; b < beams_.size(); ++b) out[b] = beams_[b].norm * response(beams_[b], p);
  return out;
}

double DoseModel::dose_gy(const Vec3& p) const {
  double sum = 0;
  for (double d : beam_doses_gy(p)) sum += d;
  return sum;
}

DoseGrid DoseModel::grid(const DoseGridSpec& spec) const {
  DoseGrid g;
  g.origin_mm = spec.origin_mm;
  g.column_spacing_mm = spec.spacing_mm[0];
  g.row_spacing_mm = spec.spacing_mm[1];
  g.columns = spec.size[0];
  g.rows = spec.size[1];
  const int frames = spec.size[2];
  for (int k = 0; k < frames; ++k) g.frame_offsets_mm.push_back(k * spec.spacing_mm[2]);
  g.dose_gy.assign(static_cast<std::size_t>(std::max(0, g.columns)) * std::max(0, g.rows) * std::max(0, frames),
                   0.0f);
  const double ox = spec.origin_mm[0], oy = spec.origin_mm[1], oz = spec.origin_mm[2];
  const double dx = spec.spacing_mm[0], dy = spec.spacing_mm[1], dz = spec.spacing_mm[2];
  std::vector<double> xs;
  for (int k = 0; k < frames; ++k) {
    const double z = oz + k * dz;
    const BodyPlane* plane = plane_for_z(planes_, z);
    if (plane == nullptr) continue;
    for (int j = 0; j < g.rows; ++j) {
      const double y = oy + j * dy;
      if (y < plane->ymin || y > plane->ymax) continue;
      xs.clear();
      for (const auto& e : plane->edges)
        if ((e[1] > y) != (e[3] > y)) xs.push_back(e[0] + (y - e[1]) * (e[2] - e[0]) / (e[3] - e[1]));
      std::sort(xs.begin(), xs.end());
      float* row = &g.dose_gy[(static_cast<std::size_t>(k) * g.rows + j) * g.columns];
      for (std::size_t c = 0; c + 1 < xs.size(); c += 2) {
        // Even-odd: inside where an odd number of crossings lies to the right (x < xc), i.e. x in
        // [xs[c], xs[c+1]) -- the same rule as point_in_plane.
        const int i0 = std::max(0, static_cast<int>(std::ceil((xs[c] - ox) / dx)));
        const int i1 = std::min(g.columns - 1, static_cast<int>(std::ceil((xs[c + 1] - ox) / dx)) - 1);
        for (int i = i0; i <= i1; ++i) {
          const Vec3 p{ox + i * dx, y, z};
          double sum = 0;
          for (const BeamModel& b : beams_) sum += b.norm * response(b, p);
          row[i] = static_cast<float>(sum);
        }
      }
    }
  }
  return g;
}

DoseGrid compute_dose(const Plan& plan, const geom::Structure& body, const DoseGridSpec& spec,
                      const DoseModelParams& params) {
  DoseGrid g = DoseModel(plan, body, params).grid(spec);
  g.referenced_plan_uid = plan.sop_instance_uid;
  return g;
}

}  // namespace rtaudit::phantom
