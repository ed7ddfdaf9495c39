// A consent's OAuth2 tokens (adapters/common/grant_tokens.hpp) against a local token endpoint over mTLS: the
// callback checked, the code redeemed, renewal before expiry, rotation, and a refused refresh that keeps the grant.
#include <gtest/gtest.h>

#include <mutex>

#include "adapters/common/grant_tokens.hpp"
#include "adapters/common/url.hpp"
#include "unit/http/http_test_util.hpp"

namespace bankfeed::adapters {
namespace {

using testing::Connection;
using testing::RawRequest;
using testing::TlsTestServer;

// A token endpoint that records each form and answers with the next scripted reply.
struct TokenServer {
  std::mutex mu;
  std::vector<std::map<std::string, std::string>> forms;
  std::vector<std::pair<int, std::string>> replies;
  std::unique_ptr<TlsTestServer> server = TlsTestServer::Start(http::test::MtlsServer(), [this](const RawRequest& r,
                                                                                               Connection& c) {
    std::pair<int, std::string> reply{500, "{}"};
    {
      std::lock_guard lock(mu);
      forms.push_back(ParseQuery(r.body));
      if (!replies.empty()) {
        reply = replies.front();
        replies.erase(replies.begin());
      }
    }
    c.Respond(reply.first, reply.second, {{"Content-Type", "application/json"}});
  });
};

struct Fixture {
  TokenServer endpoint;
  std::unique_ptr<http::Client> client = *http::Client::Make(http::test::ClientOptions());
  std::chrono::system_clock::time_point now{std::chrono::seconds(1'700'000'000)};
  GrantTokens tokens{TokenEndpoint{client.get(), RetryOptions{.max_attempts = 1}, endpoint.server->Url("/token"),
                                   "bank-x", [] { return Result<FormFields>(FormFields{{"client_id", "PSDXX-1"}}); },
                                   {}},
                     [this] { return now; }};
  int64_t Now() const { return std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count(); }
};

ConsentGrant GrantWithTokens(int64_t expires_at) {
  ConsentGrant grant;
  grant.access_token = "at-1";
  grant.refresh_token = "rt-1";
  grant.access_token_expires = DateTime{expires_at, 0, 0};
  return grant;
}

TEST(GrantTokens, StoreKeepsARotatedRefreshTokenAndTheOldOneWhenNoneCame) {
  Fixture f;
  ConsentGrant grant = GrantWithTokens(0);
  f.tokens.Store(grant, TokenResponse{"at-2", "rt-2", std::chrono::seconds(300), "Bearer", ""});
  EXPECT_EQ(grant.access_token, "at-2");
  EXPECT_EQ(grant.refresh_token, "rt-2");
  EXPECT_EQ(grant.access_token_expires->unix_seconds, f.Now() + 300);
  f.tokens.Store(grant, TokenResponse{"at-3", "", std::nullopt, "Bearer", ""});
  EXPECT_EQ(grant.access_token, "at-3");
  EXPECT_EQ(grant.refresh_token, "rt-2");
  EXPECT_FALSE(grant.access_token_expires);
}

TEST(GrantTokens, ATokenFarFromExpiryIsUsedAsItIs) {
  Fixture f;
  ConsentGrant grant = GrantWithTokens(f.Now() + 3600);
  ASSERT_TRUE(f.tokens.EnsureFresh(grant));
  EXPECT_EQ(grant.access_token, "at-1");
  EXPECT_EQ(f.endpoint.server->requests(), 0);
}

TEST(GrantTokens, ATokenAboutToExpireIsRenewedWithTheRefreshTokenAndRotated) {
  Fixture f;
  f.endpoint.replies = {{200, R"({"access_token":"at-2","refresh_token":"rt-2","expires_in":600,"token_type":"Bearer"})"}};
  ConsentGrant grant = GrantWithTokens(f.Now() + 30);  // inside the one-minute margin
  ASSERT_TRUE(f.tokens.EnsureFresh(grant));
  ASSERT_EQ(f.endpoint.forms.size(), 1u);
  EXPECT_EQ(f.endpoint.forms[0], (std::map<std::string, std::string>{
                                     {"grant_type", "refresh_token"}, {"refresh_token", "rt-1"}, {"client_id", "PSDXX-1"}}));
  EXPECT_EQ(grant.access_token, "at-2");
  EXPECT_EQ(grant.refresh_token, "rt-2");
  EXPECT_EQ(grant.access_token_expires->unix_seconds, f.Now() + 600);
}

// STET: the scope goes with the code and every refresh (TokenEndpoint::grant_fields); a token from a refresh is
// marked as such (banks that give less history with it), one from the code is not.
TEST(GrantTokens, GrantFieldsGoWithCodeAndRefreshAndARefreshedTokenIsMarked) {
  Fixture f;
  TokenEndpoint endpoint{f.client.get(), RetryOptions{.max_attempts = 1}, f.endpoint.server->Url("/token"), "bank-x",
                         [] { return Result<FormFields>(FormFields{{"client_id", "PSDXX-1"}}); },
                         {{"scope", "aisp"}}};
  GrantTokens tokens(std::move(endpoint), [&f] { return f.now; });
  f.endpoint.replies = {{200, R"({"access_token":"at-1","refresh_token":"rt-1","expires_in":600})"},
                        {200, R"({"access_token":"at-2","refresh_token":"rt-2","expires_in":600})"},
                        {200, R"({"access_token":"at-3","refresh_token":"rt-3","expires_in":600})"}};
  ConsentGrant grant;
  grant.bank_id = "bank-x";
  grant.oauth_state = "state-1";
  ASSERT_TRUE(tokens.RedeemCode(grant, "code-1", "https://tpp.example/cb"));
  EXPECT_EQ(f.endpoint.forms[0].at("scope"), "aisp");
  EXPECT_FALSE(grant.access_token_refreshed);
  ASSERT_TRUE(tokens.Refresh(grant));
  EXPECT_EQ(f.endpoint.forms[1].at("scope"), "aisp");
  EXPECT_EQ(f.endpoint.forms[1].at("grant_type"), "refresh_token");
  EXPECT_TRUE(grant.access_token_refreshed);
  grant.oauth_state = "state-2";  // the customer authorises again: the new code's token is not a refreshed one
  ASSERT_TRUE(tokens.RedeemCode(grant, "code-2", "https://tpp.example/cb"));
  EXPECT_FALSE(grant.access_token_refreshed);
  // The mark survives the grant's JSON.
  grant.access_token_refreshed = true;
  auto back = GrantFromJson(GrantToJson(grant));
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_TRUE(back->access_token_refreshed);
}

TEST(GrantTokens, ARefusedRefreshIsConsentInvalidAndTheGrantKeepsItsTokens) {
  Fixture f;
  f.endpoint.replies = {{400, R"({"error":"invalid_grant","error_description":"refresh token rt-1 revoked"})"}};
  ConsentGrant grant = GrantWithTokens(f.Now() - 1);
  auto refreshed = f.tokens.EnsureFresh(grant);
  ASSERT_FALSE(refreshed);
  EXPECT_EQ(refreshed.error().code, ErrorCode::kConsentInvalid);
  EXPECT_EQ(refreshed.error().bank_id, "bank-x");
  EXPECT_EQ(refreshed.error().message.find("rt-1"), std::string::npos) << "never the description or the token";
  EXPECT_EQ(grant.access_token, "at-1");
  EXPECT_EQ(grant.refresh_token, "rt-1");
}

TEST(GrantTokens, NoTokenOrNoRefreshTokenIsConsentInvalidWithoutARequest) {
  Fixture f;
  ConsentGrant none;
  auto fresh = f.tokens.EnsureFresh(none);
  ASSERT_FALSE(fresh);
  EXPECT_EQ(fresh.error().code, ErrorCode::kConsentInvalid);
  ConsentGrant no_refresh = GrantWithTokens(f.Now() - 1);
  no_refresh.refresh_token.clear();
  EXPECT_TRUE(f.tokens.EnsureFresh(no_refresh)) << "an expired token without a refresh token is tried as it is";
  auto refresh = f.tokens.Refresh(no_refresh);
  ASSERT_FALSE(refresh);
  EXPECT_EQ(refresh.error().message, "access token expired and no refresh token");
  EXPECT_EQ(f.endpoint.server->requests(), 0);
}

TEST(GrantTokens, RedeemingTheCodeSendsTheVerifierAndClearsTheRequestInFlight) {
  Fixture f;
  f.endpoint.replies = {{200, R"({"access_token":"at-9","refresh_token":"rt-9","expires_in":60})"},
                        {200, R"({"access_token":"at-10"})"}};
  ConsentGrant grant;
  grant.oauth_state = "state-1";
  grant.pkce_verifier = "verifier-1";
  ASSERT_TRUE(f.tokens.RedeemCode(grant, "code-1", "https://tpp.example/cb"));
  EXPECT_EQ(f.endpoint.forms[0], (std::map<std::string, std::string>{{"grant_type", "authorization_code"},
                                                                     {"code", "code-1"},
                                                                     {"redirect_uri", "https://tpp.example/cb"},
                                                                     {"code_verifier", "verifier-1"},
                                                                     {"client_id", "PSDXX-1"}}));
  EXPECT_EQ(grant.access_token, "at-9");
  EXPECT_TRUE(grant.oauth_state.empty());
  EXPECT_TRUE(grant.pkce_verifier.empty());
  // Without PKCE, no verifier is sent.
  ConsentGrant plain;
  ASSERT_TRUE(f.tokens.RedeemCode(plain, "code-2", "https://tpp.example/cb"));
  EXPECT_EQ(f.endpoint.forms[1].count("code_verifier"), 0u);
}

TEST(AuthorizationCode, TheCallbackMustAnswerTheRequestSent) {
  ConsentGrant grant;
  grant.oauth_state = "state-1";
  grant.pkce_verifier = "verifier-1";
  auto code = AuthorizationCode(grant, {{"state", "state-1"}, {"code", "code-1"}}, "bank-x");
  ASSERT_TRUE(code) << code.error().ToString();
  EXPECT_EQ(*code, "code-1");

  auto other_state = AuthorizationCode(grant, {{"state", "state-2"}, {"code", "code-1"}}, "bank-x");
  ASSERT_FALSE(other_state);
  EXPECT_EQ(other_state.error().code, ErrorCode::kConsentInvalid);
  EXPECT_EQ(other_state.error().message, "callback.state: does not match the request");
  EXPECT_FALSE(AuthorizationCode(grant, {{"code", "code-1"}}, "bank-x"));
  auto no_code = AuthorizationCode(grant, {{"state", "state-1"}}, "bank-x");
  ASSERT_FALSE(no_code);
  EXPECT_EQ(no_code.error().code, ErrorCode::kInvalidArgument);

  ConsentGrant empty_state;  // a grant with no request in flight accepts no callback, not even an empty state
  EXPECT_FALSE(AuthorizationCode(empty_state, {{"state", ""}, {"code", "code-1"}}, "bank-x"));
}

TEST(AuthorizationCode, AnErrorRejectsTheGrantAndQuotesOnlyAPlainErrorCode) {
  ConsentGrant grant;
  grant.oauth_state = "state-1";
  grant.pkce_verifier = "verifier-1";
  auto denied = AuthorizationCode(grant, {{"error", "access_denied"}, {"state", "state-1"}}, "bank-x");
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::kConsentInvalid);
  EXPECT_EQ(denied.error().message, "authorization refused: access_denied");
  EXPECT_EQ(grant.status, ConsentStatus::kRejected);
  EXPECT_TRUE(grant.oauth_state.empty());
  EXPECT_TRUE(grant.pkce_verifier.empty());
  auto odd = AuthorizationCode(grant, {{"error", "<script>Jane Doe</script>"}}, "bank-x");
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error().message, "authorization refused: (unreadable)");
}

}  // namespace
}  // namespace bankfeed::adapters
