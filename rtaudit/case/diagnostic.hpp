#pragma once
// A problem found in the input, reported with where it was found. Readers never throw on bad
// patient data: they return what they could read together with these.

#include <string>
#include <string_view>

namespace rtaudit {

enum class Severity { Info, Warning, Error };

[[nodiscard]] constexpr std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::Info: return "info";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "unknown";
}

struct Diagnostic {
  Severity severity = Severity::Warning;
  std::string file;     ///< the file concerned (as found under the scanned path)
  std::string element;  ///< the DICOM element or item path, e.g. "ROIContourSequence[2] (3006,0039)"
  std::string message;  ///< what is wrong and what was done about it
};

}  // namespace rtaudit
