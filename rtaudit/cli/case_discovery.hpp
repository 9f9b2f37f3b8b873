#pragma once
// Which folders are cases (issue 7 `rtaudit cohort`, issue 9 `rtaudit enqueue`): a folder holding files
// is a case; a folder holding only folders is a set of cases (its subfolders). Each case is keyed by its
// absolute path, so the same folder given twice (or by another spelling) is one case.

#include "rtaudit/cohort/records.hpp"

#include <string>
#include <vector>

namespace rtaudit::cli {

struct CaseInput {
  std::string input;    ///< as found (the argument, or argument/subfolder)
  std::string key;      ///< "c" + 12 hex of SHA-256 of the absolute path
  std::string problem;  ///< when the input is not a readable folder (the case is reported, not dropped)
};

/// The cases below `inputs`, in the order given (subfolders sorted), each once.
[[nodiscard]] std::vector<CaseInput> discover_cases(const std::vector<std::string>& inputs);

/// The record stored for a case that could not be audited (`why`), so that the dashboard lists it.
[[nodiscard]] cohort::CaseRecord unaudited_case_record(const CaseInput& c, const std::string& why, bool pseudonymized);

}  // namespace rtaudit::cli
