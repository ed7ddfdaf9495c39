// Berlin Group rendering with every wire option, and pagination arithmetic.
#include <gtest/gtest.h>

#include "tools/sandbox/pagination.hpp"
#include "tools/sandbox/berlin_group/render.hpp"
#include "tools/sandbox/json_writer.hpp"
#include "unit/sandbox/sandbox_test_util.hpp"

namespace bankfeed::sandbox::berlin_group {
namespace {

using test::JsonArraySize;
using test::JsonHas;
using test::JsonRaw;
using test::JsonString;

class Render : public ::testing::Test {
 protected:
  Scenario scenario_ = test::ParseOrDie(test::MiniScenario());
  const ScenarioAccount& acc1_ = *scenario_.FindAccount("acc-1");
  const Date today_ = Date::FromYmd(2025, 1, 4);
  std::vector<TransactionView> rows_ = VisibleTransactions(acc1_, today_);
  std::vector<Link> links_{{"self", "/v1/accounts/acc-1/transactions?bookingStatus=both"},
                           {"next", "/v1/accounts/acc-1/transactions?bookingStatus=both&page=2"}};

  RenderOptions Options() const {
    RenderOptions o;
    o.base_url = "https://127.0.0.1:4443";
    return o;
  }
};

TEST_F(Render, DefaultsAreStringAmountsStableIdsAndAbsoluteObjectLinks) {
  const std::string json = RenderTransactions(acc1_, rows_, BookingStatus::kBoth, links_, Options());
  EXPECT_EQ(JsonString(json, "/account/iban"), "DE89370400440532013000");
  ASSERT_EQ(JsonArraySize(json, "/transactions/booked"), 4u);
  ASSERT_EQ(JsonArraySize(json, "/transactions/pending"), 2u);
  const std::string t1 = JsonRaw(json, "/transactions/booked/0");
  EXPECT_EQ(t1,
            R"({"transactionId":"t1","entryReference":"t1","bookingDate":"2025-01-02","valueDate":"2025-01-02",)"
            R"("transactionAmount":{"currency":"EUR","amount":"-12.30"},"creditorName":"Lidl",)"
            R"("creditorAccount":{"iban":"DE02120300000000202051"},"remittanceInformationUnstructured":"card 1234"})");
  // Money in: the counterparty is the debtor.
  EXPECT_EQ(JsonString(json, "/transactions/booked/1/debtorName"), "Employer AG");
  EXPECT_EQ(JsonString(json, "/transactions/booked/1/transactionAmount/amount"), "2500.00");
  EXPECT_FALSE(JsonHas(json, "/transactions/pending/0/bookingDate"));
  EXPECT_EQ(JsonString(json, "/transactions/pending/0/transactionId"), "p1");
  EXPECT_EQ(JsonString(json, "/transactions/_links/next/href"),
            "https://127.0.0.1:4443/v1/accounts/acc-1/transactions?bookingStatus=both&page=2");
}

TEST_F(Render, DayFirstRowsWriteTheirDatesDayFirst) {
  RenderOptions o = Options();
  o.today = today_;
  o.wire.day_first_rows = {"t1"};
  std::string json = RenderTransactions(acc1_, rows_, BookingStatus::kBoth, links_, o);
  EXPECT_EQ(JsonString(json, "/transactions/booked/0/bookingDate"), "02/01/2025");
  EXPECT_EQ(JsonString(json, "/transactions/booked/0/valueDate"), "02/01/2025");
  EXPECT_EQ(JsonString(json, "/transactions/booked/1/bookingDate").find('/'), std::string::npos) << "only t1";
  o.wire.day_first_from = Date{today_.days_since_epoch + 1};
  json = RenderTransactions(acc1_, rows_, BookingStatus::kBoth, links_, o);
  EXPECT_EQ(JsonString(json, "/transactions/booked/0/bookingDate"), "2025-01-02") << "not before day_first_from";
}

TEST_F(Render, AmountsAsNumbers) {
  RenderOptions o = Options();
  o.wire.amounts_as_numbers = true;
  const std::string json = RenderTransactions(acc1_, rows_, BookingStatus::kBoth, links_, o);
  EXPECT_EQ(JsonRaw(json, "/transactions/booked/0/transactionAmount"), R"({"currency":"EUR","amount":-12.3})");
  EXPECT_EQ(JsonRaw(json, "/transactions/booked/1/transactionAmount/amount"), "2500");
  EXPECT_NE(json.find(R"("amount":-12.3})"), std::string::npos);  // the literal text, not a float's rounding
}

TEST(WireAmount, ThousandsGroupedByThreeOnlyWhenAsked) {
  WireOptions plain;
  WireOptions grouped;
  grouped.thousands_separator = true;
  const auto eur = [](const char* text) { return *Money::Parse(text, "EUR"); };
  EXPECT_EQ(WireAmount(eur("-1234567.5"), plain), "-1234567.50");
  EXPECT_EQ(WireAmount(eur("-1234567.5"), grouped), "-1,234,567.50");
  EXPECT_EQ(WireAmount(eur("1000"), grouped), "1,000.00");
  EXPECT_EQ(WireAmount(eur("999.99"), grouped), "999.99");
  EXPECT_EQ(WireAmount(eur("-100"), grouped), "-100.00");
  EXPECT_EQ(WireAmount(*Money::Parse("1234567", "JPY"), grouped), "1,234,567");
}

TEST_F(Render, RelativeLinksAsArray) {
  RenderOptions o = Options();
  o.wire.links_absolute = false;
  o.wire.links_as_array = true;
  const std::string json = RenderTransactions(acc1_, rows_, BookingStatus::kBoth, links_, o);
  EXPECT_EQ(JsonRaw(json, "/transactions/_links"),
            R"([{"rel":"self","href":"/v1/accounts/acc-1/transactions?bookingStatus=both"},)"
            R"({"rel":"next","href":"/v1/accounts/acc-1/transactions?bookingStatus=both&page=2"}])");
  // An already absolute href (foreign_next) stays as it is.
  EXPECT_EQ(WireHref({"next", "https://bank.invalid/v1/x"}, o), "https://bank.invalid/v1/x");
}

TEST_F(Render, IdsNoneAndUnstable) {
  RenderOptions o = Options();
  o.ids = IdMode::kNone;
  const std::string none = RenderTransactions(acc1_, rows_, BookingStatus::kBoth, links_, o);
  EXPECT_EQ(none.find("transactionId"), std::string::npos);
  EXPECT_EQ(none.find("entryReference"), std::string::npos);
  o.ids = IdMode::kUnstable;
  const std::string a = RenderTransactions(acc1_, rows_, BookingStatus::kBoth, links_, o);
  const std::string b = RenderTransactions(acc1_, rows_, BookingStatus::kBoth, links_, o);
  const std::string id_a = JsonString(a, "/transactions/booked/2/transactionId");
  EXPECT_FALSE(id_a.empty());
  EXPECT_NE(id_a, "t3");
  EXPECT_NE(id_a, JsonString(b, "/transactions/booked/2/transactionId"));
  // The twins t3/t4 stay two rows with different ids in the same fetch.
  EXPECT_NE(id_a, JsonString(a, "/transactions/booked/3/transactionId"));
  EXPECT_EQ(JsonString(a, "/transactions/booked/2/entryReference"), id_a);
}

TEST_F(Render, BookingStatusSelectsArrays) {
  const std::string booked = RenderTransactions(acc1_, rows_, BookingStatus::kBooked, links_, Options());
  EXPECT_TRUE(JsonHas(booked, "/transactions/booked"));
  EXPECT_FALSE(JsonHas(booked, "/transactions/pending"));
  const std::string pending = RenderTransactions(acc1_, rows_, BookingStatus::kPending, links_, Options());
  EXPECT_FALSE(JsonHas(pending, "/transactions/booked"));
  EXPECT_EQ(JsonArraySize(pending, "/transactions/pending"), 2u);
}

TEST_F(Render, BalancesAndAccounts) {
  const auto balances = VisibleBalances(acc1_, Date::FromYmd(2025, 1, 6));
  const std::string json = RenderBalances(acc1_, balances, Date::FromYmd(2025, 1, 6), Options());
  EXPECT_EQ(JsonRaw(json, "/balances/0"),
            R"({"balanceType":"closingBooked","balanceAmount":{"currency":"EUR","amount":"1000.00"},)"
            R"("referenceDate":"2025-01-06"})");
  EXPECT_EQ(JsonString(json, "/balances/1/balanceType"), "interimAvailable");
  EXPECT_EQ(JsonString(json, "/balances/1/balanceAmount/amount"), "900.50");
  EXPECT_EQ(JsonString(json, "/balances/1/referenceDate"), "2025-01-06");  // undated: today

  const ScenarioAccount& yen = *scenario_.FindAccount("acc-3");
  RenderOptions numbers = Options();
  numbers.wire.amounts_as_numbers = true;
  EXPECT_EQ(JsonRaw(RenderBalances(yen, VisibleBalances(yen, today_), today_, Options()), "/balances/0/balanceAmount"),
            R"({"currency":"JPY","amount":"5000"})");
  EXPECT_EQ(JsonRaw(RenderBalances(yen, VisibleBalances(yen, today_), today_, numbers), "/balances/0/balanceAmount"),
            R"({"currency":"JPY","amount":5000})");

  RenderOptions relative = Options();
  relative.wire.links_absolute = false;
  const std::string accounts =
      RenderAccounts({{&acc1_, true, false, {}}, {&yen, true, true, VisibleBalances(yen, today_)}}, today_, relative);
  EXPECT_EQ(JsonString(accounts, "/accounts/0/resourceId"), "acc-1");
  EXPECT_EQ(JsonString(accounts, "/accounts/0/name"), "Girokonto");
  EXPECT_EQ(JsonString(accounts, "/accounts/0/_links/balances/href"), "/v1/accounts/acc-1/balances");
  EXPECT_FALSE(JsonHas(accounts, "/accounts/0/_links/transactions"));
  EXPECT_FALSE(JsonHas(accounts, "/accounts/0/balances"));
  EXPECT_EQ(JsonString(accounts, "/accounts/1/balances/0/balanceType"), "expected");
  EXPECT_EQ(JsonString(accounts, "/accounts/1/_links/transactions/href"), "/v1/accounts/acc-3/transactions");
}

TEST(JsonWriter, PlacesCommasAndEscapes) {
  JsonWriter w;
  w.BeginObject().Key("a").BeginArray().Int(1).String("x\"y\n").Bool(false).EndArray().Key("b").Number("-1.5");
  w.Key("c").BeginObject().EndObject().EndObject();
  EXPECT_EQ(w.str(), R"({"a":[1,"x\"y\n",false],"b":-1.5,"c":{}})");
}

TEST(Pagination, NoRowsIsOneEmptyPage) {
  EXPECT_EQ(PageCount(0, 50, 0), 1);
  auto w = PageSlice(0, 50, 0, 1);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->begin, 0u);
  EXPECT_EQ(w->end, 0u);
  EXPECT_FALSE(PageSlice(0, 50, 0, 2));
}

TEST(Pagination, OnePage) {
  EXPECT_EQ(PageCount(50, 50, 0), 1);
  auto w = PageSlice(50, 50, 0, 1);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->end, 50u);
  EXPECT_EQ(PageCount(51, 50, 0), 2);
}

TEST(Pagination, ThirtySevenPagesCoverEveryRowOnce) {
  const size_t total = 36 * 25 + 7;
  EXPECT_EQ(PageCount(total, 25, 0), 37);
  size_t next = 0;
  for (int64_t p = 1; p <= 37; ++p) {
    auto w = PageSlice(total, 25, 0, p);
    ASSERT_TRUE(w) << p;
    EXPECT_EQ(w->begin, next);
    EXPECT_EQ(w->end - w->begin, p < 37 ? 25u : 7u);
    next = w->end;
  }
  EXPECT_EQ(next, total);
  EXPECT_FALSE(PageSlice(total, 25, 0, 38));
  EXPECT_FALSE(PageSlice(total, 25, 0, 0));
}

TEST(Pagination, OverlapRepeatsTheLastRowsOfThePreviousPage) {
  // 100 rows, 50 a page, overlap 2: [0,50) [48,98) [96,100).
  EXPECT_EQ(PageCount(100, 50, 2), 3);
  EXPECT_EQ(PageSlice(100, 50, 2, 2)->begin, 48u);
  EXPECT_EQ(PageSlice(100, 50, 2, 2)->end, 98u);
  EXPECT_EQ(PageSlice(100, 50, 2, 3)->begin, 96u);
  EXPECT_EQ(PageSlice(100, 50, 2, 3)->end, 100u);
  EXPECT_EQ(PageCount(50, 50, 2), 1);
  EXPECT_EQ(PageCount(51, 50, 2), 2);
}

TEST(Pagination, LinksKeepTheQueryAndReplaceThePage) {
  EXPECT_EQ(QueryWithoutPage("bookingStatus=both&page=3&dateFrom=2025-01-01"), "bookingStatus=both&dateFrom=2025-01-01");
  EXPECT_EQ(QueryWithoutPage("page=2"), "");
  EXPECT_EQ(QueryWithoutPage("pageSize=3&page"), "pageSize=3");
  EXPECT_EQ(PageHref("/v1/a", "x=1", 1), "/v1/a?x=1");
  EXPECT_EQ(PageHref("/v1/a", "x=1", 4), "/v1/a?x=1&page=4");
  EXPECT_EQ(PageHref("/v1/a", "", 2), "/v1/a?page=2");
  EXPECT_EQ(PageHref("/v1/a", "", 1), "/v1/a");
}

}  // namespace
}  // namespace bankfeed::sandbox::berlin_group
