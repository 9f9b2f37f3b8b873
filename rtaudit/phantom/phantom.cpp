#include "rtaudit/phantom/phantom.hpp"

#include "rtaudit/case/uid.hpp"

#include "rtaudit/geom/structure.hpp"
#include "rtaudit/phantom/polygon_ops.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <stdexcept>

namespace rtaudit::phantom {
namespace {

using geom::MultiPolygon;
using geom::Point2;
using geom::Point3;
using json = nlohmann::json;

constexpr std::string_view kVariants[] = {"estro",        "rtog",       "short-caudal", "cranial-gap", "narrow-margin",
                                          "wide-medial",  "heart-close", "no-landmarks", "right-side"};

constexpr double kInf = std::numeric_limits<double>::infinity();

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

double round2(double v) { return std::round(v * 100.0) / 100.0 + 0.0; }
double round3(double v) { return std::round(v * 1000.0) / 1000.0 + 0.0; }

// ---- The clinician's / reference IMN CTV rules ----

struct ImnRule {
  std::string name;
  std::string reading;          // how the rule was read, for the truth file
  double cranial_z = 0;         // planes with caudal_z <= z < cranial_z
  double caudal_z = 0;
  std::string cranial_landmark;
  std::string caudal_landmark;
  double margin_mm = 5;
  double artery_from_z = kInf;  // the artery is dilated too on planes z >= artery_from_z
  double medial_extension_mm = 0;
  double dorsal_extension_mm = 0;
  bool clip_heart = false;
};

ImnRule estro_rule(const Anatomy& a) {
  ImnRule r;
  r.name = "estro";
  r.reading =
      "ESTRO: IM vein dilated in-plane by 5 mm (vein and artery on planes up to and including ICS1, i.e. "
      "z >= cranial aspect of rib 2), minus the ipsilateral lung, on planes from the cranial aspect of rib 4 "
      "(included) up to the IMV junction = caudal limit of CTVn_L4 (excluded)";
  r.cranial_z = a.imv_junction_z_mm;
  r.caudal_z = a.ribs[3].top_z_mm;
  r.cranial_landmark = "imv_junction (caudal limit of CTVn_L4)";
  r.caudal_landmark = "cranial aspect of rib 4";
  r.artery_from_z = a.ribs[1].top_z_mm;
  return r;
}

ImnRule rtog_rule(const Anatomy& a) {
  ImnRule r;
  r.name = "rtog";
  r.reading =
      "RTOG (read by the phantom): IM vein and artery dilated in-plane by 5 mm, minus the ipsilateral lung, on "
      "planes from the cranial aspect of rib 4 (included) up to the superior aspect of the medial 1st rib "
      "(excluded)";
  r.cranial_z = a.ribs[0].top_z_mm;
  r.caudal_z = a.ribs[3].top_z_mm;
  r.cranial_landmark = "superior aspect of the medial 1st rib";
  r.caudal_landmark = "cranial aspect of rib 4";
  r.artery_from_z = -kInf;
  return r;
}

ImnRule variant_rule(const Anatomy& a, std::string_view variant) {
  ImnRule r = estro_rule(a);
  r.name = std::string(variant);
  if (variant == "rtog") return rtog_rule(a);
  if (variant == "short-caudal") {
    r.caudal_z = a.ribs[2].top_z_mm;
    r.caudal_landmark = "cranial aspect of rib 3 (one intercostal space too high)";
    r.reading = "ESTRO reading, but ending at the cranial aspect of rib 3";
  } else if (variant == "cranial-gap") {
    r.cranial_z = a.imv_junction_z_mm - 10.0;
    r.cranial_landmark = "10 mm below the IMV junction";
    r.reading = "ESTRO reading, but starting 10 mm below the IMV junction (gap to CTVn_L4)";
  } else if (variant == "narrow-margin") {
    r.margin_mm = 2;
    r.reading = "ESTRO reading with a 2 mm margin around the vessels instead of 5 mm";
  } else if (variant == "wide-medial") {
    r.medial_extension_mm = 10;
    r.reading =
        "ESTRO reading plus the vein swept 10 mm medially (a 15 mm medial margin from the vein wall) that spills "
        "into the sternum";
  } else if (variant == "heart-close") {
    r.dorsal_extension_mm = 10;
    r.clip_heart = true;
    r.reading =
        "ESTRO reading plus the vein swept 10 mm dorsally (15 mm dorsal margin), minus lung and heart: with the "
        "heart against the chest wall the CTV touches it";
  } else if (variant == "no-landmarks" || variant == "right-side" || variant == "estro") {
    r.name = std::string(variant);
  }
  return r;
}

bool rule_has_plane(const ImnRule& r, double z) { return z >= r.caudal_z && z < r.cranial_z; }

MultiPolygon imn_region(const Anatomy& a, const AnatomySection& sec, const ImnRule& r, Side side) {
  const double z = sec.z_mm;
  if (!rule_has_plane(r, z)) return {};
  const std::size_t i = side_index(side);
  MultiPolygon vessels = sec.imv[i];
  if (z >= r.artery_from_z) vessels = poly::unite(vessels, sec.ima[i]);
  if (vessels.empty()) return {};
  MultiPolygon region = poly::buffer(vessels, r.margin_mm);
  const Point2 c = im_vein_centre(a, side, z);
  const double reach = a.imv_radius_mm + r.margin_mm;
  if (r.medial_extension_mm > 0) {
    const Point2 m(c.x() - side_sign(side) * r.medial_extension_mm, c.y());
    region = poly::unite(region, poly::stadium(c, m, reach));
  }
  if (r.dorsal_extension_mm > 0) {
    const Point2 d(c.x(), c.y() + r.dorsal_extension_mm);
    region = poly::unite(region, poly::stadium(c, d, reach));
  }
  region = poly::subtract(region, sec.lung[i]);
  if (r.clip_heart) region = poly::subtract(region, sec.heart);
  return poly::clean(region, 0.5);
}

// ---- ROIs ----

enum class RoiKind {
  External, Lung, Heart, Lad, Sternum, Rib, ImArtery, ImVein, ScVein, BcVein, ScArtery,
  CtvL4, CtvBreast, CtvImn, PtvBreast, PtvL4, PtvImn
};

struct RoiSpec {
  int number = 0;
  std::string name;
  std::string type;  // RTROIInterpretedType
  std::array<int, 3> colour{};
  RoiKind kind = RoiKind::External;
  Side side = Side::Left;
  int rib = 0;  // 1..6
  bool landmark = false;  // omitted by `no-landmarks`
};

std::string sfx(Side s) { return s == Side::Left ? "_L" : "_R"; }

std::vector<RoiSpec> roi_specs(Side treated, bool landmarks) {
  std::vector<RoiSpec> v;
  const auto add = [&](int number, std::string name, std::string type, std::array<int, 3> colour, RoiKind kind,
                       Side side, int rib, bool landmark) {
    if (landmark && !landmarks) return;
    v.push_back({number, std::move(name), std::move(type), colour, kind, side, rib, landmark});
  };
  add(1, "External", "EXTERNAL", {0, 255, 0}, RoiKind::External, treated, 0, false);
  add(2, "Lung_L", "ORGAN", {0, 128, 255}, RoiKind::Lung, Side::Left, 0, false);
  add(3, "Lung_R", "ORGAN", {0, 200, 255}, RoiKind::Lung, Side::Right, 0, false);
  add(4, "Heart", "ORGAN", {255, 0, 128}, RoiKind::Heart, treated, 0, false);
  add(5, "A_LAD", "ORGAN", {255, 64, 0}, RoiKind::Lad, treated, 0, false);
  add(6, "Sternum", "ORGAN", {255, 255, 200}, RoiKind::Sternum, treated, 0, true);
  int number = 7;
  for (const Side s : {Side::Left, Side::Right}) {
    for (int n = 1; n <= kRibCount; ++n) {
      add(number++, fmt::format("Rib{:02d}{}", n, sfx(s)), "ORGAN", {230, 230, 160}, RoiKind::Rib, s, n, true);
    }
  }
  add(19, "A_Mammary_L", "ORGAN", {255, 0, 0}, RoiKind::ImArtery, Side::Left, 0, true);
  add(20, "A_Mammary_R", "ORGAN", {255, 0, 0}, RoiKind::ImArtery, Side::Right, 0, true);
  add(21, "V_Mammary_L", "ORGAN", {0, 0, 255}, RoiKind::ImVein, Side::Left, 0, true);
  add(22, "V_Mammary_R", "ORGAN", {0, 0, 255}, RoiKind::ImVein, Side::Right, 0, true);
  add(23, "V_Subclavian_L", "ORGAN", {60, 60, 255}, RoiKind::ScVein, Side::Left, 0, true);
  add(24, "V_Subclavian_R", "ORGAN", {60, 60, 255}, RoiKind::ScVein, Side::Right, 0, true);
  add(25, "V_Brachioceph_L", "ORGAN", {100, 100, 255}, RoiKind::BcVein, Side::Left, 0, true);
  add(26, "V_Brachioceph_R", "ORGAN", {100, 100, 255}, RoiKind::BcVein, Side::Right, 0, true);
  add(27, "A_Subclavian_L", "ORGAN", {255, 60, 60}, RoiKind::ScArtery, Side::Left, 0, true);
  add(28, "A_Subclavian_R", "ORGAN", {255, 60, 60}, RoiKind::ScArtery, Side::Right, 0, true);
  const std::string t = sfx(treated);
  add(29, "CTVn_L4" + t, "CTV", {255, 160, 0}, RoiKind::CtvL4, treated, 0, false);
  add(30, "CTV_Breast" + t, "CTV", {255, 128, 255}, RoiKind::CtvBreast, treated, 0, false);
  add(31, "CTVn_IMN" + t, "CTV", {255, 255, 0}, RoiKind::CtvImn, treated, 0, false);
  add(32, "PTV_Breast" + t, "PTV", {255, 0, 255}, RoiKind::PtvBreast, treated, 0, false);
  add(33, "PTVn_L4" + t, "PTV", {200, 100, 0}, RoiKind::PtvL4, treated, 0, false);
  add(34, "PTVn_IMN" + t, "PTV", {200, 200, 0}, RoiKind::PtvImn, treated, 0, false);
  return v;
}

std::vector<geom::Contour> to_contours(const MultiPolygon& region, double z) {
  std::vector<geom::Contour> out;
  const auto add_ring = [&](const geom::Ring& ring) {
    geom::Contour c;
    c.type = geom::GeometricType::ClosedPlanar;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {  // the closing point is not stored
      const Point3 p{round2(ring[i].x()), round2(ring[i].y()), round2(z)};
      if (!c.points.empty() && c.points.back().x == p.x && c.points.back().y == p.y) continue;
      c.points.push_back(p);
    }
    while (c.points.size() > 1 && c.points.front().x == c.points.back().x && c.points.front().y == c.points.back().y) {
      c.points.pop_back();
    }
    if (c.points.size() >= 3) out.push_back(std::move(c));
  };
  for (const auto& p : region) {
    add_ring(p.outer());
    for (const auto& h : p.inners()) add_ring(h);
  }
  return out;
}

// ---- CT ----

class SlicePainter {
 public:
  SlicePainter(std::int16_t* pixels, const PhantomCtGeometry& g) : px_(pixels), g_(g) {}
  void fill(std::int16_t hu) { std::fill(px_, px_ + static_cast<std::ptrdiff_t>(g_.columns) * g_.rows, hu); }
  // Even-odd scanline fill of every ring: pixel centres in [x_a, x_b) between crossings.
  void paint(const MultiPolygon& mp, double hu_value) {
    if (mp.empty()) return;
    const auto hu = static_cast<std::int16_t>(std::lround(hu_value));
    edges_.clear();
    double ymin = kInf;
    double ymax = -kInf;
    const auto add = [&](const geom::Ring& r) {
      for (std::size_t i = 0; i + 1 < r.size(); ++i) {
        edges_.push_back({r[i], r[i + 1]});
        ymin = std::min(ymin, r[i].y());
        ymax = std::max(ymax, r[i].y());
      }
    };
    for (const auto& p : mp) {
      add(p.outer());
      for (const auto& h : p.inners()) add(h);
    }
    const int j0 = std::max(0, static_cast<int>(std::ceil(ymin - g_.y0_mm)));
    const int j1 = std::min(g_.rows - 1, static_cast<int>(std::floor(ymax - g_.y0_mm)));
    for (int j = j0; j <= j1; ++j) {
      const double y = g_.y0_mm + j;
      xs_.clear();
      for (const auto& [p, q] : edges_) {
        if ((p.y() <= y) != (q.y() <= y)) xs_.push_back(p.x() + (y - p.y()) * (q.x() - p.x()) / (q.y() - p.y()));
      }
      std::sort(xs_.begin(), xs_.end());
      for (std::size_t k = 0; k + 1 < xs_.size(); k += 2) {
        const int i0 = std::max(0, static_cast<int>(std::ceil(xs_[k] - g_.x0_mm)));
        const int i1 = std::min(g_.columns - 1, static_cast<int>(std::ceil(xs_[k + 1] - g_.x0_mm)) - 1);
        std::int16_t* row = px_ + static_cast<std::ptrdiff_t>(j) * g_.columns;
        for (int i = i0; i <= i1; ++i) row[i] = hu;
      }
    }
  }

 private:
  std::int16_t* px_;
  PhantomCtGeometry g_;
  std::vector<std::pair<Point2, Point2>> edges_;
  std::vector<double> xs_;
};

void paint_slice(SlicePainter& p, const Anatomy& a, const AnatomySection& s, const ThoraxAtlas& atlas, bool contrast, bool hide_im_vessels) {
  const double blood = atlas.hu(contrast ? "blood_contrast" : "blood");
  p.fill(static_cast<std::int16_t>(std::lround(atlas.hu("air"))));
  p.paint(s.body, atlas.hu("fat"));
  p.paint(s.chest_muscle, atlas.hu("soft_tissue"));
  p.paint(s.extrapleural_fat, atlas.hu("fat"));
  p.paint(s.cavity, atlas.hu("soft_tissue"));
  for (const auto& l : s.lung) p.paint(l, atlas.hu("lung"));
  p.paint(s.heart, atlas.hu(contrast ? "heart_contrast" : "soft_tissue"));
  p.paint(s.svc, blood);
  for (std::size_t i = 0; i < 2; ++i) {
    p.paint(s.bcv[i], blood);
    p.paint(s.scv[i], blood);
    p.paint(s.ijv[i], blood);
    p.paint(s.sca[i], blood);
    if (!hide_im_vessels) {
      p.paint(s.imv[i], blood);
      p.paint(s.ima[i], blood);
    }
  }
  p.paint(s.lad, blood);
  p.paint(s.spine, atlas.hu("cortical_bone"));
  p.paint(s.spine_marrow, atlas.hu("marrow"));
  p.paint(s.sternum, atlas.hu("cortical_bone"));
  const bool joint = std::abs(s.z_mm - a.manubriosternal_joint_z_mm) < 1.25;
  p.paint(s.sternum_marrow, atlas.hu(joint ? "cartilage" : "marrow"));
  for (std::size_t i = 0; i < 2; ++i) {
    for (std::size_t n = 0; n < static_cast<std::size_t>(kRibCount); ++n) {
      p.paint(s.rib_cartilage[i][n], atlas.hu("cartilage"));
      p.paint(s.rib_bone[i][n], atlas.hu("cortical_bone"));
      p.paint(s.rib_marrow[i][n], atlas.hu("marrow"));
    }
  }
}

// ---- Structures and truth helpers ----

geom::Structure build(const std::vector<geom::Contour>& contours) {
  geom::BuildOptions o;
  o.fallback_slab_mm = kPhantomCt.slice_mm;
  return geom::build_structure(contours, o).structure;
}

double volume(const geom::Structure& s) { return s.planes.empty() ? 0.0 : geom::volume_cc(s).value_or(0.0); }

// Volume (cc) of the overlap of two structures on common planes.
double overlap_cc(const geom::Structure& a, const geom::Structure& b) {
  double area = 0;
  for (const auto& p : a.planes) {
    const geom::Plane* q = geom::plane_at(b, p.z_mm);
    if (q == nullptr || std::abs(q->z_mm - p.z_mm) > 0.05) continue;
    area += poly::area(poly::intersect(p.region, q->region));
  }
  return area * kPhantomCt.slice_mm / 1000.0;
}

// Smallest in-plane distance between two structures on common planes (inf when none).
double min_inplane_distance(const geom::Structure& a, const geom::Structure& b) {
  double d = kInf;
  for (const auto& p : a.planes) {
    const geom::Plane* q = geom::plane_at(b, p.z_mm);
    if (q == nullptr || std::abs(q->z_mm - p.z_mm) > 0.05) continue;
    d = std::min(d, poly::distance(p.region, q->region));
  }
  return d;
}

json num_or_null(double v) { return std::isfinite(v) ? json(round3(v)) : json(nullptr); }

// Where a point lies relative to a structure of the slab model. For a point outside, the distance
// to the union of slabs (plane region x [z - slab/2, z + slab/2]) is exact; for a point inside,
// the in-plane distance to its plane's boundary is given (negative).
// Truth of a point against a structure's slab-stack solid, computed independently of rtaudit's
// CGAL surface: plane by plane, from the in-plane signed distance and the z-distance to each slab.
// Outside: the distance to the nearest slab. Inside: the distance to the complement, which is
// everything above and below the stack, every gap between slabs, and within each slab the
// complement of its region. Status: inside; marginal when outside within max(5 mm, radius) (the
// default of rtaudit's distance class); outside beyond.
json point_status(const geom::Structure& s, const Point3& p, double radius) {
  json j;
  if (s.planes.empty()) {
    j["inside"] = false;
    j["signed_distance_mm"] = nullptr;
    j["distance_method"] = "none (empty structure)";
    j["status"] = "outside";
    return j;
  }
  const double h = 0.5 * s.slab_mm;
  const bool inside = geom::contains(s, p);
  j["inside"] = inside;
  double best = kInf;
  if (inside) {
    best = std::min(s.planes.back().z_mm + h - p.z, p.z - (s.planes.front().z_mm - h));
    for (std::size_t k = 0; k < s.planes.size(); ++k) {
      const auto& plane = s.planes[k];
      if (k + 1 < s.planes.size() && s.planes[k + 1].z_mm - h > plane.z_mm + h) {  // a gap above this slab
        const double lo = plane.z_mm + h, hi = s.planes[k + 1].z_mm - h;
        best = std::min(best, p.z < lo ? lo - p.z : p.z > hi ? p.z - hi : 0.0);
      }
      const double dz = std::max(0.0, std::abs(p.z - plane.z_mm) - h);
      if (dz >= best) continue;
      const double sd = poly::signed_distance(plane.region, Point2(p.x, p.y));
      best = std::min(best, std::hypot(std::max(0.0, -sd), dz));
    }
    j["signed_distance_mm"] = round3(-best);
    j["distance_method"] = "exact 3-D distance to the slab-stack boundary, plane by plane (negative inside)";
    j["status"] = "inside";
    return j;
  }
  for (const auto& plane : s.planes) {
    const double dz = std::max(0.0, std::abs(p.z - plane.z_mm) - h);
    if (dz >= best) continue;
    const double sd = poly::signed_distance(plane.region, Point2(p.x, p.y));
    const double dxy = std::max(0.0, sd);
    best = std::min(best, std::hypot(dxy, dz));
  }
  j["signed_distance_mm"] = round3(best);
  j["distance_method"] = "exact 3-D distance to the slab stack, plane by plane (outside)";
  j["status"] = best <= std::max(5.0, radius) ? "marginal" : "outside";
  return j;
}

json z_extent(const geom::Structure& s) {
  json j;
  if (s.planes.empty()) return json(nullptr);
  j["caudal_plane_z_mm"] = round3(s.planes.front().z_mm);
  j["cranial_plane_z_mm"] = round3(s.planes.back().z_mm);
  j["caudal_edge_z_mm"] = round3(s.planes.front().z_mm - 0.5 * s.slab_mm);
  j["cranial_edge_z_mm"] = round3(s.planes.back().z_mm + 0.5 * s.slab_mm);
  j["planes"] = s.planes.size();
  return j;
}

json rule_json(const ImnRule& r) {
  json j;
  j["name"] = r.name;
  j["reading"] = r.reading;
  j["cranial_border_z_mm"] = round3(r.cranial_z);
  j["caudal_border_z_mm"] = round3(r.caudal_z);
  j["cranial_landmark"] = r.cranial_landmark;
  j["caudal_landmark"] = r.caudal_landmark;
  j["plane_rule"] = "planes with caudal_border_z_mm <= z < cranial_border_z_mm";
  j["margin_mm"] = r.margin_mm;
  j["artery_included_from_z_mm"] = num_or_null(r.artery_from_z);
  j["artery_included"] = std::isinf(r.artery_from_z) ? (r.artery_from_z < 0 ? "all planes" : "no planes")
                                                      : "planes z >= cranial aspect of rib 2 (up to and including ICS1)";
  j["margins_mm"] = {{"medial", r.margin_mm + r.medial_extension_mm},
                     {"lateral", r.margin_mm},
                     {"ventral", r.margin_mm},
                     {"dorsal", r.margin_mm + r.dorsal_extension_mm},
                     {"note", "around the vein wall, before clipping by lung (and heart when clip_heart)"}};
  j["clipped_by"] = r.clip_heart ? json::array({"lung (ipsilateral)", "heart"}) : json::array({"lung (ipsilateral)"});
  return j;
}

json deviation(const ImnRule& clin, const geom::Structure& clin_s, const ImnRule& ref, const geom::Structure& ref_s) {
  json j;
  j["convention"] = "mm beyond the reference border, positive = the clinician's CTV extends further (outward)";
  j["cranial_mm"] = round3(clin.cranial_z - ref.cranial_z);
  j["caudal_mm"] = round3(ref.caudal_z - clin.caudal_z);
  if (!clin_s.planes.empty() && !ref_s.planes.empty()) {
    j["cranial_planes_mm"] = round3(clin_s.planes.back().z_mm - ref_s.planes.back().z_mm);
    j["caudal_planes_mm"] = round3(ref_s.planes.front().z_mm - clin_s.planes.front().z_mm);
  }
  j["margin_mm"] = {{"medial", clin.margin_mm + clin.medial_extension_mm - (ref.margin_mm + ref.medial_extension_mm)},
                    {"lateral", clin.margin_mm - ref.margin_mm},
                    {"ventral", clin.margin_mm - ref.margin_mm},
                    {"dorsal", clin.margin_mm + clin.dorsal_extension_mm - (ref.margin_mm + ref.dorsal_extension_mm)}};
  return j;
}

json point_json(const Point3& p) { return {round3(p.x), round3(p.y), round3(p.z)}; }

std::string upper(std::string s) {
  for (auto& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

}  // namespace

std::span<const std::string_view> phantom_variants() { return kVariants; }

bool is_phantom_variant(std::string_view name) {
  return std::find(std::begin(kVariants), std::end(kVariants), name) != std::end(kVariants);
}

std::string phantom_uid(std::string_view what, std::uint64_t seed, std::string_view variant, Side side, bool contrast) {
  // One UID scheme for the whole product (case/uid.hpp): "2.25." + a hash of a descriptive key.
  return make_uid(fmt::format("rtaudit-phantom/{}/seed={}/variant={}/side={}/contrast={}", what, seed, variant,
                              to_string(side), contrast ? 1 : 0));
}

PhantomCase make_phantom(const ThoraxAtlas& atlas, const PhantomOptions& options) {
  if (!is_phantom_variant(options.variant)) {
    throw std::invalid_argument(fmt::format("unknown phantom variant '{}'", options.variant));
  }
  const std::string& variant = options.variant;
  const Side side = variant == "right-side" ? Side::Right : options.side;
  const Side contra = other(side);
  const bool landmarks = variant != "no-landmarks";
  const PhantomCtGeometry g = kPhantomCt;

  Anatomy a = make_anatomy(atlas, options.seed);
  a.treated_side = side;
  if (variant == "heart-close") a = with_heart_close(std::move(a), side);

  const ImnRule clinical = variant_rule(a, variant);
  const ImnRule estro = estro_rule(a);
  const ImnRule rtog = rtog_rule(a);

  // A CT without its IM vessels is another patient: other UIDs (the key of every other phantom unchanged).
  const std::string uid_variant = options.hide_im_vessels ? variant + "/hidden-im-vessels" : variant;
  const auto uid = [&](std::string_view what) { return phantom_uid(what, options.seed, uid_variant, side, options.contrast); };

  PhantomCase pc;
  // ---- Identity ----
  StudyIdentity& id = pc.identity;
  id.patient_id = fmt::format("RTA-PH-{}-{}{}", options.seed, upper(variant), side == Side::Left ? "L" : "R");
  id.patient_name = fmt::format("PHANTOM^THORAX {} {}", options.seed, upper(variant));
  id.patient_sex = "F";
  id.study_uid = uid("study");
  id.study_id = "1";
  id.study_date = options.date;
  id.study_time = options.time;
  id.frame_of_reference_uid = uid("frame-of-reference");
  id.institution_name = options.institution;
  id.institutional_department_name = options.department;
  id.operator_name = options.planner;
  const std::string ct_series_uid = uid("ct-series");

  // ---- Per-slice anatomy, CT and regions ----
  ImageVolume& ct = pc.ct;
  ct.columns = g.columns;
  ct.rows = g.rows;
  ct.slices = g.slices;
  ct.pixel_spacing = {g.pixel_mm, g.pixel_mm};
  ct.values.assign(static_cast<std::size_t>(g.columns) * g.rows * g.slices, 0);

  const std::vector<RoiSpec> specs = roi_specs(side, landmarks);
  std::map<int, std::vector<MultiPolygon>> regions;  // ROI number -> region per slice
  for (const auto& s : specs) regions[s.number].resize(static_cast<std::size_t>(g.slices));
  std::vector<MultiPolygon> estro_planes(static_cast<std::size_t>(g.slices));
  std::vector<MultiPolygon> rtog_planes(static_cast<std::size_t>(g.slices));
  std::vector<MultiPolygon> body_planes(static_cast<std::size_t>(g.slices));
  std::vector<Point2> contra_vein(static_cast<std::size_t>(g.slices));

  const std::size_t si = side_index(side);
  const double l4_top = a.imv_junction_z_mm + 35.0;
  json sternum_edges = json::array();
  json vessels = {{"left", {{"vein", json::array()}, {"artery", json::array()}}},
                  {"right", {{"vein", json::array()}, {"artery", json::array()}}}};

  for (int k = 0; k < g.slices; ++k) {
    const double z = g.z(k);
    const auto ks = static_cast<std::size_t>(k);
    ct.slice_positions.push_back({g.x0_mm, g.y0_mm, z});
    const AnatomySection sec = section(a, z);
    SlicePainter painter(ct.values.data() + ks * static_cast<std::size_t>(g.columns) * g.rows, g);
    paint_slice(painter, a, sec, atlas, options.contrast, options.hide_im_vessels);
    body_planes[ks] = sec.body;

    if (sternum_exists(a, z)) {
      const double hw = sternal_half_width_mm(a, z);
      sternum_edges.push_back({{"z_mm", round3(z)}, {"left_x_mm", round3(hw)}, {"right_x_mm", round3(-hw)}});
    }
    for (const Side s : {Side::Left, Side::Right}) {
      const std::size_t i = side_index(s);
      const char* key = s == Side::Left ? "left" : "right";
      if (!sec.imv[i].empty()) {
        const Point2 c = im_vein_centre(a, s, z);
        vessels[key]["vein"].push_back({{"z_mm", round3(z)}, {"x_mm", round3(c.x())}, {"y_mm", round3(c.y())}});
      }
      if (!sec.ima[i].empty()) {
        const Point2 c = im_artery_centre(a, s, z);
        vessels[key]["artery"].push_back({{"z_mm", round3(z)}, {"x_mm", round3(c.x())}, {"y_mm", round3(c.y())}});
      }
    }

    // Targets.
    MultiPolygon l4;
    if (z >= a.imv_junction_z_mm && z <= l4_top) {
      const MultiPolygon veins = poly::unite(poly::unite(sec.bcv[si], sec.scv[si]), poly::unite(sec.ijv[si], sec.sca[si]));
      l4 = poly::clean(poly::subtract(poly::intersect(poly::buffer(veins, 5.0), sec.body), sec.lung[si]), 0.5);
    }
    MultiPolygon breast;
    if (!sec.breast[si].empty()) {
      breast = poly::intersect(sec.breast[si], poly::buffer(sec.body, -a.breast_ctv_skin_margin_mm));
      breast = poly::clean(poly::subtract(breast, sec.chest_muscle), 1.0);
    }
    estro_planes[ks] = imn_region(a, sec, estro, side);
    rtog_planes[ks] = imn_region(a, sec, rtog, side);

    for (const auto& spec : specs) {
      const std::size_t i = side_index(spec.side);
      MultiPolygon& r = regions[spec.number][ks];
      switch (spec.kind) {
        case RoiKind::External: r = sec.body; break;
        case RoiKind::Lung: r = sec.lung[i]; break;
        case RoiKind::Heart: r = sec.heart; break;
        case RoiKind::Lad: r = sec.lad; break;
        case RoiKind::Sternum: r = sec.sternum; break;
        case RoiKind::Rib: r = sec.rib[i][static_cast<std::size_t>(spec.rib - 1)]; break;
        case RoiKind::ImArtery: r = sec.ima[i]; break;
        case RoiKind::ImVein: r = sec.imv[i]; break;
        case RoiKind::ScVein: r = sec.scv[i]; break;
        case RoiKind::BcVein: r = sec.bcv[i]; break;
        case RoiKind::ScArtery: r = sec.sca[i]; break;
        case RoiKind::CtvL4: r = l4; break;
        case RoiKind::CtvBreast: r = breast; break;
        case RoiKind::CtvImn: r = variant == "estro" || variant == "no-landmarks" || variant == "right-side"
                                      ? estro_planes[ks]
                                      : (variant == "rtog" ? rtog_planes[ks] : imn_region(a, sec, clinical, side));
          break;
        default: break;  // PTVs below
      }
    }
  }

  // PTVs: CTV planes within +-5 mm united, dilated 5 mm in-plane, inside the body.
  const auto ptv = [&](int ctv_number, int ptv_number) {
    auto& src = regions[ctv_number];
    auto& dst = regions[ptv_number];
    for (int k = 0; k < g.slices; ++k) {
      MultiPolygon u;
      for (int d = -2; d <= 2; ++d) {
        const int kk = k + d;
        if (kk >= 0 && kk < g.slices) u = poly::unite(u, src[static_cast<std::size_t>(kk)]);
      }
      if (u.empty()) continue;
      dst[static_cast<std::size_t>(k)] = poly::clean(poly::intersect(poly::buffer(u, 5.0), body_planes[static_cast<std::size_t>(k)]), 0.5);
    }
  };
  ptv(30, 32);
  ptv(29, 33);
  ptv(31, 34);

  // Noise: sum of four 16-bit uniforms per voxel (Irwin-Hall, sd 1/sqrt(3)), scaled to sigma.
  {
    std::mt19937_64 rng(splitmix64(options.seed ^ 0x4E4F495345ULL));
    const double scale = atlas.noise_sigma_hu * std::sqrt(3.0) / 65536.0;
    for (auto& v : ct.values) {
      const std::uint64_t r = rng();
      const double sum = static_cast<double>((r & 0xFFFF) + ((r >> 16) & 0xFFFF) + ((r >> 32) & 0xFFFF) + (r >> 48));
      const double n = (sum - 2.0 * 65535.0) * scale;
      v = static_cast<std::int16_t>(std::clamp<long>(std::lround(v + n), -32768L, 32767L));
    }
  }

  // ---- Structure set ----
  StructureSet& ss = pc.structures;
  ss.sop_instance_uid = uid("rtstruct");
  ss.label = "PHANTOM";
  ss.name = fmt::format("rtaudit phantom {}", variant);
  ss.date = options.date;
  ss.time = options.time;
  ss.frame_of_reference_uid = id.frame_of_reference_uid;
  ss.referenced_series_uid = ct_series_uid;
  std::map<int, geom::Structure> built;
  json rois = json::array();
  for (const auto& spec : specs) {
    Roi roi;
    roi.number = spec.number;
    roi.name = spec.name;
    roi.interpreted_type = spec.type;
    roi.generation_algorithm = (spec.type == "CTV" || spec.type == "PTV") ? "MANUAL" : "AUTOMATIC";
    roi.frame_of_reference_uid = id.frame_of_reference_uid;
    roi.colour = spec.colour;
    roi.in_structure_set_roi = true;
    roi.has_roi_contour = true;
    roi.has_observation = true;
    const auto& per_slice = regions[spec.number];
    for (int k = 0; k < g.slices; ++k) {
      auto c = to_contours(per_slice[static_cast<std::size_t>(k)], g.z(k));
      for (auto& x : c) roi.contours.push_back(std::move(x));
    }
    if (roi.contours.empty()) continue;  // nothing to draw (never for the standard variants)
    geom::Structure s = build(roi.contours);
    json r;
    r["number"] = spec.number;
    r["name"] = spec.name;
    r["type"] = spec.type;
    r["volume_cc"] = volume(s);
    r["contours"] = roi.contours.size();
    r["points"] = roi.point_count();
    r["z_extent"] = z_extent(s);
    rois.push_back(std::move(r));
    built[spec.number] = std::move(s);
    ss.rois[spec.number] = std::move(roi);
  }

  // Reference CTVs through the same rounding and plane model.
  const auto build_planes = [&](const std::vector<MultiPolygon>& planes) {
    std::vector<geom::Contour> contours;
    for (int k = 0; k < g.slices; ++k) {
      for (auto& c : to_contours(planes[static_cast<std::size_t>(k)], g.z(k))) contours.push_back(std::move(c));
    }
    return build(contours);
  };
  const geom::Structure estro_s = build_planes(estro_planes);
  const geom::Structure rtog_s = build_planes(rtog_planes);
  const geom::Structure& clin_s = built[31];
  const geom::Structure empty;
  const auto built_or_empty = [&](int n) -> const geom::Structure& {
    const auto it = built.find(n);
    return it == built.end() ? empty : it->second;
  };

  // ---- Recurrences ----
  const auto ics_mid = [&](int n) {
    const auto& upper_rib = a.ribs[static_cast<std::size_t>(n - 1)];
    const auto& lower_rib = a.ribs[static_cast<std::size_t>(n)];
    return 0.5 * (upper_rib.bottom_z_mm() + lower_rib.top_z_mm);
  };
  const auto vein3 = [&](Side s, double z) {
    const Point2 c = im_vein_centre(a, s, z);
    return Point3{round3(c.x()), round3(c.y()), round3(z)};
  };
  const std::string side_word = to_string(side);
  std::vector<PlantedRecurrence> recs;
  recs.push_back({"R1", "recurrence", vein3(side, ics_mid(2)), 5.0, fmt::format("IMN ICS2 {}", side_word), "", "at the IM vein centre, mid ICS2"});
  if (!clin_s.planes.empty()) {
    const auto& bottom = clin_s.planes.front();
    const Point2 c = im_vein_centre(a, side, bottom.z_mm);
    const double z = bottom.z_mm - 0.5 * clin_s.slab_mm - 3.0;
    recs.push_back({"R2", "recurrence", {round3(c.x()), round3(c.y()), round3(z)}, 5.0,
                    fmt::format("IMN caudal border {}", side_word), "",
                    "3 mm caudal of the clinician's CTVn_IMN caudal slab edge, at the IM vein centre of its caudal-most plane"});
  }
  recs.push_back({"R3", "recurrence", vein3(side, ics_mid(4)), 5.0, fmt::format("IMN ICS4 {}", side_word), "", "at the IM vein centre, mid ICS4"});
  recs.push_back({"R4", "recurrence", vein3(contra, ics_mid(2)), 5.0, fmt::format("IMN ICS2 {} (contralateral)", to_string(contra)), "",
                  "contralateral parasternal, at the contralateral IM vein centre, mid ICS2"});
  {
    // Two seeded points so that a cohort of phantoms spreads over the classes: a recurrence in ICS 1-3
    // at 2-14 mm lateral or medial of the vein centre, and an IM sentinel node (no size) in ICS 1-2.
    std::mt19937_64 rng(splitmix64(options.seed ^ 0x5245435552ULL));
    const auto uniform = [&](double lo, double hi) { return lo + (hi - lo) * static_cast<double>(rng() >> 11) * 0x1.0p-53; };
    const int ics5 = 1 + static_cast<int>(rng() % 3);
    const double z5 = ics_mid(ics5) + uniform(-0.3, 0.3) * (a.ribs[static_cast<std::size_t>(ics5)].top_z_mm - a.ribs[static_cast<std::size_t>(ics5 - 1)].bottom_z_mm());
    const double lateral = side == Side::Left ? 1.0 : -1.0;
    const double off5 = uniform(2.0, 14.0) * (rng() % 4 == 0 ? -1.0 : 1.0);
    const Point2 c5 = im_vein_centre(a, side, z5);
    recs.push_back({"R5", "recurrence", {round3(c5.x() + lateral * off5), round3(c5.y() + uniform(-3.0, 3.0)), round3(z5)}, 4.0,
                    fmt::format("IMN ICS{} {}", ics5, side_word), "",
                    fmt::format("seeded: ICS{}, {:.1f} mm {} of the IM vein centre", ics5, std::abs(off5), off5 >= 0 ? "lateral" : "medial")});
    const int ics6 = 1 + static_cast<int>(rng() % 2);
    const double z6 = ics_mid(ics6);
    const double off6 = uniform(0.0, 10.0);
    const Point2 c6 = im_vein_centre(a, side, z6);
    recs.push_back({"N1", "sentinel_node", {round3(c6.x() + lateral * off6), round3(c6.y()), round3(z6)}, 0.0,
                    fmt::format("IM sentinel node ICS{} {}", ics6, side_word), "",
                    fmt::format("seeded: SPECT/CT IM sentinel node, ICS{}, {:.1f} mm lateral of the IM vein centre", ics6, off6)});
  }
  json rec_truth = json::array();
  for (auto& r : recs) {
    const json clin = point_status(clin_s, r.position_mm, r.radius_mm);
    r.true_status = clin["status"].get<std::string>();
    int ics = 0;
    for (int n = 1; n < kRibCount; ++n) {
      if (r.position_mm.z < a.ribs[static_cast<std::size_t>(n - 1)].bottom_z_mm() && r.position_mm.z > a.ribs[static_cast<std::size_t>(n)].top_z_mm) ics = n;
    }
    rec_truth.push_back({{"id", r.id},
                         {"kind", r.kind},
                         {"position_mm", point_json(r.position_mm)},
                         {"radius_mm", r.radius_mm},
                         {"site", r.site},
                         {"ics", ics},
                         {"true_status", r.true_status},
                         {"note", r.note},
                         {"vs", {{"CTVn_IMN (clinical)", clin},
                                 {"estro_reference", point_status(estro_s, r.position_mm, r.radius_mm)},
                                 {"rtog_reference", point_status(rtog_s, r.position_mm, r.radius_mm)},
                                 {"CTVn_L4", point_status(built_or_empty(29), r.position_mm, r.radius_mm)}}}});
  }
  pc.recurrences = recs;

  // ---- Truth ----
  json t;
  t["schema"] = "rtaudit-phantom-truth/1";
  t["seed"] = options.seed;
  t["side"] = to_string(side);
  t["variant"] = variant;
  t["contrast"] = options.contrast;
  t["im_vessels_in_ct"] = !options.hide_im_vessels;
  t["coordinates"] = "DICOM LPS (mm), HFS; z = 0 at the suprasternal notch; x = 0 midline";
  t["uids"] = {{"study", id.study_uid},
               {"frame_of_reference", id.frame_of_reference_uid},
               {"ct_series", ct_series_uid},
               {"rtstruct", ss.sop_instance_uid},
               {"rtplan", uid("rtplan")},
               {"rtplan_series", uid("rtplan-series")},
               {"rtdose", uid("rtdose")},
               {"rtdose_series", uid("rtdose-series")},
               {"rtstruct_series", uid("rtstruct-series")}};
  t["ct"] = {{"columns", g.columns},
             {"rows", g.rows},
             {"slices", g.slices},
             {"pixel_spacing_mm", {g.pixel_mm, g.pixel_mm}},
             {"slice_spacing_mm", g.slice_mm},
             {"origin_mm", {g.x0_mm, g.y0_mm, g.z0_mm}},
             {"first_slice_z_mm", g.z(0)},
             {"last_slice_z_mm", g.z(g.slices - 1)},
             {"noise_sigma_hu", atlas.noise_sigma_hu},
             {"hu", {{"air", atlas.hu("air")},
                     {"lung", atlas.hu("lung")},
                     {"fat", atlas.hu("fat")},
                     {"soft_tissue", atlas.hu("soft_tissue")},
                     {"vessel", atlas.hu(options.contrast ? "blood_contrast" : "blood")},
                     {"heart", atlas.hu(options.contrast ? "heart_contrast" : "soft_tissue")},
                     {"cortical_bone", atlas.hu("cortical_bone")},
                     {"marrow", atlas.hu("marrow")},
                     {"cartilage", atlas.hu("cartilage")}}}};
  json drawn = json::object();
  for (const auto& [name, value] : a.drawn) drawn[name] = value;
  t["anatomy"] = {{"drawn", drawn},
                  {"heart", {{"centre_mm", point_json(a.heart.centre)},
                             {"half_axes_mm", {round3(a.heart.half_x_mm), round3(a.heart.half_y_mm), round3(a.heart.half_z_mm)}},
                             {"heart_close", variant == "heart-close"}}},
                  {"imv_radius_mm", a.imv_radius_mm},
                  {"ima_radius_mm", a.ima_radius_mm}};

  json ribs = json::array();
  for (const Side s : {Side::Left, Side::Right}) {
    for (const auto& r : a.ribs) {
      const double hw = sternal_half_width_mm(a, r.centre_z_mm());
      ribs.push_back({{"rib", r.number},
                      {"side", to_string(s)},
                      {"roi", fmt::format("Rib{:02d}{}", r.number, sfx(s))},
                      {"medial_top_z_mm", round3(r.top_z_mm)},
                      {"medial_bottom_z_mm", round3(r.bottom_z_mm())},
                      {"medial_end_x_mm", round3(side_sign(s) * hw)},
                      {"cartilage_length_mm", round3(r.cartilage_length_mm)},
                      {"top_below_notch_mm", round3(-r.top_z_mm)}});
    }
  }
  json ics = json::array();
  const double marks_cm[] = {5.0, 8.5, 11.0, 14.0};
  for (int n = 1; n < kRibCount; ++n) {
    const auto& up = a.ribs[static_cast<std::size_t>(n - 1)];
    const auto& lo = a.ribs[static_cast<std::size_t>(n)];
    json j = {{"ics", n},
              {"cranial_z_mm", round3(up.bottom_z_mm())},
              {"caudal_z_mm", round3(lo.top_z_mm)},
              {"height_mm", round3(up.bottom_z_mm() - lo.top_z_mm)},
              {"caudal_below_notch_mm", round3(-lo.top_z_mm)}};
    if (n <= 4) {
      j["marks2001_limit_mm"] = marks_cm[n - 1] * 10;
      j["within_marks2001"] = -lo.top_z_mm <= marks_cm[n - 1] * 10;
    }
    ics.push_back(std::move(j));
  }
  const geom::Structure& l4_s = built_or_empty(29);
  json knots = json::array();
  for (const auto& k : a.sternum_half_width_knots) knots.push_back({round3(k[0]), round3(k[1])});
  t["landmarks"] = {
      {"suprasternal_notch_z_mm", a.sternum_top_z_mm},
      {"manubriosternal_joint_z_mm", round3(a.manubriosternal_joint_z_mm)},
      {"imv_junction_z_mm", round3(a.imv_junction_z_mm)},
      {"ima_origin_z_mm", round3(a.ima_origin_z_mm)},
      {"im_vessels_bottom_z_mm", round3(a.im_bottom_z_mm)},
      {"ctvn_l4", {{"caudal_limit_z_mm", round3(a.imv_junction_z_mm)},
                   {"cranial_limit_z_mm", round3(l4_top)},
                   {"extent", z_extent(l4_s)},
                   {"reading", "subclavian, internal jugular, brachiocephalic veins and subclavian artery (ipsilateral) dilated 5 mm, inside the body, minus lung, on planes with imv_junction <= z <= imv_junction + 35 mm"}}},
      {"sternum", {{"top_z_mm", round3(a.sternum_top_z_mm)},
                   {"bottom_z_mm", round3(a.sternum_bottom_z_mm)},
                   {"half_width_knots_z_hw_mm", knots},
                   {"edges", sternum_edges},
                   {"roi", "Sternum (manubrium and body in one ROI)"}}},
      {"ribs", ribs},
      {"ics", ics},
      {"im_vessels", vessels}};

  json imn;
  imn["clinical"] = rule_json(clinical);
  imn["clinical"]["roi"] = "CTVn_IMN" + sfx(side);
  imn["clinical"]["volume_cc"] = volume(clin_s);
  imn["clinical"]["extent"] = z_extent(clin_s);
  imn["references"]["estro"] = rule_json(estro);
  imn["references"]["estro"]["volume_cc"] = volume(estro_s);
  imn["references"]["estro"]["extent"] = z_extent(estro_s);
  imn["references"]["rtog"] = rule_json(rtog);
  imn["references"]["rtog"]["volume_cc"] = volume(rtog_s);
  imn["references"]["rtog"]["extent"] = z_extent(rtog_s);
  imn["deviations"]["vs_estro"] = deviation(clinical, clin_s, estro, estro_s);
  imn["deviations"]["vs_rtog"] = deviation(clinical, clin_s, rtog, rtog_s);
  const geom::Structure& heart_s = built_or_empty(4);
  const geom::Structure& sternum_s = built_or_empty(6);
  imn["sternum_overlap_cc"] = landmarks ? json(round3(overlap_cc(clin_s, sternum_s))) : json(nullptr);
  imn["estro_sternum_overlap_cc"] = landmarks ? json(round3(overlap_cc(estro_s, sternum_s))) : json(nullptr);
  imn["heart_min_inplane_distance_mm"] = num_or_null(min_inplane_distance(clin_s, heart_s));
  imn["heart_overlap_cc"] = round3(overlap_cc(clin_s, heart_s));
  imn["ptv_heart_min_inplane_distance_mm"] = num_or_null(min_inplane_distance(built_or_empty(34), heart_s));
  imn["ptv_heart_overlap_cc"] = round3(overlap_cc(built_or_empty(34), heart_s));
  imn["l4_gap_mm"] = (!clin_s.planes.empty() && !l4_s.planes.empty())
                         ? json(round3(l4_s.planes.front().z_mm - 0.5 * l4_s.slab_mm -
                                       (clin_s.planes.back().z_mm + 0.5 * clin_s.slab_mm)))
                         : json(nullptr);
  t["imn"] = imn;
  t["rois"] = rois;
  t["recurrences"] = rec_truth;
  t["volume_convention"] = "plane model: each plane a slab of the structure's slice spacing (2.5 mm), contours rounded to 0.01 mm, computed with geom::build_structure + geom::volume_cc";
  pc.truth = std::move(t);
  return pc;
}

}  // namespace rtaudit::phantom
