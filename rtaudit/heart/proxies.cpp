// Geometric proxies of heart dose: see proxies.hpp and docs/heart-proxies.md.
#include "rtaudit/heart/proxies.hpp"

#include "rtaudit/compare/overlap.hpp"
#include "rtaudit/dose/partial_volume.hpp"
#include "rtaudit/geom/surface.hpp"
#include "rtaudit/plan/beam_geometry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <functional>
#include <limits>
#include <map>
#include <numbers>
#include <optional>
#include <tuple>
#include <utility>

namespace rtaudit::heart {
namespace {

using geom::Point3;
using geom::Structure;
using geom::SurfaceMesh;

constexpr const char* kHeartLabel = "Heart";
constexpr const char* kLadLabel = "LAD";
constexpr const char* kLungLabel = "ipsilateral lung";
constexpr const char* kCtvLabel = "CTVn_IMN";

constexpr double kInf = std::numeric_limits<double>::infinity();
/// Overlap volumes at or below this (cc) are rounding of touching polygons, not an overlap.
constexpr double kOverlapEpsilonCc = 1e-9;
/// Edge refinement of the minimum distance: segments that cannot come closer than the best distance
/// found less this (mm) are dropped; segments shorter than kMinPieceMm are not split further.
constexpr double kEdgeToleranceMm = 1e-3;
constexpr double kMinPieceMm = 0.05;
/// Bisection steps locating a field or structure edge along a BEV row (pixel / 2^30).
constexpr int kBisectionSteps = 30;

Point3 sub(const Point3& a, const Point3& b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
Point3 add(const Point3& a, const Point3& b) { return {a.x + b.x, a.y + b.y, a.z + b.z}; }
Point3 scale(const Point3& a, double s) { return {a.x * s, a.y * s, a.z * s}; }
Point3 midpoint(const Point3& a, const Point3& b) { return {0.5 * (a.x + b.x), 0.5 * (a.y + b.y), 0.5 * (a.z + b.z)}; }
double norm(const Point3& a) { return std::sqrt(a.x * a.x + a.y * a.y + a.z * a.z); }

/// Why a structure cannot be measured (empty when it can).
std::string unusable(const Structure* s, const std::string& label) {
  if (s == nullptr) return fmt::format("no {} structure", label);
  if (s->planes.empty()) return fmt::format("{} has no contoured plane", label);
  if (!(s->slab_mm > 0)) return fmt::format("{} has no slab thickness (single plane without slice spacing)", label);
  return {};
}

// ---------------------------------------------------------------------------------------------
// Minimum distance between two closed surfaces.

/// A mesh's distinct vertices and distinct edges (vertex index pairs).
struct MeshGraph {
  std::vector<Point3> vertices;
  std::vector<std::pair<std::size_t, std::size_t>> edges;
};

MeshGraph mesh_graph(const SurfaceMesh& mesh) {
  MeshGraph g;
  const auto triangles = mesh.triangles();
  // Corner c of triangle t is id 3 t + c; equal coordinates get one vertex index (sort, not a map).
  std::vector<std::size_t> order(3 * triangles.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto corner = [&](std::size_t i) -> const Point3& { return triangles[i / 3][i % 3]; };
  auto less = [&](std::size_t a, std::size_t b) {
    const Point3 &p = corner(a), &q = corner(b);
    return std::tie(p.x, p.y, p.z) < std::tie(q.x, q.y, q.z);
  };
  std::sort(order.begin(), order.end(), less);
  std::vector<std::size_t> vertex_of(order.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    if (k == 0 || less(order[k - 1], order[k])) g.vertices.push_back(corner(order[k]));
    vertex_of[order[k]] = g.vertices.size() - 1;
  }
  for (std::size_t t = 0; t < triangles.size(); ++t)
    for (std::size_t c = 0; c < 3; ++c) g.edges.emplace_back(std::minmax(vertex_of[3 * t + c], vertex_of[3 * t + (c + 1) % 3]));
  std::sort(g.edges.begin(), g.edges.end());
  g.edges.erase(std::unique(g.edges.begin(), g.edges.end()), g.edges.end());
  return g;
}

/// The pieces of a surface the minimum distance visits: every mesh edge (its points are on the
/// surface; its end points are the mesh vertices) and every area sample (a degenerate segment).
struct Element {
  Point3 p, q;
  std::size_t vp = 0, vq = 0;  ///< vertex indices of p and q (segments only)
  bool segment = false;
  Point3 m;  ///< midpoint
};

/// A node of a bounding-sphere hierarchy over elements [begin, end): every point of every element
/// lies within radius of rep, a point of the surface (an element's midpoint).
struct Node {
  std::size_t begin = 0, end = 0;
  Point3 rep;
  double radius = 0;
  long left = -1, right = -1;
};

constexpr std::size_t kLeafElements = 8;

long build_nodes(std::vector<Element>& el, std::size_t begin, std::size_t end, std::vector<Node>& nodes) {
  Point3 lo{kInf, kInf, kInf}, hi{-kInf, -kInf, -kInf};
  for (std::size_t i = begin; i < end; ++i) {
    for (const Point3& v : {el[i].p, el[i].q}) {
      lo = {std::min(lo.x, v.x), std::min(lo.y, v.y), std::min(lo.z, v.z)};
      hi = {std::max(hi.x, v.x), std::max(hi.y, v.y), std::max(hi.z, v.z)};
    }
  }
  const Point3 c = midpoint(lo, hi);
  Node n;
  n.begin = begin;
  n.end = end;
  auto d2 = [](const Point3& a, const Point3& b) {
    const double dx = a.x - b.x, dy = a.y - b.y, dz = a.z - b.z;
    return dx * dx + dy * dy + dz * dz;
  };
  double nearest = kInf;
  for (std::size_t i = begin; i < end; ++i) {
    const double d = d2(el[i].m, c);
    if (d < nearest) {
      nearest = d;
      n.rep = el[i].m;
    }
  }
  double r2 = 0;
  for (std::size_t i = begin; i < end; ++i) r2 = std::max({r2, d2(el[i].p, n.rep), d2(el[i].q, n.rep)});
  n.radius = std::sqrt(r2);
  const auto id = static_cast<long>(nodes.size());
  nodes.push_back(n);
  if (end - begin > kLeafElements) {
    const Point3 ext = sub(hi, lo);
    const int axis = ext.x >= ext.y && ext.x >= ext.z ? 0 : (ext.y >= ext.z ? 1 : 2);
    auto key = [axis](const Element& e) { return axis == 0 ? e.m.x : (axis == 1 ? e.m.y : e.m.z); };
    const std::size_t mid = begin + (end - begin) / 2;
    std::nth_element(el.begin() + static_cast<std::ptrdiff_t>(begin), el.begin() + static_cast<std::ptrdiff_t>(mid),
                     el.begin() + static_cast<std::ptrdiff_t>(end),
                     [&](const Element& a, const Element& b) { return key(a) < key(b); });
    const long l = build_nodes(el, begin, mid, nodes);
    const long r = build_nodes(el, mid, end, nodes);
    nodes[static_cast<std::size_t>(id)].left = l;
    nodes[static_cast<std::size_t>(id)].right = r;
  }
  return id;
}

/// A surface prepared for minimum-distance queries against other surfaces.
struct DistanceSource {
  std::vector<Element> elements;
  std::vector<Node> nodes;
  std::size_t vertex_count = 0;
};

DistanceSource distance_source(const SurfaceMesh& mesh, double sample_density_per_mm2) {
  DistanceSource src;
  const MeshGraph g = mesh_graph(mesh);
  src.vertex_count = g.vertices.size();
  for (const auto& [i, j] : g.edges)
    src.elements.push_back({g.vertices[i], g.vertices[j], i, j, true, midpoint(g.vertices[i], g.vertices[j])});
  geom::SamplingOptions so;
  so.density_per_mm2 = sample_density_per_mm2 > 0 ? sample_density_per_mm2 : 1.0;
  so.include_vertices = false;
  for (const geom::SurfaceSample& s : mesh.sample(so)) src.elements.push_back({s.point, s.point, 0, 0, false, s.point});
  if (!src.elements.empty()) build_nodes(src.elements, 0, src.elements.size(), src.nodes);
  return src;
}

/// The smallest distance from the surface `from` to the surface `to`: the exact point-to-surface
/// distance (AABB tree) of every vertex of `from` and of its area samples, and along every edge of
/// `from` that could come closer (the distance to a surface is 1-Lipschitz: on a segment of length
/// L whose ends are at dp and dq it is at least (dp + dq - L) / 2), bisected down to kMinPieceMm.
/// Branch and bound over the bounding-sphere hierarchy: a node whose representative point is at
/// distance d can hold nothing closer than d - radius, so only the parts of `from` near the minimum
/// are queried. With both directions this finds every vertex-face minimum exactly and an edge-edge
/// minimum to within kMinPieceMm / 2 (in practice to O(piece² / distance)).
double directed_min_distance(const DistanceSource& from, const SurfaceMesh& to) {
  if (from.nodes.empty()) return kInf;
  double best = kInf;
  std::vector<double> vertex_d(from.vertex_count, std::numeric_limits<double>::quiet_NaN());
  auto dist = [&](const Point3& p) {
    const double d = to.distance_mm(p);
    best = std::min(best, d);
    return d;
  };
  auto vertex_distance = [&](std::size_t v, const Point3& p) {
    if (std::isnan(vertex_d[v])) vertex_d[v] = dist(p);
    return vertex_d[v];
  };
  struct Span {
    Point3 p, q;
    double dp, dq;
  };
  std::vector<Span> stack;
  auto refine_segment = [&](const Element& e) {
    stack.push_back({e.p, e.q, vertex_distance(e.vp, e.p), vertex_distance(e.vq, e.q)});
    while (!stack.empty()) {
      const Span piece = stack.back();
      stack.pop_back();
      const double len = norm(sub(piece.q, piece.p));
      if ((piece.dp + piece.dq - len) / 2 >= best - kEdgeToleranceMm || len <= kMinPieceMm) continue;
      const Point3 m = midpoint(piece.p, piece.q);
      const double dm = dist(m);
      stack.push_back({piece.p, m, piece.dp, dm});
      stack.push_back({m, piece.q, dm, piece.dq});
    }
  };

  using Entry = std::pair<double, long>;  // (lower bound, node)
  std::vector<Entry> heap;
  auto push = [&](long id, double parent_lb) {
    const Node& n = from.nodes[static_cast<std::size_t>(id)];
    heap.emplace_back(std::max(parent_lb, dist(n.rep) - n.radius), id);
    std::push_heap(heap.begin(), heap.end(), std::greater<>());
  };
  push(0, -kInf);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), std::greater<>());
    const auto [lb, id] = heap.back();
    heap.pop_back();
    if (lb >= best - kEdgeToleranceMm || best <= kEdgeToleranceMm) break;  // nothing left can do better
    const Node& n = from.nodes[static_cast<std::size_t>(id)];
    if (n.left >= 0) {
      push(n.left, lb);
      push(n.right, lb);
      continue;
    }
    for (std::size_t i = n.begin; i < n.end; ++i) {
      const Element& e = from.elements[i];
      if (e.segment) refine_segment(e);
      else dist(e.p);
    }
  }
  return best;
}

/// A structure with its surface, built once and shared by every measure that needs it.
struct Solid {
  std::string label;
  const Structure* structure = nullptr;
  SurfaceMesh mesh;
  std::string problem;  ///< why it cannot be measured (then the mesh is empty)

  Solid() = default;
  Solid(std::string l, const Structure* s) : label(std::move(l)), structure(s), problem(unusable(s, label)) {
    if (problem.empty()) {
      mesh = SurfaceMesh(*s);
      if (mesh.empty()) problem = fmt::format("{} has an empty surface", label);
    }
  }
  [[nodiscard]] bool usable() const { return problem.empty(); }
  /// The surface prepared for distance queries (built on first use, for the first density asked).
  [[nodiscard]] const DistanceSource& distance_source_for(double sample_density_per_mm2) const {
    if (!source_) source_ = distance_source(mesh, sample_density_per_mm2);
    return *source_;
  }

 private:
  mutable std::optional<DistanceSource> source_;
};

MinDistance min_distance_between(const Solid& a, const Solid& b, double sample_density_per_mm2) {
  MinDistance out;
  out.from = a.label;
  out.to = b.label;
  if (!a.usable() || !b.usable()) {
    out.reason = !a.usable() ? a.problem : b.problem;
    return out;
  }
  const compare::OverlapResult ov = compare::overlap(*a.structure, *b.structure);
  if (!ov.overlap) {
    out.reason = ov.error ? ov.error->reason : std::string("overlap not computable");
    return out;
  }
  if (ov.overlap->intersection_cc > kOverlapEpsilonCc) {
    out.overlapping = true;
    out.overlap_cc = ov.overlap->intersection_cc;
    out.distance_mm = 0.0;
    return out;
  }
  const double ab = directed_min_distance(a.distance_source_for(sample_density_per_mm2), b.mesh);
  const double ba = directed_min_distance(b.distance_source_for(sample_density_per_mm2), a.mesh);
  const double d = std::min(ab, ba);
  if (!std::isfinite(d)) {
    out.reason = "no distance found (empty surface)";
    return out;
  }
  out.distance_mm = d;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Partial-volume pieces.

struct Piece {
  Point3 centre;
  double volume_mm3 = 0;
};

/// Pieces grouped in cubes of kBlockMm: each block's pieces have their centres within `radius` of
/// the block's centre, so one signed-distance query bounds them all (the signed distance to a
/// closed surface is 1-Lipschitz).
struct PieceBlock {
  Point3 centre;
  double radius = 0;
  double volume_mm3 = 0;
  std::size_t begin = 0, end = 0;
};

struct OrganPieces {
  std::vector<Piece> pieces;  ///< ordered by block
  std::vector<PieceBlock> blocks;
  double volume_mm3 = 0;
};

constexpr double kBlockMm = 6;

OrganPieces pieces_of(const Structure& s, double sample_mm) {
  const double h = sample_mm > 0 ? sample_mm : 1.0;
  dose::Lattice lattice;
  lattice.dx_mm = h;
  lattice.dy_mm = h;
  OrganPieces out;
  std::vector<std::pair<std::array<long, 3>, Piece>> keyed;
  dose::for_each_piece(s, lattice, h, [&](const dose::VolumePiece& p) {
    const std::array<long, 3> key{static_cast<long>(std::floor(p.x_mm / kBlockMm)),
                                  static_cast<long>(std::floor(p.y_mm / kBlockMm)),
                                  static_cast<long>(std::floor(p.z_mm / kBlockMm))};
    keyed.push_back({key, {{p.x_mm, p.y_mm, p.z_mm}, p.volume_mm3}});
  });
  std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < keyed.size();) {
    std::size_t j = i;
    PieceBlock b;
    b.begin = out.pieces.size();
    const auto& key = keyed[i].first;
    b.centre = {(static_cast<double>(key[0]) + 0.5) * kBlockMm, (static_cast<double>(key[1]) + 0.5) * kBlockMm,
                (static_cast<double>(key[2]) + 0.5) * kBlockMm};
    for (; j < keyed.size() && keyed[j].first == key; ++j) {
      out.pieces.push_back(keyed[j].second);
      b.volume_mm3 += keyed[j].second.volume_mm3;
      b.radius = std::max(b.radius, norm(sub(keyed[j].second.centre, b.centre)));
    }
    b.end = out.pieces.size();
    out.volume_mm3 += b.volume_mm3;
    out.blocks.push_back(b);
    i = j;
  }
  return out;
}

/// Distance from p to the box (0 inside it): a lower bound of the distance to anything in the box.
double distance_to_box(const Point3& p, const geom::Box3& b) {
  const double dx = std::max({b.min.x - p.x, 0.0, p.x - b.max.x});
  const double dy = std::max({b.min.y - p.y, 0.0, p.y - b.max.y});
  const double dz = std::max({b.min.z - p.z, 0.0, p.z - b.max.z});
  return std::sqrt(dx * dx + dy * dy + dz * dz);
}

OverlapVolumeHistogram ovh_of(const Solid& ptv, const std::string& organ_label, const OrganPieces& organ,
                              const ProxyOptions& options) {
  OverlapVolumeHistogram h;
  h.ptv = ptv.label;
  h.organ = organ_label;
  const double step = options.ovh_step_mm > 0 ? options.ovh_step_mm : 1.0;
  const double max_d = std::max(0.0, options.ovh_max_mm);
  const auto n = static_cast<std::size_t>(std::floor(max_d / step + 1e-9)) + 1;
  for (std::size_t i = 0; i < n; ++i) h.distance_mm.push_back(static_cast<double>(i) * step);
  std::vector<double> bin(n, 0.0);  // bin[i]: volume whose signed distance is in (d[i-1], d[i]]
  const auto box = geom::bounding_box(*ptv.structure);
  const double reach = h.distance_mm.back();
  auto add = [&](double sd, double volume_mm3) {
    if (sd > reach) return;
    const double k = std::ceil(std::max(sd, 0.0) / step - 1e-12);
    bin[std::min(n - 1, static_cast<std::size_t>(std::max(0.0, k)))] += volume_mm3;
  };
  for (const PieceBlock& b : organ.blocks) {
    // The whole block beyond the last distance (from the PTV's bounding box, then the surface), or
    // the whole block inside the PTV: no query per piece.
    if (box && distance_to_box(b.centre, *box) - b.radius > reach) continue;
    const double sd_block = ptv.mesh.signed_distance_mm(b.centre);
    if (sd_block - b.radius > reach) continue;
    if (sd_block + b.radius < 0) {
      add(-1, b.volume_mm3);
      continue;
    }
    const bool all_outside = sd_block - b.radius > 0;  // then the unsigned distance is the signed one
    for (std::size_t i = b.begin; i < b.end; ++i) {
      const Point3& c = organ.pieces[i].centre;
      add(all_outside ? ptv.mesh.distance_mm(c) : ptv.mesh.signed_distance_mm(c), organ.pieces[i].volume_mm3);
    }
  }
  h.organ_volume_cc = organ.volume_mm3 / 1000.0;
  double cum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    cum += bin[i];
    h.volume_cc.push_back(cum / 1000.0);
    h.volume_pct.push_back(organ.volume_mm3 > 0 ? 100.0 * cum / organ.volume_mm3 : 0.0);
  }
  return h;
}

// ---------------------------------------------------------------------------------------------
// Beam's-eye view.

struct BevBox {
  double x0 = -kInf, x1 = kInf, y0 = -kInf, y1 = kInf;
};

/// What of a beam the BEV measures need, computed once per beam.
class BeamView {
 public:
  BeamView(const Beam& beam, double pixel_mm)
      : frame_(plan::beam_frame(beam)), rects_(plan::aperture_rectangles(beam)), pixel_(pixel_mm) {
    if (rects_.empty()) {
      aperture_box_ = {0, -1, 0, -1};  // closed: an empty box
      return;
    }
    aperture_box_ = {kInf, -kInf, kInf, -kInf};
    for (const plan::BevRect& r : rects_) {
      aperture_box_.x0 = std::min(aperture_box_.x0, r.x0);
      aperture_box_.x1 = std::max(aperture_box_.x1, r.x1);
      aperture_box_.y0 = std::min(aperture_box_.y0, r.y0);
      aperture_box_.y1 = std::max(aperture_box_.y1, r.y1);
    }
  }

  [[nodiscard]] const plan::BeamFrame& frame() const { return frame_; }
  [[nodiscard]] bool aperture_closed() const { return rects_.empty(); }
  [[nodiscard]] const std::vector<plan::BevRect>& rects() const { return rects_; }
  [[nodiscard]] double pixel_mm() const { return pixel_; }

  [[nodiscard]] bool in_aperture(double x, double y) const {
    for (const plan::BevRect& r : rects_)
      if (x >= r.x0 && x <= r.x1 && y >= r.y0 && y <= r.y1) return true;
    return false;
  }
  [[nodiscard]] bool in_field(const Point3& p) const {
    const plan::BevPoint b = plan::project_to_bev(frame_, p);
    return b.depth_mm > 0 && in_aperture(b.x_mm, b.y_mm);
  }

  /// The part of the aperture's bounding box where the structure can project (its bounding box's
  /// corners projected; the whole aperture when a corner is at or behind the source).
  [[nodiscard]] BevBox scan_box(const Structure& s) const {
    BevBox out = aperture_box_;
    const auto box = geom::bounding_box(s);
    if (!box) return {0, -1, 0, -1};
    BevBox sb{kInf, -kInf, kInf, -kInf};
    for (int c = 0; c < 8; ++c) {
      const Point3 corner{(c & 1) ? box->max.x : box->min.x, (c & 2) ? box->max.y : box->min.y,
                          (c & 4) ? box->max.z : box->min.z};
      const plan::BevPoint b = plan::project_to_bev(frame_, corner);
      if (!(b.depth_mm > 0)) return out;
      sb.x0 = std::min(sb.x0, b.x_mm);
      sb.x1 = std::max(sb.x1, b.x_mm);
      sb.y0 = std::min(sb.y0, b.y_mm);
      sb.y1 = std::max(sb.y1, b.y_mm);
    }
    out.x0 = std::max(out.x0, sb.x0);
    out.x1 = std::min(out.x1, sb.x1);
    out.y0 = std::max(out.y0, sb.y0);
    out.y1 = std::min(out.y1, sb.y1);
    return out;
  }

  /// Length of a ray from the source that passes every point of the structure's bounding box.
  [[nodiscard]] double ray_length_mm(const Structure& s) const {
    const auto box = geom::bounding_box(s);
    if (!box) return 0;
    double far = 0;
    for (int c = 0; c < 8; ++c) {
      const Point3 corner{(c & 1) ? box->max.x : box->min.x, (c & 2) ? box->max.y : box->min.y,
                          (c & 4) ? box->max.z : box->min.z};
      far = std::max(far, norm(sub(corner, frame_.source)));
    }
    return far + 1.0;
  }

  /// True when the ray from the source through BEV (x, y) meets the surface.
  [[nodiscard]] bool ray_hits(const SurfaceMesh& mesh, double ray_length, double x, double y) const {
    const Point3 dir = plan::ray_direction(frame_, x, y);
    return mesh.intersects_segment(frame_.source, add(frame_.source, scale(dir, ray_length)));
  }

  /// Pixel-centre indices (i: x = (i + 0.5) pixel) of [lo, hi].
  [[nodiscard]] std::pair<long, long> pixel_range(double lo, double hi) const {
    if (!(lo <= hi) || !std::isfinite(lo) || !std::isfinite(hi)) return {1, 0};
    return {static_cast<long>(std::ceil(lo / pixel_ - 0.5)), static_cast<long>(std::floor(hi / pixel_ - 0.5))};
  }
  [[nodiscard]] double centre(long i) const { return (static_cast<double>(i) + 0.5) * pixel_; }

 private:
  plan::BeamFrame frame_;
  std::vector<plan::BevRect> rects_;
  double pixel_;
  BevBox aperture_box_;
};

/// What the ray grid found for one structure in one beam.
struct RayScan {
  std::size_t hits = 0;
  /// Per BEV row (y), the hit pixel centre farthest into the field from the posterior edge.
  std::map<long, double> farthest_x;
};

/// Distance into the field along BEV x from the posterior jaw edge (x2 - x when X2 is posterior,
/// x - x1 when X1 is).
double distance_from_edge(const Beam& beam, bool x2_posterior, double x) {
  return x2_posterior ? beam.x2_mm - x : x - beam.x1_mm;
}

RayScan scan_structure(const BeamView& view, const Beam& beam, const Solid& s, std::optional<bool> x2_posterior) {
  RayScan out;
  const BevBox box = view.scan_box(*s.structure);
  const double len = view.ray_length_mm(*s.structure);
  const auto [i0, i1] = view.pixel_range(box.x0, box.x1);
  const auto [j0, j1] = view.pixel_range(box.y0, box.y1);
  for (long j = j0; j <= j1; ++j) {
    const double y = view.centre(j);
    for (long i = i0; i <= i1; ++i) {
      const double x = view.centre(i);
      if (!view.in_aperture(x, y) || !view.ray_hits(s.mesh, len, x, y)) continue;
      ++out.hits;
      if (x2_posterior) {
        auto [it, inserted] = out.farthest_x.emplace(j, x);
        if (!inserted && distance_from_edge(beam, *x2_posterior, x) > distance_from_edge(beam, *x2_posterior, it->second))
          it->second = x;
      }
    }
  }
  return out;
}

/// From a BEV point on row y whose ray is in the aperture and meets the structure, the farthest
/// such point into the field along the row (stepping by pixels, then bisecting the last step):
/// its distance from the posterior edge.
double refine_along_row(const BeamView& view, const Beam& beam, const Solid& s, double ray_length, bool x2_posterior,
                        double x_in, double y) {
  const double dir = x2_posterior ? -1.0 : 1.0;
  auto open_and_hit = [&](double x) { return view.in_aperture(x, y) && view.ray_hits(s.mesh, ray_length, x, y); };
  double x_out = x_in + dir * view.pixel_mm();
  // The scan saw every pixel of the row; a hit beyond (outside the scanned box) is not possible, but
  // step on rather than assume it.
  for (int guard = 0; guard < 100000 && open_and_hit(x_out); ++guard) {
    x_in = x_out;
    x_out += dir * view.pixel_mm();
  }
  for (int k = 0; k < kBisectionSteps; ++k) {
    const double m = 0.5 * (x_in + x_out);
    (open_and_hit(m) ? x_in : x_out) = m;
  }
  return distance_from_edge(beam, x2_posterior, x_in);
}

/// MHD-like extent: the largest distance from the posterior edge of the structure's in-field rays.
double max_extent(const BeamView& view, const Beam& beam, const Solid& s, bool x2_posterior, const RayScan& scan) {
  if (scan.farthest_x.empty()) return 0;
  double coarse = -kInf;
  for (const auto& [j, x] : scan.farthest_x) coarse = std::max(coarse, distance_from_edge(beam, x2_posterior, x));
  const double len = view.ray_length_mm(*s.structure);
  double best = 0;
  for (const auto& [j, x] : scan.farthest_x) {
    // A row can gain at most one pixel by refinement: only rows within a pixel of the best can win.
    if (distance_from_edge(beam, x2_posterior, x) < coarse - view.pixel_mm()) continue;
    best = std::max(best, refine_along_row(view, beam, s, len, x2_posterior, x, view.centre(j)));
  }
  return best;
}

/// CLD: the extent of the lung into the field on the central-axis row (BEV y = 0), or on the
/// nearest open pixel row when the aperture is closed at y = 0 (with a note).
double central_row_extent(const BeamView& view, const Beam& beam, const Solid& lung, bool x2_posterior,
                          std::vector<std::string>& notes) {
  const std::vector<plan::BevRect>& rects = view.rects();
  double y = 0;
  bool open_at_zero = false;
  for (const plan::BevRect& r : rects)
    if (r.y0 <= 0 && 0 <= r.y1 && r.x1 > r.x0) open_at_zero = true;
  if (!open_at_zero) {
    double best = kInf;
    for (const plan::BevRect& r : rects) {
      const auto [j0, j1] = view.pixel_range(r.y0, r.y1);
      for (long j : {j0, j1}) {
        if (j0 > j1) continue;
        const double yc = view.centre(j);
        if (std::abs(yc) < std::abs(best)) best = yc;
      }
    }
    if (!std::isfinite(best)) return 0;
    y = best;
    notes.push_back(fmt::format("aperture closed on the central axis (BEV y = 0): CLD on the nearest open row, "
                                "BEV y = {:.2f} mm",
                                y));
  }
  const BevBox box = view.scan_box(*lung.structure);
  const double len = view.ray_length_mm(*lung.structure);
  const auto [i0, i1] = view.pixel_range(box.x0, box.x1);
  std::optional<double> farthest;
  for (long i = i0; i <= i1; ++i) {
    const double x = view.centre(i);
    if (!view.in_aperture(x, y) || !view.ray_hits(lung.mesh, len, x, y)) continue;
    if (!farthest || distance_from_edge(beam, x2_posterior, x) > distance_from_edge(beam, x2_posterior, *farthest))
      farthest = x;
  }
  if (!farthest) return 0;
  return refine_along_row(view, beam, lung, len, x2_posterior, *farthest, y);
}

double volume_in_field_cc(const BeamView& view, const OrganPieces& organ) {
  double v = 0;
  for (const Piece& p : organ.pieces)
    if (view.in_field(p.centre)) v += p.volume_mm3;
  return v / 1000.0;
}

std::string upper_trimmed(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  const auto last = s.find_last_not_of(" \t\r\n");
  s = first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

BeamProxy beam_proxy(const Beam& beam, const Solid& heart, const OrganPieces& heart_pieces, const Solid& lad,
                     const OrganPieces& lad_pieces, const Solid& lung, const ProxyOptions& options) {
  BeamProxy bp;
  bp.beam_number = beam.number;
  bp.beam_name = beam.name;
  bp.gantry_deg = beam.gantry_deg;
  const double pixel = options.bev_pixel_mm > 0 ? options.bev_pixel_mm : 1.0;
  const BeamView view(beam, pixel);
  const plan::BeamFrame& f = view.frame();
  // Tangential: the central axis within 45 degrees of the patient's left-right axis (LPS x).
  bp.tangential = std::abs(f.z_axis.x) >= std::cos(std::numbers::pi / 4) - 1e-12;

  // The posterior X jaw: the one whose edge at BEV y = 0 back-projects (isocentre plane) to the
  // larger patient y (LPS: +y posterior).
  std::optional<bool> x2_posterior;
  if (bp.tangential) {
    const Point3 e1 = plan::bev_to_patient(f, {beam.x1_mm, 0, f.sad_mm});
    const Point3 e2 = plan::bev_to_patient(f, {beam.x2_mm, 0, f.sad_mm});
    if (std::abs(e2.y - e1.y) > 1e-6) {
      x2_posterior = e2.y > e1.y;
      bp.posterior_edge = *x2_posterior ? "X2" : "X1";
    } else {
      bp.notes.push_back("the X jaws are not separated anterior-posterior (collimator near 90 or 270 deg): "
                         "no posterior edge, MHD and CLD not evaluated");
    }
  }
  if (view.aperture_closed()) bp.notes.push_back("aperture closed: nothing in the field");

  if (heart.usable()) {
    const RayScan scan = scan_structure(view, beam, heart, x2_posterior);
    bp.heart_area_cm2 = static_cast<double>(scan.hits) * pixel * pixel / 100.0;
    bp.heart_volume_in_field_cc = volume_in_field_cc(view, heart_pieces);
    if (x2_posterior) bp.max_heart_distance_mm = max_extent(view, beam, heart, *x2_posterior, scan);
  } else {
    bp.notes.push_back(heart.problem + ": no heart area, volume in field or MHD");
  }
  if (lad.usable()) {
    const RayScan scan = scan_structure(view, beam, lad, std::nullopt);
    bp.lad_area_cm2 = static_cast<double>(scan.hits) * pixel * pixel / 100.0;
    bp.lad_volume_in_field_cc = volume_in_field_cc(view, lad_pieces);
  } else {
    bp.notes.push_back(lad.problem + ": no LAD area or volume in field");
  }
  if (x2_posterior) {
    if (lung.usable()) {
      bp.central_lung_distance_mm = central_row_extent(view, beam, lung, *x2_posterior, bp.notes);
    } else {
      bp.notes.push_back(lung.problem + ": no CLD");
    }
  }
  return bp;
}

std::optional<double> value_at(const OverlapVolumeHistogram& h, double d) {
  if (h.distance_mm.empty() || h.distance_mm.size() != h.volume_cc.size()) return std::nullopt;
  if (d < h.distance_mm.front() || d > h.distance_mm.back() + 1e-9) return std::nullopt;
  for (std::size_t i = 0; i < h.distance_mm.size(); ++i) {
    if (std::abs(h.distance_mm[i] - d) <= 1e-9) return h.volume_cc[i];
    if (h.distance_mm[i] > d && i > 0) {  // between grid distances: linear on the cumulative curve
      const double t = (d - h.distance_mm[i - 1]) / (h.distance_mm[i] - h.distance_mm[i - 1]);
      return h.volume_cc[i - 1] + t * (h.volume_cc[i] - h.volume_cc[i - 1]);
    }
  }
  return std::nullopt;
}

}  // namespace

MinDistance min_distance(const LabelledStructure& a, const LabelledStructure& b, double sample_density_per_mm2) {
  const Solid sa(a.label, a.structure);
  const Solid sb(b.label, b.structure);
  return min_distance_between(sa, sb, sample_density_per_mm2);
}

HeartProxies compute_proxies(const ProxyInputs& in, const ProxyOptions& options) {
  HeartProxies out;
  const Solid heart(kHeartLabel, in.heart);
  const Solid lad(kLadLabel, in.lad);
  if (!heart.usable()) out.notes.push_back(heart.problem + ": no heart distances, OVH or beam's-eye-view proxies");
  if (!lad.usable()) out.notes.push_back(lad.problem + ": no LAD distances, OVH or beam's-eye-view proxies");

  // Distances: CTVn_IMN first (two entries, also when it is missing), then each PTV.
  const std::string ctv_label = in.ctvn_imn.label.empty() ? std::string(kCtvLabel) : in.ctvn_imn.label;
  const Solid ctv(ctv_label, in.ctvn_imn.structure);
  if (!ctv.usable()) out.notes.push_back(ctv.problem + ": no CTV-heart distance");
  out.distances.push_back(min_distance_between(ctv, heart, options.surface_sample_density_per_mm2));
  out.distances.push_back(min_distance_between(ctv, lad, options.surface_sample_density_per_mm2));
  std::vector<Solid> ptvs;
  ptvs.reserve(in.ptvs.size());
  for (const LabelledStructure& p : in.ptvs) {
    ptvs.emplace_back(p.label, p.structure);
    if (!ptvs.back().usable()) out.notes.push_back(ptvs.back().problem);
    out.distances.push_back(min_distance_between(ptvs.back(), heart, options.surface_sample_density_per_mm2));
    out.distances.push_back(min_distance_between(ptvs.back(), lad, options.surface_sample_density_per_mm2));
  }
  if (in.ptvs.empty()) out.notes.push_back("no PTV: no PTV distances or OVH");

  // Partial-volume pieces of the heart and the LAD, shared by the OVHs and the in-field volumes.
  const OrganPieces heart_pieces = heart.usable() ? pieces_of(*in.heart, options.volume_sample_mm) : OrganPieces{};
  const OrganPieces lad_pieces = lad.usable() ? pieces_of(*in.lad, options.volume_sample_mm) : OrganPieces{};
  for (const Solid& p : ptvs) {
    if (!p.usable()) continue;
    if (heart.usable()) out.ovh.push_back(ovh_of(p, kHeartLabel, heart_pieces, options));
    if (lad.usable()) out.ovh.push_back(ovh_of(p, kLadLabel, lad_pieces, options));
  }

  if (in.plan == nullptr) {
    out.notes.push_back("no plan: no beam's-eye-view proxies");
    return out;
  }
  const std::string position = upper_trimmed(in.patient_position);
  if (position != "HFS") {
    const std::string why = fmt::format("patient position {}: beam geometry only for HFS; beam's-eye-view proxies not "
                                        "computed",
                                        position.empty() ? std::string("unknown") : position);
    out.notes.push_back(why);
    for (const Beam& b : in.plan->beams) {
      BeamProxy bp;
      bp.beam_number = b.number;
      bp.beam_name = b.name;
      bp.gantry_deg = b.gantry_deg;
      bp.notes.push_back("beam geometry only for HFS");
      out.beams.push_back(std::move(bp));
    }
    return out;
  }
  const Solid lung(kLungLabel, in.ipsilateral_lung);
  if (!lung.usable()) out.notes.push_back(lung.problem + ": no central lung distance");
  for (const Beam& b : in.plan->beams)
    out.beams.push_back(beam_proxy(b, heart, heart_pieces, lad, lad_pieces, lung, options));
  return out;
}

std::vector<std::pair<std::string, double>> named_proxies(const HeartProxies& p) {
  std::vector<std::pair<std::string, double>> out;

  std::optional<double> mhd, cld;
  for (const BeamProxy& b : p.beams) {
    if (!b.tangential) continue;
    if (b.max_heart_distance_mm) mhd = std::max(mhd.value_or(-kInf), *b.max_heart_distance_mm);
    if (b.central_lung_distance_mm) cld = std::max(cld.value_or(-kInf), *b.central_lung_distance_mm);
  }
  // Sums over beams: only when every beam has the value (a partial sum would understate it).
  auto beam_sum = [&](auto member) -> std::optional<double> {
    if (p.beams.empty()) return std::nullopt;
    double s = 0;
    for (const BeamProxy& b : p.beams) {
      const std::optional<double>& v = b.*member;
      if (!v) return std::nullopt;
      s += *v;
    }
    return s;
  };
  const std::optional<double> in_field = beam_sum(&BeamProxy::heart_volume_in_field_cc);
  const std::optional<double> area = beam_sum(&BeamProxy::heart_area_cm2);

  // Distances: entries 0 and 1 are CTVn_IMN to the heart and the LAD, then two per PTV.
  std::optional<double> ctv_heart, ptv_heart;
  for (std::size_t i = 0; i < p.distances.size(); ++i) {
    const MinDistance& d = p.distances[i];
    if (d.to != kHeartLabel || !d.distance_mm) continue;
    if (i < 2) ctv_heart = *d.distance_mm;
    else ptv_heart = std::min(ptv_heart.value_or(kInf), *d.distance_mm);
  }
  std::optional<double> within10, within20;
  for (const OverlapVolumeHistogram& h : p.ovh) {
    if (h.organ != kHeartLabel) continue;
    if (const auto v = value_at(h, 10)) within10 = std::max(within10.value_or(-kInf), *v);
    if (const auto v = value_at(h, 20)) within20 = std::max(within20.value_or(-kInf), *v);
  }

  auto put = [&](const char* name, const std::optional<double>& v) {
    if (v) out.emplace_back(name, *v);
  };
  put("mhd_mm", mhd);
  put("heart_in_field_cc", in_field);
  put("heart_area_cm2", area);
  put("ctv_heart_distance_mm", ctv_heart);
  put("ptv_heart_distance_mm", ptv_heart);
  put("heart_within_10mm_cc", within10);
  put("heart_within_20mm_cc", within20);
  put("cld_mm", cld);
  return out;
}

}  // namespace rtaudit::heart
