// Bayesian imaging update (miss/imaging.hpp) with the shipped rules/imaging.xml (the review's
// Table 1). Expected posteriors are computed by hand from Bayes' rule in each test.
#include "rtaudit/miss/imaging.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace rtaudit::miss {
namespace {

const std::string kRules = std::string(RTAUDIT_SOURCE_DIR) + "/rules/imaging.xml";

const ImagingTable& table() {
  static const ImagingLoad load = load_imaging(kRules);
  if (!load.table) ADD_FAILURE() << load.error;
  static const ImagingTable t = load.table.value_or(ImagingTable{});
  return t;
}

Probability point(double p) { return {p, p, p}; }
PatientFacts::ImagingFinding finding(const std::string& m, const std::string& f) { return {m, f, ""}; }

double pos(double p, double se, double sp) { return p * se / (p * se + (1 - p) * (1 - sp)); }
double neg(double p, double se, double sp) { return p * (1 - se) / (p * (1 - se) + (1 - p) * sp); }

TEST(ImagingTable, CarriesTheReviewsTable1AndFindsAliases) {
  const auto& t = table();
  const auto* mri = t.find("MRI");
  ASSERT_NE(mri, nullptr);
  EXPECT_DOUBLE_EQ(*mri->sensitivity, 0.933);
  EXPECT_DOUBLE_EQ(*mri->specificity, 0.893);
  EXPECT_EQ(mri->patients, 16);
  EXPECT_EQ(mri->nodes, 43);
  EXPECT_EQ(t.find("ultrasound"), t.find("US"));
  EXPECT_DOUBLE_EQ(*t.find("us")->sensitivity, 0.74);
  EXPECT_DOUBLE_EQ(*t.find("us")->specificity, 0.53);
  for (const char* a : {"PET-CT", "petct", "PET/CT"}) {
    ASSERT_NE(t.find(a), nullptr) << a;
    EXPECT_EQ(t.find(a)->id, "PET/CT");
  }
  EXPECT_FALSE(t.find("PET/CT")->specificity);
  EXPECT_EQ(t.find("PET/CT")->patients, 249);
  EXPECT_DOUBLE_EQ(*t.find("PET/MRI")->specificity, 1.0);
  EXPECT_EQ(t.find("SPECT/CT"), t.find("lymphoscintigraphy"));
  EXPECT_DOUBLE_EQ(*t.find("spect/ct")->sensitivity, 0.967);
  EXPECT_DOUBLE_EQ(*t.find("SPECT/CT")->specificity, 0.977);
  const auto* ct = t.find("CT");
  ASSERT_NE(ct, nullptr);
  EXPECT_FALSE(ct->sensitivity);
  EXPECT_FALSE(ct->specificity);
  EXPECT_NE(ct->note.find("not known"), std::string::npos);
  EXPECT_EQ(t.find("thermography"), nullptr);
}

TEST(ImagingUpdate, PositiveMriRaisesTwentyPercentToAbout68Point6) {
  const auto r = update_with_imaging(point(0.20), {finding("MRI", "positive")}, table());
  ASSERT_TRUE(r.posterior.value);
  EXPECT_NEAR(*r.posterior.value, 0.686, 0.0005);  // 0.2*0.933 / (0.2*0.933 + 0.8*0.107) = 0.6855
  EXPECT_NEAR(*r.posterior.value, pos(0.2, 0.933, 0.893), 1e-12);
  EXPECT_DOUBLE_EQ(r.posterior.lo, *r.posterior.value);
  EXPECT_DOUBLE_EQ(r.posterior.hi, *r.posterior.value);
  ASSERT_EQ(r.steps.size(), 1u);
  EXPECT_EQ(r.steps[0].accuracy, table().find("MRI"));
}

TEST(ImagingUpdate, PositivePetCtWithoutSpecificityIsOnlyBounded) {
  const auto r = update_with_imaging(point(0.20), {finding("PET-CT", "positive")}, table());
  EXPECT_FALSE(r.posterior.value);
  // Sp = 0 at the low bound: 0.2*0.871 / (0.2*0.871 + 0.8); Sp = 1 at the high bound: 1.
  EXPECT_NEAR(r.posterior.lo, 0.2 * 0.871 / (0.2 * 0.871 + 0.8), 1e-12);
  EXPECT_NEAR(r.posterior.lo, 0.178813, 1e-6);
  EXPECT_DOUBLE_EQ(r.posterior.hi, 1.0);
  EXPECT_NE(r.steps[0].note.find("specificity not known"), std::string::npos) << r.steps[0].note;
}

TEST(ImagingUpdate, NegativeFindingsLowerTheProbabilityAndBoundUnknowns) {
  const auto mri = update_with_imaging(point(0.20), {finding("MRI", "negative")}, table());
  ASSERT_TRUE(mri.posterior.value);
  EXPECT_NEAR(*mri.posterior.value, 0.2 * 0.067 / (0.2 * 0.067 + 0.8 * 0.893), 1e-12);  // 1.84%
  const auto pet = update_with_imaging(point(0.20), {finding("PETCT", "negative")}, table());
  EXPECT_FALSE(pet.posterior.value);
  // Negative: falls with Sp, so Sp = 1 gives the low bound and Sp = 0 the high one (a test that is
  // never negative without disease makes a negative finding prove it).
  EXPECT_NEAR(pet.posterior.lo, 0.2 * 0.129 / (0.2 * 0.129 + 0.8 * 1.0), 1e-12);
  EXPECT_DOUBLE_EQ(pet.posterior.hi, 1.0);
  const auto ct = update_with_imaging(point(0.20), {finding("CT", "negative")}, table());
  EXPECT_FALSE(ct.posterior.value);
  EXPECT_DOUBLE_EQ(ct.posterior.lo, 0.0);  // Se = 1 makes a negative exclude disease
  EXPECT_DOUBLE_EQ(ct.posterior.hi, 1.0);
}

TEST(ImagingUpdate, SequentialUpdateEqualsTheHandComputation) {
  const auto r = update_with_imaging(point(0.20), {finding("ultrasound", "positive"), finding("MRI", "negative")}, table());
  const double after_us = 0.2 * 0.74 / (0.2 * 0.74 + 0.8 * 0.47);  // 0.28244
  const double expected = after_us * 0.067 / (after_us * 0.067 + (1 - after_us) * 0.893);
  ASSERT_TRUE(r.posterior.value);
  EXPECT_NEAR(*r.steps[0].after.value, after_us, 1e-12);
  EXPECT_NEAR(*r.posterior.value, expected, 1e-12);
  EXPECT_NEAR(*r.posterior.value, 0.028685, 1e-6);
  bool independence = false;
  for (const auto& n : r.notes) independence = independence || n.find("conditionally independent") != std::string::npos;
  EXPECT_TRUE(independence);
}

TEST(ImagingUpdate, PriorBoundsPropagate) {
  const Probability prior{0.20, 0.10, 0.30};
  const auto r = update_with_imaging(prior, {finding("MRI", "positive")}, table());
  ASSERT_TRUE(r.posterior.value);
  EXPECT_NEAR(*r.posterior.value, pos(0.20, 0.933, 0.893), 1e-12);
  EXPECT_NEAR(r.posterior.lo, pos(0.10, 0.933, 0.893), 1e-12);  // 0.4921
  EXPECT_NEAR(r.posterior.hi, pos(0.30, 0.933, 0.893), 1e-12);  // 0.7889
  // A prior with bounds only stays without a value.
  const auto b = update_with_imaging(Probability{std::nullopt, 0.1, 0.3}, {finding("MRI", "negative")}, table());
  EXPECT_FALSE(b.posterior.value);
  EXPECT_NEAR(b.posterior.lo, neg(0.10, 0.933, 0.893), 1e-12);
  EXPECT_NEAR(b.posterior.hi, neg(0.30, 0.933, 0.893), 1e-12);
}

TEST(ImagingUpdate, NotDoneAndUnknownModalitiesLeaveThePriorWithANote) {
  const auto r = update_with_imaging(point(0.20), {finding("MRI", "not_done"), finding("thermography", "positive")}, table());
  ASSERT_EQ(r.steps.size(), 2u);
  EXPECT_EQ(*r.posterior.value, 0.20);
  EXPECT_NE(r.steps[0].note.find("not done"), std::string::npos);
  EXPECT_EQ(r.steps[1].accuracy, nullptr);
  EXPECT_NE(r.steps[1].note.find("not in"), std::string::npos) << r.steps[1].note;
  ASSERT_FALSE(r.notes.empty());
}

TEST(BayesUpdate, ZeroOverZeroKeepsThePrior) {
  // p = 1 and a test that is never positive: the finding is impossible, keep the prior.
  const auto r = bayes_update(point(1.0), true, 0.0, 0.5);
  EXPECT_EQ(*r.value, 1.0);
  EXPECT_EQ(r.lo, 1.0);
  // p = 0: no evidence moves a certainty.
  const auto z = bayes_update(point(0.0), true, 0.9, 0.9);
  EXPECT_EQ(*z.value, 0.0);
}

// ---- malformed files ----

std::string write_temp(const std::string& name, const std::string& modality) {
  const auto p = std::filesystem::temp_directory_path() / ("rtaudit_imaging_" + name + ".xml");
  std::ofstream(p) << "<?xml version=\"1.0\"?>\n<imaging format=\"1\" id=\"t\" version=\"1\">\n"
                   << modality << "</imaging>\n";
  return p.string();
}

TEST(ImagingLoad, RejectsBadFiles) {
  auto path = write_temp("range", "  <modality id=\"MRI\" name=\"m\" sensitivity=\"93.3\" specificity=\"0.9\" source=\"x\"/>\n");
  auto r = load_imaging(path);
  EXPECT_FALSE(r.table);
  EXPECT_NE(r.error.find(path + ":3:"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("fraction"), std::string::npos) << r.error;

  path = write_temp("nosource", "  <modality id=\"MRI\" name=\"m\" sensitivity=\"0.9\" specificity=\"0.9\"/>\n");
  EXPECT_NE(load_imaging(path).error.find(path + ":3: missing attribute 'source'"), std::string::npos);

  path = write_temp("forgotten", "  <modality id=\"MRI\" name=\"m\" sensitivity=\"0.9\" source=\"x\"/>\n");
  EXPECT_NE(load_imaging(path).error.find("specificity=\"unknown\""), std::string::npos);

  path = write_temp("dup", "  <modality id=\"MRI\" name=\"m\" sensitivity=\"0.9\" specificity=\"0.9\" source=\"x\"/>\n"
                           "  <modality id=\"US\" name=\"u\" sensitivity=\"0.7\" specificity=\"0.5\" source=\"x\">\n"
                           "    <alias name=\"mri\"/>\n  </modality>\n");
  r = load_imaging(path);
  EXPECT_NE(r.error.find(path + ":5: alias 'mri' already names a modality"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace rtaudit::miss
