#include "rtaudit/report/pseudonym.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <set>

namespace rtaudit::report {

namespace {

using json = nlohmann::ordered_json;

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || (static_cast<unsigned char>(c) & 0x80) != 0; }

/// `s` with every ASCII-case-insensitive occurrence of `needle` replaced (only whole words when
/// `whole_words`); true when it changed.
bool replace_all(std::string& s, const std::string& needle, const std::string& replacement, bool whole_words) {
  if (needle.empty() || s.size() < needle.size()) return false;
  std::string ls(s.size(), ' '), ln(needle.size(), ' ');
  std::transform(s.begin(), s.end(), ls.begin(), lower);
  std::transform(needle.begin(), needle.end(), ln.begin(), lower);
  std::string out;
  std::size_t from = 0;
  bool changed = false;
  for (std::size_t at = ls.find(ln); at != std::string::npos; at = ls.find(ln, at + 1)) {
    if (at < from) continue;
    const std::size_t end = at + needle.size();
    if (whole_words && ((at > 0 && word_char(s[at - 1])) || (end < s.size() && word_char(s[end])))) continue;
    out.append(s, from, at - from);
    out += replacement;
    from = end;
    changed = true;
  }
  if (!changed) return false;
  out.append(s, from, std::string::npos);
  s = std::move(out);
  return true;
}

std::size_t scrub(json& j, const Identifiers& ids, const std::string& replacement) {
  std::size_t n = 0;
  if (j.is_string()) {
    std::string s = j.get<std::string>();
    bool changed = false;
    for (const auto& id : ids.substrings) changed = replace_all(s, id, replacement, false) || changed;
    for (const auto& id : ids.words) changed = replace_all(s, id, replacement, true) || changed;
    if (changed) j = s, ++n;
  } else if (j.is_array() || j.is_object()) {
    for (auto& v : j) n += scrub(v, ids, replacement);
  }
  return n;
}

}  // namespace

std::string pseudonym(std::string_view key, std::string_view patient_id) {
  if (patient_id.empty()) return "P-unknown";
  const std::string message = "rtaudit-patient/1:" + std::string(patient_id);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()), message.size(),
       digest, &length);
  static const char* hex = "0123456789abcdef";
  std::string out = "P-";
  for (unsigned int i = 0; i < 8 && i < length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0xF];
  }
  return out;
}

Identifiers identifiers_to_scrub(const std::vector<std::string>& patient_ids, const std::vector<std::string>& patient_names) {
  std::set<std::string> seen;
  Identifiers out;
  const auto add = [&](std::string s, bool is_id) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
    while (!s.empty() && s.front() == ' ') s.erase(s.begin());
    std::string key(s.size(), ' ');
    std::transform(s.begin(), s.end(), key.begin(), lower);
    if (s.size() < (is_id ? 1u : 2u) || !seen.insert(key).second) return;
    (is_id && s.size() >= 4 ? out.substrings : out.words).push_back(s);
  };
  for (const auto& id : patient_ids) add(id, true);
  for (const auto& name : patient_names) {
    std::string part;
    for (char c : name + "^") {
      if (c == '^' || c == '=') {
        add(part, false);
        part.clear();
      } else {
        part += c;
      }
    }
  }
  // Longest first, so "SMITH-JONES" goes before "SMITH" leaves "-JONES" behind.
  const auto longest = [](const std::string& a, const std::string& b) { return a.size() > b.size(); };
  std::stable_sort(out.substrings.begin(), out.substrings.end(), longest);
  std::stable_sort(out.words.begin(), out.words.end(), longest);
  return out;
}

std::size_t pseudonymize(nlohmann::ordered_json& doc, const Identifiers& identifiers, const std::string& replacement) {
  const std::size_t n = scrub(doc, identifiers, replacement);
  doc["pseudonymized"] = true;
  return n;
}

std::string key_from_file_content(std::string content) {
  while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) content.pop_back();
  if (content.size() < kMinPseudonymKeyBytes) return {};
  return content;
}

}  // namespace rtaudit::report
