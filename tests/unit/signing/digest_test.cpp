// The Digest header: the draft's and the Berlin Group vectors' values, and checking a received one.
#include <gtest/gtest.h>

#include "signing/digest.hpp"
#include "signing_test_util.hpp"

namespace bankfeed::signing {
namespace {

using testing::Vector;

TEST(SigningDigest, CavageAppendixC) {
  EXPECT_EQ(DigestHeader(DigestAlgorithm::kSha256, Vector("cavage/body.json")),
            "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=");
}

TEST(SigningDigest, BerlinGroupVectors) {
  const std::string body = Vector("berlin-group/body.json");
  EXPECT_EQ(DigestHeader(DigestAlgorithm::kSha256, body), "SHA-256=2pHY9kQKMunGLvEt6jC2NcRi4M2N5dDyArKi0ltfZ9g=");
  EXPECT_EQ(DigestHeader(DigestAlgorithm::kSha512, body),
            "SHA-512=8+SSH6xX6K6ZJQrDKHgk33Qs6QnP/pugtg5qV0uLUf3VtlWGpP1J4FeAoqVnCOT96N+e3B1sBMStqynDIBwbrg==");
}

TEST(SigningDigest, EmptyBody) {
  EXPECT_EQ(DigestHeader(DigestAlgorithm::kSha256, ""), "SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  EXPECT_EQ(DigestHeader(DigestAlgorithm::kSha512, ""),
            "SHA-512=z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==");
}

TEST(SigningDigest, VerifiesReceivedValues) {
  const std::string body = Vector("berlin-group/body.json");
  const std::string d256 = DigestHeader(DigestAlgorithm::kSha256, body);
  const std::string d512 = DigestHeader(DigestAlgorithm::kSha512, body);
  EXPECT_TRUE(VerifyDigestHeader(d256, body).has_value());
  EXPECT_TRUE(VerifyDigestHeader(d512, body).has_value());
  EXPECT_TRUE(VerifyDigestHeader("sha-256=" + d256.substr(8), body).has_value());  // names are case-insensitive
  EXPECT_TRUE(VerifyDigestHeader(d256 + ", " + d512, body).has_value());
  EXPECT_TRUE(VerifyDigestHeader(" " + d256 + " ", body).has_value());
}

TEST(SigningDigest, RejectsWrongOrMalformedValues) {
  const std::string body = Vector("berlin-group/body.json");
  const std::string d256 = DigestHeader(DigestAlgorithm::kSha256, body);
  const std::string other = DigestHeader(DigestAlgorithm::kSha256, body + " ");
  for (const std::string& bad :
       {other, std::string(""), std::string("  "), std::string("SHA-256"), std::string("MD5=rL0Y20zC+Fzt72VPzMSk2A=="),
        d256 + ",", d256 + ",," + d256, d256 + ", " + other, std::string("SHA-256=not base64!"),
        std::string("SHA-256=") + d256.substr(8, 20), std::string(5000, 'A')}) {
    const auto r = VerifyDigestHeader(bad, body);
    EXPECT_FALSE(r.has_value()) << bad;
    if (!r) {
      EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
      EXPECT_TRUE(r.error().message.starts_with("Digest: ")) << r.error().message;
    }
  }
}

}  // namespace
}  // namespace bankfeed::signing
