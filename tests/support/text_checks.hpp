#pragma once
// Checks on the reasons and notes the core reports (lists of sentences), shared by the tests.

#include <string>
#include <vector>

namespace rtaudit::test {

/// The sentences one per line, for failure messages.
inline std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + "\n";
  return s;
}

/// True when some sentence contains `needle`.
inline bool any_contains(const std::vector<std::string>& v, const std::string& needle) {
  for (const auto& x : v) {
    if (x.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace rtaudit::test
