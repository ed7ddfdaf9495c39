// The UK sandbox bank's token endpoint: both client authentication methods, each refused when the client gets
// exactly one thing wrong, and the grants (client credentials, the code exchange, refresh in all three modes).
#include <gtest/gtest.h>

#include <thread>

#include "signing/base64.hpp"
#include "tools/sandbox/uk_ob/tokens.hpp"
#include "unit/sandbox/sandbox_test_util.hpp"

namespace bankfeed::sandbox {
namespace {

using test::Bank;
using test::Identity;
using test::JsonMembers;
using test::JsonString;
using test::Quoted;
using test::UkTpp;
using Form = std::vector<std::pair<std::string, std::string>>;

constexpr char kJwtBearer[] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

Form ClientCredentials(Form auth) {
  auth.insert(auth.begin(), {{"grant_type", "client_credentials"}, {"scope", "accounts"}});
  return auth;
}

TEST(SandboxUkClientAuth, BothMethodsGiveAClientCredentialsToken) {
  auto bank = Bank::Start(test::UkMiniScenario("  token_ttl_s: 120\n"));
  ASSERT_TRUE(bank);
  UkTpp tpp(*bank);
  for (const std::string method : {"private_key_jwt", "tls_client_auth"}) {
    SCOPED_TRACE(method);
    const std::string id = tpp.Register(method);
    http::Response r = tpp.Token(ClientCredentials(tpp.ClientAuth(id)));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_FALSE(JsonString(r.body, "/access_token").empty());
    EXPECT_EQ(JsonString(r.body, "/token_type"), "Bearer");
    EXPECT_EQ(test::JsonInt(r.body, "/expires_in"), 120);
    EXPECT_FALSE(test::JsonHas(r.body, "/refresh_token"));
    EXPECT_FALSE(test::JsonHas(r.body, "/id_token"));
    EXPECT_EQ(test::Header(r, "Cache-Control"), "no-store");
  }
  EXPECT_EQ(bank->stats().bad_client_auth.load(), 0);
}

TEST(SandboxUkClientAuth, TlsClientAuthNeedsTheRegisteredCertificateAndItsClientId) {
  auto bank = Bank::Start(test::UkMiniScenario());
  ASSERT_TRUE(bank);
  UkTpp tpp(*bank);
  const std::string id = tpp.Register("tls_client_auth");
  const std::string pkj = tpp.Register("private_key_jwt");
  const auto refused = [&](const Form& form, Identity identity, const std::string& description) {
    http::Response r = tpp.Token(ClientCredentials(form), identity);
    EXPECT_EQ(r.status, 401) << r.body;
    EXPECT_EQ(JsonString(r.body, "/error"), "invalid_client");
    EXPECT_NE(JsonString(r.body, "/error_description").find(description), std::string::npos) << r.body;
  };
  refused({{"client_id", id}}, Identity::kQseal, "not the one the client registered with");
  refused({}, Identity::kQwac, "client_id: missing");
  refused({{"client_id", "no-such-client"}}, Identity::kQwac, "client_id: not a registered client");
  refused({{"client_id", pkj}}, Identity::kQwac, "registered for private_key_jwt");
  EXPECT_EQ(bank->stats().bad_client_auth.load(), 4);
  EXPECT_EQ(tpp.Token(ClientCredentials({{"client_id", id}})).status, 200);
  // Without any client certificate the endpoint does not answer at all.
  EXPECT_EQ(tpp.Token(ClientCredentials({{"client_id", id}}), Identity::kNone).status, 401);
}

// Each check of a client assertion, against an assertion that gets exactly that one wrong.
TEST(SandboxUkClientAuth, EachAssertionCheckRefusesAnAssertionThatGetsItWrong) {
  auto bank = Bank::Start(test::UkMiniScenario());
  ASSERT_TRUE(bank);
  UkTpp tpp(*bank);
  const std::string id = tpp.Register("private_key_jwt");
  const std::string tls = tpp.Register("tls_client_auth");
  const auto other_key = test::LoadPrivateKey("qwac-mismatch.key");
  const JsonMembers ps256{{"alg", Quoted("PS256")}, {"kid", Quoted("tpp-kid")}};
  const auto claims_with = [&](const std::string& claim, const std::string& value) {
    JsonMembers c = tpp.AssertionClaims(id);
    if (value.empty()) {
      c.erase(claim);
    } else {
      c[claim] = value;
    }
    return c;
  };
  const auto signed_with = [&](const std::string& claim, const std::string& value) {
    return test::SignJwt(ps256, claims_with(claim, value), tpp.key());
  };
  const int64_t now = test::UnixNow();
  const std::string none_header = signing::Base64UrlEncode(R"({"alg":"none"})") + "." +
                                  signing::Base64UrlEncode(test::ToJson(tpp.AssertionClaims(id))) + ".";
  JsonMembers rs256 = ps256;
  rs256["alg"] = Quoted("RS256");
  // exp 601 s after the assertion's own iat (not after `now`: AssertionClaims reads the clock again, and a second
  // boundary between the two made this case pass as 600 s).
  JsonMembers long_lived = claims_with("iat", std::to_string(now));
  long_lived["exp"] = std::to_string(now + 601);
  const std::string too_long = test::SignJwt(ps256, long_lived, tpp.key());
  struct Case {
    const char* name;
    Form form;
    const char* description;
  };
  const std::string replayed = tpp.Assertion(id);
  ASSERT_EQ(
      tpp.Token(ClientCredentials({{"client_assertion_type", kJwtBearer}, {"client_assertion", replayed}})).status,
      200);
  const std::vector<Case> cases = {
      {"alg none", {{"client_assertion_type", kJwtBearer}, {"client_assertion", none_header}}, "client_assertion"},
      {"alg RS256",
       {{"client_assertion_type", kJwtBearer},
        {"client_assertion", test::SignJwt(rs256, tpp.AssertionClaims(id), tpp.key())}},
       "alg: expected PS256"},
      {"signed by another key",
       {{"client_assertion_type", kJwtBearer},
        {"client_assertion", test::SignJwt(ps256, tpp.AssertionClaims(id), other_key.get())}},
       "signature does not verify"},
      {"wrong aud",
       {{"client_assertion_type", kJwtBearer},
        {"client_assertion", signed_with("aud", Quoted("https://elsewhere.example/token"))}},
       "aud: not the token endpoint"},
      {"expired",
       {{"client_assertion_type", kJwtBearer}, {"client_assertion", signed_with("exp", std::to_string(now - 1))}},
       "exp: expired"},
      {"no exp", {{"client_assertion_type", kJwtBearer}, {"client_assertion", signed_with("exp", "")}}, "exp: missing"},
      {"lives too long",
       {{"client_assertion_type", kJwtBearer}, {"client_assertion", too_long}},
       "more than 10 minutes"},
      {"replayed jti", {{"client_assertion_type", kJwtBearer}, {"client_assertion", replayed}}, "jti: used before"},
      {"no jti", {{"client_assertion_type", kJwtBearer}, {"client_assertion", signed_with("jti", "")}}, "jti: missing"},
      {"sub not iss",
       {{"client_assertion_type", kJwtBearer}, {"client_assertion", signed_with("sub", Quoted("someone"))}},
       "sub: must equal iss"},
      {"no iss", {{"client_assertion_type", kJwtBearer}, {"client_assertion", signed_with("iss", "")}}, "iss: missing"},
      {"unknown iss",
       {{"client_assertion_type", kJwtBearer}, {"client_assertion", signed_with("iss", Quoted("no-such-client"))}},
       "iss: not a registered client"},
      {"form client_id differs",
       {{"client_id", tls}, {"client_assertion_type", kJwtBearer}, {"client_assertion", tpp.Assertion(id)}},
       "client_id: not the client_assertion's iss"},
      {"wrong assertion type",
       {{"client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:saml2-bearer"},
        {"client_assertion", tpp.Assertion(id)}},
       "client_assertion_type"},
      {"no assertion", {{"client_assertion_type", kJwtBearer}}, "client_assertion: missing"},
      {"client registered for tls_client_auth",
       {{"client_assertion_type", kJwtBearer}, {"client_assertion", tpp.Assertion(tls)}},
       "registered for tls_client_auth"},
  };
  int64_t refused = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    http::Response r = tpp.Token(ClientCredentials(c.form));
    EXPECT_EQ(r.status, 401) << r.body;
    EXPECT_EQ(JsonString(r.body, "/error"), "invalid_client") << r.body;
    EXPECT_NE(JsonString(r.body, "/error_description").find(c.description), std::string::npos) << r.body;
    EXPECT_EQ(bank->stats().bad_client_auth.load(), ++refused);
  }
  // The issuer is an accepted audience too; the right assertion still works.
  EXPECT_EQ(tpp.Token(ClientCredentials({{"client_assertion_type", kJwtBearer},
                                         {"client_assertion", signed_with("aud", Quoted(tpp.issuer()))}}))
                .status,
            200);
  EXPECT_EQ(tpp.Token(ClientCredentials(tpp.ClientAuth(id))).status, 200);
}

TEST(SandboxUkGrants, RequestErrorsFollowRfc6749) {
  auto bank = Bank::Start(test::UkMiniScenario());
  ASSERT_TRUE(bank);
  UkTpp tpp(*bank);
  const std::string id = tpp.Register();
  const auto error_of = [&](Form form) {
    for (auto& f : tpp.ClientAuth(id)) form.push_back(f);
    http::Response r = tpp.Token(form);
    EXPECT_EQ(r.status, 400) << r.body;
    return JsonString(r.body, "/error");
  };
  EXPECT_EQ(error_of({}), "invalid_request");
  EXPECT_EQ(error_of({{"grant_type", "password"}}), "unsupported_grant_type");
  EXPECT_EQ(error_of({{"grant_type", "client_credentials"}}), "invalid_scope");
  EXPECT_EQ(error_of({{"grant_type", "client_credentials"}, {"scope", "payments"}}), "invalid_scope");
  EXPECT_EQ(error_of({{"grant_type", "authorization_code"}, {"redirect_uri", test::kUkRedirect}}), "invalid_request");
  EXPECT_EQ(error_of({{"grant_type", "authorization_code"}, {"code", "nope"}}), "invalid_request");
  EXPECT_EQ(error_of({{"grant_type", "authorization_code"}, {"code", "nope"}, {"redirect_uri", test::kUkRedirect}}),
            "invalid_grant");
  EXPECT_EQ(error_of({{"grant_type", "refresh_token"}}), "invalid_request");
  EXPECT_EQ(error_of({{"grant_type", "refresh_token"}, {"refresh_token", "nope"}}), "invalid_grant");
  EXPECT_EQ(bank->stats().bad_grant.load(), 9);
  http::Response json =
      bank->Send("POST", "/as/token", {{"Content-Type", "application/json"}}, "{}", test::Signing::kUnsigned);
  EXPECT_EQ(json.status, 400);
  EXPECT_EQ(JsonString(json.body, "/error"), "invalid_request");
}

TEST(SandboxUkGrants, CodeExchangeIsSingleUseForItsClientAndRedirectUri) {
  auto bank = Bank::Start(test::UkMiniScenario());
  ASSERT_TRUE(bank);
  UkTpp tpp(*bank);
  const std::string id = tpp.Register();
  const std::string consent = tpp.CreateConsent(tpp.ClientCredentialsToken(id));
  http::Response redirect = tpp.Authorize(id, tpp.RequestObject(tpp.RequestObjectClaims(id, consent)));
  const std::string code = test::FragmentOf(redirect)["code"];
  ASSERT_FALSE(code.empty());
  const auto exchange = [&](const std::string& client, const std::string& redirect_uri) {
    Form form{{"grant_type", "authorization_code"}, {"code", code}, {"redirect_uri", redirect_uri}};
    for (auto& f : tpp.ClientAuth(client)) form.push_back(f);
    return tpp.Token(form);
  };
  const std::string other = tpp.Register();
  http::Response foreign = exchange(other, test::kUkRedirect);
  EXPECT_EQ(JsonString(foreign.body, "/error"), "invalid_grant") << "another client's code";
  http::Response elsewhere = exchange(id, "https://tpp.example.test/other");
  EXPECT_EQ(JsonString(elsewhere.body, "/error"), "invalid_grant");
  EXPECT_EQ(JsonString(elsewhere.body, "/error_description"), "redirect_uri: not the authorization request's");
  http::Response ok = exchange(id, test::kUkRedirect);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_FALSE(JsonString(ok.body, "/access_token").empty());
  EXPECT_FALSE(JsonString(ok.body, "/refresh_token").empty());
  EXPECT_FALSE(JsonString(ok.body, "/id_token").empty());
  http::Response again = exchange(id, test::kUkRedirect);
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(JsonString(again.body, "/error"), "invalid_grant") << "a code works once";

  // A consent revoked between the redirect and the exchange gives no tokens.
  const std::string cc = tpp.ClientCredentialsToken(id);
  const std::string revoked = tpp.CreateConsent(cc);
  const std::string revoked_code =
      test::FragmentOf(tpp.Authorize(id, tpp.RequestObject(tpp.RequestObjectClaims(id, revoked))))["code"];
  ASSERT_EQ(tpp.Api("DELETE", "/open-banking/v3.1/aisp/account-access-consents/" + revoked, cc).status, 204);
  Form form{{"grant_type", "authorization_code"}, {"code", revoked_code}, {"redirect_uri", test::kUkRedirect}};
  for (auto& f : tpp.ClientAuth(id)) form.push_back(f);
  http::Response late = tpp.Token(form);
  EXPECT_EQ(JsonString(late.body, "/error"), "invalid_grant");
  EXPECT_NE(JsonString(late.body, "/error_description").find("no longer authorised"), std::string::npos);
}

// Codes live ten minutes (the store on a clock the test moves).
TEST(SandboxUkGrants, CodesExpireAfterTenMinutes) {
  auto now = std::chrono::steady_clock::now();
  uk_ob::TokenStore store(std::chrono::seconds(60), [&now] { return now; });
  const std::string late = store.IssueCode({"client-1", "consent-1", test::kUkRedirect, "nonce", 0});
  const std::string timely = store.IssueCode({"client-1", "consent-1", test::kUkRedirect, "nonce", 0});
  now += std::chrono::minutes(9);
  EXPECT_TRUE(store.RedeemCode(timely, "client-1", test::kUkRedirect));
  now += std::chrono::minutes(2);
  auto expired = store.RedeemCode(late, "client-1", test::kUkRedirect);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().error, "invalid_grant");
  const std::string token = store.IssueAccessToken({"client-1", "consent-1", "", 0, "fp"});
  EXPECT_TRUE(store.AccessGrant(token));
  now += std::chrono::seconds(60);
  EXPECT_FALSE(store.AccessGrant(token)) << "access tokens live token_ttl_s";
}

// rotate: a new refresh token each time, the used one dies; reuse: the same one stays valid; none: never issued.
TEST(SandboxUkGrants, RefreshTokensRotateAreReusedOrAreNeverIssued) {
  const auto refresh = [](UkTpp& tpp, const std::string& client, const std::string& token) {
    Form form{{"grant_type", "refresh_token"}, {"refresh_token", token}};
    for (auto& f : tpp.ClientAuth(client)) form.push_back(f);
    return tpp.Token(form);
  };
  {
    auto bank = Bank::Start(test::UkMiniScenario());
    ASSERT_TRUE(bank);
    UkTpp tpp(*bank);
    UkTpp::Session s = tpp.Authorised();
    ASSERT_FALSE(s.refresh_token.empty());
    http::Response first = refresh(tpp, s.client_id, s.refresh_token);
    ASSERT_EQ(first.status, 200) << first.body;
    const std::string next = JsonString(first.body, "/refresh_token");
    EXPECT_FALSE(next.empty());
    EXPECT_NE(next, s.refresh_token);
    EXPECT_NE(JsonString(first.body, "/access_token"), s.access_token);
    EXPECT_EQ(JsonString(refresh(tpp, s.client_id, s.refresh_token).body, "/error"), "invalid_grant") << "spent";
    EXPECT_EQ(refresh(tpp, s.client_id, next).status, 200);
    // Another client cannot use it; the new access token reads.
    const std::string other = tpp.Register();
    EXPECT_EQ(JsonString(refresh(tpp, other, JsonString(first.body, "/refresh_token")).body, "/error"),
              "invalid_grant");
    EXPECT_EQ(tpp.Api("GET", "/open-banking/v3.1/aisp/accounts", JsonString(first.body, "/access_token")).status, 200);
  }
  {
    auto bank = Bank::Start(test::UkMiniScenario("  oidc: {refresh_tokens: reuse}\n"));
    ASSERT_TRUE(bank);
    UkTpp tpp(*bank);
    UkTpp::Session s = tpp.Authorised();
    for (int i = 0; i < 3; ++i) {
      http::Response r = refresh(tpp, s.client_id, s.refresh_token);
      ASSERT_EQ(r.status, 200) << r.body;
      EXPECT_EQ(JsonString(r.body, "/refresh_token"), s.refresh_token);
    }
  }
  {
    auto bank = Bank::Start(test::UkMiniScenario("  oidc: {refresh_tokens: none}\n"));
    ASSERT_TRUE(bank);
    UkTpp tpp(*bank);
    UkTpp::Session s = tpp.Authorised();
    EXPECT_FALSE(test::JsonHas(s.token_response, "/refresh_token"));
    EXPECT_FALSE(s.access_token.empty());
  }
}

TEST(SandboxUkGrants, AccessTokensExpireAfterTokenTtl) {
  auto bank = Bank::Start(test::UkMiniScenario("  token_ttl_s: 1\n"));
  ASSERT_TRUE(bank);
  UkTpp tpp(*bank);
  UkTpp::Session s = tpp.Authorised();
  EXPECT_EQ(test::JsonInt(s.token_response, "/expires_in"), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  http::Response r = tpp.Api("GET", "/open-banking/v3.1/aisp/accounts", s.access_token);
  EXPECT_EQ(r.status, 401);
  EXPECT_TRUE(r.body.empty());
}

}  // namespace
}  // namespace bankfeed::sandbox
