// AIS reads over HTTPS: accounts, balances, transactions with pagination, the clock, quirks, quota and faults
// as they reach the wire.
#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "unit/sandbox/sandbox_test_util.hpp"

namespace bankfeed::sandbox {
namespace {

using test::Bank;
using test::ConsentBody;
using test::ErrorCode;
using test::Header;
using test::JsonArraySize;
using test::JsonString;
using test::Signing;

constexpr char kTx[] = "/v1/accounts/acc-1/transactions?bookingStatus=both&dateFrom=2024-01-01";

TEST(SandboxAis, AccountsAndBalances) {
  auto bank = Bank::Start(test::MiniScenario(), Date::FromYmd(2025, 1, 6));
  ASSERT_TRUE(bank);
  const std::string id = bank->ValidConsent();
  http::Response accounts = bank->Send("GET", "/v1/accounts", {{"Consent-ID", id}});
  ASSERT_EQ(accounts.status, 200) << accounts.body;
  ASSERT_EQ(JsonArraySize(accounts.body, "/accounts"), 2u);
  EXPECT_EQ(JsonString(accounts.body, "/accounts/0/iban"), "DE89370400440532013000");
  EXPECT_EQ(JsonString(accounts.body, "/accounts/1/resourceId"), "acc-2");
  EXPECT_FALSE(test::JsonHas(accounts.body, "/accounts/0/balances"));
  EXPECT_EQ(JsonString(accounts.body, "/accounts/0/_links/transactions/href"),
            bank->Url("/v1/accounts/acc-1/transactions"));
  http::Response with = bank->Send("GET", "/v1/accounts?withBalance=true", {{"Consent-ID", id}});
  EXPECT_EQ(JsonString(with.body, "/accounts/0/balances/0/balanceAmount/amount"), "1000.00");
  EXPECT_EQ(ErrorCode(bank->Send("GET", "/v1/accounts?withBalance=yes", {{"Consent-ID", id}})), "FORMAT_ERROR");

  http::Response balances = bank->Send("GET", "/v1/accounts/acc-1/balances", {{"Consent-ID", id}});
  ASSERT_EQ(balances.status, 200);
  EXPECT_EQ(JsonString(balances.body, "/balances/0/balanceType"), "closingBooked");
  EXPECT_EQ(JsonString(balances.body, "/balances/0/referenceDate"), "2025-01-06");

  EXPECT_EQ(ErrorCode(bank->Send("GET", "/v1/accounts/acc-3/balances", {{"Consent-ID", id}})), "CONSENT_INVALID");
  http::Response unknown = bank->Send("GET", "/v1/accounts/acc-9/balances", {{"Consent-ID", id}});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(ErrorCode(unknown), "RESOURCE_UNKNOWN");
  EXPECT_EQ(ErrorCode(bank->Send("GET", "/v1/accounts")), "FORMAT_ERROR");  // no Consent-ID
  EXPECT_EQ(bank->Send("GET", "/v1/accounts", {{"Consent-ID", "c-nope"}}).status, 403);
  EXPECT_EQ(ErrorCode(bank->Send("GET", "/v1/accounts", {{"Consent-ID", id}, {"PSU-ID", "psu-2"}})),
            "PSU_CREDENTIALS_INVALID");
}

TEST(SandboxAis, ConsentScopesAreEnforced) {
  auto bank = Bank::Start(test::MiniScenario());
  ASSERT_TRUE(bank);
  http::Response created = bank->Send("POST", "/v1/consents", {{"TPP-Redirect-URI", "https://tpp.example.test/cb"}},
                                      ConsentBody(R"({"balances":[{"iban":"DE89370400440532013000"}]})"));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = JsonString(created.body, "/consentId");
  bank->Send("GET", JsonString(created.body, "/_links/scaRedirect/href").substr(bank->Url("").size()), {}, "",
             Signing::kUnsigned, test::Identity::kNone);
  EXPECT_EQ(bank->Send("GET", "/v1/accounts/acc-1/balances", {{"Consent-ID", id}}).status, 200);
  http::Response tx = bank->Send("GET", kTx, {{"Consent-ID", id}});
  EXPECT_EQ(tx.status, 401);
  EXPECT_EQ(JsonString(tx.body, "/tppMessages/0/text"), "the consent does not cover this account's transactions");
  http::Response list = bank->Send("GET", "/v1/accounts", {{"Consent-ID", id}});
  EXPECT_EQ(JsonArraySize(list.body, "/accounts"), 1u);
  http::Response info = bank->Send("GET", "/v1/consents/" + id);
  EXPECT_EQ(JsonString(info.body, "/access/balances/0/iban"), "DE89370400440532013000");
  EXPECT_EQ(JsonArraySize(info.body, "/access/transactions"), 0u);
}

TEST(SandboxAis, TransactionsAndPendingRowsBookingAsTheClockMoves) {
  auto bank = Bank::Start(test::MiniScenario(), Date::FromYmd(2025, 1, 4));
  ASSERT_TRUE(bank);
  const std::string id = bank->ValidConsent();
  http::Response before = bank->Send("GET", kTx, {{"Consent-ID", id}});
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_EQ(JsonArraySize(before.body, "/transactions/booked"), 4u);
  ASSERT_EQ(JsonArraySize(before.body, "/transactions/pending"), 2u);
  EXPECT_EQ(JsonString(before.body, "/transactions/pending/1/transactionId"), "p1");
  EXPECT_EQ(JsonString(before.body, "/transactions/booked/0/bookingDate"), "2025-01-04");  // newest first
  EXPECT_FALSE(test::JsonHas(before.body, "/transactions/_links/next"));
  EXPECT_EQ(JsonString(before.body, "/transactions/_links/account/href"), bank->Url("/v1/accounts/acc-1"));

  ASSERT_EQ(bank->Send("POST", "/sandbox/clock", {}, R"({"today":"2025-01-05"})", Signing::kUnsigned).status, 200);
  http::Response after = bank->Send("GET", kTx, {{"Consent-ID", id}});
  ASSERT_EQ(JsonArraySize(after.body, "/transactions/pending"), 1u);
  EXPECT_EQ(JsonString(after.body, "/transactions/pending/0/transactionId"), "p2");
  EXPECT_EQ(JsonString(after.body, "/transactions/booked/0/transactionId"), "p1b");
  EXPECT_EQ(JsonString(after.body, "/transactions/booked/0/transactionAmount/amount"), "-5.50");

  http::Response booked_only = bank->Send(
      "GET", "/v1/accounts/acc-1/transactions?bookingStatus=booked&dateFrom=2025-01-03&dateTo=2025-01-04",
      {{"Consent-ID", id}});
  EXPECT_EQ(JsonArraySize(booked_only.body, "/transactions/booked"), 3u);
  EXPECT_FALSE(test::JsonHas(booked_only.body, "/transactions/pending"));

  const auto error = [&](const std::string& query) {
    return ErrorCode(bank->Send("GET", "/v1/accounts/acc-1/transactions?" + query, {{"Consent-ID", id}}));
  };
  EXPECT_EQ(error("dateFrom=2025-01-01"), "FORMAT_ERROR");
  EXPECT_EQ(error("bookingStatus=information&dateFrom=2025-01-01"), "PARAMETER_NOT_SUPPORTED");
  EXPECT_EQ(error("bookingStatus=both"), "FORMAT_ERROR");
  EXPECT_EQ(error("bookingStatus=both&dateFrom=2025-13-01"), "FORMAT_ERROR");
  EXPECT_EQ(error("bookingStatus=both&dateFrom=2025-01-05&dateTo=2025-01-01"), "PERIOD_INVALID");
  EXPECT_EQ(error("bookingStatus=both&dateFrom=2025-01-01&page=0"), "FORMAT_ERROR");
  EXPECT_EQ(error("bookingStatus=both&dateFrom=2025-01-01&page=2"), "FORMAT_ERROR");  // beyond the last page
}

TEST(SandboxAis, AnEmptyAccountIsOnePageWithoutNext) {
  auto bank = Bank::Start(test::MiniScenario());
  ASSERT_TRUE(bank);
  const std::string id = bank->ValidConsent();
  http::Response r =
      bank->Send("GET", "/v1/accounts/acc-2/transactions?bookingStatus=both&dateFrom=2024-01-01", {{"Consent-ID", id}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(test::JsonRaw(r.body, "/transactions/booked"), "[]");
  EXPECT_EQ(test::JsonRaw(r.body, "/transactions/pending"), "[]");
  EXPECT_FALSE(test::JsonHas(r.body, "/transactions/_links/next"));
}

TEST(SandboxAis, ThirtySevenPagesFollowedByNextLinksWithoutUsingQuota) {
  const int rows = 36 * 25 + 7;
  auto bank = Bank::Start(test::ManyRowsScenario(rows, "  page_size: 25\n  frequency_per_day: 1\n"));
  ASSERT_TRUE(bank);
  const std::string id = bank->ValidConsent();
  std::string target = "/v1/accounts/acc-1/transactions?bookingStatus=booked&dateFrom=2024-01-01";
  std::set<std::string> ids;
  int pages = 0;
  while (!target.empty() && pages < 50) {
    http::Response page = bank->Send("GET", target, {{"Consent-ID", id}});
    ASSERT_EQ(page.status, 200) << target << " " << page.body;
    ++pages;
    const size_t n = JsonArraySize(page.body, "/transactions/booked");
    EXPECT_EQ(n, pages < 37 ? 25u : 7u);
    for (size_t i = 0; i < n; ++i) {
      ids.insert(JsonString(page.body, "/transactions/booked/" + std::to_string(i) + "/transactionId"));
    }
    const std::string next = JsonString(page.body, "/transactions/_links/next/href");
    EXPECT_EQ(JsonString(page.body, "/transactions/_links/last/href"), bank->Url(
        "/v1/accounts/acc-1/transactions?bookingStatus=booked&dateFrom=2024-01-01&page=37"));
    target = next.empty() ? "" : next.substr(bank->Url("").size());
  }
  EXPECT_EQ(pages, 37);
  EXPECT_EQ(ids.size(), static_cast<size_t>(rows));
  EXPECT_EQ(bank->stats().quota_refusals.load(), 0);
  // A new query is a new read: the one unattended read of the day is spent.
  http::Response again = bank->Send("GET", "/v1/accounts/acc-1/transactions?bookingStatus=booked&dateFrom=2024-01-01",
                                    {{"Consent-ID", id}});
  EXPECT_EQ(again.status, 429);
  EXPECT_EQ(ErrorCode(again), "ACCESS_EXCEEDED");
}

TEST(SandboxAis, PageOverlapRepeatsRows) {
  auto bank = Bank::Start(test::ManyRowsScenario(25, "  page_size: 10\n  page_overlap: 2\n"));
  ASSERT_TRUE(bank);
  const std::string id = bank->ValidConsent();
  const std::string q = "/v1/accounts/acc-1/transactions?bookingStatus=booked&dateFrom=2024-01-01";
  http::Response p1 = bank->Send("GET", q, {{"Consent-ID", id}});
  http::Response p2 = bank->Send("GET", q + "&page=2", {{"Consent-ID", id}});
  http::Response p3 = bank->Send("GET", q + "&page=3", {{"Consent-ID", id}});
  EXPECT_EQ(JsonString(p1.body, "/transactions/booked/8/transactionId"),
            JsonString(p2.body, "/transactions/booked/0/transactionId"));
  EXPECT_EQ(JsonString(p1.body, "/transactions/booked/9/transactionId"),
            JsonString(p2.body, "/transactions/booked/1/transactionId"));
  EXPECT_EQ(JsonArraySize(p3.body, "/transactions/booked"), 9u);  // rows 16..24
  EXPECT_FALSE(test::JsonHas(p3.body, "/transactions/_links/next"));
  EXPECT_EQ(JsonString(p2.body, "/transactions/_links/previous/href"), bank->Url(q));
}

TEST(SandboxAis, QuotaCountsUnattendedReadsPerDay) {
  auto bank = Bank::Start(test::MiniScenario("  frequency_per_day: 2\n"), Date::FromYmd(2025, 1, 6));
  ASSERT_TRUE(bank);
  const std::string id = bank->ValidConsent();
  EXPECT_EQ(bank->Send("GET", kTx, {{"Consent-ID", id}}).status, 200);
  EXPECT_EQ(bank->Send("GET", kTx, {{"Consent-ID", id}}).status, 200);
  http::Response third = bank->Send("GET", kTx, {{"Consent-ID", id}});
  EXPECT_EQ(third.status, 429);
  EXPECT_EQ(ErrorCode(third), "ACCESS_EXCEEDED");
  EXPECT_EQ(bank->Send("GET", kTx, {{"Consent-ID", id}, {"PSU-IP-Address", "192.0.2.10"}}).status, 200);  // attended
  EXPECT_EQ(bank->Send("GET", "/v1/accounts/acc-1/balances", {{"Consent-ID", id}}).status, 200);  // other endpoint
  bank->Send("POST", "/sandbox/clock", {}, R"({"today":"2025-01-07"})", Signing::kUnsigned);
  EXPECT_EQ(bank->Send("GET", kTx, {{"Consent-ID", id}}).status, 200);  // a new day
  EXPECT_EQ(bank->stats().quota_refusals.load(), 1);
  // The consent's frequencyPerDay is min(requested, the bank's).
  EXPECT_EQ(test::JsonInt(bank->Send("GET", "/v1/consents/" + id).body, "/frequencyPerDay"), 2);
}

TEST(SandboxAis, QuirksAreEnforced) {
  auto bank = Bank::Start(test::MiniScenario("  require:\n    psu_id: required\n    psu_id_type: retail\n"
                                             "    date_to: forbidden\n    max_history_days: 30\n"
                                             "    date_format: \"%d.%m.%Y\"\n    headers: {X-Bank-Channel: API}\n"),
                          Date::FromYmd(2025, 1, 6));
  ASSERT_TRUE(bank);
  const std::vector<http::Header> ok{{"PSU-ID", "psu-1"}, {"PSU-ID-Type", "retail"}, {"X-Bank-Channel", "API"},
                                     {"TPP-Redirect-URI", "https://tpp.example.test/cb"}};
  const auto without = [&](const std::string& name) {
    std::vector<http::Header> h;
    for (const auto& x : ok) {
      if (x.name != name) h.push_back(x);
    }
    return h;
  };
  http::Response no_psu = bank->Send("POST", "/v1/consents", without("PSU-ID"), ConsentBody());
  EXPECT_EQ(no_psu.status, 400);
  EXPECT_EQ(JsonString(no_psu.body, "/tppMessages/0/text"), "header PSU-ID is required");
  EXPECT_EQ(ErrorCode(bank->Send("POST", "/v1/consents", without("X-Bank-Channel"), ConsentBody())), "FORMAT_ERROR");
  std::vector<http::Header> wrong_type = without("PSU-ID-Type");
  wrong_type.push_back({"PSU-ID-Type", "corporate"});
  EXPECT_EQ(ErrorCode(bank->Send("POST", "/v1/consents", wrong_type, ConsentBody())), "FORMAT_ERROR");

  http::Response created = bank->Send("POST", "/v1/consents", ok, ConsentBody());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = JsonString(created.body, "/consentId");
  bank->Send("GET", JsonString(created.body, "/_links/scaRedirect/href").substr(bank->Url("").size()), {}, "",
             Signing::kUnsigned, test::Identity::kNone);
  std::vector<http::Header> read = without("TPP-Redirect-URI");
  read.push_back({"Consent-ID", id});
  const auto tx = [&](const std::string& query) {
    return bank->Send("GET", "/v1/accounts/acc-1/transactions?bookingStatus=both&" + query, read);
  };
  EXPECT_EQ(tx("dateFrom=01.01.2025").status, 200);
  EXPECT_EQ(ErrorCode(tx("dateFrom=2025-01-01")), "FORMAT_ERROR");
  EXPECT_EQ(JsonString(tx("dateFrom=01.01.2025&dateTo=06.01.2025").body, "/tppMessages/0/text"), "dateTo: not supported");
  EXPECT_EQ(ErrorCode(tx("dateFrom=01.12.2024")), "PERIOD_INVALID");
  EXPECT_EQ(ErrorCode(bank->Send("GET", "/v1/accounts", {{"Consent-ID", id}})), "FORMAT_ERROR");  // no PSU-ID on a read
}

// A bank whose every matching request gets `fault`; returns it with a valid consent.
std::unique_ptr<Bank> FaultyBank(const std::string& fault, std::string& consent) {
  auto bank = Bank::Start(test::MiniScenario("  faults:\n    - " + fault + "\n"), Date::FromYmd(2025, 1, 6));
  if (bank) consent = bank->ValidConsent();
  return bank;
}

TEST(SandboxFaults, ReplacingFaultsReachTheWire) {
  std::string id;
  auto bank = FaultyBank("{kind: http_429, path: /balances, retry_after_s: 7}", id);
  ASSERT_TRUE(bank);
  http::Response r = bank->Send("GET", "/v1/accounts/acc-1/balances", {{"Consent-ID", id}});
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(Header(r, "Retry-After"), "7");
  EXPECT_NE(ErrorCode(r), "ACCESS_EXCEEDED");  // a rate limit, not the daily quota
  EXPECT_EQ(bank->stats().faults_injected.load(), 1);

  bank = FaultyBank("{kind: http_503, path: /balances, retry_after_s: 2}", id);
  r = bank->Send("GET", "/v1/accounts/acc-1/balances", {{"Consent-ID", id}});
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(Header(r, "Retry-After"), "2");

  bank = FaultyBank("{kind: html_error, path: /balances}", id);
  r = bank->Send("GET", "/v1/accounts/acc-1/balances", {{"Consent-ID", id}});
  EXPECT_EQ(r.status, 500);
  EXPECT_TRUE(Header(r, "Content-Type").starts_with("text/html"));
  EXPECT_NE(r.body.find("<html>"), std::string::npos);

  bank = FaultyBank("{kind: problem_json, path: /balances}", id);
  r = bank->Send("GET", "/v1/accounts/acc-1/balances", {{"Consent-ID", id}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Header(r, "Content-Type"), "application/problem+json");
  EXPECT_EQ(JsonString(r.body, "/code"), "FORMAT_ERROR");

  bank = FaultyBank("{kind: empty_error, path: /balances}", id);
  r = bank->Send("GET", "/v1/accounts/acc-1/balances", {{"Consent-ID", id}});
  EXPECT_EQ(r.status, 500);
  EXPECT_TRUE(r.body.empty());

  bank = FaultyBank("{kind: garbage_body, path: /balances}", id);
  r = bank->Send("GET", "/v1/accounts/acc-1/balances", {{"Consent-ID", id}});
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(test::JsonHas(r.body, ""));  // not JSON

  bank = FaultyBank("{kind: http_500, path: /balances, times: 1}", id);
  EXPECT_EQ(bank->Send("GET", "/v1/accounts/acc-1/balances", {{"Consent-ID", id}}).status, 500);
  EXPECT_EQ(bank->Send("GET", "/v1/accounts/acc-1/balances", {{"Consent-ID", id}}).status, 200);
}

TEST(SandboxFaults, ConsentExpiredExpiresTheConsent) {
  std::string id;
  auto bank = FaultyBank("{kind: consent_expired, path: /balances}", id);
  ASSERT_TRUE(bank);
  http::Response r = bank->Send("GET", "/v1/accounts/acc-1/balances", {{"Consent-ID", id}});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(ErrorCode(r), "CONSENT_EXPIRED");
  EXPECT_EQ(ErrorCode(bank->Send("GET", "/v1/accounts", {{"Consent-ID", id}})), "CONSENT_EXPIRED");
  EXPECT_EQ(JsonString(bank->Send("GET", "/v1/consents/" + id + "/status").body, "/consentStatus"), "expired");
}

TEST(SandboxFaults, ResetCutsTheConnectionWithoutAResponse) {
  std::string id;
  auto bank = FaultyBank("{kind: reset, path: /balances}", id);
  ASSERT_TRUE(bank);
  http::Attempt a = bank->Try("GET", "/v1/accounts/acc-1/balances", {{"Consent-ID", id}});
  ASSERT_FALSE(a.response.has_value());
  EXPECT_EQ(a.response.error().code, bankfeed::ErrorCode::kNetwork) << a.response.error().ToString();
  EXPECT_EQ(bank->stats().faults_injected.load(), 1);
  // The server carries on.
  EXPECT_EQ(bank->Send("GET", "/v1/accounts", {{"Consent-ID", id}}).status, 200);
}

TEST(SandboxFaults, TruncatedBodyStopsHalfWay) {
  std::string id;
  auto bank = FaultyBank("{kind: truncated_body, path: /transactions}", id);
  ASSERT_TRUE(bank);
  http::Attempt a = bank->Try("GET", kTx, {{"Consent-ID", id}});
  ASSERT_FALSE(a.response.has_value());
  EXPECT_EQ(a.response.error().code, bankfeed::ErrorCode::kNetwork) << a.response.error().ToString();
  EXPECT_EQ(bank->stats().faults_injected.load(), 1);
}

TEST(SandboxFaults, SlowBodyTricklesButArrivesWhole) {
  std::string id;
  auto bank = FaultyBank("{kind: slow_body_ms, value: 600, path: /transactions}", id);
  ASSERT_TRUE(bank);
  const auto start = std::chrono::steady_clock::now();
  http::Response r = bank->Send("GET", kTx, {{"Consent-ID", id}});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(JsonArraySize(r.body, "/transactions/booked"), 5u);  // p1 has booked by 2025-01-06
  EXPECT_GE(elapsed, std::chrono::milliseconds(550));
}

TEST(SandboxFaults, LinkFaults) {
  std::string id;
  auto bank = FaultyBank("{kind: next_loop, page: 1}", id);
  ASSERT_TRUE(bank);
  http::Response r = bank->Send("GET", kTx, {{"Consent-ID", id}});
  EXPECT_EQ(JsonString(r.body, "/transactions/_links/next/href"), JsonString(r.body, "/transactions/_links/self/href"));
  EXPECT_EQ(bank->stats().faults_injected.load(), 1);

  bank = FaultyBank("{kind: foreign_next}", id);
  r = bank->Send("GET", kTx, {{"Consent-ID", id}});
  EXPECT_TRUE(JsonString(r.body, "/transactions/_links/next/href").starts_with("https://bank.invalid/v1/"))
      << r.body;
}

TEST(SandboxFaults, LatencyDelaysEveryApiAnswer) {
  auto bank = Bank::Start(test::MiniScenario("  latency_ms: 300\n"));
  ASSERT_TRUE(bank);
  const auto start = std::chrono::steady_clock::now();
  bank->Send("GET", "/v1/accounts");
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(290));
}

}  // namespace
}  // namespace bankfeed::sandbox
