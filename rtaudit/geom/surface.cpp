// The one translation unit of rtaudit that includes CGAL: the slab-stack surface, its AABB tree
// and its sampling. See surface.hpp for the model.
#include "rtaudit/geom/surface.hpp"

// CGAL and Boost.Geometry headers are not clean under our warning flags (and GCC 12 reports false
// "maybe uninitialized" in Boost.Geometry's overlay); silence them for these headers only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
#pragma GCC diagnostic ignored "-Woverloaded-virtual"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#endif
#include <CGAL/AABB_traits.h>
#include <CGAL/AABB_primitive.h>
#include <CGAL/AABB_tree.h>
#include <CGAL/AABB_triangle_primitive.h>
#include <CGAL/Constrained_Delaunay_triangulation_2.h>
#include <CGAL/Constrained_triangulation_plus_2.h>
#include <CGAL/Exact_predicates_inexact_constructions_kernel.h>
#include <CGAL/Polygon_mesh_processing/orient_polygon_soup.h>
#include <CGAL/Polygon_mesh_processing/polygon_soup_to_polygon_mesh.h>
#include <CGAL/Surface_mesh.h>
#include <CGAL/Triangulation_face_base_with_info_2.h>
#include <CGAL/boost/graph/helpers.h>
#include <boost/iterator/counting_iterator.hpp>
#include <boost/property_map/property_map.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#include <algorithm>
#include <cmath>
#include <deque>
#include <iterator>
#include <limits>
#include <map>
#include <mutex>
#include <tuple>
#include <utility>

namespace rtaudit::geom {
namespace {

using K = CGAL::Exact_predicates_inexact_constructions_kernel;
using Vb = CGAL::Triangulation_vertex_base_2<K>;
using Fb = CGAL::Triangulation_face_base_with_info_2<int, K, CGAL::Constrained_triangulation_face_base_2<K>>;
using Tds = CGAL::Triangulation_data_structure_2<Vb, Fb>;
// Exact predicates; constraint crossings are constructed in floating point (Exact_predicates_tag).
using Cdt = CGAL::Constrained_Delaunay_triangulation_2<K, Tds, CGAL::Exact_predicates_tag>;
using CdtPlus = CGAL::Constrained_triangulation_plus_2<Cdt>;

using Triangle3 = std::array<Point3, 3>;

/// One ring edge p -> q of a plane's region, solid on its left (outer rings CCW, holes CW).
struct Edge {
  Point2 p;
  Point2 q;
};

std::vector<Edge> region_edges(const MultiPolygon& region) {
  std::vector<Edge> out;
  auto add_ring = [&](const Ring& r) {
    for (std::size_t i = 0; i + 1 < r.size(); ++i) {
      if (r[i].x() == r[i + 1].x() && r[i].y() == r[i + 1].y()) continue;  // zero-length edge: no wall
      out.push_back({r[i], r[i + 1]});
    }
  };
  for (const Polygon& poly : region) {
    add_ring(poly.outer());
    for (const Ring& hole : poly.inners()) add_ring(hole);
  }
  return out;
}

/// Per plane: its edges and, for each edge, the points on it at the bottom and at the top of the
/// plane's extent (p, the cap triangulation's vertices on the edge, q), so walls and caps share
/// every vertex (no T-junctions: the mesh closes).
struct PlaneWalls {
  std::vector<Edge> edges;
  std::vector<std::vector<Point2>> bottom;
  std::vector<std::vector<Point2>> top;
};

std::vector<Point2> constraint_points(const CdtPlus& cdt, CdtPlus::Constraint_id cid, const Edge& e) {
  std::vector<Point2> pts;
  for (auto it = cdt.vertices_in_constraint_begin(cid); it != cdt.vertices_in_constraint_end(cid); ++it) {
    const K::Point_2& p = (*it)->point();
    pts.emplace_back(p.x(), p.y());
  }
  if (!pts.empty() && !(pts.front().x() == e.p.x() && pts.front().y() == e.p.y())) std::reverse(pts.begin(), pts.end());
  return pts;
}

/// The caps at one extent boundary z: region below minus region above faces up, region above
/// minus region below faces down. `below`/`above` may be null (first/last plane, or a gap). Fills
/// the polylines of the walls that end (below: top) or start (above: bottom) at this z.
void build_level(double z, PlaneWalls* below, PlaneWalls* above, std::vector<Triangle3>& out) {
  CdtPlus cdt;
  std::vector<CdtPlus::Constraint_id> cid_below, cid_above;
  if (below != nullptr) {
    for (const Edge& e : below->edges) cid_below.push_back(cdt.insert_constraint(K::Point_2(e.p.x(), e.p.y()), K::Point_2(e.q.x(), e.q.y())));
  }
  if (above != nullptr) {
    for (const Edge& e : above->edges) cid_above.push_back(cdt.insert_constraint(K::Point_2(e.p.x(), e.p.y()), K::Point_2(e.q.x(), e.q.y())));
  }

  // Which set(s) each constrained sub-edge belongs to (bit 1: below, bit 2: above), by parity.
  std::map<std::pair<const void*, const void*>, int> edge_sets;
  auto mark = [&](CdtPlus::Constraint_id cid, int bit) {
    auto it = cdt.vertices_in_constraint_begin(cid);
    const auto end = cdt.vertices_in_constraint_end(cid);
    if (it == end) return;
    auto prev = it;
    for (++it; it != end; prev = it, ++it) {
      const void* u = &**prev;
      const void* v = &**it;
      edge_sets[std::minmax(u, v)] ^= bit;
    }
  };
  if (below != nullptr) {
    for (std::size_t i = 0; i < cid_below.size(); ++i) {
      mark(cid_below[i], 1);
      below->top[i] = constraint_points(cdt, cid_below[i], below->edges[i]);
    }
  }
  if (above != nullptr) {
    for (std::size_t i = 0; i < cid_above.size(); ++i) {
      mark(cid_above[i], 2);
      above->bottom[i] = constraint_points(cdt, cid_above[i], above->edges[i]);
    }
  }

  // Even-odd marking: flood from the infinite face, toggling a set's parity across its edges.
  for (auto f = cdt.all_faces_begin(); f != cdt.all_faces_end(); ++f) f->info() = -1;
  std::deque<CdtPlus::Face_handle> queue;
  cdt.infinite_face()->info() = 0;
  queue.push_back(cdt.infinite_face());
  while (!queue.empty()) {
    const CdtPlus::Face_handle f = queue.front();
    queue.pop_front();
    for (int i = 0; i < 3; ++i) {
      const CdtPlus::Face_handle n = f->neighbor(i);
      if (n->info() != -1) continue;
      int toggle = 0;
      if (f->is_constrained(i)) {
        const void* u = &*f->vertex(CdtPlus::cw(i));
        const void* v = &*f->vertex(CdtPlus::ccw(i));
        const auto found = edge_sets.find(std::minmax(u, v));
        if (found != edge_sets.end()) toggle = found->second;
      }
      n->info() = f->info() ^ toggle;
      queue.push_back(n);
    }
  }

  for (auto f = cdt.finite_faces_begin(); f != cdt.finite_faces_end(); ++f) {
    const int m = f->info();
    if (m != 1 && m != 2) continue;
    std::array<Point3, 3> t;
    for (int i = 0; i < 3; ++i) t[static_cast<std::size_t>(i)] = {f->vertex(i)->point().x(), f->vertex(i)->point().y(), z};
    if (m == 2) std::swap(t[1], t[2]);  // region above only: a bottom face, normal -z
    out.push_back(t);
  }
}

/// The wall of one edge between z0 and z1: the bottom and top polylines (both from p to q) zipped
/// into triangles with outward normals (solid on the left of p -> q).
void build_wall(const Edge& e, const std::vector<Point2>& bottom, const std::vector<Point2>& top, double z0, double z1,
                std::vector<Triangle3>& out) {
  const double dx = e.q.x() - e.p.x(), dy = e.q.y() - e.p.y();
  auto param = [&](const Point2& a) { return (a.x() - e.p.x()) * dx + (a.y() - e.p.y()) * dy; };
  auto p3 = [](const Point2& a, double z) { return Point3{a.x(), a.y(), z}; };
  std::size_t i = 0, j = 0;
  while (i + 1 < bottom.size() || j + 1 < top.size()) {
    const bool advance_bottom =
        j + 1 >= top.size() || (i + 1 < bottom.size() && param(bottom[i + 1]) <= param(top[j + 1]));
    if (advance_bottom) {
      out.push_back({p3(bottom[i], z0), p3(bottom[i + 1], z0), p3(top[j], z1)});
      ++i;
    } else {
      out.push_back({p3(bottom[i], z0), p3(top[j + 1], z1), p3(top[j], z1)});
      ++j;
    }
  }
}

/// One wall of the slab model as the rectangle it is: ring edge p -> q (solid on its left) extruded over
/// [z0, z1]. The mesh cuts it into triangles at the cap vertices on the edge; for distances it is one face.
struct WallRect {
  Point2 p;
  Point2 q;
  double z0 = 0;
  double z1 = 0;
};

/// The mesh's triangles: the caps first (`*cap_count` of them), then the walls, each of which is also
/// recorded in `walls` as one rectangle when asked.
std::vector<Triangle3> build_triangles(const Structure& s, std::size_t* cap_count = nullptr, std::vector<WallRect>* walls_out = nullptr) {
  std::vector<Triangle3> out;
  const std::vector<SlabExtent> ext = slab_extents(s);
  if (ext.empty()) return out;
  std::vector<PlaneWalls> walls(s.planes.size());
  for (std::size_t k = 0; k < s.planes.size(); ++k) {
    walls[k].edges = region_edges(s.planes[k].region);
    walls[k].bottom.resize(walls[k].edges.size());
    walls[k].top.resize(walls[k].edges.size());
  }
  const std::size_t n = s.planes.size();
  build_level(ext[0].z_lo_mm, nullptr, &walls[0], out);
  for (std::size_t k = 0; k < n; ++k) {
    if (k + 1 < n && ext[k].z_hi_mm == ext[k + 1].z_lo_mm) {
      build_level(ext[k].z_hi_mm, &walls[k], &walls[k + 1], out);
    } else {
      build_level(ext[k].z_hi_mm, &walls[k], nullptr, out);
      if (k + 1 < n) build_level(ext[k + 1].z_lo_mm, nullptr, &walls[k + 1], out);
    }
  }
  if (cap_count != nullptr) *cap_count = out.size();
  for (std::size_t k = 0; k < n; ++k) {
    for (std::size_t e = 0; e < walls[k].edges.size(); ++e) {
      if (walls_out != nullptr) walls_out->push_back({walls[k].edges[e].p, walls[k].edges[e].q, ext[k].z_lo_mm, ext[k].z_hi_mm});
      build_wall(walls[k].edges[e], walls[k].bottom[e], walls[k].top[e], ext[k].z_lo_mm, ext[k].z_hi_mm, out);
    }
  }
  return out;
}

double triangle_area(const Triangle3& t) {
  const double ux = t[1].x - t[0].x, uy = t[1].y - t[0].y, uz = t[1].z - t[0].z;
  const double vx = t[2].x - t[0].x, vy = t[2].y - t[0].y, vz = t[2].z - t[0].z;
  const double cx = uy * vz - uz * vy, cy = uz * vx - ux * vz, cz = ux * vy - uy * vx;
  return 0.5 * std::sqrt(cx * cx + cy * cy + cz * cz);
}

double length(const Point3& a, const Point3& b) { return std::hypot(b.x - a.x, b.y - a.y, b.z - a.z); }

using Triangles3 = std::vector<K::Triangle_3>;
using Primitive = CGAL::AABB_triangle_primitive<K, Triangles3::const_iterator>;
using Tree = CGAL::AABB_tree<CGAL::AABB_traits<K, Primitive>>;

/// A face of the surface for distance queries: a cap triangle, or a whole wall rectangle (half the
/// primitives of the wall triangles, each cheaper to measure: a 2-D segment parameter and a z clamp).
struct Face {
  bool wall = false;
  Triangle3 triangle{};  ///< cap: its vertices; wall: (p, z0), (q, z1) and unused
  Point3 normal;         ///< outward unit normal
};

/// CGAL property maps from a face index to its bounding box (the primitive's datum: the tree needs
/// only boxes, our traversal measures the faces itself) and to its centroid (for the tree's splits).
struct FaceBoxMap {
  using key_type = std::size_t;
  using value_type = K::Iso_cuboid_3;
  using reference = value_type;
  using category = boost::readable_property_map_tag;
  const std::vector<Face>* faces = nullptr;
  friend value_type get(const FaceBoxMap& m, key_type i) {
    const Face& f = (*m.faces)[i];
    const std::size_t n = f.wall ? 2 : 3;
    double lo[3] = {f.triangle[0].x, f.triangle[0].y, f.triangle[0].z}, hi[3] = {lo[0], lo[1], lo[2]};
    for (std::size_t v = 1; v < n; ++v) {
      const double c[3] = {f.triangle[v].x, f.triangle[v].y, f.triangle[v].z};
      for (int a = 0; a < 3; ++a) {
        lo[a] = std::min(lo[a], c[a]);
        hi[a] = std::max(hi[a], c[a]);
      }
    }
    return {lo[0], lo[1], lo[2], hi[0], hi[1], hi[2]};
  }
};

struct FaceCentreMap {
  using key_type = std::size_t;
  using value_type = K::Point_3;
  using reference = value_type;
  using category = boost::readable_property_map_tag;
  const std::vector<Face>* faces = nullptr;
  friend value_type get(const FaceCentreMap& m, key_type i) {
    const Face& f = (*m.faces)[i];
    const Triangle3& t = f.triangle;
    if (f.wall) return {0.5 * (t[0].x + t[1].x), 0.5 * (t[0].y + t[1].y), 0.5 * (t[0].z + t[1].z)};
    return {(t[0].x + t[1].x + t[2].x) / 3, (t[0].y + t[1].y + t[2].y) / 3, (t[0].z + t[1].z + t[2].z) / 3};
  }
};

using FacePrimitive = CGAL::AABB_primitive<std::size_t, FaceBoxMap, FaceCentreMap, CGAL::Tag_false, CGAL::Tag_false>;
using FaceTree = CGAL::AABB_tree<CGAL::AABB_traits<K, FacePrimitive>>;

Point3 unit_normal(const Triangle3& t) {
  const double ux = t[1].x - t[0].x, uy = t[1].y - t[0].y, uz = t[1].z - t[0].z;
  const double vx = t[2].x - t[0].x, vy = t[2].y - t[0].y, vz = t[2].z - t[0].z;
  Point3 n{uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx};
  const double len = std::sqrt(n.x * n.x + n.y * n.y + n.z * n.z);
  return len > 0 ? Point3{n.x / len, n.y / len, n.z / len} : n;
}

}  // namespace

struct SurfaceMesh::Impl {
  Structure structure;
  std::vector<Triangle3> triangles;
  Triangles3 cgal_triangles;
  std::vector<Face> faces;
  double area_mm2 = 0;

  /// The AABB trees, each built on its first query (most meshes are used only for their triangles
  /// and samples, so they never pay for one); call_once keeps const queries thread-safe. The
  /// triangle tree answers segment queries (CGAL's exact predicates on the triangles), the face tree
  /// distance queries.
  [[nodiscard]] const Tree& tree() const {
    std::call_once(tree_built_, [this] {
      tree_.insert(cgal_triangles.cbegin(), cgal_triangles.cend());
      tree_.build();
    });
    return tree_;
  }
  [[nodiscard]] const FaceTree& face_tree() const {
    std::call_once(face_tree_built_, [this] {
      face_tree_.insert(boost::counting_iterator<std::size_t>(0), boost::counting_iterator<std::size_t>(faces.size()),
                        FaceBoxMap{&faces}, FaceCentreMap{&faces});
      face_tree_.build();
    });
    return face_tree_;
  }

 private:
  mutable std::once_flag tree_built_;
  mutable Tree tree_;
  mutable std::once_flag face_tree_built_;
  mutable FaceTree face_tree_;
};

SurfaceMesh::SurfaceMesh() : impl_(std::make_shared<const Impl>()) {}

SurfaceMesh::SurfaceMesh(const Structure& s) {
  auto impl = std::make_shared<Impl>();
  impl->structure = s;
  std::size_t caps = 0;
  std::vector<WallRect> walls;
  impl->triangles = build_triangles(s, &caps, &walls);
  impl->cgal_triangles.reserve(impl->triangles.size());
  for (const Triangle3& t : impl->triangles) {
    impl->cgal_triangles.emplace_back(K::Point_3(t[0].x, t[0].y, t[0].z), K::Point_3(t[1].x, t[1].y, t[1].z),
                                      K::Point_3(t[2].x, t[2].y, t[2].z));
    impl->area_mm2 += triangle_area(t);
  }
  impl->faces.reserve(caps + walls.size());
  for (std::size_t i = 0; i < caps; ++i) impl->faces.push_back({false, impl->triangles[i], unit_normal(impl->triangles[i])});
  for (const WallRect& w : walls) {
    // Solid on the left of p -> q: the outward normal is the edge direction turned clockwise.
    const double dx = w.q.x() - w.p.x(), dy = w.q.y() - w.p.y(), len = std::hypot(dx, dy);
    Face f;
    f.wall = true;
    f.triangle = {Point3{w.p.x(), w.p.y(), w.z0}, Point3{w.q.x(), w.q.y(), w.z1}, Point3{}};
    f.normal = Point3{dy / len, -dx / len, 0};
    impl->faces.push_back(f);
  }
  impl_ = std::move(impl);
}

std::size_t SurfaceMesh::triangle_count() const { return impl_->triangles.size(); }

double SurfaceMesh::area_mm2() const { return impl_->area_mm2; }

double SurfaceMesh::enclosed_volume_cc() const {
  double six_v = 0;
  for (const Triangle3& t : impl_->triangles) {
    const Point3 &a = t[0], &b = t[1], &c = t[2];
    six_v += a.x * (b.y * c.z - b.z * c.y) - a.y * (b.x * c.z - b.z * c.x) + a.z * (b.x * c.y - b.y * c.x);
  }
  return six_v / 6.0 / 1000.0;
}

bool SurfaceMesh::is_closed() const {
  if (impl_->triangles.empty()) return false;
  std::vector<K::Point_3> points;
  std::vector<std::vector<std::size_t>> polygons;
  std::map<std::tuple<double, double, double>, std::size_t> index;
  for (const Triangle3& t : impl_->triangles) {
    std::vector<std::size_t> poly;
    for (const Point3& p : t) {
      const auto [it, inserted] = index.emplace(std::make_tuple(p.x, p.y, p.z), points.size());
      if (inserted) points.emplace_back(p.x, p.y, p.z);
      poly.push_back(it->second);
    }
    polygons.push_back(std::move(poly));
  }
  namespace PMP = CGAL::Polygon_mesh_processing;
  if (!PMP::is_polygon_soup_a_polygon_mesh(polygons)) PMP::orient_polygon_soup(points, polygons);
  CGAL::Surface_mesh<K::Point_3> mesh;
  PMP::polygon_soup_to_polygon_mesh(points, polygons, mesh);
  return CGAL::is_closed(mesh);
}

double SurfaceMesh::distance_mm(const Point3& p) const {
  const auto c = closest(p);
  return c ? c->distance_mm : std::numeric_limits<double>::infinity();
}

namespace {

// The point of triangle abc nearest to p (Ericson, Real-Time Collision Detection, 5.1.5): by the
// Voronoi regions of the vertices, edges and face, in plain double arithmetic. CGAL's kernel
// squared_distance(Point_3, Triangle_3) gives the same point through filtered predicates, several
// times slower; this is the inner loop of every distance query.
Point3 closest_on_triangle(const Point3& p, const Point3& a, const Point3& b, const Point3& c, bool* interior) {
  *interior = false;
  const auto sub = [](const Point3& u, const Point3& v) { return Point3{u.x - v.x, u.y - v.y, u.z - v.z}; };
  const auto dot = [](const Point3& u, const Point3& v) { return u.x * v.x + u.y * v.y + u.z * v.z; };
  const auto along = [](const Point3& o, const Point3& d, double t) { return Point3{o.x + t * d.x, o.y + t * d.y, o.z + t * d.z}; };
  const Point3 ab = sub(b, a), ac = sub(c, a), ap = sub(p, a);
  const double d1 = dot(ab, ap), d2 = dot(ac, ap);
  if (d1 <= 0 && d2 <= 0) return a;
  const Point3 bp = sub(p, b);
  const double d3 = dot(ab, bp), d4 = dot(ac, bp);
  if (d3 >= 0 && d4 <= d3) return b;
  const double vc = d1 * d4 - d3 * d2;
  if (vc <= 0 && d1 >= 0 && d3 <= 0) return along(a, ab, d1 / (d1 - d3));
  const Point3 cp = sub(p, c);
  const double d5 = dot(ab, cp), d6 = dot(ac, cp);
  if (d6 >= 0 && d5 <= d6) return c;
  const double vb = d5 * d2 - d1 * d6;
  if (vb <= 0 && d2 >= 0 && d6 <= 0) return along(a, ac, d2 / (d2 - d6));
  const double va = d3 * d6 - d5 * d4;
  if (va <= 0 && (d4 - d3) >= 0 && (d5 - d6) >= 0) return along(b, sub(c, b), (d4 - d3) / ((d4 - d3) + (d5 - d6)));
  *interior = true;
  const double denom = 1.0 / (va + vb + vc);
  const double v = vb * denom, w = vc * denom;
  return Point3{a.x + ab.x * v + ac.x * w, a.y + ab.y * v + ac.y * w, a.z + ab.z * v + ac.z * w};
}

double squared_length(const Point3& u, const Point3& v) {
  const double dx = u.x - v.x, dy = u.y - v.y, dz = u.z - v.z;
  return dx * dx + dy * dy + dz * dz;
}

// The point of the wall rectangle (p, z0)-(q, z1) nearest to x: the nearest point of segment p-q in
// the plane, at x's height clamped to the wall. Interior when strictly inside both ranges.
Point3 closest_on_wall(const Point3& x, const Point3& lo, const Point3& hi, bool* interior) {
  const double dx = hi.x - lo.x, dy = hi.y - lo.y;
  const double t = ((x.x - lo.x) * dx + (x.y - lo.y) * dy) / (dx * dx + dy * dy);
  const double tc = std::clamp(t, 0.0, 1.0), zc = std::clamp(x.z, lo.z, hi.z);
  *interior = t > 0 && t < 1 && x.z > lo.z && x.z < hi.z;
  return Point3{lo.x + tc * dx, lo.y + tc * dy, zc};
}

// Nearest face by CGAL's AABB tree, traversed nearest box first (AABB_tree::traversal_with_priority):
// the default closest-point traversal visits children in a fixed order, so a query point far from the
// surface opens many boxes before the bound shrinks; visiting the nearer box first shrinks it at once.
// Exact in the same sense as closest_point_and_primitive (double arithmetic, squared distances).
class NearestFace {
 public:
  using Priority = double;
  using Node = CGAL::AABB_node<FaceTree::AABB_traits>;

  NearestFace(const Point3& p, const std::vector<Face>& faces) : p_(p), faces_(&faces) {}
  [[nodiscard]] bool go_further() const { return true; }
  void intersection(const K::Point_3&, const FacePrimitive& primitive) { test(primitive.id()); }
  /// Measures face i (also to start from a neighbouring query's face: its distance bounds the search).
  void test(std::size_t i) {
    const Face& f = (*faces_)[i];
    bool interior = false;
    const Point3 c = f.wall ? closest_on_wall(p_, f.triangle[0], f.triangle[1], &interior)
                            : closest_on_triangle(p_, f.triangle[0], f.triangle[1], f.triangle[2], &interior);
    const double d2 = squared_length(c, p_);
    if (d2 < best2_) {
      interior_ = interior;
      point_ = c;
      best2_ = d2;
      best_ = i;
    }
  }
  [[nodiscard]] bool do_intersect(const K::Point_3& q, const Node& node) const { return box_d2(q, node.bbox()) < best2_; }
  [[nodiscard]] std::pair<bool, double> do_intersect_with_priority(const K::Point_3& q, const Node& node) const {
    const double d2 = box_d2(q, node.bbox());
    return {d2 < best2_, -d2};
  }
  [[nodiscard]] std::size_t best() const { return best_; }
  [[nodiscard]] const Point3& point() const { return point_; }
  [[nodiscard]] bool interior() const { return interior_; }
  [[nodiscard]] double best2() const { return best2_; }

 private:
  static double box_d2(const K::Point_3& q, const CGAL::Bbox_3& b) {
    const auto axis = [](double v, double lo, double hi) { return v < lo ? lo - v : v > hi ? v - hi : 0.0; };
    const double dx = axis(q.x(), b.xmin(), b.xmax()), dy = axis(q.y(), b.ymin(), b.ymax()), dz = axis(q.z(), b.zmin(), b.zmax());
    return dx * dx + dy * dy + dz * dz;
  }
  Point3 p_;
  const std::vector<Face>* faces_;
  Point3 point_;
  bool interior_ = false;
  double best2_ = std::numeric_limits<double>::infinity();
  std::size_t best_ = 0;
};

}  // namespace

std::optional<SurfaceMesh::Closest> SurfaceMesh::closest(const Point3& p) const { return closest(p, std::nullopt); }

std::optional<SurfaceMesh::Closest> SurfaceMesh::closest(const Point3& p, std::optional<std::size_t> hint) const {
  const std::vector<Face>& faces = impl_->faces;
  if (faces.empty()) return std::nullopt;
  const FaceTree& tree = impl_->face_tree();
  NearestFace nearest(p, faces);
  nearest.test(hint && *hint < faces.size() ? *hint : 0);
  if (tree.size() >= 2) tree.traversal_with_priority(K::Point_3(p.x, p.y, p.z), nearest);
  Closest out;
  out.point = nearest.point();
  out.distance_mm = std::sqrt(nearest.best2());
  out.face = nearest.best();
  out.on_face_interior = nearest.interior();
  out.normal = faces[out.face].normal;
  return out;
}

double SurfaceMesh::signed_distance_mm(const Point3& p) const {
  const double d = distance_mm(p);
  return contains(impl_->structure, p) ? -d : d;
}

namespace {

K::Segment_3 cgal_segment(const Point3& a, const Point3& b) {
  return {K::Point_3(a.x, a.y, a.z), K::Point_3(b.x, b.y, b.z)};
}

}  // namespace

bool SurfaceMesh::intersects_segment(const Point3& a, const Point3& b) const {
  if (impl_->cgal_triangles.empty()) return false;
  if (a == b) return distance_mm(a) == 0;
  return impl_->tree().do_intersect(cgal_segment(a, b));
}

std::optional<std::pair<double, double>> SurfaceMesh::segment_entry_exit(const Point3& a, const Point3& b) const {
  if (impl_->cgal_triangles.empty() || a == b) return std::nullopt;
  const K::Segment_3 seg = cgal_segment(a, b);
  using Hit = Tree::Intersection_and_primitive_id<K::Segment_3>::Type;
  std::vector<Hit> hits;
  impl_->tree().all_intersections(seg, std::back_inserter(hits));
  if (hits.empty()) return std::nullopt;
  const double dx = b.x - a.x, dy = b.y - a.y, dz = b.z - a.z;
  const double len2 = dx * dx + dy * dy + dz * dz;
  double t_min = std::numeric_limits<double>::infinity(), t_max = -std::numeric_limits<double>::infinity();
  auto add = [&](const K::Point_3& p) {
    const double t = std::clamp(((p.x() - a.x) * dx + (p.y() - a.y) * dy + (p.z() - a.z) * dz) / len2, 0.0, 1.0);
    t_min = std::min(t_min, t);
    t_max = std::max(t_max, t);
  };
  for (const Hit& hit : hits) {
    if (const K::Point_3* p = boost::get<K::Point_3>(&hit.first)) {
      add(*p);
    } else if (const K::Segment_3* s = boost::get<K::Segment_3>(&hit.first)) {
      add(s->source());
      add(s->target());
    }
  }
  if (!(t_min <= t_max)) return std::nullopt;
  return std::make_pair(t_min, t_max);
}

std::vector<SurfaceSample> SurfaceMesh::sample(const SamplingOptions& options) const {
  std::vector<SurfaceSample> out;
  const double density = options.density_per_mm2 > 0 ? options.density_per_mm2 : 1.0;
  const double step = 1.0 / std::sqrt(density);
  // Long triangles (walls are edge length x slab) are first bisected at their longest edge until
  // no edge exceeds 4 sample spacings, so slivers are not oversampled along their short side.
  const double max_edge = 4 * step;
  std::vector<Triangle3> pending(impl_->triangles.begin(), impl_->triangles.end());
  while (!pending.empty()) {
    const Triangle3 t = pending.back();
    pending.pop_back();
    const double area = triangle_area(t);
    if (!(area > 0)) continue;
    const std::array<double, 3> edge{length(t[0], t[1]), length(t[1], t[2]), length(t[2], t[0])};
    const auto longest_at = static_cast<std::size_t>(std::max_element(edge.begin(), edge.end()) - edge.begin());
    if (edge[longest_at] > max_edge) {
      const Point3& p = t[longest_at];
      const Point3& q = t[(longest_at + 1) % 3];
      const Point3& r = t[(longest_at + 2) % 3];
      const Point3 m{0.5 * (p.x + q.x), 0.5 * (p.y + q.y), 0.5 * (p.z + q.z)};
      pending.push_back({p, m, r});
      pending.push_back({m, q, r});
      continue;
    }
    const auto k = static_cast<std::size_t>(std::max(1.0, std::ceil(std::sqrt(area * density))));
    const double w = area / static_cast<double>(k * k);
    const double kd = static_cast<double>(k);
    auto at = [&](double u, double v) {  // barycentric: t0 + u (t1 - t0) + v (t2 - t0)
      return Point3{t[0].x + u * (t[1].x - t[0].x) + v * (t[2].x - t[0].x),
                    t[0].y + u * (t[1].y - t[0].y) + v * (t[2].y - t[0].y),
                    t[0].z + u * (t[1].z - t[0].z) + v * (t[2].z - t[0].z)};
    };
    for (std::size_t i = 0; i < k; ++i) {
      for (std::size_t j = 0; i + j < k; ++j) {
        const double di = static_cast<double>(i), dj = static_cast<double>(j);
        out.push_back({at((di + 1.0 / 3) / kd, (dj + 1.0 / 3) / kd), w});                     // upright sub-triangle
        if (i + j + 1 < k) out.push_back({at((di + 2.0 / 3) / kd, (dj + 2.0 / 3) / kd), w});  // inverted one
      }
    }
  }
  if (options.include_vertices) {
    std::vector<std::tuple<double, double, double>> vertices;
    for (const Triangle3& t : impl_->triangles) {
      for (const Point3& p : t) vertices.emplace_back(p.x, p.y, p.z);
    }
    std::sort(vertices.begin(), vertices.end());
    vertices.erase(std::unique(vertices.begin(), vertices.end()), vertices.end());
    for (const auto& [x, y, z] : vertices) out.push_back({{x, y, z}, 0.0});
  }
  return out;
}

std::vector<std::array<Point3, 3>> SurfaceMesh::triangles() const { return impl_->triangles; }

}  // namespace rtaudit::geom
