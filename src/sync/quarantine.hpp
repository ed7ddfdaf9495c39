// sync/quarantine.hpp: what one account's sync does with the rows the mapping refused (internal to src/sync).
//
// A fetched row the mapping cannot normalize no longer fails the account's sync: the connector hands it over in
// TransactionBatch::refused and the sync keeps it in the store's quarantine (QuarantineEntry), sealed, with its
// typed error. PlanQuarantine decides, on every sync of the account, what becomes of each stored entry and each row
// refused now. An entry is named by its raw bytes and its occurrence among identical refused rows of one fetch, so
// twins stay two entries:
//   refused again        kept: error and last_seen updated (written again, so sealed under the active key);
//   normalizes now       (the same bytes among the fetched rows, or NormalizeTransactionRow under the account's
//                        current profile) a booked row dated before the fetched window is `recovered`: the bank no
//                        longer sends it, so the sync adds it itself (after reconciling it against the stored rows
//                        before the window, so that a row stored meanwhile is not added twice). Any other row that
//                        normalizes is dropped from the quarantine: inside the window it arrives through the fetch
//                        (or the bank no longer shows it); a pending or information row the bank no longer lists is
//                        gone; a rejected one never enters the feed;
//   still fails          kept, with the new error; last_seen unchanged.
// New refused rows become entries first seen now. Nothing here logs or returns a row's bytes but in the entries.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "bankfeed/normalize.hpp"
#include "bankfeed/store.hpp"

namespace bankfeed::sync {

// Normalizes a quarantined row on its own, as the account's connector would now (NormalizeTransactionRow under the
// profile's options: RenormalizeWith). Empty: entries are not tried again.
using Renormalizer = std::function<Result<Transaction>(const QuarantineEntry&)>;
Renormalizer RenormalizeWith(NormalizeOptions options);

struct QuarantinePlan {
  std::vector<QuarantineEntry> put;  // for AccountCommit::quarantine_put
  std::vector<std::string> drop;     // for AccountCommit::quarantine_drop
  std::vector<Transaction> recovered;  // booked before the window, in entry order; ids not assigned
  int64_t quarantined = 0;             // entries once the plan is committed
};

// `fetched`: the batch's normalized rows (their raw_json, where the connector kept it, is matched against the
// entries). Without `renormalize`, an entry that is neither refused again nor among the fetched rows is kept as it
// is.
QuarantinePlan PlanQuarantine(std::span<const QuarantineEntry> stored, std::span<const RefusedRow> refused,
                              std::span<const Transaction> fetched, Date window_from, const Renormalizer& renormalize,
                              DateTime now);

}  // namespace bankfeed::sync
