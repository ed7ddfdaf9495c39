// One account's fetched batch reconciled against the store and committed. See sync/ingest.hpp.
#include "sync/ingest.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
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

}  // namespace

Result<IngestResult> IngestBatch(Store& store, const AccountRecord& account, TransactionBatch batch,
                                 std::vector<Balance> balances, const ReconcileRules& rules, DateTime now,
                                 IngestTimings* timings) {
  Clock::time_point lap = timings != nullptr ? Clock::now() : Clock::time_point();
  // From here on every id is the store's keyed one: the stored rows', the fetched rows', the links between them.
  BANKFEED_RETURN_IF_ERROR(store.KeyTransactionIds(account.tenant, batch.transactions));
  Lap(timings, &IngestTimings::key_ids, lap);
  BANKFEED_ASSIGN_OR_RETURN(const std::vector<FeedTransaction> stored, store.LoadWindow(account.ref, batch.date_from));
  Lap(timings, &IngestTimings::load, lap);

  IngestResult result;
  result.fetched = static_cast<int64_t>(batch.transactions.size());
  std::optional<Date> last_booked = account.state.last_booked_date;
  for (const Transaction& t : batch.transactions) {
    if (t.status == TransactionStatus::kBooked && t.booking_date && (!last_booked || *t.booking_date > *last_booked)) {
      last_booked = t.booking_date;
    }
  }
  Reconciliation rec = Reconcile(stored, std::move(batch.transactions), batch.date_from, rules);
  Lap(timings, &IngestTimings::reconcile, lap);

  BANKFEED_RETURN_IF_ERROR(UniqueIds(store, account.ref, rec.added));
  Lap(timings, &IngestTimings::in_use, lap);

  AccountCommit commit;
  commit.account = account.ref;
  commit.added = std::move(rec.added);
  commit.modified = std::move(rec.modified);
  commit.removed = std::move(rec.removed);
  commit.balances = std::move(balances);
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
  // Given up: the store releases each row as soon as it has sealed it (the batch is not used again).
  BANKFEED_ASSIGN_OR_RETURN(result.head_seq, store.CommitAccountSync(std::move(commit)));
  Lap(timings, &IngestTimings::commit, lap);
  return result;
}

}  // namespace bankfeed::sync
