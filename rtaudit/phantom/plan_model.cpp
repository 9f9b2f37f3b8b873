#include "rtaudit/phantom/plan_model.hpp"

#include "rtaudit/plan/beam_geometry.hpp"
#include "rtaudit/phantom/dose_model.hpp"

#include <boost/geometry/algorithms/covered_by.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <optional>
#include <stdexcept>

namespace rtaudit::phantom {

namespace {

namespace bg = boost::geometry;

constexpr double kRad = 180.0 / std::numbers::pi;
constexpr double kJawLimit = 200;  // mm: 40 x 40 cm field

// A piece of a target: one plane's region standing for z in [z0, z1].
struct Slab {
  const geom::Plane* plane;
  double z0, z1;
};

// The slabs of s whose z range (clipped to [zmin, zmax]) is not empty.
std::vector<Slab> slabs(const geom::Structure& s, double zmin, double zmax) {
  std::vector<Slab> out;
  const double half = s.slab_mm / 2;
  for (const geom::Plane& p : s.planes) {
    const double z0 = std::max(p.z_mm - half, zmin), z1 = std::min(p.z_mm + half, zmax);
    if (z1 > z0 + 1e-9) out.push_back({&p, z0, z1});
  }
  return out;
}

template <class F>
void for_each_ring(const geom::Plane& p, F&& f) {
  for (const geom::Polygon& poly : p.region) {
    f(poly.outer());
    for (const geom::Ring& r : poly.inners()) f(r);
  }
}

struct Seg {
  double x0, y0, x1, y1;
};

// The target's prism model projected into the BEV as segments: the ring edges at both slab caps and
// the z edges joining them (the projection of every face's boundary).
std::vector<Seg> projected_segments(const BeamFrame& frame, const std::vector<Slab>& target) {
  std::vector<Seg> segs;
  for (const Slab& s : target) {
    for_each_ring(*s.plane, [&](const geom::Ring& ring) {
      for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        const geom::Point2& a = ring[i];
        const geom::Point2& b = ring[i + 1];
        const BevPoint a0 = project_to_bev(frame, {a.x(), a.y(), s.z0});
        const BevPoint a1 = project_to_bev(frame, {a.x(), a.y(), s.z1});
        const BevPoint b0 = project_to_bev(frame, {b.x(), b.y(), s.z0});
        const BevPoint b1 = project_to_bev(frame, {b.x(), b.y(), s.z1});
        segs.push_back({a0.x_mm, a0.y_mm, b0.x_mm, b0.y_mm});
        segs.push_back({a1.x_mm, a1.y_mm, b1.x_mm, b1.y_mm});
        segs.push_back({a0.x_mm, a0.y_mm, a1.x_mm, a1.y_mm});
      }
    });
  }
  return segs;
}

struct Extent {
  double xmin = std::numeric_limits<double>::infinity(), xmax = -std::numeric_limits<double>::infinity();
  double ymin = std::numeric_limits<double>::infinity(), ymax = -std::numeric_limits<double>::infinity();
  [[nodiscard]] bool empty() const { return xmin > xmax; }
};

Extent extent(const std::vector<Seg>& segs) {
  Extent e;
  for (const Seg& s : segs) {
    e.xmin = std::min({e.xmin, s.x0, s.x1});
    e.xmax = std::max({e.xmax, s.x0, s.x1});
    e.ymin = std::min({e.ymin, s.y0, s.y1});
    e.ymax = std::max({e.ymax, s.y0, s.y1});
  }
  return e;
}

// x extent of the segments' parts with y in [y0, y1].
Extent band_extent(const std::vector<Seg>& segs, double y0, double y1) {
  Extent e;
  for (const Seg& s : segs) {
    const double sy0 = std::min(s.y0, s.y1), sy1 = std::max(s.y0, s.y1);
    if (sy1 < y0 || sy0 > y1) continue;
    double xa, xb;
    if (sy1 - sy0 < 1e-12) {
      xa = s.x0;
      xb = s.x1;
    } else {
      const auto x_at = [&](double y) { return s.x0 + (y - s.y0) * (s.x1 - s.x0) / (s.y1 - s.y0); };
      xa = x_at(std::max(sy0, y0));
      xb = x_at(std::min(sy1, y1));
    }
    e.xmin = std::min({e.xmin, xa, xb});
    e.xmax = std::max({e.xmax, xa, xb});
  }
  return e;
}

double clamp_jaw(double v) { return std::clamp(v, -kJawLimit, kJawLimit); }

double normalise_deg(double a) {
  a = std::fmod(a, 360.0);
  if (a < 0) a += 360.0;
  if (a >= 360.0 - 1e-9) a = 0;
  return a;
}

// MLC conforming to the target: per leaf pair, the projection in the pair's band widened by the
// margin in y, then opened by lo_margin (negative x side) and hi_margin; clamped to the jaws.
MlcAperture conform_mlc(const std::vector<Seg>& segs, const Beam& beam, double margin, double lo_margin,
                        double hi_margin) {
  MlcAperture mlc;
  mlc.device = "MLCX";
  mlc.leaf_boundaries_mm = millennium120_boundaries();
  const auto& b = mlc.leaf_boundaries_mm;
  for (std::size_t i = 0; i + 1 < b.size(); ++i) {
    double a = beam.x1_mm, c = beam.x1_mm;  // closed, parked at the X1 jaw
    if (b[i + 1] > beam.y1_mm && b[i] < beam.y2_mm) {
      const Extent e = band_extent(segs, b[i] - margin, b[i + 1] + margin);
      if (!e.empty()) {
        a = std::clamp(e.xmin - lo_margin, beam.x1_mm, beam.x2_mm);
        c = std::clamp(e.xmax + hi_margin, beam.x1_mm, beam.x2_mm);
      }
    }
    mlc.bank_a_mm.push_back(a);
    mlc.bank_b_mm.push_back(c);
  }
  return mlc;
}

// Volume-weighted centroid of slabs.
std::optional<Vec3> slab_centroid(const std::vector<Slab>& target) {
  double v = 0, sx = 0, sy = 0, sz = 0;
  for (const Slab& s : target) {
    const double t = s.z1 - s.z0;
    // Shoelace over every ring (holes run clockwise and subtract).
    for_each_ring(*s.plane, [&](const geom::Ring& r) {
      for (std::size_t i = 0; i + 1 < r.size(); ++i) {
        const double x0 = r[i].x(), y0 = r[i].y(), x1 = r[i + 1].x(), y1 = r[i + 1].y();
        const double cr = x0 * y1 - x1 * y0;
        v += cr / 2 * t;
        sx += cr * (x0 + x1) / 6 * t;
        sy += cr * (y0 + y1) / 6 * t;
        sz += cr / 2 * t * (s.z0 + s.z1) / 2;
      }
    });
  }
  if (!(v > 0)) return std::nullopt;
  return Vec3{sx / v, sy / v, sz / v};
}

// Convex hull (Andrew's monotone chain), counter-clockwise in x-y, no collinear points.
std::vector<geom::Point2> convex_hull(std::vector<geom::Point2> pts) {
  std::sort(pts.begin(), pts.end(), [](const geom::Point2& a, const geom::Point2& b) {
    return a.x() < b.x() || (a.x() == b.x() && a.y() < b.y());
  });
  pts.erase(std::unique(pts.begin(), pts.end(),
                        [](const geom::Point2& a, const geom::Point2& b) { return a.x() == b.x() && a.y() == b.y(); }),
            pts.end());
  if (pts.size() < 3) return pts;
  const auto turn = [](const geom::Point2& o, const geom::Point2& a, const geom::Point2& b) {
    return (a.x() - o.x()) * (b.y() - o.y()) - (a.y() - o.y()) * (b.x() - o.x());
  };
  std::vector<geom::Point2> h(2 * pts.size());
  std::size_t k = 0;
  for (const geom::Point2& p : pts) {
    while (k >= 2 && turn(h[k - 2], h[k - 1], p) <= 0) --k;
    h[k++] = p;
  }
  for (std::size_t i = pts.size() - 1, t = k + 1; i > 0; --i) {
    const geom::Point2& p = pts[i - 1];
    while (k >= t && turn(h[k - 2], h[k - 1], p) <= 0) --k;
    h[k++] = p;
  }
  h.resize(k - 1);
  return h;
}

// A point inside the region: the middle of the widest inside interval of the horizontal line through
// the middle of the region's y range.
std::optional<geom::Point2> interior_point(const geom::MultiPolygon& region) {
  double ymin = std::numeric_limits<double>::infinity(), ymax = -ymin;
  std::vector<std::array<double, 4>> edges;
  for (const geom::Polygon& poly : region) {
    const auto add = [&](const geom::Ring& r) {
      for (std::size_t i = 0; i + 1 < r.size(); ++i) {
        edges.push_back({r[i].x(), r[i].y(), r[i + 1].x(), r[i + 1].y()});
        ymin = std::min(ymin, r[i].y());
        ymax = std::max(ymax, r[i].y());
      }
    };
    add(poly.outer());
    for (const geom::Ring& r : poly.inners()) add(r);
  }
  if (edges.empty()) return std::nullopt;
  const double y = (ymin + ymax) / 2;
  std::vector<double> xs;
  for (const auto& e : edges)
    if ((e[1] > y) != (e[3] > y)) xs.push_back(e[0] + (y - e[1]) * (e[2] - e[0]) / (e[3] - e[1]));
  std::sort(xs.begin(), xs.end());
  std::optional<geom::Point2> best;
  double width = 0;
  for (std::size_t i = 0; i + 1 < xs.size(); i += 2)
    if (xs[i + 1] - xs[i] > width) {
      width = xs[i + 1] - xs[i];
      best = geom::Point2{(xs[i] + xs[i + 1]) / 2, y};
    }
  return best;
}

}  // namespace

Plan make_breast_plan(const PlanInputs& in) {
  if (in.breast_ptv == nullptr || in.breast_ptv->planes.empty())
    throw std::invalid_argument("make_breast_plan: the breast PTV is missing or empty");
  if (in.body == nullptr || in.body->planes.empty())
    throw std::invalid_argument("make_breast_plan: the body is missing or empty");
  const geom::Structure& breast = *in.breast_ptv;
  const auto breast_box = geom::bounding_box(breast);
  const auto breast_centroid = geom::centroid(breast);
  if (!breast_box || !breast_centroid) throw std::invalid_argument("make_breast_plan: the breast PTV has no area");
  const bool left = in.side == Side::Left;
  const double inf = std::numeric_limits<double>::infinity();

  // Match plane and which part of the nodal PTV each beam group covers.
  const double z_match = breast_box->max.z + in.margin_mm;
  const geom::Structure* nodal = in.nodal_ptv != nullptr && !in.nodal_ptv->planes.empty() ? in.nodal_ptv : nullptr;
  std::optional<geom::Box3> nodal_box = nodal != nullptr ? geom::bounding_box(*nodal) : std::nullopt;
  const bool nodal_beam = nodal_box && nodal_box->max.z > z_match + in.margin_mm;
  std::vector<Slab> tangent_target = slabs(breast, -inf, inf);
  std::vector<Slab> nodal_target;
  if (nodal != nullptr) {
    for (const Slab& s : slabs(*nodal, -inf, nodal_beam ? z_match : inf)) tangent_target.push_back(s);
    if (nodal_beam) nodal_target = slabs(*nodal, z_match, inf);
  }

  const Vec3 iso{breast_centroid->x, breast_centroid->y, nodal_beam ? z_match : breast_centroid->z};

  // Posterior (chest-wall) edge line at the central slice.
  std::vector<geom::Point2> central;
  for (const Slab& s : tangent_target)
    if (breast_centroid->z >= s.z0 && breast_centroid->z <= s.z1)
      for_each_ring(*s.plane, [&](const geom::Ring& r) { central.insert(central.end(), r.begin(), r.end()); });
  if (central.empty()) throw std::invalid_argument("make_breast_plan: no breast PTV contour at its centroid");
  // The chest-wall line: the posterior edge of the convex hull of the central slice's target points
  // (outward normal toward +y) that spans the widest medial-lateral extent; its ends are the medial
  // and lateral extremes the field edge joins.
  const std::vector<geom::Point2> hull = convex_hull(central);
  geom::Point2 med{0, 0}, lat{0, 0};
  double best_dx = 0;
  for (std::size_t i = 0; i < hull.size(); ++i) {
    const geom::Point2& a = hull[i];
    const geom::Point2& b = hull[(i + 1) % hull.size()];
    // Counter-clockwise hull (in x-y): the outward normal of edge a->b is (dy, -dx).
    const double dx = b.x() - a.x();
    if (-dx <= 0 || std::abs(dx) <= best_dx) continue;  // outward normal y = -dx must be posterior
    best_dx = std::abs(dx);
    const bool a_medial = left ? a.x() < b.x() : a.x() > b.x();
    med = a_medial ? a : b;
    lat = a_medial ? b : a;
  }
  if (!(best_dx > 0)) throw std::invalid_argument("make_breast_plan: the breast PTV has no posterior edge");
  double tx = lat.x() - med.x(), ty = lat.y() - med.y();
  const double tl = std::hypot(tx, ty);
  if (!(tl > 1)) throw std::invalid_argument("make_breast_plan: the breast PTV has no medial-lateral extent");
  tx /= tl;
  ty /= tl;
  double nx = -ty, ny = tx;  // normal, made to point posterior (+y)
  if (ny < 0) {
    nx = -nx;
    ny = -ny;
  }
  double behind = 0, reach = 0;
  for (const Slab& s : tangent_target)
    for_each_ring(*s.plane, [&](const geom::Ring& r) {
      for (const geom::Point2& p : r) {
        behind = std::max(behind, nx * (p.x() - med.x()) + ny * (p.y() - med.y()));
        for (double z : {s.z0, s.z1})
          reach = std::max(reach, std::sqrt((p.x() - iso.x) * (p.x() - iso.x) + (p.y() - iso.y) * (p.y() - iso.y) +
                                            (z - iso.z) * (z - iso.z)));
      }
    });
  // Patient-space offset that keeps at least margin_mm in the BEV for every target point.
  const double offset = behind + in.margin_mm * (in.sad_mm + reach) / in.sad_mm;
  const double bx = med.x() + offset * nx, by = med.y() + offset * ny;  // a point of the edge line
  const double h = -(nx * (iso.x - bx) + ny * (iso.y - by));             // iso anterior of the line
  if (!(h > 0) || h >= in.sad_mm) throw std::invalid_argument("make_breast_plan: isocentre not anterior of the edge");
  const double s0 = tx * (iso.x - bx) + ty * (iso.y - by);
  const double along = std::sqrt(in.sad_mm * in.sad_mm - h * h);
  const auto gantry_to = [&](double s) {
    const double sx = bx + s * tx - iso.x, sy = by + s * ty - iso.y;
    return normalise_deg(std::atan2(sx, -sy) * kRad);
  };

  Plan plan;
  plan.sop_instance_uid = in.sop_instance_uid;
  plan.series_uid = in.series_uid;
  plan.label = in.label;
  plan.name = in.name;
  plan.date = in.date;
  plan.time = in.time;
  plan.referenced_structure_set_uid = in.referenced_structure_set_uid;
  plan.prescription_gy = in.prescription_gy;
  plan.fractions = in.fractions;

  const auto base_beam = [&](int number, const char* name, const char* description, double gantry) {
    Beam b;
    b.number = number;
    b.name = name;
    b.description = description;
    b.energy_mv = in.energy_mv;
    b.gantry_deg = gantry;
    b.isocentre_mm = iso;
    b.sad_mm = in.sad_mm;
    return b;
  };

  // Tangents: medial source at s0 - along (beyond the medial extreme), lateral at s0 + along.
  const Vec3 edge_point{bx, by, iso.z};
  const std::optional<Vec3> tangent_spec = breast_centroid;
  struct TangentDef {
    const char* name;
    const char* description;
    double s;
  };
  int number = 1;
  for (const TangentDef& t : {TangentDef{"MED TANG", "medial tangent", s0 - along},
                              TangentDef{"LAT TANG", "lateral tangent", s0 + along}}) {
    Beam b = base_beam(number++, t.name, t.description, gantry_to(t.s));
    const BeamFrame frame = beam_frame(b);
    const std::vector<Seg> segs = projected_segments(frame, tangent_target);
    const Extent e = extent(segs);
    const double edge_x = project_to_bev(frame, edge_point).x_mm;
    const bool plus_x_posterior = frame.x_axis.x * nx + frame.x_axis.y * ny > 0;
    double lo_margin, hi_margin;
    if (plus_x_posterior) {
      b.x1_mm = clamp_jaw(e.xmin - in.flash_mm);
      b.x2_mm = clamp_jaw(edge_x);
      lo_margin = in.flash_mm;
      hi_margin = in.margin_mm;
    } else {
      b.x1_mm = clamp_jaw(edge_x);
      b.x2_mm = clamp_jaw(e.xmax + in.flash_mm);
      lo_margin = in.margin_mm;
      hi_margin = in.flash_mm;
    }
    b.y1_mm = clamp_jaw(e.ymin - in.margin_mm);
    b.y2_mm = nodal_beam ? 0.0 : clamp_jaw(e.ymax + in.margin_mm);
    b.mlc = conform_mlc(segs, b, in.margin_mm, lo_margin, hi_margin);
    b.weight = 0.5;
    b.beam_dose_gy = 0.5 * in.prescription_gy / in.fractions;
    b.dose_specification_point_mm = tangent_spec;
    plan.beams.push_back(std::move(b));
  }

  if (nodal_beam && !nodal_target.empty()) {
    const double gantry = left ? 360.0 - in.nodal_oblique_deg : in.nodal_oblique_deg;
    Beam b = base_beam(number++, "NODAL", "anterior nodal (supraclavicular) field", normalise_deg(gantry));
    const BeamFrame frame = beam_frame(b);
    const std::vector<Seg> segs = projected_segments(frame, nodal_target);
    const Extent e = extent(segs);
    b.x1_mm = clamp_jaw(e.xmin - in.margin_mm);
    b.x2_mm = clamp_jaw(e.xmax + in.margin_mm);
    b.y1_mm = 0;
    b.y2_mm = clamp_jaw(e.ymax + in.margin_mm);
    b.mlc = conform_mlc(segs, b, in.margin_mm, in.margin_mm, in.margin_mm);
    b.weight = 1.0;
    b.beam_dose_gy = in.prescription_gy / in.fractions;
    // Specification point: the centroid of the nodal target above the match plane, or a point inside
    // the region of its plane nearest to that centroid when the centroid falls outside the target.
    std::optional<Vec3> spec = slab_centroid(nodal_target);
    if (spec) {
      const geom::Plane* p = geom::plane_at(*nodal, spec->z);
      if (p == nullptr || !bg::covered_by(geom::Point2{spec->x, spec->y}, p->region)) {
        const Slab* best = &nodal_target.front();
        for (const Slab& s : nodal_target)
          if (std::abs((s.z0 + s.z1) / 2 - spec->z) < std::abs((best->z0 + best->z1) / 2 - spec->z)) best = &s;
        const std::optional<geom::Point2> q = interior_point(best->plane->region);
        if (q) spec = Vec3{q->x(), q->y(), (best->z0 + best->z1) / 2};
      }
    }
    b.dose_specification_point_mm = spec;
    plan.beams.push_back(std::move(b));
  }

  // Monitor units from the dose model: 100 MU per unit response per Gy at the specification point.
  const DoseModel model(plan, *in.body);
  for (std::size_t i = 0; i < plan.beams.size(); ++i) {
    Beam& b = plan.beams[i];
    const double r = model.relative_response(i, b.dose_specification_point_mm.value_or(b.isocentre_mm));
    b.monitor_units = std::round(100.0 * b.beam_dose_gy.value_or(0) / r * 10.0) / 10.0;
  }
  return plan;
}

}  // namespace rtaudit::phantom
