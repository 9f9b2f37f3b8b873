#include "rtaudit/recurrence/points_file.hpp"

#include <gtest/gtest.h>

namespace rtaudit::recurrence {
namespace {

std::vector<PointRecord> sample() {
  PointRecord a;
  a.patient_id = "P1";
  a.point_id = "R1";
  a.position_mm = {-12.5, 3.25, 100};
  a.frame_of_reference_uid = "1.2.3";
  a.radius_mm = 5;
  a.site = "IMN, ICS2 \"left\"";
  a.modality = "CT";
  PointRecord b = a;
  b.point_id = "=HYPERLINK(\"x\")";
  b.kind = "sentinel_node";
  b.radius_mm.reset();
  b.volume_cc = 0.5;
  return {a, b};
}

TEST(PointsFile, CsvRoundTripsIncludingQuotesAndFormulaCells) {
  const auto csv = to_csv(sample());
  EXPECT_NE(csv.find("'=HYPERLINK"), std::string::npos);  // neutralised for spreadsheets
  const auto back = parse_csv(csv, "r.csv");
  ASSERT_TRUE(back.problems.empty()) << back.problems[0].message;
  ASSERT_EQ(back.points.size(), 2u);
  EXPECT_EQ(back.points[0].site, "IMN, ICS2 \"left\"");
  EXPECT_EQ(back.points[0].position_mm, (geom::Point3{-12.5, 3.25, 100}));
  EXPECT_EQ(*back.points[0].radius_mm, 5);
  EXPECT_EQ(back.points[1].point_id, "=HYPERLINK(\"x\")");
  EXPECT_EQ(back.points[1].kind, "sentinel_node");
  EXPECT_EQ(*back.points[1].volume_cc, 0.5);
}

TEST(PointsFile, JsonRoundTrips) {
  const auto back = parse_json(to_json(sample()).dump(), "r.json");
  ASSERT_TRUE(back.problems.empty());
  ASSERT_EQ(back.points.size(), 2u);
  EXPECT_EQ(back.points[1].point_id, "=HYPERLINK(\"x\")");
}

TEST(PointsFile, BadRowsAreRejectedWithTheirLine) {
  const std::string csv =
      "point_id,x_mm,y_mm,z_mm,frame_of_reference_uid,kind\n"
      "A,1,2,3,1.2.3,recurrence\n"
      "B,1,two,3,1.2.3,recurrence\n"
      "C,1,2,3,,recurrence\n"
      "D,1,2,3,1.2.3,metastasis\n"
      "E,1,2\n"
      "F,nan,2,3,1.2.3,recurrence\n";
  const auto r = parse_csv(csv, "r.csv");
  ASSERT_EQ(r.points.size(), 1u);
  ASSERT_EQ(r.problems.size(), 5u);
  EXPECT_EQ(r.problems[0].element, "line 3");
  EXPECT_NE(r.problems[1].message.find("frame_of_reference_uid"), std::string::npos);
  EXPECT_NE(r.problems[2].message.find("unknown kind"), std::string::npos);
  EXPECT_EQ(r.problems[4].file, "r.csv");
}

TEST(PointsFile, InvalidJsonIsReported) {
  EXPECT_EQ(parse_json("{", "x.json").problems.size(), 1u);
  EXPECT_EQ(parse_json("{\"points\": 3}", "x.json").problems.size(), 1u);
  EXPECT_EQ(parse_json("[{\"point_id\": \"A\"}]", "x.json").problems.size(), 1u);
}

}  // namespace
}  // namespace rtaudit::recurrence
