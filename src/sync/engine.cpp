// The sync engine: consents in parallel (bounded overall and per bank), accounts one after another within a consent.
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "bankfeed/sync.hpp"
#include "log/log.hpp"
#include "sync/ingest.hpp"
#include "sync/reconcile.hpp"

namespace bankfeed {
namespace {

using Clock = std::chrono::system_clock;

DateTime ToDateTime(Clock::time_point t) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(t);
  return DateTime{seconds.time_since_epoch().count(), 0, 0};
}

Date AddDays(Date d, int days) { return Date{d.days_since_epoch + days}; }

// Hands out consents to workers: at most `per_bank` at one bank at a time, and never a consent of a busy bank
// while another bank's consent could run.
class Scheduler {
 public:
  Scheduler(std::vector<ConsentRecord> consents, int per_bank)
      : queue_(std::make_move_iterator(consents.begin()), std::make_move_iterator(consents.end())),
        per_bank_(std::max(1, per_bank)) {}

  std::optional<ConsentRecord> Next() {
    std::unique_lock lock(mu_);
    for (;;) {
      if (queue_.empty()) return std::nullopt;
      for (auto it = queue_.begin(); it != queue_.end(); ++it) {
        if (running_[it->bank_id] >= per_bank_) continue;
        ++running_[it->bank_id];
        ConsentRecord next = std::move(*it);
        queue_.erase(it);
        return next;
      }
      cv_.wait(lock);
    }
  }
  void Done(const std::string& bank) {
    {
      std::lock_guard lock(mu_);
      --running_[bank];
    }
    cv_.notify_all();
  }
  size_t size() const { return queue_.size(); }

 private:
  std::deque<ConsentRecord> queue_;
  int per_bank_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, int> running_;
};

// One consent's sync: its accounts, one after another.
class ConsentSync {
 public:
  ConsentSync(Store& store, Connector& connector, ConsentRecord record, const SyncOptions& options)
      : store_(store), connector_(connector), record_(std::move(record)), options_(options) {}

  std::vector<AccountSyncResult> Run() {
    const Clock::time_point now = Now();
    auto customer = store_.GetCustomer(record_.tenant, record_.customer_handle);
    if (!customer) return FailAll({}, customer.error());
    psu_.psu_id = customer->psu_id;
    psu_.ip_address = options_.psu_ip_address;

    auto accounts = Accounts();
    if (!accounts) return FailAll({}, accounts.error());
    if (record_.grant.status != ConsentStatus::kValid) {
      return FailAll(*accounts, Error(ErrorCode::kConsentInvalid,
                                      "consent " + record_.handle + " is " +
                                          std::string(ConsentStatusName(record_.grant.status)) + ", not valid"));
    }
    std::vector<AccountSyncResult> out;
    std::optional<Error> consent_error;  // a consent-wide failure ends the consent's remaining accounts
    for (const AccountRecord& a : *accounts) {
      if (!options_.account_id.empty() && a.ref.account_id != options_.account_id) continue;
      if (consent_error) {
        out.push_back(Failed(a, *consent_error));
        continue;
      }
      if (options_.stop && options_.stop->load()) {
        AccountSyncResult r = Base(a);
        r.outcome = a.state.outcome;
        r.skipped = true;
        out.push_back(std::move(r));
        continue;
      }
      if (!options_.ignore_retry_at && a.state.retry_at && a.state.retry_at->unix_seconds > ToDateTime(now).unix_seconds) {
        AccountSyncResult r = Base(a);
        r.outcome = a.state.outcome;
        r.retry_at = a.state.retry_at;
        r.skipped = true;
        out.push_back(std::move(r));
        continue;
      }
      AccountSyncResult r = SyncAccount(a);
      if (r.error && OutcomeFor(*r.error) == SyncOutcome::kNeedsReconsent) consent_error = r.error;
      out.push_back(std::move(r));
    }
    return out;
  }

 private:
  Clock::time_point Now() const { return options_.now ? options_.now() : Clock::now(); }

  AccountSyncResult Base(const AccountRecord& a) const {
    AccountSyncResult r;
    r.tenant = record_.tenant;
    r.bank_id = record_.bank_id;
    r.consent_handle = record_.handle;
    r.account = a.ref;
    r.quarantined = a.state.quarantined;  // what the store holds; a sync that commits gives the new count
    return r;
  }

  // A failure before any account was known, or for every account of the consent.
  std::vector<AccountSyncResult> FailAll(const std::vector<AccountRecord>& accounts, const Error& e) {
    std::vector<AccountSyncResult> out;
    if (accounts.empty()) {
      AccountRecord none;
      none.ref.customer_handle = record_.customer_handle;
      out.push_back(Failed(none, e));
      return out;
    }
    for (const AccountRecord& a : accounts) {
      if (options_.account_id.empty() || a.ref.account_id == options_.account_id) out.push_back(Failed(a, e));
    }
    return out;
  }

  // Records the failure as the account's state (nothing else changes) and reports it. `outcome` overrides the one
  // the error leads to: a full or busy store is not the bank's fault.
  AccountSyncResult Failed(const AccountRecord& a, const Error& e, std::optional<SyncOutcome> outcome = std::nullopt) {
    AccountSyncResult r = Base(a);
    r.outcome = outcome.value_or(OutcomeFor(e));
    r.error = e;
    const DateTime now = ToDateTime(Now());
    if (e.retry_after) r.retry_at = DateTime{now.unix_seconds + e.retry_after->count(), 0, 0};
    if (a.ref.account_id.empty()) return r;
    SyncState state = a.state;
    state.outcome = r.outcome;
    state.detail = e.ToString();
    state.last_attempt = now;
    state.retry_at = r.retry_at;
    if (auto saved = store_.SaveSyncState(a.ref, state); !saved) {
      log::Warn("sync.state_not_saved", {{"bank", record_.bank_id}, {"consent", record_.handle},
                                         {"error", ErrorCodeName(saved.error().code)}});
    }
    return r;
  }

  // Persists the grant after every bank call: new tokens, the status, the day's quota use.
  void SaveGrant() {
    if (auto saved = store_.SaveConsent(record_); !saved) {
      log::Warn("sync.grant_not_saved", {{"bank", record_.bank_id}, {"consent", record_.handle},
                                         {"error", ErrorCodeName(saved.error().code)}});
    }
  }

  Result<std::vector<AccountRecord>> StoredAccounts() {
    auto all = store_.ListAccounts(record_.tenant, record_.customer_handle);
    if (!all) return tl::unexpected(all.error());
    std::erase_if(*all, [&](const AccountRecord& a) { return a.consent_handle != record_.handle; });
    return all;
  }

  Result<std::vector<AccountRecord>> Accounts() {
    auto stored = StoredAccounts();
    if (!stored) return stored;
    // A bank whose account ids change is asked for its accounts on every sync: the stored resource ids may be stale,
    // and the listing updates them under the same account ids.
    const bool relist = options_.refresh_accounts || connector_.profile().quirks.values.account_ids_change;
    if ((!stored->empty() && !relist) || record_.grant.status != ConsentStatus::kValid) return stored;
    auto listed = connector_.ListAccounts(record_.grant, psu_);
    SaveGrant();
    if (!listed) {
      if (!stored->empty()) return stored;  // keep syncing what we know; the listing is retried next time
      return tl::unexpected(listed.error());
    }
    BANKFEED_RETURN_IF_ERROR(store_.SaveAccounts(record_.tenant, record_.handle, *listed));
    return StoredAccounts();
  }

  Date Today() const {
    return connector_.profile().timezone.LocalDate(ToDateTime(Now()).unix_seconds);
  }

  // The first day to ask for (docs/DESIGN.md §6).
  Result<Date> WindowFrom(const AccountRecord& a, Date today) {
    const SyncRules& rules = connector_.profile().sync;
    if (!a.state.last_booked_date && !a.state.window_from) {
      return AddDays(today, -std::min(rules.first_sync_days, connector_.profile().quirks.max_history_days));
    }
    // An account without any booking yet: from the end of the last window (never the start, which would move the
    // window back by the overlap on every sync).
    const Date anchor = a.state.last_booked_date.value_or(a.state.window_to.value_or(*a.state.window_from));
    Date from = AddDays(anchor, -rules.overlap_days);
    // Every stored pending row must be in the window again, to see it book or vanish.
    auto pending = store_.LoadWindow(a.ref, today);
    if (!pending) return tl::unexpected(pending.error());
    for (const FeedTransaction& t : *pending) {
      if (t.transaction.status != TransactionStatus::kPending) continue;
      if (auto d = sync::RowDate(t.transaction); d && *d < from) from = *d;
    }
    return std::min(from, today);
  }

  // How the account's quarantined rows are normalized again: as its connector reads its rows, under the profile as
  // it is now (so that a profile fix, a date order say, brings them into the feed).
  NormalizeOptions Renormalize(const AccountRecord& a) const {
    const BankProfile& profile = connector_.profile();
    NormalizeOptions options;
    options.standard = profile.standard;
    options.timezone = profile.timezone;
    options.account_id = a.account.id;
    options.quirks = profile.quirks.values;
    options.assign_ids = false;
    return options;
  }

  AccountSyncResult SyncAccount(const AccountRecord& a) {
    const Date today = Today();
    auto from = WindowFrom(a, today);
    if (!from) return Failed(a, from.error(), SyncOutcome::kFailed);
    auto batch = connector_.GetTransactions(record_.grant, a.account, TransactionQuery{*from, std::nullopt}, psu_);
    SaveGrant();
    if (!batch) return Failed(a, batch.error());
    auto balances = connector_.GetBalances(record_.grant, a.account, psu_);
    SaveGrant();
    if (!balances) return Failed(a, balances.error());

    const sync::ReconcileRules rules{connector_.profile().quirks.trust_transaction_ids, connector_.profile().sync};
    const int pages = batch->pages;
    auto ingested = sync::IngestBatch(store_, a, std::move(*batch), std::move(*balances), rules,
                                      sync::RenormalizeWith(Renormalize(a)),
                                      ToDateTime(Now()));
    if (!ingested) return Failed(a, ingested.error(), SyncOutcome::kFailed);

    AccountSyncResult r = Base(a);
    r.outcome = SyncOutcome::kOk;
    r.added = ingested->added;
    r.modified = ingested->modified;
    r.removed = ingested->removed;
    r.pages = pages;
    r.quarantined = ingested->quarantined;
    if (r.quarantined > 0 || a.state.quarantined > 0) {
      // Counts only: a quarantined row's bytes and values never reach a log.
      log::Info("sync.quarantine", {{"bank", record_.bank_id},
                                    {"consent", record_.handle},
                                    {"quarantined", r.quarantined},
                                    {"recovered", static_cast<int64_t>(ingested->recovered)}});
    }
    if (options_.on_commit && (r.added || r.modified || r.removed)) {
      options_.on_commit(record_.tenant, ingested->head_seq);
    }
    return r;
  }

  Store& store_;
  Connector& connector_;
  ConsentRecord record_;
  const SyncOptions& options_;
  PsuContext psu_;
};

// A consent that failed before any of its accounts was asked for.
AccountSyncResult ConsentFailed(const ConsentRecord& record, const Error& e) {
  AccountSyncResult r;
  r.tenant = record.tenant;
  r.bank_id = record.bank_id;
  r.consent_handle = record.handle;
  r.account.customer_handle = record.customer_handle;
  r.outcome = OutcomeFor(e);
  r.error = e;
  return r;
}

// A consent another holder has (a sync or a grant update, maybe in another process): its accounts are not asked
// for this time, and keep their stored outcome.
std::vector<AccountSyncResult> Busy(Store& store, const ConsentRecord& record, std::string_view only_account) {
  const Error busy(ErrorCode::kUnavailable,
                   "consent " + record.handle + " is busy: another sync or consent update holds it");
  auto accounts = store.ListAccounts(record.tenant, record.customer_handle);
  if (!accounts) return {ConsentFailed(record, accounts.error())};
  std::vector<AccountSyncResult> out;
  for (const AccountRecord& a : *accounts) {
    if (a.consent_handle != record.handle || (!only_account.empty() && a.ref.account_id != only_account)) continue;
    AccountSyncResult r = ConsentFailed(record, busy);
    r.account = a.ref;
    r.outcome = a.state.outcome;
    r.skipped = true;
    out.push_back(std::move(r));
  }
  if (out.empty() && only_account.empty()) {  // no account known yet: the consent itself is reported
    AccountSyncResult r = ConsentFailed(record, busy);
    r.outcome = SyncOutcome::kNever;
    r.skipped = true;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

SyncOutcome OutcomeFor(const Error& error) {
  switch (error.code) {
    case ErrorCode::kConsentExpired:
    case ErrorCode::kConsentInvalid:
    case ErrorCode::kUnauthenticated:
      return SyncOutcome::kNeedsReconsent;
    case ErrorCode::kAccessExceeded:
      return SyncOutcome::kQuotaExhausted;
    case ErrorCode::kRateLimited:
      return SyncOutcome::kRateLimited;
    case ErrorCode::kUnavailable:
    case ErrorCode::kNetwork:
    case ErrorCode::kTimeout:
      return SyncOutcome::kBankUnavailable;
    default:
      return SyncOutcome::kFailed;
  }
}

int SyncReport::added() const {
  int n = 0;
  for (const auto& a : accounts) n += a.added;
  return n;
}
int SyncReport::modified() const {
  int n = 0;
  for (const auto& a : accounts) n += a.modified;
  return n;
}
int64_t SyncReport::quarantined() const {
  int64_t n = 0;
  for (const auto& a : accounts) n += a.quarantined;
  return n;
}
int SyncReport::removed() const {
  int n = 0;
  for (const auto& a : accounts) n += a.removed;
  return n;
}
bool SyncReport::all_ok() const {
  return std::all_of(accounts.begin(), accounts.end(), [](const auto& a) { return a.outcome == SyncOutcome::kOk; });
}

SyncEngine::SyncEngine(Store& store, ConnectorFactory factory) : store_(store), factory_(std::move(factory)) {}

Result<SyncReport> SyncEngine::Run(const SyncOptions& options) {
  auto consents = store_.ListConsents(options.tenant);
  if (!consents) return tl::unexpected(consents.error());
  std::erase_if(*consents, [&](const ConsentRecord& c) {
    return (!options.customer_handle.empty() && c.customer_handle != options.customer_handle) ||
           (!options.consent_handle.empty() && c.handle != options.consent_handle) ||
           (!options.consent_handles.empty() &&
            std::find(options.consent_handles.begin(), options.consent_handles.end(), c.handle) ==
                options.consent_handles.end());
  });

  Scheduler scheduler(std::move(*consents), options.per_bank_parallel);
  std::mutex mu;
  SyncReport report;
  // One consent, held for this run alone while it syncs (another process may be syncing it or updating its grant),
  // with its grant as the last holder left it: tokens may have been refreshed since the listing.
  const auto sync_leased = [&](const ConsentRecord& listed) -> std::vector<AccountSyncResult> {
    const auto failed = [&](const Error& e) -> std::vector<AccountSyncResult> {
      if (e.code == ErrorCode::kNotFound) return {};  // forgotten since the listing
      return {ConsentFailed(listed, e)};
    };
    auto lease = store_.TryLeaseConsent(listed.tenant, listed.handle);
    if (!lease) return failed(lease.error());
    if (*lease == nullptr) return Busy(store_, listed, options.account_id);
    auto current = store_.LoadConsent(listed.tenant, listed.handle);
    if (!current) return failed(current.error());
    auto connector = factory_(listed.bank_id);
    if (!connector) return {ConsentFailed(listed, connector.error())};
    return ConsentSync(store_, **connector, std::move(*current), options).Run();
  };
  const auto worker = [&] {
    while (std::optional<ConsentRecord> record = scheduler.Next()) {
      const std::string bank = record->bank_id;
      if (options.stop && options.stop->load()) {  // not started: nothing to report but that it was left
        scheduler.Done(bank);
        continue;
      }
      std::vector<AccountSyncResult> results = sync_leased(*record);
      scheduler.Done(bank);
      std::lock_guard lock(mu);
      for (auto& r : results) report.accounts.push_back(std::move(r));
    }
  };
  const int threads = std::clamp<int>(options.max_parallel, 1, std::max<int>(1, static_cast<int>(scheduler.size())));
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
  std::sort(report.accounts.begin(), report.accounts.end(), [](const auto& x, const auto& y) {
    return std::tie(x.tenant, x.consent_handle, x.account.account_id) <
           std::tie(y.tenant, y.consent_handle, y.account.account_id);
  });
  return report;
}

}  // namespace bankfeed
