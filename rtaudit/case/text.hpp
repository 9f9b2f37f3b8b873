#pragma once
// Small text helpers shared by every reader of rtaudit's own data files (atlas, rules, names,
// point lists), so they report lines and parse numbers the same way.

#include <cstddef>
#include <optional>
#include <string_view>

namespace rtaudit::text {

/// 1-based line of a byte offset in `text` (offsets before the start give line 1).
[[nodiscard]] int line_of(std::string_view text, std::ptrdiff_t offset);

/// A finite decimal number, surrounding spaces/tabs and a leading '+' allowed; nothing else
/// (no NaN, no infinity, no trailing characters).
[[nodiscard]] std::optional<double> parse_finite_number(std::string_view v);

}  // namespace rtaudit::text
