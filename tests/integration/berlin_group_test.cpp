// The Berlin Group connector against the sandbox bank, over real mTLS with Cavage-signed requests: every SCA
// approach, every quirk option, pagination, loops, every fault kind and the unattended quota.
#include <thread>

#include "sandbox_fixture.hpp"

namespace bankfeed::testing {
namespace {

constexpr char kPlain[] = "  page_size: 10\n";

TransactionQuery January() { return {*Date::Parse("2025-01-01"), std::nullopt}; }

class BerlinGroup : public SandboxTest {};

// --- SCA approaches ------------------------------------------------------------------------------------------

TEST_F(BerlinGroup, RedirectApproachThenAccountsBalancesTransactions) {
  StartBank(ScenarioYaml(12, 2, kPlain));
  auto c = Connect(Profile());
  ConsentGrant grant = Consent(*c, ScaApproach::kRedirect);
  EXPECT_EQ(grant.approach, ScaApproach::kRedirect);
  auto accounts = c->ListAccounts(grant, Present());
  ASSERT_TRUE(accounts) << accounts.error().ToString();
  ASSERT_EQ(accounts->size(), 1u);
  EXPECT_EQ((*accounts)[0].resource_id, "acc-1");
  EXPECT_EQ((*accounts)[0].iban, "DE89370400440532013000");
  auto balances = c->GetBalances(grant, (*accounts)[0], Present());
  ASSERT_TRUE(balances) << balances.error().ToString();
  ASSERT_EQ(balances->size(), 1u);
  EXPECT_EQ((*balances)[0].amount.amount.ToString(), "1234.56");
  EXPECT_EQ((*balances)[0].account_id, (*accounts)[0].id);
  auto batch = c->GetTransactions(grant, (*accounts)[0], January(), Present());
  ASSERT_TRUE(batch) << batch.error().ToString();
  EXPECT_EQ(batch->transactions.size(), 14u);
  EXPECT_EQ(batch->pages, 2);
  size_t pending = 0;
  for (const auto& t : batch->transactions) pending += t.status == TransactionStatus::kPending;
  EXPECT_EQ(pending, 2u);
  auto consent = c->GetConsent(grant);
  ASSERT_TRUE(consent) << consent.error().ToString();
  EXPECT_EQ(consent->status, ConsentStatus::kValid);
  EXPECT_EQ(consent->frequency_per_day, 4);
  ASSERT_TRUE(c->RevokeConsent(grant));
  EXPECT_EQ(grant.status, ConsentStatus::kTerminated);
  auto after = c->ListAccounts(grant, Present());
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().code, ErrorCode::kConsentInvalid);
  EXPECT_EQ(after.error().bank_id, "test-bank");
}

// The customer's presence is claimed by an IP address: one that is not a literal address is refused before
// anything is sent (as PSU-IP-Address, or counted as a present read), naming the field and not echoing the value.
TEST_F(BerlinGroup, ACustomerIpThatIsNotALiteralAddressIsRefusedBeforeAnythingIsSent) {
  StartBank(ScenarioYaml(12, 2, kPlain));
  auto c = Connect(Profile());
  ConsentGrant grant = Consent(*c, ScaApproach::kRedirect);
  const auto usage = grant.usage;
  for (const char* bad : {"made-up", "192.0.2.10 ", "192.0.2.10\r\nX-Injected: 1", "[2001:db8::1]:443",
                          "fe80::1%eth0"}) {
    PsuContext psu = Present();
    psu.ip_address = bad;
    auto accounts = c->ListAccounts(grant, psu);
    ASSERT_FALSE(accounts) << bad;
    EXPECT_EQ(accounts.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(accounts.error().message.find("psu.ip_address: expected an IPv4 or IPv6 address"), std::string::npos)
        << accounts.error().message;
    EXPECT_EQ(accounts.error().ToString().find(bad), std::string::npos) << accounts.error().ToString();
  }
  EXPECT_EQ(grant.usage, usage);  // nothing counted, present or not
  PsuContext v6 = Present();
  v6.ip_address = "2001:db8::10";
  EXPECT_TRUE(c->ListAccounts(grant, v6));
}

TEST_F(BerlinGroup, ARevocationThatFailsKeepsTheTokensItRefreshedToTryAgain) {
  StartBank(ScenarioYaml(5, 0, std::string(kPlain) + "  sca_approaches: [oauth2]\n  token_ttl_s: 1\n" +
                                   "  faults: [{kind: http_500, method: DELETE, path: /v1/consents/, times: 2}]\n"));
  BankProfile p = Profile();
  p.sca.approaches = {ScaApproach::kOAuth2};
  p.retry.max_attempts = 2;  // the two faults are the revocation's two tries
  auto c = Connect(p);
  ConsentGrant grant = Consent(*c, ScaApproach::kOAuth2);
  const std::string first_refresh = grant.refresh_token;
  ASSERT_FALSE(first_refresh.empty());
  // The access token has expired: the revocation refreshes it (the bank rotates the refresh token), then the bank
  // fails the DELETE on every try.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const Status revoked = c->RevokeConsent(grant);
  ASSERT_FALSE(revoked);
  EXPECT_EQ(revoked.error().code, ErrorCode::kUnavailable) << revoked.error().ToString();
  EXPECT_EQ(revoked.error().bank_id, "test-bank");
  EXPECT_EQ(grant.status, ConsentStatus::kValid);  // still live at the bank
  EXPECT_FALSE(grant.access_token.empty());
  EXPECT_FALSE(grant.refresh_token.empty());
  EXPECT_NE(grant.refresh_token, first_refresh);  // the rotated one: the first no longer works at the bank
  EXPECT_EQ(bank().stats().faults_injected.load(), 2);
  // With them, the next try revokes.
  ASSERT_TRUE(c->RevokeConsent(grant));
  EXPECT_EQ(grant.status, ConsentStatus::kTerminated);
  EXPECT_TRUE(grant.access_token.empty());
  EXPECT_TRUE(grant.refresh_token.empty());
}

TEST_F(BerlinGroup, ExplicitStartOfTheAuthorisation) {
  StartBank(ScenarioYaml(3, 0, std::string(kPlain) + "  explicit_authorisation: true\n"));
  BankProfile p = Profile();
  p.sca.explicit_start = true;
  auto c = Connect(p);
  ConsentGrant grant = Consent(*c, ScaApproach::kRedirect);
  EXPECT_FALSE(grant.authorisation_id.empty());
  EXPECT_TRUE(c->ListAccounts(grant, Present()));
}

TEST_F(BerlinGroup, DecoupledApproachIsPolledUntilApproved) {
  StartBank(ScenarioYaml(3, 0, std::string(kPlain) + "  sca_approaches: [decoupled]\n  decoupled_polls: 3\n"));
  BankProfile p = Profile();
  p.sca.approaches = {ScaApproach::kDecoupled};
  auto c = Connect(p);
  ConsentGrant grant = Consent(*c, ScaApproach::kDecoupled);
  EXPECT_EQ(grant.approach, ScaApproach::kDecoupled);
  EXPECT_GE(sleeps_.size(), 2u);  // polled with the profile's interval in between
  EXPECT_EQ(sleeps_.front(), std::chrono::milliseconds(1000));
  EXPECT_TRUE(c->ListAccounts(grant, Present()));
}

TEST_F(BerlinGroup, DecoupledApprovalThatNeverComesTimesOut) {
  StartBank(ScenarioYaml(1, 0, std::string(kPlain) + "  sca_approaches: [decoupled]\n  decoupled_polls: 1000\n"));
  BankProfile p = Profile();
  p.sca.approaches = {ScaApproach::kDecoupled};
  p.sca.decoupled_timeout = std::chrono::seconds(3);
  auto c = Connect(p);
  ConsentRequest request;
  request.valid_until = Date::FromYmd(2025, 4, 30);
  ConsentGrant grant;
  ASSERT_TRUE(c->StartConsent(request, Present(), grant));
  auto status = c->CompleteConsent(grant, {}, Present());  // the test's clock stands still: bounded by polls
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(sleeps_.size(), 3u);
}

TEST_F(BerlinGroup, RejectedRedirectIsATypedError) {
  StartBank(ScenarioYaml(1, 0, std::string(kPlain) + "  sca_outcome: reject\n"));
  auto c = Connect(Profile());
  ConsentRequest request;
  request.valid_until = Date::FromYmd(2025, 4, 30);
  request.redirect_uri = "https://tpp.example/callback";
  request.nok_redirect_uri = "https://tpp.example/nok";
  ConsentGrant grant;
  auto step = c->StartConsent(request, Present(), grant);
  ASSERT_TRUE(step) << step.error().ToString();
  EXPECT_EQ(FollowInBrowser(*step->redirect_url).rfind("https://tpp.example/nok", 0), 0u);
  auto status = c->CompleteConsent(grant, {}, Present());
  ASSERT_TRUE(status);
  EXPECT_EQ(*status, ConsentStatus::kRejected);
  EXPECT_EQ(c->ListAccounts(grant, Present()).error().code, ErrorCode::kConsentInvalid);
}

TEST_F(BerlinGroup, OAuth2PreStepWithTokenRefresh) {
  StartBank(ScenarioYaml(5, 0, std::string(kPlain) + "  sca_approaches: [oauth2]\n  token_ttl_s: 1\n"));
  BankProfile p = Profile();
  p.sca.approaches = {ScaApproach::kOAuth2};
  auto c = Connect(p);
  ConsentGrant grant = Consent(*c, ScaApproach::kOAuth2);
  EXPECT_FALSE(grant.access_token.empty());
  EXPECT_FALSE(grant.refresh_token.empty());
  EXPECT_TRUE(grant.pkce_verifier.empty());  // spent
  const std::string first_refresh = grant.refresh_token;
  // The bank's access token lives one real second; the next read is refused once, refreshed, and repeated.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  auto accounts = c->ListAccounts(grant, Present());
  ASSERT_TRUE(accounts) << accounts.error().ToString();
  EXPECT_NE(grant.refresh_token, first_refresh);  // rotated
}

TEST_F(BerlinGroup, OAuth2CallbackWithTheWrongStateIsRefused) {
  StartBank(ScenarioYaml(1, 0, std::string(kPlain) + "  sca_approaches: [oauth2]\n"));
  BankProfile p = Profile();
  p.sca.approaches = {ScaApproach::kOAuth2};
  auto c = Connect(p);
  ConsentRequest request;
  request.valid_until = Date::FromYmd(2025, 4, 30);
  request.redirect_uri = "https://tpp.example/callback";
  ConsentGrant grant;
  auto step = c->StartConsent(request, Present(), grant);
  ASSERT_TRUE(step);
  auto status = c->CompleteConsent(grant, {{"code", "x"}, {"state", "forged"}}, Present());
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kConsentInvalid);
  auto refused = c->CompleteConsent(grant, {{"error", "access_denied"}, {"state", grant.oauth_state}}, Present());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "authorization refused: access_denied");
}

// --- pagination ----------------------------------------------------------------------------------------------

struct PageCase {
  int rows;
  int page_size;
  int pages;
};

class Pagination : public BerlinGroup, public ::testing::WithParamInterface<PageCase> {};

TEST_P(Pagination, FollowsEveryPage) {
  const PageCase pc = GetParam();
  StartBank(ScenarioYaml(pc.rows, 0, "  page_size: " + std::to_string(pc.page_size) + "\n"));
  auto c = Connect(Profile());
  ConsentGrant grant = Consent(*c, ScaApproach::kRedirect);
  auto batch = c->GetTransactions(grant, Acc1(), January(), Present());
  ASSERT_TRUE(batch) << batch.error().ToString();
  EXPECT_EQ(static_cast<int>(batch->transactions.size()), pc.rows);
  EXPECT_EQ(batch->pages, pc.pages);
}

INSTANTIATE_TEST_SUITE_P(ZeroOneAnd37Pages, Pagination,
                         ::testing::Values(PageCase{0, 5, 1}, PageCase{4, 5, 1}, PageCase{185, 5, 37}),
                         [](const auto& tp) { return "pages_" + std::to_string(tp.param.pages) + "_rows_" +
                                                       std::to_string(tp.param.rows); });

TEST_F(BerlinGroup, PageCapStopsWithAnErrorNotATruncation) {
  StartBank(ScenarioYaml(40, 0, "  page_size: 5\n"));
  BankProfile p = Profile();
  p.quirks.page_cap = 3;
  auto c = Connect(p);
  ConsentGrant grant = Consent(*c, ScaApproach::kRedirect);
  auto batch = c->GetTransactions(grant, Acc1(), January(), Present());
  ASSERT_FALSE(batch);
  EXPECT_EQ(batch.error().code, ErrorCode::kProtocol);
  EXPECT_EQ(batch.error().message, "transactions: more than 3 pages (profile page_cap); nothing kept");
}

TEST_F(BerlinGroup, NextEqualsSelfIsALoop) {
  StartBank(ScenarioYaml(30, 0, "  page_size: 5\n  faults: [{kind: next_loop, page: 2}]\n"));
  auto c = Connect(Profile());
  ConsentGrant grant = Consent(*c, ScaApproach::kRedirect);
  auto batch = c->GetTransactions(grant, Acc1(), January(), Present());
  ASSERT_FALSE(batch);
  EXPECT_EQ(batch.error().code, ErrorCode::kProtocol);
  EXPECT_NE(batch.error().message.find("pagination loop"), std::string::npos) << batch.error().message;
}

TEST_F(BerlinGroup, NextLinkToAnotherHostIsRefused) {
  StartBank(ScenarioYaml(30, 0, "  page_size: 5\n  faults: [{kind: foreign_next, page: 3}]\n"));
  auto c = Connect(Profile());
  ConsentGrant grant = Consent(*c, ScaApproach::kRedirect);
  const int64_t before = stats().api_requests.load();
  auto batch = c->GetTransactions(grant, Acc1(), January(), Present());
  ASSERT_FALSE(batch);
  EXPECT_EQ(batch.error().code, ErrorCode::kProtocol);
  EXPECT_EQ(batch.error().bank_id, "test-bank");
  EXPECT_EQ(batch.error().message,
            "transactions page 3: _links.next: points outside the bank's API origin; not followed");
  EXPECT_EQ(stats().api_requests.load() - before, 3);
}

}  // namespace
}  // namespace bankfeed::testing
