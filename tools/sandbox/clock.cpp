#include "tools/sandbox/clock.hpp"

#include <algorithm>

namespace bankfeed::sandbox {

void OrderNewestFirst(std::vector<TransactionView>& rows) {
  std::stable_sort(rows.begin(), rows.end(), [](const TransactionView& a, const TransactionView& b) {
    if (a.booked != b.booked) return !a.booked;
    const Date da = a.booked ? *a.booking_date : a.value_date, db = b.booked ? *b.booking_date : b.value_date;
    return da > db;
  });
}

std::vector<TransactionView> VisibleTransactions(const ScenarioAccount& account, Date today) {
  std::vector<TransactionView> out;
  out.reserve(account.transactions.size());
  for (const ScenarioTransaction& t : account.transactions) {
    TransactionView v;
    v.row = &t;
    if (t.status == TxStatus::kBooked) {
      if (!t.booking_date || *t.booking_date > today) continue;
      v.booked = true;
      v.id = t.id;
      v.amount = t.amount;
      v.booking_date = t.booking_date;
      v.value_date = t.value_date;
    } else if (t.books_on && *t.books_on <= today && t.booked) {
      v.booked = true;
      v.id = t.booked->id;
      v.amount = t.booked->amount;
      v.booking_date = t.booked->booking_date;
      v.value_date = t.booked->value_date;
    } else {
      if (t.value_date > today) continue;
      v.id = t.id;
      v.amount = t.amount;
      v.value_date = t.value_date;
    }
    out.push_back(v);
  }
  return out;
}

std::vector<const ScenarioBalance*> VisibleBalances(const ScenarioAccount& account, Date today) {
  std::vector<const ScenarioBalance*> out;
  for (const ScenarioBalance& b : account.balances) {
    if (b.date && *b.date > today) continue;
    auto same = std::find_if(out.begin(), out.end(), [&](const ScenarioBalance* o) { return o->type == b.type; });
    if (same == out.end()) {
      out.push_back(&b);
    } else if (b.date && (!(*same)->date || *(*same)->date <= *b.date)) {
      *same = &b;
    }
  }
  return out;
}

}  // namespace bankfeed::sandbox
