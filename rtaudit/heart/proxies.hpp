#pragma once
// Geometric proxies of heart dose (DOMAIN.md section 5; docs/heart.md): what can be said of the
// heart's exposure without a dose grid. Pure computation on structures and the plan.
//
//  * Minimum 3-D distance between two structures' solids (slab model): 0 when they overlap (then
//    the overlap volume is given), else the exact distance between their closed surfaces (AABB tree
//    queries of one surface's vertices and dense samples against the other, both ways).
//  * Overlap-volume histogram (OVH, Kazhdan et al. 2009): the organ's volume (cc and % of the
//    organ) within d mm of the PTV for d = 0..30 mm (d = 0: inside the PTV), from the organ's exact
//    partial-volume pieces (dose/dvh.hpp's coverage) and their signed distance to the PTV surface.
//  * Beam's-eye view, per beam of an RTPLAN: rays from the source through a regular BEV grid on the
//    isocentre plane against the heart's (LAD's, lung's) surface: heart area in the aperture
//    (isocentre plane, cm²), heart volume in the divergent field (cc), and for tangential beams the
//    maximum heart distance (MHD: the greatest extent of heart inside the field measured in the BEV
//    from the posterior field edge, mm at the isocentre plane) and the central lung distance (CLD:
//    the same for the lung on the central-axis row of the BEV).

#include "rtaudit/case/plan.hpp"
#include "rtaudit/geom/structure.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rtaudit::heart {

/// A structure with the label reports show (ROI name and number).
struct LabelledStructure {
  std::string label;
  const geom::Structure* structure = nullptr;
};

struct MinDistance {
  std::string from, to;
  std::optional<double> distance_mm;  ///< 0 when overlapping
  bool overlapping = false;
  double overlap_cc = 0;
  std::string reason;  ///< when not evaluable
};

struct OverlapVolumeHistogram {
  std::string ptv, organ;
  std::vector<double> distance_mm;  ///< 0, 1, ..., 30
  std::vector<double> volume_cc;    ///< organ volume within distance_mm[i] of the PTV (cumulative)
  std::vector<double> volume_pct;   ///< the same as a share of the organ volume
  double organ_volume_cc = 0;
};

struct BeamProxy {
  int beam_number = 0;
  std::string beam_name;
  double gantry_deg = 0;
  /// Tangential: the central axis within 45 degrees of the patient's left-right axis (a breast
  /// tangent); MHD and CLD are given for tangential beams only.
  bool tangential = false;
  std::optional<double> heart_area_cm2;        ///< heart projection inside the aperture, isocentre plane
  std::optional<double> heart_volume_in_field_cc;
  std::optional<double> lad_area_cm2;
  std::optional<double> lad_volume_in_field_cc;
  std::optional<double> max_heart_distance_mm;   ///< 0 when no heart is in the field
  std::optional<double> central_lung_distance_mm;
  std::string posterior_edge;  ///< "X1" or "X2": the jaw taken as the posterior field edge
  std::vector<std::string> notes;
};

struct ProxyInputs {
  const geom::Structure* heart = nullptr;
  const geom::Structure* lad = nullptr;
  const geom::Structure* ipsilateral_lung = nullptr;
  LabelledStructure ctvn_imn;             ///< may be empty
  std::vector<LabelledStructure> ptvs;    ///< every PTV of the plan
  const Plan* plan = nullptr;             ///< for the beam's-eye-view proxies; may be null
  std::string patient_position = "HFS";   ///< only HFS beam geometry is supported (others: noted)
};

struct ProxyOptions {
  double ovh_max_mm = 30;
  double ovh_step_mm = 1;
  double bev_pixel_mm = 2.0;          ///< BEV ray grid spacing on the isocentre plane (MHD and CLD are refined by bisection)
  double volume_sample_mm = 2.0;      ///< partial-volume piece size for OVH and in-field volumes (exact volumes; the distance is taken at the piece centroid)
  double surface_sample_density_per_mm2 = 0.25;  ///< for minimum distances (vertex-face pairs are exact regardless)
};

struct HeartProxies {
  std::vector<MinDistance> distances;            ///< CTVn_IMN and each PTV to the heart and to the LAD
  std::vector<OverlapVolumeHistogram> ovh;       ///< heart and LAD against each PTV
  std::vector<BeamProxy> beams;                  ///< empty without a plan
  std::vector<std::string> notes;                ///< what could not be evaluated and why
};

[[nodiscard]] HeartProxies compute_proxies(const ProxyInputs& in, const ProxyOptions& options = {});

/// The minimum distance between two structures (see the header comment).
[[nodiscard]] MinDistance min_distance(const LabelledStructure& a, const LabelledStructure& b,
                                       double sample_density_per_mm2 = 1.0);

/// The proxies a calibration model may use, by name: "mhd_mm" (largest MHD over tangential beams),
/// "heart_in_field_cc" (sum over beams), "heart_area_cm2" (sum over beams), "ctv_heart_distance_mm",
/// "ptv_heart_distance_mm" (smallest over PTVs), "heart_within_10mm_cc", "heart_within_20mm_cc"
/// (largest over PTVs), "cld_mm" (largest over tangential beams). A proxy that could not be
/// evaluated is absent.
[[nodiscard]] std::vector<std::pair<std::string, double>> named_proxies(const HeartProxies& p);

}  // namespace rtaudit::heart
