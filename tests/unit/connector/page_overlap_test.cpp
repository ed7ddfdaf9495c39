// A declared page overlap (profile quirks.page_overlap) over pages that hold rows the mapping refused
// (adapters/common/page_overlap.hpp): a refused row takes its place in its list, and repeats as itself.
#include <gtest/gtest.h>

#include "adapters/common/page_overlap.hpp"

namespace bankfeed::adapters {
namespace {

Transaction Row(const char* remittance, TransactionStatus status = TransactionStatus::kBooked) {
  Transaction t;
  t.status = status;
  t.booking_date = t.value_date = Date::FromYmd(2025, 1, 2);
  t.amount = *Money::Parse("-1.00", "EUR");
  t.remittance = remittance;
  return t;
}

RefusedRow Refused(const char* raw, size_t place, TransactionStatus list = TransactionStatus::kBooked) {
  const std::string name = list == TransactionStatus::kBooked ? "booked" : "pending";
  return RefusedRow{"transactions." + name + "[" + std::to_string(place) + "]",
                    Error(ErrorCode::kInvalidInput, "bookingDate: not a date"), raw, list};
}

std::vector<std::string> Order(const PageRows& page) {
  std::vector<std::string> out;
  for (const PageRows::Slot& s : page.order) {
    out.push_back(s.refused ? "!" + page.refused[s.index].raw_json : *page.rows[s.index].remittance);
  }
  return out;
}

TEST(PageOverlap, RefusedRowsTakeTheirPlaceInTheirList) {
  PageRows page;
  page.rows = {Row("a"), Row("c"), Row("p", TransactionStatus::kPending)};
  page.refused = {Refused("{p0}", 0, TransactionStatus::kPending), Refused("{b1}", 1), Refused("{b3}", 3)};
  OrderPage(page);
  EXPECT_EQ(Order(page), (std::vector<std::string>{"a", "!{b1}", "c", "!{b3}", "!{p0}", "p"}));
}

TEST(PageOverlap, ARowRefusedOnBothPagesIsTheSameRowAndIsDroppedOnce) {
  PageRows previous;
  previous.rows = {Row("a"), Row("b")};
  previous.refused = {Refused("{x}", 2)};  // a, b, {x}: the last two are b and {x}
  OrderPage(previous);
  PageRows page;
  page.rows = {Row("b"), Row("c")};
  page.refused = {Refused("{x}", 1), Refused("{y}", 3)};  // b, {x}, c, {y}
  OrderPage(page);
  ASSERT_TRUE(DropOverlap(previous, page, 2));
  EXPECT_EQ(Order(page), (std::vector<std::string>{"c", "!{y}"}));
  ASSERT_EQ(page.rows.size(), 1u);
  ASSERT_EQ(page.refused.size(), 1u);
  EXPECT_EQ(page.refused[0].raw_json, "{y}");
}

TEST(PageOverlap, ARefusedRowDoesNotStandInForAnother) {
  PageRows previous;
  previous.rows = {Row("a")};
  previous.refused = {Refused("{x}", 1)};
  OrderPage(previous);
  PageRows page;
  page.rows = {Row("a"), Row("c")};
  page.refused = {Refused("{other}", 1)};  // a, {other}, c: {other} is not {x}
  OrderPage(page);
  EXPECT_FALSE(DropOverlap(previous, page, 2));

  PageRows good_for_refused;  // nor does a normalized row stand in for a refused one
  good_for_refused.rows = {Row("a"), Row("x"), Row("c")};
  OrderPage(good_for_refused);
  EXPECT_FALSE(DropOverlap(previous, good_for_refused, 2));
}

TEST(PageOverlap, WithoutRefusedRowsItIsTheOverlapAsBefore) {
  PageRows previous;
  previous.rows = {Row("a"), Row("b"), Row("c")};
  OrderPage(previous);
  PageRows page;
  page.rows = {Row("b"), Row("c"), Row("d")};
  page.rows[0].transaction_id = "another id";  // ids may change between fetches
  OrderPage(page);
  ASSERT_TRUE(DropOverlap(previous, page, 2));
  ASSERT_EQ(page.rows.size(), 1u);
  EXPECT_EQ(page.rows[0].remittance, std::optional<std::string>("d"));
}

}  // namespace
}  // namespace bankfeed::adapters
