// One account's fetched batch reconciled against the store and committed. See sync/ingest.hpp.
#include "sync/ingest.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "bankfeed/ids.hpp"
#include <utility>
#include <vector>

namespace bankfeed::sync {
namespace {

using Clock = std::chrono::steady_clock;

// Adds the time since `start` to `*field` (when timings are asked for) and restarts the clock.
void Lap(IngestTimings* timings, double IngestTimings::*field, Clock::time_point& start) {
  if (timings == nullptr) return;
  const Clock::time_point now = Clock::now();
  timings->*field += std::chrono::duration<double>(now - start).count();
  start = now;
}

// Gives rows whose id another stored row of the account already has (outside the window) a fresh id.
Status UniqueIds(Store& store, const AccountRef& ref, std::vector<FeedTransaction>& added) {
  for (int round = 1; round <= 8; ++round) {
    std::vector<std::string_view> ids;  // views of the rows' ids, which do not change until the answer is used
    ids.reserve(added.size());
    for (const FeedTransaction& t : added) ids.emplace_back(t.transaction.id);
    auto used = store.TransactionIdsInUse(ref, ids);
    if (!used) return tl::unexpected(used.error());
    if (used->empty()) return {};
    const std::unordered_set<std::string> taken(used->begin(), used->end());
    for (FeedTransaction& t : added) {
      if (taken.contains(t.transaction.id)) t.transaction.id = RederiveId(t.transaction.id, round);
    }
  }
  return MakeError(ErrorCode::kInternal, "could not find unused transaction ids");
}

// When the batch has refused rows, a stored row missing from the fetched ones may be one of them, refused this time
// (a bank that changed how it writes a field, a profile that changed): its absence proves nothing, so no stored row
// is removed for it. The removals kept are the pending rows a booked row of this batch replaces (that row says
// where the pending one went). This is safe: a row that really went stays in the feed only until a sync reads the
// window complete again (no refused row), which removes it then; and a refused row that was really a stored row
// stays in the feed meanwhile instead of flickering out and back in.
void KeepReplacementsOnly(Reconciliation& rec) {
  std::unordered_set<std::string_view> replaced;
  for (const FeedTransaction& a : rec.added) {
    if (a.pending_transaction_id) replaced.insert(*a.pending_transaction_id);
  }
  std::erase_if(rec.removed, [&](const std::string& id) { return !replaced.contains(id); });
}

// Quarantined rows from before the window that normalize now: given ids as a fetched batch's rows are, and
// reconciled against the stored rows before the window (a row already stored, say under other raw bytes, is not
// added twice). Only additions and modifications: the window before `from` was not read, so nothing there is gone.
// Their ids are kept apart from `taken` (the main reconciliation's added and modified rows).
Result<Reconciliation> ReconcileRecovered(Store& store, const AccountRecord& account, std::vector<Transaction> rows,
                                          Date from, const ReconcileRules& rules,
                                          const std::vector<FeedTransaction>& main_added,
                                          const std::vector<FeedTransaction>& main_modified) {
  TransactionIdAssigner assigner;
  Date oldest = from;
  for (Transaction& t : rows) {
    assigner.Assign(t);
    if (t.booking_date && *t.booking_date < oldest) oldest = *t.booking_date;
  }
  BANKFEED_RETURN_IF_ERROR(store.KeyTransactionIds(account.tenant, rows));
  BANKFEED_ASSIGN_OR_RETURN(std::vector<FeedTransaction> older, store.LoadWindow(account.ref, oldest));
  // The rows the main reconciliation did not look at: those dated before the window but pending ones (every stored
  // pending row is in the window).
  std::erase_if(older, [&](const FeedTransaction& f) {
    const std::optional<Date> d = RowDate(f.transaction);
    return f.transaction.status == TransactionStatus::kPending || !d || *d >= from;
  });
  Reconciliation rec = Reconcile(older, std::move(rows), oldest, rules);
  rec.removed.clear();
  std::unordered_set<std::string> taken;
  for (const auto* list : {&main_added, &main_modified}) {
    for (const FeedTransaction& f : *list) taken.insert(f.transaction.id);
  }
  for (FeedTransaction& a : rec.added) {
    for (int n = 1; taken.contains(a.transaction.id); ++n) a.transaction.id = RederiveId(a.transaction.id, n);
    taken.insert(a.transaction.id);
  }
  return rec;
}

}  // namespace

Result<IngestResult> IngestBatch(Store& store, const AccountRecord& account, TransactionBatch batch,
                                 std::vector<Balance> balances, const ReconcileRules& rules, DateTime now,
                                 IngestTimings* timings) {
  return IngestBatch(store, account, std::move(batch), std::move(balances), rules, Renormalizer(), now, timings);
}

Result<IngestResult> IngestBatch(Store& store, const AccountRecord& account, TransactionBatch batch,
                                 std::vector<Balance> balances, const ReconcileRules& rules,
                                 const Renormalizer& renormalize, DateTime now,
                                 IngestTimings* timings) {
  Clock::time_point lap = timings != nullptr ? Clock::now() : Clock::time_point();
  // From here on every id is the store's keyed one: the stored rows', the fetched rows', the links between them.
  BANKFEED_RETURN_IF_ERROR(store.KeyTransactionIds(account.tenant, batch.transactions));
  Lap(timings, &IngestTimings::key_ids, lap);
  BANKFEED_ASSIGN_OR_RETURN(const std::vector<FeedTransaction> stored, store.LoadWindow(account.ref, batch.date_from));
  BANKFEED_ASSIGN_OR_RETURN(const std::vector<QuarantineEntry> quarantine, store.LoadQuarantine(account.ref));
  Lap(timings, &IngestTimings::load, lap);

  QuarantinePlan plan =
      PlanQuarantine(quarantine, batch.refused, batch.transactions, batch.date_from, renormalize, now);
  // A rejected operation moved no money: it never enters the feed (a stored pending row it was goes as removed).
  std::erase_if(batch.transactions, [](const Transaction& t) { return t.status == TransactionStatus::kRejected; });

  IngestResult result;
  result.fetched = static_cast<int64_t>(batch.transactions.size());
  std::optional<Date> last_booked = account.state.last_booked_date;
  for (const Transaction& t : batch.transactions) {
    if (t.status == TransactionStatus::kBooked && t.booking_date && (!last_booked || *t.booking_date > *last_booked)) {
      last_booked = t.booking_date;
    }
  }
  Reconciliation rec = Reconcile(stored, std::move(batch.transactions), batch.date_from, rules);
  if (!batch.refused.empty()) KeepReplacementsOnly(rec);
  Lap(timings, &IngestTimings::reconcile, lap);

  if (!plan.recovered.empty()) {
    BANKFEED_ASSIGN_OR_RETURN(Reconciliation recovered,
                              ReconcileRecovered(store, account, std::move(plan.recovered), batch.date_from, rules,
                                                 rec.added, rec.modified));
    result.recovered = static_cast<int>(recovered.added.size());
    for (auto& a : recovered.added) rec.added.push_back(std::move(a));
    for (auto& m : recovered.modified) rec.modified.push_back(std::move(m));
  }
  BANKFEED_RETURN_IF_ERROR(UniqueIds(store, account.ref, rec.added));
  Lap(timings, &IngestTimings::in_use, lap);

  AccountCommit commit;
  commit.account = account.ref;
  commit.added = std::move(rec.added);
  commit.modified = std::move(rec.modified);
  commit.removed = std::move(rec.removed);
  commit.balances = std::move(balances);
  commit.quarantine_put = std::move(plan.put);
  commit.quarantine_drop = std::move(plan.drop);
  commit.state.outcome = SyncOutcome::kOk;
  commit.state.last_booked_date = last_booked;
  commit.state.window_from = batch.date_from;
  commit.state.window_to = batch.date_to;
  commit.state.last_attempt = commit.state.last_success = now;
  commit.state.pages = batch.pages;
  commit.state.fetched = result.fetched;
  result.added = static_cast<int>(commit.added.size());
  result.modified = static_cast<int>(commit.modified.size());
  result.removed = static_cast<int>(commit.removed.size());
  result.quarantined = plan.quarantined;
  // Given up: the store releases each row as soon as it has sealed it (the batch is not used again).
  BANKFEED_ASSIGN_OR_RETURN(result.head_seq, store.CommitAccountSync(std::move(commit)));
  Lap(timings, &IngestTimings::commit, lap);
  return result;
}

}  // namespace bankfeed::sync
