// Cavage request signing, byte for byte against draft-cavage-http-signatures-10 Appendix C, the Berlin Group
// vectors and the adorsys SHA256withRSA vector (tests/vectors/signing).
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "signing/base64.hpp"
#include "signing/cavage.hpp"
#include "signing/certificate.hpp"
#include "signing/digest.hpp"
#include "signing/rsa.hpp"
#include "signing_test_util.hpp"

namespace bankfeed::signing {
namespace {

using testing::Vector;

// Appendix C's request: POST /foo?param=value&pet=dog with Host, Date, Content-Type, Digest, Content-Length.
class SigningCavageAppendixC : public ::testing::Test {
 protected:
  void SetUp() override {
    body_ = Vector("cavage/body.json");
    request_ = {"POST",
                "/foo?param=value&pet=dog",
                {{"Host", "example.com"},
                 {"Date", "Sun, 05 Jan 2014 21:31:40 GMT"},
                 {"Content-Type", "application/json"},
                 {"Digest", "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE="},
                 {"Content-Length", "18"}},
                body_};
    options_.key_id_format = CavageOptions::KeyIdFormat::kUrl;  // the draft's keyId "Test" is not a URL either
    options_.key_id_url = "https://example.com/keys/Test";
    options_.headers_if_present.clear();
  }
  void Check(const std::string& name, const std::vector<std::string>& headers, const std::string& list) {
    SCOPED_TRACE(name);
    options_.headers = headers;
    const auto signing_string = CavageSigningString(request_, options_);
    ASSERT_TRUE(signing_string.has_value()) << signing_string.error().ToString();
    EXPECT_EQ(*signing_string, Vector("cavage/" + name + ".signing-string.txt"));

    const testing::Pkey key = testing::PrivateKey("cavage/test-key-private.pem");
    const auto signed_headers = SignCavage(request_, options_, key.get(), nullptr);
    ASSERT_TRUE(signed_headers.has_value()) << signed_headers.error().ToString();
    const std::string signature = Vector("cavage/" + name + ".sig.b64");
    EXPECT_EQ(signed_headers->signature, "keyId=\"https://example.com/keys/Test\",algorithm=\"rsa-sha256\",headers=\"" +
                                             list + "\",signature=\"" + signature + "\"");
    EXPECT_EQ(signed_headers->digest, "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=");
    EXPECT_EQ(signed_headers->signature_certificate, "");

    // And the verifier accepts what the signer wrote, with the public key.
    const auto parsed = ParseSignatureHeader(signed_headers->signature);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
    const testing::Pkey pub = testing::PublicKey("cavage/test-key-public.pem");
    const auto verified = VerifyCavage(request_, *parsed, pub.get());
    EXPECT_TRUE(verified.has_value()) << verified.error().ToString();
  }

  std::string body_;
  RequestView request_;
  CavageOptions options_;
};

TEST_F(SigningCavageAppendixC, C1DefaultDateOnly) { Check("C1", {"date"}, "date"); }

TEST_F(SigningCavageAppendixC, C2Basic) {
  Check("C2", {"(request-target)", "host", "date"}, "(request-target) host date");
}

TEST_F(SigningCavageAppendixC, C3AllHeaders) {
  Check("C3", {"(request-target)", "host", "date", "content-type", "digest", "content-length"},
        "(request-target) host date content-type digest content-length");
}

TEST_F(SigningCavageAppendixC, C1SignatureVerifiesAsTheDraftWritesIt) {
  // Appendix C.1's header has no headers="..." parameter: the default list is "date".
  const std::string header =
      "keyId=\"Test\",algorithm=\"rsa-sha256\",signature=\"" + Vector("cavage/C1.sig.b64") + "\"";
  const auto parsed = ParseSignatureHeader(header);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_FALSE(parsed->headers_given);
  const testing::Pkey pub = testing::PublicKey("cavage/test-key-public.pem");
  EXPECT_TRUE(VerifyCavage(request_, *parsed, pub.get()).has_value());
}

// The Berlin Group request of tests/vectors/signing/berlin-group, with a SHA-256 or SHA-512 Digest.
struct BerlinGroupCase {
  DigestAlgorithm digest;
  const char* name;
};

void PrintTo(const BerlinGroupCase& c, std::ostream* os) { *os << c.name; }

class SigningCavageBerlinGroup : public ::testing::TestWithParam<BerlinGroupCase> {};

TEST_P(SigningCavageBerlinGroup, ReproducesTheVector) {
  const BerlinGroupCase c = GetParam();
  const std::string body = Vector("berlin-group/body.json");
  // No Digest in the request: SignCavage computes it and signs it.
  const RequestView request{"POST",
                            "/v1/consents",
                            {{"Content-Type", "application/json"},
                             {"X-Request-ID", "99391c7e-ad88-49ec-a2ad-99ddcb1f7721"},
                             {"PSU-ID", "PSU-1234"},
                             {"TPP-Redirect-URI", "https://tpp.example.test/cb?state=abc"},
                             {"Date", "Sun, 17 May 2020 10:27:48 GMT"}},
                            body};
  CavageOptions options;  // the Berlin Group defaults; PSU-Corporate-ID is absent and so not signed
  options.digest = c.digest;
  const testing::Pkey key = testing::PrivateKey("berlin-group/qseal-test.key");
  const testing::Cert cert = testing::Certificate("berlin-group/qseal-test.pem");
  const auto out = SignCavage(request, options, key.get(), cert.get());
  ASSERT_TRUE(out.has_value()) << out.error().ToString();

  const std::string prefix = std::string("bg-") + c.name;
  const std::string signing_string = Vector("berlin-group/" + prefix + ".signing-string.txt");
  const std::string digest = signing_string.substr(8, signing_string.find('\n') - 8);  // "digest: <value>"
  EXPECT_EQ(out->digest, digest);
  EXPECT_EQ(out->signature,
            "keyId=\"SN=965F5BBCC4354B0F,CA=CN=Test%20QTSP%20Root%20CA,O=Test%20QTSP%20(NOT%20QUALIFIED),C=GB\","
            "algorithm=\"rsa-sha256\",headers=\"digest x-request-id psu-id tpp-redirect-uri date\",signature=\"" +
                Vector("berlin-group/" + prefix + ".sig.b64") + "\"");
  // TPP-Signature-Certificate: base64 of the DER, as in the vector's request.
  const std::string json = Vector("berlin-group/bg-signature-vectors.json");
  const std::string marker = "\"TPP-Signature-Certificate\": \"";
  const size_t at = json.find(marker) + marker.size();
  EXPECT_EQ(out->signature_certificate, json.substr(at, json.find('"', at) - at));

  // The signing string, through the request as sent (with the Digest header added).
  RequestView sent = request;
  sent.headers.push_back({"Digest", out->digest});
  const auto text = CavageSigningString(sent, options);
  ASSERT_TRUE(text.has_value()) << text.error().ToString();
  EXPECT_EQ(*text, signing_string);

  // The sandbox's view: parse what was sent and verify it with the certificate's key.
  const auto parsed = ParseSignatureHeader(out->signature);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->key_id, "SN=965F5BBCC4354B0F,CA=CN=Test%20QTSP%20Root%20CA,O=Test%20QTSP%20(NOT%20QUALIFIED),C=GB");
  CavageVerifyOptions verify;
  verify.required_headers = {"digest", "x-request-id"};
  const auto ok = VerifyCavage(sent, *parsed, X509_get0_pubkey(cert.get()), verify);
  EXPECT_TRUE(ok.has_value()) << ok.error().ToString();
}

INSTANTIATE_TEST_SUITE_P(Digests, SigningCavageBerlinGroup,
                         ::testing::Values(BerlinGroupCase{DigestAlgorithm::kSha256, "sha256"},
                                           BerlinGroupCase{DigestAlgorithm::kSha512, "sha512"}),
                         [](const auto& p) { return std::string(p.param.name); });

class SigningCavage : public ::testing::Test {
 protected:
  void SetUp() override {
    body_ = Vector("berlin-group/body.json");
    request_ = {"POST",
                "/v1/consents",
                {{"X-Request-ID", "99391c7e-ad88-49ec-a2ad-99ddcb1f7721"},
                 {"PSU-ID", "PSU-1234"},
                 {"Date", "Sun, 17 May 2020 10:27:48 GMT"}},
                body_};
  }
  testing::Pkey key_ = testing::PrivateKey("berlin-group/qseal-test.key");
  testing::Cert cert_ = testing::Certificate("berlin-group/qseal-test.pem");
  std::string body_;
  RequestView request_;
  CavageOptions options_;
};

TEST_F(SigningCavage, AdorsysSha256WithRsaVector) {
  // adorsys signs "SHA256withRSA": the same RSASSA-PKCS1-v1_5 / SHA-256, checked on their own input and key.
  const testing::Pkey key = testing::PrivateKey("adorsys-xs2a-adapter/key.pem");
  const auto signature = RsaSign(RsaScheme::kPkcs1Sha256, Vector("adorsys-xs2a-adapter/sign-input.txt"), key.get());
  ASSERT_TRUE(signature.has_value()) << signature.error().ToString();
  std::string expected = Vector("adorsys-xs2a-adapter/expected-signature.hex");
  while (!expected.empty() && expected.back() == '\n') expected.pop_back();
  EXPECT_EQ(testing::Hex(*signature), expected);
}

TEST_F(SigningCavage, AdorsysStyleHeader) {
  // adorsys: algorithm="SHA256withRSA", lower-case serial, the headers sorted alphabetically.
  const testing::Pkey key = testing::PrivateKey("adorsys-xs2a-adapter/key.pem");
  const testing::Cert cert = testing::Certificate("adorsys-xs2a-adapter/cert.pem");
  options_.algorithm = "SHA256withRSA";
  options_.serial_uppercase = false;
  options_.headers = {"date", "digest", "psu-id", "x-request-id"};
  options_.headers_if_present = {"psu-id"};
  const auto out = SignCavage(request_, options_, key.get(), cert.get());
  ASSERT_TRUE(out.has_value()) << out.error().ToString();
  EXPECT_TRUE(out->signature.starts_with(
      "keyId=\"SN=8e5c660ad95e4dbf,CA=CN=Adorsys,OU=Adorsys,O=Adorsys,L=Nuremberg,ST=Nuremberg,C=DE\","
      "algorithm=\"SHA256withRSA\",headers=\"date digest psu-id x-request-id\",signature=\""))
      << out->signature;
  const auto parsed = ParseSignatureHeader(out->signature);
  ASSERT_TRUE(parsed.has_value());
  RequestView sent = request_;
  sent.headers.push_back({"Digest", out->digest});
  EXPECT_TRUE(VerifyCavage(sent, *parsed, X509_get0_pubkey(cert.get())).has_value());
}

TEST_F(SigningCavage, SigningStringRules) {
  // Lower-case names and method, OWS trimmed, repeated headers joined by ", " in wire order, empty value "name: ".
  const RequestView request{"GET",
                            "/v1/accounts?withBalance=true",
                            {{"X-Request-ID", "  id-1 \t"},
                             {"Cache-Control", "max-age=60"},
                             {"x-empty", ""},
                             {"cache-control", " must-revalidate"}},
                            ""};
  options_.headers = {"(request-target)", "x-request-id", "cache-control", "x-empty"};
  options_.headers_if_present = {};
  const auto text = CavageSigningString(request, options_);
  ASSERT_TRUE(text.has_value()) << text.error().ToString();
  EXPECT_EQ(*text,
            "(request-target): get /v1/accounts?withBalance=true\nx-request-id: id-1\n"
            "cache-control: max-age=60, must-revalidate\nx-empty: ");
}

TEST_F(SigningCavage, OptionalHeadersAreSkippedWhenAbsent) {
  options_.headers = {"digest", "x-request-id", "psu-id", "tpp-redirect-uri", "date"};
  options_.headers_if_present = {"psu-id", "tpp-redirect-uri", "date"};
  request_.headers = {{"X-Request-ID", "r1"}};
  const auto out = SignCavage(request_, options_, key_.get(), cert_.get());
  ASSERT_TRUE(out.has_value()) << out.error().ToString();
  EXPECT_NE(out->signature.find("headers=\"digest x-request-id\""), std::string::npos);
}

TEST_F(SigningCavage, MissingHeaderIsAnErrorNamingIt) {
  request_.headers = {{"PSU-ID", "PSU-1234"}};
  const auto out = SignCavage(request_, options_, key_.get(), cert_.get());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(out.error().message, "signed header x-request-id is missing from the request");
  EXPECT_EQ(out.error().message.find("PSU-1234"), std::string::npos);
}

TEST_F(SigningCavage, CapitalisedListUsesTheRequestSpelling) {
  options_.headers_capitalised_in_list = true;
  const auto out = SignCavage(request_, options_, key_.get(), cert_.get());
  ASSERT_TRUE(out.has_value()) << out.error().ToString();
  EXPECT_NE(out->signature.find("headers=\"Digest X-Request-ID PSU-ID Date\""), std::string::npos) << out->signature;
  // The signing string is lower-case anyway, so a verifier that lower-cases the list accepts it.
  const auto parsed = ParseSignatureHeader(out->signature);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->headers, (std::vector<std::string>{"digest", "x-request-id", "psu-id", "date"}));
  RequestView sent = request_;
  sent.headers.push_back({"Digest", out->digest});
  EXPECT_TRUE(VerifyCavage(sent, *parsed, X509_get0_pubkey(cert_.get())).has_value());
}

TEST_F(SigningCavage, CallersDigestMustMatchTheBody) {
  const std::string digest = DigestHeader(DigestAlgorithm::kSha256, body_);  // RequestView holds views
  request_.headers.push_back({"Digest", digest});
  EXPECT_TRUE(SignCavage(request_, options_, key_.get(), cert_.get()).has_value());
  request_.headers.back().value = "SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
  const auto out = SignCavage(request_, options_, key_.get(), cert_.get());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(SigningCavage, PemCertificateAndUrlKeyId) {
  options_.certificate_encoding = CavageOptions::CertificateEncoding::kPem;
  options_.key_id_format = CavageOptions::KeyIdFormat::kUrl;
  options_.key_id_url = "https://tpp.example.test/certs/qseal.pem";
  const auto out = SignCavage(request_, options_, key_.get(), cert_.get());
  ASSERT_TRUE(out.has_value()) << out.error().ToString();
  EXPECT_TRUE(out->signature.starts_with("keyId=\"https://tpp.example.test/certs/qseal.pem\",")) << out->signature;
  EXPECT_TRUE(out->signature_certificate.starts_with("-----BEGIN CERTIFICATE-----MIIE"));
  EXPECT_TRUE(out->signature_certificate.ends_with("=-----END CERTIFICATE-----"));
  EXPECT_EQ(out->signature_certificate.find('\n'), std::string::npos);
}

TEST_F(SigningCavage, RefusesAKeyThatIsNotTheCertificates) {
  const testing::Pkey other = testing::PrivateKey("cavage/test-key-private.pem");
  const auto out = SignCavage(request_, options_, other.get(), cert_.get());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, ErrorCode::kConfig);
  const auto no_cert = SignCavage(request_, options_, key_.get(), nullptr);
  ASSERT_FALSE(no_cert.has_value());
  EXPECT_EQ(no_cert.error().code, ErrorCode::kInvalidArgument);
  const auto no_key = SignCavage(request_, options_, nullptr, cert_.get());
  ASSERT_FALSE(no_key.has_value());
}

TEST_F(SigningCavage, RefusesHeaderValuesWithLineBreaks) {
  request_.headers[0].value = "id\r\nX-Evil: 1";
  const auto out = SignCavage(request_, options_, key_.get(), cert_.get());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(out.error().message.find("Evil"), std::string::npos);
}

TEST_F(SigningCavage, InvalidOptionsAreRefusedBeforeSigning) {
  options_.algorithm = "hmac-sha256";
  const auto out = SignCavage(request_, options_, key_.get(), cert_.get());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, ErrorCode::kConfig);
}

// Verification failures: each one is kInvalidInput and names neither the signature nor a header value.
class SigningCavageVerify : public SigningCavage {
 protected:
  void SetUp() override {
    SigningCavage::SetUp();
    options_.headers = {"(request-target)", "digest", "x-request-id", "psu-id", "date"};
    options_.headers_if_present = {};
    const auto out = SignCavage(request_, options_, key_.get(), cert_.get());
    ASSERT_TRUE(out.has_value()) << out.error().ToString();
    header_ = out->signature;
    signature_b64_ = header_.substr(header_.find("signature=\"") + 11);
    signature_b64_.pop_back();
    digest_ = out->digest;
    request_.headers.push_back({"Digest", digest_});  // a view: digest_ outlives the request
  }
  Status Verify(const RequestView& request, const std::string& header, const CavageVerifyOptions& o = {}) {
    const auto parsed = ParseSignatureHeader(header);
    if (!parsed) return tl::unexpected(parsed.error());
    return VerifyCavage(request, *parsed, X509_get0_pubkey(cert_.get()), o);
  }
  void ExpectRejected(const Status& s, const std::string& what) {
    ASSERT_FALSE(s.has_value()) << what;
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidInput) << what;
    EXPECT_EQ(s.error().message.find(signature_b64_.substr(0, 16)), std::string::npos) << s.error().message;
    EXPECT_EQ(s.error().message.find("PSU-1234"), std::string::npos) << s.error().message;
  }
  std::string header_, signature_b64_, digest_;
};

TEST_F(SigningCavageVerify, AcceptsTheUntouchedRequest) { EXPECT_TRUE(Verify(request_, header_).has_value()); }

TEST_F(SigningCavageVerify, RejectsTampering) {
  RequestView r = request_;
  r.headers[1].value = "PSU-1235";
  ExpectRejected(Verify(r, header_), "header value");
  r = request_;
  r.target = "/v1/consents?x=1";
  ExpectRejected(Verify(r, header_), "target");
  r = request_;
  r.method = "PUT";
  ExpectRejected(Verify(r, header_), "method");
  r = request_;
  const std::string other_body = body_ + " ";
  r.body = other_body;  // the Digest header no longer matches the body
  ExpectRejected(Verify(r, header_), "body");
  r = request_;
  r.headers.erase(r.headers.begin() + 1);
  ExpectRejected(Verify(r, header_), "missing header");
  std::string flipped = header_;
  const size_t at = flipped.find("signature=\"") + 20;
  flipped[at] = flipped[at] == 'A' ? 'B' : 'A';
  ExpectRejected(Verify(request_, flipped), "signature");
  std::string wrong_list = header_;
  wrong_list.replace(wrong_list.find("psu-id date"), 11, "date psu-id");
  ExpectRejected(Verify(request_, wrong_list), "header order");
}

TEST_F(SigningCavageVerify, AlgorithmTokens) {
  std::string h = header_;
  h.replace(h.find("rsa-sha256"), 10, "RSA-SHA256");
  EXPECT_TRUE(Verify(request_, h).has_value());
  h = header_;
  h.replace(h.find("rsa-sha256"), 10, "hs2019");
  ExpectRejected(Verify(request_, h), "hs2019");
  h = header_;
  h.replace(h.find("algorithm=\"rsa-sha256\","), 23, "");
  ExpectRejected(Verify(request_, h), "no algorithm");
}

TEST_F(SigningCavageVerify, RequiredHeadersAndExpiry) {
  CavageVerifyOptions o;
  o.required_headers = {"digest", "tpp-redirect-uri"};
  ExpectRejected(Verify(request_, header_, o), "required header");
  o.required_headers = {"digest"};
  o.now_unix = 1700000000;
  EXPECT_TRUE(Verify(request_, header_, o).has_value());  // no expires parameter: nothing to expire
  ExpectRejected(Verify(request_, header_ + ",expires=1600000000", o), "expired");
  EXPECT_TRUE(Verify(request_, header_ + ",expires=1800000000", o).has_value());
}

TEST_F(SigningCavageVerify, RejectsPseudoHeadersItDoesNotSupport) {
  std::string h = header_;
  h.replace(h.find("headers=\""), 9, "headers=\"(created) ");
  ExpectRejected(Verify(request_, h + ",created=1600000000"), "(created)");
}

TEST_F(SigningCavageVerify, RejectsTheWrongKey) {
  const auto parsed = ParseSignatureHeader(header_);
  ASSERT_TRUE(parsed.has_value());
  const testing::Pkey other = testing::PublicKey("ukob-jws/ps256-test-pub.pem");
  ExpectRejected(VerifyCavage(request_, *parsed, other.get()), "other key");
  const testing::Pkey small = testing::PublicKey("cavage/test-key-public.pem");  // wrong length for the signature
  ExpectRejected(VerifyCavage(request_, *parsed, small.get()), "other key size");
}

}  // namespace
}  // namespace bankfeed::signing
