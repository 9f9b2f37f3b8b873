#pragma once
// Pseudonymisation for sharing results across departments (issue 7, --pseudonymize KEYFILE): the
// patient ID becomes a keyed hash (HMAC-SHA256 under the department's secret key), the same for the
// same patient and key, useless without the key; and every identifier (IDs, name components) is
// replaced wherever it appears in a report document, paths and labels included. Pure: no I/O.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace rtaudit::report {

/// Keys shorter than this are refused: a short key could be guessed by trying every ID.
inline constexpr std::size_t kMinPseudonymKeyBytes = 16;

/// "P-" and the first 16 hex digits (64 bits) of HMAC-SHA256(key, "rtaudit-patient/1:" + patient_id).
/// An empty patient ID gives "P-unknown" (nothing to protect, nothing to link).
[[nodiscard]] std::string pseudonym(std::string_view key, std::string_view patient_id);

/// What to scrub for a patient. IDs of 4 or more characters are replaced wherever they occur (a
/// folder "RT_12345678_plan"); shorter IDs and the components of each DICOM PN name (family, given,
/// middle, of every component group; 2 characters or more) only as whole words, bounded by
/// characters that are not letters or digits, so a family name "Li" does not rewrite "clinical".
struct Identifiers {
  std::vector<std::string> substrings;  ///< longest first
  std::vector<std::string> words;
};
[[nodiscard]] Identifiers identifiers_to_scrub(const std::vector<std::string>& patient_ids, const std::vector<std::string>& patient_names);

/// Replaces every identifier (ASCII case-insensitive) in every string value of `doc` by
/// `replacement`; returns how many strings changed. Object keys are rtaudit's own and are kept.
/// Sets doc["pseudonymized"] = true.
std::size_t pseudonymize(nlohmann::ordered_json& doc, const Identifiers& identifiers, const std::string& replacement);

/// A key file's content as the key: trailing CR/LF removed (a key typed into a file); empty when
/// shorter than kMinPseudonymKeyBytes.
[[nodiscard]] std::string key_from_file_content(std::string content);

}  // namespace rtaudit::report
