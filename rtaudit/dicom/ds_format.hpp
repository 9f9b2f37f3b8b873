#pragma once
// Numbers as DICOM Decimal Strings (DS, PS3.5 6.2): at most 16 characters per value.

#include <optional>
#include <span>
#include <string>

namespace rtaudit::dicom {

/// The shortest text that reads back as exactly `value` (std::to_chars), when it fits in 16
/// characters; otherwise the closest value with fewer significant digits that fits. Zero (and
/// negative zero, and anything that rounds to it) is written "0", never "-0". Empty for NaN and
/// infinities, which DS cannot hold.
[[nodiscard]] std::optional<std::string> format_ds(double value);

/// Values joined with '\' as a multi-valued DS. Empty when any value is not finite.
[[nodiscard]] std::optional<std::string> format_ds_list(std::span<const double> values);

/// A value of an Integer String (IS): decimal digits with an optional '-', never "-0".
[[nodiscard]] std::string format_is(long long value);

}  // namespace rtaudit::dicom
