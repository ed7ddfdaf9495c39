// Cavage signature verification as the sandbox bank does it, without the server.
#include <gtest/gtest.h>

#include "pki/credentials.hpp"
#include "signing/cavage.hpp"
#include "signing/certificate.hpp"
#include "tools/sandbox/request_auth.hpp"
#include "unit/sandbox/sandbox_test_util.hpp"

namespace bankfeed::sandbox {
namespace {

using test::Pki;

class RequestAuth : public ::testing::Test {
 protected:
  void SetUp() override {
    auto qseal = pki::Credential::Load({Pki("qseal.pem"), Pki("qseal.key"), "", ""});
    ASSERT_TRUE(qseal) << qseal.error().ToString();
    qseal_.emplace(std::move(*qseal));
    auto trust = TrustStore::Load(Pki("ca.pem"));
    ASSERT_TRUE(trust) << trust.error().ToString();
    trust_.emplace(std::move(*trust));
  }

  // Signs `headers_` + body with `options` and appends Digest, Signature and TPP-Signature-Certificate.
  void Sign(const CavageOptions& options = {}) {
    std::vector<signing::HeaderField> fields;
    for (const auto& [k, v] : headers_) fields.push_back({k, v});
    auto s = signing::SignCavage({"POST", "/v1/consents", fields, body_}, options, qseal_->key(),
                                 qseal_->certificate());
    ASSERT_TRUE(s) << s.error().ToString();
    headers_.emplace_back("Digest", s->digest);
    headers_.emplace_back("Signature", s->signature);
    headers_.emplace_back("TPP-Signature-Certificate", s->signature_certificate);
  }

  SignatureCheck Verify() const {
    std::vector<signing::HeaderField> fields;
    for (const auto& [k, v] : headers_) fields.push_back({k, v});
    return VerifyCavageRequest({"POST", "/v1/consents", fields, body_}, *trust_);
  }

  std::string& Header(const std::string& name) {
    for (auto& [k, v] : headers_) {
      if (k == name) return v;
    }
    ADD_FAILURE() << name;
    return headers_.front().second;
  }

  std::optional<pki::Credential> qseal_;
  std::optional<TrustStore> trust_;
  std::vector<std::pair<std::string, std::string>> headers_{{"X-Request-ID", "99391c7e-ad88-49ec-a2ad-99ddcb1f7721"},
                                                            {"PSU-ID", "psu-1"}};
  std::string body_ = R"({"access":{"allPsd2":"allAccounts"}})";
};

TEST_F(RequestAuth, AcceptsAProperlySignedRequest) {
  Sign();
  const SignatureCheck check = Verify();
  EXPECT_EQ(check.verdict, SignatureVerdict::kValid) << check.reason;
}

TEST_F(RequestAuth, AcceptsTheAlgorithmAndSerialSpellingsBanksUse) {
  CavageOptions o;
  o.algorithm = "SHA256withRSA";
  o.serial_uppercase = false;
  o.certificate_encoding = CavageOptions::CertificateEncoding::kPem;
  Sign(o);
  EXPECT_EQ(Verify().verdict, SignatureVerdict::kValid) << Verify().reason;
}

TEST_F(RequestAuth, MissingSignatureIsMissing) {
  const SignatureCheck check = Verify();
  EXPECT_EQ(check.verdict, SignatureVerdict::kMissing);
  EXPECT_EQ(check.reason, "the Signature header is missing");
}

TEST_F(RequestAuth, TamperedBodyOrHeaderIsInvalid) {
  Sign();
  body_ += " ";
  EXPECT_EQ(Verify().verdict, SignatureVerdict::kInvalid);
  EXPECT_NE(Verify().reason.find("Digest"), std::string::npos) << Verify().reason;
  body_.pop_back();
  Header("X-Request-ID") = "00000000-ad88-49ec-a2ad-99ddcb1f7721";
  EXPECT_EQ(Verify().verdict, SignatureVerdict::kInvalid);
}

TEST_F(RequestAuth, PresentPsuIdMustBeSigned) {
  CavageOptions o;
  o.headers = {"digest", "x-request-id"};
  o.headers_if_present = {};
  Sign(o);
  const SignatureCheck check = Verify();
  EXPECT_EQ(check.verdict, SignatureVerdict::kInvalid);
  EXPECT_EQ(check.reason, "Signature: headers: psu-id must be signed");
}

TEST_F(RequestAuth, KeyIdMustNameTheCertificate) {
  Sign();
  std::string& signature = Header("Signature");
  const size_t sn = signature.find("SN=");
  signature.replace(sn + 3, 1, signature[sn + 3] == 'B' ? "C" : "B");
  EXPECT_EQ(Verify().reason, "Signature: keyId is not SN=<serial>,CA=<issuer> of TPP-Signature-Certificate");
  auto key_id = signing::SerialIssuerKeyId(qseal_->certificate(), false);
  ASSERT_TRUE(key_id);
  EXPECT_TRUE(KeyIdMatches(*key_id, qseal_->certificate()));
  EXPECT_FALSE(KeyIdMatches("SN=" + key_id->substr(3) + "x", qseal_->certificate()));
  EXPECT_FALSE(KeyIdMatches("nonsense", qseal_->certificate()));
}

TEST_F(RequestAuth, CertificateMustChainToTheClientCa) {
  Sign();
  auto other = TrustStore::Load(Pki("other-ca.pem"));
  ASSERT_TRUE(other);
  std::vector<signing::HeaderField> fields;
  for (const auto& [k, v] : headers_) fields.push_back({k, v});
  const SignatureCheck check = VerifyCavageRequest({"POST", "/v1/consents", fields, body_}, *other);
  EXPECT_EQ(check.verdict, SignatureVerdict::kInvalid);
  EXPECT_TRUE(check.reason.starts_with("TPP-Signature-Certificate: does not chain")) << check.reason;
}

TEST_F(RequestAuth, MalformedPartsAreInvalid) {
  Sign();
  const std::string certificate = Header("TPP-Signature-Certificate");
  Header("TPP-Signature-Certificate") = "not base64!";
  EXPECT_EQ(Verify().reason, "TPP-Signature-Certificate: TPP-Signature-Certificate: not base64");
  Header("TPP-Signature-Certificate") = "AAAA";
  EXPECT_EQ(Verify().reason, "TPP-Signature-Certificate: not a DER certificate");
  Header("TPP-Signature-Certificate") = certificate;
  Header("Signature") = "keyId=\"x\"";
  EXPECT_EQ(Verify().verdict, SignatureVerdict::kInvalid);
  EXPECT_TRUE(Verify().reason.starts_with("Signature: ")) << Verify().reason;
  headers_.erase(headers_.begin() + 2);  // Digest
  EXPECT_EQ(Verify().reason, "the Digest header is missing");
}

}  // namespace
}  // namespace bankfeed::sandbox
