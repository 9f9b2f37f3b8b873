#include "rtaudit/cli/content_hash.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

namespace rtaudit::cli {

namespace fs = std::filesystem;

namespace {

using Md = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

std::string hex(const unsigned char* d, unsigned int n) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (unsigned int i = 0; i < n; ++i) s += digits[d[i] >> 4], s += digits[d[i] & 0xF];
  return s;
}

void update(EVP_MD_CTX* md, const std::string& s) {
  const std::size_t n = s.size();
  EVP_DigestUpdate(md, &n, sizeof n);  // length-prefixed: "ab"+"c" differs from "a"+"bc"
  EVP_DigestUpdate(md, s.data(), s.size());
}

}  // namespace

std::string sha256_hex(const std::string& data) {
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), d, &n, EVP_sha256(), nullptr);
  return hex(d, n);
}

std::optional<std::string> folder_content_hash(const std::string& folder, const std::string& context, std::string* error) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(folder, fs::directory_options::skip_permission_denied, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_regular_file(ec)) files.push_back(it->path());
  }
  if (ec) {
    if (error) *error = "cannot list " + folder + ": " + ec.message();
    return std::nullopt;
  }
  std::sort(files.begin(), files.end());
  Md md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(md.get(), EVP_sha256(), nullptr);
  update(md.get(), context);
  std::vector<char> buffer(1 << 20);
  for (const auto& f : files) {
    update(md.get(), fs::relative(f, folder, ec).generic_string());
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      if (error) *error = "cannot read " + f.string();
      return std::nullopt;
    }
    std::size_t total = 0;
    while (in) {
      in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      const auto got = static_cast<std::size_t>(in.gcount());
      EVP_DigestUpdate(md.get(), buffer.data(), got);
      total += got;
    }
    EVP_DigestUpdate(md.get(), &total, sizeof total);
  }
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(md.get(), d, &n);
  return hex(d, n);
}

}  // namespace rtaudit::cli
