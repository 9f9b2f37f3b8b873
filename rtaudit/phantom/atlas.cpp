#include "rtaudit/phantom/atlas.hpp"

#include "rtaudit/case/text.hpp"

#include <fmt/format.h>
#include <pugixml.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <stdexcept>

namespace rtaudit::phantom {
namespace {

constexpr std::string_view kRequired[] = {
    "body.half_width", "body.half_depth", "body.subcutaneous_fat", "body.presternal_tissue",
    "body.lateral_wall",
    "sternum.manubrium_half_width_top", "sternum.half_width_joint", "sternum.half_width_body",
    "sternum.half_width_end", "sternum.manubrium_thickness", "sternum.body_thickness",
    "sternum.end_below_rib6", "sternum.cortex",
    "rib1.top_below_notch",
    "rib1.height", "rib2.height", "rib3.height", "rib4.height", "rib5.height", "rib6.height",
    "ics1.height", "ics2.height", "ics3.height", "ics4.height", "ics5.height",
    "rib.thickness", "rib.cortex", "rib.rise_start_x", "rib.rise_slope",
    "rib1.cartilage_length", "rib2.cartilage_length", "rib3.cartilage_length",
    "rib4.cartilage_length", "rib5.cartilage_length", "rib6.cartilage_length",
    "imv.offset_from_sternal_edge", "ima.offset_from_vein", "imv.diameter", "ima.diameter",
    "imv.gap_to_cartilage", "imv.gap_to_pleura", "imv.junction_below_notch",
    "ima.origin_above_junction", "im.bottom_below_rib6",
    "bcv.diameter", "scv.diameter", "sca.diameter", "ijv.diameter", "svc.diameter",
    "heart.half_width", "heart.half_depth", "heart.half_height", "heart.centre_x",
    "heart.centre_below_rib4", "heart.anterior_gap", "lad.diameter",
    "lung.apex_above_notch", "mediastinum.anterior_half_width", "spine.radius",
    "breast.centre_x", "breast.centre_below_notch", "breast.half_width", "breast.projection",
    "breast.half_height", "breast.contralateral_scale", "breast.ctv_skin_margin"};

constexpr std::string_view kTissues[] = {
    "air", "lung", "fat", "soft_tissue", "blood", "blood_contrast", "heart_contrast",
    "cortical_bone", "marrow", "cartilage"};

using text::line_of;

std::optional<double> parse_number(const char* s) {
  if (s == nullptr) return std::nullopt;
  return text::parse_finite_number(s);
}

}  // namespace

const Dimension* ThoraxAtlas::find(std::string_view name) const {
  for (const auto& d : dimensions) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

const Dimension& ThoraxAtlas::at(std::string_view name) const {
  const Dimension* d = find(name);
  if (d == nullptr) throw std::out_of_range(fmt::format("thorax atlas has no dimension '{}'", name));
  return *d;
}

double ThoraxAtlas::hu(std::string_view tissue) const {
  const auto it = tissues.find(std::string(tissue));
  if (it == tissues.end()) throw std::out_of_range(fmt::format("thorax atlas has no tissue '{}'", tissue));
  return it->second.hu;
}

std::string AtlasError::message() const { return fmt::format("{}:{}: expected {}", file, line, expected); }

std::span<const std::string_view> required_dimension_names() { return kRequired; }
std::span<const std::string_view> required_tissue_names() { return kTissues; }

AtlasLoad parse_thorax_atlas(std::string_view xml, std::string file) {
  AtlasLoad out;
  auto fail = [&](std::ptrdiff_t offset, std::string expected) {
    out.error = AtlasError{file, line_of(xml, offset), std::move(expected)};
    return out;
  };

  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default);
  if (!parsed) {
    return fail(parsed.offset, fmt::format("well-formed XML ({})", parsed.description()));
  }
  const pugi::xml_node root = doc.child("thorax_atlas");
  if (!root) {
    const pugi::xml_node first = doc.first_child();
    return fail(first ? first.offset_debug() : 0, "the root element <thorax_atlas>");
  }

  ThoraxAtlas atlas;
  atlas.file = file;
  atlas.version = root.attribute("version").as_string();

  for (const pugi::xml_node src : root.child("sources").children("source")) {
    const std::string id = src.attribute("id").as_string();
    if (id.empty()) return fail(src.offset_debug(), "an id attribute on <source>");
    atlas.sources[id] = src.child_value();
  }

  std::set<std::string> seen;
  for (const pugi::xml_node node : root.children("dimension")) {
    const std::ptrdiff_t at = node.offset_debug();
    Dimension d;
    d.name = node.attribute("name").as_string();
    if (d.name.empty()) return fail(at, "a name attribute on <dimension>");
    if (!seen.insert(d.name).second) return fail(at, fmt::format("a unique dimension name ('{}' is repeated)", d.name));
    const auto num = [&](const char* attr) { return parse_number(node.attribute(attr).as_string(nullptr)); };
    const auto mn = num("min");
    const auto me = num("mean");
    const auto mx = num("max");
    if (!mn) return fail(at, fmt::format("a number in attribute 'min' of dimension '{}'", d.name));
    if (!me) return fail(at, fmt::format("a number in attribute 'mean' of dimension '{}'", d.name));
    if (!mx) return fail(at, fmt::format("a number in attribute 'max' of dimension '{}'", d.name));
    d.min = *mn;
    d.mean = *me;
    d.max = *mx;
    if (!(d.min <= d.mean && d.mean <= d.max)) {
      return fail(at, fmt::format("min <= mean <= max in dimension '{}' (got {} / {} / {})", d.name, d.min, d.mean, d.max));
    }
    d.unit = node.attribute("unit").as_string();
    if (d.unit.empty()) return fail(at, fmt::format("a unit attribute on dimension '{}'", d.name));
    d.source = node.attribute("source").as_string();
    if (!d.source.empty() && atlas.sources.count(d.source) == 0) {
      return fail(at, fmt::format("a source id declared in <sources> (dimension '{}' cites '{}')", d.name, d.source));
    }
    const std::string assumption = node.attribute("assumption").as_string("false");
    if (assumption != "true" && assumption != "false") {
      return fail(at, fmt::format("assumption=\"true\" or \"false\" on dimension '{}'", d.name));
    }
    d.assumption = assumption == "true";
    if (d.source.empty() && !d.assumption) {
      return fail(at, fmt::format("a source or assumption=\"true\" on dimension '{}'", d.name));
    }
    d.note = node.attribute("note").as_string();
    if (d.note.empty()) d.note = node.child_value();
    d.line = line_of(xml, at);
    atlas.dimensions.push_back(std::move(d));
  }

  for (const pugi::xml_node node : root.children("tissue")) {
    const std::ptrdiff_t at = node.offset_debug();
    Tissue t;
    t.name = node.attribute("name").as_string();
    if (t.name.empty()) return fail(at, "a name attribute on <tissue>");
    const auto hu = parse_number(node.attribute("hu").as_string(nullptr));
    if (!hu) return fail(at, fmt::format("a number in attribute 'hu' of tissue '{}'", t.name));
    t.hu = *hu;
    t.source = node.attribute("source").as_string();
    atlas.tissues[t.name] = t;
  }

  const pugi::xml_node noise = root.child("noise");
  if (!noise) return fail(root.offset_debug(), "a <noise sigma_hu=\"...\"/> element in <thorax_atlas>");
  const auto sigma = parse_number(noise.attribute("sigma_hu").as_string(nullptr));
  if (!sigma || *sigma < 0) return fail(noise.offset_debug(), "a non-negative number in attribute 'sigma_hu' of <noise>");
  atlas.noise_sigma_hu = *sigma;

  for (const std::string_view name : kRequired) {
    if (atlas.find(name) == nullptr) {
      return fail(root.offset_debug(), fmt::format("a <dimension name=\"{}\"> in <thorax_atlas>", name));
    }
  }
  for (const std::string_view name : kTissues) {
    if (atlas.tissues.count(std::string(name)) == 0) {
      return fail(root.offset_debug(), fmt::format("a <tissue name=\"{}\"> in <thorax_atlas>", name));
    }
  }
  out.atlas = std::move(atlas);
  return out;
}

AtlasLoad load_thorax_atlas(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    AtlasLoad out;
    out.error = AtlasError{path.string(), 0, "a readable file"};
    return out;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse_thorax_atlas(buffer.str(), path.string());
}

}  // namespace rtaudit::phantom
