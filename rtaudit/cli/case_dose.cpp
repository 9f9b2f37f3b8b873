#include "rtaudit/cli/case_dose.hpp"

#include "rtaudit/dicom/rtdose_reader.hpp"
#include "rtaudit/dicom/rtplan_reader.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace rtaudit::cli {
namespace {

namespace fs = std::filesystem;

std::string short_name(const fs::path& root, const std::string& file) {
  std::error_code ec;
  const fs::path rel = fs::path(file).lexically_relative(root);
  if (!rel.empty() && *rel.begin() != "..") return rel.generic_string();
  return fs::path(file).filename().string();
}

std::string grid_text(const dose::DoseVolume& v) {
  return fmt::format("{} x {} x {} voxels, {:.3g} x {:.3g} mm in-plane", v.nx, v.ny, v.nz(), v.dx_mm, v.dy_mm);
}

}  // namespace

std::optional<dose::DoseVolume> read_dose_files(const std::vector<std::string>& files, std::string& description,
                                                std::string& error, std::vector<std::string>& warnings) {
  std::vector<DoseGrid> grids;
  for (const auto& f : files) {
    dicom::RtDoseRead r = dicom::read_rtdose(f);
    for (const auto& w : r.warnings) warnings.push_back(w);  // the reader names the file
    if (!r.dose) {
      error = r.error.empty() ? fmt::format("{}: not readable as RTDOSE", f) : r.error;
      return std::nullopt;
    }
    grids.push_back(std::move(*r.dose));
  }
  if (grids.empty()) {
    error = "no RTDOSE given";
    return std::nullopt;
  }
  dose::DoseVolumeResult v = grids.size() == 1 ? dose::to_dose_volume(grids.front()) : dose::sum_doses(grids);
  for (const auto& n : v.notes) warnings.push_back(n);
  if (!v.volume) {
    error = v.error;
    return std::nullopt;
  }
  description = grids.size() == 1
                    ? fmt::format("{} ({}, {})", fs::path(files.front()).filename().string(), grids.front().dose_summation_type, grid_text(*v.volume))
                    : fmt::format("sum of {} RTDOSE objects ({})", grids.size(), grid_text(*v.volume));
  return std::move(v.volume);
}

CaseDose load_case_dose(const dicom::InspectReport& scan, const StructureSet& set,
                        const std::vector<std::string>& dose_files, bool no_dose) {
  CaseDose out;
  const auto& objects = scan.inventory.objects;

  // ---- The plan: the one referencing this structure set; else the only plan of its frame.
  std::vector<std::pair<Plan, std::string>> plans;
  std::vector<std::string> plan_positions;
  for (const auto& o : objects) {
    if (o.kind != ObjectKind::RTPLAN) continue;
    dicom::RtPlanRead r = dicom::read_rtplan(o.file);
    const std::string name = short_name(scan.root, o.file);
    for (const auto& w : r.warnings) out.warnings.push_back(w);  // the reader names the file
    if (!r.plan) {
      out.warnings.push_back(fmt::format("RTPLAN {} not used: {}", name, r.error));
      continue;
    }
    const std::string for_uid = !r.frame_of_reference_uid.empty() ? r.frame_of_reference_uid : o.frame_of_reference_uid;
    if (r.plan->referenced_structure_set_uid != set.sop_instance_uid &&
        (!for_uid.empty() && for_uid != set.frame_of_reference_uid)) {
      out.warnings.push_back(fmt::format("RTPLAN {} not used: another frame of reference than the structure set", name));
      continue;
    }
    plans.emplace_back(std::move(*r.plan), o.file);
    plan_positions.push_back(r.patient_position.empty() ? o.patient_position : r.patient_position);
  }
  std::optional<std::size_t> chosen;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    if (plans[i].first.referenced_structure_set_uid == set.sop_instance_uid) {
      if (chosen) {
        out.warnings.push_back(fmt::format("RTPLAN {} not used: {} references the same structure set and came first",
                                           short_name(scan.root, plans[i].second), short_name(scan.root, plans[*chosen].second)));
        continue;
      }
      chosen = i;
    }
  }
  if (!chosen && plans.size() == 1) {
    chosen = 0;
    out.warnings.push_back(fmt::format("RTPLAN {} does not reference the audited structure set; used as the only plan of its frame of reference",
                                       short_name(scan.root, plans[0].second)));
  } else if (!chosen && plans.size() > 1) {
    out.warnings.push_back(fmt::format("{} RTPLANs and none references the audited structure set: none used", plans.size()));
  }
  if (chosen) {
    out.plan = plans[*chosen].first;
    out.plan_file = short_name(scan.root, plans[*chosen].second);
    if (!plan_positions[*chosen].empty()) out.patient_position = plan_positions[*chosen];
    for (std::size_t i = 0; i < plans.size(); ++i) {
      if (i != *chosen && plans[i].first.referenced_structure_set_uid != set.sop_instance_uid)
        out.warnings.push_back(fmt::format("RTPLAN {} not used: does not reference the audited structure set", short_name(scan.root, plans[i].second)));
    }
  }
  if (no_dose) return out;

  // ---- The dose.
  if (!dose_files.empty()) {
    std::string error;
    out.dose = read_dose_files(dose_files, out.dose_description, error, out.warnings);
    if (!out.dose) out.warnings.push_back(fmt::format("--dose not used: {}", error));
    else out.dose_files = dose_files;
    return out;
  }
  struct Candidate {
    DoseGrid grid;
    std::string file;
  };
  std::vector<Candidate> doses;
  for (const auto& o : objects) {
    if (o.kind != ObjectKind::RTDOSE) continue;
    const std::string name = short_name(scan.root, o.file);
    if (!o.frame_of_reference_uid.empty() && o.frame_of_reference_uid != set.frame_of_reference_uid) {
      out.warnings.push_back(fmt::format("RTDOSE {} not used: another frame of reference than the structure set", name));
      continue;
    }
    dicom::RtDoseRead r = dicom::read_rtdose(o.file);
    for (const auto& w : r.warnings) out.warnings.push_back(w);  // the reader names the file
    if (!r.dose) {
      out.warnings.push_back(fmt::format("RTDOSE {} not used: {}", name, r.error));
      continue;
    }
    if (r.dose->dose_units != "GY") {
      out.warnings.push_back(fmt::format("RTDOSE {} not used: DoseUnits {} (only GY can give dose metrics)", name, r.dose->dose_units));
      continue;
    }
    if (out.plan && !r.dose->referenced_plan_uid.empty() && r.dose->referenced_plan_uid != out.plan->sop_instance_uid) {
      out.warnings.push_back(fmt::format("RTDOSE {} not used: references another RTPLAN than the audited one", name));
      continue;
    }
    doses.push_back({std::move(*r.dose), o.file});
  }
  if (doses.empty()) return out;
  std::vector<const Candidate*> plan_doses, parts;
  for (const auto& c : doses) {
    if (c.grid.dose_summation_type == "PLAN" || c.grid.dose_summation_type == "MULTI_PLAN") plan_doses.push_back(&c);
    else parts.push_back(&c);
  }
  std::vector<const Candidate*> use;
  if (!plan_doses.empty()) {
    use.push_back(plan_doses.front());
    for (std::size_t i = 1; i < plan_doses.size(); ++i)
      out.warnings.push_back(fmt::format("RTDOSE {} not used: a second whole-plan dose ({} is used)",
                                         short_name(scan.root, plan_doses[i]->file), short_name(scan.root, plan_doses[0]->file)));
    for (const auto* p : parts)
      out.warnings.push_back(fmt::format("RTDOSE {} not used: a {} dose of the plan whose whole-plan dose is used",
                                         short_name(scan.root, p->file), p->grid.dose_summation_type));
  } else {
    use = parts;
  }
  std::vector<DoseGrid> grids;
  for (const auto* c : use) {
    grids.push_back(c->grid);
    out.dose_files.push_back(short_name(scan.root, c->file));
  }
  dose::DoseVolumeResult v = grids.size() == 1 ? dose::to_dose_volume(grids.front()) : dose::sum_doses(grids);
  for (const auto& n : v.notes) out.warnings.push_back(n);
  if (!v.volume) {
    out.warnings.push_back(fmt::format("RTDOSE not used: {}", v.error));
    out.dose_files.clear();
    return out;
  }
  out.dose_description = grids.size() == 1
                             ? fmt::format("{} ({}, {})", out.dose_files.front(), grids.front().dose_summation_type, grid_text(*v.volume))
                             : fmt::format("sum of {} {} doses ({})", grids.size(), grids.front().dose_summation_type, grid_text(*v.volume));
  out.dose = std::move(v.volume);
  return out;
}

}  // namespace rtaudit::cli
