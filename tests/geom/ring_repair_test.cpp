#include "rtaudit/geom/ring_repair.hpp"

#include <boost/geometry.hpp>
#include <gtest/gtest.h>

#include <algorithm>

namespace rtaudit::geom {
namespace {

std::vector<Point2> pts(std::initializer_list<std::pair<double, double>> xy) {
  std::vector<Point2> out;
  for (auto [x, y] : xy) out.emplace_back(x, y);
  return out;
}

TEST(RingRepair, SimpleSquareIsOneLoopUnrepaired) {
  const auto r = split_into_simple_loops(pts({{0, 0}, {2, 0}, {2, 2}, {0, 2}}));
  ASSERT_EQ(r.loops.size(), 1u);
  EXPECT_FALSE(r.repaired);
  EXPECT_DOUBLE_EQ(bg::area(r.loops[0]), 4.0);
}

TEST(RingRepair, ClockwiseInputComesOutCounterClockwise) {
  const auto r = split_into_simple_loops(pts({{0, 0}, {0, 2}, {2, 2}, {2, 0}}));
  ASSERT_EQ(r.loops.size(), 1u);
  EXPECT_DOUBLE_EQ(bg::area(r.loops[0]), 4.0);
}

TEST(RingRepair, RepeatedClosingPointAndDuplicatesIgnored) {
  const auto r = split_into_simple_loops(pts({{0, 0}, {0, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 0}}));
  ASSERT_EQ(r.loops.size(), 1u);
  EXPECT_FALSE(r.repaired);
  EXPECT_DOUBLE_EQ(bg::area(r.loops[0]), 4.0);
}

TEST(RingRepair, FewerThanThreeDistinctPointsGiveNothing) {
  EXPECT_TRUE(split_into_simple_loops(pts({{0, 0}, {1, 1}})).loops.empty());
  EXPECT_TRUE(split_into_simple_loops(pts({{0, 0}, {1, 1}, {0, 0}})).loops.empty());
}

TEST(RingRepair, CollinearPointsHaveZeroArea) {
  EXPECT_TRUE(split_into_simple_loops(pts({{0, 0}, {1, 1}, {2, 2}, {3, 3}})).loops.empty());
}

TEST(RingRepair, FigureEightBecomesTwoLobes) {
  // Crosses itself at (1,1): two triangles of area 1 each.
  const auto r = split_into_simple_loops(pts({{0, 0}, {2, 2}, {2, 0}, {0, 2}}));
  EXPECT_TRUE(r.repaired);
  ASSERT_EQ(r.loops.size(), 2u);
  EXPECT_NEAR(bg::area(r.loops[0]) + bg::area(r.loops[1]), 2.0, 1e-12);
  EXPECT_NEAR(bg::area(r.loops[0]), 1.0, 1e-12);
}

TEST(RingRepair, KeyholeSplitsIntoOuterAndInner) {
  // Outer 10x10 square, a channel from (0,5) to (3,5), inner 4x4 square traced the other way.
  const auto r = split_into_simple_loops(
      pts({{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 5}, {3, 5}, {3, 7}, {7, 7}, {7, 3}, {3, 3}, {3, 5}, {0, 5}}));
  EXPECT_TRUE(r.repaired);
  ASSERT_EQ(r.loops.size(), 2u);
  std::vector<double> areas{bg::area(r.loops[0]), bg::area(r.loops[1])};
  std::sort(areas.begin(), areas.end());
  EXPECT_NEAR(areas[0], 16.0, 1e-12);
  EXPECT_NEAR(areas[1], 100.0, 1e-12);
}

TEST(RingRepair, SpikeIsRemoved) {
  // A spike out and back along y = 0 beyond the square's corner.
  const auto r = split_into_simple_loops(pts({{0, 0}, {2, 0}, {5, 0}, {2, 0}, {2, 2}, {0, 2}}));
  ASSERT_EQ(r.loops.size(), 1u);
  EXPECT_NEAR(bg::area(r.loops[0]), 4.0, 1e-12);
}

TEST(RingRepair, SignedAreaFollowsOrientation) {
  const auto ccw = pts({{0, 0}, {1, 0}, {1, 1}, {0, 1}});
  const auto cw = pts({{0, 0}, {0, 1}, {1, 1}, {1, 0}});
  EXPECT_DOUBLE_EQ(signed_area(ccw), 1.0);
  EXPECT_DOUBLE_EQ(signed_area(cw), -1.0);
}

}  // namespace
}  // namespace rtaudit::geom

namespace rtaudit::geom {
namespace {

// A comb of long horizontal strokes defeats the x sweep; the R-tree path must give the same answer.
TEST(RingRepair, CombShapeUsesTheFallbackAndStaysExact) {
  std::vector<Point2> comb;
  const int teeth = 3000;
  for (int t = 0; t < teeth; ++t) {
    comb.emplace_back(0, 2.0 * t);
    comb.emplace_back(1000, 2.0 * t);
    comb.emplace_back(1000, 2.0 * t + 1);
    comb.emplace_back(0, 2.0 * t + 1);
  }
  comb.emplace_back(-10, 2.0 * teeth - 1);
  comb.emplace_back(-10, 0);
  const auto r = split_into_simple_loops(comb);
  ASSERT_EQ(r.loops.size(), 1u);
  EXPECT_FALSE(r.repaired);
  EXPECT_NEAR(bg::area(r.loops[0]), std::abs(signed_area(comb)), 1e-6);
}

}  // namespace
}  // namespace rtaudit::geom
