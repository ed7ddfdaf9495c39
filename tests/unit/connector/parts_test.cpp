// The Berlin Group connector's parts that need no bank: links, error bodies, the consent body, URLs, OAuth2 token
// answers, the unattended quota and the grant's JSON.
#include <gtest/gtest.h>

#include "adapters/berlin_group/consent.hpp"
#include "adapters/berlin_group/errors.hpp"
#include "adapters/common/hal_links.hpp"
#include "adapters/common/customer_ip.hpp"
#include "adapters/common/oauth2.hpp"
#include "adapters/common/quota.hpp"
#include "adapters/common/url.hpp"
#include "bankfeed/connector.hpp"

namespace bankfeed {
namespace {

using adapters::ReadLinks;

TEST(Links, ObjectFormAtRootAndInTransactionsWhichWins) {
  auto links = ReadLinks(R"({"_links":{"self":{"href":"/a"},"next":{"href":"/root-next"}},
                             "transactions":{"booked":[],"_links":{"next":{"href":"/tx-next"}}}})");
  ASSERT_TRUE(links) << links.error().ToString();
  EXPECT_EQ(links->at("self"), "/a");
  EXPECT_EQ(links->at("next"), "/tx-next");
}

TEST(Links, ArrayOfRelHrefAndArrayOfOneLinkObjectsAndBareHref) {
  auto a = ReadLinks(R"({"transactions":{"_links":[{"rel":"next","href":"?page=2"},{"rel":"self","href":"/s"}]}})");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->at("next"), "?page=2");
  EXPECT_EQ(a->at("self"), "/s");
  auto b = ReadLinks(R"({"_links":[{"next":{"href":"/n"}},{"last":"/l"}]})");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->at("next"), "/n");
  EXPECT_EQ(b->at("last"), "/l");
  auto none = ReadLinks(R"({"transactions":{"booked":[]}})");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST(Links, MalformedLinksNameThePath) {
  auto a = ReadLinks(R"({"transactions":{"_links":{"next":{"href":7}}}})");
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().message, "transactions._links.next.href: expected a string");
  auto b = ReadLinks(R"({"_links":[{"rel":"next"}]})");
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().message, "_links[0]: expected both rel and href");
  auto unnamed = ReadLinks(R"({"_links":{"":{"href":"/x"}}})");  // found by fuzzing
  ASSERT_FALSE(unnamed);
  EXPECT_EQ(unnamed.error().message, "_links: a link without a name");
  EXPECT_FALSE(ReadLinks(R"({"_links":[{"":{"href":"/x"}}]})"));
  EXPECT_FALSE(ReadLinks("{\"_links\":"));
  EXPECT_FALSE(ReadLinks("<html>"));
}

TEST(Errors, CodesFromEveryBodyShape) {
  EXPECT_EQ(berlin_group::ErrorCodeOfBody(R"({"tppMessages":[{"category":"ERROR","code":"CONSENT_EXPIRED"}]})"),
            "CONSENT_EXPIRED");
  EXPECT_EQ(berlin_group::ErrorCodeOfBody(R"([{"category":"WARNING","code":"W"},{"category":"ERROR","code":"X_Y"}])"),
            "X_Y");
  EXPECT_EQ(berlin_group::ErrorCodeOfBody(R"({"type":"t","title":"x","code":"ACCESS_EXCEEDED"})"), "ACCESS_EXCEEDED");
  EXPECT_EQ(berlin_group::ErrorCodeOfBody(R"({"type":"t","additionalErrors":[{"code":"PERIOD_INVALID"}]})"),
            "PERIOD_INVALID");
  EXPECT_EQ(berlin_group::ErrorCodeOfBody(""), "");
  EXPECT_EQ(berlin_group::ErrorCodeOfBody("<html>oops</html>"), "");
  EXPECT_EQ(berlin_group::ErrorCodeOfBody(R"({"tppMessages":[{"code":"lower case is not a code"}]})"), "");
}

TEST(Errors, TypedAndNeverQuoteTheBanksText) {
  http::Response r;
  r.status = 401;
  r.request_id = "rid";
  r.body = R"({"tppMessages":[{"category":"ERROR","code":"CONSENT_EXPIRED","text":"Dear Erika Mustermann"}]})";
  Error e = berlin_group::ErrorFromResponse(r, "bank-x", "read transactions page 3");
  EXPECT_EQ(e.code, ErrorCode::kConsentExpired);
  EXPECT_EQ(e.bank_id, "bank-x");
  EXPECT_EQ(e.bank_code, "CONSENT_EXPIRED");
  EXPECT_EQ(e.http_status, 401);
  EXPECT_EQ(e.request_id, "rid");
  EXPECT_EQ(e.message, "read transactions page 3: the bank answered HTTP 401 CONSENT_EXPIRED");
  EXPECT_EQ(e.ToString().find("Erika"), std::string::npos);

  struct Case {
    int status;
    std::string body, content_type;
    ErrorCode code;
    std::string tail;
  } cases[] = {
      {500, "", "", ErrorCode::kUnavailable, "with an empty body"},
      {502, "<html>x</html>", "text/html", ErrorCode::kUnavailable, "with an HTML page"},
      {400, R"({"type":"about:blank","title":"Bad","code":"PERIOD_INVALID"})", "application/problem+json",
       ErrorCode::kInvalidArgument, "PERIOD_INVALID"},
      {429, R"({"tppMessages":[{"category":"ERROR","code":"ACCESS_EXCEEDED"}]})", "", ErrorCode::kAccessExceeded,
       "ACCESS_EXCEEDED"},
      {403, R"({"tppMessages":[{"category":"ERROR","code":"CONSENT_UNKNOWN"}]})", "", ErrorCode::kConsentInvalid,
       "CONSENT_UNKNOWN"},
      {401, R"({"tppMessages":[{"category":"ERROR","code":"SIGNATURE_INVALID"}]})", "", ErrorCode::kUnauthenticated,
       "SIGNATURE_INVALID"},
      {404, "{}", "", ErrorCode::kNotFound, "without an error code"},
  };
  for (const auto& c : cases) {
    http::Response resp;
    resp.status = c.status;
    resp.body = c.body;
    if (!c.content_type.empty()) resp.headers.push_back({"Content-Type", c.content_type});
    Error err = berlin_group::ErrorFromResponse(resp, "b", "op");
    EXPECT_EQ(err.code, c.code) << c.body;
    EXPECT_EQ(err.message, "op: the bank answered HTTP " + std::to_string(c.status) + " " + c.tail);
  }
}

// The standard-neutral permissions in Berlin Group's `access`: never more than was asked for, and a typed error for
// what Berlin Group cannot express.
TEST(ConsentBody, PermissionsMapToTheNarrowestAccessOrAreRefused) {
  ConsentRequest r;
  r.valid_until = Date::FromYmd(2025, 4, 30);
  auto access = [&]() -> std::string {
    auto body = berlin_group::ConsentRequestBody(r);
    if (!body) return "error: " + body.error().message;
    return body->substr(0, body->find("},\"recurringIndicator\"") + 1);
  };
  r.permissions.transactions = false;
  EXPECT_EQ(access(), R"({"access":{"availableAccountsWithBalance":"allAccounts"})");
  r.permissions.balances = false;
  EXPECT_EQ(access(), R"({"access":{"availableAccounts":"allAccounts"})");
  r.permissions.transactions = true;
  EXPECT_EQ(access(), "error: consent.permissions: Berlin Group cannot ask for every account's transactions without "
                      "their balances; list the accounts (listed-accounts)");
  r.scope = ConsentRequest::Scope::kListedAccounts;
  r.ibans = {"DE89370400440532013000"};
  EXPECT_EQ(access(), R"({"access":{"accounts":[{"iban":"DE89370400440532013000"}],)"
                      R"("transactions":[{"iban":"DE89370400440532013000"}]})");
  r.permissions = {};
  r.permissions.debits = false;
  EXPECT_EQ(access(), "error: consent.permissions: Berlin Group cannot limit transactions to credits or debits");
  r.permissions = {};
  r.permissions.transaction_details = false;
  EXPECT_EQ(access(), "error: consent.permissions: Berlin Group cannot ask for transactions without their details");
  r.scope = ConsentRequest::Scope::kAccountsOnly;  // nothing is read: the permissions do not matter
  EXPECT_EQ(access(), R"({"access":{"availableAccounts":"allAccounts"})");
}

TEST(ConsentBody, EachScopeAndItsChecks) {
  ConsentRequest r;
  r.valid_until = Date::FromYmd(2025, 4, 30);
  auto all = berlin_group::ConsentRequestBody(r);
  ASSERT_TRUE(all);
  EXPECT_EQ(*all, R"({"access":{"allPsd2":"allAccounts"},"recurringIndicator":true,"validUntil":"2025-04-30",)"
                  R"("frequencyPerDay":4,"combinedServiceIndicator":false})");
  r.scope = ConsentRequest::Scope::kAvailableAccounts;
  EXPECT_NE(berlin_group::ConsentRequestBody(r)->find(R"("availableAccounts":"allAccounts")"), std::string::npos);
  r.scope = ConsentRequest::Scope::kDedicatedAccounts;
  auto empty = berlin_group::ConsentRequestBody(r);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message, "consent.ibans: empty for listed accounts");
  r.ibans = {"DE89370400440532013000", "de89 3704"};
  auto bad = berlin_group::ConsentRequestBody(r);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "consent.ibans[1]: not an IBAN (upper-case, no spaces)");
  EXPECT_EQ(bad.error().message.find("de89"), std::string::npos);
  r.ibans = {"DE89370400440532013000"};
  auto dedicated = berlin_group::ConsentRequestBody(r);
  ASSERT_TRUE(dedicated);
  EXPECT_NE(dedicated->find(R"("transactions":[{"iban":"DE89370400440532013000"}])"), std::string::npos);
  r.recurring = false;
  EXPECT_FALSE(berlin_group::ConsentRequestBody(r));  // a one-off consent has frequency 1
  r.frequency_per_day = 1;
  EXPECT_TRUE(berlin_group::ConsentRequestBody(r));
}

TEST(ConsentBody, AuthorisationAnswer) {
  auto a = berlin_group::ReadAuthorisationAnswer(
      R"({"consentStatus":"received","consentId":"c-1","psuMessage":"Approve in your app",
          "_links":{"scaStatus":{"href":"/v1/consents/c-1/authorisations/auth-9"}}})");
  ASSERT_TRUE(a) << a.error().ToString();
  EXPECT_EQ(a->consent_id, "c-1");
  EXPECT_EQ(a->authorisation_id, "auth-9");
  EXPECT_EQ(a->psu_message, "Approve in your app");
  EXPECT_FALSE(berlin_group::ReadAuthorisationAnswer(R"({"consentId":5})"));
}

TEST(Url, ResolveRelativeAndCheckOrigin) {
  auto next = adapters::ResolveUrl("https://bank.example:8443/v1/accounts/a/transactions?page=1", "?page=2", "next");
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, "https://bank.example:8443/v1/accounts/a/transactions?page=2");
  auto abs_path = adapters::ResolveUrl("https://bank.example:8443/v1/x", "/v1/y?p=1", "next");
  EXPECT_EQ(*abs_path, "https://bank.example:8443/v1/y?p=1");
  auto a = adapters::ParseUrl("https://Bank.Example/v1", "a");
  auto b = adapters::ParseUrl("https://bank.example:443/other", "b");
  auto c = adapters::ParseUrl("https://evil.example/v1", "c");
  ASSERT_TRUE(a && b && c);
  EXPECT_TRUE(adapters::SameOrigin(*a, *b));
  EXPECT_FALSE(adapters::SameOrigin(*a, *c));
  EXPECT_FALSE(adapters::ParseUrl("ftp://x/y", "u"));
  EXPECT_FALSE(adapters::ParseUrl("https://user:pw@x/y", "u"));
  EXPECT_EQ(adapters::ParseQuery("code=a%2Fb&state=x+y&empty"),
            (std::map<std::string, std::string>{{"code", "a/b"}, {"state", "x y"}, {"empty", ""}}));
  EXPECT_EQ(adapters::FormEncode({{"redirect_uri", "https://t/cb?x=1"}}), "redirect_uri=https%3A%2F%2Ft%2Fcb%3Fx%3D1");
}

TEST(OAuth2, TokenAnswersAndPkce) {
  auto t = adapters::ParseTokenResponse(R"({"access_token":"at","token_type":"bearer","expires_in":"60","refresh_token":"rt"})");
  ASSERT_TRUE(t) << t.error().ToString();
  EXPECT_EQ(t->access_token, "at");
  EXPECT_EQ(t->refresh_token, "rt");
  EXPECT_EQ(t->expires_in, std::chrono::seconds(60));
  EXPECT_EQ(adapters::ParseTokenResponse(R"({"token_type":"Bearer"})").error().message,
            "token response: access_token: missing");
  EXPECT_EQ(adapters::ParseTokenResponse(R"({"access_token":"a","token_type":"mac"})").error().message,
            "token response: token_type: expected Bearer");
  EXPECT_FALSE(adapters::ParseTokenResponse(R"({"access_token":"a"} x)"));
  // Found by fuzzing: a bad literal must be an error, never a simdjson exception.
  EXPECT_EQ(adapters::ParseTokenResponse(R"({"access_token":"a","expires_in":consent3600})").error().message,
            "token response: expires_in: expected a number");
  // RFC 7636 appendix B.
  EXPECT_EQ(adapters::PkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  EXPECT_NE(adapters::RandomUrlToken(24), adapters::RandomUrlToken(24));
  EXPECT_TRUE(adapters::StateMatches("abc", "abc"));
  EXPECT_FALSE(adapters::StateMatches("abc", "abd"));
  EXPECT_FALSE(adapters::StateMatches("", ""));

  http::Response r;
  r.status = 400;
  r.body = R"({"error":"invalid_grant","error_description":"code for Erika expired"})";
  Error e = adapters::TokenEndpointError(r, "b");
  EXPECT_EQ(e.code, ErrorCode::kConsentInvalid);
  EXPECT_EQ(e.ToString().find("Erika"), std::string::npos);
}

TEST(Quota, FifthUnattendedReadOfTheDayIsRefusedAndPresentReadsAreFree) {
  ConsentGrant grant;
  auto zone = TimeZone::Locate("Europe/Berlin");
  ASSERT_TRUE(zone);
  // 2025-01-31 23:30 UTC is already 2025-02-01 00:30 in Berlin.
  const auto late = std::chrono::system_clock::time_point(std::chrono::seconds(1738366200));
  PsuContext away, present;
  present.ip_address = "192.0.2.1";
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(adapters::ConsumeUnattendedRead(grant, "transactions:a", away, 4, *zone, late, "b"));
  }
  EXPECT_TRUE(adapters::ConsumeUnattendedRead(grant, "transactions:b", away, 4, *zone, late, "b"));
  EXPECT_TRUE(adapters::ConsumeUnattendedRead(grant, "transactions:a", present, 4, *zone, late, "b"));
  auto fifth = adapters::ConsumeUnattendedRead(grant, "transactions:a", away, 4, *zone, late, "b");
  ASSERT_FALSE(fifth);
  EXPECT_EQ(fifth.error().code, ErrorCode::kAccessExceeded);
  EXPECT_EQ(grant.usage_day->ToString(), "2025-02-01");
  EXPECT_EQ(fifth.error().retry_after, std::chrono::seconds(23 * 3600 + 30 * 60));  // to Berlin midnight
  // The next local day starts afresh.
  const auto next_day = late + std::chrono::hours(24);
  EXPECT_TRUE(adapters::ConsumeUnattendedRead(grant, "transactions:a", away, 4, *zone, next_day, "b"));
  EXPECT_EQ(grant.usage.at("transactions:a"), 1);
}

// The customer IP header: the present customer's; unattended, none, or the remembered one for a bank whose
// profile says it refuses reads without it; remembered for such a bank only.
TEST(CustomerIp, PresentRememberedOnlyWhereTheBankNeedsItAndSentUnattendedOnlyThere) {
  PsuContext present;
  present.ip_address = "192.0.2.10";
  const PsuContext away;
  Quirks plain;
  Quirks needs_it;
  needs_it.customer_ip_unattended = true;

  ConsentGrant grant;
  adapters::RememberCustomerIp(grant, present, plain);
  EXPECT_EQ(grant.customer_ip, "") << "never kept for a bank that does not need it";
  auto sent = adapters::CustomerIpHeader(&present, &grant, plain);
  ASSERT_TRUE(sent);
  EXPECT_EQ(*sent, "192.0.2.10");
  sent = adapters::CustomerIpHeader(&away, &grant, plain);
  ASSERT_TRUE(sent);
  EXPECT_FALSE(sent->has_value()) << "unattended: no made-up presence";

  auto unknown = adapters::CustomerIpHeader(&away, &grant, needs_it);
  ASSERT_FALSE(unknown) << "the bank needs it and none is known";
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(unknown.error().message.starts_with("psu.ip_address: ")) << unknown.error().message;

  adapters::RememberCustomerIp(grant, present, needs_it);
  EXPECT_EQ(grant.customer_ip, "192.0.2.10");
  sent = adapters::CustomerIpHeader(&away, &grant, needs_it);
  ASSERT_TRUE(sent) << sent.error().ToString();
  EXPECT_EQ(*sent, "192.0.2.10");
  PsuContext moved;
  moved.ip_address = "198.51.100.4";
  adapters::RememberCustomerIp(grant, moved, needs_it);
  EXPECT_EQ(grant.customer_ip, "198.51.100.4") << "the last address the customer used";

  PsuContext bad;
  bad.ip_address = "192.0.2.10\r\nX-Evil: 1";
  adapters::RememberCustomerIp(grant, bad, needs_it);
  EXPECT_EQ(grant.customer_ip, "198.51.100.4") << "never a value that is not an address";
  auto refused = adapters::CustomerIpHeader(&bad, &grant, needs_it);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "psu.ip_address: expected an IPv4 or IPv6 address");
}

TEST(Grant, JsonRoundTripAndStrictness) {
  ConsentGrant g;
  g.bank_id = "sandbox-alpha";
  g.consent_id = "c-1";
  g.approach = ScaApproach::kOAuth2;
  g.status = ConsentStatus::kValid;
  g.request.scope = ConsentRequest::Scope::kDedicatedAccounts;
  g.request.ibans = {"DE89370400440532013000"};
  g.request.valid_until = Date::FromYmd(2025, 4, 30);
  g.access_token = "secret-token";
  g.access_token_expires = DateTime{1700000000, 0, 0};
  g.oauth_nonce = "nonce-1";
  g.authorised_at = DateTime{1699990000, 0, 0};
  g.customer_ip = "2001:db8::7";
  g.id_token_subject = "customer-7f3a";
  g.usage_day = Date::FromYmd(2025, 1, 31);
  g.usage = {{"accounts", 1}, {"transactions:a", 3}};
  const std::string json = GrantToJson(g);
  auto back = GrantFromJson(json);
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(GrantToJson(*back), json);
  EXPECT_EQ(back->usage, g.usage);
  EXPECT_EQ(back->request.ibans, g.request.ibans);
  EXPECT_EQ(back->oauth_nonce, "nonce-1");
  EXPECT_EQ(back->authorised_at, g.authorised_at);
  EXPECT_EQ(back->customer_ip, "2001:db8::7");
  EXPECT_EQ(back->id_token_subject, "customer-7f3a");
  EXPECT_EQ(GrantToJson(ConsentGrant{}).find("id_token_subject"), std::string::npos) << "written only when known";
  auto not_an_address = GrantFromJson(R"({"v":1,"bank_id":"b","customer_ip":"10.0.0.1, 10.0.0.2"})");
  ASSERT_FALSE(not_an_address);
  EXPECT_EQ(not_an_address.error().message, "grant.customer_ip: expected an IPv4 or IPv6 address");
  auto unknown = GrantFromJson(R"({"v":1,"bank_id":"b","surprise":1})");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "grant.surprise: unknown key");
  EXPECT_FALSE(GrantFromJson(R"({"bank_id":"b"})"));
}

TEST(Grant, PermissionsRoundTripAndGrantsWrittenBeforeThemAskedForEverything) {
  ConsentGrant g;
  g.bank_id = "b";
  g.request.scope = ConsentRequest::Scope::kListedAccounts;
  g.request.permissions.balances = false;
  g.request.permissions.credits = false;
  auto back = GrantFromJson(GrantToJson(g));
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(back->request.permissions, g.request.permissions);
  EXPECT_NE(GrantToJson(g).find(R"("scope":"listed-accounts")"), std::string::npos);

  // An earlier version's grant: Berlin Group scope names and no permissions.
  auto old = GrantFromJson(R"({"v":1,"bank_id":"b","scope":"available-accounts"})");
  ASSERT_TRUE(old) << old.error().ToString();
  EXPECT_EQ(old->request.scope, ConsentRequest::Scope::kAccountsOnly);
  EXPECT_EQ(old->request.permissions, ConsentPermissions{});
  auto unknown = GrantFromJson(R"({"v":1,"bank_id":"b","permissions":{"payments":true}})");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "grant.permissions.payments: unknown permission");
  EXPECT_FALSE(GrantFromJson(R"({"v":1,"bank_id":"b","permissions":{"balances":1}})"));
  EXPECT_EQ(ParseConsentScope("all-psd2"), ConsentRequest::Scope::kAllAccounts);
  EXPECT_EQ(ParseConsentScope("everything"), std::nullopt);
}

}  // namespace
}  // namespace bankfeed
