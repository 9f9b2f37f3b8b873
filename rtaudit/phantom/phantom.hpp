#pragma once
// The synthetic thorax patient: CT, structure set, planted recurrences and the ground truth, made
// from the atlas and a seed. Pure function of its inputs (no files, clocks or globals): the same
// options give identical values, UIDs included. Writers (dicom/) turn it into DICOM files.

#include "rtaudit/case/image_volume.hpp"
#include "rtaudit/case/structure_set.hpp"
#include "rtaudit/case/study.hpp"
#include "rtaudit/geom/types.hpp"
#include "rtaudit/phantom/anatomy.hpp"
#include "rtaudit/phantom/atlas.hpp"
#include "rtaudit/phantom/side.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rtaudit::phantom {

struct PhantomOptions {
  std::uint64_t seed = 1;
  Side side = Side::Left;          ///< treated side (the `right-side` variant forces Right)
  std::string variant = "estro";   ///< one of phantom_variants()
  bool contrast = false;           ///< contrast-enhanced vessels and heart
  /// The IM vessels drawn as fat in the CT (still contoured unless the variant omits them): a CT in
  /// which they cannot be seen, for the "estimated" path of the landmarks from the CT (issue 8).
  bool hide_im_vessels = false;
  std::string institution = "rtaudit Demo Hospital";
  std::string department = "Radiation Oncology";
  std::string planner = "PHANTOM^PLANNER";
  std::string date = "20240102";   ///< DICOM DA of the study, structure set and plan
  std::string time = "090000";     ///< DICOM TM
};

struct PlantedRecurrence {
  std::string id;
  std::string kind = "recurrence";
  geom::Point3 position_mm;
  double radius_mm = 0;
  std::string site;         ///< e.g. "IMN ICS2 left"
  std::string true_status;  ///< vs the clinician's CTVn_IMN: "inside", "marginal" (centre outside, within radius) or "outside"
  std::string note;
};

/// The CT grid every phantom uses (1 mm pixels, 2.5 mm slices, first slice most caudal).
struct PhantomCtGeometry {
  int columns = 400;
  int rows = 320;
  int slices = 105;
  double x0_mm = -199.5;  ///< centre of column 0
  double y0_mm = -189.5;  ///< centre of row 0
  double z0_mm = -212.5;  ///< first (most caudal) slice
  double pixel_mm = 1.0;
  double slice_mm = 2.5;
  [[nodiscard]] double z(int k) const { return z0_mm + slice_mm * k; }
};
inline constexpr PhantomCtGeometry kPhantomCt{};

struct PhantomCase {
  StudyIdentity identity;
  ImageVolume ct;
  /// Structure set; referenced_series_uid is the CT series UID (also in truth["uids"]).
  StructureSet structures;
  std::vector<PlantedRecurrence> recurrences;
  nlohmann::json truth;  ///< documented in docs/phantom.md
};

/// The variant names make_phantom accepts.
[[nodiscard]] std::span<const std::string_view> phantom_variants();
[[nodiscard]] bool is_phantom_variant(std::string_view name);

/// Builds the patient. Throws std::invalid_argument for an unknown variant (check with
/// is_phantom_variant first when the name comes from a user).
[[nodiscard]] PhantomCase make_phantom(const ThoraxAtlas& atlas, const PhantomOptions& options);

/// Deterministic DICOM UID (case/uid.hpp: "2.25." + 128 bits of SHA-256) of a key made of the parts given.
[[nodiscard]] std::string phantom_uid(std::string_view what, std::uint64_t seed, std::string_view variant,
                                      Side side, bool contrast);

}  // namespace rtaudit::phantom
