#pragma once
// The hash that decides whether a cohort case changed since its stored result (issue 7): SHA-256 over
// every regular file below the case folder (relative path, size and bytes, in path order) and a
// context string (rtaudit's version and the options that change the result).

#include <optional>
#include <string>

namespace rtaudit::cli {

/// Hex SHA-256, or nullopt and `error` when a file cannot be read.
[[nodiscard]] std::optional<std::string> folder_content_hash(const std::string& folder, const std::string& context, std::string* error);

/// Hex SHA-256 of a string.
[[nodiscard]] std::string sha256_hex(const std::string& data);

}  // namespace rtaudit::cli
