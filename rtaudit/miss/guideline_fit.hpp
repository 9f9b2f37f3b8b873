#pragma once
// Which guideline's reference CTV fits this patient (rules/guideline-fit.xml, cited). The review
// behind the product reads the ESTRO volumes as designed for early-stage disease and the RTOG (and
// RADCOMP) volumes as better suited to advanced disease. The patient's nodal stage (or, without it,
// the number of positive axillary nodes mapped to the pN category) decides the disease extent; the
// rule file says which guidelines to weigh most for it, and flags a patient with advanced nodal
// disease audited only against the early-stage guideline(s).

#include "rtaudit/case/patient_facts.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rtaudit::miss {

struct FitCategory {
  std::string id;                          ///< "early" | "advanced"
  std::vector<std::string> n_stages;       ///< N categories (prefix match after stripping c/p/y: "N2" matches "N2a")
  std::optional<int> nodes_min, nodes_max; ///< positive axillary nodes when no N stage is given (pN: 1-3 N1, 4-9 N2, >= 10 N3)
  std::vector<std::string> stage_groups;   ///< AJCC groups, used when neither N stage nor nodes is given
  std::vector<std::string> preferred;      ///< guideline ids, most weight first
  std::string rationale;
};

struct GuidelineFitRules {
  std::string id, version, file, source;   ///< source: the citation of the reading
  std::vector<FitCategory> categories;
  std::vector<std::string> early_only;     ///< guidelines designed for early disease (the flag's subject), e.g. "estro-2015"
};

struct GuidelineFitLoad {
  std::optional<GuidelineFitRules> rules;
  std::string error;
};
[[nodiscard]] GuidelineFitLoad load_guideline_fit(const std::string& path);

struct GuidelineFit {
  std::string extent;                      ///< "early", "advanced" or "unknown"
  std::string basis;                       ///< e.g. "N stage 'pN2a' (patient.json)", "7 positive axillary nodes"
  std::vector<std::string> preferred;      ///< guideline ids to weigh most, in order; empty when unknown
  std::string weighted;                    ///< the first preferred guideline that was audited; empty if none
  bool flag = false;                       ///< advanced nodal disease audited only against early-only guidelines
  std::string flag_message;
  std::string rationale, source;
  std::vector<std::string> notes;
};
[[nodiscard]] GuidelineFit fit_guideline(const PatientFacts& facts, const GuidelineFitRules& rules,
                                         const std::vector<std::string>& audited_guideline_ids);

}  // namespace rtaudit::miss
