#include "rtaudit/case/uid.hpp"

#include <gtest/gtest.h>

#include <string>
#include <unordered_set>

namespace rtaudit {
namespace {

TEST(Sha256, MatchesFipsTestVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(MakeUid, IsTheDecimalOfTheFirst128BitsOfSha256) {
  // 0xba7816bf8f01cfea414140de5dae2223 (SHA-256 of "abc", first 16 bytes), in decimal.
  EXPECT_EQ(make_uid("abc"), "2.25.247859944228867399418143717509236138531");
}

TEST(MakeUid, IsDeterministicAndValid) {
  EXPECT_EQ(make_uid("patient/1/ct"), make_uid("patient/1/ct"));
  EXPECT_NE(make_uid("patient/1/ct"), make_uid("patient/1/cT"));
  EXPECT_TRUE(is_valid_uid(make_uid("")));
}

TEST(MakeUid, HundredThousandKeysGiveDistinctValidUids) {
  std::unordered_set<std::string> seen;
  for (int i = 0; i < 100000; ++i) {
    const std::string uid = make_uid("phantom/seed-7/ct/" + std::to_string(i));
    ASSERT_TRUE(is_valid_uid(uid)) << uid;
    ASSERT_LE(uid.size(), 44u);
    ASSERT_EQ(uid.rfind("2.25.", 0), 0u);
    ASSERT_TRUE(seen.insert(uid).second) << "collision at " << i;
  }
}

TEST(IsValidUid, RejectsBadSyntax) {
  EXPECT_TRUE(is_valid_uid("1.2.840.10008.5.1.4.1.1.2"));
  EXPECT_TRUE(is_valid_uid("0.1"));
  EXPECT_FALSE(is_valid_uid(""));
  EXPECT_FALSE(is_valid_uid("1..2"));
  EXPECT_FALSE(is_valid_uid("1.2."));
  EXPECT_FALSE(is_valid_uid(".1.2"));
  EXPECT_FALSE(is_valid_uid("1.02"));
  EXPECT_FALSE(is_valid_uid("1.2a"));
  EXPECT_FALSE(is_valid_uid(std::string(65, '1')));
}

}  // namespace
}  // namespace rtaudit
