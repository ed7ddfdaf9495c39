// sync/reconcile.hpp: turns one account's fetched window into feed changes (docs/DESIGN.md §6). Pure: no I/O.
//
// The stored side is what the store holds for the window (every booked row from the window's first day on, every
// pending row); the fetched side is every page of one query, ids assigned over the whole batch. Rows are matched
// in three passes, each only among rows the earlier passes left:
//   1. bank id, where the profile trusts the bank's ids: same transaction_id and status. A content difference is a
//      `modified`. A booked row carrying a stored pending row's id replaces it (pass 3's outcome).
//   2. fingerprint: the content without the bank's identifiers (TransactionFingerprint), matched one to one in
//      order, so three equal fetched rows against two equal stored rows leave exactly one new row: twins stay twins.
//      Under trusted ids a changed bank id (an id-scheme change) is a `modified`; otherwise it is no change at all.
//   3. pending→booked: a stored pending row that is gone is replaced by a new booked row of the same currency and
//      sign, booked from 2 days before to `pending_booking_days` after the pending row's date, with an amount within
//      `amount_tolerance_percent` and a similar counterparty. The booked row is `added` with
//      pending_transaction_id, the pending one `removed`. A gone pending row can likewise become a new pending row
//      (amount or details changed while pending): a `modified` that keeps its id.
// What is left: fetched rows are `added` (with ids not used by any stored row of the window), stored rows
// `removed`: the bank no longer shows them.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "bankfeed/datetime.hpp"
#include "bankfeed/profile.hpp"
#include "bankfeed/store.hpp"

namespace bankfeed::sync {

struct ReconcileRules {
  bool trust_ids = true;
  SyncRules rules;
};

struct Reconciliation {
  std::vector<FeedTransaction> added;
  std::vector<FeedTransaction> modified;
  std::vector<std::string> removed;
  bool empty() const { return added.empty() && modified.empty() && removed.empty(); }
};

// `fetched` rows booked before `window_from` are outside the window and ignored.
Reconciliation Reconcile(std::span<const FeedTransaction> stored, std::vector<Transaction> fetched, Date window_from,
                         const ReconcileRules& rules);

// The date a row is filed under: the booking date for booked rows, else the value or transaction date.
std::optional<Date> RowDate(const Transaction& t);

// A new id for a row whose id `id` is taken, the n-th try (n >= 1): "tx_" + 32 hex digits of SHA-256(id "#" n).
std::string RederiveId(std::string_view id, int n);

// Word-overlap similarity of two counterparty names in percent (0..100): shared words over the shorter name's
// words, case-insensitive, ASCII punctuation ignored.
int NameSimilarity(std::string_view a, std::string_view b);

}  // namespace bankfeed::sync
