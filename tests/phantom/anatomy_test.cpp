#include "rtaudit/phantom/anatomy.hpp"

#include "rtaudit/phantom/polygon_ops.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace rtaudit::phantom {
namespace {

const ThoraxAtlas& atlas() {
  static const ThoraxAtlas a = *load_thorax_atlas(std::string(RTAUDIT_ATLAS_DIR) + "/phantom/thorax.xml").atlas;
  return a;
}

TEST(PhantomAnatomy, SameSeedGivesIdenticalAnatomy) {
  const Anatomy a = make_anatomy(atlas(), 7);
  const Anatomy b = make_anatomy(atlas(), 7);
  EXPECT_EQ(a.drawn, b.drawn);
  for (const double z : {-150.0, -80.0, -20.0, 10.0}) {
    const AnatomySection sa = section(a, z);
    const AnatomySection sb = section(b, z);
    EXPECT_EQ(poly::area(sa.body), poly::area(sb.body));
    EXPECT_EQ(poly::area(sa.lung[0]), poly::area(sb.lung[0]));
    EXPECT_EQ(poly::area(sa.rib[0][2]), poly::area(sb.rib[0][2]));
  }
}

TEST(PhantomAnatomy, TwentySeedsDifferAndStayWithinTheAtlasRanges) {
  const Anatomy first = make_anatomy(atlas(), 1);
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const Anatomy a = make_anatomy(atlas(), seed);
    ASSERT_EQ(a.drawn.size(), atlas().dimensions.size());
    for (const auto& d : atlas().dimensions) {
      const double v = a.drawn.at(d.name);
      EXPECT_GE(v, d.min) << d.name << " seed " << seed;
      EXPECT_LE(v, d.max) << d.name << " seed " << seed;
    }
    if (seed > 1) {
      EXPECT_NE(a.drawn, first.drawn) << "seed " << seed;
    }
  }
}

TEST(PhantomAnatomy, IntercostalSpacesSatisfyMarks2001ForTwentySeeds) {
  // ICS1-4 lie within 5, 8.5, 11 and 14 cm of the suprasternal notch (z = 0).
  const double limit_mm[] = {50, 85, 110, 140};
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const Anatomy a = make_anatomy(atlas(), seed);
    for (int n = 1; n <= 4; ++n) {
      const RibLevel& upper = a.ribs[static_cast<std::size_t>(n - 1)];
      const RibLevel& lower = a.ribs[static_cast<std::size_t>(n)];
      EXPECT_GT(upper.bottom_z_mm(), lower.top_z_mm) << "ICS" << n << " empty, seed " << seed;
      EXPECT_LE(-lower.top_z_mm, limit_mm[n - 1]) << "ICS" << n << " seed " << seed;
    }
    EXPECT_NEAR(a.manubriosternal_joint_z_mm, a.ribs[1].centre_z_mm(), 1e-9);
  }
}

TEST(PhantomAnatomy, ImVesselsLieLateralOfTheSternalEdgeAndDorsalOfTheCartilage) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const Anatomy a = make_anatomy(atlas(), seed);
    const double z = 0.5 * (a.ribs[1].bottom_z_mm() + a.ribs[2].top_z_mm);  // mid ICS2
    const double hw = sternal_half_width_mm(a, z);
    for (const Side s : {Side::Left, Side::Right}) {
      const auto v = im_vein_centre(a, s, z);
      const auto art = im_artery_centre(a, s, z);
      EXPECT_NEAR(std::abs(v.x()) - hw, a.imv_offset_mm, 1e-9);
      EXPECT_GT(std::abs(art.x()), std::abs(v.x()));
      EXPECT_GE(std::abs(art.x()) - hw, 10.0);  // IM vessels about 1-2 cm from the sternal edge
      EXPECT_LE(std::abs(art.x()) - hw, 21.0);
      EXPECT_GT(v.y(), sternal_centre_y_mm(a, z));  // dorsal of the sternum's centre
    }
    // The vein is in the section and the rib 3 medial end is there on its centre plane.
    const AnatomySection sec = section(a, a.ribs[2].centre_z_mm());
    EXPECT_FALSE(sec.rib[0][2].empty());
    EXPECT_FALSE(sec.rib_cartilage[0][2].empty());
    EXPECT_FALSE(sec.imv[0].empty());
    EXPECT_TRUE(poly::intersect(sec.rib[0][2], sec.imv[0]).empty()) << "vein inside the cartilage, seed " << seed;
  }
}

TEST(PhantomAnatomy, HeartIsLeftOfTheMidlineAndInsideTheCavity) {
  const Anatomy a = make_anatomy(atlas(), 3);
  EXPECT_GT(a.heart.centre.x, 0);
  const AnatomySection sec = section(a, a.heart.centre.z);
  EXPECT_GT(poly::area(sec.heart), 1000.0);
  EXPECT_NEAR(poly::area(poly::subtract(sec.heart, sec.cavity)), 0.0, 1.0);
  EXPECT_FALSE(sec.lad.empty());
}

TEST(PhantomAnatomy, HeartCloseVariantPushesTheHeartAgainstTheChestWall) {
  const Anatomy a = with_heart_close(make_anatomy(atlas(), 3), Side::Left);
  const double z = a.ribs[3].top_z_mm + 1.0;
  const AnatomySection sec = section(a, z);
  const auto v = im_vein_centre(a, Side::Left, z);
  // Within 10 mm behind the vein there is heart, not lung.
  EXPECT_TRUE(poly::covers(sec.heart, {v.x(), v.y() + a.imv_radius_mm + a.imv_gap_pleura_mm + 3.0}));
}

}  // namespace
}  // namespace rtaudit::phantom
