// Pseudonymisation (issue 7, --pseudonymize KEYFILE): keyed hash and scrubbing of a report document.
#include "rtaudit/report/pseudonym.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace rtaudit::report;
using json = nlohmann::ordered_json;

TEST(Pseudonym, IsTheKeyedHashOfThePatientId) {
  // Reference values from Python's hmac module (independent of OpenSSL's HMAC in rtaudit).
  EXPECT_EQ(pseudonym("0123456789abcdef", "12345678"), "P-5c65b092be320625");
  EXPECT_EQ(pseudonym("another-key-of-16+", "12345678"), "P-111b59a119cbfc28") << "another key, another pseudonym";
  EXPECT_EQ(pseudonym("0123456789abcdef", "12345678"), pseudonym("0123456789abcdef", "12345678")) << "stable";
  EXPECT_NE(pseudonym("0123456789abcdef", "12345679"), pseudonym("0123456789abcdef", "12345678"));
  EXPECT_EQ(pseudonym("0123456789abcdef", ""), "P-unknown");
}

TEST(Pseudonym, ShortKeysAreRefused) {
  EXPECT_EQ(key_from_file_content("short\n"), "");
  EXPECT_EQ(key_from_file_content("0123456789abcdef\r\n"), "0123456789abcdef");
  EXPECT_EQ(key_from_file_content(std::string(15, 'k')), "");
}

TEST(Pseudonym, IdentifiersAreScrubbedEverywhereButWordsStayWords) {
  const Identifiers ids = identifiers_to_scrub({"12345678", "AB1"}, {"Li^Mary^Ann", "DOE=JOHN"});
  EXPECT_THAT(ids.substrings, ::testing::ElementsAre("12345678"));
  EXPECT_THAT(ids.words, ::testing::UnorderedElementsAre("AB1", "Li", "Mary", "Ann", "DOE", "JOHN"));
  json doc{{"case", {{"patient_id", "12345678"}, {"dir", "/data/RT_12345678_li_mary/plan"}}},
           {"miss", {{"points", json::array({{{"source", "Li Mary follow-up.csv"}, {"ctv", "clinical"}}})}}},
           {"label", "Clinical annotation by ANN: mary-li"},
           {"ab1", 3}};
  const std::size_t changed = pseudonymize(doc, ids, "P-x");
  EXPECT_EQ(doc["case"]["patient_id"], "P-x");
  EXPECT_EQ(doc["case"]["dir"], "/data/RT_P-x_P-x_P-x/plan");
  EXPECT_EQ(doc["miss"]["points"][0]["source"], "P-x P-x follow-up.csv");
  EXPECT_EQ(doc["miss"]["points"][0]["ctv"], "clinical") << "'Li' is not a word of 'clinical'";
  EXPECT_EQ(doc["label"], "Clinical annotation by P-x: P-x-P-x");
  EXPECT_TRUE(doc.contains("ab1")) << "keys are rtaudit's own";
  EXPECT_EQ(doc["pseudonymized"], true);
  EXPECT_EQ(changed, 4u);
  const std::string text = doc.dump();
  for (const char* id : {"12345678", "Mary", "mary", "JOHN"}) EXPECT_EQ(text.find(id), std::string::npos) << id;
}
