#pragma once
// The clinician's facts about the patient (case/patient_facts.hpp) in a small JSON file, usually
// CASE_DIR/patient.json (docs/patient-facts.md). Every field is optional; a field of the wrong type
// is reported and left empty, an unknown field is reported and kept in unknown_fields. Never throws.

#include "rtaudit/case/diagnostic.hpp"
#include "rtaudit/case/patient_facts.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace rtaudit::recurrence {

struct PatientFactsRead {
  PatientFacts facts;
  std::vector<Diagnostic> problems;
  bool ok = true;  ///< false when the document is not a JSON object at all
};

[[nodiscard]] PatientFactsRead parse_patient_facts(std::string_view text, const std::string& file);

}  // namespace rtaudit::recurrence
