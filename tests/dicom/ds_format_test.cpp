#include "rtaudit/dicom/ds_format.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <random>
#include <vector>

namespace rtaudit::dicom {
namespace {

double parse(const std::string& s) { return std::strtod(s.c_str(), nullptr); }

TEST(FormatDs, WritesTheShortestRoundTripText) {
  EXPECT_EQ(format_ds(1.0), "1");
  EXPECT_EQ(format_ds(-2.5), "-2.5");
  EXPECT_EQ(format_ds(0.1), "0.1");
  EXPECT_EQ(format_ds(40.05), "40.05");
  EXPECT_EQ(format_ds(-123.456), "-123.456");
  EXPECT_EQ(format_ds(1e-7), "1e-07");
}

TEST(FormatDs, ZeroIsNeverNegative) {
  EXPECT_EQ(format_ds(0.0), "0");
  EXPECT_EQ(format_ds(-0.0), "0");
}

TEST(FormatDs, LongValuesLoseDigitsToFitSixteenCharacters) {
  const double v = -123.45678901234567;
  const auto s = format_ds(v);
  ASSERT_TRUE(s);
  EXPECT_LE(s->size(), 16u);
  EXPECT_NEAR(parse(*s), v, 1e-11);
  const auto third = format_ds(1.0 / 3.0);
  ASSERT_TRUE(third);
  EXPECT_LE(third->size(), 16u);
  EXPECT_NEAR(parse(*third), 1.0 / 3.0, 1e-14);
}

TEST(FormatDs, SmallAndLargeValuesKeepAsManyDigitsAsFit) {
  EXPECT_EQ(format_ds(0.00014914060821652808), "0.00014914060822");
  EXPECT_EQ(format_ds(-1.2345678901234567e-05), "-1.23456789e-05");
  EXPECT_EQ(format_ds(1234567890123456789.0), "1.2345678901e+18");
}

TEST(FormatDs, ExtremesFit) {
  for (double v : {std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest(),
                   std::numeric_limits<double>::min(), -std::numeric_limits<double>::denorm_min(), 1e300, -1e-300}) {
    const auto s = format_ds(v);
    ASSERT_TRUE(s) << v;
    EXPECT_LE(s->size(), 16u) << *s;
    EXPECT_NE(*s, "-0");
  }
}

TEST(FormatDs, NonFiniteValuesAreRefused) {
  EXPECT_FALSE(format_ds(std::nan("")));
  EXPECT_FALSE(format_ds(std::numeric_limits<double>::infinity()));
  EXPECT_FALSE(format_ds(-std::numeric_limits<double>::infinity()));
}

TEST(FormatDs, RandomValuesFitAndKeepAtLeastTenDigits) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> mantissa(-1, 1);
  std::uniform_int_distribution<int> exponent(-12, 12);
  for (int i = 0; i < 100000; ++i) {
    const double v = mantissa(rng) * std::pow(10.0, exponent(rng));
    const auto s = format_ds(v);
    ASSERT_TRUE(s);
    ASSERT_LE(s->size(), 16u) << *s;
    ASSERT_NEAR(parse(*s), v, std::abs(v) * 1e-9) << *s;
  }
}

TEST(FormatDsList, JoinsWithBackslash) {
  const std::vector<double> v{1.5, -0.0, 3};
  EXPECT_EQ(format_ds_list(v), "1.5\\0\\3");
  const std::vector<double> bad{1.5, std::nan("")};
  EXPECT_FALSE(format_ds_list(bad));
}

}  // namespace
}  // namespace rtaudit::dicom
