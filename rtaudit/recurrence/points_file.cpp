#include "rtaudit/recurrence/points_file.hpp"

#include "rtaudit/case/text.hpp"
#include "rtaudit/report/escape.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <cstdlib>
#include <map>

namespace rtaudit::recurrence {
namespace {

constexpr std::array<std::string_view, 12> kColumns = {
    "patient_id", "point_id", "kind", "x_mm", "y_mm", "z_mm", "frame_of_reference_uid",
    "radius_mm", "volume_cc", "date", "site", "modality"};

// Text cells: report::csv_cell (quoted when needed, formula prefixes neutralised).
std::string csv_text(const std::string& s) { return report::csv_cell(s); }

std::string number(double v) { return fmt::format("{}", v); }

// RFC 4180 records: fields separated by commas, quoted fields may hold commas, quotes and newlines.
std::vector<std::pair<std::size_t, std::vector<std::string>>> csv_records(std::string_view text) {
  std::vector<std::pair<std::size_t, std::vector<std::string>>> out;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  std::size_t line = 1, row_line = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (any || !field.empty()) {
        row.push_back(std::move(field));
        out.emplace_back(row_line, std::move(row));
      }
      row.clear();
      field.clear();
      any = false;
      ++line;
      row_line = line;
    } else {
      field += c;
    }
  }
  if (any || !field.empty()) {
    row.push_back(std::move(field));
    out.emplace_back(row_line, std::move(row));
  }
  return out;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  std::size_t b = 0;
  while (b < s.size() && (s[b] == ' ' || s[b] == '\t')) ++b;
  return s.substr(b);
}

std::optional<double> parse_number(const std::string& s) { return text::parse_finite_number(s); }

// Validates one record given as name -> text; appends the point or a problem.
void take(const std::map<std::string, std::string>& f, const std::string& file, const std::string& where,
          PointsRead& out) {
  auto get = [&](std::string_view k) {
    auto it = f.find(std::string(k));
    return it == f.end() ? std::string() : it->second;
  };
  auto reject = [&](const std::string& why) {
    out.problems.push_back({Severity::Error, file, where, why + "; point rejected"});
  };
  PointRecord p;
  p.patient_id = get("patient_id");
  p.point_id = get("point_id");
  if (p.point_id.empty()) p.point_id = get("recurrence_id");
  p.kind = get("kind");
  if (p.kind.empty()) p.kind = "recurrence";
  if (p.point_id.empty()) return reject("no point_id");
  if (!is_known_kind(p.kind)) return reject(fmt::format("unknown kind '{}' (recurrence, sentinel_node, suspicious_node)", p.kind));
  const auto x = parse_number(get("x_mm")), y = parse_number(get("y_mm")), z = parse_number(get("z_mm"));
  if (!x || !y || !z) return reject("x_mm, y_mm and z_mm must be finite numbers");
  p.position_mm = {*x, *y, *z};
  p.frame_of_reference_uid = get("frame_of_reference_uid");
  if (p.frame_of_reference_uid.empty()) return reject("no frame_of_reference_uid: a point without a frame cannot be placed");
  for (auto [key, target] : {std::pair{"radius_mm", &p.radius_mm}, std::pair{"volume_cc", &p.volume_cc}}) {
    const std::string t = get(key);
    if (t.empty()) continue;
    const auto v = parse_number(t);
    if (!v || *v < 0) return reject(fmt::format("{} must be a non-negative number", key));
    *target = v;
  }
  p.date = get("date");
  p.site = get("site");
  p.modality = get("modality");
  out.points.push_back(std::move(p));
}

}  // namespace

bool is_known_kind(std::string_view kind) {
  return kind == "recurrence" || kind == "sentinel_node" || kind == "suspicious_node";
}

std::string to_csv(const std::vector<PointRecord>& points) {
  std::string out;
  for (std::size_t i = 0; i < kColumns.size(); ++i) out += (i ? "," : "") + std::string(kColumns[i]);
  out += '\n';
  for (const auto& p : points) {
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\n", csv_text(p.patient_id), csv_text(p.point_id),
                       csv_text(p.kind), number(p.position_mm.x), number(p.position_mm.y), number(p.position_mm.z),
                       csv_text(p.frame_of_reference_uid), p.radius_mm ? number(*p.radius_mm) : "",
                       p.volume_cc ? number(*p.volume_cc) : "", csv_text(p.date), csv_text(p.site),
                       csv_text(p.modality));
  }
  return out;
}

nlohmann::ordered_json to_json(const std::vector<PointRecord>& points) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& p : points) {
    nlohmann::ordered_json j{{"patient_id", p.patient_id},
                             {"point_id", p.point_id},
                             {"kind", p.kind},
                             {"x_mm", p.position_mm.x},
                             {"y_mm", p.position_mm.y},
                             {"z_mm", p.position_mm.z},
                             {"frame_of_reference_uid", p.frame_of_reference_uid}};
    if (p.radius_mm) j["radius_mm"] = *p.radius_mm;
    if (p.volume_cc) j["volume_cc"] = *p.volume_cc;
    j["date"] = p.date;
    j["site"] = p.site;
    j["modality"] = p.modality;
    list.push_back(std::move(j));
  }
  return {{"schema", "rtaudit-points"}, {"schema_version", 1}, {"points", std::move(list)}};
}

PointsRead parse_csv(std::string_view text, const std::string& file) {
  PointsRead out;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // spreadsheet BOM
  auto records = csv_records(text);
  if (records.empty()) {
    out.problems.push_back({Severity::Error, file, "", "empty file: no header row"});
    return out;
  }
  std::vector<std::string> header;
  for (auto& h : records.front().second) header.push_back(trim(h));
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& [line, cells] = records[r];
    const std::string where = fmt::format("line {}", line);
    if (cells.size() != header.size()) {
      out.problems.push_back({Severity::Error, file, where,
                              fmt::format("{} cells for {} columns; point rejected", cells.size(), header.size())});
      continue;
    }
    std::map<std::string, std::string> f;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      std::string v = trim(cells[c]);
      if (v.size() > 1 && v[0] == '\'' && (v[1] == '=' || v[1] == '+' || v[1] == '-' || v[1] == '@')) v.erase(0, 1);
      f[header[c]] = std::move(v);
    }
    take(f, file, where, out);
  }
  return out;
}

PointsRead parse_json(std::string_view text, const std::string& file) {
  PointsRead out;
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    out.problems.push_back({Severity::Error, file, "", "not valid JSON"});
    return out;
  }
  const nlohmann::json* list = &doc;
  if (doc.is_object()) {
    if (!doc.contains("points") || !doc["points"].is_array()) {
      out.problems.push_back({Severity::Error, file, "points", "expected an array 'points'"});
      return out;
    }
    list = &doc["points"];
  } else if (!doc.is_array()) {
    out.problems.push_back({Severity::Error, file, "", "expected an object with 'points' or an array"});
    return out;
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& item = (*list)[i];
    const std::string where = fmt::format("points[{}]", i);
    if (!item.is_object()) {
      out.problems.push_back({Severity::Error, file, where, "not an object; point rejected"});
      continue;
    }
    std::map<std::string, std::string> f;
    for (const auto& [k, v] : item.items()) {
      if (v.is_string()) f[k] = v.get<std::string>();
      else if (v.is_number()) f[k] = fmt::format("{}", v.get<double>());
      else if (!v.is_null()) f[k] = v.dump();
    }
    take(f, file, where, out);
  }
  return out;
}

}  // namespace rtaudit::recurrence
