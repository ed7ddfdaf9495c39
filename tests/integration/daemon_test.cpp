// bankfeedd as its users run it (issue 6): a real daemon process, called over gRPC on its Unix socket, against an
// in-process sandbox bank over mTLS. The whole consent → sync → feed flow, Subscribe latency, cursors across a
// restart, authentication, tenant isolation, typed errors without personal data, SIGTERM in the middle of a sync,
// health and metrics.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <fstream>
#include <set>
#include <thread>

#include "bankfeed/feed.hpp"
#include "integration/daemon_process.hpp"
#include "integration/sandbox_fixture.hpp"
#include "integration/sim_scenario.hpp"
#include "tools/sandbox/clock.hpp"

namespace bankfeed::testing {
namespace {

using Clock = std::chrono::steady_clock;

struct Customer {
  std::string customer_id;
  std::string consent_id;
};

class DaemonTest : public SandboxTest {
 protected:
  // A simulation scenario on the sandbox, its clock at the scenario's last day, and a workspace for the daemon.
  void SetUpBank(const std::string& behaviour_extra = "", int days = 20) {
    spec_.days = days;
    spec_.frequency_per_day = 50;
    std::string yaml = SimulationScenario(spec_);
    if (!behaviour_extra.empty()) {
      const size_t at = yaml.find("behaviour:\n");
      ASSERT_NE(at, std::string::npos);
      yaml.insert(at + 11, behaviour_extra);
    }
    auto scenario = sandbox::ParseScenario(yaml, "sim.yaml", "berlin-group");
    ASSERT_TRUE(scenario) << scenario.error().ToString();
    scenario_ = std::move(*scenario);
    StartBank(yaml);
    today_ = Date{spec_.first.days_since_epoch + spec_.days - 1};
    bank().clock().Set(today_);
    workspace_ = std::make_unique<CliWorkspace>("daemon-" + std::string(::testing::UnitTest::GetInstance()
                                                                            ->current_test_info()
                                                                            ->name()),
                                                pki_, bank().BaseUrl(), "");
  }

  // Consent for psu-1 through the daemon, as `tenant`: start, the browser's SCA, complete.
  Customer ConsentThroughDaemon(const DaemonProcess& d, const std::string& tenant) {
    v1::StartConsentRequest start = RedirectConsentRequest();
    start.set_frequency_per_day(spec_.frequency_per_day);
    v1::StartConsentResponse started;
    grpc::Status s = d.consents()->StartConsent(d.Context(tenant).get(), start, &started);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(started.status(), v1::CONSENT_STATUS_RECEIVED);
    EXPECT_FALSE(started.sca_url().empty());
    const std::string back = FollowInBrowser(started.sca_url());
    v1::CompleteConsentRequest complete;
    complete.set_consent_id(started.consent_id());
    complete.set_callback_url(back);
    v1::ConsentState state;
    s = d.consents()->CompleteConsent(d.Context(tenant).get(), complete, &state);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(state.status(), v1::CONSENT_STATUS_VALID);
    return {started.customer_id(), started.consent_id()};
  }

  v1::TriggerSyncResponse TriggerSync(const DaemonProcess& d, const std::string& tenant, const Customer& c) {
    v1::TriggerSyncRequest request;
    request.set_customer_id(c.customer_id);
    v1::TriggerSyncResponse response;
    const grpc::Status s = d.admin()->TriggerSync(d.Context(tenant).get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  }

  // Pages Feed.Sync from `cursor` to the end, applying the changes; returns the next cursor. Fails the test when a
  // sequence number repeats or goes backwards (a change lost or repeated across pages).
  std::string ReadFeed(const DaemonProcess& d, const std::string& tenant, std::string cursor, int page_size,
                       std::map<std::string, FeedTransaction>& current, int64_t& last_seq, int max_pages = 1 << 20) {
    for (int pages = 0; pages < max_pages; ++pages) {
      v1::SyncRequest request;
      request.set_cursor(cursor);
      request.set_page_size(page_size);
      v1::SyncResponse page;
      const grpc::Status s = d.feed()->Sync(d.Context(tenant).get(), request, &page);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) break;
      for (const v1::Change& c : page.changes()) {
        EXPECT_GT(c.sequence(), last_seq);
        last_seq = c.sequence();
      }
      ApplyFeed(ToEntries(page), current);
      cursor = page.next_cursor();
      if (!page.has_more()) break;
    }
    return cursor;
  }

  std::map<std::string, std::string> ResourceIds() {
    std::map<std::string, std::string> ids;
    auto store = workspace_->OpenStore();
    if (!store) return ids;
    if (auto accounts = store->ListAccounts("")) {
      for (const auto& a : *accounts) ids[a.ref.account_id] = a.account.resource_id.value_or("?");
    }
    return ids;
  }

  static std::map<std::string, TruthKeys> ByAccount(const TruthKeys& keys) {
    std::map<std::string, TruthKeys> out;
    for (const std::string& key : keys) out[key.substr(0, key.find('|'))].insert(key);
    return out;
  }

  SimulationSpec spec_;
  sandbox::Scenario scenario_;
  Date today_;
  std::unique_ptr<CliWorkspace> workspace_;
};

TEST_F(DaemonTest, ConsentSyncAndFeedFlowWithHealthAndMetrics) {
  SetUpBank();
  DaemonProcess d(*workspace_);
  ASSERT_TRUE(d.Start(today_.ToString()));

  grpc::health::v1::HealthCheckResponse health;
  grpc::ClientContext health_ctx;
  ASSERT_TRUE(d.health()->Check(&health_ctx, {}, &health).ok());
  EXPECT_EQ(health.status(), grpc::health::v1::HealthCheckResponse::SERVING);

  const Customer c = ConsentThroughDaemon(d, kTenantA);
  const v1::TriggerSyncResponse synced = TriggerSync(d, kTenantA, c);
  ASSERT_EQ(synced.accounts_size(), 3);
  int added = 0;
  for (const auto& a : synced.accounts()) {
    EXPECT_EQ(a.outcome(), v1::SYNC_OUTCOME_OK) << a.error_message();
    added += a.added();
  }

  // The feed from the start equals the bank's truth, in pages of 37.
  std::map<std::string, FeedTransaction> current;
  int64_t last_seq = 0;
  const std::string cursor = ReadFeed(d, kTenantA, "", 37, current, last_seq);
  const TruthKeys truth = TruthAt(scenario_, today_);
  EXPECT_EQ(FeedKeys(current, ResourceIds()), truth) << Difference(truth, FeedKeys(current, ResourceIds()));
  EXPECT_EQ(static_cast<size_t>(added), truth.size());

  // The same day again: no change.
  const v1::TriggerSyncResponse resynced = TriggerSync(d, kTenantA, c);
  for (const auto& a : resynced.accounts()) EXPECT_EQ(a.added() + a.modified() + a.removed(), 0);
  v1::SyncRequest again;
  again.set_cursor(cursor);
  v1::SyncResponse nothing;
  ASSERT_TRUE(d.feed()->Sync(d.Context(kTenantA).get(), again, &nothing).ok());
  EXPECT_EQ(nothing.changes_size(), 0);
  EXPECT_FALSE(nothing.has_more());

  // Accounts, balances and sync status.
  v1::ListAccountsResponse accounts;
  v1::ListAccountsRequest list;
  list.set_customer_id(c.customer_id);
  ASSERT_TRUE(d.accounts()->ListAccounts(d.Context(kTenantA).get(), list, &accounts).ok());
  ASSERT_EQ(accounts.accounts_size(), 3);
  EXPECT_EQ(accounts.accounts(0).consent_id(), c.consent_id);
  EXPECT_FALSE(accounts.accounts(0).iban().empty());
  v1::GetBalancesRequest balances_request;
  balances_request.set_customer_id(c.customer_id);
  balances_request.set_account_id(accounts.accounts(0).account_id());
  v1::GetBalancesResponse balances;
  ASSERT_TRUE(d.accounts()->GetBalances(d.Context(kTenantA).get(), balances_request, &balances).ok());
  ASSERT_GT(balances.balances_size(), 0);
  EXPECT_FALSE(balances.balances(0).amount().amount().empty());
  EXPECT_EQ(balances.balances(0).amount().currency(), "EUR");
  v1::GetSyncStatusRequest status_request;
  v1::GetSyncStatusResponse status;
  ASSERT_TRUE(d.admin()->GetSyncStatus(d.Context(kTenantA).get(), status_request, &status).ok());
  ASSERT_EQ(status.accounts_size(), 3);
  for (const auto& a : status.accounts()) {
    EXPECT_EQ(a.outcome(), v1::SYNC_OUTCOME_OK);
    EXPECT_EQ(a.quota_per_day(), spec_.frequency_per_day);
    EXPECT_EQ(a.quota_left(), spec_.frequency_per_day - 2);  // two unattended syncs today
    EXPECT_GT(a.next_run().seconds(), a.last_attempt().seconds());
  }

  // Metrics on the loopback port, in the Prometheus text format.
  const std::string metrics = HttpGet(d.metrics_port(), "/metrics");
  EXPECT_NE(metrics.find("bankfeed_rpc_total{method=\"Admin.TriggerSync\",code=\"OK\"} 2"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("bankfeed_sync_accounts_total{outcome=\"ok\"} 6"), std::string::npos);
  EXPECT_NE(metrics.find("# TYPE bankfeed_rpc_duration_seconds histogram"), std::string::npos);
  EXPECT_NE(metrics.find("bankfeed_feed_changes_served_total"), std::string::npos);

  // Forget: the customer's rows are gone and the consent is revoked at the bank.
  v1::ForgetRequest forget;
  forget.set_customer_id(c.customer_id);
  v1::ForgetResponse forgotten;
  ASSERT_TRUE(d.admin()->Forget(d.Context(kTenantA).get(), forget, &forgotten).ok());
  EXPECT_EQ(forgotten.accounts(), 3);
  EXPECT_EQ(static_cast<size_t>(forgotten.transactions()), truth.size());
  accounts.Clear();
  ASSERT_TRUE(d.accounts()->ListAccounts(d.Context(kTenantA).get(), {}, &accounts).ok());
  EXPECT_EQ(accounts.accounts_size(), 0);

  EXPECT_EQ(d.Stop(), 0) << d.log();
  // The log is JSON lines and holds neither the PSU id nor the tokens.
  const std::string log = d.log();
  EXPECT_NE(log.find("\"event\":\"daemon.started\""), std::string::npos) << log;
  EXPECT_EQ(log.find("psu-1"), std::string::npos);
  EXPECT_EQ(log.find("token-of-tenant"), std::string::npos);
}

TEST_F(DaemonTest, QuarantinedRowsShowInTheSyncResultTheStatusTheMetricsAndForget) {
  // One booked row of psu-1's first account, which the bank writes day first: the test profile cannot read it.
  spec_.days = 20;
  spec_.frequency_per_day = 50;
  auto probe = sandbox::ParseScenario(SimulationScenario(spec_), "sim.yaml", "berlin-group");
  ASSERT_TRUE(probe);
  std::string unusable;
  for (const auto& t : probe->FindPsu("psu-1")->accounts.front().transactions) {
    if (t.status == sandbox::TxStatus::kBooked) {
      unusable = t.id;
      break;
    }
  }
  ASSERT_FALSE(unusable.empty());
  SetUpBank("  wire: {day_first_rows: [" + unusable + "]}\n");
  DaemonProcess d(*workspace_);
  ASSERT_TRUE(d.Start(today_.ToString()));
  const Customer c = ConsentThroughDaemon(d, kTenantA);

  const v1::TriggerSyncResponse synced = TriggerSync(d, kTenantA, c);
  int64_t quarantined = 0;
  for (const auto& a : synced.accounts()) {
    EXPECT_EQ(a.outcome(), v1::SYNC_OUTCOME_OK) << a.error_message();
    quarantined += a.quarantined();
  }
  EXPECT_EQ(quarantined, 1);
  v1::GetSyncStatusResponse status;
  ASSERT_TRUE(d.admin()->GetSyncStatus(d.Context(kTenantA).get(), {}, &status).ok());
  quarantined = 0;
  for (const auto& a : status.accounts()) quarantined += a.quarantined();
  EXPECT_EQ(quarantined, 1);
  const std::string metrics = HttpGet(d.metrics_port(), "/metrics");
  EXPECT_NE(metrics.find("bankfeed_quarantined_rows{bank=\"test-bank\"} 1\n"), std::string::npos) << metrics;

  v1::ForgetRequest forget;
  forget.set_customer_id(c.customer_id);
  v1::ForgetResponse forgotten;
  ASSERT_TRUE(d.admin()->Forget(d.Context(kTenantA).get(), forget, &forgotten).ok());
  EXPECT_EQ(forgotten.quarantined(), 1);
  EXPECT_EQ(d.Stop(), 0) << d.log();
}

TEST_F(DaemonTest, SubscribeReceivesANewTransactionWithinOneSecondOfTheSync) {
  SetUpBank();
  DaemonProcess d(*workspace_);
  ASSERT_TRUE(d.Start(today_.ToString()));
  const Customer c = ConsentThroughDaemon(d, kTenantA);

  auto ctx = d.Context(kTenantA);
  v1::SubscribeRequest request;
  auto stream = d.feed()->Subscribe(ctx.get(), request);
  v1::SyncResponse first;
  ASSERT_TRUE(stream->Read(&first));  // at once: nothing yet, with the cursor to resume from
  EXPECT_EQ(first.changes_size(), 0);
  EXPECT_FALSE(first.next_cursor().empty());

  std::atomic<int64_t> received_at_ns{0};
  std::atomic<int> received{0};
  std::thread reader([&] {
    v1::SyncResponse page;
    while (stream->Read(&page)) {
      if (page.changes_size() > 0 && received_at_ns.load() == 0) {
        received_at_ns = Clock::now().time_since_epoch().count();
      }
      received += page.changes_size();
    }
  });
  const v1::TriggerSyncResponse synced = TriggerSync(d, kTenantA, c);
  const int64_t synced_at_ns = Clock::now().time_since_epoch().count();
  int added = 0;
  for (const auto& a : synced.accounts()) added += a.added();
  ASSERT_GT(added, 0);
  const auto until = Clock::now() + std::chrono::seconds(5);
  while (received.load() < added && Clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ctx->TryCancel();  // a client that goes away mid-stream costs the daemon nothing
  reader.join();
  ASSERT_NE(received_at_ns.load(), 0) << "no change arrived";
  EXPECT_LT(received_at_ns.load() - synced_at_ns, 1'000'000'000) << "the first change came more than 1 s after the sync";
  EXPECT_EQ(received.load(), added);
  EXPECT_EQ(d.Stop(), 0) << d.log();
}

TEST_F(DaemonTest, ACursorResumesAfterARestartWithoutLosingOrRepeatingAChange) {
  SetUpBank("", 24);
  DaemonProcess d(*workspace_);
  const Date day1{today_.days_since_epoch - 4};
  bank().clock().Set(day1);
  ASSERT_TRUE(d.Start(day1.ToString()));
  const Customer c = ConsentThroughDaemon(d, kTenantA);
  TriggerSync(d, kTenantA, c);
  // The client reads part of the feed and keeps its cursor.
  std::map<std::string, FeedTransaction> current;
  int64_t last_seq = 0;
  const std::string cursor = ReadFeed(d, kTenantA, "", 10, current, last_seq, /*max_pages=*/3);
  ASSERT_EQ(current.size(), 30u);
  ASSERT_EQ(d.Stop(), 0) << d.log();

  // Four days on: pending rows book, new ones arrive; the daemon restarts and syncs.
  bank().clock().Set(today_);
  ASSERT_TRUE(d.Start(today_.ToString()));
  TriggerSync(d, kTenantA, c);
  ReadFeed(d, kTenantA, cursor, 10, current, last_seq);
  const TruthKeys truth = TruthAt(scenario_, today_);
  const TruthKeys got = FeedKeys(current, ResourceIds());
  EXPECT_EQ(got, truth) << Difference(truth, got);
  EXPECT_EQ(d.Stop(), 0) << d.log();
}

// The daemon reads each bank profile once (not for every consent it syncs), and again after SIGHUP.
TEST_F(DaemonTest, ProfilesAreReadOnceAndAgainAfterSighup) {
  SetUpBank();
  DaemonProcess d(*workspace_, "");
  ASSERT_TRUE(d.Start(today_.ToString()));
  ConsentThroughDaemon(d, kTenantA);
  std::ofstream(workspace_->dir() + "/profiles/test-bank.yaml", std::ios::trunc) << "id: test-bank\n";  // broken
  v1::StartConsentRequest start = RedirectConsentRequest();
  v1::StartConsentResponse started;
  grpc::Status cached = d.consents()->StartConsent(d.Context(kTenantA).get(), start, &started);
  EXPECT_TRUE(cached.ok()) << "the profile read before: " << cached.error_message();
  ASSERT_EQ(::kill(d.pid(), SIGHUP), 0);
  grpc::Status reread;
  for (int i = 0; i < 100; ++i) {  // the signal is handled on the daemon's own thread
    reread = d.consents()->StartConsent(d.Context(kTenantA).get(), start, &started);
    if (!reread.ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(reread.error_code(), grpc::StatusCode::INTERNAL) << reread.error_message();
  EXPECT_NE(reread.error_message().find("name: missing"), std::string::npos) << reread.error_message();
  EXPECT_EQ(d.Stop(), 0) << "SIGHUP does not stop the daemon";
}

TEST_F(DaemonTest, CallsWithoutValidCredentialsAreRejected) {
  SetUpBank();
  DaemonProcess d(*workspace_);
  ASSERT_TRUE(d.Start(today_.ToString()));
  v1::SyncResponse page;
  grpc::Status s = d.feed()->Sync(d.Context("").get(), {}, &page);  // no token at all
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(s.error_message(), "authorization: missing bearer token or client certificate");

  grpc::ClientContext wrong;
  wrong.AddMetadata("authorization", "Bearer not-a-configured-token-0123456789abcdef");
  s = d.feed()->Sync(&wrong, {}, &page);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(s.error_message().find("not-a-configured"), std::string::npos);

  grpc::ClientContext basic;
  basic.AddMetadata("authorization", "Basic dXNlcjpwYXNz");
  v1::ListAccountsResponse accounts;
  EXPECT_EQ(d.accounts()->ListAccounts(&basic, {}, &accounts).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  v1::TriggerSyncResponse synced;
  EXPECT_EQ(d.admin()->TriggerSync(d.Context("").get(), {}, &synced).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  v1::StartConsentResponse started;
  EXPECT_EQ(d.consents()->StartConsent(d.Context("").get(), {}, &started).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  auto ctx = d.Context("");
  auto stream = d.feed()->Subscribe(ctx.get(), {});
  EXPECT_FALSE(stream->Read(&page));
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(d.Stop(), 0);
}

TEST_F(DaemonTest, ATenantCannotSeeOrTouchAnotherTenantsData) {
  SetUpBank();
  DaemonProcess d(*workspace_);
  ASSERT_TRUE(d.Start(today_.ToString()));
  const Customer a = ConsentThroughDaemon(d, kTenantA);
  TriggerSync(d, kTenantA, a);
  std::map<std::string, FeedTransaction> current;
  int64_t last_seq = 0;
  const std::string a_cursor = ReadFeed(d, kTenantA, "", 1000, current, last_seq);
  ASSERT_FALSE(current.empty());
  const std::string account_id = current.begin()->second.transaction.account_id.value_or("");

  // Tenant B sees nothing of A's...
  v1::SyncResponse page;
  ASSERT_TRUE(d.feed()->Sync(d.Context(kTenantB).get(), {}, &page).ok());
  EXPECT_EQ(page.changes_size(), 0);
  v1::ListAccountsResponse accounts;
  ASSERT_TRUE(d.accounts()->ListAccounts(d.Context(kTenantB).get(), {}, &accounts).ok());
  EXPECT_EQ(accounts.accounts_size(), 0);
  // ... and A's ids are unknown to it, exactly like ids that do not exist.
  v1::SyncRequest foreign_cursor;
  foreign_cursor.set_cursor(a_cursor);
  grpc::Status s = d.feed()->Sync(d.Context(kTenantB).get(), foreign_cursor, &page);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("cursor: ", 0), 0u) << s.error_message();
  v1::GetBalancesRequest balances;
  balances.set_customer_id(a.customer_id);
  balances.set_account_id(account_id);
  v1::GetBalancesResponse balances_out;
  EXPECT_EQ(d.accounts()->GetBalances(d.Context(kTenantB).get(), balances, &balances_out).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::ListAccountsRequest list;
  list.set_customer_id(a.customer_id);
  EXPECT_EQ(d.accounts()->ListAccounts(d.Context(kTenantB).get(), list, &accounts).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::TriggerSyncRequest sync;
  sync.set_consent_id(a.consent_id);
  v1::TriggerSyncResponse synced;
  EXPECT_EQ(d.admin()->TriggerSync(d.Context(kTenantB).get(), sync, &synced).error_code(), grpc::StatusCode::NOT_FOUND);
  v1::RevokeConsentRequest revoke;
  revoke.set_consent_id(a.consent_id);
  v1::ConsentState state;
  s = d.consents()->RevokeConsent(d.Context(kTenantB).get(), revoke, &state);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message(), "consent_id: not found");
  v1::ForgetRequest forget;
  forget.set_psu_id("psu-1");
  v1::ForgetResponse forgotten;
  s = d.admin()->Forget(d.Context(kTenantB).get(), forget, &forgotten);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message().find("psu-1"), std::string::npos);
  v1::GetSyncStatusResponse status;
  ASSERT_TRUE(d.admin()->GetSyncStatus(d.Context(kTenantB).get(), {}, &status).ok());
  EXPECT_EQ(status.accounts_size(), 0);

  // A's data is intact after all of B's attempts.
  v1::ListAccountsResponse a_accounts;
  ASSERT_TRUE(d.accounts()->ListAccounts(d.Context(kTenantA).get(), {}, &a_accounts).ok());
  EXPECT_EQ(a_accounts.accounts_size(), 3);
  EXPECT_EQ(d.Stop(), 0);
}

TEST_F(DaemonTest, BadArgumentsGetTypedErrorsNamingTheFieldAndNoPersonalData) {
  SetUpBank();
  DaemonProcess d(*workspace_, "  limits: {forget_wait_seconds: 1}\n");
  ASSERT_TRUE(d.Start(today_.ToString()));
  const Customer c = ConsentThroughDaemon(d, kTenantA);
  const auto expect = [](const grpc::Status& s, grpc::StatusCode code, const std::string& prefix) {
    EXPECT_EQ(s.error_code(), code) << s.error_message();
    EXPECT_EQ(s.error_message().rfind(prefix, 0), 0u) << s.error_message();
    EXPECT_EQ(s.error_message().find("psu-1"), std::string::npos);
  };
  v1::SyncResponse page;
  v1::SyncRequest sync;
  sync.set_page_size(1'000'000);
  expect(d.feed()->Sync(d.Context(kTenantA).get(), sync, &page), grpc::StatusCode::INVALID_ARGUMENT, "page_size: ");
  sync.set_page_size(-1);
  expect(d.feed()->Sync(d.Context(kTenantA).get(), sync, &page), grpc::StatusCode::INVALID_ARGUMENT, "page_size: ");
  sync.set_page_size(10);
  sync.set_cursor("bfc1" + std::string(56, '0'));
  expect(d.feed()->Sync(d.Context(kTenantA).get(), sync, &page), grpc::StatusCode::INVALID_ARGUMENT, "cursor: ");
  sync.set_cursor(std::string(100'000, 'x'));
  expect(d.feed()->Sync(d.Context(kTenantA).get(), sync, &page), grpc::StatusCode::INVALID_ARGUMENT, "cursor: ");
  v1::GetBalancesRequest balances;
  balances.set_customer_id(c.customer_id);
  balances.set_account_id("acc_" + std::string(32, '0'));
  v1::GetBalancesResponse balances_out;
  expect(d.accounts()->GetBalances(d.Context(kTenantA).get(), balances, &balances_out), grpc::StatusCode::NOT_FOUND,
         "account_id: ");
  balances.set_account_id("DE89370400440532013000");
  expect(d.accounts()->GetBalances(d.Context(kTenantA).get(), balances, &balances_out),
         grpc::StatusCode::INVALID_ARGUMENT, "account_id: ");
  v1::StartConsentRequest start;
  start.set_bank_id("no-such-bank");
  start.set_psu_id("psu-1");
  v1::StartConsentResponse started;
  expect(d.consents()->StartConsent(d.Context(kTenantA).get(), start, &started), grpc::StatusCode::NOT_FOUND,
         "bank_id: ");
  start.set_bank_id("test-bank");
  start.set_valid_until("31.12.2025");
  expect(d.consents()->StartConsent(d.Context(kTenantA).get(), start, &started), grpc::StatusCode::INVALID_ARGUMENT,
         "valid_until: ");
  // Permissions Berlin Group cannot express are refused, not widened: every account's transactions without balances.
  start.set_valid_until("2025-12-31");
  start.set_scope(v1::StartConsentRequest::SCOPE_ALL_ACCOUNTS);
  start.mutable_permissions()->set_transactions(true);
  start.mutable_permissions()->set_transaction_details(true);
  start.mutable_permissions()->set_credits(true);
  start.mutable_permissions()->set_debits(true);
  grpc::Status narrower = d.consents()->StartConsent(d.Context(kTenantA).get(), start, &started);
  EXPECT_EQ(narrower.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << narrower.error_message();
  EXPECT_NE(narrower.error_message().find("consent.permissions: Berlin Group cannot ask for every account's "
                                          "transactions without their balances"),
            std::string::npos)
      << narrower.error_message();
  start.clear_permissions();
  // The bank refuses the consent (a PSU it does not know): nothing about that customer is stored, so there is
  // nobody to forget.
  start.set_psu_id("psu-stranger");
  grpc::Status refused = d.consents()->StartConsent(d.Context(kTenantA).get(), start, &started);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << refused.error_message();
  EXPECT_EQ(refused.error_message().find("psu-stranger"), std::string::npos) << refused.error_message();
  v1::ForgetRequest forget_stranger;
  forget_stranger.set_psu_id("psu-stranger");
  v1::ForgetResponse stranger_forgotten;
  EXPECT_EQ(d.admin()->Forget(d.Context(kTenantA).get(), forget_stranger, &stranger_forgotten).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // Another process holds the consent (a `bankfeed sync`, a CLI consent command; here a lease through a Store of
  // its own): the daemon neither updates it nor syncs it meanwhile, and says so.
  {
    auto other = workspace_->OpenStore();
    ASSERT_TRUE(other);
    auto lease = other->TryLeaseConsent(kTenantA, c.consent_id);
    ASSERT_TRUE(lease && *lease);
    v1::GetConsentStatusRequest status_request;
    status_request.set_consent_id(c.consent_id);
    v1::ConsentState state;
    expect(d.consents()->GetConsentStatus(d.Context(kTenantA).get(), status_request, &state),
           grpc::StatusCode::UNAVAILABLE, "consent_id: busy");
    v1::TriggerSyncRequest held;
    held.set_customer_id(c.customer_id);
    v1::TriggerSyncResponse skipped;
    ASSERT_TRUE(d.admin()->TriggerSync(d.Context(kTenantA).get(), held, &skipped).ok());
    ASSERT_GT(skipped.accounts_size(), 0);
    for (const v1::AccountSyncResult& a : skipped.accounts()) {
      EXPECT_TRUE(a.skipped());
      EXPECT_NE(a.error_message().find("busy"), std::string::npos) << a.error_message();
    }
    // Nor erases the customer: after limits.forget_wait_seconds, UNAVAILABLE with nothing revoked or deleted.
    v1::ForgetRequest busy_forget;
    busy_forget.set_customer_id(c.customer_id);
    v1::ForgetResponse busy_forgotten;
    const grpc::Status busy = d.admin()->Forget(d.Context(kTenantA).get(), busy_forget, &busy_forgotten);
    EXPECT_EQ(busy.error_code(), grpc::StatusCode::UNAVAILABLE) << busy.error_message();
    EXPECT_NE(busy.error_message().find("consent " + c.consent_id + " is busy"), std::string::npos)
        << busy.error_message();
    EXPECT_NE(busy.error_message().find("nothing revoked or deleted"), std::string::npos) << busy.error_message();
    lease->reset();
    EXPECT_TRUE(d.consents()->GetConsentStatus(d.Context(kTenantA).get(), status_request, &state).ok());
    EXPECT_EQ(state.status(), v1::CONSENT_STATUS_VALID);  // still valid at the bank: not revoked
  }
  v1::TriggerSyncRequest trigger;
  v1::TriggerSyncResponse synced;
  expect(d.admin()->TriggerSync(d.Context(kTenantA).get(), trigger, &synced), grpc::StatusCode::INVALID_ARGUMENT,
         "customer_id: ");
  v1::ForgetRequest forget;
  forget.set_psu_id("psu-unknown-42");
  v1::ForgetResponse forgotten;
  grpc::Status s = d.admin()->Forget(d.Context(kTenantA).get(), forget, &forgotten);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message().find("psu-unknown-42"), std::string::npos) << s.error_message();
  EXPECT_EQ(d.Stop(), 0);

  // A malformed configuration: bankfeedd refuses to start (exit 78), naming the key, never echoing a value.
  std::string config = ReadFileText(d.config());
  const std::string tokens = "token_sha256: [";
  const size_t at = config.find(tokens);
  ASSERT_NE(at, std::string::npos);
  config.replace(at + tokens.size(), 64, "secret-looking-but-not-a-hash");
  const std::string bad = workspace_->dir() + "/bad.yaml";
  std::ofstream(bad) << config;
  const std::string command = std::string(BANKFEEDD) + " --config " + bad + " --check-config 2>" +
                              workspace_->dir() + "/bad.err";
  const int rc = std::system(command.c_str());
  EXPECT_EQ(WEXITSTATUS(rc), 78);
  const std::string err = ReadFileText(workspace_->dir() + "/bad.err");
  EXPECT_NE(err.find("daemon.tenants[0].token_sha256[0]: expected a SHA-256"), std::string::npos) << err;
  EXPECT_EQ(err.find("secret-looking"), std::string::npos) << err;
}

TEST_F(DaemonTest, ForgetWaitsForTheDaemonsOwnSyncOnlyUpToItsBound) {
  // Slow pages: the customer's sync runs for several seconds.
  SetUpBank("  latency_ms: 150\n");
  DaemonProcess d(*workspace_, "  limits: {forget_wait_seconds: 1}\n");
  ASSERT_TRUE(d.Start(today_.ToString()));
  const Customer c = ConsentThroughDaemon(d, kTenantA);
  grpc::Status sync_status;
  const int64_t requests_before = stats().api_requests.load();
  const auto sync_started = Clock::now();
  std::thread trigger([&] {
    v1::TriggerSyncRequest request;
    request.set_customer_id(c.customer_id);
    v1::TriggerSyncResponse response;
    sync_status = d.admin()->TriggerSync(d.Context(kTenantA).get(), request, &response);
  });
  // Once the sync has reached the bank, it holds the consent.
  while (stats().api_requests.load() == requests_before && Clock::now() - sync_started < std::chrono::seconds(10)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  v1::ForgetRequest forget;
  forget.set_customer_id(c.customer_id);
  v1::ForgetResponse forgotten;
  const auto forget_started = Clock::now();
  const grpc::Status busy = d.admin()->Forget(d.Context(kTenantA).get(), forget, &forgotten);
  const auto waited = Clock::now() - forget_started;
  trigger.join();
  const auto sync_took = Clock::now() - sync_started;
  ASSERT_TRUE(sync_status.ok()) << sync_status.error_message();
  // The sync outlasted the forget's bound, so the forget gave up after about a second, with nothing revoked or
  // deleted, and the sync committed its rows.
  ASSERT_GT(sync_took, waited) << "the sync ended before the forget gave up";
  EXPECT_EQ(busy.error_code(), grpc::StatusCode::UNAVAILABLE) << busy.error_message();
  EXPECT_EQ(busy.error_message().rfind("customer_id: this daemon is still syncing", 0), 0u) << busy.error_message();
  EXPECT_NE(busy.error_message().find("nothing revoked or deleted"), std::string::npos) << busy.error_message();
  EXPECT_GE(waited, std::chrono::milliseconds(900));
  EXPECT_LT(waited, std::chrono::seconds(5));
  v1::GetConsentStatusRequest status_request;
  status_request.set_consent_id(c.consent_id);
  v1::ConsentState state;
  ASSERT_TRUE(d.consents()->GetConsentStatus(d.Context(kTenantA).get(), status_request, &state).ok());
  EXPECT_EQ(state.status(), v1::CONSENT_STATUS_VALID);
  // With the sync done, the same call goes through.
  const grpc::Status done = d.admin()->Forget(d.Context(kTenantA).get(), forget, &forgotten);
  ASSERT_TRUE(done.ok()) << done.error_message();
  EXPECT_EQ(forgotten.consents(), 1);
  EXPECT_GT(forgotten.transactions(), 0);
  EXPECT_EQ(d.Stop(), 0);
}

TEST_F(DaemonTest, SigtermDuringASyncStopsCleanlyAndLeavesTheStoreConsistent) {
  // Slow pages, so that SIGTERM lands in the middle of the sync.
  SetUpBank("  latency_ms: 120\n");
  DaemonProcess d(*workspace_);
  ASSERT_TRUE(d.Start(today_.ToString()));
  const Customer c = ConsentThroughDaemon(d, kTenantA);
  // A Subscribe stream is open too: it must end with OK.
  auto sub_ctx = d.Context(kTenantA);
  auto stream = d.feed()->Subscribe(sub_ctx.get(), {});
  std::thread subscriber([&] {
    v1::SyncResponse page;
    while (stream->Read(&page)) {
    }
  });
  grpc::Status sync_status;
  std::thread trigger([&] {
    v1::TriggerSyncRequest request;
    request.set_customer_id(c.customer_id);
    v1::TriggerSyncResponse response;
    sync_status = d.admin()->TriggerSync(d.Context(kTenantA).get(), request, &response);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const auto stop_started = Clock::now();
  EXPECT_EQ(d.Stop(), 0) << d.log();
  EXPECT_LT(Clock::now() - stop_started, std::chrono::seconds(12));
  trigger.join();
  subscriber.join();
  EXPECT_TRUE(stream->Finish().ok());
  // The sync either finished or was cut short between accounts; never an error inside one.
  EXPECT_TRUE(sync_status.ok() || sync_status.error_code() == grpc::StatusCode::UNAVAILABLE ||
              sync_status.error_code() == grpc::StatusCode::CANCELLED)
      << sync_status.error_message();

  // Each account holds all of its truth or none of it.
  const std::map<std::string, TruthKeys> truth = ByAccount(TruthAt(scenario_, today_));
  std::map<std::string, TruthKeys> stored;
  {
    auto store = workspace_->OpenStore();
    ASSERT_TRUE(store);
    Feed feed(*store);
    std::map<std::string, FeedTransaction> current;
    std::string cursor;
    for (;;) {
      auto page = feed.Sync(kTenantA, cursor, 500);
      ASSERT_TRUE(page) << page.error().ToString();
      ApplyFeed(page->changes, current);
      cursor = page->next_cursor;
      if (!page->has_more) break;
    }
    for (const std::string& key : FeedKeys(current, ResourceIds())) stored[key.substr(0, key.find('|'))].insert(key);
  }
  for (const auto& [account, keys] : stored) {
    auto it = truth.find(account);
    ASSERT_NE(it, truth.end()) << account;
    EXPECT_EQ(keys, it->second) << "account " << account << " is half synced";
  }
  EXPECT_LT(stored.size(), truth.size()) << "SIGTERM came too late to interrupt the sync; the test proves nothing";

  // Restarted, the daemon finishes the job.
  ASSERT_TRUE(d.Start(today_.ToString()));
  TriggerSync(d, kTenantA, c);
  std::map<std::string, FeedTransaction> current;
  int64_t last_seq = 0;
  ReadFeed(d, kTenantA, "", 1000, current, last_seq);
  const TruthKeys all = TruthAt(scenario_, today_);
  EXPECT_EQ(FeedKeys(current, ResourceIds()), all) << Difference(all, FeedKeys(current, ResourceIds()));
  EXPECT_EQ(d.Stop(), 0);
}

}  // namespace
}  // namespace bankfeed::testing
