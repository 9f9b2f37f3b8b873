#include "rtaudit/phantom/atlas.hpp"

#include <gtest/gtest.h>

#include <string>

namespace rtaudit::phantom {
namespace {

const std::string kAtlas = std::string(RTAUDIT_ATLAS_DIR) + "/phantom/thorax.xml";

TEST(PhantomAtlas, ShippedAtlasLoadsWithEveryRequiredDimension) {
  const AtlasLoad load = load_thorax_atlas(kAtlas);
  ASSERT_TRUE(load) << load.error->message();
  const ThoraxAtlas& atlas = *load.atlas;
  for (const auto name : required_dimension_names()) EXPECT_NE(atlas.find(name), nullptr) << name;
  for (const auto name : required_tissue_names()) EXPECT_NO_THROW((void)atlas.hu(name)) << name;
  EXPECT_DOUBLE_EQ(atlas.noise_sigma_hu, 10.0);
  EXPECT_DOUBLE_EQ(atlas.hu("air"), -1000.0);
  for (const auto& d : atlas.dimensions) {
    EXPECT_LE(d.min, d.mean) << d.name;
    EXPECT_LE(d.mean, d.max) << d.name;
    EXPECT_TRUE(d.assumption || !d.source.empty()) << d.name << " has neither source nor assumption";
    EXPECT_GT(d.line, 0) << d.name;
  }
  EXPECT_EQ(atlas.at("imv.offset_from_sternal_edge").source, "glassberg1990");
  EXPECT_TRUE(atlas.sources.count("marks2001"));
}

TEST(PhantomAtlas, MalformedXmlReportsFileAndLine) {
  const std::string xml =
      "<?xml version=\"1.0\"?>\n"
      "<thorax_atlas version=\"1\">\n"
      "  <dimension name=\"a\" min=\"1\" mean=\"2\" max=\"3\" unit=\"mm\" assumption=\"true\"/>\n"
      "  <dimension name=\"b\" min=\"1\" <oops/>\n"
      "</thorax_atlas>\n";
  const AtlasLoad load = parse_thorax_atlas(xml, "bad.xml");
  ASSERT_FALSE(load);
  ASSERT_TRUE(load.error);
  EXPECT_EQ(load.error->file, "bad.xml");
  EXPECT_EQ(load.error->line, 4);
  EXPECT_NE(load.error->expected.find("well-formed XML"), std::string::npos) << load.error->message();
  EXPECT_EQ(load.error->message().rfind("bad.xml:4: expected", 0), 0u) << load.error->message();
}

TEST(PhantomAtlas, MissingAttributeNamesTheElementLineAndAttribute) {
  const std::string xml =
      "<thorax_atlas>\n"
      "  <sources/>\n"
      "  <dimension name=\"body.half_width\" min=\"1\" mean=\"2\" unit=\"mm\" assumption=\"true\"/>\n"
      "</thorax_atlas>\n";
  const AtlasLoad load = parse_thorax_atlas(xml, "x.xml");
  ASSERT_TRUE(load.error);
  EXPECT_EQ(load.error->line, 3);
  EXPECT_NE(load.error->expected.find("'max'"), std::string::npos) << load.error->message();
}

TEST(PhantomAtlas, RangeOutOfOrderIsRejected) {
  const std::string xml =
      "<thorax_atlas>\n"
      "  <dimension name=\"a\" min=\"5\" mean=\"2\" max=\"3\" unit=\"mm\" assumption=\"true\"/>\n"
      "</thorax_atlas>\n";
  const AtlasLoad load = parse_thorax_atlas(xml, "x.xml");
  ASSERT_TRUE(load.error);
  EXPECT_EQ(load.error->line, 2);
  EXPECT_NE(load.error->expected.find("min <= mean <= max"), std::string::npos);
}

TEST(PhantomAtlas, MissingRequiredDimensionIsNamed) {
  const std::string xml =
      "<thorax_atlas>\n"
      "  <dimension name=\"a\" min=\"1\" mean=\"2\" max=\"3\" unit=\"mm\" assumption=\"true\"/>\n"
      "  <noise sigma_hu=\"10\"/>\n"
      "</thorax_atlas>\n";
  const AtlasLoad load = parse_thorax_atlas(xml, "x.xml");
  ASSERT_TRUE(load.error);
  EXPECT_EQ(load.error->line, 1);
  EXPECT_NE(load.error->expected.find("body.half_width"), std::string::npos) << load.error->message();
}

TEST(PhantomAtlas, UnreadableFileNamesTheFile) {
  const AtlasLoad load = load_thorax_atlas("/nonexistent/thorax.xml");
  ASSERT_TRUE(load.error);
  EXPECT_EQ(load.error->file, "/nonexistent/thorax.xml");
}

}  // namespace
}  // namespace rtaudit::phantom
