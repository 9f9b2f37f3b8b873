// `rtaudit compare A B [--json]`: the exact comparison metrics (compare/overlap.hpp,
// compare/surface_distance.hpp) of two ROIs given as FILE:ROI, each number printed with its
// convention (DOMAIN.md section 6). The output format is documented in docs/compare.md.

#include "rtaudit/cli/commands.hpp"

#include "rtaudit/compare/overlap.hpp"
#include "rtaudit/compare/surface_distance.hpp"
#include "rtaudit/dicom/load.hpp"
#include "rtaudit/dicom/object_info.hpp"
#include "rtaudit/dicom/rtstruct_reader.hpp"
#include "rtaudit/geom/structure.hpp"
#include "rtaudit/version.hpp"

#include <dcmtk/dcmdata/dcdatset.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace rtaudit::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kBadArguments = 1;
constexpr int kUnreadable = 2;

/// A failure of the command: the exit status and a message naming the file and what is wrong.
struct Failure {
  int exit_code = kUnreadable;
  std::string message;
};

// ---- FILE:ROI --------------------------------------------------------------------------------

struct RoiRef {
  std::string file;
  std::string roi;
};

// Split at the last ':' so that a path may hold colons (ROI names holding ':' must be given by number).
std::optional<RoiRef> split_ref(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return std::nullopt;
  return RoiRef{text.substr(0, colon), text.substr(colon + 1)};
}

// ---- reading ---------------------------------------------------------------------------------

struct LoadedSet {
  StructureSet set;
};

std::optional<Failure> load_structure_set(const std::string& path, LoadedSet& out) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return Failure{kUnreadable, fmt::format("{}: no such file", path)};
  if (fs::is_directory(st)) {
    return Failure{kUnreadable, fmt::format("{}: is a folder; give the RTSTRUCT file itself (FILE:ROI)", path)};
  }
  if (!fs::is_regular_file(st)) {  // a FIFO or a device would block or never end
    return Failure{kUnreadable, fmt::format("{}: is not a regular file", path)};
  }
  dicom::LoadedFile loaded = dicom::load_file(path, dicom::LoadDepth::Header);
  if (!loaded.file) {
    return Failure{kUnreadable, fmt::format("{}: cannot be read as DICOM: {}", path, loaded.error)};
  }
  DcmDataset& ds = *loaded.file->getDataset();
  const ObjectInfo info = dicom::read_object_info(ds);
  if (info.kind != ObjectKind::RTSTRUCT) {
    return Failure{kUnreadable, fmt::format("{}: is not an RT Structure Set (object kind {}, modality '{}')", path,
                                            to_string(info.kind), info.modality)};
  }
  out.set = dicom::read_structure_set(ds, path);
  return std::nullopt;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string numbers_of(const std::vector<const Roi*>& rois) {
  std::string out;
  for (const Roi* r : rois) out += (out.empty() ? "" : ", ") + std::to_string(r->number);
  return out;
}

std::string roi_list(const StructureSet& set) {
  if (set.rois.empty()) return "the structure set has no ROI";
  std::string out = "its ROIs:";
  for (const auto& [number, roi] : set.rois) out += fmt::format(" {} '{}';", number, roi.name);
  out.pop_back();
  return out;
}

// ROI number first (when the text is an integer and such an ROI exists), then the exact name,
// then the name ignoring ASCII case. A name shared by several ROIs is an error: only the number
// says which one is meant.
std::optional<Failure> find_roi(const StructureSet& set, const std::string& file, const std::string& key,
                                const Roi*& out) {
  int number = 0;
  const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), number);
  if (ec == std::errc{} && end == key.data() + key.size()) {
    if (auto it = set.rois.find(number); it != set.rois.end()) {
      out = &it->second;
      return std::nullopt;
    }
  }
  for (const bool ignore_case : {false, true}) {
    std::vector<const Roi*> hits;
    for (const auto& [n, roi] : set.rois) {
      if (ignore_case ? ascii_lower(roi.name) == ascii_lower(key) : roi.name == key) hits.push_back(&roi);
    }
    if (hits.size() == 1) {
      out = hits.front();
      return std::nullopt;
    }
    if (hits.size() > 1) {
      return Failure{kUnreadable,
                     fmt::format("{}: ROI name '{}' matches {} ROIs{} (numbers {}); give the ROI number instead", file,
                                 key, hits.size(), ignore_case ? " ignoring case" : "", numbers_of(hits))};
    }
  }
  return Failure{kUnreadable, fmt::format("{}: no ROI numbered or named '{}'; {}", file, key, roi_list(set))};
}

// ---- building --------------------------------------------------------------------------------

struct Input {
  std::string role;  // "a" or "b"
  std::string file;
  const StructureSet* set = nullptr;
  const Roi* roi = nullptr;
  geom::StructureBuild build;
  std::string slab_source;
};

std::string frame_of(const Input& in) {
  return !in.roi->frame_of_reference_uid.empty() ? in.roi->frame_of_reference_uid : in.set->frame_of_reference_uid;
}

// The most common slab thickness of the other ROIs of a structure set (a stand-in for the CT's
// slice spacing, which compare does not read), 0 when none has two planes.
double common_slab_mm(const StructureSet& set, int except_number, const geom::BuildOptions& options) {
  std::map<long, int> votes;  // slab in µm -> ROIs
  for (const auto& [number, roi] : set.rois) {
    if (number == except_number) continue;
    const geom::StructureBuild b = geom::build_structure(roi.contours, options);
    if (b.structure.planes.size() > 1 && b.structure.slab_mm > 0) ++votes[std::lround(b.structure.slab_mm * 1000)];
  }
  long best = 0;
  int best_votes = 0;
  for (const auto& [um, n] : votes) {
    if (n > best_votes) {
      best = um;
      best_votes = n;
    }
  }
  return static_cast<double>(best) / 1000.0;
}

// A single-plane ROI has no slice spacing of its own: take the other structure's (the same CT,
// once the frames of reference agree), else the most common one of its structure set.
std::optional<Failure> give_single_plane_a_slab(Input& in, const Input& other, const geom::BuildOptions& options) {
  if (in.build.structure.planes.size() != 1 || in.build.structure.slab_mm > 0) return std::nullopt;
  double slab = 0;
  if (other.build.structure.planes.size() > 1 && other.build.structure.slab_mm > 0) {
    slab = other.build.structure.slab_mm;
    in.slab_source = fmt::format("single plane: slab thickness {} mm taken from the plane spacing of {} (ROI {} '{}')",
                                 slab, other.role == "a" ? "A" : "B", other.roi->number, other.roi->name);
  } else if (const double common = common_slab_mm(*in.set, in.roi->number, options); common > 0) {
    slab = common;
    in.slab_source = fmt::format("single plane: slab thickness {} mm taken from the most common plane spacing of the "
                                 "other ROIs of the structure set", slab);
  } else {
    return Failure{kUnreadable, fmt::format("{}: ROI {} '{}' has a single plane and no slice spacing is known (neither "
                                            "the other structure nor any other ROI of the file has two planes)",
                                            in.file, in.roi->number, in.roi->name)};
  }
  geom::BuildOptions with_slab = options;
  with_slab.fallback_slab_mm = slab;
  in.build = geom::build_structure(in.roi->contours, with_slab);
  return std::nullopt;
}

// ---- output ----------------------------------------------------------------------------------

// Each metric with a short convention (the text table) and one sentence (the JSON document and the
// end of the text output).
struct Convention {
  const char* key;
  const char* label;
  const char* sentence;
};
constexpr Convention kConventions[] = {
    {"volume_cc", "sum of exact plane areas x slab",
     "Each plane is a slab of the structure's slice spacing centred on it (half-slab end caps; a missing plane stays "
     "a gap); volume = sum of exact polygon areas x slab thickness, in cc (1 cc = 1000 mm3)."},
    {"intersection_cc", "exact polygon intersections x shared slab",
     "|A and B| = sum over every pair of planes of A and B of the exact polygon intersection area times the z-extent "
     "their slabs share (cc); no voxels."},
    {"union_cc", "|A| + |B| - |A and B|", "|A or B| = |A| + |B| - |A and B| (inclusion-exclusion, exact; cc)."},
    {"dice", "2|A and B| / (|A| + |B|)",
     "Dice = 2|A and B| / (|A| + |B|) on the exact slab-model volumes; undefined when both volumes are 0."},
    {"jaccard", "|A and B| / |A or B|", "Jaccard = |A and B| / |A or B| on the exact slab-model volumes."},
    {"volume_ratio", "|B| / |A|", "Volume ratio = |B| / |A|: the evaluated volume over the reference volume."},
    {"missed_cc", "|A| - |A and B|", "Missed volume = |A \\ B|: reference volume that B does not cover (cc)."},
    {"added_cc", "|B| - |A and B|", "Added volume = |B \\ A|: volume of B outside the reference (cc)."},
    {"planes", "matched / only in A / only in B",
     "A plane of B within the plane tolerance of a plane of A is the same CT slice (matched); the others are planes "
     "of one structure only."},
    {"hausdorff_mm", "max of the two directed maxima",
     "HD = max of the two directed maxima of the exact point-to-surface distances between the two slab-stack "
     "surfaces (walls and caps), over area samples and every mesh vertex (mm)."},
    {"hd95_mm", "max of the two directed area-weighted 95th percentiles",
     "HD95 = max of the two directed area-weighted 95th percentiles of the surface distances (rtaudit's convention; "
     "no interpolation between samples)."},
    {"hd95_plastimatch_mm", "mean of the two directed 95th percentiles",
     "HD95 as plastimatch reports it: the mean (not the max) of the two directed area-weighted 95th percentiles; "
     "for comparison with plastimatch only."},
    {"msd_mm", "area-weighted mean over both surfaces",
     "MSD = area-weighted mean distance over both surfaces together: (mean(A->B)|SA| + mean(B->A)|SB|) / "
     "(|SA| + |SB|) (mm)."},
    {"directed", "max / 95th percentile / mean, area weighted",
     "A->B: from area-weighted samples of A's surface to B's surface (max, 95th percentile, mean, area); B->A the "
     "other way."},
    {"surface_dice", "area within tau of the other / total area",
     "Surface Dice at tolerance tau (Nikolov et al. 2018) = (area of SA within tau of SB + area of SB within tau of "
     "SA) / (|SA| + |SB|), in [0, 1]."},
    {"added_path_length_mm", "A's contour farther than tol from B's, per plane",
     "Added path length (Vaassen et al. 2020) = length of A's contours, summed over A's planes, farther than the APL "
     "tolerance (in-plane) from B's contour on the same plane; a plane of A without a plane of B counts whole (mm)."},
};

const Convention& convention(std::string_view key) {
  for (const Convention& c : kConventions) {
    if (key == c.key) return c;
  }
  return kConventions[0];  // unreachable: every caller names a key of the table
}

json optional_number(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json input_json(const Input& in) {
  const geom::Structure& s = in.build.structure;
  json issues = json::array();
  for (const geom::Issue& issue : in.build.issues) {
    issues.push_back({{"code", geom::to_string(issue.code)},
                      {"contour", issue.contour ? json(*issue.contour) : json(nullptr)},
                      {"contour_dropped", geom::drops_contour(issue.code)},
                      {"detail", issue.detail}});
  }
  json problems = json::array();
  for (const Diagnostic& d : in.set->problems) {
    problems.push_back({{"severity", to_string(d.severity)}, {"element", d.element}, {"message", d.message}});
  }
  return {{"file", in.file},
          {"roi_number", in.roi->number},
          {"roi_name", in.roi->name},
          {"interpreted_type", in.roi->interpreted_type},
          {"frame_of_reference_uid", frame_of(in)},
          {"volume_cc", optional_number(geom::volume_cc(s))},
          {"planes", s.planes.size()},
          {"z_range_mm", s.planes.empty() ? json(nullptr) : json::array({s.planes.front().z_mm, s.planes.back().z_mm})},
          {"slab_mm", s.slab_mm},
          {"slab_from_fallback", s.slab_from_fallback},
          {"slab_source", in.slab_source},
          {"contours", in.roi->contours.size()},
          {"contours_used", in.build.contours_used},
          {"contours_dropped", in.build.contours_dropped},
          {"build_issues", issues},
          {"structure_set_problems", problems}};
}

json directed_json(const compare::DirectedDistance& d) {
  return {{"max_mm", d.max_mm}, {"p95_mm", d.p95_mm}, {"mean_mm", d.mean_mm}, {"area_mm2", d.area_mm2},
          {"samples", d.samples}};
}

json to_json(const CompareArgs& args, const Input& a, const Input& b, const compare::Overlap& o,
             const compare::SurfaceDistances& d, const std::vector<std::string>& warnings) {
  json sd = json::array();
  for (const auto& s : d.surface_dice) sd.push_back({{"tolerance_mm", s.tolerance_mm}, {"value", s.value}});
  json conventions = json::object();
  for (const Convention& c : kConventions) conventions[c.key] = c.sentence;
  return {{"schema", "rtaudit-compare/1"},
          {"rtaudit_version", std::string(version())},
          {"inputs", {{"a", input_json(a)}, {"b", input_json(b)}}},
          {"options",
           {{"plane_tolerance_mm", args.plane_tolerance_mm},
            {"sampling_per_mm2", args.sampling_per_mm2},
            {"surface_dice_tolerances_mm", args.surface_dice_mm},
            {"apl_tolerance_mm", args.apl_tolerance_mm}}},
          {"overlap",
           {{"dice", optional_number(o.dice)},
            {"jaccard", optional_number(o.jaccard)},
            {"volume_a_cc", o.volume_a_cc},
            {"volume_b_cc", o.volume_b_cc},
            {"intersection_cc", o.intersection_cc},
            {"union_cc", o.union_cc},
            {"volume_ratio", optional_number(o.volume_ratio)},
            {"missed_cc", o.missed_cc},
            {"added_cc", o.added_cc},
            {"planes_matched", o.matched_planes},
            {"planes_only_a", o.planes_only_a},
            {"planes_only_b", o.planes_only_b}}},
          {"surface",
           {{"hausdorff_mm", d.hausdorff_mm},
            {"hd95_mm", d.hd95_mm},
            {"hd95_plastimatch_mm", compare::hd95_plastimatch_mm(d)},
            {"msd_mm", d.msd_mm},
            {"a_to_b", directed_json(d.a_to_b)},
            {"b_to_a", directed_json(d.b_to_a)},
            {"surface_dice", sd},
            {"added_path_length_mm", d.added_path_length_mm},
            {"apl_tolerance_mm", d.apl_tolerance_mm}}},
          {"conventions", conventions},
          {"warnings", warnings}};
}

std::string fmt_optional(const std::optional<double>& v, const char* spec) {
  return v ? fmt::format(fmt::runtime(spec), *v) : std::string("undefined");
}

std::string input_text(const char* label, const Input& in) {
  const geom::Structure& s = in.build.structure;
  std::string out = fmt::format("{} {}: ROI {} '{}' ({}) in {}\n", label, in.role == "a" ? "(reference)" : "(evaluated)",
                                in.roi->number, in.roi->name,
                                in.roi->interpreted_type.empty() ? "no type" : in.roi->interpreted_type, in.file);
  out += fmt::format("    {} cc, {} plane(s)", fmt_optional(geom::volume_cc(s), "{:.4f}"), s.planes.size());
  if (!s.planes.empty()) out += fmt::format(" from z {} to {} mm", s.planes.front().z_mm, s.planes.back().z_mm);
  out += fmt::format(", slab {} mm\n", s.slab_mm);
  if (!in.slab_source.empty()) out += fmt::format("    {}\n", in.slab_source);
  for (const geom::Issue& issue : in.build.issues) {
    out += fmt::format("    build issue: {}{}{}\n", geom::to_string(issue.code),
                       issue.contour ? fmt::format(" (contour {})", *issue.contour) : std::string(),
                       issue.detail.empty() ? std::string() : ": " + issue.detail);
  }
  for (const Diagnostic& d : in.set->problems) {
    out += fmt::format("    structure set {}: {}{}\n", to_string(d.severity), d.element.empty() ? "" : d.element + ": ",
                       d.message);
  }
  return out;
}

std::string row(std::string_view name, const std::string& value, std::string_view key) {
  return fmt::format("  {:<28} {:>22}  {}\n", name, value, convention(key).label);
}

std::string directed_text(const char* label, const compare::DirectedDistance& d) {
  return fmt::format("  {:<28} {:>22}  max, 95th percentile, mean over {:.1f} mm2 ({} samples)\n", label,
                     fmt::format("{:.3f} / {:.3f} / {:.3f} mm", d.max_mm, d.p95_mm, d.mean_mm), d.area_mm2, d.samples);
}

std::string to_text(const Input& a, const Input& b, const compare::Overlap& o, const compare::SurfaceDistances& d,
                    const std::vector<std::string>& warnings) {
  std::string out = "rtaudit compare: exact plane model (polygon areas and surfaces, no voxels)\n\n";
  out += input_text("A", a);
  out += input_text("B", b);
  for (const std::string& w : warnings) out += fmt::format("warning: {}\n", w);

  out += fmt::format("\n  {:<28} {:>22}  {}\n", "volumes and overlap", "value", "convention");
  out += row("volume A", fmt::format("{:.4f} cc", o.volume_a_cc), "volume_cc");
  out += row("volume B", fmt::format("{:.4f} cc", o.volume_b_cc), "volume_cc");
  out += row("intersection", fmt::format("{:.4f} cc", o.intersection_cc), "intersection_cc");
  out += row("union", fmt::format("{:.4f} cc", o.union_cc), "union_cc");
  out += row("Dice", fmt_optional(o.dice, "{:.6f}"), "dice");
  out += row("Jaccard", fmt_optional(o.jaccard, "{:.6f}"), "jaccard");
  out += row("volume ratio B/A", fmt_optional(o.volume_ratio, "{:.6f}"), "volume_ratio");
  out += row("missed (in A, not in B)", fmt::format("{:.4f} cc", o.missed_cc), "missed_cc");
  out += row("added (in B, not in A)", fmt::format("{:.4f} cc", o.added_cc), "added_cc");
  out += row("planes", fmt::format("{} / {} / {}", o.matched_planes, o.planes_only_a, o.planes_only_b), "planes");

  out += fmt::format("\n  {:<28} {:>22}  {}\n", "surface distances", "value", "convention");
  out += row("HD", fmt::format("{:.3f} mm", d.hausdorff_mm), "hausdorff_mm");
  out += row("HD95", fmt::format("{:.3f} mm", d.hd95_mm), "hd95_mm");
  out += row("HD95, plastimatch variant", fmt::format("{:.3f} mm", compare::hd95_plastimatch_mm(d)),
             "hd95_plastimatch_mm");
  out += row("MSD", fmt::format("{:.3f} mm", d.msd_mm), "msd_mm");
  out += directed_text("directed A->B", d.a_to_b);
  out += directed_text("directed B->A", d.b_to_a);
  for (const auto& s : d.surface_dice) {
    out += row(fmt::format("surface Dice at {} mm", s.tolerance_mm), fmt::format("{:.6f}", s.value), "surface_dice");
  }
  out += row(fmt::format("added path length ({} mm)", d.apl_tolerance_mm),
             fmt::format("{:.2f} mm", d.added_path_length_mm), "added_path_length_mm");

  out += "\nConventions (DOMAIN.md section 6; docs/compare.md):\n";
  for (const Convention& c : kConventions) out += fmt::format("  {}: {}\n", c.key, c.sentence);
  return out;
}

// ---- the command -----------------------------------------------------------------------------

std::optional<Failure> check_options(const CompareArgs& args) {
  for (const double t : args.surface_dice_mm) {
    if (!std::isfinite(t) || t < 0) {
      return Failure{kBadArguments, fmt::format("--surface-dice: tolerance {} is not a finite number >= 0 (mm)", t)};
    }
  }
  if (!std::isfinite(args.apl_tolerance_mm) || !std::isfinite(args.plane_tolerance_mm) ||
      !std::isfinite(args.sampling_per_mm2)) {
    return Failure{kBadArguments, "--apl-tolerance, --plane-tolerance and --sampling must be finite numbers"};
  }
  return std::nullopt;
}

int fail(const Failure& f) {
  spdlog::error("rtaudit compare: {}", f.message);
  return f.exit_code;
}

}  // namespace

int run_compare(const CompareArgs& args, bool verbose) {
  dicom::configure_dcmtk_logging(verbose);
  if (auto f = check_options(args)) return fail(*f);

  const std::optional<RoiRef> ref_a = split_ref(args.a);
  const std::optional<RoiRef> ref_b = split_ref(args.b);
  for (const auto& [text, ref] : {std::pair{&args.a, &ref_a}, std::pair{&args.b, &ref_b}}) {
    if (!*ref) {
      return fail({kBadArguments,
                   fmt::format("'{}' is not FILE:ROI (an RTSTRUCT file, a colon, an ROI number or name)", *text)});
    }
  }

  // One structure set read once when both ROIs come from the same file.
  std::vector<std::pair<std::string, std::unique_ptr<LoadedSet>>> sets;
  auto set_for = [&](const std::string& file, const StructureSet*& out) -> std::optional<Failure> {
    std::error_code ec;
    for (const auto& [path, loaded] : sets) {
      if (path == file || fs::equivalent(path, file, ec)) {
        out = &loaded->set;
        return std::nullopt;
      }
    }
    auto loaded = std::make_unique<LoadedSet>();
    if (auto f = load_structure_set(file, *loaded)) return f;
    out = &loaded->set;
    sets.emplace_back(file, std::move(loaded));
    return std::nullopt;
  };

  Input a{"a", ref_a->file, nullptr, nullptr, {}, {}};
  Input b{"b", ref_b->file, nullptr, nullptr, {}, {}};
  for (const auto& [in, ref] : {std::pair{&a, &*ref_a}, std::pair{&b, &*ref_b}}) {
    if (auto f = set_for(ref->file, in->set)) return fail(*f);
    if (auto f = find_roi(*in->set, in->file, ref->roi, in->roi)) return fail(*f);
  }

  std::vector<std::string> warnings;
  const std::string frame_a = frame_of(a), frame_b = frame_of(b);
  if (!frame_a.empty() && !frame_b.empty() && frame_a != frame_b) {
    return fail({kUnreadable, fmt::format("the two ROIs are in different frames of reference ({}: ROI {} in {}; {}: ROI "
                                          "{} in {}); their coordinates cannot be compared without a registration",
                                          a.file, a.roi->number, frame_a, b.file, b.roi->number, frame_b)});
  }
  if (frame_a.empty() || frame_b.empty()) {
    warnings.push_back(fmt::format("{} states no frame of reference; the two ROIs are assumed to share one",
                                   frame_a.empty() ? a.file : b.file));
  }

  geom::BuildOptions options;
  options.plane_tolerance_mm = args.plane_tolerance_mm;
  for (Input* in : {&a, &b}) {
    in->build = geom::build_structure(in->roi->contours, options);
    if (in->build.structure.planes.empty()) {
      return fail({kUnreadable, fmt::format("{}: ROI {} '{}' has no closed contour with an area ({} contour(s) stored): "
                                            "nothing to compare",
                                            in->file, in->roi->number, in->roi->name, in->roi->contours.size())});
    }
  }
  if (auto f = give_single_plane_a_slab(a, b, options)) return fail(*f);
  if (auto f = give_single_plane_a_slab(b, a, options)) return fail(*f);
  for (const Input* in : {&a, &b}) {
    if (!in->slab_source.empty()) spdlog::warn("{}: ROI {}: {}", in->file, in->roi->number, in->slab_source);
  }

  const compare::OverlapResult overlap =
      compare::overlap(a.build.structure, b.build.structure, {.plane_match_tolerance_mm = args.plane_tolerance_mm});
  if (!overlap.overlap) {
    return fail({kUnreadable, fmt::format("overlap of {} ROI {} and {} ROI {} cannot be computed: {}", a.file,
                                          a.roi->number, b.file, b.roi->number, overlap.error->reason)});
  }
  compare::SurfaceDistanceOptions sd_options;
  sd_options.sampling.density_per_mm2 = args.sampling_per_mm2;
  sd_options.surface_dice_tolerances_mm = args.surface_dice_mm;
  sd_options.apl_tolerance_mm = args.apl_tolerance_mm;
  sd_options.plane_match_tolerance_mm = args.plane_tolerance_mm;
  const compare::SurfaceDistanceResult surface =
      compare::surface_distances(a.build.structure, b.build.structure, sd_options);
  if (!surface.distances) {
    return fail({kUnreadable, fmt::format("surface distances of {} ROI {} and {} ROI {} cannot be computed: {}", a.file,
                                          a.roi->number, b.file, b.roi->number, surface.error->reason)});
  }

  if (args.json) {
    // Invalid UTF-8 (a name in an undeclared character set, a path) is replaced, never thrown on.
    std::cout << to_json(args, a, b, *overlap.overlap, *surface.distances, warnings)
                     .dump(1, ' ', false, json::error_handler_t::replace)
              << '\n';
  } else {
    std::cout << to_text(a, b, *overlap.overlap, *surface.distances, warnings);
  }
  return 0;
}

}  // namespace rtaudit::cli
