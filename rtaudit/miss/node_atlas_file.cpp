// Reads atlases/imn-nodes/parameters.xml (format in docs/node-atlas.md) into AtlasParameters.
// Like the other data files of rtaudit, every number must carry a declared source or
// assumption="true": a value without either is rejected, so no number enters unexplained.

#include "rtaudit/miss/node_atlas.hpp"

#include "rtaudit/case/text.hpp"

#include <fmt/format.h>
#include <pugixml.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace rtaudit::miss {
namespace {

/// Shares and CDF percentages must add up to 100 to this many points (the file rounds to 4 decimals).
constexpr double kPercentTolerance = 0.01;

struct Fail {
  std::string message;
};

class Reader {
 public:
  Reader(std::string_view xml, std::string file) : xml_(xml), file_(std::move(file)) {}

  [[noreturn]] void fail(const pugi::xml_node& at, const std::string& what) const {
    throw Fail{fmt::format("{}:{}: {}", file_, text::line_of(xml_, at ? at.offset_debug() : 0), what)};
  }

  double number(const pugi::xml_node& n, const char* attr) const {
    const char* s = n.attribute(attr).as_string(nullptr);
    const auto v = s != nullptr ? text::parse_finite_number(s) : std::nullopt;
    if (!v) fail(n, fmt::format("expected a number in attribute '{}' of <{}>", attr, n.name()));
    return *v;
  }

  /// The value's provenance: its declared source, or "assumption: <note>"; one of them is required.
  std::string provenance(const pugi::xml_node& n) const {
    const std::string source = n.attribute("source").as_string();
    const std::string assumption = n.attribute("assumption").as_string("false");
    const std::string note = n.attribute("note").as_string();
    if (assumption != "true" && assumption != "false") fail(n, fmt::format("expected assumption=\"true\" or \"false\" on <{}>", n.name()));
    if (!source.empty() && citations.count(source) == 0) {
      fail(n, fmt::format("expected a citation id declared in <citation> (<{}> cites '{}')", n.name(), source));
    }
    if (assumption == "true") {
      if (note.empty()) fail(n, fmt::format("expected a note saying why on the assumption <{}>", n.name()));
      return "assumption: " + note;
    }
    if (source.empty()) fail(n, fmt::format("expected a source or assumption=\"true\" on <{}>", n.name()));
    return note.empty() ? source : fmt::format("{} ({})", source, note);
  }

  IcsDistribution distribution(const pugi::xml_node& d) const {
    IcsDistribution out;
    out.id = d.attribute("id").as_string();
    if (out.id.empty()) fail(d, "expected an id attribute on <ics_distribution>");
    out.source = d.attribute("source").as_string();
    if (citations.count(out.source) == 0) fail(d, fmt::format("expected a declared citation in 'source' of distribution '{}'", out.id));
    out.note = d.attribute("note").as_string();
    std::set<int> seen;
    double total = 0;
    for (const pugi::xml_node s : d.children("share")) {
      const double ics = number(s, "ics");
      if (ics < 1 || ics != std::floor(ics)) fail(s, "expected a whole ICS number >= 1 in attribute 'ics'");
      const int n = static_cast<int>(ics);
      if (!seen.insert(n).second) fail(s, fmt::format("expected each ICS once (ICS{} is repeated in '{}')", n, out.id));
      const double percent = number(s, "percent");
      if (percent < 0 || percent > 100) fail(s, "expected a percent between 0 and 100");
      (void)provenance(s);
      out.shares.emplace_back(n, percent / 100);
      total += percent;
    }
    if (out.shares.empty()) fail(d, fmt::format("expected <share> elements in distribution '{}'", out.id));
    if (std::abs(total - 100) > kPercentTolerance) {
      fail(d, fmt::format("expected the shares of '{}' to add up to 100% (they add up to {}%)", out.id, total));
    }
    // Exactly 1 after the check, so per-ICS shares and generated node counts agree.
    for (auto& [ics, share] : out.shares) share *= 100 / total;
    std::sort(out.shares.begin(), out.shares.end());
    return out;
  }

  AtlasParameters read() {
    pugi::xml_document doc;
    const pugi::xml_parse_result parsed = doc.load_buffer(xml_.data(), xml_.size());
    if (!parsed) {
      throw Fail{fmt::format("{}:{}: expected well-formed XML ({})", file_, text::line_of(xml_, parsed.offset),
                             parsed.description())};
    }
    const pugi::xml_node root = doc.child("imn_node_atlas");
    if (!root) fail(doc.first_child(), "expected the root element <imn_node_atlas>");
    if (std::string_view(root.attribute("format").as_string()) != "1") fail(root, "expected format=\"1\" on <imn_node_atlas>");

    AtlasParameters p;
    p.file = file_;
    p.id = root.attribute("id").as_string();
    p.version = root.attribute("version").as_string();
    if (p.id.empty() || p.version.empty()) fail(root, "expected id and version attributes on <imn_node_atlas>");

    for (const pugi::xml_node c : root.children("citation")) {
      const std::string id = c.attribute("id").as_string();
      const std::string title = c.attribute("title").as_string();
      if (id.empty() || title.empty()) fail(c, "expected id and title attributes on <citation>");
      if (!citations.emplace(id, title).second) fail(c, fmt::format("expected a unique citation id ('{}' is repeated)", id));
      std::string s = fmt::format("{}: {}. {}.", id, c.attribute("authors").as_string(), title);
      if (const char* j = c.attribute("journal").as_string(nullptr)) {
        s += fmt::format(" {} {};{}:{}.", j, c.attribute("year").as_string(), c.attribute("volume").as_string(),
                         c.attribute("pages").as_string());
      }
      if (const char* doi = c.attribute("doi").as_string(nullptr)) s += fmt::format(" doi:{}", doi);
      p.sources.push_back(std::move(s));
    }

    const pugi::xml_node gen = root.child("generator");
    if (!gen) fail(root, "expected a <generator node_count=\"...\"/> element");
    const double count = number(gen, "node_count");
    if (count < 1 || count > 1e7 || count != std::floor(count)) fail(gen, "expected a whole node_count between 1 and 10000000");
    if (std::string_view(gen.attribute("sequence").as_string()) != "halton") fail(gen, "expected sequence=\"halton\" on <generator>");
    if (std::string_view(gen.attribute("note").as_string()).empty()) fail(gen, "expected a note on <generator> saying why this count");
    p.node_count = static_cast<int>(count);

    bool primary = false;
    for (const pugi::xml_node d : root.children("ics_distribution")) {
      const std::string use = d.attribute("use").as_string();
      if (use == "primary") {
        if (primary) fail(d, "expected one primary <ics_distribution>");
        p.primary = distribution(d);
        primary = true;
      } else if (use == "alternative") {
        p.alternatives.push_back(distribution(d));
      } else {
        fail(d, "expected use=\"primary\" or use=\"alternative\" on <ics_distribution>");
      }
    }
    if (!primary) fail(root, "expected an <ics_distribution use=\"primary\">");

    const pugi::xml_node wall = root.child("wall_distance");
    if (!wall) fail(root, "expected a <wall_distance> element");
    std::vector<std::string> knot_sources;
    for (const pugi::xml_node k : wall.children("knot")) {
      const double mm = number(k, "mm");
      const double percent = number(k, "percent");
      if (mm < 0 || percent < 0 || percent > 100) fail(k, "expected mm >= 0 and 0 <= percent <= 100 on <knot>");
      if (!p.wall_distance_cdf.empty()) {
        if (mm <= p.wall_distance_cdf.back().first) fail(k, "expected knots in strictly ascending mm");
        if (percent / 100 < p.wall_distance_cdf.back().second) fail(k, "expected a non-decreasing percent (a CDF)");
      }
      knot_sources.push_back(fmt::format("{} mm {}%: {}", mm, percent, provenance(k)));
      p.wall_distance_cdf.emplace_back(mm, percent / 100);
    }
    if (p.wall_distance_cdf.size() < 2 || p.wall_distance_cdf.front() != std::pair{0.0, 0.0}) {
      fail(wall, "expected at least two <knot>s, the first at mm=\"0\" percent=\"0\"");
    }
    if (std::abs(p.wall_distance_cdf.back().second - 1) > kPercentTolerance / 100) fail(wall, "expected the last <knot> at percent=\"100\"");
    p.wall_distance_cdf.back().second = 1;
    p.wall_distance_source = wall.attribute("note").as_string();
    for (const auto& s : knot_sources) p.wall_distance_source += (p.wall_distance_source.empty() ? "" : "; ") + s;

    const pugi::xml_node angle = root.child("angle");
    if (!angle) fail(root, "expected an <angle> element");
    p.lateral_share = number(angle, "lateral_percent") / 100;
    p.angle_half_width_deg = number(angle, "half_width_deg");
    if (p.lateral_share < 0 || p.lateral_share > 1) fail(angle, "expected 0 <= lateral_percent <= 100");
    if (p.angle_half_width_deg < 0 || p.angle_half_width_deg > 90) fail(angle, "expected 0 <= half_width_deg <= 90");
    p.angle_source = provenance(angle);

    const pugi::xml_node position = root.child("position");
    if (!position) fail(root, "expected a <position> element");
    if (std::string_view(position.attribute("distribution").as_string()) != "uniform") {
      fail(position, "expected distribution=\"uniform\" on <position> (the only one implemented)");
    }
    p.position_source = provenance(position);
    return p;
  }

  std::map<std::string, std::string> citations;

 private:
  std::string_view xml_;
  std::string file_;
};

}  // namespace

AtlasParametersLoad load_atlas_parameters(const std::string& path) {
  AtlasParametersLoad out;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out.error = fmt::format("{}:0: cannot read the file", path);
    return out;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string xml = buffer.str();
  try {
    out.parameters = Reader(xml, path).read();
  } catch (const Fail& f) {
    out.error = f.message;
  }
  return out;
}

}  // namespace rtaudit::miss
