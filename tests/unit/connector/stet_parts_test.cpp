// The STET connector's parts in isolation: the error model and what banks send instead, the keyId URL of the
// published QSealC, the date filters' instants, and the profile keys of STET's quirks.
#include <gtest/gtest.h>

#include <cstdlib>

#include "adapters/common/cavage_signer.hpp"
#include "adapters/common/query_date.hpp"
#include "adapters/stet/errors.hpp"
#include "bankfeed/profile.hpp"
#include "pki/credentials.hpp"

namespace bankfeed::stet {
namespace {

http::Response Answer(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  r.request_id = "req-1";
  return r;
}

TEST(StetErrors, ReadsTheCodeOfEveryShapeBanksSend) {
  EXPECT_EQ(ErrorCodeOfBody(R"({"timestamp":"2018-03-30T16:06:27.499+0000","status":400,"error":"Bad Request",)"
                            R"("message":"Missing request header 'Digest'","path":"/v1/accounts"})"),
            "Bad Request");
  EXPECT_EQ(ErrorCodeOfBody(R"({"error":"invalid_token","error_description":"expired"})"), "invalid_token");
  EXPECT_EQ(ErrorCodeOfBody(R"({"code":"CONSENT_UNKNOWN","message":"no consent for Jean Dupont"})"),
            "CONSENT_UNKNOWN");
  EXPECT_EQ(ErrorCodeOfBody(R"({"tppMessages":[{"category":"ERROR","code":"FORMAT_ERROR","text":"x"}]})"),
            "FORMAT_ERROR");
  // Nothing usable: no code rather than a guess, and never free text.
  EXPECT_EQ(ErrorCodeOfBody(""), "");
  EXPECT_EQ(ErrorCodeOfBody("<html><body>Forbidden</body></html>"), "");
  EXPECT_EQ(ErrorCodeOfBody(R"({"error":"Jean Dupont's account FR7630006000011234567890189 is closed"})"), "");
  EXPECT_EQ(ErrorCodeOfBody(R"({"error":42})"), "");
}

TEST(StetErrors, TheStatusDecides) {
  EXPECT_EQ(ErrorCodeFor("Unauthorized", 401), ErrorCode::kUnauthenticated);
  EXPECT_EQ(ErrorCodeFor("Forbidden", 403), ErrorCode::kConsentInvalid);
  EXPECT_EQ(ErrorCodeFor("Too Many Requests", 429), ErrorCode::kRateLimited);
  EXPECT_EQ(ErrorCodeFor("", 503), ErrorCode::kUnavailable);
  EXPECT_EQ(ErrorCodeFor("Bad Request", 400), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ErrorCodeFor("invalid_grant", 400), ErrorCode::kConsentInvalid);
  EXPECT_EQ(ErrorCodeFor("", 404), ErrorCode::kNotFound);
}

// A 403 whose body looks like an empty account list is an error, never "no accounts".
TEST(StetErrors, AForbiddenAnswerIsAnErrorWhateverItsBody) {
  const Error e = ErrorFromResponse(Answer(403, R"({"accounts":[],"_links":{"self":{"href":"/v1/accounts"}}})"),
                                    "bank-f", "read accounts");
  EXPECT_EQ(e.code, ErrorCode::kConsentInvalid);
  EXPECT_EQ(e.bank_id, "bank-f");
  EXPECT_EQ(e.http_status, 403);
  EXPECT_EQ(e.message.rfind("read accounts: the bank answered HTTP 403", 0), 0u) << e.message;
}

TEST(StetErrors, TheBanksFreeTextIsNeverCopied) {
  const Error e = ErrorFromResponse(
      Answer(400, R"({"status":400,"error":"Bad Request","message":"IBAN FR7630006000011234567890189 unknown"})"),
      "bank-f", "read balances");
  EXPECT_EQ(e.bank_code, "Bad Request");
  EXPECT_EQ(e.message.find("FR76"), std::string::npos) << e.message;
}

// A signature or header refusal says which header, in words from a fixed list only: never the bank's other text.
TEST(StetErrors, ARefusalNamesTheHeadersTheBanksTextNames) {
  EXPECT_EQ(HeadersNamedIn("Signature: psu-ip-address present but not signed"),
            (std::vector<std::string>{"signature", "psu-ip-address"}));
  EXPECT_EQ(HeadersNamedIn("Missing request header 'Digest' for method parameter"),
            (std::vector<std::string>{"digest"}));
  EXPECT_EQ(HeadersNamedIn("Signature: (request-target) not signed"),
            (std::vector<std::string>{"signature", "(request-target)"}));
  // A longer name is not a shorter one; free text yields nothing.
  EXPECT_TRUE(HeadersNamedIn("x-psu-date-of-birth of Jean Dupont").empty());
  EXPECT_TRUE(HeadersNamedIn("").empty());
  const Error e = ErrorFromResponse(
      Answer(401, R"j({"status":401,"error":"Unauthorized","message":"Signature: date not signed (Jean Dupont)"})j"),
      "bank-f", "read accounts");
  EXPECT_EQ(e.message, "read accounts: the bank answered HTTP 401 Unauthorized; the answer names: signature, date");
  const Error other = ErrorFromResponse(Answer(500, R"({"error":"x","message":"Digest"})"), "bank-f", "read");
  EXPECT_EQ(other.message.find("names"), std::string::npos) << "only refusals of the request (400, 401)";
}

class StetKeyId : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* pki = std::getenv("BANKFEED_TEST_PKI");
    ASSERT_NE(pki, nullptr) << "BANKFEED_TEST_PKI unset: run through ctest";
    qseal_ = {std::string(pki) + "/qseal.pem", std::string(pki) + "/qseal.key", "", ""};
    auto credential = pki::Credential::Load(qseal_);
    ASSERT_TRUE(credential) << credential.error().ToString();
    auto fingerprint = adapters::CavageSigner::ResolveKeyIdUrl("{fingerprint}", credential->certificate());
    ASSERT_TRUE(fingerprint);
    fingerprint_ = *fingerprint;
  }
  CredentialSource qseal_;
  std::string fingerprint_;
};

TEST_F(StetKeyId, TheFingerprintIsTheCertificatesSha256InLowerCaseHex) {
  ASSERT_EQ(fingerprint_.size(), 64u);
  EXPECT_EQ(fingerprint_.find_first_not_of("0123456789abcdef"), std::string::npos);
  auto credential = pki::Credential::Load(qseal_);
  auto directory = adapters::CavageSigner::ResolveKeyIdUrl("https://tpp.example/qseal/", credential->certificate());
  ASSERT_TRUE(directory);
  EXPECT_EQ(*directory, "https://tpp.example/qseal/" + fingerprint_ + ".pem");
  auto templated =
      adapters::CavageSigner::ResolveKeyIdUrl("https://tpp.example/c?id={fingerprint}", credential->certificate());
  EXPECT_EQ(*templated, "https://tpp.example/c?id=" + fingerprint_);
  auto fixed = adapters::CavageSigner::ResolveKeyIdUrl("https://tpp.example/q.pem", credential->certificate());
  EXPECT_EQ(*fixed, "https://tpp.example/q.pem");
}

TEST_F(StetKeyId, AUrlKeyIdNeedsThePublicationUrl) {
  const CavageOptions stet = CavageOptions::StetDefaults();
  auto missing = adapters::CavageSigner::Make(qseal_, stet);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kConfig);
  EXPECT_EQ(missing.error().message.rfind("tpp.qseal_url: not set", 0), 0u) << missing.error().message;
  auto signer = adapters::CavageSigner::Make(qseal_, stet, "https://tpp.example/qseal/");
  ASSERT_TRUE(signer) << signer.error().ToString();
  http::Request request;
  request.url = "https://bank.example/stet/v1/accounts";
  request.headers.push_back({"X-Request-ID", "8ad4e2a1-0b4c-4b1e-9f55-1f0d3c9a7e21"});
  ASSERT_TRUE(signer->Sign(request));
  const auto signature = http::FindHeader(request.headers, "Signature");
  ASSERT_TRUE(signature);
  EXPECT_NE(signature->find("keyId=\"https://tpp.example/qseal/" + fingerprint_ + ".pem\""), std::string::npos)
      << *signature;
  EXPECT_NE(signature->find("headers=\"(request-target) digest x-request-id\""), std::string::npos) << *signature;
  EXPECT_FALSE(http::FindHeader(request.headers, "TPP-Signature-Certificate")) << "STET sends no certificate header";
}

TEST(StetDateFilter, LocalMidnightCarriesTheBanksOffset) {
  const TimeZone paris = *TimeZone::Locate("Europe/Paris");
  EXPECT_EQ(adapters::LocalMidnightWithOffset(Date::FromYmd(2025, 1, 15), paris), "2025-01-15T00:00:00+01:00");
  EXPECT_EQ(adapters::LocalMidnightWithOffset(Date::FromYmd(2025, 7, 15), paris), "2025-07-15T00:00:00+02:00");
  const TimeZone utc = *TimeZone::Locate("UTC");
  EXPECT_EQ(adapters::LocalMidnightWithOffset(Date::FromYmd(2025, 7, 15), utc), "2025-07-15T00:00:00+00:00");
  const TimeZone ny = *TimeZone::Locate("America/New_York");
  EXPECT_EQ(adapters::LocalMidnightWithOffset(Date::FromYmd(2025, 1, 15), ny), "2025-01-15T00:00:00-05:00");
  EXPECT_EQ(adapters::FilterQuery({{"dateFrom", "2025-01-15T00:00:00+01:00"}}, true),
            "dateFrom=2025-01-15T00%3A00%3A00%2B01%3A00");
  EXPECT_EQ(adapters::FilterQuery({{"dateFrom", "2025-01-15T00:00:00+01:00"}}, false),
            "dateFrom=2025-01-15T00:00:00%2B01:00");
}

}  // namespace
}  // namespace bankfeed::stet
