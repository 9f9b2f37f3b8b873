#pragma once
// Deterministic DICOM UIDs: the same key always gives the same UID, on every platform, so a
// generated patient is byte-identical from run to run.

#include <string>
#include <string_view>

namespace rtaudit {

/// "2.25." followed by the decimal value of the first 128 bits of SHA-256(key), read as a
/// big-endian unsigned integer (the ISO/IEC 9834-8 / DICOM PS3.5 B.2 UUID-derived root).
/// At most 44 characters; no component has a leading zero.
[[nodiscard]] std::string make_uid(std::string_view key);

/// True when `uid` is a syntactically valid DICOM UID: 1-64 characters, digits and dots,
/// non-empty components, no leading zero in a multi-digit component.
[[nodiscard]] bool is_valid_uid(std::string_view uid);

/// SHA-256 of `data` (FIPS 180-4) as 64 lowercase hex digits. Exposed for tests.
[[nodiscard]] std::string sha256_hex(std::string_view data);

}  // namespace rtaudit
