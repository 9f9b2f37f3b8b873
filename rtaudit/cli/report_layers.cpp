#include "rtaudit/cli/report_layers.hpp"

#include <fmt/format.h>

#include <string>

namespace rtaudit::cli {

std::vector<report::Layer> report_layers(const anatomy::StructureMap& map, const audit::AuditResult& result,
                                         std::optional<anatomy::Side> treated) {
  std::vector<report::Layer> layers;
  const auto add = [&](const anatomy::BoundStructure* b, std::string colour, report::LayerKind kind) {
    if (b == nullptr) return;
    layers.push_back({anatomy::roi_label(*b), std::move(colour), kind, &b->structure});
  };
  for (const auto& [key, b] : map) {
    if (result.clinical_roi_number != 0 && b.roi_number == result.clinical_roi_number && key.derivation.empty()) {
      layers.push_back({"clinical " + anatomy::roi_label(b), "#d62728", report::LayerKind::Clinical, &b.structure});
      break;
    }
  }
  for (std::size_t i = 0; i < result.guidelines.size(); ++i) {
    const auto& g = result.guidelines[i];
    if (!g.reference.structure) continue;
    layers.push_back({fmt::format("{} reference {}", g.guideline_id, g.reference.name), report::reference_colour(i),
                      report::LayerKind::Reference, &*g.reference.structure});
  }
  if (treated) {
    const anatomy::Side side = *treated, other = anatomy::opposite(*treated);
    add(anatomy::find_structure(map, "im_vein", side), "#1f4e9c", report::LayerKind::Vessel);
    add(anatomy::find_structure(map, "im_artery", side), "#c2185b", report::LayerKind::Vessel);
    for (int n = 1; n <= 6; ++n) {
      add(anatomy::find_structure(map, fmt::format("rib{}", n), side), "#8d7b5a", report::LayerKind::Rib);
      add(anatomy::find_structure(map, fmt::format("rib{}", n), other), "#8d7b5a", report::LayerKind::Rib);
    }
    add(anatomy::find_structure(map, "lung", side), "#4393c3", report::LayerKind::Organ);
    const auto* contra = anatomy::find_structure(map, "lung", other);
    if (contra != anatomy::find_structure(map, "lung", side)) add(contra, "#92c5de", report::LayerKind::Organ);
  }
  add(anatomy::find_structure(map, "sternum", anatomy::Side::None), "#7a7a7a", report::LayerKind::Bone);
  add(anatomy::find_structure(map, "manubrium", anatomy::Side::None), "#7a7a7a", report::LayerKind::Bone);
  add(anatomy::find_structure(map, "heart", anatomy::Side::None), "#b2182b", report::LayerKind::Organ);
  add(anatomy::find_structure(map, "lad", anatomy::Side::None), "#e08214", report::LayerKind::Organ);
  return layers;
}

}  // namespace rtaudit::cli
