// `rtaudit dvh RTSTRUCT RTDOSE... [--roi NAME] [--json]`: the DVH and metrics of any structure set's
// ROIs, for QA beyond the IMC (issue 6). Several RTDOSE objects are summed after checking their grids.
// Output goes to stdout only; nothing is written to disk. ROI names are data: printed as given.

#include "rtaudit/cli/case_dose.hpp"
#include "rtaudit/cli/commands.hpp"

#include "rtaudit/dicom/load.hpp"
#include "rtaudit/dicom/object_info.hpp"
#include "rtaudit/dicom/rtstruct_reader.hpp"
#include "rtaudit/dose/dvh.hpp"
#include "rtaudit/geom/shape_interpolation.hpp"
#include "rtaudit/geom/structure.hpp"
#include "rtaudit/report/heart_json.hpp"
#include "rtaudit/version.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>

namespace rtaudit::cli {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// ROI number first, then exact name, then ignoring case; ambiguous names are an error.
const Roi* find_roi(const StructureSet& set, const std::string& key, std::string& error) {
  int number = 0;
  const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), number);
  if (ec == std::errc{} && end == key.data() + key.size()) {
    if (auto it = set.rois.find(number); it != set.rois.end()) return &it->second;
  }
  for (const bool ignore_case : {false, true}) {
    std::vector<const Roi*> hits;
    for (const auto& [n, roi] : set.rois)
      if (ignore_case ? lower(roi.name) == lower(key) : roi.name == key) hits.push_back(&roi);
    if (hits.size() == 1) return hits.front();
    if (hits.size() > 1) {
      error = fmt::format("ROI name '{}' matches {} ROIs; give the ROI number", key, hits.size());
      return nullptr;
    }
  }
  error = fmt::format("no ROI '{}' in the structure set", key);
  return nullptr;
}

std::string fmt_num(double v, int decimals = 2) { return std::isfinite(v) ? fmt::format("{:.{}f}", v, decimals) : "-"; }

}  // namespace

int run_dvh(const DvhArgs& args, bool verbose) {
  dicom::configure_dcmtk_logging(verbose);
  const auto started = std::chrono::steady_clock::now();
  std::vector<dose::MetricSpec> extra;
  for (const auto& m : args.metrics) {
    const auto spec = dose::parse_metric(m);
    if (!spec) {
      spdlog::error("--metric '{}': not a metric name (Dmean, Dmax, Dmin, D0.03cc, D95%, V20Gy[%], V20Gy[cc], ...)", m);
      return 1;
    }
    extra.push_back(*spec);
  }

  std::error_code ec;
  if (!fs::is_regular_file(args.rtstruct, ec)) {
    spdlog::error("{}: no such file", args.rtstruct);
    return 2;
  }
  dicom::LoadedFile loaded = dicom::load_file(args.rtstruct, dicom::LoadDepth::Header);
  if (!loaded.file) {
    spdlog::error("{}: cannot be read as DICOM: {}", args.rtstruct, loaded.error);
    return 2;
  }
  DcmDataset& ds = *loaded.file->getDataset();
  const ObjectInfo info = dicom::read_object_info(ds);
  if (info.kind != ObjectKind::RTSTRUCT) {
    spdlog::error("{}: is not an RT Structure Set (object kind {})", args.rtstruct, to_string(info.kind));
    return 2;
  }
  const StructureSet set = dicom::read_structure_set(ds, args.rtstruct);

  std::string description, error;
  std::vector<std::string> warnings;
  const auto dose = read_dose_files(args.doses, description, error, warnings);
  if (!dose) {
    spdlog::error("{}", error);
    return 2;
  }
  if (!dose->frame_of_reference_uid.empty() && !set.frame_of_reference_uid.empty() &&
      dose->frame_of_reference_uid != set.frame_of_reference_uid) {
    spdlog::error("the RTDOSE's frame of reference ({}) is not the structure set's ({}): no DVH across frames",
                  dose->frame_of_reference_uid, set.frame_of_reference_uid);
    return 2;
  }

  std::vector<const Roi*> rois;
  if (args.rois.empty()) {
    for (const auto& [n, roi] : set.rois) rois.push_back(&roi);
  } else {
    for (const auto& key : args.rois) {
      const Roi* r = find_roi(set, key, error);
      if (r == nullptr) {
        spdlog::error("{}: {}", args.rtstruct, error);
        return 1;
      }
      rois.push_back(r);
    }
  }

  dose::DvhOptions options;
  options.max_sample_spacing_mm = args.max_sample_mm;
  options.bin_width_gy = args.bin_gy;
  geom::BuildOptions build;
  build.plane_tolerance_mm = args.plane_tolerance_mm;
  build.fallback_slab_mm = dose->nz() > 1 ? std::optional<double>(dose->max_plane_gap_mm()) : std::nullopt;

  nlohmann::ordered_json out_rois = nlohmann::ordered_json::array();
  std::string table = fmt::format("{:<5} {:<24} {:>9} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}", "ROI", "name", "vol cc",
                                  "Dmean", "Dmin", "Dmax", "D0.03cc", "D2%", "D95%", "D98%");
  for (const auto& m : extra) table += fmt::format(" {:>9}", m.text);
  table += "\n";
  int computed = 0;
  for (const Roi* roi : rois) {
    nlohmann::ordered_json j{{"roi_number", roi->number}, {"roi_name", roi->name}, {"type", roi->interpreted_type}};
    const geom::StructureBuild b = geom::build_structure(roi->contours, build);
    std::vector<std::string> notes;
    for (const auto& issue : b.issues) notes.push_back(fmt::format("{}{}", geom::to_string(issue.code), issue.detail.empty() ? "" : ": " + issue.detail));
    const geom::Structure* s = &b.structure;
    geom::InterpolatedStructure interp;
    if (args.interpolate_planes && !b.structure.planes.empty()) {
      geom::ShapeInterpolationOptions so;
      so.max_plane_gap_mm = args.interpolation_gap_mm;
      interp = geom::interpolate_planes(b.structure, so);
      s = &interp.structure;
      notes.insert(notes.end(), interp.notes.begin(), interp.notes.end());
    }
    j["interpolated_between_planes"] = args.interpolate_planes;
    if (b.structure.planes.empty()) {
      j["not_evaluable"] = "no closed contour";
      j["notes"] = notes;
      out_rois.push_back(std::move(j));
      continue;
    }
    dose::DvhResult r = dose::compute_dvh(*s, *dose, options);
    notes.insert(notes.end(), r.notes.begin(), r.notes.end());
    if (!r.dvh) {
      j["not_evaluable"] = r.error;
      j["notes"] = notes;
      out_rois.push_back(std::move(j));
      if (!args.json) table += fmt::format("{:<5} {:<24} not evaluable: {}\n", roi->number, roi->name.substr(0, 24), r.error);
      continue;
    }
    ++computed;
    const dose::StandardMetrics m = dose::standard_metrics(*r.dvh);
    j["dvh"] = report::dvh_to_json(*r.dvh, m, args.curve_step_gy);
    nlohmann::ordered_json ex = nlohmann::ordered_json::object();
    for (const auto& spec : extra) {
      const double v = dose::evaluate(*r.dvh, spec);
      ex[spec.text] = std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
    }
    j["extra_metrics"] = ex;
    j["contours_coarser_than_dose"] = r.contours_coarser_than_dose;
    j["notes"] = notes;
    out_rois.push_back(std::move(j));
    table += fmt::format("{:<5} {:<24} {:>9} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}", roi->number, roi->name.substr(0, 24),
                         fmt_num(r.dvh->structure_volume_cc, 3), fmt_num(m.mean_gy), fmt_num(m.min_gy), fmt_num(m.max_gy),
                         fmt_num(m.d0_03cc_gy), fmt_num(m.d2_gy), fmt_num(m.d95_gy), fmt_num(m.d98_gy));
    for (const auto& spec : extra) table += fmt::format(" {:>9}", fmt_num(dose::evaluate(*r.dvh, spec)));
    if (!r.dvh->complete()) table += fmt::format("  ({:.3f} cc outside the dose grid)", r.dvh->outside_grid_cc);
    table += "\n";
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (args.json) {
    nlohmann::ordered_json doc{{"schema", "rtaudit-dvh/1"},
                               {"rtaudit_version", std::string(version())},
                               {"rtstruct", args.rtstruct},
                               {"rtdose", args.doses},
                               {"dose", description},
                               {"conventions", report::dvh_conventions(options)},
                               {"warnings", warnings},
                               {"rois", out_rois},
                               {"seconds", std::round(seconds * 1000) / 1000}};
    fmt::print("{}\n", doc.dump(1, ' ', false, nlohmann::json::error_handler_t::replace));
  } else {
    for (const auto& w : warnings) fmt::print("warning: {}\n", w);
    fmt::print("dose: {}\n{}", description, table);
  }
  return computed > 0 ? 0 : 2;
}

}  // namespace rtaudit::cli
