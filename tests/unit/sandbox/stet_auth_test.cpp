// The STET sandbox bank's request authentication: each refusal against a request that gets exactly one thing
// wrong, the error shapes, path_segment and the consent_expired fault.
#include <gtest/gtest.h>

#include <httplib.h>

#include <chrono>
#include <thread>

#include "unit/sandbox/stet_test_util.hpp"

namespace bankfeed::sandbox {
namespace {

using test::Identity;
using test::JsonString;
using test::StetTpp;

constexpr char kAuthAccounts[] = "/stet/v1/accounts";

TEST(SandboxStetAuth, ASignedRequestWithALiveTokenPassesAndEchoesTheRequestId) {
  auto bank = test::StartStet(test::StetMiniScenario());
  ASSERT_TRUE(bank);
  StetTpp tpp(*bank);
  const auto s = tpp.Authorised();
  http::Response r = tpp.Api("GET", kAuthAccounts, s.access_token, "", {{"X-Request-ID", "req-77"}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(test::Header(r, "X-Request-ID"), "req-77");
}

TEST(SandboxStetAuth, TokenRefusals) {
  auto bank = test::StartStet(test::StetMiniScenario("  token_ttl_s: 1\n"));
  ASSERT_TRUE(bank);
  StetTpp tpp(*bank);
  const auto s = tpp.Authorised();
  EXPECT_EQ(tpp.Api("GET", kAuthAccounts, "").status, 401);
  EXPECT_EQ(tpp.Api("GET", kAuthAccounts, "not-a-token").status, 401);
  // Issued over the QWAC, presented over another (valid) certificate: RFC 8705 binding.
  http::Response other = tpp.Api("GET", kAuthAccounts, s.access_token, "", {}, std::nullopt, Identity::kQseal);
  EXPECT_EQ(other.status, 401);
  EXPECT_NE(JsonString(other.body, "/message").find("client certificate"), std::string::npos);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(tpp.Api("GET", kAuthAccounts, s.access_token).status, 401);
  EXPECT_EQ(bank->stats().bad_access_token.load(), 4);
}

TEST(SandboxStetAuth, MissingRequestIdIs400) {
  auto bank = test::StartStet(test::StetMiniScenario());
  ASSERT_TRUE(bank);
  StetTpp tpp(*bank);
  const auto s = tpp.Authorised();
  // bankfeed's client always adds X-Request-ID, so this one request goes out through httplib.
  httplib::SSLClient raw("127.0.0.1", bank->server().Port(), test::Pki("qwac.pem"), test::Pki("qwac.key"));
  raw.enable_server_certificate_verification(false);
  auto r = raw.Get(kAuthAccounts, {{"Authorization", "Bearer " + s.access_token}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(JsonString(r->body, "/message"), "X-Request-ID: missing");
}

TEST(SandboxStetAuth, SignatureRefusalsNameTheStep) {
  auto bank = test::StartStet(test::StetMiniScenario());
  ASSERT_TRUE(bank);
  StetTpp tpp(*bank);
  const auto s = tpp.Authorised();
  const auto refused = [&](http::Response r, const std::string& message) {
    EXPECT_EQ(r.status, 401) << r.body;
    EXPECT_EQ(JsonString(r.body, "/message").substr(0, message.size()), message) << r.body;
  };
  CavageOptions unsigned_options = tpp.Signing();
  unsigned_options.headers.clear();  // Api() does not sign at all
  refused(tpp.Api("GET", kAuthAccounts, s.access_token, "", {}, unsigned_options), "Signature: missing");
  EXPECT_EQ(bank->stats().missing_signature.load(), 1);

  CavageOptions unpublished = tpp.Signing();
  unpublished.key_id_url = "https://tpp.example/qseal/" + std::string(64, 'a') + ".pem";
  refused(tpp.Api("GET", kAuthAccounts, s.access_token, "", {}, unpublished),
          "Signature: keyId names a certificate that is not published");

  CavageOptions psu_unsigned = tpp.Signing();
  psu_unsigned.headers = {"(request-target)", "digest", "x-request-id"};
  psu_unsigned.headers_if_present = {};
  refused(tpp.Api("GET", kAuthAccounts, s.access_token, "", {{"PSU-IP-Address", "192.0.2.1"}}, psu_unsigned),
          "Signature: psu-ip-address present but not signed");

  CavageOptions no_target = tpp.Signing();
  no_target.headers = {"digest", "x-request-id"};
  no_target.headers_if_present = {};
  refused(tpp.Api("GET", kAuthAccounts, s.access_token, "", {}, no_target), "Signature: (request-target) not signed");

  // Signed over one body, sent with another: the Digest no longer matches.
  const std::string body = R"({"balances":[],"transactions":[]})";
  auto headers = tpp.SignedHeaders("PUT", "/stet/v1/consents", s.access_token, body, {}, std::nullopt);
  refused(bank->Send("PUT", "/stet/v1/consents", headers, body + " ", test::Signing::kUnsigned),
          "Digest: does not match the body");
  EXPECT_EQ(bank->stats().bad_signature.load(), 4);
}

TEST(SandboxStetAuth, SerialIssuerKeyIdWithTheCertificateHeader) {
  auto bank = test::StartStet(test::StetMiniScenario("", "    key_id: serial-issuer\n"));
  ASSERT_TRUE(bank);
  StetTpp tpp(*bank);
  const auto s = tpp.Authorised();
  CavageOptions bg = tpp.Signing();
  bg.key_id_format = CavageOptions::KeyIdFormat::kSerialIssuer;
  bg.key_id_url.clear();
  EXPECT_EQ(tpp.Api("GET", kAuthAccounts, s.access_token, "", {}, bg).status, 200);
  // The URL form is not what this bank reads.
  EXPECT_EQ(tpp.Api("GET", kAuthAccounts, s.access_token).status, 401);
}

TEST(SandboxStetAuth, ErrorShapes) {
  struct Shape {
    std::string name, field, value;
  };
  for (const Shape& shape : {Shape{"stet", "/path", kAuthAccounts}, Shape{"oauth", "/error", "token_invalid"},
                             Shape{"plain", "/code", "TOKEN_INVALID"}}) {
    SCOPED_TRACE(shape.name);
    auto bank = test::StartStet(test::StetMiniScenario("", "    error_shape: " + shape.name + "\n"));
    ASSERT_TRUE(bank);
    StetTpp tpp(*bank);
    http::Response r = tpp.Api("GET", kAuthAccounts, "no-such-token");
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(JsonString(r.body, shape.field), shape.value) << r.body;
    if (shape.name == "stet") {
      EXPECT_EQ(test::JsonInt(r.body, "/status"), 401);
      EXPECT_EQ(JsonString(r.body, "/error"), "Unauthorized");
      EXPECT_EQ(JsonString(r.body, "/timestamp").size(), 20u);  // 2025-01-31T10:00:00Z
    }
  }
}

TEST(SandboxStetAuth, PathSegmentMovesTheRoot) {
  auto bank = test::StartStet(test::StetMiniScenario("", "    path_segment: caisse-07\n"));
  ASSERT_TRUE(bank);
  StetTpp tpp(*bank);
  const auto s = tpp.Authorised();
  EXPECT_EQ(tpp.Api("GET", "/stet/caisse-07/v1/accounts", s.access_token).status, 200);
  http::Response old = tpp.Api("GET", kAuthAccounts, s.access_token);
  EXPECT_EQ(old.status, 404);
  EXPECT_EQ(JsonString(old.body, "/path"), kAuthAccounts);
}

TEST(SandboxStetAuth, ConsentExpiredFaultEndsTheAuthorization) {
  auto bank = test::StartStet(test::StetMiniScenario("  faults:\n    - {kind: consent_expired, request: 2}\n"));
  ASSERT_TRUE(bank);
  StetTpp tpp(*bank);
  const auto s = tpp.Authorised();
  EXPECT_EQ(tpp.Api("GET", kAuthAccounts, s.access_token).status, 200);
  EXPECT_EQ(tpp.Api("GET", kAuthAccounts, s.access_token).status, 401);
  EXPECT_EQ(tpp.Api("GET", kAuthAccounts, s.access_token).status, 401);
  http::Response refresh = tpp.Token(
      {{"grant_type", "refresh_token"}, {"refresh_token", s.refresh_token}, {"client_id", test::kStetClientId}});
  EXPECT_EQ(JsonString(refresh.body, "/error"), "invalid_grant");
}

}  // namespace
}  // namespace bankfeed::sandbox
