// What every service of bankfeedd shares: the configuration, the store, the feed, the caller check, metrics, the
// clock, and the one way to run the sync engine (RunSync), which makes sure two syncs of one consent never overlap
// (the scheduler's and an Admin.TriggerSync), so the reconciler always sees the rows the previous sync wrote.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "bankfeed/client.hpp"
#include "bankfeed/feed.hpp"
#include "bankfeed/store.hpp"
#include "bankfeed/sync.hpp"
#include "daemon/src/auth.hpp"
#include "daemon/src/daemon_config.hpp"
#include "daemon/src/feed_pages.hpp"
#include "daemon/src/metrics.hpp"
#include "daemon/src/refusal_log.hpp"

namespace bankfeed::daemon {

// Consents being synced. Lock() waits for busy ones (in handle order, so two waiters cannot deadlock); TryLock()
// takes only the free ones.
class ConsentLocks {
 public:
  enum class Wait { kHeld, kStopping, kTimedOut };

  std::vector<std::string> TryLock(const std::vector<std::string>& handles);
  // False when `stop` became true while waiting (nothing is held then).
  bool Lock(std::vector<std::string> handles, const std::atomic<bool>& stop);
  // The same, giving up at `deadline` (nothing is held then either).
  Wait LockUntil(std::vector<std::string> handles, const std::atomic<bool>& stop,
                 std::chrono::steady_clock::time_point deadline);
  void Unlock(const std::vector<std::string>& handles);

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::set<std::string> busy_;
};

class Core {
 public:
  Core(DaemonConfig config, std::unique_ptr<Store> store, ConnectorEnvironment env);

  const DaemonConfig& config() const { return config_; }
  Store& store() { return *store_; }
  Feed& feed() { return feed_; }
  FeedPages& pages() { return pages_; }
  const Authenticator& auth() const { return auth_; }
  Metrics& metrics() { return metrics_; }
  RefusalLog& refusals() { return refusals_; }
  const ConnectorEnvironment& env() const { return env_; }
  std::chrono::system_clock::time_point Now() const;

  // A connector for a bank (a fresh one per call). Profiles are read once (BankConnections) until ReloadProfiles.
  Result<std::unique_ptr<Connector>> ConnectorFor(const std::string& bank_id);
  // The bank's profile, for its time zone.
  Result<BankProfile> ProfileFor(const std::string& bank_id);
  // The next use of each bank reads its profile again (SIGHUP).
  void ReloadProfiles() { banks_.Reload(); }

  // Runs the engine over the consents `options` selects (tenant, customer, consent). With `wait`, busy consents are
  // waited for; without, they are left out (the scheduler). `trigger` labels the metrics ("scheduler", "rpc").
  Result<SyncReport> RunSync(SyncOptions options, std::string_view trigger, bool wait);

  ConsentLocks& locks() { return locks_; }

  // Set when the daemon stops: no new sync starts, streams end.
  std::atomic<bool>& stopping() { return stopping_; }

 private:
  DaemonConfig config_;
  std::unique_ptr<Store> store_;
  Feed feed_;
  Authenticator auth_;
  Metrics metrics_;
  RefusalLog refusals_;
  ConnectorEnvironment env_;
  ConsentLocks locks_;
  std::atomic<bool> stopping_{false};
  BankConnections banks_;
  FeedPages pages_;  // last: its thread reads through feed_ and store_, so it is stopped before they go
};

// Unattended reads of an account left on the bank's `today`, and the consent's daily allowance.
struct QuotaLeft {
  int left = 0;
  int per_day = 0;
};
QuotaLeft QuotaFor(const ConsentGrant& grant, const Account& account, Date today);

}  // namespace bankfeed::daemon
