// The sandbox's simulated calendar and what a bank shows on a given day.
//
// "Today" starts at --today (default: the scenario's latest date) and moves only through SimClock::Set (the admin
// endpoint POST /sandbox/clock). Rows dated after today are invisible; a pending row shows as pending from its value
// date and as its booked version from its books_on date on.
#pragma once

#include <atomic>
#include <optional>
#include <string_view>
#include <vector>

#include "tools/sandbox/scenario.hpp"

namespace bankfeed::sandbox {

class SimClock {
 public:
  explicit SimClock(Date today) : days_(today.days_since_epoch) {}
  Date Today() const { return Date{days_.load()}; }
  void Set(Date today) { days_.store(today.days_since_epoch); }

 private:
  std::atomic<int32_t> days_;
};

// One transaction as the bank shows it today: a booked row, a pending row, or a pending row's booked version.
struct TransactionView {
  const ScenarioTransaction* row = nullptr;
  bool booked = false;
  std::string_view id;
  Decimal amount;
  std::optional<Date> booking_date;  // booked only
  Date value_date;
};

// The account's transactions visible on `today`, in scenario order.
std::vector<TransactionView> VisibleTransactions(const ScenarioAccount& account, Date today);

// Pending rows first (newest value date first), then booked rows (newest booking date first); ties keep the
// scenario's order, so pages are stable between requests. Every module lists rows this way.
void OrderNewestFirst(std::vector<TransactionView>& rows);

// The account's balances visible on `today`: per type the one with the latest date (undated ones count as oldest),
// in the order the types first appear in the scenario.
std::vector<const ScenarioBalance*> VisibleBalances(const ScenarioAccount& account, Date today);

}  // namespace bankfeed::sandbox
