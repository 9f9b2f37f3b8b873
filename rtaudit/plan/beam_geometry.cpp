#include "rtaudit/plan/beam_geometry.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace rtaudit::plan {

namespace {

constexpr double kDeg = std::numbers::pi / 180.0;

Vec3 add(const Vec3& a, const Vec3& b) { return {a.x + b.x, a.y + b.y, a.z + b.z}; }
Vec3 sub(const Vec3& a, const Vec3& b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
Vec3 scale(const Vec3& a, double s) { return {a.x * s, a.y * s, a.z * s}; }
double dot(const Vec3& a, const Vec3& b) { return a.x * b.x + a.y * b.y + a.z * b.z; }

}  // namespace

BeamFrame beam_frame(double gantry_deg, double collimator_deg, double couch_deg, const Vec3& isocentre,
                     double sad_mm) {
  const double g = gantry_deg * kDeg;
  const double c = collimator_deg * kDeg;
  const double s = couch_deg * kDeg;
  // All vectors below are in IEC FIXED components (X_f, Y_f, Z_f).
  const Vec3 xg{std::cos(g), 0, -std::sin(g)};
  const Vec3 yg{0, 1, 0};
  const Vec3 zg{std::sin(g), 0, std::cos(g)};
  const Vec3 xb = add(scale(xg, std::cos(c)), scale(yg, std::sin(c)));
  const Vec3 yb = add(scale(xg, -std::sin(c)), scale(yg, std::cos(c)));
  // Patient support axes in FIXED; for HFS the IEC patient axes coincide with them:
  // X_s = patient left (+x LPS), Y_s = head (+z LPS), Z_s = anterior (-y LPS).
  const Vec3 xs{std::cos(s), std::sin(s), 0};
  const Vec3 ys{-std::sin(s), std::cos(s), 0};
  const Vec3 zs{0, 0, 1};
  const auto to_patient = [&](const Vec3& f) {
    return Vec3{dot(f, xs), -dot(f, zs), dot(f, ys)};
  };
  BeamFrame frame;
  frame.isocentre = isocentre;
  frame.x_axis = to_patient(xb);
  frame.y_axis = to_patient(yb);
  frame.z_axis = to_patient(zg);
  frame.sad_mm = sad_mm;
  frame.source = add(isocentre, scale(frame.z_axis, sad_mm));
  return frame;
}

BeamFrame beam_frame(const Beam& beam) {
  return beam_frame(beam.gantry_deg, beam.collimator_deg, beam.couch_deg, beam.isocentre_mm, beam.sad_mm);
}

BevPoint project_to_bev(const BeamFrame& frame, const Vec3& patient_point) {
  const Vec3 d = sub(patient_point, frame.isocentre);
  const double u = dot(d, frame.x_axis);
  const double w = dot(d, frame.y_axis);
  const double h = dot(d, frame.z_axis);
  BevPoint bev;
  bev.depth_mm = frame.sad_mm - h;
  if (bev.depth_mm <= 0) {
    bev.x_mm = std::numeric_limits<double>::infinity();
    bev.y_mm = std::numeric_limits<double>::infinity();
    return bev;
  }
  const double m = frame.sad_mm / bev.depth_mm;
  bev.x_mm = u * m;
  bev.y_mm = w * m;
  return bev;
}

Vec3 bev_to_patient(const BeamFrame& frame, const BevPoint& bev) {
  const double f = bev.depth_mm / frame.sad_mm;
  Vec3 p = frame.isocentre;
  p = add(p, scale(frame.x_axis, bev.x_mm * f));
  p = add(p, scale(frame.y_axis, bev.y_mm * f));
  p = add(p, scale(frame.z_axis, frame.sad_mm - bev.depth_mm));
  return p;
}

Vec3 ray_direction(const BeamFrame& frame, double x_mm, double y_mm) {
  Vec3 v = scale(frame.z_axis, -frame.sad_mm);
  v = add(v, scale(frame.x_axis, x_mm));
  v = add(v, scale(frame.y_axis, y_mm));
  return scale(v, 1.0 / std::sqrt(dot(v, v)));
}

std::vector<BevRect> aperture_rectangles(const Beam& beam) {
  std::vector<BevRect> rects;
  const double jx0 = std::min(beam.x1_mm, beam.x2_mm), jx1 = std::max(beam.x1_mm, beam.x2_mm);
  const double jy0 = std::min(beam.y1_mm, beam.y2_mm), jy1 = std::max(beam.y1_mm, beam.y2_mm);
  const auto push = [&](double x0, double x1, double y0, double y1) {
    if (x1 > x0 && y1 > y0) rects.push_back({x0, x1, y0, y1});
  };
  const MlcAperture* mlc = beam.mlc ? &*beam.mlc : nullptr;
  if (mlc == nullptr || mlc->leaf_boundaries_mm.size() < 2 ||
      mlc->bank_a_mm.size() + 1 != mlc->leaf_boundaries_mm.size() ||
      mlc->bank_b_mm.size() + 1 != mlc->leaf_boundaries_mm.size()) {
    push(jx0, jx1, jy0, jy1);
    return rects;
  }
  const bool mlcx = mlc->device != "MLCY";
  // In the MLC's own axes: "travel" is the leaves' axis, "pair" the boundaries' axis.
  const double t0 = mlcx ? jx0 : jy0, t1 = mlcx ? jx1 : jy1;
  const double p0 = mlcx ? jy0 : jx0, p1 = mlcx ? jy1 : jx1;
  const auto& b = mlc->leaf_boundaries_mm;
  const auto push_mlc = [&](double tt0, double tt1, double pp0, double pp1) {
    if (mlcx) push(tt0, tt1, pp0, pp1);
    else push(pp0, pp1, tt0, tt1);
  };
  // Below and above the leaf-pair range the MLC does not block.
  push_mlc(t0, t1, p0, std::min(p1, b.front()));
  for (std::size_t i = 0; i + 1 < b.size(); ++i) {
    const double lo = std::max(p0, b[i]), hi = std::min(p1, b[i + 1]);
    if (hi <= lo) continue;
    push_mlc(std::max(t0, mlc->bank_a_mm[i]), std::min(t1, mlc->bank_b_mm[i]), lo, hi);
  }
  push_mlc(t0, t1, std::max(p0, b.back()), p1);
  return rects;
}

bool in_aperture(const Beam& beam, double x_mm, double y_mm) {
  for (const BevRect& r : aperture_rectangles(beam))
    if (x_mm >= r.x0 && x_mm <= r.x1 && y_mm >= r.y0 && y_mm <= r.y1) return true;
  return false;
}

bool in_field(const Beam& beam, const Vec3& patient_point) {
  const BevPoint bev = project_to_bev(beam_frame(beam), patient_point);
  return bev.depth_mm > 0 && in_aperture(beam, bev.x_mm, bev.y_mm);
}

std::vector<double> millennium120_boundaries() {
  std::vector<double> b;
  for (int i = 0; i < 10; ++i) b.push_back(-200.0 + 10.0 * i);
  for (int i = 0; i < 40; ++i) b.push_back(-100.0 + 5.0 * i);
  for (int i = 0; i <= 10; ++i) b.push_back(100.0 + 10.0 * i);
  return b;
}

}  // namespace rtaudit::plan
