#include "daemon/src/scheduler.hpp"

#include <map>

#include "log/log.hpp"

namespace bankfeed::daemon {
namespace {

int64_t Interval(const ConsentRecord& c) { return 86400 / std::clamp(c.grant.request.frequency_per_day, 1, 86400); }

// A stable phase in [0, interval) from the handle's hex digits (random when the handle was made).
int64_t Phase(const ConsentRecord& c, int64_t interval) {
  uint64_t h = 1469598103934665603ull;
  for (char ch : c.handle) h = (h ^ static_cast<unsigned char>(ch)) * 1099511628211ull;
  return static_cast<int64_t>(h % static_cast<uint64_t>(interval));
}

int64_t Slot(int64_t t, int64_t phase, int64_t interval) {
  const int64_t x = t - phase;
  return x >= 0 ? x / interval : -((-x + interval - 1) / interval);
}

int64_t Seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

std::optional<DateTime> NextRun(const ConsentRecord& consent, const AccountRecord& account, int64_t now_s) {
  if (consent.grant.status != ConsentStatus::kValid) return std::nullopt;
  const int64_t interval = Interval(consent);
  const int64_t phase = Phase(consent, interval);
  int64_t next = now_s;
  if (account.state.last_attempt) {
    next = std::max(now_s, phase + (Slot(account.state.last_attempt->unix_seconds, phase, interval) + 1) * interval);
  }
  if (account.state.retry_at) next = std::max(next, account.state.retry_at->unix_seconds);
  return DateTime{next, 0, 0};
}

bool Due(const ConsentRecord& consent, const std::vector<const AccountRecord*>& accounts, int64_t now_s) {
  if (consent.grant.status != ConsentStatus::kValid) return false;
  if (accounts.empty()) return true;  // never synced: its accounts are listed first
  const int64_t interval = Interval(consent);
  const int64_t phase = Phase(consent, interval);
  for (const AccountRecord* a : accounts) {
    if (a->state.retry_at && a->state.retry_at->unix_seconds > now_s) continue;
    if (!a->state.last_attempt || Slot(a->state.last_attempt->unix_seconds, phase, interval) < Slot(now_s, phase, interval)) {
      return true;
    }
  }
  return false;
}

void SyncScheduler::Start() {
  if (!core_.config().scheduler.enabled) return;
  thread_ = std::thread([this] { Loop(); });
}

void SyncScheduler::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SyncScheduler::Loop() {
  const auto tick = std::chrono::seconds(core_.config().scheduler.tick_seconds);
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    Tick();
    lock.lock();
    cv_.wait_for(lock, tick, [this] { return stop_; });
  }
}

void SyncScheduler::Tick() {
  if (core_.stopping().load()) return;
  auto consents = core_.store().ListConsents("");
  auto accounts = core_.store().ListAccounts("");
  if (!consents || !accounts) {
    const Error& e = !consents ? consents.error() : accounts.error();
    log::Warn("scheduler.store_error", {{"error", ErrorCodeName(e.code)}});
    return;
  }
  std::map<std::string, std::vector<const AccountRecord*>> by_consent;
  for (const AccountRecord& a : *accounts) by_consent[a.consent_handle].push_back(&a);
  const int64_t now_s = Seconds(core_.Now());
  SyncOptions options;
  for (const ConsentRecord& c : *consents) {
    if (Due(c, by_consent[c.handle], now_s)) options.consent_handles.push_back(c.handle);
  }
  if (!options.consent_handles.empty()) {
    options.max_parallel = core_.config().scheduler.max_parallel;
    options.per_bank_parallel = core_.config().scheduler.per_bank_parallel;
    if (auto report = core_.RunSync(options, "scheduler", /*wait=*/false); !report) {
      log::Warn("scheduler.sync_failed", {{"error", ErrorCodeName(report.error().code)}});
    }
    consents = core_.store().ListConsents("");
    accounts = core_.store().ListAccounts("");
    if (!consents || !accounts) return;
  }
  UpdateQuotaGauges(*consents, *accounts);
}

void SyncScheduler::UpdateQuotaGauges(const std::vector<ConsentRecord>& consents,
                                      const std::vector<AccountRecord>& accounts) {
  std::map<std::string, const ConsentRecord*> by_handle;
  for (const ConsentRecord& c : consents) by_handle[c.handle] = &c;
  const int64_t now_s = Seconds(core_.Now());
  std::map<std::string, BankQuota> gauges;
  std::map<std::pair<std::string, std::string>, int64_t> quarantined;
  for (const AccountRecord& a : accounts) {
    quarantined[{a.bank_id, a.ref.account_id}] = a.state.quarantined;
    auto it = by_handle.find(a.consent_handle);
    if (it == by_handle.end()) continue;
    auto profile = core_.ProfileFor(a.bank_id);
    if (!profile) continue;
    BankQuota& q = gauges[a.bank_id];
    q.left += QuotaFor(it->second->grant, a.account, profile->timezone.LocalDate(now_s)).left;
    if (a.state.retry_at && a.state.retry_at->unix_seconds > now_s) ++q.exhausted_accounts;
  }
  core_.metrics().SetQuota(std::move(gauges));
  core_.metrics().SetQuarantined(std::move(quarantined));
}

}  // namespace bankfeed::daemon
