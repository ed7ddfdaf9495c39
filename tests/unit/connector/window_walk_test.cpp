// A long period in windows (adapters/common/window_walk.hpp): the windows cover the period exactly, and a row that
// several windows return is kept once while genuine twins stay twins.
#include <gtest/gtest.h>

#include "adapters/common/window_walk.hpp"

namespace bankfeed::adapters {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

std::vector<std::string> Spans(const std::vector<DateWindow>& windows) {
  std::vector<std::string> out;
  for (const DateWindow& w : windows) out.push_back(w.from.ToString() + ".." + w.to.ToString());
  return out;
}

TEST(SplitPeriod, ConsecutiveWindowsOfAtMostTheCapCoverThePeriodExactly) {
  EXPECT_EQ(Spans(SplitPeriod(D("2025-01-01"), D("2025-01-25"), 10)),
            (std::vector<std::string>{"2025-01-01..2025-01-10", "2025-01-11..2025-01-20", "2025-01-21..2025-01-25"}));
  EXPECT_EQ(Spans(SplitPeriod(D("2025-01-01"), D("2025-01-20"), 10)),
            (std::vector<std::string>{"2025-01-01..2025-01-10", "2025-01-11..2025-01-20"}));
  EXPECT_EQ(Spans(SplitPeriod(D("2025-01-01"), D("2025-01-01"), 10)),
            (std::vector<std::string>{"2025-01-01..2025-01-01"}));
  EXPECT_EQ(Spans(SplitPeriod(D("2024-02-20"), D("2024-03-02"), 1)).size(), 12u);  // a leap year's February
  EXPECT_EQ(Spans(SplitPeriod(D("2025-01-01"), D("2025-12-31"), 0)),
            (std::vector<std::string>{"2025-01-01..2025-12-31"}));
  EXPECT_TRUE(SplitPeriod(D("2025-01-02"), D("2025-01-01"), 10).empty());
}

Transaction Row(const char* booked, const char* remittance, TransactionStatus status = TransactionStatus::kBooked) {
  Transaction t;
  t.status = status;
  if (status == TransactionStatus::kBooked) t.booking_date = D(booked);
  t.value_date = D(booked);
  t.amount = *Money::Parse("-1.00", "EUR");
  t.remittance = remittance;
  t.raw_json = std::string("{\"r\":\"") + remittance + "\"}";
  return t;
}

// A bank that ignores dateTo: each window returns every row from its start on, and the pending row every time.
TEST(WalkWindows, RowsThatSeveralWindowsReturnAreKeptOnceAndTwinsStayTwins) {
  const std::vector<Transaction> all = {Row("2025-01-02", "a"), Row("2025-01-15", "twin"),
                                        Row("2025-01-15", "twin"), Row("2025-01-28", "c"),
                                        Row("2025-01-29", "p", TransactionStatus::kPending)};
  std::vector<std::string> asked;
  auto rows = WalkWindows(D("2025-01-01"), D("2025-01-30"), 10, [&](const DateWindow& w) -> Result<WalkedRows> {
    asked.push_back(w.from.ToString());
    WalkedRows out;
    out.pages = 1;
    for (const Transaction& t : all) {
      if (!t.booking_date || *t.booking_date >= w.from) out.transactions.push_back(t);
    }
    out.refused.push_back(RefusedRow{"transactions.pending[1]", Error(ErrorCode::kInvalidInput, "amount: bad"),
                                     "{\"bad\":1}", TransactionStatus::kPending});
    return out;
  });
  ASSERT_TRUE(rows) << rows.error().ToString();
  EXPECT_EQ(asked, (std::vector<std::string>{"2025-01-01", "2025-01-11", "2025-01-21"}));
  std::vector<std::string> kept;
  for (const Transaction& t : rows->transactions) kept.push_back(*t.remittance);
  EXPECT_EQ(kept, (std::vector<std::string>{"a", "twin", "twin", "c", "p"}));
  EXPECT_EQ(rows->refused.size(), 1u);
  EXPECT_EQ(rows->pages, 3);
}

TEST(WalkWindows, AnErrorInAnyWindowKeepsNothing) {
  int calls = 0;
  auto rows = WalkWindows(D("2025-01-01"), D("2025-01-30"), 10, [&](const DateWindow&) -> Result<WalkedRows> {
    if (++calls == 2) return MakeError(ErrorCode::kProtocol, "window 2 broke");
    WalkedRows out;
    out.transactions.push_back(Row("2025-01-02", "a"));
    return out;
  });
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.error().message, "window 2 broke");
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace bankfeed::adapters
