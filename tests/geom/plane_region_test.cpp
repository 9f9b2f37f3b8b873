#include "rtaudit/geom/plane_region.hpp"

#include "rtaudit/geom/ring_repair.hpp"
#include "tests/support/shapes.hpp"

#include <gtest/gtest.h>

namespace rtaudit::geom {
namespace {

std::vector<SourcedLoop> loops_of(const std::vector<Contour>& contours) {
  std::vector<SourcedLoop> out;
  for (std::size_t i = 0; i < contours.size(); ++i) {
    std::vector<Point2> flat;
    for (const auto& p : contours[i].points) flat.emplace_back(p.x, p.y);
    for (auto& ring : split_into_simple_loops(flat).loops) out.push_back({std::move(ring), i});
  }
  return out;
}

TEST(PlaneRegion, RingWithHole) {
  const auto r = build_plane_region(loops_of({test::rectangle(0, 0, 10, 10, 0), test::rectangle(2, 2, 8, 8, 0)}));
  EXPECT_DOUBLE_EQ(r.area_mm2, 100.0 - 36.0);
  EXPECT_TRUE(r.overlaps.empty());
  ASSERT_EQ(r.region.size(), 1u);
  EXPECT_EQ(r.region[0].inners().size(), 1u);
}

TEST(PlaneRegion, IslandInsideHoleIsFilled) {
  const auto r = build_plane_region(loops_of(
      {test::rectangle(0, 0, 10, 10, 0), test::rectangle(2, 2, 8, 8, 0), test::rectangle(4, 4, 6, 6, 0)}));
  EXPECT_DOUBLE_EQ(r.area_mm2, 100.0 - 36.0 + 4.0);
  EXPECT_EQ(r.region.size(), 2u);
}

TEST(PlaneRegion, HoleOrderDoesNotMatter) {
  const auto r = build_plane_region(loops_of(
      {test::rectangle(4, 4, 6, 6, 0), test::rectangle(2, 2, 8, 8, 0), test::rectangle(0, 0, 10, 10, 0)}));
  EXPECT_DOUBLE_EQ(r.area_mm2, 68.0);
}

TEST(PlaneRegion, DisjointIslandsAdd) {
  const auto r = build_plane_region(loops_of({test::rectangle(0, 0, 1, 1, 0), test::rectangle(5, 5, 7, 7, 0)}));
  EXPECT_DOUBLE_EQ(r.area_mm2, 5.0);
  EXPECT_TRUE(r.overlaps.empty());
}

TEST(PlaneRegion, OverlappingNonNestedAreUnitedAndReported) {
  const auto r = build_plane_region(loops_of({test::rectangle(0, 0, 4, 4, 0), test::rectangle(2, 2, 6, 6, 0)}));
  EXPECT_NEAR(r.area_mm2, 16.0 + 16.0 - 4.0, 1e-9);
  ASSERT_EQ(r.overlaps.size(), 1u);
  EXPECT_EQ(r.overlaps[0], std::make_pair(std::size_t{0}, std::size_t{1}));
}

TEST(PlaneRegion, KeyholeContourGivesAHole) {
  Contour keyhole;
  keyhole.points = {{0, 0, 0}, {10, 0, 0}, {10, 10, 0}, {0, 10, 0}, {0, 5, 0}, {3, 5, 0},
                    {3, 7, 0}, {7, 7, 0}, {7, 3, 0},  {3, 3, 0},  {3, 5, 0}, {0, 5, 0}};
  const auto r = build_plane_region(loops_of({keyhole}));
  EXPECT_NEAR(r.area_mm2, 100.0 - 16.0, 1e-12);
}

TEST(PlaneRegion, KeyholeWithIslandInItsHole) {
  Contour keyhole;
  keyhole.points = {{0, 0, 0}, {10, 0, 0}, {10, 10, 0}, {0, 10, 0}, {0, 5, 0}, {3, 5, 0},
                    {3, 7, 0}, {7, 7, 0}, {7, 3, 0},  {3, 3, 0},  {3, 5, 0}, {0, 5, 0}};
  const auto r = build_plane_region(loops_of({keyhole, test::rectangle(4, 4, 6, 6, 0)}));
  EXPECT_NEAR(r.area_mm2, 100.0 - 16.0 + 4.0, 1e-12);
}

}  // namespace
}  // namespace rtaudit::geom
