#pragma once
// The population atlas of IMN positions (atlases/imn-nodes/, docs/node-atlas.md), in a
// landmark-relative frame, and its mapping into one patient.
//
// A node is stored as: the intercostal space it lies in (ICS n, between rib n and rib n+1), its
// position within the band (t = 0 at the band's cranial limit, 1 at its caudal limit), the direction
// from the IM vein centre in the axial plane (angle_deg: 0 = lateral, 90 = dorsal (+y), -90 =
// ventral, 180 = medial; mirrored for the right side) and its distance from the vein wall along that
// direction (mm). The parameters (atlases/imn-nodes/parameters.xml) are the published distributions
// of DOMAIN.md section 3 with their sources: per-ICS shares (Wang X 2019) and the distance-from-vein
// coverage (Wang Y 2019: 5 / 6 / 7 mm cover 75.9 / 89.2 / 92.3 %); whatever the sources do not give
// (position within the band, the angle, the tail beyond 7 mm) is a documented assumption of the file.
// generate_atlas() is deterministic (quasi-random Halton points through the inverse CDFs): the
// committed atlases/imn-nodes/nodes.csv is its output, checked by a test.
//
// Mapping into a patient needs its ICS bands (anatomy::Landmarks::ics) and the treated-side IM vein
// structure: z = band.cranial - t * height; the vein plane nearest z (within half a slab) gives the
// centre (area centroid of the component nearest the centreline) and the wall along the direction
// (ray cast on the region); the node is placed `wall_distance_mm` beyond the wall. A node whose ICS
// was not found, or whose z has no vein plane, is not mapped and counted with the reason.

#include "rtaudit/anatomy/landmarks.hpp"
#include "rtaudit/geom/structure.hpp"
#include "rtaudit/geom/types.hpp"
#include "rtaudit/miss/probability.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtaudit::miss {

struct AtlasNode {
  int id = 0;
  int ics = 0;
  double t = 0.5;
  double angle_deg = 0;
  double wall_distance_mm = 0;
};

/// An ICS distribution from one source (shares sum to 1 over the listed spaces).
struct IcsDistribution {
  std::string id, source, note;
  std::vector<std::pair<int, double>> shares;  ///< (ICS, share)
};

struct AtlasParameters {
  std::string id, version, file;
  int node_count = 10000;
  IcsDistribution primary;                     ///< drives the generation (Wang X 2019 sentinel nodes)
  std::vector<IcsDistribution> alternatives;   ///< other sources: the range of the uncovered share
  /// Piecewise-linear CDF of the distance from the vein wall (mm, cumulative fraction), ascending,
  /// starting at (0, 0) and ending at 1.
  std::vector<std::pair<double, double>> wall_distance_cdf;
  std::string wall_distance_source;
  /// Angle: medial or lateral with probability `lateral_share` for lateral, then uniform within
  /// +/- angle_half_width_deg of the horizontal (documented assumption).
  double lateral_share = 0.5;
  double angle_half_width_deg = 30;
  std::string angle_source, position_source;
  std::vector<std::string> sources;            ///< every citation of the file
};

struct AtlasParametersLoad {
  std::optional<AtlasParameters> parameters;
  std::string error;
};
[[nodiscard]] AtlasParametersLoad load_atlas_parameters(const std::string& path);

/// Deterministic: the same parameters give the same nodes, bit for bit.
[[nodiscard]] std::vector<AtlasNode> generate_atlas(const AtlasParameters& parameters);

/// CSV of nodes (header: id,ics,t,angle_deg,wall_distance_mm), values to 6 decimals, with a
/// leading comment line naming the parameters file and version.
[[nodiscard]] std::string atlas_to_csv(const std::vector<AtlasNode>& nodes, const AtlasParameters& parameters);
struct AtlasRead {
  std::vector<AtlasNode> nodes;
  std::vector<std::string> problems;  ///< "line N: ..." for rows not read
};
[[nodiscard]] AtlasRead parse_atlas_csv(std::string_view text);

struct MappedNode {
  AtlasNode node;
  std::optional<geom::Point3> position;  ///< patient coordinates
  std::string not_mapped;                ///< why, when position is empty
};

struct AtlasMapping {
  std::vector<MappedNode> nodes;
  std::size_t mapped = 0, unmapped = 0;
  std::vector<std::string> notes;        ///< e.g. "412 nodes of ICS5 not mapped: ICS5 not found (rib 6 not contoured)"
  std::string not_evaluable;             ///< the whole mapping failed (no side, no ICS, no vein)
};
[[nodiscard]] AtlasMapping map_atlas(const std::vector<AtlasNode>& nodes, const anatomy::Landmarks& landmarks,
                                     const geom::Structure& im_vein);

struct IcsCoverage {
  int ics = 0;
  std::size_t nodes = 0, covered = 0, unmapped = 0;
  std::optional<double> covered_share;   ///< covered / mapped nodes of the ICS
};

struct AtlasCoverage {
  std::vector<IcsCoverage> per_ics;      ///< ascending ICS
  std::size_t nodes = 0, mapped = 0, covered = 0;
  /// Share of likely node positions the CTV covers: sum over ICS of primary share x covered share
  /// (an ICS with no mapped node counts as uncovered, said in notes).
  std::optional<double> covered_share;
  /// 1 - covered share, value from the primary distribution, bounds over the primary and the
  /// alternatives (each reweighting the per-ICS covered shares).
  Probability uncovered;
  std::vector<std::string> notes;
  std::string not_evaluable;
};
/// Coverage of a CTV (node centre inside the slab-model solid, geom::contains).
[[nodiscard]] AtlasCoverage atlas_coverage(const AtlasMapping& mapping, const geom::Structure& ctv,
                                           const AtlasParameters& parameters);

}  // namespace rtaudit::miss
