// The Signature header parser on good and bad input, and the writer's quoting.
#include <gtest/gtest.h>

#include <string>

#include "signing/signature_header.hpp"
#include "signing_test_util.hpp"

namespace bankfeed::signing {
namespace {

const std::string kSig = "dGVzdC1zaWduYXR1cmU=";  // "test-signature"

TEST(SigningSignatureHeaderParse, BerlinGroupVector) {
  const std::string json = testing::Vector("berlin-group/bg-signature-vectors.json");
  const std::string marker = "\"Signature\": \"";
  const size_t at = json.find(marker) + marker.size();
  std::string header = json.substr(at, json.find("\"\n", at) - at);
  for (size_t p; (p = header.find("\\\"")) != std::string::npos;) header.erase(p, 1);  // JSON-unescape \"
  const auto parsed = ParseSignatureHeader(header);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_EQ(parsed->key_id, "SN=965F5BBCC4354B0F,CA=CN=Test%20QTSP%20Root%20CA,O=Test%20QTSP%20(NOT%20QUALIFIED),C=GB");
  EXPECT_EQ(parsed->algorithm, "rsa-sha256");
  EXPECT_EQ(parsed->headers,
            (std::vector<std::string>{"digest", "x-request-id", "psu-id", "tpp-redirect-uri", "date"}));
  EXPECT_TRUE(parsed->headers_given);
  EXPECT_EQ(parsed->signature.size(), 256u);
  EXPECT_FALSE(parsed->created.has_value());
}

TEST(SigningSignatureHeaderParse, BerlinGroupSpecExampleWithSpacesAndCapitals) {
  // psd2-api 1.3.11 components/parameters/Signature, as YAML folds it (the placeholder signature made base64).
  const auto parsed = ParseSignatureHeader(
      "keyId=\"SN=9FA1,CA=CN=D-TRUST%20CA%202-1%202015,O=D-Trust%20GmbH,C=DE\",algorithm=\"rsa-sha256\", "
      "headers=\"Digest X-Request-ID PSU-ID TPP-Redirect-URI Date\", signature=\"" +
      kSig + "\"");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_EQ(parsed->key_id, "SN=9FA1,CA=CN=D-TRUST%20CA%202-1%202015,O=D-Trust%20GmbH,C=DE");
  EXPECT_EQ(parsed->headers,
            (std::vector<std::string>{"digest", "x-request-id", "psu-id", "tpp-redirect-uri", "date"}));
  EXPECT_EQ(parsed->signature, "test-signature");
}

TEST(SigningSignatureHeaderParse, DefaultsEscapesTimestampsAndUnknownParameters) {
  const auto parsed = ParseSignatureHeader("keyId=\"a\\\"b\\\\c\" , signature = \"" + kSig +
                                           "\",created=1402170695,expires=\"1402170699\",ext=token,other=\"x\"");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_EQ(parsed->key_id, "a\"b\\c");
  EXPECT_EQ(parsed->algorithm, "");
  EXPECT_FALSE(parsed->headers_given);
  EXPECT_EQ(parsed->headers, std::vector<std::string>{"date"});
  EXPECT_EQ(parsed->created, 1402170695);
  EXPECT_EQ(parsed->expires, 1402170699);
}

TEST(SigningSignatureHeaderParse, RejectsBadInput) {
  const std::string sig = ",signature=\"" + kSig + "\"";
  const std::string key = "keyId=\"k\"";
  const std::pair<std::string, std::string> cases[] = {
      {"", "Signature: empty"},
      {"   ", "Signature: empty"},
      {"signature=\"" + kSig + "\"", "Signature: keyId: missing"},
      {key, "Signature: signature: missing"},
      {"keyId=\"\"" + sig, "Signature: keyId: missing"},
      {key + ",signature=\"\"", "Signature: signature: missing"},
      {key + sig + sig, "Signature: signature: given twice"},
      {key + ",keyId=\"k\"" + sig, "Signature: keyId: given twice"},
      {key + sig + ",", "Signature: trailing ','"},
      {key + ",," + sig, "Signature: expected a parameter name"},
      {key + sig + " x", "Signature: expected ',' between parameters"},
      {"keyId\"k\"" + sig, "Signature: keyId: expected '='"},
      {"keyId=k" + sig, "Signature: keyId: must be quoted"},
      {"keyId=\"k" + sig, "Signature: expected ',' between parameters"},
      {key + ",signature=\"" + kSig, "Signature: signature: unterminated quoted string"},
      {"keyId=\"k\\", "Signature: keyId: bad escape in quoted string"},
      {"keyId=\"k\x01\"" + sig, "Signature: keyId: control character in quoted string"},
      {"keyId=\"k\nX\"" + sig, "Signature: keyId: control character in quoted string"},
      {"keyId=\"k\\\n\"" + sig, "Signature: keyId: bad escape in quoted string"},
      {key + ",signature=\"dGVzdA\"", "Signature: signature: not base64"},
      {key + ",signature=\"dGVz dA==\"", "Signature: signature: not base64"},
      {key + sig + ",algorithm=\"rsa sha256\"", "Signature: algorithm: not a token"},
      {key + sig + ",headers=\"\"", "Signature: headers: empty"},
      {key + sig + ",headers=\"date  digest\"",
       "Signature: headers: not a list of header names separated by single spaces"},
      {key + sig + ",headers=\" date\"", "Signature: headers: not a list of header names separated by single spaces"},
      {key + sig + ",headers=\"date \"", "Signature: headers: not a list of header names separated by single spaces"},
      {key + sig + ",headers=\"date: x\"", "Signature: headers: not a list of header names separated by single spaces"},
      {key + sig + ",headers=\"()\"", "Signature: headers: not a list of header names separated by single spaces"},
      {key + sig + ",headers=\"date Date\"", "Signature: headers: a header is listed twice"},
      {key + sig + ",created=-1", "Signature: created: not a Unix time"},
      {key + sig + ",created=12a", "Signature: created: not a Unix time"},
      {key + sig + ",expires=1234567890123456", "Signature: expires: not a Unix time"},
      {key + sig + ",created=20,expires=10", "Signature: expires: before created"},
      {"Signature " + key + sig, "Signature: parameter: expected '='"},
      {"=\"x\"", "Signature: expected a parameter name"},
      {std::string(kMaxSignatureHeaderSize + 1, 'a'), "Signature: too long"},
  };
  for (const auto& [input, message] : cases) {
    const auto r = ParseSignatureHeader(input);
    ASSERT_FALSE(r.has_value()) << input;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput) << input;
    EXPECT_EQ(r.error().message, message) << input;
  }
}

TEST(SigningSignatureHeaderParse, BoundsParametersHeadersAndSignatureSize) {
  std::string many = "keyId=\"k\"";
  for (int i = 0; i < 20; ++i) many += ",p" + std::to_string(i) + "=\"v\"";
  EXPECT_EQ(ParseSignatureHeader(many + ",signature=\"" + kSig + "\"").error().message,
            "Signature: too many parameters");

  std::string list;
  for (size_t i = 0; i <= kMaxSignedHeaders; ++i) list += (i ? " h" : "h") + std::to_string(i);
  EXPECT_EQ(ParseSignatureHeader("keyId=\"k\",signature=\"" + kSig + "\",headers=\"" + list + "\"").error().message,
            "Signature: headers: too many");

  const std::string big = std::string(1028 / 3 * 4, 'A');  // 1,026 bytes decoded
  EXPECT_EQ(ParseSignatureHeader("keyId=\"k\",signature=\"" + big + "\"").error().message,
            "Signature: signature: too long");
}

TEST(SigningSignatureHeaderParse, ErrorsNeverEchoValues) {
  const std::string secret_key_id = "SN=SECRET";
  for (const std::string& input :
       {"keyId=\"" + secret_key_id + "\",signature=\"SECRETSECRET!\"",
        "keyId=\"" + secret_key_id + "\",SECRETPARAM=\"x\",SECRETPARAM2",
        "keyId=\"" + secret_key_id + "\",signature=\"" + kSig + "\",headers=\"SECRET SECRET\""}) {
    const auto r = ParseSignatureHeader(input);
    ASSERT_FALSE(r.has_value()) << input;
    EXPECT_EQ(r.error().message.find("SECRET"), std::string::npos) << r.error().message;
  }
}

TEST(SigningSignatureHeaderFormat, QuotesAndRoundTrips) {
  const auto header = FormatSignatureHeader("CN=a\\,b \"q\"", "rsa-sha256", "digest date", kSig);
  ASSERT_TRUE(header.has_value());
  EXPECT_EQ(*header, "keyId=\"CN=a\\\\,b \\\"q\\\"\",algorithm=\"rsa-sha256\",headers=\"digest date\",signature=\"" +
                         kSig + "\"");
  const auto parsed = ParseSignatureHeader(*header);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_EQ(parsed->key_id, "CN=a\\,b \"q\"");
  EXPECT_EQ(parsed->headers, (std::vector<std::string>{"digest", "date"}));

  const auto bad = FormatSignatureHeader("k\r\nX-Injected: 1", "rsa-sha256", "date", kSig);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace bankfeed::signing
