// The IMN node atlas (node_atlas.hpp): generation, CSV, mapping into a patient, coverage of a CTV.
// Pure functions of value types; the parameters file is read in node_atlas_file.cpp.

#include "rtaudit/miss/node_atlas.hpp"

#include <fmt/format.h>

#include <boost/geometry/algorithms/area.hpp>
#include <boost/geometry/algorithms/centroid.hpp>
#include <boost/geometry/strategies/strategies.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <numbers>
#include <numeric>

namespace rtaudit::miss {
namespace {

namespace bg = boost::geometry;

// ---------------------------------------------------------------------------------------------------
// Generation

/// Van der Corput radical inverse of i in `base`: the coordinate of the i-th Halton point. Pure integer
/// digit extraction and one multiply-add per digit, so the same i gives the same double everywhere.
double radical_inverse(std::uint64_t i, std::uint64_t base) {
  const double inv = 1.0 / static_cast<double>(base);
  double f = inv;
  double r = 0;
  while (i > 0) {
    r += f * static_cast<double>(i % base);
    i /= base;
    f *= inv;
  }
  return r;
}

/// Node counts per ICS by the largest-remainder method: floor(N x share), then one more node to the
/// largest fractional parts (ties to the lower ICS), so every ICS's node share is within 1/N of its
/// share and the counts sum to N exactly.
std::vector<std::pair<int, int>> node_counts(const IcsDistribution& d, int n) {
  const double total = std::accumulate(d.shares.begin(), d.shares.end(), 0.0,
                                       [](double s, const auto& p) { return s + p.second; });
  std::vector<std::pair<int, int>> counts;
  std::vector<std::pair<double, std::size_t>> rest;
  int assigned = 0;
  for (std::size_t i = 0; i < d.shares.size(); ++i) {
    const double quota = total > 0 ? n * d.shares[i].second / total : 0.0;
    const int whole = static_cast<int>(std::floor(quota));
    counts.emplace_back(d.shares[i].first, whole);
    rest.emplace_back(quota - whole, i);
    assigned += whole;
  }
  std::stable_sort(rest.begin(), rest.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; assigned < n && k < rest.size(); ++k, ++assigned) ++counts[rest[k].second].second;
  std::sort(counts.begin(), counts.end());
  return counts;
}

/// Inverse of the piecewise-linear wall-distance CDF at u in [0, 1).
double inverse_cdf(const std::vector<std::pair<double, double>>& cdf, double u) {
  for (std::size_t i = 1; i < cdf.size(); ++i) {
    const auto [d0, c0] = cdf[i - 1];
    const auto [d1, c1] = cdf[i];
    if (u < c1 && c1 > c0) return d0 + (u - c0) / (c1 - c0) * (d1 - d0);
  }
  return cdf.empty() ? 0.0 : cdf.back().first;
}

/// Angle (degrees, 0 = lateral, 180 = medial, in (-180, 180]) from one uniform v: the first
/// `lateral_share` of [0, 1) is lateral, the rest medial, each stretched over +/- half_width.
double angle_from(double v, double lateral_share, double half_width) {
  const bool lateral = v < lateral_share;
  const double w = lateral ? (lateral_share > 0 ? v / lateral_share : 0.5)
                           : (lateral_share < 1 ? (v - lateral_share) / (1 - lateral_share) : 0.5);
  const double offset = -half_width + 2 * half_width * w;
  if (lateral) return offset;
  double a = 180 - offset;
  if (a > 180) a -= 360;
  return a;
}

// ---------------------------------------------------------------------------------------------------
// Mapping

/// The component of a vein plane that stands for the vein: the one whose centroid is nearest the
/// vein's centreline point nearest this z (several components: e.g. the vein drawn with a branch),
/// else the largest.
const geom::Polygon* vein_component(const geom::Plane& plane, const anatomy::VesselLine& line) {
  const auto& mp = plane.region;
  if (mp.empty()) return nullptr;
  if (mp.size() == 1) return &mp.front();
  const anatomy::CentrelinePoint* near = nullptr;
  for (const auto& c : line.centreline) {
    if (near == nullptr || std::abs(c.z_mm - plane.z_mm) < std::abs(near->z_mm - plane.z_mm)) near = &c;
  }
  const geom::Polygon* best = nullptr;
  double best_key = INFINITY;
  for (const auto& poly : mp) {
    double key = -bg::area(poly);
    if (near != nullptr) {
      geom::Point2 c{0, 0};
      bg::centroid(poly, c);
      key = std::hypot(c.x() - near->centre.x(), c.y() - near->centre.y());
    }
    if (key < best_key) {
      best_key = key;
      best = &poly;
    }
  }
  return best;
}

/// Distance along the ray c + s * d (s > 0, |d| = 1) to the outermost crossing of the ring: for a
/// convex vein the one crossing, for a concave one the wall beyond which the ray leaves the vein.
std::optional<double> ray_to_wall(const geom::Ring& ring, const geom::Point2& c, double dx, double dy) {
  std::optional<double> best;
  for (std::size_t i = 1; i < ring.size(); ++i) {
    const double ax = ring[i - 1].x() - c.x(), ay = ring[i - 1].y() - c.y();
    const double ex = ring[i].x() - ring[i - 1].x(), ey = ring[i].y() - ring[i - 1].y();
    const double den = dx * ey - dy * ex;  // cross(d, e)
    if (std::abs(den) < 1e-15) continue;   // parallel: the neighbouring segments give the crossing
    const double s = (ax * ey - ay * ex) / den;
    const double u = (ax * dy - ay * dx) / den;
    if (s > 0 && u >= 0 && u <= 1 && (!best || s > *best)) best = s;
  }
  return best;
}

std::string ics_missing_reason(int ics, const anatomy::Landmarks& lm) {
  for (const std::string& name : {fmt::format("rib{}.medial.caudal", ics), fmt::format("rib{}.medial.cranial", ics + 1)}) {
    const anatomy::Level* level = lm.level(name);
    if (level == nullptr) return fmt::format("ICS{} not found ({}: rib {} not contoured)", ics, name, name.substr(3, name.find('.') - 3));
    if (!level->evaluable()) return fmt::format("ICS{} not found ({} not evaluable: {})", ics, name, level->not_evaluable);
  }
  return fmt::format("ICS{} not found among the intercostal bands (see the landmark notes)", ics);
}

}  // namespace

// ---------------------------------------------------------------------------------------------------

std::vector<AtlasNode> generate_atlas(const AtlasParameters& p) {
  std::vector<AtlasNode> nodes;
  if (p.node_count <= 0) return nodes;
  nodes.reserve(static_cast<std::size_t>(p.node_count));
  // One Halton sequence over all nodes (index = id, from 1: index 0 is the corner point), ICS by ICS:
  // each ICS takes a contiguous block, itself low-discrepancy, so every ICS sees the whole
  // distributions of position, angle and distance, and no two nodes coincide.
  std::uint64_t index = 1;
  for (const auto& [ics, count] : node_counts(p.primary, p.node_count)) {
    for (int k = 0; k < count; ++k, ++index) {
      AtlasNode n;
      n.id = static_cast<int>(index);
      n.ics = ics;
      n.t = radical_inverse(index, 2);
      n.angle_deg = angle_from(radical_inverse(index, 3), p.lateral_share, p.angle_half_width_deg);
      n.wall_distance_mm = inverse_cdf(p.wall_distance_cdf, radical_inverse(index, 5));
      nodes.push_back(n);
    }
  }
  return nodes;
}

std::string atlas_to_csv(const std::vector<AtlasNode>& nodes, const AtlasParameters& p) {
  // The file name only: the same parameters give the same CSV wherever the tree is checked out.
  std::string out = fmt::format("# rtaudit IMN node atlas, generated from {} (id {}, version {}), {} nodes; "
                                "regenerate with `rtaudit atlas generate`, do not edit\n",
                                std::filesystem::path(p.file).filename().string(), p.id, p.version, nodes.size());
  out += "id,ics,t,angle_deg,wall_distance_mm\n";
  for (const auto& n : nodes) {
    out += fmt::format("{},{},{:.6f},{:.6f},{:.6f}\n", n.id, n.ics, n.t, n.angle_deg, n.wall_distance_mm);
  }
  return out;
}

AtlasRead parse_atlas_csv(std::string_view text) {
  AtlasRead r;
  bool header = false;
  int line_no = 0;
  while (!text.empty()) {
    const std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    if (!header) {
      if (line != "id,ics,t,angle_deg,wall_distance_mm") {
        r.problems.push_back(fmt::format("line {}: expected the header id,ics,t,angle_deg,wall_distance_mm", line_no));
        return r;
      }
      header = true;
      continue;
    }
    std::vector<std::string_view> f;
    for (std::size_t start = 0;;) {
      const std::size_t comma = line.find(',', start);
      f.push_back(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    if (f.size() != 5) {
      r.problems.push_back(fmt::format("line {}: expected 5 fields, got {}", line_no, f.size()));
      continue;
    }
    AtlasNode n;
    const auto whole = [](std::string_view s, int& v) {
      const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      return ec == std::errc{} && p == s.data() + s.size();
    };
    const auto real = [](std::string_view s, double& v) {
      const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      return ec == std::errc{} && p == s.data() + s.size() && std::isfinite(v);
    };
    if (!whole(f[0], n.id) || !whole(f[1], n.ics) || !real(f[2], n.t) || !real(f[3], n.angle_deg) ||
        !real(f[4], n.wall_distance_mm)) {
      r.problems.push_back(fmt::format("line {}: expected integer id and ics and three numbers", line_no));
      continue;
    }
    if (n.ics < 1 || n.t < 0 || n.t > 1 || n.wall_distance_mm < 0) {
      r.problems.push_back(fmt::format("line {}: expected ics >= 1, 0 <= t <= 1 and a non-negative distance", line_no));
      continue;
    }
    r.nodes.push_back(n);
  }
  if (!header) r.problems.push_back("line 1: expected the header id,ics,t,angle_deg,wall_distance_mm");
  return r;
}

AtlasMapping map_atlas(const std::vector<AtlasNode>& nodes, const anatomy::Landmarks& lm, const geom::Structure& im_vein) {
  AtlasMapping m;
  const double sign = lm.lateral_sign();
  if (sign == 0) {
    m.not_evaluable = "no treated side, so lateral and medial are unknown" +
                      (lm.treated.not_evaluable.empty() ? std::string{} : ": " + lm.treated.not_evaluable);
  } else if (lm.ics.empty()) {
    m.not_evaluable = "no intercostal space found (fewer than two consecutive ipsilateral ribs contoured)";
  } else if (im_vein.planes.empty()) {
    m.not_evaluable = "no IM vein of the treated side contoured" +
                      (lm.im_vein.not_evaluable.empty() ? std::string{} : ": " + lm.im_vein.not_evaluable);
  }
  if (!m.not_evaluable.empty()) {
    for (const auto& n : nodes) m.nodes.push_back({n, std::nullopt, m.not_evaluable});
    m.unmapped = nodes.size();
    return m;
  }

  // Unmapped nodes are counted per (ICS, reason) for the notes; the reason stays free of the node's
  // own z so that nodes fail together.
  std::map<std::pair<int, std::string>, std::size_t> failures;
  m.nodes.reserve(nodes.size());
  for (const auto& n : nodes) {
    MappedNode out{n, std::nullopt, {}};
    const auto band = std::find_if(lm.ics.begin(), lm.ics.end(), [&](const anatomy::IcsBand& b) { return b.number == n.ics; });
    if (band == lm.ics.end()) {
      out.not_mapped = ics_missing_reason(n.ics, lm);
    } else if (band->height_mm() <= 0) {
      out.not_mapped = fmt::format("ICS{} has no height (rib {} and rib {} overlap)", n.ics, n.ics, n.ics + 1);
    } else {
      const double z = band->cranial_z_mm - n.t * band->height_mm();
      const geom::Plane* plane = geom::plane_at(im_vein, z);
      const geom::Polygon* vein = plane != nullptr ? vein_component(*plane, lm.im_vein) : nullptr;
      if (vein == nullptr) {
        out.not_mapped = fmt::format("no IM vein plane at the node's level in ICS{} (the vein does not reach it)", n.ics);
      } else {
        geom::Point2 c{0, 0};
        bg::centroid(*vein, c);
        const double a = n.angle_deg * std::numbers::pi / 180;
        const double dx = sign * std::cos(a), dy = std::sin(a);
        if (const auto wall = ray_to_wall(vein->outer(), c, dx, dy)) {
          const double r = *wall + n.wall_distance_mm;
          out.position = geom::Point3{c.x() + r * dx, c.y() + r * dy, z};
        } else {
          out.not_mapped = fmt::format("the IM vein's centre lies outside its region in ICS{} (no wall along the ray)", n.ics);
        }
      }
    }
    if (out.position) {
      ++m.mapped;
    } else {
      ++m.unmapped;
      ++failures[{n.ics, out.not_mapped}];
    }
    m.nodes.push_back(std::move(out));
  }
  for (const auto& [key, count] : failures) {
    m.notes.push_back(fmt::format("{} nodes of ICS{} not mapped: {}", count, key.first, key.second));
  }
  return m;
}

AtlasCoverage atlas_coverage(const AtlasMapping& mapping, const geom::Structure& ctv, const AtlasParameters& p) {
  AtlasCoverage c;
  c.nodes = mapping.nodes.size();
  c.mapped = mapping.mapped;
  if (!mapping.not_evaluable.empty()) {
    c.not_evaluable = "the atlas could not be mapped: " + mapping.not_evaluable;
    return c;
  }
  if (ctv.planes.empty()) {
    c.not_evaluable = "the CTV has no contoured plane";
    return c;
  }
  std::map<int, IcsCoverage> per;
  for (const auto& [ics, share] : p.primary.shares) per[ics].ics = ics;
  for (const auto& mn : mapping.nodes) {
    IcsCoverage& e = per[mn.node.ics];
    e.ics = mn.node.ics;
    ++e.nodes;
    if (!mn.position) {
      ++e.unmapped;
    } else if (geom::contains(ctv, *mn.position)) {
      ++e.covered;
      ++c.covered;
    }
  }
  for (auto& [ics, e] : per) {
    const std::size_t mapped = e.nodes - e.unmapped;
    if (mapped > 0) e.covered_share = static_cast<double>(e.covered) / static_cast<double>(mapped);
    c.per_ics.push_back(e);
  }

  // Covered share under one ICS distribution: an ICS without a mapped node counts as uncovered.
  const auto covered_under = [&](const IcsDistribution& d) {
    double total = 0, covered = 0;
    for (const auto& [ics, share] : d.shares) {
      total += share;
      const auto it = per.find(ics);
      if (it != per.end() && it->second.covered_share) covered += share * *it->second.covered_share;
    }
    return total > 0 ? covered / total : 0.0;
  };
  for (const auto& [ics, share] : p.primary.shares) {
    if (share > 0 && !per[ics].covered_share) {
      c.notes.push_back(fmt::format("ICS{} ({:.1f}% of nodes, {}) has no mapped node: counted as uncovered", ics,
                                    100 * share, p.primary.id));
    }
  }
  c.covered_share = covered_under(p.primary);
  c.uncovered.value = 1 - *c.covered_share;
  c.uncovered.lo = c.uncovered.hi = *c.uncovered.value;
  for (const auto& alt : p.alternatives) {
    const double u = 1 - covered_under(alt);
    c.uncovered.lo = std::min(c.uncovered.lo, u);
    c.uncovered.hi = std::max(c.uncovered.hi, u);
    c.notes.push_back(fmt::format("uncovered {:.1f}% under the ICS distribution {} ({})", 100 * u, alt.id, alt.source));
  }
  c.notes.insert(c.notes.begin(), fmt::format("uncovered {:.1f}% under the primary ICS distribution {} ({})",
                                              100 * *c.uncovered.value, p.primary.id, p.primary.source));
  return c;
}

}  // namespace rtaudit::miss
