// sync/ingest.hpp: the store half of one account's sync (internal to src/sync; the bench calls it too).
//
// IngestBatch takes a fetched batch (every page of one query, ids assigned over the whole batch, as
// Connector::GetTransactions returns it) and the account's balances, and does what SyncEngine does with them once
// the bank calls are over:
//   0. keyed ids:           store.KeyTransactionIds on every fetched row (their ids become the store's);
//   1. the stored window:   store.LoadWindow(account, batch.date_from);
//   2. the newest booking date of the batch (starting from the account's stored last_booked_date);
//   3. sync::Reconcile(stored window, batch, batch.date_from, rules);
//   4. unique ids:          added rows whose id another stored row of the account already has (outside the window)
//                           get a re-derived id (store.TransactionIdsInUse, up to 8 rounds);
//   5. one commit:          store.CommitAccountSync with the changes, the balances and the sync state (outcome kOk,
//                           last_attempt = last_success = `now`, the window, pages, fetched).
// A store error at any step is returned as is, and nothing of this sync is written (the commit is one database
// transaction). The engine reports such an error as SyncOutcome::kFailed.
#pragma once

#include <cstdint>
#include <vector>

#include "bankfeed/connector.hpp"
#include "bankfeed/store.hpp"
#include "sync/reconcile.hpp"

namespace bankfeed::sync {

struct IngestResult {
  int added = 0;
  int modified = 0;
  int removed = 0;
  int64_t fetched = 0;   // rows in the batch
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

}  // namespace bankfeed::sync
