// The UK sandbox bank's Account and Transaction API: account-access consents, AIS reads behind consent-bound
// tokens with permissions, pagination, quirks, faults and the UK error model, the scenario's oidc keys, and the
// bundled Delta Bank read through the client's own mapping.
#include <gtest/gtest.h>

#include <set>

#include "bankfeed/normalize.hpp"
#include "tools/sandbox/clock.hpp"
#include "unit/pki/pki_test_util.hpp"
#include "unit/sandbox/sandbox_test_util.hpp"

namespace bankfeed::sandbox {
namespace {

using test::Bank;
using test::Identity;
using test::JsonArraySize;
using test::JsonString;
using test::UkTpp;

constexpr char kAisp[] = "/open-banking/v3.1/aisp";
constexpr char kAccessConsents[] = "/open-banking/v3.1/aisp/account-access-consents";

std::string UkErrorCode(const http::Response& r) { return JsonString(r.body, "/Errors/0/ErrorCode"); }

std::string ConsentRequest(const std::string& data_members) {
  return R"({"Data":{)" + data_members + R"(},"Risk":{}})";
}

// ---- consents ----

TEST(SandboxUkConsents, CreateGetAndDeleteWithAClientCredentialsToken) {
  auto bank = Bank::Start(test::UkMiniScenario());
  ASSERT_TRUE(bank);
  UkTpp tpp(*bank);
  const std::string id = tpp.Register();
  const std::string token = tpp.ClientCredentialsToken(id);
  http::Response created = tpp.Api(
      "POST", kAccessConsents, token,
      ConsentRequest(
          R"("Permissions":["ReadAccountsBasic","ReadBalances"],"ExpirationDateTime":"2025-12-31T00:00:00+00:00",)"
          R"("TransactionFromDateTime":"2024-12-01T00:00:00Z","TransactionToDateTime":"2025-03-31T23:59:59+01:00")"));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string consent = JsonString(created.body, "/Data/ConsentId");
  EXPECT_EQ(consent.rfind("urn-delta-intent-", 0), 0u);
  EXPECT_EQ(JsonString(created.body, "/Data/Status"), "AwaitingAuthorisation");
  EXPECT_FALSE(JsonString(created.body, "/Data/CreationDateTime").empty());
  EXPECT_FALSE(JsonString(created.body, "/Data/StatusUpdateDateTime").empty());
  EXPECT_EQ(test::JsonRaw(created.body, "/Data/Permissions"), R"(["ReadAccountsBasic","ReadBalances"])");
  EXPECT_EQ(JsonString(created.body, "/Data/ExpirationDateTime"), "2025-12-31T00:00:00+00:00");
  EXPECT_EQ(JsonString(created.body, "/Data/TransactionToDateTime"), "2025-03-31T23:59:59+01:00");
  EXPECT_EQ(test::JsonRaw(created.body, "/Risk"), "{}");
  EXPECT_EQ(JsonString(created.body, "/Links/Self"), bank->Url(std::string(kAccessConsents) + "/" + consent));
  EXPECT_EQ(test::JsonInt(created.body, "/Meta/TotalPages"), 1);
  EXPECT_FALSE(test::Header(created, "x-fapi-interaction-id").empty());

  // The client's mapping reads it.
  NormalizeOptions uk;
  uk.standard = Standard::kUkOpenBanking;
  auto mapped = NormalizeConsent(created.body, uk);
  ASSERT_TRUE(mapped) << mapped.error().ToString();
  EXPECT_EQ(mapped->consent_id, consent);
  EXPECT_EQ(mapped->status, ConsentStatus::kReceived);

  http::Response got = tpp.Api("GET", std::string(kAccessConsents) + "/" + consent, token);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(JsonString(got.body, "/Data/ConsentId"), consent);
  // Another client sees no such consent; unknown ids are UK.OBIE.Resource.NotFound.
  const std::string other = tpp.ClientCredentialsToken(tpp.Register());
  http::Response foreign = tpp.Api("GET", std::string(kAccessConsents) + "/" + consent, other);
  EXPECT_EQ(foreign.status, 400);
  EXPECT_EQ(UkErrorCode(foreign), "UK.OBIE.Resource.NotFound");
  EXPECT_EQ(tpp.Api("DELETE", std::string(kAccessConsents) + "/" + consent, other).status, 400);
  EXPECT_EQ(UkErrorCode(tpp.Api("GET", std::string(kAccessConsents) + "/urn-nope", token)),
            "UK.OBIE.Resource.NotFound");

  EXPECT_EQ(tpp.Api("DELETE", std::string(kAccessConsents) + "/" + consent, token).status, 204);
  EXPECT_EQ(JsonString(tpp.Api("GET", std::string(kAccessConsents) + "/" + consent, token).body, "/Data/Status"),
            "Revoked");

  // Without a client-credentials token: 401 without a body.
  http::Response none = tpp.Api("POST", kAccessConsents, "", ConsentRequest(R"("Permissions":["ReadBalances"])"));
  EXPECT_EQ(none.status, 401);
  EXPECT_TRUE(none.body.empty());
  EXPECT_EQ(tpp.Api("GET", std::string(kAccessConsents) + "/" + consent, token, "", {}, Identity::kQseal).status, 401)
      << "the token is bound to the QWAC";
}

// Each check of the consent request, against a request that gets exactly that one wrong.
TEST(SandboxUkConsents, EachRequestCheckRefusesARequestThatGetsItWrong) {
  auto bank = Bank::Start(test::UkMiniScenario(), Date::FromYmd(2025, 1, 6));
  ASSERT_TRUE(bank);
  UkTpp tpp(*bank);
  const std::string token = tpp.ClientCredentialsToken(tpp.Register());
  const std::pair<std::string, std::pair<const char*, const char*>> cases[] = {
      {R"({"Risk":{}})", {"UK.OBIE.Field.Missing", "Data"}},
      {R"({"Data":{"Permissions":["ReadBalances"]}})", {"UK.OBIE.Field.Missing", "Risk"}},
      {R"({"Data":{"Permissions":["ReadBalances"]},"Risk":{},"Extra":1})", {"UK.OBIE.Field.Unexpected", "Extra"}},
      {ConsentRequest(R"("Permissions":["ReadBalances"],"Foo":1)"), {"UK.OBIE.Field.Unexpected", "Data.Foo"}},
      {ConsentRequest(R"("Permissions":[])"), {"UK.OBIE.Field.Invalid", "Data.Permissions"}},
      {ConsentRequest(R"("ExpirationDateTime":"2025-12-31T00:00:00Z")"), {"UK.OBIE.Field.Missing", "Data.Permissions"}},
      {ConsentRequest(R"("Permissions":["ReadEverything"])"), {"UK.OBIE.Field.Invalid", "Data.Permissions[0]"}},
      {ConsentRequest(R"("Permissions":["ReadBalances","ReadBalances"])"),
       {"UK.OBIE.Field.Invalid", "Data.Permissions[1]"}},
      {ConsentRequest(R"("Permissions":["ReadTransactionsDetail"])"), {"UK.OBIE.Field.Invalid", "Data.Permissions"}},
      {ConsentRequest(R"("Permissions":["ReadTransactionsCredits"])"), {"UK.OBIE.Field.Invalid", "Data.Permissions"}},
      {ConsentRequest(R"("Permissions":["ReadBalances"],"ExpirationDateTime":"2025-12-31")"),
       {"UK.OBIE.Field.InvalidDate", "Data.ExpirationDateTime"}},
      {ConsentRequest(R"("Permissions":["ReadBalances"],"ExpirationDateTime":"2025-12-31T00:00:00")"),
       {"UK.OBIE.Field.InvalidDate", "Data.ExpirationDateTime"}},
      {ConsentRequest(R"("Permissions":["ReadBalances"],"ExpirationDateTime":"2025-01-05T23:00:00+00:00")"),
       {"UK.OBIE.Field.Invalid", "Data.ExpirationDateTime"}},
      {ConsentRequest(R"("Permissions":["ReadBalances"],"TransactionFromDateTime":"2025-02-01T00:00:00Z",)"
                      R"("TransactionToDateTime":"2025-01-01T00:00:00Z")"),
       {"UK.OBIE.Field.Invalid", "Data.TransactionFromDateTime"}},
      {"not json", {"UK.OBIE.Field.Invalid", "body"}},
  };
  for (const auto& [body, expected] : cases) {
    SCOPED_TRACE(body);
    http::Response r = tpp.Api("POST", kAccessConsents, token, body);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(JsonString(r.body, "/Code"), "400 BadRequest");
    EXPECT_FALSE(JsonString(r.body, "/Id").empty());
    EXPECT_EQ(UkErrorCode(r), expected.first) << r.body;
    EXPECT_EQ(JsonString(r.body, "/Errors/0/Path"), expected.second) << r.body;
  }
  // An AIS (consent-bound) token is no client-credentials token.
  UkTpp::Session s = tpp.Authorised();
  EXPECT_EQ(
      tpp.Api("POST", kAccessConsents, s.access_token, ConsentRequest(R"("Permissions":["ReadBalances"])")).status,
      401);
}

// ---- AIS reads ----

TEST(SandboxUkAis, AccountsAndBalancesOfThePsuWithDetailOnlyWhenGranted) {
  auto bank = Bank::Start(test::UkMiniScenario(), Date::FromYmd(2025, 1, 6));
  ASSERT_TRUE(bank);
  UkTpp tpp(*bank);
  UkTpp::Session s = tpp.Authorised();
  http::Response accounts = tpp.Api("GET", std::string(kAisp) + "/accounts", s.access_token);
  ASSERT_EQ(accounts.status, 200) << accounts.body;
  ASSERT_EQ(JsonArraySize(accounts.body, "/Data/Account"), 2u);
  EXPECT_EQ(JsonString(accounts.body, "/Data/Account/0/AccountId"), "acc-1");
  EXPECT_EQ(JsonString(accounts.body, "/Data/Account/0/Currency"), "EUR");
  EXPECT_EQ(JsonString(accounts.body, "/Data/Account/0/AccountType"), "Personal");
  EXPECT_EQ(JsonString(accounts.body, "/Data/Account/0/AccountSubType"), "CurrentAccount");
  EXPECT_EQ(JsonString(accounts.body, "/Data/Account/0/Nickname"), "Girokonto");
  EXPECT_EQ(JsonString(accounts.body, "/Data/Account/0/Account/0/SchemeName"), "UK.OBIE.IBAN");
  EXPECT_EQ(JsonString(accounts.body, "/Data/Account/0/Account/0/Identification"), "DE89370400440532013000");
  EXPECT_EQ(JsonString(accounts.body, "/Links/Self"), bank->Url(std::string(kAisp) + "/accounts"));
  EXPECT_EQ(test::JsonInt(accounts.body, "/Meta/TotalPages"), 1);

  http::Response one = tpp.Api("GET", std::string(kAisp) + "/accounts/acc-2", s.access_token);
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(JsonArraySize(one.body, "/Data/Account"), 1u);
  http::Response foreign = tpp.Api("GET", std::string(kAisp) + "/accounts/acc-3", s.access_token);
  EXPECT_EQ(foreign.status, 404) << "psu-2's account";
  EXPECT_EQ(UkErrorCode(foreign), "UK.OBIE.Resource.NotFound");
  EXPECT_EQ(JsonString(foreign.body, "/Errors/0/Path"), "AccountId");

  http::Response balances = tpp.Api("GET", std::string(kAisp) + "/accounts/acc-1/balances", s.access_token);
  ASSERT_EQ(balances.status, 200) << balances.body;
  ASSERT_EQ(JsonArraySize(balances.body, "/Data/Balance"), 2u);
  EXPECT_EQ(JsonString(balances.body, "/Data/Balance/0/AccountId"), "acc-1");
  EXPECT_EQ(JsonString(balances.body, "/Data/Balance/0/Type"), "ClosingBooked");
  EXPECT_EQ(JsonString(balances.body, "/Data/Balance/0/Amount/Amount"), "1000.00");
  EXPECT_EQ(JsonString(balances.body, "/Data/Balance/0/Amount/Currency"), "EUR");
  EXPECT_EQ(JsonString(balances.body, "/Data/Balance/0/CreditDebitIndicator"), "Credit");
  EXPECT_EQ(JsonString(balances.body, "/Data/Balance/0/DateTime"), "2025-01-06T00:00:00+00:00");
  EXPECT_EQ(JsonString(balances.body, "/Data/Balance/1/Type"), "InterimAvailable");

  // ReadAccountsBasic: no Account identification; no ReadBalances: balances refused.
  UkTpp::Session basic = tpp.Authorised(R"(["ReadAccountsBasic"])");
  http::Response plain = tpp.Api("GET", std::string(kAisp) + "/accounts", basic.access_token);
  ASSERT_EQ(plain.status, 200);
  EXPECT_FALSE(test::JsonHas(plain.body, "/Data/Account/0/Account"));
  http::Response no_balances = tpp.Api("GET", std::string(kAisp) + "/accounts/acc-1/balances", basic.access_token);
  EXPECT_EQ(no_balances.status, 403);
  EXPECT_EQ(UkErrorCode(no_balances), "UK.OBIE.Resource.ConsentMismatch");
  EXPECT_NE(JsonString(no_balances.body, "/Message").find("ReadBalances"), std::string::npos);
  EXPECT_EQ(tpp.Api("GET", std::string(kAisp) + "/accounts/acc-1/transactions", basic.access_token).status, 403);
  UkTpp::Session balances_only = tpp.Authorised(R"(["ReadBalances"])");
  EXPECT_EQ(tpp.Api("GET", std::string(kAisp) + "/accounts", balances_only.access_token).status, 403);
}

TEST(SandboxUkAis, TokensAreCheckedAndEveryAnswerCarriesTheInteractionId) {
  auto bank = Bank::Start(test::UkMiniScenario());
  ASSERT_TRUE(bank);
  UkTpp tpp(*bank);
  UkTpp::Session s = tpp.Authorised();
  const std::string accounts = std::string(kAisp) + "/accounts";
  http::Response echoed =
      tpp.Api("GET", accounts, s.access_token, "", {{"x-fapi-interaction-id", "93bac548-d2de-4546-b106-880a5018460d"}});
  EXPECT_EQ(echoed.status, 200);
  EXPECT_EQ(test::Header(echoed, "x-fapi-interaction-id"), "93bac548-d2de-4546-b106-880a5018460d");
  const std::string fresh = test::Header(tpp.Api("GET", accounts, s.access_token), "x-fapi-interaction-id");
  EXPECT_EQ(fresh.size(), 36u);
  EXPECT_EQ(fresh[14], '4') << "a version 4 UUID";

  const int64_t before = bank->stats().bad_access_token.load();
  for (const std::string& token : {std::string(), std::string("nonsense"), tpp.ClientCredentialsToken(s.client_id)}) {
    http::Response r = tpp.Api("GET", accounts, token, "", {{"x-fapi-interaction-id", "abc"}});
    EXPECT_EQ(r.status, 401);
    EXPECT_TRUE(r.body.empty()) << r.body;
    EXPECT_EQ(test::Header(r, "x-fapi-interaction-id"), "abc");
  }
  EXPECT_EQ(tpp.Api("GET", accounts, s.access_token, "", {}, Identity::kQseal).status, 401)
      << "bound to the certificate it was issued over";
  EXPECT_EQ(bank->stats().bad_access_token.load(), before + 4);
  // Unknown paths under /open-banking: the API checks, then a UK 404.
  http::Response unknown = tpp.Api("GET", std::string(kAisp) + "/standing-orders", s.access_token);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(UkErrorCode(unknown), "UK.OBIE.Resource.NotFound");
  EXPECT_EQ(tpp.Api("GET", std::string(kAisp) + "/standing-orders", "").status, 401);
}

TEST(SandboxUkAis, RevokedOrExpiredConsentsAskForReauthentication) {
  auto bank = Bank::Start(test::UkMiniScenario(), Date::FromYmd(2025, 1, 6));
  ASSERT_TRUE(bank);
  UkTpp tpp(*bank);
  UkTpp::Session s = tpp.Authorised();
  const std::string accounts = std::string(kAisp) + "/accounts";
  ASSERT_EQ(tpp.Api("GET", accounts, s.access_token).status, 200);
  const std::string cc = tpp.ClientCredentialsToken(s.client_id);
  EXPECT_EQ(JsonString(tpp.Api("GET", std::string(kAccessConsents) + "/" + s.consent_id, cc).body, "/Data/Status"),
            "Authorised");
  ASSERT_EQ(tpp.Api("DELETE", std::string(kAccessConsents) + "/" + s.consent_id, cc).status, 204);
  http::Response revoked = tpp.Api("GET", accounts, s.access_token);
  EXPECT_EQ(revoked.status, 403);
  EXPECT_EQ(UkErrorCode(revoked), "UK.OBIE.Reauthenticate");
  auto form = tpp.ClientAuth(s.client_id);
  form.insert(form.begin(), {{"grant_type", "refresh_token"}, {"refresh_token", s.refresh_token}});
  EXPECT_EQ(JsonString(tpp.Token(form).body, "/error"), "invalid_grant");

  // ExpirationDateTime passes on the simulated calendar.
  UkTpp tpp2(*bank);
  const std::string id = tpp2.Register();
  const std::string cc2 = tpp2.ClientCredentialsToken(id);
  http::Response created = tpp2.Api("POST", kAccessConsents, cc2,
                                    ConsentRequest(R"("Permissions":["ReadAccountsBasic"],)"
                                                   R"("ExpirationDateTime":"2025-01-10T00:00:00+00:00")"));
  const std::string consent = JsonString(created.body, "/Data/ConsentId");
  http::Response redirect = tpp2.Authorize(id, tpp2.RequestObject(tpp2.RequestObjectClaims(id, consent)));
  auto token_form = tpp2.ClientAuth(id);
  token_form.insert(token_form.begin(), {{"grant_type", "authorization_code"},
                                         {"code", test::FragmentOf(redirect)["code"]},
                                         {"redirect_uri", test::kUkRedirect}});
  const std::string token = JsonString(tpp2.Token(token_form).body, "/access_token");
  EXPECT_EQ(tpp2.Api("GET", accounts, token).status, 200);
  bank->server().clock().Set(Date::FromYmd(2025, 1, 11));
  http::Response expired = tpp2.Api("GET", accounts, token);
  EXPECT_EQ(expired.status, 403);
  EXPECT_EQ(UkErrorCode(expired), "UK.OBIE.Reauthenticate");
  EXPECT_EQ(JsonString(tpp2.Api("GET", std::string(kAccessConsents) + "/" + consent, cc2).body, "/Data/Status"),
            "Authorised")
      << "v3.1 has no Expired status";
}

TEST(SandboxUkAis, TransactionsPageThroughEveryRowExactlyOnce) {
  auto bank = Bank::Start(test::AsUk(test::ManyRowsScenario(60, "  page_size: 25\n")));
  ASSERT_TRUE(bank);
  UkTpp tpp(*bank);
  UkTpp::Session s = tpp.Authorised();
  const std::string first = std::string(kAisp) + "/accounts/acc-1/transactions?fromBookingDateTime=2024-01-01T00:00:00";
  std::string next = bank->Url(first);
  std::multiset<std::string> seen;
  int pages = 0;
  while (!next.empty() && pages < 10) {
    http::Response page = tpp.Api("GET", next.substr(bank->Url("").size()), s.access_token);
    ASSERT_EQ(page.status, 200) << page.body;
    ++pages;
    EXPECT_EQ(test::JsonInt(page.body, "/Meta/TotalPages"), 3);
    EXPECT_EQ(JsonString(page.body, "/Links/Self"), next);
    EXPECT_EQ(JsonString(page.body, "/Links/First"), bank->Url(first));
    EXPECT_EQ(JsonString(page.body, "/Links/Last"), bank->Url(first + "&page=3"));
    EXPECT_EQ(test::JsonHas(page.body, "/Links/Prev"), pages > 1);
    for (size_t i = 0; i < JsonArraySize(page.body, "/Data/Transaction"); ++i) {
      const std::string row = "/Data/Transaction/" + std::to_string(i);
      seen.insert(JsonString(page.body, row + "/TransactionId"));
      EXPECT_EQ(JsonString(page.body, row + "/CreditDebitIndicator"), "Debit");
      EXPECT_EQ(JsonString(page.body, row + "/Amount/Amount").find('-'), std::string::npos) << "unsigned";
    }
    next = JsonString(page.body, "/Links/Next");
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 60u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 60u) << "every row exactly once";
  const auto error = [&](const std::string& query) {
    http::Response r = tpp.Api("GET", std::string(kAisp) + "/accounts/acc-1/transactions" + query, s.access_token);
    EXPECT_EQ(r.status, 400) << query;
    return JsonString(r.body, "/Errors/0/Path");
  };
  EXPECT_EQ(error("?page=4"), "page");
  EXPECT_EQ(error("?page=0"), "page");
  EXPECT_EQ(error("?fromBookingDateTime=yesterday"), "fromBookingDateTime");
  EXPECT_EQ(error("?toBookingDateTime=2025-01-31T25:00:00"), "toBookingDateTime");
  EXPECT_EQ(error("?fromBookingDateTime=2025-01-31&toBookingDateTime=2025-01-01"), "fromBookingDateTime");
  // The window: booking dates within it, times and zones as the standard says (the zone ignored).
  const auto count = [&](const std::string& query) {
    http::Response r = tpp.Api("GET", std::string(kAisp) + "/accounts/acc-1/transactions" + query, s.access_token);
    EXPECT_EQ(r.status, 200) << r.body;
    return JsonArraySize(r.body, "/Data/Transaction");
  };
  EXPECT_EQ(count("?fromBookingDateTime=2025-01-30&toBookingDateTime=2025-01-31"), 2u);
  EXPECT_EQ(count("?fromBookingDateTime=2025-01-30T00:00:01&toBookingDateTime=2025-01-31T23:59:59"), 1u);
  EXPECT_EQ(count("?fromBookingDateTime=2025-01-30T00:00:00%2B05:00&toBookingDateTime=2025-01-31T00:00:00Z"), 2u);
}

TEST(SandboxUkAis, TransactionRowsFollowTheScenarioAndTheConsent) {
  auto bank = Bank::Start(test::UkMiniScenario(), Date::FromYmd(2025, 1, 4));
  ASSERT_TRUE(bank);
  UkTpp tpp(*bank);
  UkTpp::Session s = tpp.Authorised();
  const std::string tx = std::string(kAisp) + "/accounts/acc-1/transactions";
  http::Response before = tpp.Api("GET", tx, s.access_token);
  ASSERT_EQ(before.status, 200) << before.body;
  ASSERT_EQ(JsonArraySize(before.body, "/Data/Transaction"), 6u);
  // Pending first (newest value date first), then booked (newest first).
  EXPECT_EQ(JsonString(before.body, "/Data/Transaction/0/TransactionId"), "p2");
  EXPECT_EQ(JsonString(before.body, "/Data/Transaction/0/Status"), "Pending");
  EXPECT_EQ(JsonString(before.body, "/Data/Transaction/0/BookingDateTime"), "2025-01-04T00:00:00+00:00");
  EXPECT_EQ(JsonString(before.body, "/Data/Transaction/1/TransactionId"), "p1");
  EXPECT_EQ(JsonString(before.body, "/Data/Transaction/1/Amount/Amount"), "5.00");
  const std::string t1 = "/Data/Transaction/5";
  EXPECT_EQ(JsonString(before.body, t1 + "/TransactionId"), "t1");
  EXPECT_EQ(JsonString(before.body, t1 + "/TransactionReference"), "t1");
  EXPECT_EQ(JsonString(before.body, t1 + "/AccountId"), "acc-1");
  EXPECT_EQ(JsonString(before.body, t1 + "/Status"), "Booked");
  EXPECT_EQ(JsonString(before.body, t1 + "/Amount/Amount"), "12.30");
  EXPECT_EQ(JsonString(before.body, t1 + "/CreditDebitIndicator"), "Debit");
  EXPECT_EQ(JsonString(before.body, t1 + "/BookingDateTime"), "2025-01-02T00:00:00+00:00");
  EXPECT_EQ(JsonString(before.body, t1 + "/ValueDateTime"), "2025-01-02T00:00:00+00:00");
  EXPECT_EQ(JsonString(before.body, t1 + "/TransactionInformation"), "card 1234");
  EXPECT_EQ(JsonString(before.body, t1 + "/CreditorAccount/SchemeName"), "UK.OBIE.IBAN");
  EXPECT_EQ(JsonString(before.body, t1 + "/CreditorAccount/Identification"), "DE02120300000000202051");
  EXPECT_EQ(JsonString(before.body, t1 + "/CreditorAccount/Name"), "Lidl");
  EXPECT_EQ(JsonString(before.body, "/Data/Transaction/4/DebtorAccount/Name"), "Employer AG");
  EXPECT_FALSE(test::JsonHas(before.body, "/Data/Transaction/4/DebtorAccount/Identification"));
  EXPECT_EQ(JsonString(before.body, "/Data/Transaction/4/CreditDebitIndicator"), "Credit");
  EXPECT_FALSE(test::JsonHas(before.body, "/Links/Next"));

  // The pending row books with another amount as the clock moves.
  bank->server().clock().Set(Date::FromYmd(2025, 1, 5));
  http::Response after = tpp.Api("GET", tx, s.access_token);
  EXPECT_EQ(JsonString(after.body, "/Data/Transaction/1/TransactionId"), "p1b");
  EXPECT_EQ(JsonString(after.body, "/Data/Transaction/1/Status"), "Booked");
  EXPECT_EQ(JsonString(after.body, "/Data/Transaction/1/Amount/Amount"), "5.50");

  // Credits only, Basic only: no debits, no remittance, no counterparty.
  UkTpp::Session credits = tpp.Authorised(R"(["ReadTransactionsBasic","ReadTransactionsCredits"])");
  http::Response c = tpp.Api("GET", tx, credits.access_token);
  ASSERT_EQ(c.status, 200) << c.body;
  ASSERT_EQ(JsonArraySize(c.body, "/Data/Transaction"), 1u);
  EXPECT_EQ(JsonString(c.body, "/Data/Transaction/0/TransactionId"), "t2");
  EXPECT_FALSE(test::JsonHas(c.body, "/Data/Transaction/0/TransactionInformation"));
  EXPECT_FALSE(test::JsonHas(c.body, "/Data/Transaction/0/DebtorAccount"));

  // The consent's TransactionFromDateTime/ToDateTime bound what it shows.
  UkTpp tpp2(*bank);
  const std::string id = tpp2.Register();
  http::Response windowed = tpp2.Api(
      "POST", kAccessConsents, tpp2.ClientCredentialsToken(id),
      ConsentRequest(
          R"("Permissions":["ReadTransactionsDetail","ReadTransactionsDebits","ReadTransactionsCredits"],)"
          R"("TransactionFromDateTime":"2025-01-03T00:00:00+00:00","TransactionToDateTime":"2025-01-03T23:59:59+00:00")"));
  const std::string consent = JsonString(windowed.body, "/Data/ConsentId");
  http::Response redirect = tpp2.Authorize(id, tpp2.RequestObject(tpp2.RequestObjectClaims(id, consent)));
  auto form = tpp2.ClientAuth(id);
  form.insert(form.begin(), {{"grant_type", "authorization_code"},
                             {"code", test::FragmentOf(redirect)["code"]},
                             {"redirect_uri", test::kUkRedirect}});
  http::Response in_window = tpp2.Api("GET", tx, JsonString(tpp2.Token(form).body, "/access_token"));
  ASSERT_EQ(in_window.status, 200) << in_window.body;
  ASSERT_EQ(JsonArraySize(in_window.body, "/Data/Transaction"), 1u);
  EXPECT_EQ(JsonString(in_window.body, "/Data/Transaction/0/TransactionId"), "t2");
}

TEST(SandboxUkAis, EnforcedQuirksAndQuota) {
  auto bank = Bank::Start(test::UkMiniScenario(
      "  frequency_per_day: 2\n  oidc: {require_customer_ip: true}\n  require: {headers: {X-Bank-Channel: API}}\n"));
  ASSERT_TRUE(bank);
  UkTpp tpp(*bank);
  const http::Header channel{"X-Bank-Channel", "API"}, ip{"x-fapi-customer-ip-address", "203.0.113.7"};
  tpp.api_headers = {channel};  // on every API request, the consent's creation too
  UkTpp::Session s = tpp.Authorised();
  tpp.api_headers.clear();
  const std::string accounts = std::string(kAisp) + "/accounts";
  http::Response no_ip = tpp.Api("GET", accounts, s.access_token, "", {channel});
  EXPECT_EQ(no_ip.status, 400);
  EXPECT_EQ(UkErrorCode(no_ip), "UK.OBIE.Header.Missing");
  EXPECT_EQ(JsonString(no_ip.body, "/Errors/0/Path"), "x-fapi-customer-ip-address");
  http::Response no_channel = tpp.Api("GET", accounts, s.access_token, "", {ip});
  EXPECT_EQ(UkErrorCode(no_channel), "UK.OBIE.Header.Missing");
  EXPECT_EQ(UkErrorCode(tpp.Api("GET", accounts, s.access_token, "", {ip, {"X-Bank-Channel", "WEB"}})),
            "UK.OBIE.Header.Invalid");
  for (int i = 0; i < 4; ++i) EXPECT_EQ(tpp.Api("GET", accounts, s.access_token, "", {ip, channel}).status, 200);

  // Unattended reads (no x-fapi-customer-ip-address) count against frequency_per_day.
  auto quota = Bank::Start(test::UkMiniScenario("  frequency_per_day: 2\n"));
  ASSERT_TRUE(quota);
  UkTpp tpp2(*quota);
  UkTpp::Session q = tpp2.Authorised();
  EXPECT_EQ(tpp2.Api("GET", accounts, q.access_token).status, 200);
  EXPECT_EQ(tpp2.Api("GET", accounts, q.access_token).status, 200);
  http::Response over = tpp2.Api("GET", accounts, q.access_token);
  EXPECT_EQ(over.status, 429);
  EXPECT_EQ(quota->stats().quota_refusals.load(), 1);
  EXPECT_EQ(tpp2.Api("GET", accounts, q.access_token, "", {ip}).status, 200) << "attended";
}

TEST(SandboxUkAis, WindowQuirksRefuseWithUkFieldErrors) {
  auto bank =
      Bank::Start(test::UkMiniScenario("  require: {max_window_days: 10, max_history_days: 30, date_to: required}\n"),
                  Date::FromYmd(2025, 1, 31));
  ASSERT_TRUE(bank);
  UkTpp tpp(*bank);
  UkTpp::Session s = tpp.Authorised();
  const auto get = [&](const std::string& query) {
    return tpp.Api("GET", std::string(kAisp) + "/accounts/acc-1/transactions" + query, s.access_token);
  };
  EXPECT_EQ(get("?fromBookingDateTime=2025-01-25&toBookingDateTime=2025-01-31").status, 200);
  http::Response wide = get("?fromBookingDateTime=2025-01-10&toBookingDateTime=2025-01-31");
  EXPECT_EQ(wide.status, 400);
  EXPECT_EQ(UkErrorCode(wide), "UK.OBIE.Field.Invalid");
  EXPECT_NE(JsonString(wide.body, "/Message").find("10 days"), std::string::npos);
  EXPECT_NE(JsonString(get("?fromBookingDateTime=2024-12-01&toBookingDateTime=2024-12-05").body, "/Message")
                .find("30 days back"),
            std::string::npos);
  http::Response no_to = get("?fromBookingDateTime=2025-01-25");
  EXPECT_EQ(UkErrorCode(no_to), "UK.OBIE.Field.Missing");
  EXPECT_EQ(JsonString(no_to.body, "/Errors/0/Path"), "toBookingDateTime");
}

TEST(SandboxUkAis, DateFormatAndDateToQuirks) {
  auto bank = Bank::Start(test::UkMiniScenario("  require: {date_format: \"%d/%m/%Y\", date_to: forbidden}\n"),
                          Date::FromYmd(2025, 1, 6));
  ASSERT_TRUE(bank);
  UkTpp tpp(*bank);
  UkTpp::Session s = tpp.Authorised();
  const auto get = [&](const std::string& query) {
    return tpp.Api("GET", std::string(kAisp) + "/accounts/acc-1/transactions" + query, s.access_token);
  };
  http::Response ok = get("?fromBookingDateTime=03/01/2025T00:00:00");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(JsonArraySize(ok.body, "/Data/Transaction"), 5u);
  http::Response iso = get("?fromBookingDateTime=2025-01-03");
  EXPECT_EQ(iso.status, 400);
  EXPECT_EQ(JsonString(iso.body, "/Errors/0/Path"), "fromBookingDateTime");
  http::Response to = get("?fromBookingDateTime=03/01/2025&toBookingDateTime=05/01/2025");
  EXPECT_EQ(to.status, 400);
  EXPECT_EQ(JsonString(to.body, "/Message"), "toBookingDateTime: not supported");
}

TEST(SandboxUkAis, CoreFaultsReachTheWireInUkTerms) {
  auto bank =
      Bank::Start(test::UkMiniScenario("  page_size: 2\n  faults:\n"
                                       "    - {kind: consent_expired, path: /balances, times: 1}\n"
                                       "    - {kind: http_429, path: /accounts/acc-2, retry_after_s: 7}\n"
                                       "    - {kind: next_loop, page: 1, path: /acc-1/, times: 1}\n"
                                       "    - {kind: foreign_next, page: 1, path: /acc-1/}\n"));
  ASSERT_TRUE(bank);
  UkTpp tpp(*bank);
  UkTpp::Session s = tpp.Authorised();
  http::Response limited = tpp.Api("GET", std::string(kAisp) + "/accounts/acc-2", s.access_token);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(test::Header(limited, "Retry-After"), "7");
  EXPECT_EQ(JsonString(limited.body, "/Code"), "429 TooManyRequests");
  const std::string tx = std::string(kAisp) + "/accounts/acc-1/transactions";
  http::Response loop = tpp.Api("GET", tx, s.access_token);
  ASSERT_EQ(loop.status, 200);
  EXPECT_EQ(JsonString(loop.body, "/Links/Next"), JsonString(loop.body, "/Links/Self"));
  http::Response foreign = tpp.Api("GET", tx, s.access_token);
  EXPECT_EQ(JsonString(foreign.body, "/Links/Next").rfind("https://bank.invalid/", 0), 0u);
  http::Response expired = tpp.Api("GET", std::string(kAisp) + "/accounts/acc-1/balances", s.access_token);
  EXPECT_EQ(expired.status, 403);
  EXPECT_EQ(UkErrorCode(expired), "UK.OBIE.Reauthenticate");
  EXPECT_EQ(tpp.Api("GET", std::string(kAisp) + "/accounts", s.access_token).status, 403) << "expired for good";
  EXPECT_EQ(bank->stats().faults_injected.load(), 4);
}

// ---- the scenario's oidc section ----

TEST(SandboxUkScenario, OidcKeysParseStrictly) {
  auto s = ParseScenario(test::UkMiniScenario("  oidc:\n    client_auth: [private_key_jwt]\n    refresh_tokens: reuse\n"
                                              "    id_token_fault: bad_s_hash\n    rotate_signing_key: true\n"
                                              "    discovery_fault: http_jwks_uri\n    require_customer_ip: true\n"),
                         "test.yaml");
  ASSERT_TRUE(s) << s.error().message;
  const OidcOptions& o = s->behaviour.oidc;
  EXPECT_EQ(o.client_auth, std::vector<ClientAuthMethod>{ClientAuthMethod::kPrivateKeyJwt});
  EXPECT_EQ(o.refresh_tokens, RefreshMode::kReuse);
  EXPECT_EQ(o.id_token_fault, IdTokenFault::kBadSHash);
  EXPECT_TRUE(o.rotate_signing_key);
  EXPECT_EQ(o.discovery_fault, DiscoveryFault::kHttpJwksUri);
  EXPECT_TRUE(o.require_customer_ip);
  const OidcOptions defaults = test::ParseOrDie(test::UkMiniScenario()).behaviour.oidc;
  EXPECT_EQ(defaults.client_auth.size(), 2u);
  EXPECT_EQ(defaults.refresh_tokens, RefreshMode::kRotate);
  EXPECT_FALSE(defaults.id_token_fault);
  EXPECT_EQ(IdTokenFaultName(IdTokenFault::kHs256PublicKey), "hs256_public_key");

  const std::pair<const char*, const char*> bad[] = {
      {"  oidc: {client_auth: [basic]}\n",
       "behaviour.oidc.client_auth: expected a list of tls_client_auth, private_key_jwt"},
      {"  oidc: {client_auth: []}\n", "behaviour.oidc.client_auth: expected at least one"},
      {"  oidc: {client_auth: [tls_client_auth, tls_client_auth]}\n",
       "behaviour.oidc.client_auth: lists tls_client_auth twice"},
      {"  oidc: {refresh_tokens: sometimes}\n", "behaviour.oidc.refresh_tokens: expected one of rotate, reuse, none"},
      {"  oidc: {id_token_fault: nope}\n", "behaviour.oidc.id_token_fault: expected one of wrong_key"},
      {"  oidc: {discovery_fault: nope}\n", "behaviour.oidc.discovery_fault: expected one of other_issuer"},
      {"  oidc: {rotate_signing_key: yes}\n", "behaviour.oidc.rotate_signing_key:"},
      {"  oidc: {colour: blue}\n", "behaviour.oidc.colour: unknown key"},
  };
  for (const auto& [behaviour, message] : bad) {
    SCOPED_TRACE(behaviour);
    auto parsed = ParseScenario(test::UkMiniScenario(behaviour), "test.yaml");
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().message.rfind("test.yaml:", 0), 0u) << parsed.error().message;
    EXPECT_NE(parsed.error().message.find(message), std::string::npos) << parsed.error().message;
  }
}

// ---- the bundled Delta Bank, through the client's own mapping ----

TEST(SandboxUkDelta, DeltaBankReadsThroughTheClientsMapping) {
  const std::string yaml = testing::ReadAll(std::string(BANKFEED_SOURCE_DIR) + "/specs/sandbox/delta.yaml");
  auto scenario = ParseScenario(yaml, "delta.yaml", "uk-ob");
  ASSERT_TRUE(scenario) << scenario.error().message;
  EXPECT_EQ(scenario->behaviour.page_size, 25);
  EXPECT_EQ(scenario->behaviour.oidc.client_auth,
            (std::vector<ClientAuthMethod>{ClientAuthMethod::kPrivateKeyJwt, ClientAuthMethod::kTlsClientAuth}));
  auto bank = Bank::Start(yaml);
  ASSERT_TRUE(bank);
  UkTpp tpp(*bank);
  UkTpp::Session s = tpp.Authorised(test::kUkAllPermissions, "tls_client_auth");
  NormalizeOptions uk;
  uk.standard = Standard::kUkOpenBanking;
  uk.timezone = *TimeZone::Locate("Europe/London");

  http::Response accounts = tpp.Api("GET", std::string(kAisp) + "/accounts", s.access_token);
  auto mapped_accounts = NormalizeAccounts(accounts.body, uk);
  ASSERT_TRUE(mapped_accounts) << mapped_accounts.error().ToString();
  ASSERT_EQ(mapped_accounts->size(), 2u);
  EXPECT_EQ((*mapped_accounts)[0].iban, "GB40DLTA40123410000001");
  EXPECT_EQ((*mapped_accounts)[0].currency, "GBP");
  EXPECT_EQ((*mapped_accounts)[1].cash_account_type, "Savings");

  http::Response balances = tpp.Api("GET", std::string(kAisp) + "/accounts/delta-current-1/balances", s.access_token);
  auto mapped_balances = NormalizeBalances(balances.body, uk);
  ASSERT_TRUE(mapped_balances) << mapped_balances.error().ToString();
  ASSERT_EQ(mapped_balances->size(), 2u);
  EXPECT_EQ((*mapped_balances)[0].type, "CLBD");
  EXPECT_EQ((*mapped_balances)[1].type, "ITAV");

  // Every page maps; every row comes exactly once; the real twins straddle pages 1 and 2.
  std::string next = bank->Url(std::string(kAisp) + "/accounts/delta-current-1/transactions");
  std::vector<std::string> ids;
  std::vector<Transaction> rows;
  int pages = 0, pending = 0;
  while (!next.empty() && pages < 20) {
    http::Response page = tpp.Api("GET", next.substr(bank->Url("").size()), s.access_token);
    ASSERT_EQ(page.status, 200) << page.body;
    ++pages;
    NormalizeOptions o = uk;
    o.assign_ids = false;
    auto mapped = NormalizeTransactions(page.body, o);
    ASSERT_TRUE(mapped) << mapped.error().ToString();
    for (Transaction& t : *mapped) {
      ids.push_back(t.transaction_id.value_or(""));
      if (t.status == TransactionStatus::kPending) ++pending;
      rows.push_back(std::move(t));
    }
    if (pages == 1) {
      EXPECT_EQ(ids.back(), "delta-cur-0087");
    } else if (pages == 2) {
      EXPECT_EQ(ids[25], "delta-cur-0088");
    }
    next = JsonString(page.body, "/Links/Next");
  }
  EXPECT_EQ(pages, 5);
  EXPECT_EQ(rows.size(), 114u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  EXPECT_EQ(pending, 3);
  for (const Transaction& t : rows) {
    if (t.transaction_id == "delta-cur-0020") {  // the energy direct debit: a counterparty with only an IBAN
      ASSERT_TRUE(t.creditor);
      EXPECT_TRUE(t.creditor->iban);
      EXPECT_FALSE(t.creditor->name);
      EXPECT_TRUE(t.amount.amount.IsNegative());
    }
  }
}

}  // namespace
}  // namespace bankfeed::sandbox
