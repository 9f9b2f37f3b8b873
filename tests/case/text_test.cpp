#include "rtaudit/case/text.hpp"

#include <gtest/gtest.h>

namespace rtaudit::text {
namespace {

TEST(Text, LineOfCountsNewlinesBeforeTheOffset) {
  EXPECT_EQ(line_of("a\nb\nc", 0), 1);
  EXPECT_EQ(line_of("a\nb\nc", 2), 2);
  EXPECT_EQ(line_of("a\nb\nc", 4), 3);
  EXPECT_EQ(line_of("a\nb\nc", -5), 1);
  EXPECT_EQ(line_of("a\nb\nc", 99), 3);
}

TEST(Text, ParseFiniteNumberAcceptsOnlyFiniteDecimals) {
  EXPECT_EQ(parse_finite_number(" +2.5 "), 2.5);
  EXPECT_EQ(parse_finite_number("-1e3"), -1000.0);
  EXPECT_FALSE(parse_finite_number(""));
  EXPECT_FALSE(parse_finite_number("+"));
  EXPECT_FALSE(parse_finite_number("nan"));
  EXPECT_FALSE(parse_finite_number("inf"));
  EXPECT_FALSE(parse_finite_number("1e999"));
  EXPECT_FALSE(parse_finite_number("3 mm"));
}

}  // namespace
}  // namespace rtaudit::text
