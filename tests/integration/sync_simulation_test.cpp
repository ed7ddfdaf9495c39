// The sync engine against a sandbox bank over 75 simulated days (issue 5's simulation bar; 25 in the sanitizer
// build, sim_scenario.hpp): every day the bank's date moves on, the engine syncs, and the feed replayed from the
// start must equal the bank's truth exactly — zero lost, zero duplicated — while a second sync of the same day yields
// zero changes. Pending rows book under new ids and changed amounts, ids run stable / unstable / none, pages
// overlap, twins are real, and the bank fails now and then.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

#include "bankfeed/feed.hpp"
#include "bankfeed/store.hpp"
#include "bankfeed/sync.hpp"
#include "crypto/keyring.hpp"
#include "integration/sandbox_fixture.hpp"
#include "integration/sim_scenario.hpp"
#include "tools/sandbox/clock.hpp"

namespace bankfeed::testing {
namespace {

namespace fs = std::filesystem;
using SystemClock = std::chrono::system_clock;

constexpr char kTenant[] = "tenant-sim";

struct Mode {
  std::string ids;
  int page_overlap;
  std::string faults;
};

void PrintTo(const Mode& m, std::ostream* os) { *os << "ids " << m.ids << ", overlap " << m.page_overlap; }

class SyncSimulation : public SandboxTest, public ::testing::WithParamInterface<Mode> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("bankfeed-sim-" + std::to_string(::getpid()) + "-" + GetParam().ids);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto keys = crypto::Keyring::Generate("k1");
    ASSERT_TRUE(keys);
    ASSERT_TRUE(keys->WriteKeyFile((dir_ / "keys").string()));
    auto store = OpenSqliteStore(StoreOptions(dir_));
    ASSERT_TRUE(store) << store.error().ToString();
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
    SandboxTest::TearDown();
  }

  SystemClock::time_point Noon() const {
    return SystemClock::time_point(std::chrono::seconds(int64_t{today_.load()} * 86400 + 12 * 3600));
  }

  fs::path dir_;
  std::unique_ptr<Store> store_;
  std::atomic<int32_t> today_{0};
};

TEST_P(SyncSimulation, SeventyFiveDaysReplayToTheTruthWithNothingLostOrDuplicated) {
  SimulationSpec spec;
  spec.seed = 20251121;
  spec.ids = GetParam().ids;
  spec.page_overlap = GetParam().page_overlap;
  spec.faults_yaml = GetParam().faults;
  spec.days /= kHistoryDivisor;
  const std::string yaml = SimulationScenario(spec);
  auto scenario = sandbox::ParseScenario(yaml, "sim.yaml", "berlin-group");
  ASSERT_TRUE(scenario) << scenario.error().message;
  StartBank(yaml);

  BankProfile profile = Profile();
  profile.quirks.trust_transaction_ids = spec.ids == "stable";
  profile.quirks.page_overlap = spec.page_overlap;
  const Date first_sync{spec.first.days_since_epoch + 3};
  today_ = first_sync.days_since_epoch;
  bank().clock().Set(first_sync);
  const auto now = [this] { return Noon(); };

  // The customer consents once (present), for the whole simulation.
  ASSERT_NO_FATAL_FAILURE(SaveConsentOfPsu1(*store_, kTenant, profile, now));

  SyncEngine engine(*store_, [&](const std::string&) -> Result<std::unique_ptr<Connector>> { return Connect(profile, now); });
  Feed feed(*store_);
  SyncOptions options;
  options.tenant = kTenant;
  options.now = now;
  options.ignore_retry_at = true;  // faults may set a Retry-After; the simulation moves whole days
  options.on_commit = [&](const std::string& tenant, int64_t head) { feed.Notify(tenant, head); };

  std::map<std::string, FeedTransaction> incremental;  // a client that reads the feed every day
  std::string cursor;
  const auto read_all = [&](std::string& from, std::map<std::string, FeedTransaction>& into) {
    for (;;) {
      auto page = feed.Sync(kTenant, from, 97);
      EXPECT_TRUE(page) << page.error().ToString();
      if (!page) return;
      ApplyFeed(page->changes, into);
      from = page->next_cursor;
      if (!page->has_more) return;
    }
  };
  const auto resource_ids = [&] {
    std::map<std::string, std::string> ids;
    auto accounts = store_->ListAccounts(kTenant);
    EXPECT_TRUE(accounts);
    if (accounts) {
      for (const auto& a : *accounts) ids[a.ref.account_id] = a.account.resource_id.value_or("?");
    }
    return ids;
  };

  const int last_day = spec.first.days_since_epoch + spec.days - 1;
  int days_checked = 0, days_failed = 0, total_changes = 0;
  for (int day = first_sync.days_since_epoch; day <= last_day; ++day) {
    today_ = day;
    bank().clock().Set(Date{day});
    auto report = engine.Run(options);
    ASSERT_TRUE(report) << report.error().ToString();
    if (day == last_day) {
      for (int retry = 0; retry < 5 && !report->all_ok(); ++retry) report = engine.Run(options);
      ASSERT_TRUE(report->all_ok()) << "the last day never synced cleanly";
    }
    total_changes += report->added() + report->modified() + report->removed();
    if (!report->all_ok()) {
      ++days_failed;
      for (const auto& a : report->accounts) {
        if (a.outcome != SyncOutcome::kOk) {
          ASSERT_TRUE(a.error.has_value());
          EXPECT_NE(a.outcome, SyncOutcome::kNeedsReconsent) << a.error->ToString();
        }
      }
      continue;
    }
    read_all(cursor, incremental);
    std::map<std::string, FeedTransaction> replayed;
    std::string from_start;
    read_all(from_start, replayed);
    const TruthKeys truth = TruthAt(*scenario, Date{day});
    const auto ids = resource_ids();
    ASSERT_EQ(FeedKeys(replayed, ids), truth) << "day " << Date{day}.ToString() << "\n"
                                              << Difference(truth, FeedKeys(replayed, ids));
    ASSERT_EQ(FeedKeys(incremental, ids), truth) << "day " << Date{day}.ToString() << " (incremental reader)";
    ++days_checked;

    // The same data again: no change at all.
    auto again = engine.Run(options);
    ASSERT_TRUE(again);
    if (again->all_ok()) {
      EXPECT_EQ(again->added() + again->modified() + again->removed(), 0) << "day " << Date{day}.ToString();
    }
  }
  // At full length, 60 of the 72 synced days checked and over 500 changes; a shorter history in proportion.
  const int synced_days = last_day - first_sync.days_since_epoch + 1;
  EXPECT_GE(days_checked, synced_days * 5 / 6);
  EXPECT_GT(total_changes, 500 / kHistoryDivisor);
  RecordProperty("days_checked", days_checked);
  RecordProperty("days_with_a_failed_account", days_failed);
}

INSTANTIATE_TEST_SUITE_P(
    IdModes, SyncSimulation,
    ::testing::Values(
        Mode{"stable", 0, "[{kind: http_500, probability: 0.04}, {kind: http_429, every: 23, retry_after_s: 1}]"},
        Mode{"unstable", 2, "[{kind: reset, probability: 0.03}, {kind: garbage_body, probability: 0.01}]"},
        Mode{"none", 3, "[{kind: http_503, probability: 0.03, retry_after_s: 1}, {kind: html_error, probability: 0.01}]"}),
    [](const ::testing::TestParamInfo<Mode>& param) { return param.param.ids; });

}  // namespace
}  // namespace bankfeed::testing
