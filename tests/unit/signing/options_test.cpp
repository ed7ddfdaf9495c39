// Validation of the per-bank signing options: each bad option is a kConfig error that names it.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "bankfeed/signing.hpp"

namespace bankfeed {
namespace {

std::string Message(const Status& s) {
  return s                                      ? std::string("ok")
         : s.error().code == ErrorCode::kConfig ? s.error().message
                                                : "not kConfig: " + s.error().ToString();
}

TEST(SigningOptions, DefaultsAreTheBerlinGroupSetAndValid) {
  const CavageOptions o;
  EXPECT_TRUE(o.Validate().has_value());
  EXPECT_EQ(o.algorithm, "rsa-sha256");
  EXPECT_EQ(o.headers.front(), "digest");
  EXPECT_EQ(o.digest, DigestAlgorithm::kSha256);
  EXPECT_TRUE(o.serial_uppercase);
}

TEST(SigningOptions, CavageErrorsNameTheOption) {
  const std::pair<std::function<void(CavageOptions&)>, std::string> cases[] = {
      {[](CavageOptions& o) { o.algorithm = "hs2019"; }, "cavage.algorithm: unsupported (rsa-sha256 or SHA256withRSA)"},
      {[](CavageOptions& o) { o.algorithm = "RSA-SHA256"; },
       "cavage.algorithm: unsupported (rsa-sha256 or SHA256withRSA)"},
      {[](CavageOptions& o) { o.headers.clear(), o.headers_if_present.clear(); }, "cavage.headers: empty"},
      {[](CavageOptions& o) { o.headers[1] = "X-Request-ID"; },
       "cavage.headers[1]: not a lower-case header name or (request-target)"},
      {[](CavageOptions& o) { o.headers[1] = "x request id"; },
       "cavage.headers[1]: not a lower-case header name or (request-target)"},
      {[](CavageOptions& o) { o.headers[1] = "(created)"; },
       "cavage.headers[1]: not a lower-case header name or (request-target)"},
      {[](CavageOptions& o) { o.headers[1] = ""; },
       "cavage.headers[1]: not a lower-case header name or (request-target)"},
      {[](CavageOptions& o) { o.headers.push_back("digest"); }, "cavage.headers[6]: listed twice"},
      {[](CavageOptions& o) {
         o.headers = std::vector<std::string>(65, "h");
         o.headers_if_present.clear();
       },
       "cavage.headers: too many"},
      {[](CavageOptions& o) { o.headers_if_present.push_back("host"); },
       "cavage.headers_if_present[4]: not in cavage.headers"},
      {[](CavageOptions& o) {
         o.headers = {"(request-target)", "date"};
         o.headers_if_present = {"(request-target)"};
       },
       "cavage.headers_if_present[0]: (request-target) is always present"},
      {[](CavageOptions& o) {
         o.headers = {"date"};
         o.headers_if_present = {"date"};
       },
       "cavage.headers_if_present: leaves no header that is always signed"},
      {[](CavageOptions& o) { o.key_id_url = "https://x"; },
       "cavage.key_id_url: set, but cavage.key_id_format is serial/issuer"},
      {[](CavageOptions& o) { o.key_id_format = CavageOptions::KeyIdFormat::kUrl; }, "cavage.key_id_url: empty"},
      {[](CavageOptions& o) { o.key_id_format = CavageOptions::KeyIdFormat::kUrl, o.key_id_url = "ftp://x"; },
       "cavage.key_id_url: not an http(s) URL"},
      {[](CavageOptions& o) { o.key_id_format = CavageOptions::KeyIdFormat::kUrl, o.key_id_url = "https://x/\"a"; },
       "cavage.key_id_url: holds a space, quote or backslash"},
      {[](CavageOptions& o) { o.key_id_format = CavageOptions::KeyIdFormat::kUrl, o.key_id_url = "https://x/\n"; },
       "cavage.key_id_url: must be printable ASCII"},
      {[](CavageOptions& o) { o.key_id_format = static_cast<CavageOptions::KeyIdFormat>(7); },
       "cavage.key_id_format: unknown value"},
      {[](CavageOptions& o) { o.certificate_encoding = static_cast<CavageOptions::CertificateEncoding>(7); },
       "cavage.certificate_encoding: unknown value"},
      {[](CavageOptions& o) { o.digest = static_cast<DigestAlgorithm>(7); }, "cavage.digest: unknown value"},
  };
  for (const auto& [change, message] : cases) {
    CavageOptions o;
    change(o);
    EXPECT_EQ(Message(o.Validate()), message);
  }
}

TEST(SigningOptions, CavageAcceptsTheVariantsBanksUse) {
  CavageOptions adorsys;
  adorsys.algorithm = "SHA256withRSA";
  adorsys.serial_uppercase = false;
  adorsys.headers = {"date", "digest", "psu-id", "x-request-id"};
  adorsys.headers_if_present = {"psu-id"};
  EXPECT_EQ(Message(adorsys.Validate()), "ok");
  CavageOptions stet;
  stet.headers = {"(request-target)", "psu-ip-address", "digest", "x-request-id"};
  stet.headers_if_present = {"psu-ip-address"};
  stet.key_id_format = CavageOptions::KeyIdFormat::kUrl;
  stet.key_id_url = "https://tpp.example.test/qseal.pem";
  stet.digest = DigestAlgorithm::kSha512;
  EXPECT_EQ(Message(stet.Validate()), "ok");
}

JwsOptions GoodJws() {
  JwsOptions o;
  o.kid = "kid-1";
  o.issuer = "0015800001041RHAAY/HQuZPIt3ipkh33Uxytox1E";
  return o;
}

TEST(SigningOptions, JwsErrorsNameTheOption) {
  EXPECT_EQ(Message(GoodJws().Validate()), "ok");
  const std::pair<std::function<void(JwsOptions&)>, std::string> cases[] = {
      {[](JwsOptions& o) { o.kid.clear(); }, "jws.kid: empty"},
      {[](JwsOptions& o) { o.kid = "k\x01"; }, "jws.kid: must be printable ASCII"},
      {[](JwsOptions& o) { o.kid = std::string(2000, 'k'); }, "jws.kid: too long"},
      {[](JwsOptions& o) { o.issuer.clear(); }, "jws.issuer: empty"},
      {[](JwsOptions& o) { o.issuer = "\xc3\xa9"; }, "jws.issuer: must be printable ASCII"},
      {[](JwsOptions& o) { o.trust_anchor.clear(); }, "jws.trust_anchor: empty"},
      {[](JwsOptions& o) { o.content_type = "a\nb"; }, "jws.content_type: must be printable ASCII"},
      {[](JwsOptions& o) { o.form = static_cast<JwsOptions::Form>(9); }, "jws.form: unknown value"},
  };
  for (const auto& [change, message] : cases) {
    JwsOptions o = GoodJws();
    change(o);
    EXPECT_EQ(Message(o.Validate()), message);
  }
  JwsOptions no_cty = GoodJws();
  no_cty.content_type.clear();  // "cty" is optional in the OB profile
  EXPECT_EQ(Message(no_cty.Validate()), "ok");
}

}  // namespace
}  // namespace bankfeed
