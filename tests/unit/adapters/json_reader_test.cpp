// The shared reader: paths, placeholders, trimming.
#include <gtest/gtest.h>

#include "adapters/common/fields.hpp"
#include "adapters/common/json_reader.hpp"

namespace bankfeed::adapters {
namespace {

TEST(JsonPath, FormatsKeysAndIndexes) {
  JsonPath p;
  EXPECT_EQ(p.ToString(), "$");
  p.PushKey("transactions");
  p.PushKey("booked");
  p.PushIndex(3);
  p.PushKey("transactionAmount");
  p.PushKey("amount");
  EXPECT_EQ(p.ToString(), "transactions.booked[3].transactionAmount.amount");
  p.Pop();
  p.Pop();
  p.Pop();
  EXPECT_EQ(p.ToString(), "transactions.booked");
}

TEST(JsonPath, HostileKeysAreCutAndMadePrintable) {
  JsonPath p;
  const std::string key = "a\nb" + std::string(100, 'k');
  p.PushKey(key);
  EXPECT_EQ(p.ToString(), "a?b" + std::string(61, 'k'));
}

TEST(Placeholders, TheCanonicalList) {
  for (std::string_view s : {"NOTPROVIDED", "NOT PROVIDED", "NONREF", "N/A", "NA", "NONE", "UNKNOWN", "-", "notprovided",
                             " n/a ", "None"}) {
    EXPECT_TRUE(IsPlaceholder(s)) << s;
  }
  for (std::string_view s : {"0", "NULL", "NO", "N/A1", "--", "NOT_PROVIDED", "1234"}) EXPECT_FALSE(IsPlaceholder(s)) << s;
}

TEST(Fields, MaskPan) {
  EXPECT_EQ(MaskPan("5409050000000000"), "540905******0000");
  EXPECT_EQ(MaskPan("1234"), "****");
  EXPECT_EQ(MaskPan("525412******3241"), "525412******3241");
  // Found by fuzzing: masking by byte used to split a multi-byte character. Non-digits mask the whole value.
  EXPECT_EQ(MaskPan("12345\xc3\xa9" "67890"), std::string(12, '*'));
  EXPECT_EQ(MaskPan("4111 1111 1111 1111"), std::string(19, '*'));
}

TEST(Fields, TrimSpace) {
  EXPECT_EQ(TrimSpace(" \t a b \r\n"), "a b");
  EXPECT_EQ(TrimSpace("   "), "");
}

}  // namespace
}  // namespace bankfeed::adapters
