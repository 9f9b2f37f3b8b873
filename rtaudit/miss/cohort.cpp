#include "rtaudit/miss/cohort.hpp"

#include <set>

namespace rtaudit::miss {

CohortTable cohort_table(const std::vector<CohortPoint>& points, const std::string& kind, const std::string& estro_key,
                         const std::string& rtog_key) {
  CohortTable t;
  t.kind = kind;
  t.estro_key = estro_key;
  t.rtog_key = rtog_key;
  std::map<std::string, CohortRow> rows;
  std::set<std::string> patients;
  for (const CohortPoint& p : points) {
    if (p.kind != kind) continue;
    ++t.points;
    patients.insert(p.patient);
    for (const auto& [ctv, c] : p.classes) {
      CohortRow& r = rows[ctv];
      r.ctv = ctv;
      ++r.points;
      (c == PointClass::InField ? r.in_field : c == PointClass::Marginal ? r.marginal : r.outside)++;
    }
    const auto e = p.classes.find(estro_key), g = p.classes.find(rtog_key);
    if (e != p.classes.end() && g != p.classes.end()) {
      ++t.both_evaluated;
      if (e->second != PointClass::InField && g->second == PointClass::InField) ++t.outside_estro_inside_rtog;
      if (g->second != PointClass::InField && e->second == PointClass::InField) ++t.outside_rtog_inside_estro;
    }
  }
  t.patients = static_cast<int>(patients.size());
  if (const auto it = rows.find("clinical"); it != rows.end()) {
    t.rows.push_back(it->second);
    rows.erase(it);
  }
  for (auto& [k, r] : rows) t.rows.push_back(r);
  return t;
}

}  // namespace rtaudit::miss
