#pragma once
// Bayesian update of the IMN-involvement probability by pre-treatment imaging, with each modality's
// sensitivity and specificity from a cited data file (rules/imaging.xml; DOMAIN.md section 4b, the
// review's Table 1). Where a value is not known the update is bounded over [0, 1] for it: the
// posterior has no point value, only the bounds. Several findings are applied in turn, assuming the
// examinations are conditionally independent given the node status (said in the result's notes).

#include "rtaudit/case/patient_facts.hpp"
#include "rtaudit/miss/probability.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rtaudit::miss {

struct ModalityAccuracy {
  std::string id;                      ///< canonical: "US", "CT", "MRI", "PET/CT", "PET/MRI", "SPECT/CT"
  std::string name;                    ///< e.g. "SPECT/CT lymphoscintigraphy (IM-SLN)"
  std::vector<std::string> aliases;    ///< accepted spellings, case-insensitive ("ultrasound", "PET-CT", ...)
  std::optional<double> sensitivity;   ///< fraction; empty: not known from the sources
  std::optional<double> specificity;
  std::optional<int> patients, nodes;  ///< study size, so the uncertainty can be shown
  std::string source;                  ///< citation
  std::string note;
};

struct ImagingTable {
  std::string id, version, file;
  std::vector<ModalityAccuracy> modalities;
  /// The modality matching `name` (id or alias, case-insensitive), or nullptr.
  [[nodiscard]] const ModalityAccuracy* find(const std::string& name) const;
};

struct ImagingLoad {
  std::optional<ImagingTable> table;
  std::string error;  ///< "file:line: ..." (value outside [0, 1], duplicate modality, no source)
};
[[nodiscard]] ImagingLoad load_imaging(const std::string& path);

/// One Bayes step. positive: P(D|+) = p Se / (p Se + (1-p)(1-Sp)); negative: P(D|-) = p (1-Se) /
/// (p (1-Se) + (1-p) Sp). The bounds take the prior's bounds and, for an unknown Se or Sp, its worst
/// and best values in [0, 1] (the posterior is monotone in each). value is set only when the prior
/// has a value and both Se and Sp are known. A 0/0 (e.g. p = 1 and a test that cannot be positive)
/// keeps the prior.
[[nodiscard]] Probability bayes_update(const Probability& prior, bool positive, std::optional<double> sensitivity,
                                       std::optional<double> specificity);

struct ImagingStep {
  std::string modality, finding;       ///< as given; finding "positive" | "negative" | "not_done"
  const ModalityAccuracy* accuracy = nullptr;  ///< nullptr when the modality is not in the table
  Probability before, after;
  std::string note;                    ///< e.g. "specificity not known: posterior bounded", "not done: no update"
};

struct ImagingPosterior {
  Probability prior, posterior;
  std::vector<ImagingStep> steps;
  std::vector<std::string> notes;
};
[[nodiscard]] ImagingPosterior update_with_imaging(const Probability& prior,
                                                   const std::vector<PatientFacts::ImagingFinding>& findings,
                                                   const ImagingTable& table);

}  // namespace rtaudit::miss
