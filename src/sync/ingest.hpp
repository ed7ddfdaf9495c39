// sync/ingest.hpp: the store half of one account's sync (internal to src/sync; the bench calls it too).
//
// IngestBatch takes a fetched batch (every page of one query, ids assigned over the whole batch, as
// Connector::GetTransactions returns it) and the account's balances, and does what SyncEngine does with them once
// the bank calls are over:
//   0. keyed ids:           store.KeyTransactionIds on every fetched row (their ids become the store's);
//   1. the stored window:   store.LoadWindow(account, batch.date_from), and the account's quarantine;
//   2. the quarantine plan: sync::PlanQuarantine (sync/quarantine.hpp) over the stored entries, batch.refused and the
//                           fetched rows; then rejected rows (TransactionStatus::kRejected: no money moved) are
//                           dropped, so they never reach the feed (a stored pending row the bank now reports
//                           rejected goes as a removal);
//   3. the newest booking date of the batch (starting from the account's stored last_booked_date), and
//      sync::Reconcile(stored window, batch, batch.date_from, rules); when the batch has refused rows, only the
//      removals of pending rows a booked row replaces are kept (a refused row may be a stored one: its absence
//      proves nothing);
//   4. recovered rows (quarantined rows from before the window that normalize now) get ids, and are reconciled
//      against the stored rows before the window: only their additions and modifications are kept;
//      unique ids:          added rows whose id another stored row of the account already has (outside the window)
//                           get a re-derived id (store.TransactionIdsInUse, up to 8 rounds);
//   5. one commit:          store.CommitAccountSync with the changes, the balances, the quarantine's changes and the
//                           sync state (outcome kOk, last_attempt = last_success = `now`, the window, pages, fetched).
// A store error at any step is returned as is, and nothing of this sync is written (the commit is one database
// transaction). The engine reports such an error as SyncOutcome::kFailed.
#pragma once

#include <cstdint>
#include <vector>

#include "bankfeed/connector.hpp"
#include "bankfeed/store.hpp"
#include "sync/quarantine.hpp"
#include "sync/reconcile.hpp"

namespace bankfeed::sync {

struct IngestResult {
  int added = 0;
  int modified = 0;
  int removed = 0;
  int64_t fetched = 0;   // rows in the batch
  int64_t quarantined = 0;  // the account's quarantined rows after the commit
  int recovered = 0;        // quarantined rows from before the window that this sync added (counted in `added`)
  int64_t head_seq = 0;  // the tenant's head after the commit
};

// Seconds spent in each step of IngestBatch, added to the fields (for the ingest bench's phase breakdown).
struct IngestTimings {
  double key_ids = 0;    // 0
  double load = 0;       // 1
  double reconcile = 0;  // 2 and 3
  double in_use = 0;     // 4
  double commit = 0;     // 5
};

Result<IngestResult> IngestBatch(Store& store, const AccountRecord& account, TransactionBatch batch,
                                 std::vector<Balance> balances, const ReconcileRules& rules, DateTime now,
                                 IngestTimings* timings = nullptr);
// The same, trying quarantined rows again with `renormalize` (RenormalizeWith the account's profile options). The
// version above keeps a stored entry that is neither refused again nor fetched as it is.
Result<IngestResult> IngestBatch(Store& store, const AccountRecord& account, TransactionBatch batch,
                                 std::vector<Balance> balances, const ReconcileRules& rules,
                                 const Renormalizer& renormalize, DateTime now,
                                 IngestTimings* timings = nullptr);

}  // namespace bankfeed::sync
