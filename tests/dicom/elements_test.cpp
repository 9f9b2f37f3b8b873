#include "rtaudit/dicom/elements.hpp"

#include <gtest/gtest.h>

#include <cmath>
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
