// adapters/common/page_overlap.hpp: a declared page overlap (profile `quirks.page_overlap`), checked and
// dropped, over pages that may hold rows the mapping refused (used by the page walk, adapters/common/page_walk.hpp).
//
// The bank repeats the previous page's last `overlap` rows at the start of the next. A page carries booked, pending
// and information rows in separate arrays, so "last" and "start" hold per list: the candidates are the first
// `overlap` rows of each list on the new page, matched one to one against the last `overlap` rows of that list on
// the previous page. Exactly min(overlap, previous size, page size) rows must match. A refused row counts as a row
// of its list at its place: it matches a refused row of the previous page with the same bytes (the same row,
// refused on both pages), and a normalized row matches one equal in everything but the bank's ids.
#pragma once

#include <cstddef>
#include <vector>

#include "bankfeed/model.hpp"
#include "bankfeed/normalize.hpp"

namespace bankfeed::adapters {

struct PageRows {
  std::vector<Transaction> rows;   // normalized, in list order
  std::vector<RefusedRow> refused;  // in list order
  // Every row of the page, normalized or refused, in the page's order (OrderPage).
  struct Slot {
    TransactionStatus list = TransactionStatus::kBooked;
    bool refused = false;
    size_t index = 0;  // into `rows` or `refused`
  };
  std::vector<Slot> order;
};

// Fills page.order: within each list, the refused rows at the places their paths name ("transactions.booked[3]")
// and the normalized rows in the other places, in order.
void OrderPage(PageRows& page);

// Drops from `page` (ordered) the rows that repeat `previous`'s last rows. False when too few repeat them.
bool DropOverlap(const PageRows& previous, PageRows& page, size_t overlap);

}  // namespace bankfeed::adapters
