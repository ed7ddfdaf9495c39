// The connector conformance suite (connector_conformance.hpp): the same tests over the Connector interface for
// every sandbox module, over real mTLS with the standard's request signing. Tests of what a module's bank does not
// offer are skipped, saying so.
#include "connector_conformance.hpp"

#include <set>
#include <thread>

#include "bankfeed/canonical_json.hpp"
#include "sandbox_fixture.hpp"

namespace bankfeed::testing {

std::vector<ConformanceModule> ConformanceModules() {
  return {
      {.name = "BerlinGroup", .standard = "berlin-group", .next_link = "_links.next", .consent_path = "/v1/consents/",
       .expired_answer = "401 CONSENT_EXPIRED", .redirect = true, .decoupled = true, .oauth2 = true,
       .page_overlap = true},
      {.name = "UkOpenBanking", .standard = "uk-ob", .next_link = "Links.Next",
       .consent_path = "/open-banking/v3.1/aisp/account-access-consents/",
       .expired_answer = "403 UK.OBIE.Reauthenticate", .consent_has_frequency = false,
       .revocation_uses_grant_token = false, .distinct_quota_refusal = false, .redirect = false,
       .decoupled = false, .oauth2 = true, .page_overlap = true},
      {.name = "Stet", .standard = "stet", .next_link = "_links.next", .consent_path = "",
       .expired_answer = "401 Unauthorized", .consent_has_frequency = false, .revocation_uses_grant_token = false,
       .distinct_quota_refusal = false, .revocation_at_api = false, .after_entry_reference = true,
       .redirect = false, .decoupled = false,
       .oauth2 = true, .page_overlap = true},
  };
}

namespace {

constexpr char kPlain[] = "  page_size: 10\n";

TransactionQuery January() { return {*Date::Parse("2025-01-01"), std::nullopt}; }

class ConnectorConformance : public SandboxTest, public ::testing::WithParamInterface<ConformanceModule> {
 protected:
  // The fixture's scenario and profile, in the module's standard.
  std::string Scenario(int booked, int pending, const std::string& behaviour) const {
    return ScenarioYaml(booked, pending, behaviour, GetParam().standard);
  }
  BankProfile Profile() const {
    BankProfile p = SandboxTest::Profile();
    p.standard = *ParseStandard(GetParam().standard);
    return p;
  }
  // A valid consent by the module's main SCA approach.
  ConsentGrant ValidConsent(Connector& c) {
    return Consent(c, GetParam().redirect ? ScaApproach::kRedirect : ScaApproach::kOAuth2);
  }
  // One read of January's transactions from a bank with `faults` (the scenario's fault list).
  Result<TransactionBatch> ReadWithFaults(const std::string& faults, int rows = 50, int page_size = 5,
                                          BankProfile* profile = nullptr) {
    StartBank(Scenario(rows, 0, "  page_size: " + std::to_string(page_size) + "\n  faults: " + faults + "\n"));
    BankProfile p = Profile();  // pointed at the bank just started
    if (profile) {
      const BankProfile fresh = p;
      p = *profile;
      p.base_url = fresh.base_url;
      p.oauth2 = fresh.oauth2;
    }
    return ReadJanuary(p);
  }
  // A valid consent at the running bank with `profile`, then one read of January's transactions.
  Result<TransactionBatch> ReadJanuary(const BankProfile& profile) {
    auto c = Connect(profile);
    grant_ = ValidConsent(*c);
    return c->GetTransactions(grant_, Acc1(), January(), Present());
  }
  ConsentGrant grant_;

  // Starts a bank that offers only `approach` (`rows` booked rows, `behaviour` added) and returns a profile that
  // asks for it.
  BankProfile BankOfferingOnly(ScaApproach approach, int rows, const std::string& behaviour = "") {
    StartBank(Scenario(rows, 0, std::string(kPlain) + "  sca_approaches: [" +
                                    std::string(ScaApproachName(approach)) + "]\n" + behaviour));
    BankProfile p = Profile();
    p.sca.approaches = {approach};
    return p;
  }
};

#define REQUIRE_CAPABILITY(flag) \
  if (!GetParam().flag) GTEST_SKIP() << GetParam().name << "'s bank does not offer " #flag

// --- consent and SCA -----------------------------------------------------------------------------------------

TEST_P(ConnectorConformance, ConsentThenAccountsBalancesTransactionsThenRevocation) {
  StartBank(Scenario(12, 2, kPlain));
  auto c = Connect(Profile());
  ConsentGrant grant = ValidConsent(*c);
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
  if (GetParam().consent_has_frequency) {
    EXPECT_EQ(consent->frequency_per_day, 4);
  }
  ASSERT_TRUE(c->RevokeConsent(grant));
  EXPECT_EQ(grant.status, ConsentStatus::kTerminated);
  auto after = c->ListAccounts(grant, Present());
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().code, ErrorCode::kConsentInvalid);
  EXPECT_EQ(after.error().bank_id, "test-bank");
}

// The customer's presence is claimed by an IP address: one that is not a literal address is refused before
// anything is sent (as PSU-IP-Address, or counted as a present read), naming the field and not echoing the value.
TEST_P(ConnectorConformance, ACustomerIpThatIsNotALiteralAddressIsRefusedBeforeAnythingIsSent) {
  StartBank(Scenario(12, 2, kPlain));
  auto c = Connect(Profile());
  ConsentGrant grant = ValidConsent(*c);
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

TEST_P(ConnectorConformance, ARevocationThatFailsKeepsTheTokensItRefreshedToTryAgain) {
  REQUIRE_CAPABILITY(oauth2);
  REQUIRE_CAPABILITY(revocation_at_api);
  BankProfile p = BankOfferingOnly(ScaApproach::kOAuth2, 5,
                                   "  token_ttl_s: 1\n"
                                   "  faults: [{kind: http_500, method: DELETE, path: " + GetParam().consent_path +
                                       ", times: 2}]\n");
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
  if (GetParam().revocation_uses_grant_token) {
    EXPECT_NE(grant.refresh_token, first_refresh);  // the rotated one: the first no longer works at the bank
  } else {
    EXPECT_EQ(grant.refresh_token, first_refresh);  // untouched: the revocation did not need it
  }
  EXPECT_EQ(bank().stats().faults_injected.load(), 2);
  // With them, the next try revokes.
  ASSERT_TRUE(c->RevokeConsent(grant));
  EXPECT_EQ(grant.status, ConsentStatus::kTerminated);
  EXPECT_TRUE(grant.access_token.empty());
  EXPECT_TRUE(grant.refresh_token.empty());
}

TEST_P(ConnectorConformance, DecoupledApproachIsPolledUntilApproved) {
  REQUIRE_CAPABILITY(decoupled);
  BankProfile p = BankOfferingOnly(ScaApproach::kDecoupled, 3, "  decoupled_polls: 3\n");
  auto c = Connect(p);
  ConsentGrant grant = Consent(*c, ScaApproach::kDecoupled);
  EXPECT_EQ(grant.approach, ScaApproach::kDecoupled);
  EXPECT_GE(sleeps_.size(), 2u);  // polled with the profile's interval in between
  EXPECT_EQ(sleeps_.front(), std::chrono::milliseconds(1000));
  EXPECT_TRUE(c->ListAccounts(grant, Present()));
}

TEST_P(ConnectorConformance, DecoupledApprovalThatNeverComesTimesOut) {
  REQUIRE_CAPABILITY(decoupled);
  BankProfile p = BankOfferingOnly(ScaApproach::kDecoupled, 1, "  decoupled_polls: 1000\n");
  p.sca.decoupled_timeout = std::chrono::seconds(3);
  auto c = Connect(p);
  ConsentRequest request = RequestUntilApril();
  ConsentGrant grant;
  ASSERT_TRUE(c->StartConsent(request, Present(), grant));
  auto status = c->CompleteConsent(grant, {}, Present());  // the test's clock stands still: bounded by polls
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(sleeps_.size(), 3u);
}

TEST_P(ConnectorConformance, RejectedRedirectIsATypedError) {
  REQUIRE_CAPABILITY(redirect);
  StartBank(Scenario(1, 0, std::string(kPlain) + "  sca_outcome: reject\n"));
  auto c = Connect(Profile());
  ConsentRequest request = RequestUntilApril();
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

TEST_P(ConnectorConformance, TokenRefreshAndRotation) {
  REQUIRE_CAPABILITY(oauth2);
  BankProfile p = BankOfferingOnly(ScaApproach::kOAuth2, 5, "  token_ttl_s: 1\n");
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

TEST_P(ConnectorConformance, OAuth2CallbackWithTheWrongStateIsRefused) {
  REQUIRE_CAPABILITY(oauth2);
  BankProfile p = BankOfferingOnly(ScaApproach::kOAuth2, 1);
  auto c = Connect(p);
  ConsentRequest request = RequestUntilApril();
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

// --- the page walk's guards --------------------------------------------------------------------------------

TEST_P(ConnectorConformance, PageCapStopsWithAnErrorNotATruncation) {
  StartBank(Scenario(40, 0, "  page_size: 5\n"));
  BankProfile p = Profile();
  p.quirks.page_cap = 3;
  auto batch = ReadJanuary(p);
  ASSERT_FALSE(batch);
  EXPECT_EQ(batch.error().code, ErrorCode::kProtocol);
  EXPECT_EQ(batch.error().message, "transactions: more than 3 pages (profile page_cap); nothing kept");
}

TEST_P(ConnectorConformance, NextEqualsSelfIsALoop) {
  StartBank(Scenario(30, 0, "  page_size: 5\n  faults: [{kind: next_loop, page: 2}]\n"));
  auto batch = ReadJanuary(Profile());
  ASSERT_FALSE(batch);
  EXPECT_EQ(batch.error().code, ErrorCode::kProtocol);
  EXPECT_NE(batch.error().message.find("pagination loop"), std::string::npos) << batch.error().message;
}

TEST_P(ConnectorConformance, NextLinkToAnotherHostIsRefused) {
  StartBank(Scenario(30, 0, "  page_size: 5\n  faults: [{kind: foreign_next, page: 3}]\n"));
  auto c = Connect(Profile());
  ConsentGrant grant = ValidConsent(*c);
  const int64_t before = stats().api_requests.load();
  auto batch = c->GetTransactions(grant, Acc1(), January(), Present());
  ASSERT_FALSE(batch);
  EXPECT_EQ(batch.error().code, ErrorCode::kProtocol);
  EXPECT_EQ(batch.error().bank_id, "test-bank");
  EXPECT_EQ(batch.error().message,
            "transactions page 3: " + GetParam().next_link + ": points outside the bank's API origin; not followed");
  EXPECT_EQ(stats().api_requests.load() - before, 3);
}

// --- faults, errors and the quota ---------------------------------------------------------------------------

TEST_P(ConnectorConformance, Http429WithRetryAfterIsWaitedAndRetried) {
  auto batch = ReadWithFaults("[{kind: http_429, page: 2, retry_after_s: 1, times: 1}]");
  ASSERT_TRUE(batch) << batch.error().ToString();
  EXPECT_EQ(batch->transactions.size(), 50u);
  ASSERT_FALSE(sleeps_.empty());
  EXPECT_EQ(sleeps_.back(), std::chrono::milliseconds(1000));  // the bank's Retry-After
}

TEST_P(ConnectorConformance, Http500AndResetAndTruncatedBodyAreRetriedForGets) {
  auto batch = ReadWithFaults("[{kind: http_500, page: 2, times: 1}, {kind: reset, page: 4, times: 1}, "
                    "{kind: truncated_body, page: 6, times: 1}, {kind: http_503, page: 8, times: 1}]");
  ASSERT_TRUE(batch) << batch.error().ToString();
  EXPECT_EQ(batch->transactions.size(), 50u);
  EXPECT_EQ(bank().stats().faults_injected.load(), 4);
}

TEST_P(ConnectorConformance, PersistentServerErrorsBecomeUnavailableWithTheBankAndPage) {
  for (const char* kind : {"http_500", "html_error", "empty_error"}) {
    SCOPED_TRACE(kind);
    auto batch = ReadWithFaults(std::string("[{kind: ") + kind + ", page: 3}]");
    ASSERT_FALSE(batch);
    EXPECT_EQ(batch.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(batch.error().bank_id, "test-bank");
    EXPECT_EQ(batch.error().message.rfind("read transactions page 3: ", 0), 0u) << batch.error().message;
    TearDown();
  }
}

TEST_P(ConnectorConformance, GarbageOnPage7Of10NamesThePageAndKeepsNothing) {
  auto batch = ReadWithFaults("[{kind: garbage_body, page: 7}]");
  ASSERT_FALSE(batch);
  EXPECT_EQ(batch.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(batch.error().bank_id, "test-bank");
  EXPECT_EQ(batch.error().message.rfind("transactions page 7: ", 0), 0u) << batch.error().message;
}

TEST_P(ConnectorConformance, ConsentExpiringMidPaginationIsTyped) {
  auto batch = ReadWithFaults("[{kind: consent_expired, page: 4}]");
  ASSERT_FALSE(batch);
  EXPECT_EQ(batch.error().code, ErrorCode::kConsentExpired);
  const std::string& answer = GetParam().expired_answer;
  EXPECT_EQ(batch.error().bank_code, answer.substr(answer.find(' ') + 1));
  EXPECT_EQ(batch.error().message, "read transactions page 4: the bank answered HTTP " + answer);
}

TEST_P(ConnectorConformance, SlowBodyArrivesWithinTheTimeoutAndTimesOutBeyondIt) {
  auto slow = ReadWithFaults("[{kind: slow_body_ms, value: 600, page: 1}]", 10, 50);
  ASSERT_TRUE(slow) << slow.error().ToString();
  EXPECT_EQ(slow->transactions.size(), 10u);
  TearDown();
  BankProfile impatient = Profile();
  impatient.transport.total_timeout = std::chrono::milliseconds(200);
  impatient.retry.max_attempts = 1;
  auto timed_out = ReadWithFaults("[{kind: slow_body_ms, value: 3000, page: 1}]", 10, 50, &impatient);
  ASSERT_FALSE(timed_out);
  EXPECT_EQ(timed_out.error().code, ErrorCode::kTimeout);
}

TEST_P(ConnectorConformance, FifthUnattendedReadOfTheDayIsRefusedLocallyNotSent) {
  StartBank(Scenario(3, 0, "  frequency_per_day: 4\n"));
  auto c = Connect(Profile());
  ConsentGrant grant = ValidConsent(*c);
  for (int i = 0; i < 4; ++i) {
    auto batch = c->GetTransactions(grant, Acc1(), January(), Unattended());
    ASSERT_TRUE(batch) << i << ": " << batch.error().ToString();
  }
  const int64_t sent = bank().stats().api_requests.load();
  auto fifth = c->GetTransactions(grant, Acc1(), January(), Unattended());
  ASSERT_FALSE(fifth);
  EXPECT_EQ(fifth.error().code, ErrorCode::kAccessExceeded);
  EXPECT_TRUE(fifth.error().retry_after.has_value());
  EXPECT_EQ(bank().stats().api_requests.load(), sent);  // never reached the bank
  EXPECT_EQ(bank().stats().quota_refusals.load(), 0);
  // With the customer present the read is not counted and goes through.
  EXPECT_TRUE(c->GetTransactions(grant, Acc1(), January(), Present()));
}

TEST_P(ConnectorConformance, TheBanksOwnQuotaRefusalIsTyped) {
  StartBank(Scenario(3, 0, "  frequency_per_day: 1\n"));
  BankProfile p = Profile();
  auto c = Connect(p);
  ConsentGrant grant = ValidConsent(*c);
  grant.request.frequency_per_day = 5;  // we believe in more than the bank grants
  ASSERT_TRUE(c->GetTransactions(grant, Acc1(), January(), Unattended()));
  const int64_t sent = bank().stats().api_requests.load();
  auto second = c->GetTransactions(grant, Acc1(), January(), Unattended());
  ASSERT_FALSE(second);
  if (GetParam().distinct_quota_refusal) {
    EXPECT_EQ(second.error().code, ErrorCode::kAccessExceeded);
    EXPECT_EQ(bank().stats().api_requests.load(), sent + 1);  // one attempt, no retries
  } else {
    EXPECT_EQ(second.error().code, ErrorCode::kRateLimited);
    EXPECT_EQ(bank().stats().api_requests.load(), sent + p.retry.max_attempts);  // the retry policy, then typed
  }
}

// A standard without an entry-reference filter refuses a query with one before anything is sent, rather than read
// everything as if it had applied it.
TEST_P(ConnectorConformance, AnEntryReferenceFilterIsAppliedOrRefused) {
  StartBank(Scenario(12, 2, kPlain));
  auto c = Connect(Profile());
  ConsentGrant grant = ValidConsent(*c);
  TransactionQuery since = January();
  since.after_entry_reference = "b9";
  const int64_t sent = bank().stats().api_requests.load();
  auto batch = c->GetTransactions(grant, Acc1(), since, Present());
  if (GetParam().after_entry_reference) {
    ASSERT_TRUE(batch) << batch.error().ToString();
    EXPECT_LT(batch->transactions.size(), 14u);
  } else {
    ASSERT_FALSE(batch);
    EXPECT_EQ(batch.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(batch.error().message, "query.after_entry_reference: this standard has no such filter");
    EXPECT_EQ(bank().stats().api_requests.load(), sent);
  }
}

// --- pages ---------------------------------------------------------------------------------------------------

TEST_P(ConnectorConformance, FollowsEveryPage) {
  struct Case {
    int rows, page_size, pages;
  };
  for (const Case pc : {Case{0, 5, 1}, Case{4, 5, 1}, Case{185, 5, 37}}) {
    SCOPED_TRACE(std::to_string(pc.rows) + " rows");
    StartBank(Scenario(pc.rows, 0, "  page_size: " + std::to_string(pc.page_size) + "\n"));
    auto batch = ReadJanuary(Profile());
    ASSERT_TRUE(batch) << batch.error().ToString();
    EXPECT_EQ(static_cast<int>(batch->transactions.size()), pc.rows);
    EXPECT_EQ(batch->pages, pc.pages);
    TearDown();
  }
}

// Two rows equal in everything, on different pages, are two transactions: both kept, with different ids.
TEST_P(ConnectorConformance, TwinsOnDifferentPagesBothSurvive) {
  std::string yaml = Scenario(0, 0, "  page_size: 1\n  ids: none\n");
  const std::string row = "          - {id: tNN, status: booked, booking_date: 2025-01-10, amount: \"-3.50\", "
                          "counterparty: {name: Bakery}, remittance: coffee}\n";
  std::string rows;
  for (const char* n : {"t1", "t2"}) rows += std::string(row).replace(row.find("tNN"), 3, n);
  yaml.replace(yaml.find("          []\n"), 13, rows);
  StartBank(yaml);
  auto batch = ReadJanuary(Profile());
  ASSERT_TRUE(batch) << batch.error().ToString();
  EXPECT_EQ(batch->pages, 2);
  ASSERT_EQ(batch->transactions.size(), 2u);
  EXPECT_NE(batch->transactions[0].id, batch->transactions[1].id);
  Transaction a = batch->transactions[0], b = batch->transactions[1];
  a.id.clear();
  b.id.clear();
  EXPECT_EQ(ToCanonicalJson(a), ToCanonicalJson(b)) << "twins: equal in everything but the id";
}

// A bank that repeats the previous page's last rows: declared, the repeats are dropped, each row kept once.
TEST_P(ConnectorConformance, ADeclaredPageOverlapIsDropped) {
  REQUIRE_CAPABILITY(page_overlap);
  StartBank(Scenario(20, 3, "  page_size: 6\n  page_overlap: 2\n  ids: stable\n"));
  BankProfile p = Profile();
  p.quirks.page_overlap = 2;
  auto batch = ReadJanuary(p);
  ASSERT_TRUE(batch) << batch.error().ToString();
  EXPECT_EQ(batch->transactions.size(), 23u);
  std::set<std::string> ids;
  for (const Transaction& t : batch->transactions) ids.insert(t.transaction_id.value_or(""));
  EXPECT_EQ(ids.size(), 23u) << "no row twice";
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Modules, ConnectorConformance, ::testing::ValuesIn(ConformanceModules()),
                         [](const auto& tp) { return tp.param.name; });

}  // namespace bankfeed::testing
