// Crash safety (issue 5): `bankfeed sync` is killed with SIGKILL at random points, at least 50 times, over simulated
// days (a third of that in the sanitizer build: sim_scenario.hpp); after every kill each account's feed is either its
// old state or its new one (never half), and after the sync is resumed the feed replayed from the start equals the
// bank's truth.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <random>
#include <thread>

#include "bankfeed/feed.hpp"
#include "bankfeed/store.hpp"
#include "integration/cli_workspace.hpp"
#include "integration/sandbox_fixture.hpp"
#include "integration/sim_scenario.hpp"
#include "tools/sandbox/clock.hpp"

namespace bankfeed::testing {
namespace {

using Clock = std::chrono::steady_clock;

class SyncCrash : public SandboxTest {
 protected:
  // Each account's current feed, as keys.
  std::map<std::string, TruthKeys> FeedByAccount() {
    auto store = cli_->OpenStore();
    std::map<std::string, TruthKeys> out;
    if (!store) return out;
    Feed feed(*store);
    std::map<std::string, FeedTransaction> current;
    std::string cursor;
    for (;;) {
      auto page = feed.Sync("default", cursor, 500);
      EXPECT_TRUE(page) << page.error().ToString();
      if (!page) return out;
      ApplyFeed(page->changes, current);
      cursor = page->next_cursor;
      if (!page->has_more) break;
    }
    std::map<std::string, std::string> ids;
    if (auto accounts = store->ListAccounts("default")) {
      for (const auto& a : *accounts) ids[a.ref.account_id] = a.account.resource_id.value_or("?");
    }
    for (const std::string& key : FeedKeys(current, ids)) out[key.substr(0, key.find('|'))].insert(key);
    return out;
  }

  std::unique_ptr<CliWorkspace> cli_;
};

std::vector<std::string> SyncArgs(Date day) { return {"sync", "--today", day.ToString(), "--force"}; }

std::map<std::string, TruthKeys> ByAccount(const TruthKeys& keys) {
  std::map<std::string, TruthKeys> out;
  for (const std::string& key : keys) out[key.substr(0, key.find('|'))].insert(key);
  return out;
}

TEST_F(SyncCrash, KilledAtFiftyRandomPointsTheFeedStillEqualsTheTruth) {
  SimulationSpec spec;
  spec.seed = 77;
  spec.days = 40 / kHistoryDivisor;
  spec.ids = "unstable";
  spec.page_size = 5;
  spec.page_overlap = 2;
  spec.frequency_per_day = 100;  // killed runs use up reads the client never recorded
  const std::string yaml = SimulationScenario(spec);
  auto scenario = sandbox::ParseScenario(yaml, "sim.yaml", "berlin-group");
  ASSERT_TRUE(scenario) << scenario.error().message;
  StartBank(yaml);
  cli_ = std::make_unique<CliWorkspace>("crash", pki_, bank().BaseUrl(),
                                        "  trust_transaction_ids: false\n  page_overlap: 2\n");

  const Date first_sync{spec.first.days_since_epoch + 3};
  bank().clock().Set(first_sync);
  {
    auto store = cli_->OpenStore();
    ASSERT_TRUE(store);
    auto customer = store->EnsureCustomer("default", "psu-1");
    ASSERT_TRUE(customer);
    BankProfile profile = Profile();
    ConsentRecord record{"default", "", customer->handle, profile.id, {}};
    auto connector = Connect(profile);
    record.grant = Consent(*connector, ScaApproach::kRedirect, spec.frequency_per_day);
    ASSERT_TRUE(store->SaveConsent(record));
  }

  std::mt19937_64 rng(4242);
  Clock::duration full_run{};
  int kills = 0, days = 0;
  std::map<std::string, TruthKeys> before;  // the truth the store held after the previous day
  for (int day = first_sync.days_since_epoch; day < spec.first.days_since_epoch + spec.days; ++day) {
    bank().clock().Set(Date{day});
    const auto after = ByAccount(TruthAt(*scenario, Date{day}));
    if (day == first_sync.days_since_epoch) {
      const auto start = Clock::now();
      ASSERT_EQ(cli_->Run(SyncArgs(Date{day})).exit_code, 0) << "first sync";
      full_run = Clock::now() - start;
      ASSERT_EQ(FeedByAccount(), after);
      before = after;
      continue;
    }
    for (int attempt = 0; attempt < 4; ++attempt) {
      const pid_t pid = cli_->Start(SyncArgs(Date{day}));
      const auto delay = std::chrono::microseconds(
          rng() % static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(full_run).count() + 1));
      std::this_thread::sleep_for(delay);
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == 0) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        ++kills;
      }
      // Old or new per account, never half.
      const auto now = FeedByAccount();
      for (const auto& [account, keys_now] : now) {
        const bool old_state = before.count(account) && before.at(account) == keys_now;
        const bool new_state = after.count(account) && after.at(account) == keys_now;
        ASSERT_TRUE(old_state || new_state) << "account " << account << " is half-synced on " << Date{day}.ToString()
                                            << "\n" << Difference(after.count(account) ? after.at(account) : TruthKeys{}, keys_now);
      }
    }
    const auto resume_start = Clock::now();
    CliResult resumed = cli_->Run(SyncArgs(Date{day}));
    // The kill points of the next day spread over this day's whole sync: a first sync slowed by a busy machine
    // would otherwise leave most later kills after a sync that had already finished.
    if (resumed.exit_code == 0) full_run = Clock::now() - resume_start;
    for (int retry = 0; retry < 3 && resumed.exit_code != 0; ++retry) resumed = cli_->Run(SyncArgs(Date{day}));
    ASSERT_EQ(resumed.exit_code, 0) << "resumed sync on " << Date{day}.ToString() << ": " << resumed.out << resumed.err;
    ASSERT_EQ(FeedByAccount(), after) << "after resuming on " << Date{day}.ToString();
    before = after;
    ++days;
  }
  EXPECT_GE(kills, 50 / kHistoryDivisor) << "killed only " << kills << " times; the last full sync took "
                       << std::chrono::duration_cast<std::chrono::milliseconds>(full_run).count() << " ms";
  RecordProperty("kills", kills);
  RecordProperty("days", days);
}

}  // namespace
}  // namespace bankfeed::testing
