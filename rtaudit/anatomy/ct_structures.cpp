#include "rtaudit/anatomy/ct_structures.hpp"

#include "rtaudit/geom/region_ops.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace rtaudit::anatomy {
namespace {

constexpr double kRibEndWidthMm = 15, kRibEndDepthMm = 10;
constexpr int kDiscVertices = 48;
constexpr double kSternumConfidence = 0.9;  ///< bone against fat and lung: the clearest contrast in a CT

void finish(geom::Structure& s, double slab_mm) {
  s.slab_mm = slab_mm;
  std::sort(s.planes.begin(), s.planes.end(), [](const geom::Plane& a, const geom::Plane& b) { return a.z_mm < b.z_mm; });
  for (auto& p : s.planes) p.area_mm2 = geom::ops::area(p.region);
}

const SternumSlice* nearest(const std::vector<SternumSlice>& sternum, double z) {
  const SternumSlice* best = nullptr;
  for (const auto& s : sternum) {
    if (best == nullptr || std::abs(s.z_mm - z) < std::abs(best->z_mm - z)) best = &s;
  }
  return best;
}

}  // namespace

std::vector<FoundStructure> ct_landmark_structures(const CtBoneLandmarks& found) {
  std::vector<FoundStructure> out;
  if (!found.thorax || found.sternum.empty() || !(found.slice_spacing_mm > 0)) return out;
  const double slab = found.slice_spacing_mm;
  {
    FoundStructure f{{"sternum", Side::None, ""}, "CT_Sternum", "sternum",
                     fmt::format("sternum found in the CT on {} slices (its lateral edges and depth per slice)", found.sternum.size()),
                     {Origin::Ct, kSternumConfidence}, {}};
    for (const auto& p : found.sternum) {
      f.structure.planes.push_back({p.z_mm, geom::ops::box(p.right_x_mm, p.ventral_y_mm, p.left_x_mm, p.dorsal_y_mm), 0, {}});
    }
    finish(f.structure, slab);
    out.push_back(std::move(f));
  }
  for (const int side : {+1, -1}) {
    const Side s = side > 0 ? Side::Left : Side::Right;
    const char* sfx = side > 0 ? "L" : "R";
    for (const auto& r : side > 0 ? found.ribs_left : found.ribs_right) {
      FoundStructure f{{fmt::format("rib{}", r.rib), s, ""}, fmt::format("CT_Rib{:02d}_{}", r.rib, sfx), "rib",
                       fmt::format("sternal end of the {} rib {} found in the CT (z {:.1f} to {:.1f} mm{})", side > 0 ? "left" : "right", r.rib,
                                   r.caudal_z_mm, r.cranial_z_mm, r.note.empty() ? "" : "; " + r.note),
                       {Origin::Ct, r.confidence}, {}};
      // One plane per slice of its z-range (slab centres), beside the nearest sternum slice's edge.
      for (double z = r.cranial_z_mm - slab / 2; z > r.caudal_z_mm; z -= slab) {
        const SternumSlice* st = nearest(found.sternum, z);
        const double edge = side > 0 ? st->left_x_mm : st->right_x_mm, mid = (st->ventral_y_mm + st->dorsal_y_mm) / 2;
        const double x0 = std::min(edge, edge + side * kRibEndWidthMm), x1 = std::max(edge, edge + side * kRibEndWidthMm);
        f.structure.planes.push_back({z, geom::ops::box(x0, mid - kRibEndDepthMm / 2, x1, mid + kRibEndDepthMm / 2), 0, {}});
      }
      finish(f.structure, slab);
      if (!f.structure.planes.empty()) out.push_back(std::move(f));
    }
    const ImVessels& v = side > 0 ? found.vessels_left : found.vessels_right;
    for (const auto& [role, vessel, kind, points] :
         {std::tuple{"im_vein", "V_Mammary", "vein", &v.vein}, std::tuple{"im_artery", "A_Mammary", "artery", &v.artery}}) {
      if (points->empty()) continue;
      std::size_t estimated = 0;
      double confidence = 0;
      for (const auto& p : *points) {
        estimated += p.origin == VesselPoint::Origin::Estimated ? 1 : 0;
        confidence += p.confidence;
      }
      confidence /= static_cast<double>(points->size());
      // The vein decides for both lines whether the side's vessels are estimated (ct_bone.hpp); an
      // artery with most of its points estimated is estimated too.
      const bool is_estimate = v.estimated || 2 * estimated > points->size();
      FoundStructure f{{role, s, ""}, fmt::format("CT_{}_{}{}", vessel, sfx, is_estimate ? "_est" : ""), kind,
                       is_estimate ? fmt::format("{} IM {} ESTIMATED at the published mean offset from the sternal edge (AJR 1990;155:397-400)",
                                                 side > 0 ? "left" : "right", kind)
                                   : fmt::format("{} IM {} found in the CT on {} of {} slices (the others interpolated or estimated)",
                                                 side > 0 ? "left" : "right", kind, points->size() - estimated, points->size()),
                       {is_estimate ? Origin::Estimated : Origin::Ct, confidence}, {}};
      for (const auto& p : *points) {
        f.structure.planes.push_back({p.z_mm, geom::ops::ellipse(p.x_mm, p.y_mm, p.radius_mm, p.radius_mm, kDiscVertices), 0, {}});
      }
      finish(f.structure, slab);
      out.push_back(std::move(f));
    }
  }
  return out;
}

CtSupplement add_ct_landmarks(StructureMap contoured, const std::vector<FoundStructure>& found, bool use_estimated) {
  CtSupplement out;
  out.map = std::move(contoured);
  int next = -1;
  for (const auto& f : found) {
    CtLandmarkUse u{f.name, f.key, f.provenance, false, 0, ""};
    const BoundStructure* drawn = find_structure(out.map, f.key.role, f.key.side);
    if (drawn != nullptr) {
      u.why = fmt::format("{} is contoured: the contour wins", roi_label(*drawn));
    } else if (f.provenance.origin == Origin::Estimated && !use_estimated) {
      u.why = "an estimate, and estimated landmarks are turned off (--no-estimated-landmarks)";
    } else {
      BoundStructure b;
      b.roi_number = next--;
      b.roi_name = f.name;
      b.structure = f.structure;
      b.provenance = f.provenance;
      u.used = true;
      u.roi_number = b.roi_number;
      out.map[f.key] = std::move(b);
    }
    out.uses.push_back(std::move(u));
  }
  return out;
}

}  // namespace rtaudit::anatomy
