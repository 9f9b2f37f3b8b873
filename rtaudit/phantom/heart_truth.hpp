#pragma once
// The phantom's answers for the heart (truth.json "heart"), computed independently of rtaudit's dose
// and heart modules so that they can check them (docs/phantom.md):
//  * DVH metrics: the CONTINUOUS analytic dose (DoseModel::dose_gy, not the RTDOSE grid) at the
//    points of a fine regular lattice inside the structure (geom::contains on the plane model) —
//    point sampling, unlike the DVH's exact partial volumes on the trilinear grid;
//  * minimum distances between slab-model solids, exactly: the solids are unions of prisms
//    region_i x [lo_i, hi_i], and the distance between two prisms is sqrt(d2(region)^2 + dz^2);
//  * maximum heart distance of each tangential beam from the heart's contour vertices (at the
//    plane and at both slab faces) projected into the beam's-eye view.
// Pure computation.

#include "rtaudit/case/plan.hpp"
#include "rtaudit/geom/structure.hpp"
#include "rtaudit/phantom/dose_model.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace rtaudit::phantom {

struct HeartTruthInputs {
  const Plan* plan = nullptr;
  const DoseModel* dose = nullptr;
  const geom::Structure* heart = nullptr;
  const geom::Structure* lad = nullptr;
  const geom::Structure* lung_ipsilateral = nullptr;
  const geom::Structure* ctvn_imn = nullptr;
  const geom::Structure* ptv_breast = nullptr;
  const geom::Structure* ptvn_imn = nullptr;
  double lattice_mm = 1.0;  ///< point spacing for the DVH truth
};

/// Point-sampled dose metrics of one structure: mean, min, max, D2%, D50%, D95%, D98%, V5, V10, V20,
/// V25 (percent) and the number of points.
[[nodiscard]] nlohmann::ordered_json sampled_dose_metrics(const DoseModel& dose, const geom::Structure& s, double lattice_mm);

/// Exact minimum distance between two slab-model solids (0 when they overlap); empty when either is empty.
[[nodiscard]] std::optional<double> solid_distance_mm(const geom::Structure& a, const geom::Structure& b);

/// Maximum heart distance of a beam from the heart's vertices in the BEV (mm, isocentre plane),
/// measured from the posterior X jaw edge; 0 when no vertex projects inside the aperture.
[[nodiscard]] double vertex_max_heart_distance_mm(const Beam& beam, const geom::Structure& heart);

[[nodiscard]] nlohmann::ordered_json heart_truth(const HeartTruthInputs& in);

}  // namespace rtaudit::phantom
