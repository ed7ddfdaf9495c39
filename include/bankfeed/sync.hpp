// bankfeed/sync.hpp: the sync engine (docs/DESIGN.md §6).
//
// For each consent it reads the accounts (on the first sync, or when asked), then per account a window of
// transactions and the balances, reconciles them against the store and commits the changes together with the
// account's sync state in one database transaction. Each account ends with its own outcome: ok, needs re-consent,
// quota exhausted until T, rate limited until T, bank unavailable, failed. One failing account or bank never stops
// the others, and a failed account keeps everything already stored.
//
//   bankfeed::SyncEngine engine(*store, [&](const std::string& bank) { return MakeConnectorFor(bank); });
//   auto report = engine.Run({.tenant = "default"});
//   for (const auto& a : report->accounts) std::cout << SyncOutcomeName(a.outcome) << "\n";
//
// The window: from the account's last booked date minus the profile's `sync.overlap_days` (and never after the
// oldest stored pending row's date, so a pending row is always looked at again), or on the first sync today minus
// `sync.first_sync_days`, capped by `quirks.max_history_days`; to the bank's local today.
//
// Unattended reads count against the consent's daily quota; an account whose quota or Retry-After still runs is not
// asked again before `retry_at`. Consents are synced in parallel, at most `max_parallel` at once and at most
// `per_bank_parallel` at one bank.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bankfeed/connector.hpp"
#include "bankfeed/export.hpp"
#include "bankfeed/result.hpp"
#include "bankfeed/store.hpp"

namespace bankfeed {

// Makes a connector for a bank id (a fresh one per call: each sync task uses its own).
using ConnectorFactory = std::function<Result<std::unique_ptr<Connector>>(const std::string& bank_id)>;

struct SyncOptions {
  std::string tenant;           // empty: every tenant
  std::string customer_handle;  // only this customer's consents
  std::string consent_handle;   // only this consent
  std::vector<std::string> consent_handles;  // only these consents (when not empty)
  std::string account_id;       // only this account ("acc_…")
  bool refresh_accounts = false;  // list the accounts at the bank even when some are stored
  bool ignore_retry_at = false;   // ask the bank even before an account's retry_at
  std::optional<std::string> psu_ip_address;  // the customer is present: reads do not count against the quota
  int max_parallel = 4;
  int per_bank_parallel = 2;
  std::function<std::chrono::system_clock::time_point()> now;  // default: the system clock
  // Set to true to stop early (a daemon shutting down): consents not started yet are left out of the report, and
  // the remaining accounts of a started consent are reported `skipped` with their stored outcome; an account already
  // started finishes (its commit is atomic either way).
  const std::atomic<bool>* stop = nullptr;
  // Called after every commit that wrote changes, with the tenant and its new head sequence number (Feed::Notify).
  std::function<void(const std::string& tenant, int64_t head_seq)> on_commit;
};

struct AccountSyncResult {
  std::string tenant;
  std::string bank_id;
  std::string consent_handle;
  AccountRef account;                 // account_id is empty when the consent failed before any account was known
  SyncOutcome outcome = SyncOutcome::kNever;
  std::optional<Error> error;         // what went wrong; messages never hold personal data
  std::optional<DateTime> retry_at;   // quota exhausted / rate limited: not before this
  int added = 0, modified = 0, removed = 0;
  int pages = 0;
  // Rows of the account in quarantine after this sync (or still, when it did not commit): rows the bank sent that
  // could not be normalized. The sync stored every other row (the outcome is still ok), keeps these sealed, and
  // tries them again on every later sync, so a profile or mapping fix brings them into the feed. While a fetch has
  // such rows, no stored row is removed for being absent from it (but a pending row a booked one replaces).
  int64_t quarantined = 0;
  // Not asked: retry_at had not come yet, the run was stopped, or another holder had the consent (Store::
  // TryLeaseConsent; `error` then says it was busy). The outcome is the stored one.
  bool skipped = false;
};

struct SyncReport {
  std::vector<AccountSyncResult> accounts;
  int added() const;
  int modified() const;
  int removed() const;
  int64_t quarantined() const;
  bool all_ok() const;
};

// The outcome an error leads to.
BANKFEED_EXPORT SyncOutcome OutcomeFor(const Error& error);

class BANKFEED_EXPORT SyncEngine {
 public:
  SyncEngine(Store& store, ConnectorFactory factory);
  // Fails only when the store cannot list the consents; every bank or account failure is in the report.
  Result<SyncReport> Run(const SyncOptions& options);

 private:
  Store& store_;
  ConnectorFactory factory_;
};

}  // namespace bankfeed
