// Strict base64 / base64url: RFC 4648 §10 test vectors, and one spelling per byte string.
#include <gtest/gtest.h>

#include <string>

#include "signing/base64.hpp"

namespace bankfeed::signing {
namespace {

TEST(SigningBase64, Rfc4648Vectors) {
  const std::pair<std::string, std::string> cases[] = {{"", ""},
                                                       {"f", "Zg=="},
                                                       {"fo", "Zm8="},
                                                       {"foo", "Zm9v"},
                                                       {"foob", "Zm9vYg=="},
                                                       {"fooba", "Zm9vYmE="},
                                                       {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : cases) {
    EXPECT_EQ(Base64Encode(plain), encoded);
    const auto back = Base64Decode(encoded, "x");
    ASSERT_TRUE(back.has_value()) << encoded;
    EXPECT_EQ(*back, plain);
    std::string url = encoded;
    while (!url.empty() && url.back() == '=') url.pop_back();
    EXPECT_EQ(Base64UrlEncode(plain), url);
    const auto url_back = Base64UrlDecode(url, "x");
    ASSERT_TRUE(url_back.has_value()) << url;
    EXPECT_EQ(*url_back, plain);
  }
}

TEST(SigningBase64, UrlAlphabet) {
  const std::string bytes("\xfb\xff\xbf", 3);
  EXPECT_EQ(Base64Encode(bytes), "+/+/");
  EXPECT_EQ(Base64UrlEncode(bytes), "-_-_");
  EXPECT_EQ(*Base64UrlDecode("-_-_", "x"), bytes);
  EXPECT_FALSE(Base64UrlDecode("+/+/", "x").has_value());
  EXPECT_FALSE(Base64Decode("-_-_", "x").has_value());
}

TEST(SigningBase64, LongInputCrossesChunks) {
  std::string bytes;
  for (int i = 0; i < 200000; ++i) bytes += static_cast<char>(i * 7);
  const std::string b64 = Base64Encode(bytes);
  EXPECT_EQ(b64.size(), 4 * ((bytes.size() + 2) / 3));
  EXPECT_EQ(*Base64Decode(b64, "x"), bytes);
  EXPECT_EQ(*Base64UrlDecode(Base64UrlEncode(bytes), "x"), bytes);
}

TEST(SigningBase64, RejectsEverythingNonCanonical) {
  for (const char* bad : {"Zg", "Zg=", "Zh==", "Zm9=", "Zm8", "Z===", "====", "Zm9v\n", " Zm9v", "Zm 9v",
                          "Zm9v====", "Zg==Zg==", "Zm9v*A==", "Zm\n9", "Z"}) {
    const auto r = Base64Decode(bad, "Signature: signature");
    EXPECT_FALSE(r.has_value()) << bad;
    if (!r) {
      EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
      EXPECT_EQ(r.error().message, "Signature: signature: not base64");
    }
  }
  // Non-zero unused bits ("Zh" would decode to "f" too), padding, a lone character, the standard alphabet.
  for (const char* bad : {"Zh", "Zg==", "Zm9", "Z", "Zm9v+", "Zm9v/", "Zm.v", "Zm9v\n"}) {
    EXPECT_FALSE(Base64UrlDecode(bad, "x").has_value()) << bad;
  }
}

}  // namespace
}  // namespace bankfeed::signing
