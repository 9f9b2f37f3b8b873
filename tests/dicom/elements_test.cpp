#include "rtaudit/dicom/elements.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace rtaudit::dicom {
namespace {

std::vector<double> parse(const char* s, bool* ok = nullptr) {
  std::vector<double> v;
  const bool r = parse_decimal_string(s, std::strlen(s), v);
  if (ok) *ok = r;
  return v;
}

TEST(DecimalString, ParsesPaddingSignsAndExponents) {
  EXPECT_EQ(parse("1.5\\-2e1\\ 3 \\+4"), (std::vector<double>{1.5, -20, 3, 4}));
  EXPECT_EQ(parse("-1.2345678901E+02 "), (std::vector<double>{-123.45678901}));
}

TEST(DecimalString, EmptyIsNoValues) { EXPECT_TRUE(parse("").empty()); }

TEST(DecimalString, GarbageIsRejected) {
  bool ok = true;
  parse("1\\abc\\3", &ok);
  EXPECT_FALSE(ok);
  parse("1\\\\3", &ok);
  EXPECT_FALSE(ok);
}

TEST(DecimalString, NanAndInfinityParseAsNonFinite) {
  const auto v = parse("NaN\\inf\\-Infinity\\1e999");
  ASSERT_EQ(v.size(), 4u);
  EXPECT_TRUE(std::isnan(v[0]));
  EXPECT_TRUE(std::isinf(v[1]));
  EXPECT_TRUE(std::isinf(v[2]));
  EXPECT_TRUE(std::isinf(v[3]));
}

TEST(DecimalString, StopsAtNulPadding) {
  const char s[] = {'1', '\\', '2', '\0'};
  std::vector<double> v;
  EXPECT_TRUE(parse_decimal_string(s, 4, v));
  EXPECT_EQ(v, (std::vector<double>{1, 2}));
}

}  // namespace
}  // namespace rtaudit::dicom

namespace rtaudit::dicom {
namespace {

// The fast path must give exactly what a correctly rounding parser gives.
TEST(DecimalString, FastPathMatchesStrtodExactly) {
  const char* samples[] = {"0.1", "-123.456", "1e-5", "12345678901234.5", "9007199254740993", "1.7976931348623157e308",
                           "-0.0", "4.9e-324", "123.456e-10", "0.000123456789012345", "-2.5E+3", "1234567890123456789"};
  for (const char* s : samples) {
    std::vector<double> v;
    ASSERT_TRUE(parse_decimal_string(s, std::strlen(s), v)) << s;
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0], std::strtod(s, nullptr)) << s;
  }
  // And over many generated values.
  char buf[64];
  std::uint64_t x = 88172645463325252ULL;
  for (int i = 0; i < 200000; ++i) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    const double d = static_cast<double>(static_cast<std::int64_t>(x % 2000000001ULL) - 1000000000) / std::pow(10.0, static_cast<double>(x % 9));
    std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(x % 9), d);
    std::vector<double> v;
    ASSERT_TRUE(parse_decimal_string(buf, std::strlen(buf), v));
    ASSERT_EQ(v[0], std::strtod(buf, nullptr)) << buf;
  }
}

}  // namespace
}  // namespace rtaudit::dicom
