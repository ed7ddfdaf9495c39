// The standard-independent parts: fault selection, quota, forms, OAuth2 with PKCE, the clock body, the consent
// request parser, and the query-date formats.
#include <gtest/gtest.h>

#include <map>

#include "tools/sandbox/berlin_group/consent_request.hpp"
#include "tools/sandbox/berlin_group/requirements.hpp"
#include "tools/sandbox/core_routes.hpp"
#include "tools/sandbox/faults.hpp"
#include "tools/sandbox/form.hpp"
#include "tools/sandbox/https_server.hpp"
#include "tools/sandbox/oauth.hpp"
#include "tools/sandbox/quota.hpp"
#include "unit/sandbox/sandbox_test_util.hpp"

namespace bankfeed::sandbox {
namespace {

std::vector<FaultSpec> FaultsOf(const std::string& faults_yaml) {
  return test::ParseOrDie(test::MiniScenario("  faults:\n" + faults_yaml)).behaviour.faults;
}

std::string Fired(FaultPlan& plan, int64_t index, std::string_view path = "/v1/accounts", int64_t page = 0,
                  std::string_view method = "GET") {
  auto f = plan.Select({index, path, method, page});
  return f ? std::string(FaultKindName(f->kind)) : "-";
}

TEST(Faults, RequestSelectorFiresOnceOnTheNthRequest) {
  FaultPlan plan(FaultsOf("    - {kind: reset, request: 3}\n"), 0);
  std::string seen;
  for (int i = 1; i <= 5; ++i) seen += Fired(plan, i) + " ";
  EXPECT_EQ(seen, "- - reset - - ");
}

TEST(Faults, AMethodRestrictsAFaultToRequestsWithThatMethod) {
  FaultPlan plan(FaultsOf("    - {kind: http_500, method: DELETE, path: /v1/consents/}\n"), 0);
  EXPECT_EQ(Fired(plan, 1, "/v1/consents/c-1/status", 0, "GET"), "-");
  EXPECT_EQ(Fired(plan, 2, "/v1/consents/c-1", 0, "DELETE"), "http_500");
  EXPECT_EQ(Fired(plan, 3, "/v1/accounts", 0, "DELETE"), "-");  // the path must match too
}

TEST(Faults, EveryAndTimesAndFirstMatchWins) {
  FaultPlan plan(FaultsOf("    - {kind: http_503, every: 2, times: 2}\n    - {kind: http_500, every: 3}\n"), 0);
  std::string seen;
  for (int i = 1; i <= 9; ++i) seen += Fired(plan, i) + " ";
  EXPECT_EQ(seen, "- http_503 http_500 http_503 - http_500 - - http_500 ");
}

TEST(Faults, PathAndPageSelectors) {
  FaultPlan plan(FaultsOf("    - {kind: truncated_body, page: 2, path: /transactions}\n"
                          "    - {kind: next_loop, page: 3}\n"),
                 0);
  EXPECT_EQ(Fired(plan, 1, "/v1/accounts/a/transactions", 1), "-");
  EXPECT_EQ(Fired(plan, 2, "/v1/accounts/a/transactions", 2), "truncated_body");
  EXPECT_EQ(Fired(plan, 3, "/v1/accounts/a/balances", 0), "-");
  EXPECT_EQ(Fired(plan, 4, "/v1/accounts/a/transactions", 3), "next_loop");
  // Link faults never fire on requests that are not pages.
  FaultPlan always(FaultsOf("    - {kind: foreign_next}\n"), 0);
  EXPECT_EQ(Fired(always, 1, "/v1/consents", 0), "-");
  EXPECT_EQ(Fired(always, 2, "/v1/accounts/a/transactions", 1), "foreign_next");
}

TEST(Faults, ProbabilityIsSeededAndRoughlyRight) {
  const auto faults = FaultsOf("    - {kind: http_500, probability: 0.25}\n");
  FaultPlan a(faults, 42), b(faults, 42), c(faults, 43);
  std::string sa, sb, sc;
  int fired = 0;
  for (int i = 1; i <= 2000; ++i) {
    sa += Fired(a, i);
    sb += Fired(b, i);
    sc += Fired(c, i);
    fired += sa.back() == '0' ? 1 : 0;  // "http_500" ends in '0', "-" does not
  }
  EXPECT_EQ(sa, sb);  // the same seed gives the same faults
  EXPECT_NE(sa, sc);
  EXPECT_GT(fired, 400);
  EXPECT_LT(fired, 600);
  FaultPlan never(FaultsOf("    - {kind: http_500, probability: 0}\n"), 1);
  for (int i = 1; i <= 100; ++i) EXPECT_EQ(Fired(never, i), "-");
}

TEST(Quota, CountsPerConsentAccountEndpointAndDay) {
  Quota q;
  const Date d1 = Date::FromYmd(2025, 1, 1), d2 = Date::FromYmd(2025, 1, 2);
  EXPECT_TRUE(q.TryConsume("c1", "a", "transactions", d1, 2));
  EXPECT_TRUE(q.TryConsume("c1", "a", "transactions", d1, 2));
  EXPECT_FALSE(q.TryConsume("c1", "a", "transactions", d1, 2));
  EXPECT_EQ(q.Used("c1", "a", "transactions", d1), 2);
  EXPECT_TRUE(q.TryConsume("c1", "a", "balances", d1, 2));
  EXPECT_TRUE(q.TryConsume("c1", "b", "transactions", d1, 2));
  EXPECT_TRUE(q.TryConsume("c2", "a", "transactions", d1, 2));
  EXPECT_TRUE(q.TryConsume("c1", "a", "transactions", d2, 2));
}

TEST(Form, ParsesDecodesAndRefuses) {
  auto f = ParseForm("a=1&b=x+y%21&&c&d=");
  ASSERT_TRUE(f);
  ASSERT_EQ(f->size(), 4u);
  EXPECT_EQ(*FindField(*f, "b"), "x y!");
  EXPECT_EQ(*FindField(*f, "c"), "");
  EXPECT_EQ(FindField(*f, "zz"), nullptr);
  EXPECT_EQ(ParseForm("a=%4").error().message, "form: truncated percent escape");
  EXPECT_EQ(ParseForm("a=%zz").error().message, "form: bad percent escape");
  EXPECT_EQ(ParseForm("=1").error().message, "form: a field without a name");
  EXPECT_EQ(ParseForm("a=1&a=2", true).error().message, "form: a field is given twice");
  EXPECT_TRUE(ParseForm("a=1&a=2", false));
  EXPECT_EQ(ParseForm(std::string(kMaxFormBytes + 1, 'a')).error().message, "form: too long");
  std::string many;
  for (size_t i = 0; i <= kMaxFormFields; ++i) many += "k" + std::to_string(i) + "=v&";
  EXPECT_EQ(ParseForm(many).error().message, "form: too many fields");
  EXPECT_EQ(QueryOf("/a?b=1#frag"), "b=1");
  EXPECT_EQ(QueryOf("/a"), "");
  EXPECT_EQ(PathOf("/a/b?c"), "/a/b");
  EXPECT_EQ(PercentEncode("a b/ü~"), "a%20b%2F%C3%BC~");
}

class OAuth : public ::testing::Test {
 protected:
  std::chrono::steady_clock::time_point now_ = std::chrono::steady_clock::now();
  OAuthServer server_{std::chrono::seconds(60), [this] { return now_; }};
  const std::string verifier_ = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";  // RFC 7636 Appendix B

  FormFields Authorize() const {
    return *ParseForm("response_type=code&client_id=tpp-1&redirect_uri=https%3A%2F%2Ftpp.example%2Fcb&scope=AIS"
                      "&state=s%201&code_challenge=" + PkceS256(verifier_) + "&code_challenge_method=S256");
  }
  std::string CodeFrom(const AuthorizeOutcome& out) const {
    const size_t at = out.location.find("code=");
    return out.location.substr(at + 5, out.location.find('&', at) - at - 5);
  }
  FormFields TokenForm(const std::string& code, const std::string& verifier) const {
    return {{"grant_type", "authorization_code"}, {"code", code}, {"redirect_uri", "https://tpp.example/cb"},
            {"client_id", "tpp-1"}, {"code_verifier", verifier}};
  }
};

TEST_F(OAuth, PkceMatchesRfc7636) {
  EXPECT_EQ(PkceS256(verifier_), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  EXPECT_TRUE(IsPkceToken(verifier_));
  EXPECT_FALSE(IsPkceToken("short"));
  EXPECT_FALSE(IsPkceToken(std::string(43, '+')));
}

TEST_F(OAuth, CodeFlowRefreshRotationAndExpiry) {
  const AuthorizeOutcome out = server_.Authorize(Authorize());
  ASSERT_EQ(out.status, 302);
  EXPECT_TRUE(out.location.starts_with("https://tpp.example/cb?code=")) << out.location;
  EXPECT_TRUE(out.location.ends_with("&state=s%201")) << out.location;
  const std::string code = CodeFrom(out);

  EXPECT_EQ(server_.Token(TokenForm(code, verifier_ + "x")).error().error, "invalid_grant");
  auto grant = server_.Token(TokenForm(code, verifier_));
  ASSERT_TRUE(grant) << grant.error().description;
  EXPECT_EQ(grant->expires_in, 60);
  EXPECT_EQ(grant->scope, "AIS");
  EXPECT_TRUE(server_.IsValidAccessToken(grant->access_token));
  EXPECT_FALSE(server_.IsValidAccessToken("nope"));
  EXPECT_EQ(server_.Token(TokenForm(code, verifier_)).error().description, "code: unknown, used or expired");

  const FormFields refresh{{"grant_type", "refresh_token"}, {"refresh_token", grant->refresh_token},
                           {"client_id", "tpp-1"}};
  auto rotated = server_.Token(refresh);
  ASSERT_TRUE(rotated);
  EXPECT_NE(rotated->refresh_token, grant->refresh_token);
  EXPECT_NE(rotated->access_token, grant->access_token);
  EXPECT_EQ(server_.Token(refresh).error().error, "invalid_grant");  // a spent refresh token
  EXPECT_EQ(server_.Token({{"grant_type", "refresh_token"}, {"refresh_token", rotated->refresh_token},
                           {"client_id", "other"}})
                .error()
                .error,
            "invalid_grant");

  now_ += std::chrono::seconds(61);
  EXPECT_FALSE(server_.IsValidAccessToken(rotated->access_token));
}

TEST_F(OAuth, CodesExpireAndMustMatchClientAndRedirect) {
  const std::string code = CodeFrom(server_.Authorize(Authorize()));
  FormFields wrong_redirect = TokenForm(code, verifier_);
  wrong_redirect[2].value = "https://evil.example/cb";
  EXPECT_EQ(server_.Token(wrong_redirect).error().error, "invalid_grant");
  FormFields wrong_client = TokenForm(code, verifier_);
  wrong_client[3].value = "tpp-2";
  EXPECT_EQ(server_.Token(wrong_client).error().error, "invalid_grant");
  now_ += std::chrono::minutes(11);
  EXPECT_EQ(server_.Token(TokenForm(code, verifier_)).error().error, "invalid_grant");
  EXPECT_EQ(server_.Token({{"grant_type", "password"}, {"client_id", "x"}}).error().error, "unsupported_grant_type");
  EXPECT_EQ(server_.Token({{"client_id", "x"}}).error().error, "invalid_request");
}

TEST_F(OAuth, AuthorizeRefusals) {
  FormFields q = Authorize();
  q[2].value = "not a uri";
  EXPECT_EQ(server_.Authorize(q).status, 400);  // nowhere safe to redirect to
  q = Authorize();
  q[1].value = "";
  EXPECT_EQ(server_.Authorize(q).status, 400);
  q = Authorize();
  q[6].value = "plain";  // code_challenge_method
  AuthorizeOutcome out = server_.Authorize(q);
  EXPECT_EQ(out.status, 302);
  EXPECT_EQ(out.location, "https://tpp.example/cb?error=invalid_request&state=s%201");
  q = Authorize();
  q[0].value = "token";
  EXPECT_EQ(server_.Authorize(q).location, "https://tpp.example/cb?error=unsupported_response_type&state=s%201");
}

TEST(RawHeaders, KeepValuesAsSent) {
  EXPECT_FALSE(ParseRawHeaders("GET / HTTP/1.1\r\nX-Cut: a"));
  const httplib::Headers h = *ParseRawHeaders(
      "POST /v1/consents HTTP/1.1\r\nTPP-Redirect-URI:  https://tpp.example/cb?a=%2F&b=%20 \r\n"
      "Signature: keyId=\"SN=1,CA=CN=Test%20CA\"\r\nno colon here\r\nX-Empty:\r\nx-dup: 1\r\nX-Dup: 2\r\n\r\n"
      "Body: not a header");
  EXPECT_EQ(h.find("tpp-redirect-uri")->second, "https://tpp.example/cb?a=%2F&b=%20");
  EXPECT_EQ(h.find("Signature")->second, "keyId=\"SN=1,CA=CN=Test%20CA\"");
  EXPECT_EQ(h.find("X-Empty")->second, "");
  EXPECT_EQ(h.count("X-DUP"), 2u);
  EXPECT_EQ(h.count("Body"), 0u);
  EXPECT_EQ(h.size(), 5u);
}

TEST(ClockBody, ParsesTodayOnly) {
  EXPECT_EQ(*ParseClockBody(R"({"today": "2025-02-01"})"), Date::FromYmd(2025, 2, 1));
  EXPECT_EQ(ParseClockBody(R"({"today": "2025-02-30"})").error().message, "today: expected a date YYYY-MM-DD");
  EXPECT_EQ(ParseClockBody(R"({})").error().message, "today: missing");
  EXPECT_EQ(ParseClockBody(R"({"today": 20250201})").error().message, "today: expected one date string YYYY-MM-DD");
  EXPECT_EQ(ParseClockBody(R"({"tomorrow": "2025-02-01"})").error().message, "body: unknown member (only today)");
  EXPECT_EQ(ParseClockBody(R"([1])").error().message, "body: expected a JSON object");
  EXPECT_FALSE(ParseClockBody(R"({"today": "2025-02-01"} x)"));
  EXPECT_FALSE(ParseClockBody(R"({"today": "2025-02-01"}{})"));
}

TEST(ConsentRequest, ParsesTheBerlinGroupExamples) {
  auto all = berlin_group::ParseConsentRequest(test::ConsentBody());
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->all_psd2, "allAccounts");
  EXPECT_TRUE(all->recurring);
  EXPECT_EQ(all->valid_until, Date::FromYmd(2025, 12, 31));
  EXPECT_EQ(all->frequency_per_day, 4);

  auto lists = berlin_group::ParseConsentRequest(test::ConsentBody(
      R"({"balances":[{"iban":"DE89370400440532013000"},{"iban":"NL91ABNA0417164300","currency":"JPY"}],)"
      R"("transactions":[{"iban":"DE89370400440532013000"}],"additionalInformation":{"ownerName":[]}})"));
  ASSERT_TRUE(lists) << lists.error().message;
  ASSERT_EQ(lists->balances.size(), 2u);
  EXPECT_EQ(lists->balances[1].currency, "JPY");
  EXPECT_EQ(lists->transactions.size(), 1u);
}

TEST(ConsentRequest, ErrorsNameThePath) {
  const auto error = [](const std::string& body) {
    auto r = berlin_group::ParseConsentRequest(body);
    EXPECT_FALSE(r);
    return r ? std::string() : r.error().message;
  };
  EXPECT_EQ(error("not json"), "body: expected a JSON object");
  EXPECT_EQ(error(R"({"access":{"allPsd2":"allAccounts"}})"), "recurringIndicator: missing");
  EXPECT_EQ(error(test::ConsentBody(R"({"allPsd2":"everything"})")),
            "access.allPsd2: expected allAccounts or allAccountsWithOwnerName");
  EXPECT_EQ(error(test::ConsentBody(R"({})")), "access: grants nothing");
  EXPECT_EQ(error(test::ConsentBody(R"({"transactions":[{"maskedPan":"123456xxxxxx1234"}]})")),
            "access.transactions[0]: only IBAN account references are supported");
  EXPECT_EQ(error(test::ConsentBody(R"({"balances":[{"iban":"DE89370400440532013001"}]})")),
            "access.balances[0].iban: not a valid IBAN");
  EXPECT_EQ(error(test::ConsentBody(R"({"allPsd2":"allAccounts","accounts":[{"iban":"DE89370400440532013000"}]})")),
            "access: allPsd2 and availableAccounts exclude account lists");
  EXPECT_EQ(error(R"({"access":{"allPsd2":"allAccounts"},"recurringIndicator":"true","validUntil":"2025-01-01",)"
                  R"("frequencyPerDay":4,"combinedServiceIndicator":false})"),
            "recurringIndicator: expected true or false");
  EXPECT_EQ(error(test::ConsentBody(R"({"allPsd2":"allAccounts"})", 0)), "frequencyPerDay: expected an integer from 1 to 1000000");
  EXPECT_EQ(error(test::ConsentBody(R"({"allPsd2":"allAccounts"})", 4, "31.12.2025")), "validUntil: expected a date YYYY-MM-DD");
  EXPECT_FALSE(berlin_group::ParseConsentRequest(test::ConsentBody() + "x"));
  EXPECT_FALSE(berlin_group::ParseConsentRequest(test::ConsentBody() + "{}"));
}

TEST(QueryDate, FollowsTheBanksFormat) {
  using berlin_group::ParseQueryDate;
  EXPECT_EQ(ParseQueryDate("2025-01-31", "%Y-%m-%d"), Date::FromYmd(2025, 1, 31));
  EXPECT_EQ(ParseQueryDate("31.01.2025", "%d.%m.%Y"), Date::FromYmd(2025, 1, 31));
  EXPECT_EQ(ParseQueryDate("20250131", "%Y%m%d"), Date::FromYmd(2025, 1, 31));
  EXPECT_EQ(ParseQueryDate("2025-1-31", "%Y-%m-%d"), std::nullopt);
  EXPECT_EQ(ParseQueryDate("2025-02-30", "%Y-%m-%d"), std::nullopt);
  EXPECT_EQ(ParseQueryDate("2025-01-31x", "%Y-%m-%d"), std::nullopt);
  EXPECT_EQ(ParseQueryDate("31.01.2025", "%Y-%m-%d"), std::nullopt);
}

}  // namespace
}  // namespace bankfeed::sandbox
