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

// AppendStrings over the value `json` of the document {"t": json}.
Status Append(const std::string& json, OptString& out) {
  const NormalizeOptions options;
  MapContext ctx(options);
  const simdjson::padded_string doc("{\"t\":" + json + "}");
  return WithDocument(ctx, doc, [&](od::value root) {
    return ForEachField(ctx, root, [&](std::string_view, od::value v) { return AppendStrings(ctx, v, out); });
  });
}

TEST(AppendStrings, JoinsThePartsAfterWhatIsThereSkippingEmptyOnes) {
  OptString out;
  ASSERT_TRUE(Append("null", out));
  EXPECT_FALSE(out);
  ASSERT_TRUE(Append(R"([" ", "", null])", out));
  EXPECT_FALSE(out) << "nothing but empty parts is no text";
  ASSERT_TRUE(Append(R"(" first ")", out));
  EXPECT_EQ(out, "first");
  // More parts than are joined at once, escaped and blank ones among them.
  std::string json = "[";
  std::string expected = "first";
  for (int i = 0; i < 20; ++i) {
    const std::string part = "p" + std::to_string(i);
    json += (i > 0 ? "," : "") + ("\"" + part + (i % 3 == 0 ? "\\u00e9" : "") + "\"") + (i == 5 ? R"(,"  ")" : "");
    expected += "\n" + part + (i % 3 == 0 ? "\u00e9" : "");
  }
  json += "]";
  ASSERT_TRUE(Append(json, out));
  EXPECT_EQ(out, expected);
}

TEST(AppendStrings, RefusesMoreThan16384BytesJoined) {
  const std::string part(4096, 'x');
  const std::string three = "[\"" + part + "\",\"" + part + "\",\"" + part + "\",";  // 12290 bytes joined so far
  OptString out;
  ASSERT_TRUE(Append(three + "\"" + std::string(4093, 'y') + "\"]", out));
  EXPECT_EQ(out->size(), 16384u);
  OptString over;
  const Status refused = Append(three + "\"" + std::string(4094, 'y') + "\"]", over);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "t[3]: text too long (at most 16384 bytes joined)");
}

}  // namespace
}  // namespace bankfeed::adapters
