// Finding one element of a report's JSON array in a test, with a test failure when it is not there.
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace rtaudit::test {

/// The element of the JSON array `list` whose `key` equals `value`; a test failure (and a null) when none.
template <class Json>
const Json& entry(const Json& list, const char* key, const std::string& value) {
  for (const auto& e : list)
    if (e[key] == value) return e;
  static const Json none;
  ADD_FAILURE() << "no entry with " << key << " = " << value;
  return none;
}

}  // namespace rtaudit::test
