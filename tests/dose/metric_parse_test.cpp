// Metric names (dose/dvh.hpp: parse_metric, MetricSpec::unit).
#include "rtaudit/dose/dvh.hpp"

#include <gtest/gtest.h>

namespace rtaudit::dose {
namespace {

using Kind = MetricSpec::Kind;

struct Good {
  std::string in, v_unit;
  Kind kind;
  double parameter;
  std::string text, unit;
};

TEST(MetricParse, KnownNames) {
  const std::vector<Good> cases = {
      {"Dmean", "%", Kind::Mean, 0, "Dmean", "Gy"},
      {"dmean", "%", Kind::Mean, 0, "Dmean", "Gy"},
      {"Dmin", "%", Kind::Min, 0, "Dmin", "Gy"},
      {"Dmax", "%", Kind::Max, 0, "Dmax", "Gy"},
      {"D0.03cc", "%", Kind::DoseAtVolumeCc, 0.03, "D0.03cc", "Gy"},
      {"D0.03CC", "%", Kind::DoseAtVolumeCc, 0.03, "D0.03cc", "Gy"},
      {"D2cc", "%", Kind::DoseAtVolumeCc, 2, "D2cc", "Gy"},
      {"D2%", "%", Kind::DoseAtVolumePct, 2, "D2%", "Gy"},
      {"D95%", "cc", Kind::DoseAtVolumePct, 95, "D95%", "Gy"},
      {"D100%", "%", Kind::DoseAtVolumePct, 100, "D100%", "Gy"},
      {"V20Gy", "%", Kind::VolumeAtDosePct, 20, "V20Gy[%]", "%"},
      {"V20Gy", "cc", Kind::VolumeAtDoseCc, 20, "V20Gy[cc]", "cc"},
      {"V20Gy[%]", "cc", Kind::VolumeAtDosePct, 20, "V20Gy[%]", "%"},
      {"V20Gy[cc]", "%", Kind::VolumeAtDoseCc, 20, "V20Gy[cc]", "cc"},
      {"V20Gy%", "cc", Kind::VolumeAtDosePct, 20, "V20Gy[%]", "%"},
      {"V5Gy[cc]", "%", Kind::VolumeAtDoseCc, 5, "V5Gy[cc]", "cc"},
      {"V20gy", "%", Kind::VolumeAtDosePct, 20, "V20Gy[%]", "%"},
      {"V20GY[CC]", "%", Kind::VolumeAtDoseCc, 20, "V20Gy[cc]", "cc"},
      {"V2.5Gy", "%", Kind::VolumeAtDosePct, 2.5, "V2.5Gy[%]", "%"},
      {"V20.0Gy", "%", Kind::VolumeAtDosePct, 20, "V20Gy[%]", "%"},
      {" Dmean ", "%", Kind::Mean, 0, "Dmean", "Gy"},
  };
  for (const auto& c : cases) {
    const auto m = parse_metric(c.in, c.v_unit);
    ASSERT_TRUE(m) << c.in;
    EXPECT_EQ(m->kind, c.kind) << c.in;
    EXPECT_EQ(m->parameter, c.parameter) << c.in;
    EXPECT_EQ(m->text, c.text) << c.in;
    EXPECT_EQ(m->unit(), c.unit) << c.in;
    EXPECT_EQ(m->is_dose(), c.unit == "Gy") << c.in;
    // The canonical text reads back as itself.
    const auto again = parse_metric(m->text, c.v_unit == "%" ? "cc" : "%");
    ASSERT_TRUE(again) << m->text;
    EXPECT_EQ(again->text, m->text);
    EXPECT_EQ(again->kind, m->kind);
  }
}

TEST(MetricParse, RejectsNonsense) {
  for (const std::string bad : {"", "D", "V", "D-5%", "V%", "D150%", "Dmedian", "D95", "D95%%", "V20", "V20Gy[]",
                                "V20Gy[Gy]", "Vgy", "D.5cc", "D5.cc", "D1.2.3cc", "V-5Gy", "D1e2cc", "X20Gy", "V20Gy cc",
                                "Dmean2", "D+5%", "D 5%"}) {
    EXPECT_FALSE(parse_metric(bad)) << "'" << bad << "'";
  }
  EXPECT_FALSE(parse_metric("V20Gy", "Gy"));  // v_unit must be % or cc
  EXPECT_TRUE(parse_metric("V20Gy[%]", "Gy"));  // explicit unit needs no default
}

}  // namespace
}  // namespace rtaudit::dose
