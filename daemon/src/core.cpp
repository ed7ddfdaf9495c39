#include "daemon/src/core.hpp"

#include <algorithm>

#include "log/log.hpp"

namespace bankfeed::daemon {

std::vector<std::string> ConsentLocks::TryLock(const std::vector<std::string>& handles) {
  std::vector<std::string> taken;
  std::lock_guard lock(mu_);
  for (const std::string& h : handles) {
    if (busy_.insert(h).second) taken.push_back(h);
  }
  return taken;
}

bool ConsentLocks::Lock(std::vector<std::string> handles, const std::atomic<bool>& stop) {
  return LockUntil(std::move(handles), stop, std::chrono::steady_clock::time_point::max()) == Wait::kHeld;
}

ConsentLocks::Wait ConsentLocks::LockUntil(std::vector<std::string> handles, const std::atomic<bool>& stop,
                                           std::chrono::steady_clock::time_point deadline) {
  std::sort(handles.begin(), handles.end());
  handles.erase(std::unique(handles.begin(), handles.end()), handles.end());
  std::unique_lock lock(mu_);
  for (size_t i = 0; i < handles.size(); ++i) {
    while (busy_.count(handles[i])) {
      const bool stopping = stop.load();
      if (stopping || std::chrono::steady_clock::now() >= deadline) {
        for (size_t j = 0; j < i; ++j) busy_.erase(handles[j]);
        cv_.notify_all();
        return stopping ? Wait::kStopping : Wait::kTimedOut;
      }
      cv_.wait_until(lock, std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(100)));
    }
    busy_.insert(handles[i]);
  }
  return Wait::kHeld;
}

void ConsentLocks::Unlock(const std::vector<std::string>& handles) {
  {
    std::lock_guard lock(mu_);
    for (const std::string& h : handles) busy_.erase(h);
  }
  cv_.notify_all();
}

Core::Core(DaemonConfig config, std::unique_ptr<Store> store, ConnectorEnvironment env)
    : config_(std::move(config)),
      store_(std::move(store)),
      feed_(*store_),
      auth_(config_.tenants),
      refusals_({.interval = std::chrono::seconds(config_.refusal_log_seconds)}),
      env_(std::move(env)),
      banks_(config_.client),
      pages_(feed_, metrics_) {}

std::chrono::system_clock::time_point Core::Now() const {
  return env_.now ? env_.now() : std::chrono::system_clock::now();
}

Result<std::unique_ptr<Connector>> Core::ConnectorFor(const std::string& bank_id) {
  return banks_.ConnectorFor(bank_id, env_);
}

Result<BankProfile> Core::ProfileFor(const std::string& bank_id) {
  BANKFEED_ASSIGN_OR_RETURN(ConnectionOptions connection, banks_.ConnectionFor(bank_id));
  return std::move(connection.profile);
}

Result<SyncReport> Core::RunSync(SyncOptions options, std::string_view trigger, bool wait) {
  BANKFEED_ASSIGN_OR_RETURN(std::vector<ConsentRecord> consents, store_->ListConsents(options.tenant));
  std::vector<std::string> wanted;
  for (const ConsentRecord& c : consents) {
    if (!options.customer_handle.empty() && c.customer_handle != options.customer_handle) continue;
    if (!options.consent_handle.empty() && c.handle != options.consent_handle) continue;
    if (!options.consent_handles.empty() &&
        std::find(options.consent_handles.begin(), options.consent_handles.end(), c.handle) ==
            options.consent_handles.end()) {
      continue;
    }
    wanted.push_back(c.handle);
  }
  std::vector<std::string> held;
  if (wait) {
    if (!locks_.Lock(wanted, stopping_)) return MakeError(ErrorCode::kUnavailable, "the daemon is stopping");
    held = wanted;
  } else {
    held = locks_.TryLock(wanted);
  }
  if (held.empty()) return SyncReport{};
  options.consent_handles = held;
  options.stop = &stopping_;
  if (!options.now) options.now = env_.now;
  options.on_commit = [this](const std::string& tenant, int64_t head) { feed_.Notify(tenant, head); };
  const auto start = std::chrono::steady_clock::now();
  SyncEngine engine(*store_, [this](const std::string& bank) { return ConnectorFor(bank); });
  auto report = engine.Run(options);
  locks_.Unlock(held);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!report) return report;
  metrics_.CountSyncRun(trigger, *report, seconds);
  log::Info("sync.run", {{"trigger", trigger},
                         {"consents", static_cast<int64_t>(held.size())},
                         {"accounts", static_cast<int64_t>(report->accounts.size())},
                         {"added", report->added()},
                         {"modified", report->modified()},
                         {"removed", report->removed()},
                         {"ms", static_cast<int64_t>(seconds * 1000)}});
  return report;
}

QuotaLeft QuotaFor(const ConsentGrant& grant, const Account& account, Date today) {
  QuotaLeft q;
  q.per_day = std::max(1, grant.request.frequency_per_day);
  int used = 0;
  if (grant.usage_day == today && account.resource_id) {
    const std::string suffix = ":" + *account.resource_id;
    for (const auto& [key, count] : grant.usage) {
      if (key.size() > suffix.size() && key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0) {
        used = std::max(used, count);
      }
    }
  }
  q.left = std::max(0, q.per_day - used);
  return q;
}

}  // namespace bankfeed::daemon
