// The background scheduler: syncs each valid consent within its quota, spread over the day.
//
// A consent allowing f unattended reads per day gets f slots a day, each 24h/f long, shifted by a phase derived
// from its handle, so that consents created together do not all run at the same moment. A consent is due when its
// accounts' last attempt lies in an earlier slot (or it never ran), and at least one account's retry_at (quota,
// Retry-After) has come. Every tick the due consents run through Core::RunSync, which skips consents a
// TriggerSync is running and applies the per-bank limit.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "daemon/src/core.hpp"

namespace bankfeed::daemon {

// When the consent's account may sync next: the start of the slot after its last attempt, and not before retry_at.
std::optional<DateTime> NextRun(const ConsentRecord& consent, const AccountRecord& account, int64_t now_s);
// Whether the consent is due at `now_s`, given its stored accounts.
bool Due(const ConsentRecord& consent, const std::vector<const AccountRecord*>& accounts, int64_t now_s);

class SyncScheduler {
 public:
  explicit SyncScheduler(Core& core) : core_(core) {}
  ~SyncScheduler() { Stop(); }
  void Start();
  void Stop();  // waits for a running tick (whose syncs see Core::stopping())

 private:
  void Loop();
  void Tick();
  void UpdateQuotaGauges(const std::vector<ConsentRecord>& consents, const std::vector<AccountRecord>& accounts);

  Core& core_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
};

}  // namespace bankfeed::daemon
