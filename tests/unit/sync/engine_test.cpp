// The sync engine against a scripted connector and a real (temporary) SQLite store: per-account outcomes, windows,
// retry_at, per-bank limits, and the feed's cursors.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "bankfeed/feed.hpp"
#include "bankfeed/ids.hpp"
#include "bankfeed/sync.hpp"
#include "unit/temp_store.hpp"

namespace bankfeed {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::system_clock;

Date D(const char* s) { return *Date::Parse(s); }
Clock::time_point NoonOf(Date d) { return Clock::time_point(std::chrono::seconds(int64_t{d.days_since_epoch} * 86400 + 43200)); }

Transaction Booked(const char* date, const char* amount, const char* remittance) {
  Transaction t;
  t.status = TransactionStatus::kBooked;
  t.booking_date = t.value_date = D(date);
  t.amount = *Money::Parse(amount, "EUR");
  t.remittance = remittance;
  return t;
}

// What the fake bank holds and how it fails; shared by every connector the factory makes.
struct FakeBank {
  std::mutex mu;
  std::vector<Transaction> rows;                // per account the same rows
  std::vector<RefusedRow> refused;              // rows the mapping could not normalize, per account the same
  std::optional<Error> fail_transactions;       // returned by GetTransactions
  std::vector<TransactionQuery> queries;
  int list_accounts_calls = 0;
  std::atomic<int> running{0}, max_running{0};
  std::chrono::milliseconds delay{0};
  Date today;                                   // the bank's today: a query's dateTo when none is given
};

class FakeConnector : public Connector {
 public:
  FakeConnector(FakeBank& bank, BankProfile profile) : bank_(bank), profile_(std::move(profile)) {}
  const BankProfile& profile() const override { return profile_; }
  Result<ScaStep> StartConsent(const ConsentRequest&, const PsuContext&, ConsentGrant&) override { return ScaStep{}; }
  Result<ConsentStatus> CompleteConsent(ConsentGrant&, const CallbackParams&, const PsuContext&) override {
    return ConsentStatus::kValid;
  }
  Result<Consent> GetConsent(ConsentGrant&) override { return Consent{}; }
  Status RevokeConsent(ConsentGrant& grant) override {
    grant.status = ConsentStatus::kRevoked;
    return {};
  }
  Result<std::vector<Account>> ListAccounts(ConsentGrant&, const PsuContext&) override {
    std::lock_guard lock(bank_.mu);
    ++bank_.list_accounts_calls;
    std::vector<Account> out;
    for (const char* r : {"acc-1", "acc-2"}) {
      Account a;
      a.resource_id = r;
      a.currency = "EUR";
      a.id = AccountIdFor(a);
      out.push_back(a);
    }
    return out;
  }
  Result<std::vector<Balance>> GetBalances(ConsentGrant&, const Account& account, const PsuContext&) override {
    Balance b;
    b.account_id = account.id;
    b.type = "CLBD";
    b.amount = *Money::Parse("10.00", "EUR");
    return std::vector<Balance>{b};
  }
  Result<TransactionBatch> GetTransactions(ConsentGrant&, const Account& account, const TransactionQuery& query,
                                           const PsuContext&) override {
    const int now = ++bank_.running;
    for (int seen = bank_.max_running; now > seen && !bank_.max_running.compare_exchange_weak(seen, now);) {
    }
    std::this_thread::sleep_for(bank_.delay);
    --bank_.running;
    std::lock_guard lock(bank_.mu);
    bank_.queries.push_back(query);
    if (bank_.fail_transactions) return tl::unexpected(*bank_.fail_transactions);
    TransactionBatch batch;
    batch.date_from = query.date_from;
    batch.date_to = query.date_to.value_or(bank_.today);
    batch.pages = 1;
    for (Transaction t : bank_.rows) {
      if (t.booking_date && *t.booking_date < query.date_from) continue;
      t.account_id = account.id;
      batch.transactions.push_back(std::move(t));
    }
    AssignTransactionIds(batch.transactions);
    batch.refused = bank_.refused;
    return batch;
  }

 private:
  FakeBank& bank_;
  BankProfile profile_;
};

class SyncEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::FreshTestDir("engine");
    store_ = testing::OpenTempStore(dir_);
    ASSERT_TRUE(store_);
    profile_.id = "fake-bank";
    profile_.timezone = *TimeZone::Locate("Europe/Berlin");
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  std::string AddConsent(const std::string& tenant, const std::string& psu, const std::string& bank = "fake-bank") {
    auto customer = store_->EnsureCustomer(tenant, psu);
    EXPECT_TRUE(customer);
    ConsentRecord record{tenant, "", customer->handle, bank, {}};
    record.grant.bank_id = bank;
    record.grant.status = ConsentStatus::kValid;
    auto handle = store_->SaveConsent(record);
    EXPECT_TRUE(handle);
    return *handle;
  }

  SyncReport Run(SyncOptions options = {}) {
    if (!options.now) options.now = [this] { return NoonOf(today_); };
    bank_.today = today_;
    SyncEngine engine(*store_, [this](const std::string&) -> Result<std::unique_ptr<Connector>> {
      return std::make_unique<FakeConnector>(bank_, profile_);
    });
    auto report = engine.Run(options);
    EXPECT_TRUE(report) << report.error().ToString();
    return report ? *report : SyncReport{};
  }

  fs::path dir_;
  std::unique_ptr<Store> store_;
  BankProfile profile_;
  FakeBank bank_;
  Date today_ = D("2025-03-10");
};

TEST_F(SyncEngineTest, FirstSyncReadsTheProfilesHistoryAndASecondSyncOfTheSameDataChangesNothing) {
  AddConsent("t1", "psu-1");
  bank_.rows = {Booked("2025-03-01", "-1.00", "a"), Booked("2025-03-02", "-2.00", "b")};
  SyncReport first = Run({.tenant = "t1"});
  ASSERT_EQ(first.accounts.size(), 2u);
  EXPECT_TRUE(first.all_ok());
  EXPECT_EQ(first.added(), 4);
  EXPECT_EQ(bank_.queries[0].date_from, Date{D("2025-03-10").days_since_epoch - 90});

  SyncReport second = Run({.tenant = "t1"});
  EXPECT_TRUE(second.all_ok());
  EXPECT_EQ(second.added() + second.modified() + second.removed(), 0);
  // The window now starts at the last booked date minus the overlap.
  EXPECT_EQ(bank_.queries.back().date_from, Date{D("2025-03-02").days_since_epoch - 7});
  EXPECT_EQ(bank_.list_accounts_calls, 1);  // accounts are listed once, not on every sync
}

TEST_F(SyncEngineTest, RefusedRowsAreQuarantinedAndCountedAndAFailedSyncKeepsThem) {
  AddConsent("t1", "psu-1");
  bank_.rows = {Booked("2025-03-01", "-1.00", "a")};
  bank_.refused = {RefusedRow{"transactions.booked[1]",
                              Error(ErrorCode::kInvalidInput, "transactions.booked[1].bookingDate: not a date"),
                              R"({"bookingDate":"not a date"})", TransactionStatus::kBooked}};
  const SyncReport first = Run({.tenant = "t1"});
  ASSERT_EQ(first.accounts.size(), 2u);
  EXPECT_TRUE(first.all_ok()) << "a refused row does not fail the account";
  EXPECT_EQ(first.added(), 2);
  EXPECT_EQ(first.quarantined(), 2);
  for (const AccountSyncResult& a : first.accounts) {
    EXPECT_EQ(a.quarantined, 1);
    EXPECT_EQ(store_->GetAccount("t1", a.account)->state.quarantined, 1);
  }

  bank_.fail_transactions = Error(ErrorCode::kUnavailable, "read transactions page 1: 503");
  const SyncReport failed = Run({.tenant = "t1", .ignore_retry_at = true});
  ASSERT_EQ(failed.accounts.size(), 2u);
  EXPECT_EQ(failed.accounts[0].outcome, SyncOutcome::kBankUnavailable);
  EXPECT_EQ(failed.quarantined(), 2) << "the quarantine is untouched, and reported as it is";

  bank_.fail_transactions.reset();
  bank_.refused.clear();  // the bank sends the row no more, and it never normalizes: it stays in quarantine
  const SyncReport third = Run({.tenant = "t1", .ignore_retry_at = true});
  EXPECT_TRUE(third.all_ok());
  EXPECT_EQ(third.quarantined(), 2);
  EXPECT_EQ(third.removed(), 0);
}

TEST_F(SyncEngineTest, AnAccountWithoutBookingsRereadsOnlyTheOverlap) {
  AddConsent("t1", "psu-1");
  ASSERT_TRUE(Run({.tenant = "t1"}).all_ok());
  ASSERT_TRUE(Run({.tenant = "t1"}).all_ok());
  ASSERT_TRUE(Run({.tenant = "t1"}).all_ok());
  EXPECT_EQ(bank_.queries.back().date_from, Date{today_.days_since_epoch - 7});
}

TEST_F(SyncEngineTest, EachFailureBecomesItsOwnOutcomeAndKeepsWhatIsStored) {
  AddConsent("t1", "psu-1");
  bank_.rows = {Booked("2025-03-01", "-1.00", "a")};
  ASSERT_TRUE(Run({.tenant = "t1"}).all_ok());
  Feed feed(*store_);
  const auto before = feed.Sync("t1", "", 100);
  ASSERT_TRUE(before);

  const std::pair<ErrorCode, SyncOutcome> cases[] = {
      {ErrorCode::kAccessExceeded, SyncOutcome::kQuotaExhausted},
      {ErrorCode::kRateLimited, SyncOutcome::kRateLimited},
      {ErrorCode::kUnavailable, SyncOutcome::kBankUnavailable},
      {ErrorCode::kConsentExpired, SyncOutcome::kNeedsReconsent},
      {ErrorCode::kInvalidInput, SyncOutcome::kFailed},
  };
  for (const auto& [code, outcome] : cases) {
    Error e(code, "read transactions page 2: broken");
    e.retry_after = std::chrono::seconds(3600);
    bank_.fail_transactions = e;
    const SyncReport r = Run({.tenant = "t1", .ignore_retry_at = true});
    ASSERT_FALSE(r.accounts.empty());
    EXPECT_EQ(r.accounts[0].outcome, outcome) << ErrorCodeName(code);
    ASSERT_TRUE(r.accounts[0].error.has_value());
    EXPECT_EQ(r.accounts[0].error->code, code);
    auto stored = store_->GetAccount("t1", r.accounts[0].account);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->state.outcome, outcome);
    const auto after = feed.Sync("t1", "", 100);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->changes.size(), before->changes.size()) << "nothing stored is lost";
  }
}

TEST_F(SyncEngineTest, AFullDiskFailsTheAccountAndKeepsTheOldStateUntilThereIsRoomAgain) {
  AddConsent("t1", "psu-1");
  bank_.rows = {Booked("2025-03-01", "-1.00", "a")};
  ASSERT_TRUE(Run({.tenant = "t1"}).all_ok());
  Feed feed(*store_);
  const auto before = feed.Sync("t1", "", kMaxFeedPage);
  ASSERT_TRUE(before);

  // Reopen the store with no room to grow, and bring many new rows.
  store_.reset();
  SqliteStoreOptions full;
  full.path = (dir_ / "db").string();
  full.key_file = (dir_ / "keys").string();
  full.max_page_count = static_cast<int64_t>(fs::file_size(full.path) / 4096) + 1;
  auto store = OpenSqliteStore(full);
  ASSERT_TRUE(store) << store.error().ToString();
  store_ = std::move(*store);
  for (int i = 0; i < 400; ++i) {
    bank_.rows.push_back(Booked("2025-03-05", "-2.00", ("remittance text that takes room " + std::to_string(i)).c_str()));
  }
  const SyncReport failed = Run({.tenant = "t1"});
  ASSERT_FALSE(failed.accounts.empty());
  EXPECT_EQ(failed.accounts[0].outcome, SyncOutcome::kFailed);
  ASSERT_TRUE(failed.accounts[0].error.has_value());
  EXPECT_EQ(failed.accounts[0].error->code, ErrorCode::kUnavailable) << failed.accounts[0].error->ToString();
  Feed full_feed(*store_);
  const auto during = full_feed.Sync("t1", "", kMaxFeedPage);
  ASSERT_TRUE(during);
  EXPECT_EQ(during->changes.size(), before->changes.size());

  // Room again: the next sync converges.
  store_.reset();
  full.max_page_count = 0;
  store = OpenSqliteStore(full);
  ASSERT_TRUE(store);
  store_ = std::move(*store);
  EXPECT_TRUE(Run({.tenant = "t1"}).all_ok());
  Feed after_feed(*store_);
  const auto after = after_feed.Sync("t1", "", kMaxFeedPage);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->changes.size(), before->changes.size() + 800);
}

TEST_F(SyncEngineTest, AnAccountWaitingForItsRetryTimeIsNotAsked) {
  AddConsent("t1", "psu-1");
  Error quota(ErrorCode::kAccessExceeded, "quota");
  quota.retry_after = std::chrono::seconds(6 * 3600);
  bank_.fail_transactions = quota;
  Run({.tenant = "t1"});
  const size_t asked = bank_.queries.size();
  bank_.fail_transactions.reset();
  const SyncReport skipped = Run({.tenant = "t1"});
  EXPECT_EQ(bank_.queries.size(), asked);
  ASSERT_FALSE(skipped.accounts.empty());
  EXPECT_TRUE(skipped.accounts[0].skipped);
  EXPECT_EQ(skipped.accounts[0].outcome, SyncOutcome::kQuotaExhausted);
  ASSERT_TRUE(skipped.accounts[0].retry_at.has_value());

  today_ = D("2025-03-11");  // the next day: asked again
  EXPECT_TRUE(Run({.tenant = "t1"}).all_ok());
}

TEST_F(SyncEngineTest, AConsentThatIsNotValidNeedsReconsentWithoutAskingTheBank) {
  const std::string handle = AddConsent("t1", "psu-1");
  ASSERT_TRUE(Run({.tenant = "t1"}).all_ok());
  auto record = store_->LoadConsent("t1", handle);
  ASSERT_TRUE(record);
  record->grant.status = ConsentStatus::kExpired;
  ASSERT_TRUE(store_->SaveConsent(*record));
  const size_t asked = bank_.queries.size();
  const SyncReport r = Run({.tenant = "t1"});
  EXPECT_EQ(bank_.queries.size(), asked);
  ASSERT_EQ(r.accounts.size(), 2u);
  for (const auto& a : r.accounts) EXPECT_EQ(a.outcome, SyncOutcome::kNeedsReconsent);
}

TEST_F(SyncEngineTest, AConsentAnotherHolderHasIsNotAskedAndIsSyncedOnceReleased) {
  const std::string free = AddConsent("t1", "psu-1");  // listed first, so synced first in a one-at-a-time run
  const std::string held = AddConsent("t1", "psu-2");
  bank_.rows = {Booked("2025-03-01", "-1.00", "a")};
  ASSERT_TRUE(Run({.tenant = "t1"}).all_ok());  // both consents' accounts are known now
  bank_.rows.push_back(Booked("2025-03-05", "-5.00", "new"));

  // Another process (here: another Store on the same database) holds one consent, as a running `bankfeed sync` or
  // a consent update would.
  SqliteStoreOptions options;
  options.path = (dir_ / "db").string();
  options.key_file = (dir_ / "keys").string();
  auto other = OpenSqliteStore(options);
  ASSERT_TRUE(other) << other.error().ToString();
  auto lease = (*other)->TryLeaseConsent("t1", held);
  ASSERT_TRUE(lease && *lease);
  const size_t asked = bank_.queries.size();
  const SyncReport busy = Run({.tenant = "t1"});
  ASSERT_EQ(busy.accounts.size(), 4u);
  for (const AccountSyncResult& a : busy.accounts) {
    if (a.consent_handle == held) {
      EXPECT_TRUE(a.skipped);
      EXPECT_EQ(a.outcome, SyncOutcome::kOk) << "the stored outcome, unchanged";
      ASSERT_TRUE(a.error.has_value());
      EXPECT_NE(a.error->message.find("busy"), std::string::npos) << a.error->message;
      EXPECT_EQ(a.added, 0);
    } else {
      EXPECT_EQ(a.consent_handle, free);
      EXPECT_FALSE(a.skipped);
      EXPECT_EQ(a.added, 1);
    }
  }
  EXPECT_EQ(bank_.queries.size(), asked + 2) << "only the free consent's two accounts were asked for";

  // Next run, one consent at a time. While it syncs the free consent (it listed both grants before), the holder
  // refreshes the held consent's tokens and lets go: the run must sync that consent from the holder's grant, not
  // from the copy it listed, which would also be saved back over the refreshed tokens.
  bank_.delay = std::chrono::milliseconds(200);  // the free consent's two accounts: time for the holder to let go
  SyncReport next;
  std::thread run([&] { next = Run({.tenant = "t1", .max_parallel = 1, .per_bank_parallel = 1}); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (bank_.running.load() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  auto record = (*other)->LoadConsent("t1", held);
  EXPECT_TRUE(record);
  if (record) {
    record->grant.access_token = "refreshed-by-the-other-holder";
    EXPECT_TRUE((*other)->SaveConsent(*record));
  }
  lease->reset();  // whatever happened above: the run must not be left waiting
  run.join();
  EXPECT_TRUE(next.all_ok());
  for (const AccountSyncResult& a : next.accounts) EXPECT_FALSE(a.skipped);
  EXPECT_EQ(next.added(), 2) << "the held consent's two accounts catch up";
  auto after = store_->LoadConsent("t1", held);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->grant.access_token, "refreshed-by-the-other-holder");
}

TEST_F(SyncEngineTest, ConsentsRunInParallelButAtMostThePerBankLimitAtOneBank) {
  for (int i = 0; i < 6; ++i) AddConsent("t1", "psu-" + std::to_string(i));
  bank_.delay = std::chrono::milliseconds(30);
  const SyncReport r = Run({.tenant = "t1", .max_parallel = 6, .per_bank_parallel = 2});
  EXPECT_TRUE(r.all_ok());
  EXPECT_EQ(r.accounts.size(), 12u);
  EXPECT_EQ(bank_.max_running.load(), 2);
}

TEST_F(SyncEngineTest, TenantsAreSyncedAndReadApart) {
  AddConsent("t1", "psu-1");
  AddConsent("t2", "psu-1");
  bank_.rows = {Booked("2025-03-01", "-1.00", "a")};
  EXPECT_EQ(Run({.tenant = "t1"}).accounts.size(), 2u);
  Feed feed(*store_);
  auto t1 = feed.Sync("t1", "", 100);
  auto t2 = feed.Sync("t2", "", 100);
  ASSERT_TRUE(t1 && t2);
  EXPECT_EQ(t1->changes.size(), 2u);
  EXPECT_TRUE(t2->changes.empty());
  // A cursor of one tenant is refused for another.
  auto foreign = feed.Sync("t2", t1->next_cursor, 100);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(foreign.error().message, "cursor: not a cursor of this feed");
}

TEST_F(SyncEngineTest, CursorsAreCheckedAndResumeWhereTheyLeftOff) {
  AddConsent("t1", "psu-1");
  bank_.rows = {Booked("2025-03-01", "-1.00", "a"), Booked("2025-03-02", "-2.00", "b")};
  Run({.tenant = "t1"});
  Feed feed(*store_);
  auto page1 = feed.Sync("t1", "", 3);
  ASSERT_TRUE(page1);
  EXPECT_EQ(page1->changes.size(), 3u);
  EXPECT_TRUE(page1->has_more);
  auto page2 = feed.Sync("t1", page1->next_cursor, 3);
  ASSERT_TRUE(page2);
  EXPECT_EQ(page2->changes.size(), 1u);
  EXPECT_FALSE(page2->has_more);
  EXPECT_GT(page2->changes[0].seq, page1->changes.back().seq);

  std::string corrupt = page1->next_cursor;
  corrupt[10] = corrupt[10] == 'a' ? 'b' : 'a';
  // A genuine cursor of another store or tenant gets exactly the message a corrupt one does: none confirms that a
  // cursor is genuine.
  fs::create_directories(dir_ / "other");
  auto other_store = testing::OpenTempStore(dir_ / "other");
  ASSERT_TRUE(other_store);
  const std::string other_stores = Feed(*other_store).EncodeCursor("t1", 1);
  const std::string other_tenants = feed.EncodeCursor("t2", 0);
  for (const std::string& bad : {corrupt, std::string("bfc1xyz"), std::string("hello"), page1->next_cursor + "0",
                                 other_stores, other_tenants}) {
    auto r = feed.Sync("t1", bad, 10);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().message, "cursor: not a cursor of this feed") << bad;
  }
  EXPECT_FALSE(feed.Sync("t1", "", 0));
  EXPECT_FALSE(feed.Sync("t1", "", kMaxFeedPage + 1));
  EXPECT_EQ(feed.DecodeCursor("t1", feed.EncodeCursor("t1", 999)).error().message, "cursor: ahead of the feed");
}

TEST_F(SyncEngineTest, WaitWakesOnACommitAndTimesOutWithoutOne) {
  AddConsent("t1", "psu-1");
  Feed feed(*store_);
  auto empty = feed.Wait("t1", "", 10, std::chrono::milliseconds(50));
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->changes.empty());

  bank_.rows = {Booked("2025-03-01", "-1.00", "a")};
  std::thread syncer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    Run({.tenant = "t1", .on_commit = [&](const std::string& t, int64_t head) { feed.Notify(t, head); }});
  });
  const auto start = std::chrono::steady_clock::now();
  auto woken = feed.Wait("t1", empty->next_cursor, 10, std::chrono::seconds(10));
  syncer.join();
  ASSERT_TRUE(woken);
  EXPECT_FALSE(woken->changes.empty());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

// Issue 19: the feed hands out the store's keyed ids, never the mappings' unkeyed ones, and each tenant its own.
TEST(SyncEngineIds, TheFeedCarriesTheStoresKeyedIdsPerTenant) {
  const fs::path dir = testing::FreshTestDir("engine-ids");
  auto store = testing::OpenTempStore(dir);
  ASSERT_TRUE(store);
  FakeBank bank;
  bank.today = D("2025-03-10");
  bank.rows = {Booked("2025-03-01", "-1.00", "a"), Booked("2025-03-01", "-1.00", "a"),
               Booked("2025-03-02", "-2.00", "b")};
  BankProfile profile;
  profile.id = "fake-bank";
  profile.timezone = *TimeZone::Locate("Europe/Berlin");
  std::map<std::string, std::vector<FeedEntry>> feeds;
  for (const std::string tenant : {"t1", "t2"}) {
    auto customer = store->EnsureCustomer(tenant, "psu-1");
    ASSERT_TRUE(customer);
    ConsentRecord record{tenant, "", customer->handle, "fake-bank", {}};
    record.grant.bank_id = "fake-bank";
    record.grant.status = ConsentStatus::kValid;
    ASSERT_TRUE(store->SaveConsent(record));
    SyncEngine engine(*store, [&](const std::string&) -> Result<std::unique_ptr<Connector>> {
      return std::make_unique<FakeConnector>(bank, profile);
    });
    SyncOptions options;
    options.tenant = tenant;
    options.now = [] { return NoonOf(D("2025-03-10")); };
    auto report = engine.Run(options);
    ASSERT_TRUE(report && report->all_ok());
    auto read = store->ReadFeed(tenant, 0, 100);
    ASSERT_TRUE(read);
    ASSERT_EQ(read->entries.size(), 6u) << "3 rows (twins kept) on each of 2 accounts";
    feeds[tenant] = read->entries;
  }
  // What the connector's mapping gave: unkeyed account ids, and the content-hash transaction ids it assigned when
  // the engine asked for the stored accounts' rows.
  FakeConnector connector(bank, profile);
  ConsentGrant grant;
  auto listed = connector.ListAccounts(grant, {});
  auto stored = store->ListAccounts("t1");
  ASSERT_TRUE(listed && stored);
  std::set<std::string> unkeyed;
  for (const Account& a : *listed) unkeyed.insert(a.id);
  for (const AccountRecord& a : *stored) {
    auto batch = connector.GetTransactions(grant, a.account, TransactionQuery{D("2025-01-01"), std::nullopt}, {});
    ASSERT_TRUE(batch);
    for (const Transaction& t : batch->transactions) unkeyed.insert(t.id);
  }
  ASSERT_EQ(unkeyed.size(), 2u + 6u);
  std::set<std::string> t1_ids;
  for (const FeedEntry& e : feeds["t1"]) {
    EXPECT_FALSE(unkeyed.contains(e.account_id));
    EXPECT_FALSE(unkeyed.contains(e.transaction_id));
    EXPECT_EQ(e.transaction->transaction.id, e.transaction_id);
    EXPECT_EQ(e.transaction->transaction.account_id, std::optional<std::string>(e.account_id));
    t1_ids.insert(e.account_id);
    t1_ids.insert(e.transaction_id);
  }
  EXPECT_EQ(t1_ids.size(), 2u + 6u) << "twins keep distinct ids";
  for (const FeedEntry& e : feeds["t2"]) {
    EXPECT_FALSE(t1_ids.contains(e.account_id)) << "another tenant, other ids";
    EXPECT_FALSE(t1_ids.contains(e.transaction_id));
  }
  store.reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace bankfeed
