// Generated sandbox scenarios for sync simulations, and their ground truth as the feed should show it.
//
// SimulationScenario makes one PSU ("psu-1") with three accounts and, for each of `days` days from `first`, a few
// booked rows, pending rows that book 1 to 4 days later under a new id and sometimes a changed amount, and real twins
// (rows identical in every field but the scenario id). Seeded: the same seed gives the same scenario.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "bankfeed/datetime.hpp"
#include "bankfeed/store.hpp"
#include "tools/sandbox/scenario.hpp"

namespace bankfeed::testing {

// The long simulated histories (issue 5's bar) run at full length in the default preset. The sanitizer build runs
// them a third as long: ASan and UBSan at -O0 make each simulated day several times slower, and the shorter history
// goes through the same code paths, where the sanitizers watch it.
#if defined(BANKFEED_SANITIZED_BUILD)
inline constexpr int kHistoryDivisor = 3;
#else
inline constexpr int kHistoryDivisor = 1;
#endif

struct SimulationSpec {
  uint64_t seed = 1;
  Date first = Date::FromYmd(2025, 1, 1);
  int days = 75;
  std::string ids = "stable";          // stable | unstable | none
  int page_size = 7;
  int page_overlap = 0;
  int frequency_per_day = 4;
  std::string faults_yaml = "[]";      // the `faults:` value, e.g. "[{kind: http_500, probability: 0.05}]"
};

std::string SimulationScenario(const SimulationSpec& spec);

// One transaction as a comparable line: account resource id, status, dates, amount, counterparty name, remittance.
using TruthKeys = std::multiset<std::string>;

// What the bank shows on `today`, as keys.
TruthKeys TruthAt(const sandbox::Scenario& scenario, Date today);

// The feed's current set (replayed from the start), as keys; `resource_ids` maps canonical account ids to the
// bank's resource ids.
TruthKeys FeedKeys(const std::map<std::string, FeedTransaction>& current,
                   const std::map<std::string, std::string>& resource_ids);

// Replays pages of the feed onto `current` (keyed by "<account_id>/<transaction_id>").
void ApplyFeed(const std::vector<FeedEntry>& entries, std::map<std::string, FeedTransaction>& current);

// A store in `dir` (feed.db) under the key file `dir`/keys.
SqliteStoreOptions StoreOptions(const std::string& dir);

// A readable difference of two key sets (at most `max_lines` lines), for failure messages.
std::string Difference(const TruthKeys& expected, const TruthKeys& actual, size_t max_lines = 20);

}  // namespace bankfeed::testing
