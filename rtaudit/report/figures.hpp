#pragma once
// The HTML report's figures (issue 7), drawn as SVG from the structures' exact plane model and from
// report.json: an axial view per intercostal space, a coronal and a sagittal view with the cranial
// and caudal borders against the rib levels, the recurrence map, the DVH and the overlap-volume
// histogram. Pure: structures and the report document in, SVG strings out.

#include "rtaudit/geom/structure.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace rtaudit::report {

/// What a structure is in the figures; decides its style and whether it frames the views.
enum class LayerKind { Clinical, Reference, Vessel, Bone, Rib, Organ };  ///< ribs are left out of the projections (the rib bands show them)

/// One structure drawn in the anatomical views.
struct Layer {
  std::string label;   ///< from DICOM (ROI name) or rtaudit ("ESTRO-2015 reference"): escaped when drawn
  std::string colour;  ///< CSS colour chosen by rtaudit
  LayerKind kind = LayerKind::Organ;
  const geom::Structure* structure = nullptr;  ///< not owned; may be null (then not drawn)
};

struct Figure {
  std::string id;       ///< stable, e.g. "axial-ics2", "coronal", "dvh"
  std::string title;
  std::string caption;  ///< conventions and what is shown; plain text
  std::string svg;      ///< a complete <svg> element
  bool has_content = false;  ///< false: the figure says why it is empty (e.g. no dose)
};

/// The colour rtaudit gives the i-th reference CTV in the figures (the export's palette order).
[[nodiscard]] std::string reference_colour(std::size_t index);

/// Axial, coronal, sagittal and recurrence-map figures. `report` is the report.json document (for the
/// intercostal spaces, rib levels, treated side and points of interest).
[[nodiscard]] std::vector<Figure> anatomy_figures(const std::vector<Layer>& layers, const nlohmann::ordered_json& report);

/// DVH (heart, LAD, CTVs, PTVs) and OVH figures from report.json's heart member.
[[nodiscard]] std::vector<Figure> dose_figures(const nlohmann::ordered_json& report);

}  // namespace rtaudit::report
