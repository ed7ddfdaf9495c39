// UK Open Banking detached JWS: the OB vectors verify in both forms, tampering fails, our own output round-trips,
// bad JWS are refused, and RFC 7797's signing inputs come out byte for byte.
#include <gtest/gtest.h>

#include <chrono>
#include <ostream>
#include <string>

#include <openssl/evp.h>

#include "signing/base64.hpp"
#include "signing/jws.hpp"
#include "signing_test_util.hpp"

namespace bankfeed::signing {
namespace {

using testing::Vector;

constexpr int64_t kVectorIat = 1596030273;

JwsOptions VectorOptions(JwsOptions::Form form) {
  JwsOptions o;
  o.form = form;
  o.kid = "test-kid-0001";
  o.issuer = "0015800001041RHAAY/HQuZPIt3ipkh33Uxytox1E";
  return o;
}

struct FormCase {
  JwsOptions::Form form;
  const char* tag;  // the vector files' suffix
};

void PrintTo(const FormCase& c, std::ostream* os) { *os << c.tag; }

class SigningJwsVectors : public ::testing::TestWithParam<FormCase> {
 protected:
  std::string jws_ = Vector(std::string("ukob-jws/x-jws-signature-") + GetParam().tag + ".txt");
  std::string body_ = Vector("ukob-jws/body.json");
  testing::Pkey pub_ = testing::PublicKey("ukob-jws/ps256-test-pub.pem");
};

TEST_P(SigningJwsVectors, Verifies) {
  const auto ok = VerifyDetachedJws(jws_, body_, pub_.get());
  EXPECT_TRUE(ok.has_value()) << ok.error().ToString();
  JwsVerifyOptions strict;
  strict.form = GetParam().form;
  strict.expected_kid = "test-kid-0001";
  strict.expected_issuer = "0015800001041RHAAY/HQuZPIt3ipkh33Uxytox1E";
  EXPECT_TRUE(VerifyDetachedJws(jws_, body_, pub_.get(), strict).has_value());
}

TEST_P(SigningJwsVectors, OurHeaderAndSigningInputAreTheVectorsBytes) {
  const std::string header = WriteJwsHeader(VectorOptions(GetParam().form), kVectorIat);
  const std::string header_b64u = Base64UrlEncode(header);
  EXPECT_EQ(header_b64u, jws_.substr(0, jws_.find('.')));
  const bool b64 = GetParam().form == JwsOptions::Form::kV314Plus;
  EXPECT_EQ(JwsSigningInput(header_b64u, body_, b64),
            Vector(std::string("ukob-jws/signing-input-") + GetParam().tag + ".bin"));
  const auto parsed = ParseDetachedJws(jws_);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->header.kid, "test-kid-0001");
  EXPECT_EQ(parsed->header.iat, kVectorIat);
  EXPECT_EQ(parsed->header.tan, "openbanking.org.uk");
  EXPECT_EQ(parsed->header.b64, b64);
  EXPECT_EQ(parsed->signature, Vector(std::string("ukob-jws/signature-") + GetParam().tag + ".bin"));
}

TEST_P(SigningJwsVectors, TamperingFails) {
  const auto expect_rejected = [&](const std::string& jws, const std::string& body, const char* what) {
    const auto r = VerifyDetachedJws(jws, body, pub_.get());
    ASSERT_FALSE(r.has_value()) << what;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput) << what;
    const std::string sig = jws_.substr(jws_.rfind('.') + 1);
    EXPECT_EQ(r.error().message.find(sig.substr(0, 12)), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.find("0015800001041RHAAY"), std::string::npos) << r.error().message;
  };
  for (const size_t at : {size_t{0}, body_.size() / 2, body_.size() - 1}) {
    std::string body = body_;
    body[at] ^= 0x01;
    expect_rejected(jws_, body, "body byte");
  }
  expect_rejected(jws_, body_ + " ", "body with a byte more");
  // One header character: "test-kid-0001" -> "test-kid-0000" keeps valid JSON, so only the signature catches it.
  const std::string header_json = WriteJwsHeader(VectorOptions(GetParam().form), kVectorIat);
  std::string changed = header_json;
  changed.replace(changed.find("0001"), 4, "0000");
  expect_rejected(Base64UrlEncode(changed) + jws_.substr(jws_.find('.')), body_, "header byte");
  std::string header_b64u = jws_.substr(0, jws_.find('.'));
  header_b64u[10] = header_b64u[10] == 'A' ? 'B' : 'A';
  expect_rejected(header_b64u + jws_.substr(jws_.find('.')), body_, "header character");
  for (const size_t from_end : {size_t{2}, size_t{100}, jws_.size() - jws_.rfind('.') - 1}) {
    std::string jws = jws_;
    char& c = jws[jws.size() - from_end];
    c = c == 'A' ? 'B' : 'A';
    expect_rejected(jws, body_, "signature character");
  }
}

TEST_P(SigningJwsVectors, FormAndExpectationsAreEnforced) {
  JwsVerifyOptions o;
  o.form =
      GetParam().form == JwsOptions::Form::kV314Plus ? JwsOptions::Form::kV313b64False : JwsOptions::Form::kV314Plus;
  EXPECT_FALSE(VerifyDetachedJws(jws_, body_, pub_.get(), o).has_value());
  o = {};
  o.expected_kid = "other-kid";
  EXPECT_EQ(VerifyDetachedJws(jws_, body_, pub_.get(), o).error().message, "JWS: kid: not the expected key");
  o = {};
  o.expected_issuer = "other";
  EXPECT_EQ(VerifyDetachedJws(jws_, body_, pub_.get(), o).error().message, "JWS: iss: not the expected issuer");
  o = {};
  o.expected_trust_anchor = "openbanking.org.uk/sandbox";
  EXPECT_FALSE(VerifyDetachedJws(jws_, body_, pub_.get(), o).has_value());
  o.expected_trust_anchor = "";
  EXPECT_TRUE(VerifyDetachedJws(jws_, body_, pub_.get(), o).has_value());
}

TEST_P(SigningJwsVectors, OurSignatureRoundTrips) {
  const testing::Pkey key = testing::PrivateKey("ukob-jws/ps256-test-key.pem");
  const JwsOptions options = VectorOptions(GetParam().form);
  const auto jws =
      SignDetachedJws(body_, options, key.get(), std::chrono::sys_seconds(std::chrono::seconds(kVectorIat)));
  ASSERT_TRUE(jws.has_value()) << jws.error().ToString();
  // Same header as the vector (the clock was injected); a different signature (PSS is randomised).
  EXPECT_EQ(jws->substr(0, jws->find("..") + 2), jws_.substr(0, jws_.find("..") + 2));
  EXPECT_NE(*jws, jws_);
  EXPECT_TRUE(VerifyDetachedJws(*jws, body_, pub_.get()).has_value());
  EXPECT_FALSE(VerifyDetachedJws(*jws, body_ + "x", pub_.get()).has_value());
}

INSTANTIATE_TEST_SUITE_P(Forms, SigningJwsVectors,
                         ::testing::Values(FormCase{JwsOptions::Form::kV314Plus, "b64true"},
                                           FormCase{JwsOptions::Form::kV313b64False, "b64false"}),
                         [](const auto& p) { return std::string(p.param.tag); });

TEST(SigningJws, DefaultClockIsNow) {
  const testing::Pkey key = testing::PrivateKey("ukob-jws/ps256-test-key.pem");
  const auto before = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto jws = SignDetachedJws("{}", VectorOptions(JwsOptions::Form::kV314Plus), key.get());
  const auto after = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  ASSERT_TRUE(jws.has_value());
  const auto parsed = ParseDetachedJws(*jws);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_GE(parsed->header.iat, before.time_since_epoch().count());
  EXPECT_LE(parsed->header.iat, after.time_since_epoch().count());
}

TEST(SigningJws, SigningRefusesBadKeysAndOptions) {
  const testing::Pkey small = testing::PrivateKey("cavage/test-key-private.pem");  // 1024 bits
  const auto r = SignDetachedJws("{}", VectorOptions(JwsOptions::Form::kV314Plus), small.get());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kConfig);
  const testing::Pkey pub = testing::PublicKey("ukob-jws/ps256-test-pub.pem");  // no private half
  EXPECT_EQ(SignDetachedJws("{}", VectorOptions(JwsOptions::Form::kV314Plus), pub.get()).error().code,
            ErrorCode::kConfig);
  const testing::Pkey key = testing::PrivateKey("ukob-jws/ps256-test-key.pem");
  JwsOptions no_kid = VectorOptions(JwsOptions::Form::kV314Plus);
  no_kid.kid.clear();
  EXPECT_EQ(SignDetachedJws("{}", no_kid, key.get()).error().message, "jws.kid: empty");
  EXPECT_EQ(SignDetachedJws("{}", VectorOptions(JwsOptions::Form::kV314Plus), nullptr).error().code,
            ErrorCode::kInvalidArgument);
}

// Malformed JWS and headers: each refused with kInvalidInput and a reason, before any signature check.
class SigningJwsBad : public ::testing::Test {
 protected:
  // A JWS with the given header JSON and the vector's (now wrong) signature.
  std::string WithHeader(const std::string& json) const { return Base64UrlEncode(json) + ".." + sig_; }
  std::string Reason(const std::string& jws) const {
    const auto r = VerifyDetachedJws(jws, body_, pub_.get());
    EXPECT_FALSE(r.has_value()) << jws;
    if (r) return "accepted";
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
    return r.error().message;
  }
  std::string good_ = Vector("ukob-jws/x-jws-signature-b64true.txt");
  std::string sig_ = good_.substr(good_.rfind('.') + 1);
  std::string body_ = Vector("ukob-jws/body.json");
  testing::Pkey pub_ = testing::PublicKey("ukob-jws/ps256-test-pub.pem");
};

TEST_F(SigningJwsBad, Structure) {
  const std::string header = good_.substr(0, good_.find('.'));
  EXPECT_EQ(Reason(""), "JWS: empty");
  EXPECT_EQ(Reason(std::string(kMaxJwsSize + 1, 'a')), "JWS: too long");
  EXPECT_EQ(Reason(header), "JWS: not three parts separated by '.'");
  EXPECT_EQ(Reason(header + "." + sig_), "JWS: not three parts separated by '.'");
  EXPECT_EQ(Reason(header + "..." + sig_), "JWS: not three parts separated by '.'");
  EXPECT_EQ(Reason(header + ".." + sig_ + "."), "JWS: not three parts separated by '.'");
  EXPECT_EQ(Reason(header + "." + Base64UrlEncode(body_) + "." + sig_),
            "JWS: the payload part is not empty (expected a detached JWS)");
  EXPECT_EQ(Reason(".." + sig_), "JWS: empty header part");
  EXPECT_EQ(Reason(header + ".."), "JWS: empty signature part");
  EXPECT_EQ(Reason(header + "=.." + sig_), "JWS: header: not base64url");
  EXPECT_EQ(Reason(header + ".." + sig_ + "="), "JWS: signature: not base64url");
  EXPECT_EQ(Reason(header + ".." + sig_.substr(0, 20) + "+" + sig_.substr(21)), "JWS: signature: not base64url");
  EXPECT_EQ(Reason(header + ".." + sig_.substr(4)), "JWS: signature does not verify (wrong length for the key)");
}

TEST_F(SigningJwsBad, Headers) {
  const std::string ob =
      "\"http://openbanking.org.uk/iat\":1,\"http://openbanking.org.uk/iss\":\"i\","
      "\"http://openbanking.org.uk/tan\":\"openbanking.org.uk\"";
  const std::string crit =
      "\"crit\":[\"http://openbanking.org.uk/iat\",\"http://openbanking.org.uk/iss\","
      "\"http://openbanking.org.uk/tan\"]";
  const auto h = [&](const std::string& members) { return WithHeader("{" + members + "}"); };
  const std::string rest = ",\"kid\":\"k\"," + ob + "," + crit;
  EXPECT_EQ(Reason(h("\"alg\":\"PS256\"" + rest)), "JWS: signature does not verify");  // well-formed
  EXPECT_EQ(Reason(h("\"alg\":\"none\"" + rest)), "JWS header: alg: must be PS256");
  EXPECT_EQ(Reason(h("\"alg\":\"RS256\"" + rest)), "JWS header: alg: must be PS256");
  EXPECT_EQ(Reason(h("\"alg\":\"HS256\"" + rest)), "JWS header: alg: must be PS256");
  EXPECT_EQ(Reason(h("\"alg\":\"ps256\"" + rest)), "JWS header: alg: must be PS256");
  EXPECT_EQ(Reason(h(rest.substr(1))), "JWS header: alg: missing");
  EXPECT_EQ(Reason(h("\"alg\":null" + rest)), "JWS header: alg: not a string");
  EXPECT_EQ(Reason(h("\"alg\":\"PS256\",\"alg\":\"PS256\"" + rest)), "JWS header: duplicate member");
  EXPECT_EQ(Reason(h("\"alg\":\"PS256\"," + ob + "," + crit)), "JWS header: kid: missing");
  EXPECT_EQ(Reason(h("\"alg\":\"PS256\",\"kid\":\"\"," + ob + "," + crit)), "JWS header: kid: not a non-empty string");
  EXPECT_EQ(Reason(h("\"alg\":\"PS256\",\"kid\":\"k\"," + ob)), "JWS header: crit: missing");
  EXPECT_EQ(Reason(h("\"alg\":\"PS256\",\"kid\":\"k\"," + ob + ",\"crit\":[]")), "JWS header: crit: empty");
  EXPECT_EQ(Reason(h("\"alg\":\"PS256\",\"kid\":\"k\"," + ob + ",\"crit\":\"b64\"")), "JWS header: crit: not an array");
  EXPECT_EQ(Reason(h("\"alg\":\"PS256\",\"kid\":\"k\"," + ob + ",\"crit\":[1]")),
            "JWS header: crit: not an array of strings");
  EXPECT_EQ(Reason(h("\"alg\":\"PS256\",\"kid\":\"k\"," + ob + ",\"crit\":[\"exp\"]")),
            "JWS header: crit: names an extension this verifier does not understand");
  EXPECT_EQ(Reason(h("\"alg\":\"PS256\",\"kid\":\"k\"," + ob +
                     ",\"crit\":[\"http://openbanking.org.uk/iat\","
                     "\"http://openbanking.org.uk/iat\"]")),
            "JWS header: crit: duplicate name");
  EXPECT_EQ(Reason(h("\"alg\":\"PS256\",\"kid\":\"k\"," + ob + ",\"crit\":[\"http://openbanking.org.uk/iat\"]")),
            "JWS header: crit: must list the Open Banking claims iat, iss and tan");
  EXPECT_EQ(Reason(h("\"alg\":\"PS256\",\"kid\":\"k\",\"b64\":false," + ob + "," + crit)),
            "JWS header: b64: must be present exactly when crit lists it");
  EXPECT_EQ(Reason(h("\"alg\":\"PS256\",\"kid\":\"k\",\"b64\":\"false\"," + ob + "," + crit)),
            "JWS header: b64: not a boolean");
  EXPECT_EQ(Reason(h("\"alg\":\"PS256\",\"kid\":\"k\"," + crit)),
            "JWS header: an Open Banking claim (iat, iss, tan) is missing");
  EXPECT_EQ(Reason(h("\"alg\":\"PS256\",\"kid\":\"k\",\"http://openbanking.org.uk/iat\":1.5" + ob.substr(ob.find(',')) +
                     "," + crit)),
            "JWS header: iat: not a Unix time");
  EXPECT_EQ(Reason(h("\"alg\":\"PS256\",\"kid\":\"k\",\"http://openbanking.org.uk/iat\":-1" + ob.substr(ob.find(',')) +
                     "," + crit)),
            "JWS header: iat: not a Unix time");
  EXPECT_EQ(Reason(WithHeader("[]")), "JWS header: not a JSON object");
  EXPECT_EQ(Reason(WithHeader("{\"alg\":\"PS256\"" + rest + "} x")), "JWS header: not a JSON object");
  EXPECT_EQ(Reason(WithHeader("{\"alg\":\"PS256\"" + rest)), "JWS header: not a JSON object");
  EXPECT_EQ(Reason(WithHeader("{\"alg\":\"PS\xff\"" + rest + "}")), "JWS header: not a JSON object");  // not UTF-8
  EXPECT_EQ(Reason(WithHeader("")), "JWS: empty header part");
}

TEST(SigningJwsRfc7797, SigningInputsAndHs256Signatures) {
  // RFC 7797 §4.1 and §4.2: the payload "$.02" with and without b64. HS256 is computed here (OpenSSL's HMAC), only
  // to show that the signing inputs JwsSigningInput builds are the ones the RFC signed.
  const std::string json = Vector("rfc7797/rfc7797-vectors.json");
  const auto key =
      Base64UrlDecode("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow", "k");
  ASSERT_TRUE(key.has_value());
  struct Case {
    std::string header_json;
    bool b64;
    std::string signing_input;
    std::string signature;
  };
  const Case cases[] = {
      {"{\"alg\":\"HS256\"}", true, "eyJhbGciOiJIUzI1NiJ9.JC4wMg", "5mvfOroL-g7HyqJoozehmsaqmvTYGEq5jTI1gVvoEoQ"},
      {"{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]}", false,
       "eyJhbGciOiJIUzI1NiIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19.$.02", "A5dxf2s96_n5FLueVuW1Z_vh161FwXZC4YLPff6dmDY"},
  };
  for (const Case& c : cases) {
    const std::string input = JwsSigningInput(Base64UrlEncode(c.header_json), "$.02", c.b64);
    EXPECT_EQ(input, c.signing_input);
    EXPECT_NE(json.find(c.signing_input), std::string::npos);  // the vendored vector file has the same text
    unsigned char mac[EVP_MAX_MD_SIZE];
    size_t mac_len = 0;
    ASSERT_NE(EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key->data(), key->size(),
                        reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, sizeof mac, &mac_len),
              nullptr);
    EXPECT_EQ(Base64UrlEncode(std::string(reinterpret_cast<const char*>(mac), mac_len)), c.signature);
  }
}

}  // namespace
}  // namespace bankfeed::signing
