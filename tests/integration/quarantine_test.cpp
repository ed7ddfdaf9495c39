// Issue 21's quarantine bar, end to end: a sandbox bank writes a few rows' dates day first ("04/01/2025"), which the
// Berlin Group mapping refuses unless the profile says `quirks.date_order: day-first`. A sync stores every good row,
// reports the refused ones as quarantined and removes nothing; after the profile fix the next sync brings them into
// the feed exactly once, whether the bank still sends them (inside the window) or not (before it: recovered from
// the store). A row already in the feed that the bank starts writing unusably is quarantined, not removed. And a
// declared page overlap over refused rows is recognised as the same rows.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "bankfeed/store.hpp"
#include "bankfeed/sync.hpp"
#include "integration/cli_workspace.hpp"
#include "integration/sandbox_fixture.hpp"
#include "tools/sandbox/clock.hpp"
#include "unit/temp_store.hpp"

namespace bankfeed::testing::quarantine {  // a namespace of its own: the tests are compiled in batches
namespace {

namespace fs = std::filesystem;
using SystemClock = std::chrono::system_clock;

constexpr char kTenant[] = "tenant-quarantine";
constexpr int kRows = 20;  // ScenarioYaml: booked rows b0..b19, "card 0".."card 19", on 2025-01-01..20

class Quarantine : public SandboxTest {
 protected:
  void SetUp() override {
    dir_ = FreshTestDir("quarantine");
    store_ = OpenTempStore(dir_);
    ASSERT_TRUE(store_);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
    SandboxTest::TearDown();
  }

  // Starts the bank with `wire` (YAML, under behaviour.wire) and gives psu-1 a consent under profile_.
  void Start(const std::string& wire, const std::string& behaviour = "") {
    // Several syncs a day: a quota the tests do not run into.
    StartBank(ScenarioYaml(kRows, 0, behaviour + "  frequency_per_day: 100\n  wire: " + wire + "\n"));
    profile_ = Profile();
    SaveConsentOfPsu1(*store_, kTenant, profile_, [this] { return Noon(); }, 100);
  }

  SystemClock::time_point Noon() const {
    return SystemClock::time_point(std::chrono::seconds(int64_t{today_.days_since_epoch} * 86400 + 12 * 3600));
  }

  // One sync of every account under profile_ as it is now; the one account's result.
  AccountSyncResult Sync() {
    SyncEngine engine(*store_, [this](const std::string&) -> Result<std::unique_ptr<Connector>> {
      return Connect(profile_, [this] { return Noon(); });
    });
    SyncOptions options;
    options.tenant = kTenant;
    options.now = [this] { return Noon(); };
    options.ignore_retry_at = true;
    auto report = engine.Run(options);
    EXPECT_TRUE(report) << report.error().ToString();
    if (!report || report->accounts.size() != 1) {
      ADD_FAILURE() << "expected one account";
      return {};
    }
    const AccountSyncResult& r = report->accounts.front();
    EXPECT_EQ(r.outcome, SyncOutcome::kOk) << (r.error ? r.error->ToString() : "");
    return r;
  }

  // The feed replayed from the start: how often each remittance is there.
  std::map<std::string, int> FeedRows() {
    std::map<std::string, std::string> current;  // id → remittance
    auto read = store_->ReadFeed(kTenant, 0, 100000);
    EXPECT_TRUE(read) << read.error().ToString();
    if (!read) return {};
    for (const FeedEntry& e : read->entries) {
      if (e.kind == ChangeKind::kRemoved) {
        current.erase(e.transaction_id);
      } else if (e.transaction) {
        current[e.transaction_id] = e.transaction->transaction.remittance.value_or("");
      }
    }
    std::map<std::string, int> out;
    for (const auto& [id, remittance] : current) ++out[remittance];
    return out;
  }

  // Every row of the scenario once, but those in `missing`.
  static std::map<std::string, int> Truth(const std::set<int>& missing = {}) {
    std::map<std::string, int> out;
    for (int i = 0; i < kRows; ++i) {
      if (!missing.contains(i)) out["card " + std::to_string(i)] = 1;
    }
    return out;
  }

  fs::path dir_;
  std::unique_ptr<Store> store_;
  BankProfile profile_;
  Date today_ = *Date::Parse(kToday);
};

TEST_F(Quarantine, AProfileFixBringsQuarantinedRowsIntoTheFeedOnce) {
  Start("{day_first_rows: [b3, b11, b17]}");
  profile_.sync.overlap_days = 60;  // the next window covers every row: the fixed rows come through the fetch
  const AccountSyncResult first = Sync();
  EXPECT_EQ(first.added, kRows - 3);
  EXPECT_EQ(first.removed, 0);
  EXPECT_EQ(first.quarantined, 3);
  EXPECT_EQ(FeedRows(), Truth({3, 11, 17}));
  auto account = store_->GetAccount(kTenant, first.account);
  ASSERT_TRUE(account);
  EXPECT_EQ(account->state.quarantined, 3);
  EXPECT_EQ(account->state.outcome, SyncOutcome::kOk);

  // Unfixed, the next sync keeps them and changes nothing.
  const AccountSyncResult again = Sync();
  EXPECT_EQ(again.added + again.modified + again.removed, 0);
  EXPECT_EQ(again.quarantined, 3);

  profile_.quirks.values.date_order = DateOrder::kDayFirst;
  const AccountSyncResult fixed = Sync();
  EXPECT_EQ(fixed.added, 3);
  EXPECT_EQ(fixed.removed, 0);
  EXPECT_EQ(fixed.quarantined, 0);
  EXPECT_EQ(FeedRows(), Truth()) << "every row once";
  EXPECT_TRUE(store_->LoadQuarantine(first.account)->empty());
  const AccountSyncResult after = Sync();
  EXPECT_EQ(after.added + after.modified + after.removed, 0);
}

TEST_F(Quarantine, RowsOlderThanTheNextWindowAreRecoveredFromTheStoreOnce) {
  Start("{day_first_rows: [b1, b2, b5]}");
  ASSERT_EQ(Sync().quarantined, 3);
  profile_.quirks.values.date_order = DateOrder::kDayFirst;
  // The next window starts at the last booking (2025-01-20) minus 7 days: the bank no longer sends January 2-6.
  const AccountSyncResult fixed = Sync();
  EXPECT_EQ(fixed.added, 3);
  EXPECT_EQ(fixed.quarantined, 0);
  EXPECT_EQ(FeedRows(), Truth());
  EXPECT_EQ(Sync().added, 0);
  EXPECT_EQ(FeedRows(), Truth());
}

TEST_F(Quarantine, ARowInTheFeedThatTurnsUnusableIsQuarantinedNotRemoved) {
  Start("{day_first_rows: [b18, b19], day_first_from: 2025-02-01}");
  const AccountSyncResult first = Sync();
  EXPECT_EQ(first.added, kRows);
  EXPECT_EQ(first.quarantined, 0);

  today_ = *Date::Parse("2025-02-01");
  bank().clock().Set(today_);
  const AccountSyncResult changed = Sync();
  EXPECT_EQ(changed.quarantined, 2);
  EXPECT_EQ(changed.removed, 0);
  EXPECT_EQ(FeedRows(), Truth()) << "still in the feed";

  profile_.quirks.values.date_order = DateOrder::kDayFirst;
  const AccountSyncResult fixed = Sync();
  EXPECT_EQ(fixed.added + fixed.modified + fixed.removed, 0) << "the same rows as stored";
  EXPECT_EQ(fixed.quarantined, 0);
  EXPECT_EQ(FeedRows(), Truth());
}

TEST_F(Quarantine, ADeclaredPageOverlapOverRefusedRowsIsTheSameRows) {
  // Pages of 5, the last 2 rows repeated: booked rows go newest first, so b16 and b15 end page 1 and start page 2.
  Start("{day_first_rows: [b16, b15]}", "  page_size: 5\n  page_overlap: 2\n");
  profile_.quirks.page_overlap = 2;
  auto connector = Connect(profile_, [this] { return Noon(); });
  ConsentGrant grant = store_->ListConsents(kTenant)->front().grant;
  auto batch = connector->GetTransactions(grant, Acc1(), TransactionQuery{*Date::Parse("2024-12-01"), std::nullopt},
                                          Unattended());
  ASSERT_TRUE(batch) << batch.error().ToString();
  EXPECT_EQ(batch->transactions.size(), static_cast<size_t>(kRows - 2));
  ASSERT_EQ(batch->refused.size(), 2u) << "each refused row once, not once per page";
  for (const RefusedRow& r : batch->refused) {
    EXPECT_NE(r.error.message.find("bookingDate"), std::string::npos) << r.error.message;
    EXPECT_EQ(r.error.message.find("/2025"), std::string::npos) << "never the value: " << r.error.message;
  }
}

// The bar as a user meets it: `bankfeed sync` reports the quarantined rows, the profile file gets the quirk, the
// next `bankfeed sync` brings them in, and `bankfeed feed --all` lists every row once.
TEST_F(Quarantine, TheCliReportsQuarantinedRowsAndAProfileFileFixBringsThemInOnce) {
  StartBank(ScenarioYaml(kRows, 0, "  frequency_per_day: 100\n  wire: {day_first_rows: [b3, b11, b17]}\n"));
  CliWorkspace cli("quarantine-cli", pki_, bank().BaseUrl(), "");
  {
    auto store = cli.OpenStore();
    ASSERT_TRUE(store);
    auto customer = store->EnsureCustomer("default", "psu-1");
    ASSERT_TRUE(customer);
    auto connector = Connect(Profile(), [this] { return Noon(); });
    const ConsentGrant grant = Consent(*connector, ScaApproach::kRedirect, 100);
    ASSERT_TRUE(store->SaveConsent({"default", "", customer->handle, "test-bank", grant}));
  }
  const CliResult first = cli.Run({"sync", "--today", kToday});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_NE(first.out.find(": ok +17 ~0 -0 (1 page(s)), 3 row(s) quarantined\n"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("synced 1 account(s): +17 ~0 -0, 3 row(s) quarantined\n"), std::string::npos) << first.out;
  const CliResult json = cli.Run({"sync", "--today", kToday, "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(json.out.find("\"removed\":0,\"pages\":1,\"quarantined\":3,"), std::string::npos) << json.out;
  for (const std::string& text : {first.out, first.err, json.out, json.err}) {
    EXPECT_EQ(text.find("/01/2025"), std::string::npos) << "never a row's value: " << text;
  }

  std::ofstream(cli.dir() + "/profiles/test-bank.yaml", std::ios::app) << "  date_order: day-first\n";
  const CliResult fixed = cli.Run({"sync", "--today", kToday});
  ASSERT_EQ(fixed.exit_code, 0) << fixed.out << fixed.err;
  EXPECT_NE(fixed.out.find(": ok +3 ~0 -0"), std::string::npos) << fixed.out;
  EXPECT_EQ(fixed.out.find("quarantined"), std::string::npos) << fixed.out;

  const CliResult feed = cli.Run({"feed", "--all"});
  ASSERT_EQ(feed.exit_code, 0) << feed.err;
  for (int i = 0; i < kRows; ++i) {
    const std::string remittance = "\"remittance\":\"card " + std::to_string(i) + "\"";
    const size_t at = feed.out.find(remittance);
    EXPECT_NE(at, std::string::npos) << remittance;
    EXPECT_EQ(feed.out.find(remittance, at + 1), std::string::npos) << remittance << " twice";
  }
}

}  // namespace
}  // namespace bankfeed::testing::quarantine
