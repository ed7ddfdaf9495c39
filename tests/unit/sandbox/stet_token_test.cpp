// The STET sandbox bank's authorization server: the authorize page (approve, reject, scope, PKCE), the token
// endpoint (code, refresh in all three modes, client id, token_scope, a broken bank without access_token) and
// revocation.
#include <gtest/gtest.h>

#include "tools/sandbox/oauth.hpp"
#include "unit/sandbox/stet_test_util.hpp"

namespace bankfeed::sandbox {
namespace {

using test::Form;
using test::Identity;
using test::JsonString;
using test::StetTpp;

TEST(SandboxStetAuthorize, ApprovesIntoTheQueryWithCodeAndState) {
  auto bank = test::StartStet(test::StetMiniScenario());
  ASSERT_TRUE(bank);
  StetTpp tpp(*bank);
  http::Response r = tpp.Authorize();
  ASSERT_EQ(r.status, 302) << r.body;
  const std::string location = test::Header(r, "Location");
  EXPECT_EQ(location.rfind(std::string(test::kStetRedirect) + "?", 0), 0u);
  EXPECT_EQ(location.find('#'), std::string::npos);
  const auto params = test::QueryParamsOf(r);
  EXPECT_EQ(params.at("state"), "st-1");
  EXPECT_FALSE(params.at("code").empty());
}

TEST(SandboxStetAuthorize, RejectRedirectsWithAccessDenied) {
  auto bank = test::StartStet(test::StetMiniScenario("  sca_outcome: reject\n"));
  ASSERT_TRUE(bank);
  StetTpp tpp(*bank);
  http::Response r = tpp.Authorize();
  ASSERT_EQ(r.status, 302);
  const auto params = test::QueryParamsOf(r);
  EXPECT_EQ(params.at("error"), "access_denied");
  EXPECT_EQ(params.at("state"), "st-1");
  EXPECT_EQ(params.count("code"), 0u);
}

TEST(SandboxStetAuthorize, ScopeMustHoldAispAndExtendedHistoryOnlyWhenOffered) {
  auto bank = test::StartStet(test::StetMiniScenario());
  ASSERT_TRUE(bank);
  StetTpp tpp(*bank);
  // The later scope= replaces nothing: FindField takes the first, so build the query by hand.
  const auto with_scope = [&](const std::string& scope) {
    return bank->Send("GET",
                      "/stet/authorize?response_type=code&client_id=PSDDE-BAFIN-123456&redirect_uri=" +
                          PercentEncode(test::kStetRedirect) + "&scope=" + PercentEncode(scope) + "&state=s",
                      {}, "", test::Signing::kUnsigned, Identity::kNone);
  };
  EXPECT_EQ(test::QueryParamsOf(with_scope("pisp")).at("error"), "invalid_scope");
  EXPECT_EQ(test::QueryParamsOf(with_scope("aisp extended_transaction_history")).at("error"), "invalid_scope");
  EXPECT_EQ(test::QueryParamsOf(with_scope("aisp")).count("code"), 1u);

  auto extended = test::StartStet(test::StetMiniScenario("", "    extended_history: true\n"));
  ASSERT_TRUE(extended);
  http::Response r = extended->Send("GET",
                                    "/stet/authorize?response_type=code&client_id=PSDDE-BAFIN-123456&redirect_uri=" +
                                        PercentEncode(test::kStetRedirect) +
                                        "&scope=aisp%20extended_transaction_history&state=s",
                                    {}, "", test::Signing::kUnsigned, Identity::kNone);
  EXPECT_EQ(test::QueryParamsOf(r).count("code"), 1u) << test::Header(r, "Location").substr(0, 80);
}

TEST(SandboxStetAuthorize, BadClientOrRedirectIsAPageNotARedirect) {
  auto bank = test::StartStet(test::StetMiniScenario("", "    client_id: tpp-42\n"));
  ASSERT_TRUE(bank);
  StetTpp tpp(*bank);
  http::Response r = tpp.Authorize();  // client_id PSDDE-BAFIN-123456 is not tpp-42
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(test::Header(r, "Location").empty());
  EXPECT_NE(r.body.find("client_id"), std::string::npos);
  http::Response http_redirect = bank->Send(
      "GET", "/stet/authorize?response_type=code&client_id=tpp-42&redirect_uri=http%3A%2F%2Ftpp.example%2Fcb&scope=aisp",
      {}, "", test::Signing::kUnsigned, Identity::kNone);
  EXPECT_EQ(http_redirect.status, 400);
  EXPECT_NE(http_redirect.body.find("redirect_uri"), std::string::npos);
}

TEST(SandboxStetAuthorize, PkceRequiredWhenConfiguredAndVerifiedWhenSent) {
  auto bank = test::StartStet(test::StetMiniScenario("", "    pkce: true\n"));
  ASSERT_TRUE(bank);
  StetTpp tpp(*bank);
  const auto params = test::QueryParamsOf(tpp.Authorize("", false));
  EXPECT_EQ(params.at("error"), "invalid_request");
  EXPECT_NE(params.at("error_description").find("code_challenge"), std::string::npos);

  Form wrong = tpp.CodeForm(tpp.Code());
  wrong.back().second = std::string(43, 'a');  // code_verifier of another challenge
  http::Response r = tpp.Token(wrong);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(JsonString(r.body, "/error"), "invalid_grant");
  EXPECT_NE(JsonString(r.body, "/error_description").find("code_verifier"), std::string::npos);

  Form missing = tpp.CodeForm(tpp.Code());
  missing.pop_back();
  EXPECT_EQ(JsonString(tpp.Token(missing).body, "/error"), "invalid_grant");
  EXPECT_EQ(tpp.Token(tpp.CodeForm(tpp.Code())).status, 200);
}

TEST(SandboxStetToken, CodeExchangeAnswersTheContractsFieldsAndWorksOnce) {
  auto bank = test::StartStet(test::StetMiniScenario("  token_ttl_s: 600\n"));
  ASSERT_TRUE(bank);
  StetTpp tpp(*bank);
  const std::string code = tpp.Code();
  http::Response r = tpp.Token(tpp.CodeForm(code));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(JsonString(r.body, "/access_token").empty());
  EXPECT_EQ(JsonString(r.body, "/token_type"), "Bearer");
  EXPECT_EQ(test::JsonInt(r.body, "/expires_in"), 600);
  EXPECT_FALSE(JsonString(r.body, "/refresh_token").empty());
  EXPECT_EQ(JsonString(r.body, "/scope"), "aisp");
  http::Response again = tpp.Token(tpp.CodeForm(code));
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(JsonString(again.body, "/error"), "invalid_grant");
}

TEST(SandboxStetToken, ClientIdMustBeTheCertificatesOrTheConfiguredOne) {
  auto bank = test::StartStet(test::StetMiniScenario());
  ASSERT_TRUE(bank);
  StetTpp tpp(*bank);
  Form form = tpp.CodeForm(tpp.Code());
  form[3].second = "PSDFR-ACPR-999";
  http::Response r = tpp.Token(form);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(JsonString(r.body, "/error"), "invalid_client");
  EXPECT_EQ(bank->stats().bad_client_auth.load(), 1);

  auto configured = test::StartStet(test::StetMiniScenario("", "    client_id: tpp-42\n"));
  ASSERT_TRUE(configured);
  StetTpp other(*configured);
  http::Response org = other.Token({{"grant_type", "refresh_token"}, {"refresh_token", "x"},
                                    {"client_id", test::kStetClientId}});
  EXPECT_EQ(org.status, 401);
  EXPECT_EQ(JsonString(org.body, "/error"), "invalid_client");
}

TEST(SandboxStetToken, TokenScopeRules) {
  for (const std::string rule : {"required", "forbidden"}) {
    SCOPED_TRACE(rule);
    auto bank = test::StartStet(test::StetMiniScenario("", "    token_scope: " + rule + "\n"));
    ASSERT_TRUE(bank);
    StetTpp tpp(*bank);
    Form form = tpp.CodeForm(tpp.Code());
    if (rule == "forbidden") form.push_back({"scope", "aisp"});
    http::Response r = tpp.Token(form);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(JsonString(r.body, "/error"), "invalid_request");
    EXPECT_EQ(JsonString(r.body, "/error_description").rfind("scope:", 0), 0u);
    if (rule == "required") form.push_back({"scope", "aisp"});
    if (rule == "forbidden") form.pop_back();
    EXPECT_EQ(tpp.Token(form).status, 200);  // the refusal came before the code was redeemed
  }
}

TEST(SandboxStetToken, RefreshRotates) {
  auto bank = test::StartStet(test::StetMiniScenario());
  ASSERT_TRUE(bank);
  StetTpp tpp(*bank);
  const auto first = tpp.Authorised();
  const auto second = tpp.Refresh(first.refresh_token);
  EXPECT_NE(second.refresh_token, first.refresh_token);
  http::Response reused = tpp.Token(
      {{"grant_type", "refresh_token"}, {"refresh_token", first.refresh_token}, {"client_id", test::kStetClientId}});
  EXPECT_EQ(reused.status, 400);
  EXPECT_EQ(JsonString(reused.body, "/error"), "invalid_grant");
  EXPECT_EQ(tpp.Refresh(second.refresh_token).access_token.empty(), false);
}

TEST(SandboxStetToken, RefreshReuseAndNone) {
  auto reuse = test::StartStet(test::StetMiniScenario("  oidc:\n    refresh_tokens: reuse\n"));
  ASSERT_TRUE(reuse);
  StetTpp tpp(*reuse);
  const auto first = tpp.Authorised();
  EXPECT_EQ(tpp.Refresh(first.refresh_token).refresh_token, first.refresh_token);
  EXPECT_EQ(tpp.Refresh(first.refresh_token).refresh_token, first.refresh_token);

  auto none = test::StartStet(test::StetMiniScenario("  oidc:\n    refresh_tokens: none\n"));
  ASSERT_TRUE(none);
  StetTpp no_refresh(*none);
  const auto session = no_refresh.Authorised();
  EXPECT_FALSE(session.access_token.empty());
  EXPECT_FALSE(test::JsonHas(session.body, "/refresh_token"));
}

TEST(SandboxStetToken, ABrokenBankLeavesOutTheAccessToken) {
  auto bank = test::StartStet(test::StetMiniScenario("", "    token_without_access_token: true\n"));
  ASSERT_TRUE(bank);
  StetTpp tpp(*bank);
  http::Response r = tpp.Token(tpp.CodeForm(tpp.Code()));
  ASSERT_EQ(r.status, 200);
  EXPECT_FALSE(test::JsonHas(r.body, "/access_token"));
  EXPECT_EQ(JsonString(r.body, "/token_type"), "Bearer");
}

TEST(SandboxStetToken, RevokeEndsTheWholeAuthorization) {
  auto bank = test::StartStet(test::StetMiniScenario());
  ASSERT_TRUE(bank);
  StetTpp tpp(*bank);
  const auto s = tpp.Authorised();
  const auto refreshed = tpp.Refresh(s.refresh_token);
  ASSERT_EQ(tpp.Api("GET", "/stet/v1/accounts", refreshed.access_token).status, 200);
  http::Response revoked = bank->Send("POST", "/stet/revoke", {{"Content-Type", "application/x-www-form-urlencoded"}},
                                      "token=" + PercentEncode(s.access_token) + "&token_type_hint=access_token" +
                                          "&client_id=" + test::kStetClientId,
                                      test::Signing::kUnsigned);
  EXPECT_EQ(revoked.status, 200);
  EXPECT_EQ(tpp.Api("GET", "/stet/v1/accounts", refreshed.access_token).status, 401);
  http::Response refresh = tpp.Token({{"grant_type", "refresh_token"},
                                      {"refresh_token", refreshed.refresh_token},
                                      {"client_id", test::kStetClientId}});
  EXPECT_EQ(JsonString(refresh.body, "/error"), "invalid_grant");
  // An unknown token is answered 200 too (RFC 7009).
  EXPECT_EQ(bank->Send("POST", "/stet/revoke", {{"Content-Type", "application/x-www-form-urlencoded"}},
                       "token=unknown&client_id=PSDDE-BAFIN-123456", test::Signing::kUnsigned)
                .status,
            200);
}

}  // namespace
}  // namespace bankfeed::sandbox
