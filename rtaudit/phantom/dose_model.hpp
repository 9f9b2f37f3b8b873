#pragma once
// The phantom's analytic test dose (docs/phantom-dose.md): a documented, deterministic model of
// open photon fields shaped by jaws and MLC, with error-function penumbra, build-up, exponential
// attenuation along the ray from the body surface and inverse square. It is a TEST dose with known
// behaviour, NOT a clinical dose engine (no heterogeneity, no scatter beyond the penumbra, no
// leakage, no tissue-air interfaces).
//
// For beam b and patient point p inside the body (BEV (x, y), central-axis depth z_s from the source,
// depth d >= 0 of p below the body surface along the ray from the source):
//   R_b(p) = OAR_b(x, y) * T(d) * (SAD / z_s)^2
//   OAR_b  = the aperture's indicator (jaws and MLC, aperture_rectangles) convolved with a 2-D
//            Gaussian of standard deviation sigma on the isocentre plane (= sigma * z_s / SAD at the
//            point's own distance: the penumbra scales with divergence), i.e. for disjoint rectangles
//            sum_r [Phi((x-x0)/s) - Phi((x-x1)/s)] [Phi((y-y0)/s) - Phi((y-y1)/s)]
//   T(d)   = exp(-mu d) * (1 - (1 - f_s) exp(-d / lambda))   (build-up from f_s at the skin)
// Dose D(p) = sum_b N_b R_b(p) inside the body, 0 outside. N_b makes beam b give its beam dose at
// its dose specification point s_b: N_b = fractions * beam_dose_gy / R_b(s_b) (fallbacks when the
// plan lacks them: s_b = the isocentre, beam dose = weight * prescription / fractions).

#include "rtaudit/case/dose_grid.hpp"
#include "rtaudit/case/plan.hpp"
#include "rtaudit/geom/structure.hpp"
#include "rtaudit/plan/beam_geometry.hpp"

#include <array>
#include <cstddef>
#include <vector>

namespace rtaudit::phantom {

// The beam geometry moved to rtaudit/plan (the heart module uses it too); the phantom keeps its names.
using plan::aperture_rectangles;
using plan::beam_frame;
using plan::BeamFrame;
using plan::bev_to_patient;
using plan::BevPoint;
using plan::BevRect;
using plan::in_aperture;
using plan::in_field;
using plan::millennium120_boundaries;
using plan::project_to_bev;
using plan::ray_direction;
using plan::Vec3;

struct DoseModelParams {
  double penumbra_sigma_mm = 3.0;    ///< Gaussian sigma of the field edge on the isocentre plane
  double mu_per_mm = 0.005;          ///< effective linear attenuation
  double surface_fraction = 0.4;     ///< T(0): relative dose at the skin before build-up
  double buildup_mm = 2.0;           ///< lambda: build-up length
  double oar_map_spacing_mm = 0.5;   ///< sampling of the OAR map (bilinear lookup)
  double entry_map_spacing_mm = 2.0; ///< sampling of the body-entry distance map (per BEV ray)
};

/// Axial dose grid geometry: voxel (0, 0, 0) centred at origin; size = columns, rows, frames.
struct DoseGridSpec {
  std::array<double, 3> origin_mm{};
  std::array<double, 3> spacing_mm{2.5, 2.5, 2.5};
  std::array<int, 3> size{};
};

/// A grid of the given spacing whose voxel centres cover the box (voxel centres on a lattice of
/// the spacing anchored at the box's minimum corner).
[[nodiscard]] DoseGridSpec grid_covering(const geom::Box3& box, double spacing_mm = 2.5);

/// The precomputed model of one plan on one body: OAR and body-entry maps per beam and the beams'
/// normalisation. Immutable after construction; every query is a pure function of its inputs.
class DoseModel {
 public:
  /// Throws std::invalid_argument when a beam's dose specification point gets no dose (outside the
  /// body or the aperture) or the plan has no beam.
  DoseModel(const Plan& plan, const geom::Structure& body, const DoseModelParams& params = {});

  [[nodiscard]] std::size_t beam_count() const { return beams_.size(); }
  /// R_b(p) of the formula above (unnormalised; 1 on the central axis at SAD with full build-up and
  /// no attenuation). p is assumed inside the body.
  [[nodiscard]] double relative_response(std::size_t beam, const Vec3& p) const;
  /// N_b: Gy (whole course) per unit of R_b.
  [[nodiscard]] double normalisation(std::size_t beam) const { return beams_[beam].norm; }
  /// Whole-course dose (Gy) of each beam at p (zero outside the body), in plan beam order; their
  /// ratios to dose_gy(p) are the beams' shares of the plan dose at p.
  [[nodiscard]] std::vector<double> beam_doses_gy(const Vec3& p) const;
  /// Whole-course plan dose (Gy) at p; 0 outside the body (even-odd test on the body plane whose
  /// slab holds p.z, as geom::contains up to points exactly on the boundary).
  [[nodiscard]] double dose_gy(const Vec3& p) const;
  /// The dose on a grid (frames, rows, columns of spec); voxels whose centre is outside the body
  /// (per-plane even-odd scanline of the body region) are 0.
  [[nodiscard]] DoseGrid grid(const DoseGridSpec& spec) const;

  struct Map2 {  ///< a regular 2-D sampling of the isocentre plane
    double x0 = 0, y0 = 0, h = 1;
    int nx = 0, ny = 0;
    std::vector<double> v;  ///< index j * nx + i; NaN = no value
  };
  struct BodyPlane {
    double z = 0, lo = 0, hi = 0;  ///< plane z and the z interval it stands for
    double xmin = 0, xmax = 0, ymin = 0, ymax = 0;
    std::vector<std::array<double, 4>> edges;  ///< x0, y0, x1, y1 of every ring edge
  };

 private:
  struct BeamModel {
    BeamFrame frame;
    Map2 oar;
    Map2 entry;  ///< distance from the source along the ray to the body surface
    double norm = 0;
  };
  [[nodiscard]] double response(const BeamModel& b, const Vec3& p) const;
  [[nodiscard]] bool inside_body(const Vec3& p) const;

  DoseModelParams params_;
  std::vector<BodyPlane> planes_;
  std::vector<BeamModel> beams_;
  double prescription_gy_ = 0;
};

/// The plan dose on the grid (see DoseModel::grid).
[[nodiscard]] DoseGrid compute_dose(const Plan& plan, const geom::Structure& body, const DoseGridSpec& spec,
                                    const DoseModelParams& params = {});

/// Distance along the ray from `origin` (unit `direction`) to where it first enters the body (slab
/// model: plane region x the plane's z interval); negative when it never does. 0 when origin is inside.
[[nodiscard]] double body_entry_distance(const std::vector<DoseModel::BodyPlane>& planes, const Vec3& origin,
                                         const Vec3& direction);
/// The body's planes prepared for ray tracing and scanlines.
[[nodiscard]] std::vector<DoseModel::BodyPlane> prepare_body(const geom::Structure& body);

}  // namespace rtaudit::phantom
