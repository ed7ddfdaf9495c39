// The STET sandbox bank's accounts, consents and balances: links only for consented accounts, the account
// identification forms, embedded balances, PUT /consents (and a bank without it), and the quota on unattended
// reads.
#include <gtest/gtest.h>

#include "unit/sandbox/stet_test_util.hpp"

namespace bankfeed::sandbox {
namespace {

using test::JsonArraySize;
using test::JsonHas;
using test::JsonString;
using test::StetTpp;

constexpr char kAisAccounts[] = "/stet/v1/accounts";
constexpr char kBalances[] = "/stet/v1/accounts/acc-1/balances";

TEST(SandboxStetAccounts, LinksOnlyForTheAccountsTheConsentCovers) {
  auto bank = test::StartStet(test::StetMiniScenario());
  ASSERT_TRUE(bank);
  StetTpp tpp(*bank);
  const auto s = tpp.Authorised();
  http::Response before = tpp.Api("GET", kAisAccounts, s.access_token);
  ASSERT_EQ(before.status, 200) << before.body;
  ASSERT_EQ(JsonArraySize(before.body, "/accounts"), 2u);  // psu-1's
  EXPECT_EQ(JsonString(before.body, "/accounts/0/resourceId"), "acc-1");
  EXPECT_EQ(JsonString(before.body, "/accounts/0/accountId/iban"), "DE89370400440532013000");
  EXPECT_EQ(JsonString(before.body, "/accounts/0/accountId/currency"), "EUR");
  EXPECT_EQ(JsonString(before.body, "/accounts/0/cashAccountType"), "CACC");
  EXPECT_EQ(JsonString(before.body, "/accounts/0/psuStatus"), "Account Holder");
  EXPECT_FALSE(JsonHas(before.body, "/accounts/0/_links/balances"));
  EXPECT_FALSE(JsonHas(before.body, "/accounts/0/balances"));
  EXPECT_EQ(JsonString(before.body, "/_links/self/href"), bank->Url(kAisAccounts));

  const std::string only_acc1_balances = R"({"balances":[{"iban":"DE89370400440532013000"}],"transactions":[]})";
  ASSERT_EQ(tpp.Api("PUT", "/stet/v1/consents", s.access_token, only_acc1_balances).status, 201);
  http::Response after = tpp.Api("GET", kAisAccounts, s.access_token);
  EXPECT_EQ(JsonString(after.body, "/accounts/0/_links/balances/href"), bank->Url(kBalances));
  EXPECT_FALSE(JsonHas(after.body, "/accounts/0/_links/transactions"));
  EXPECT_FALSE(JsonHas(after.body, "/accounts/1/_links/balances"));
}

TEST(SandboxStetAccounts, OtherIdentificationAndEmbeddedBalances) {
  auto bank = test::StartStet(
      test::StetMiniScenario("", "    account_id: other\n    balances_in_accounts: true\n"));
  ASSERT_TRUE(bank);
  StetTpp tpp(*bank);
  http::Response r = tpp.Api("GET", kAisAccounts, tpp.Authorised().access_token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(JsonHas(r.body, "/accounts/0/accountId/iban"));
  EXPECT_EQ(JsonString(r.body, "/accounts/0/accountId/other/identification"), "370400440532013000");
  EXPECT_EQ(JsonString(r.body, "/accounts/0/accountId/other/schemeName"), "BBAN");
  EXPECT_EQ(JsonString(r.body, "/accounts/0/accountId/other/issuer"), JsonString(r.body, "/accounts/0/bicFi"));
  EXPECT_EQ(JsonArraySize(r.body, "/accounts/0/balances"), 2u);  // CLBD (the latest) and ITAV
  EXPECT_EQ(JsonString(r.body, "/accounts/0/balances/0/balanceAmount/amount"), "1000.00");
}

// An error answer names the request's path; a path whose %-escape decodes to a byte that is not text is not echoed,
// so that the answer stays JSON.
TEST(SandboxStetAccounts, AnErrorAboutAPathThatIsNotTextIsStillJson) {
  auto bank = test::StartStet(test::StetMiniScenario());
  ASSERT_TRUE(bank);
  StetTpp tpp(*bank);
  const auto s = tpp.Authorised();
  http::Response r = tpp.Api("GET", "/stet/v1/accounts/%FF/balances", s.access_token);
  EXPECT_GE(r.status, 400);
  EXPECT_EQ(JsonString(r.body, "/path"), "(a path that is not text)") << r.body;
  http::Response known = tpp.Api("GET", "/stet/v1/accounts/nope/balances", s.access_token);
  EXPECT_EQ(JsonString(known.body, "/path"), "/stet/v1/accounts/nope/balances") << known.body;
}

TEST(SandboxStetConsents, PutReplacesTheConsentAndNamesAnUnknownAccountsList) {
  auto bank = test::StartStet(test::StetMiniScenario());
  ASSERT_TRUE(bank);
  StetTpp tpp(*bank);
  const auto s = tpp.Authorised();
  EXPECT_EQ(tpp.Api("GET", kBalances, s.access_token).status, 403);
  http::Response unknown = tpp.Api("PUT", "/stet/v1/consents", s.access_token,
                                   R"({"balances":[],"transactions":[{"iban":"NL91ABNA0417164300"}]})");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(JsonString(unknown.body, "/message"), "transactions[0]: not an account of the PSU");
  // By BBAN (other.identification) as well.
  const std::string by_bban =
      R"({"balances":[{"other":{"identification":"370400440532013000","schemeName":"BBAN"}}],"psuIdentity":true})";
  http::Response put = tpp.Api("PUT", "/stet/v1/consents", s.access_token, by_bban);
  EXPECT_EQ(put.status, 201);
  EXPECT_TRUE(put.body.empty());
  http::Response balances = tpp.Api("GET", kBalances, s.access_token);
  ASSERT_EQ(balances.status, 200) << balances.body;
  EXPECT_EQ(JsonString(balances.body, "/balances/0/balanceType"), "CLBD");
  EXPECT_EQ(JsonString(balances.body, "/balances/0/balanceAmount/amount"), "1000.00");
  EXPECT_EQ(JsonString(balances.body, "/balances/0/referenceDate"), "2025-01-06");
  EXPECT_EQ(JsonString(balances.body, "/_links/self/href"), bank->Url(kBalances));
  EXPECT_EQ(tpp.Api("GET", "/stet/v1/accounts/acc-1/transactions", s.access_token).status, 403);
  // A later PUT replaces it.
  ASSERT_EQ(tpp.Api("PUT", "/stet/v1/consents", s.access_token, R"({"balances":[]})").status, 201);
  EXPECT_EQ(tpp.Api("GET", kBalances, s.access_token).status, 403);
  EXPECT_EQ(tpp.Api("GET", "/stet/v1/accounts/acc-3/balances", s.access_token).status, 404);  // psu-2's
}

TEST(SandboxStetConsents, ABankWithoutTheEndpointOpensEveryAccount) {
  auto bank = test::StartStet(test::StetMiniScenario("", "    consents_endpoint: false\n"));
  ASSERT_TRUE(bank);
  StetTpp tpp(*bank);
  const auto s = tpp.Authorised();
  EXPECT_EQ(tpp.Api("PUT", "/stet/v1/consents", s.access_token, R"({"balances":[]})").status, 405);
  EXPECT_EQ(tpp.Api("GET", kBalances, s.access_token).status, 200);
  http::Response accounts = tpp.Api("GET", kAisAccounts, s.access_token);
  EXPECT_TRUE(JsonHas(accounts.body, "/accounts/1/_links/transactions/href"));
}

TEST(SandboxStetQuota, UnattendedReadsAreCountedPerAuthorizationDayAndEndpoint) {
  auto bank = test::StartStet(test::StetMiniScenario("  page_size: 50\n  frequency_per_day: 2\n"));
  ASSERT_TRUE(bank);
  StetTpp tpp(*bank);
  const auto s = tpp.Authorised();
  tpp.ConsentAll(s.access_token);
  EXPECT_EQ(tpp.Api("GET", kAisAccounts, s.access_token).status, 200);
  EXPECT_EQ(tpp.Api("GET", kAisAccounts, s.access_token).status, 200);
  http::Response over = tpp.Api("GET", kAisAccounts, s.access_token);
  EXPECT_EQ(over.status, 429);
  EXPECT_TRUE(test::Header(over, "Retry-After").empty());
  EXPECT_EQ(bank->stats().quota_refusals.load(), 1);
  // The PSU's own read (PSU-IP-Address, signed) is not counted; another endpoint has its own count.
  EXPECT_EQ(tpp.Api("GET", kAisAccounts, s.access_token, "", {{"PSU-IP-Address", "192.0.2.1"}}).status, 200);
  EXPECT_EQ(tpp.Api("GET", kBalances, s.access_token).status, 200);
  // A new authorization starts again.
  EXPECT_EQ(tpp.Api("GET", kAisAccounts, tpp.Authorised().access_token).status, 200);
}

}  // namespace
}  // namespace bankfeed::sandbox
