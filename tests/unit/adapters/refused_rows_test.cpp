// NormalizeOptions::refused (a bad row is set aside, the others come out), NormalizeTransactionsTo (rows streamed in
// the order and with the ids NormalizeTransactions gives) and NormalizeTransactionRow (a set-aside row tried again).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bankfeed/canonical_json.hpp"
#include "bankfeed/normalize.hpp"

namespace bankfeed {
namespace {

NormalizeOptions Options(Standard standard, std::vector<RefusedRow>* refused = nullptr) {
  NormalizeOptions o;
  o.standard = standard;
  o.refused = refused;
  return o;
}

std::vector<std::string> Lines(const std::vector<Transaction>& rows) {
  std::vector<std::string> out;
  for (const auto& t : rows) out.push_back(ToCanonicalJson(t));
  return out;
}

template <typename Body>
std::vector<std::string> Streamed(const Body& body, const NormalizeOptions& options, Status* status = nullptr) {
  std::vector<std::string> out;
  Status s = NormalizeTransactionsTo(body, options, [&](Transaction& t) -> Status {
    out.push_back(ToCanonicalJson(t));
    return {};
  });
  if (status != nullptr) *status = s;
  return out;
}

std::string BgRow(const std::string& id, const std::string& amount, const std::string& date = "2025-01-02") {
  return R"({"transactionId":")" + id + R"(","transactionAmount":{"currency":"EUR","amount":)" + amount +
         R"(},"bookingDate":")" + date + R"("})";
}

TEST(RefusedRows, ABadRowIsSetAsideWithItsBytesAndTheOthersComeOut) {
  const std::string bad = BgRow("T2", R"("12,3x")");
  const std::string body = R"({"transactions":{"booked":[)" + BgRow("T1", R"("1.00")") + "," + bad + "," +
                           BgRow("T3", R"("3.00")") + R"(],"pending":[)" + BgRow("P1", R"("zz")") + "]}}";
  std::vector<RefusedRow> refused;
  auto rows = NormalizeTransactions(body, Options(Standard::kBerlinGroup, &refused));
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].transaction_id, "T1");
  EXPECT_EQ((*rows)[1].transaction_id, "T3");
  ASSERT_EQ(refused.size(), 2u);
  EXPECT_EQ(refused[0].path, "transactions.booked[1]");
  EXPECT_EQ(refused[0].raw_json, bad);
  EXPECT_EQ(refused[0].list_status, TransactionStatus::kBooked);
  EXPECT_EQ(refused[0].error.code, ErrorCode::kInvalidInput);
  EXPECT_EQ(refused[0].error.message.rfind("transactions.booked[1].transactionAmount.amount: ", 0), 0u)
      << refused[0].error.message;
  EXPECT_EQ(refused[0].error.message.find("12,3x"), std::string::npos);  // never the value
  EXPECT_EQ(refused[1].path, "transactions.pending[0]");
  EXPECT_EQ(refused[1].list_status, TransactionStatus::kPending);
}

TEST(RefusedRows, TheGoodRowsIdsDoNotDependOnTheRefusedOnes) {
  const std::string good = R"({"transactions":{"booked":[)" + BgRow("T1", R"("1.00")") + "]}}";
  const std::string with_bad =
      R"({"transactions":{"booked":[)" + BgRow("T0", "[]") + "," + BgRow("T1", R"("1.00")") + "]}}";
  std::vector<RefusedRow> refused;
  auto a = NormalizeTransactions(good, Options(Standard::kBerlinGroup));
  auto b = NormalizeTransactions(with_bad, Options(Standard::kBerlinGroup, &refused));
  ASSERT_TRUE(a && b);
  ASSERT_EQ(b->size(), 1u);
  EXPECT_EQ((*a)[0].id, (*b)[0].id);
  EXPECT_EQ(refused.size(), 1u);
}

TEST(RefusedRows, WithoutTheSinkTheFirstBadRowFailsTheBody) {
  const std::string body = R"({"transactions":{"booked":[)" + BgRow("T1", R"("x")") + "]}}";
  auto rows = NormalizeTransactions(body, Options(Standard::kBerlinGroup));
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.error().message.rfind("transactions.booked[0].transactionAmount.amount: ", 0), 0u);
}

TEST(RefusedRows, MalformedJsonStillFailsTheWholeBody) {
  std::vector<RefusedRow> refused;
  const std::string body = R"({"transactions":{"booked":[)" + BgRow("T1", R"("1.00")") + R"(,{"transactionAmount":{]}})";
  EXPECT_FALSE(NormalizeTransactions(body, Options(Standard::kBerlinGroup, &refused)));
}

TEST(RefusedRows, GarbageAfterASetAsideRowFailsTheBodyAndSetsNothingAside) {
  // On-demand parsing checks only what it reads; past a refused row the walk must not take malformed bytes for rows.
  const std::vector<std::pair<Standard, std::string>> bodies = {
      {Standard::kStet, R"({"transactions":[,"creditDebit]Indicator":"DBIT"},{"x":1}]})"},
      {Standard::kBerlinGroup, R"({"transactions":{"booked":["t{ransactionId":"n1",)" + BgRow("T1", R"("1.00")") + "]}}"},
      {Standard::kUkOpenBanking, R"({"Data":{"Transaction":[{}, nel,, "x"]}})"},
  };
  for (const auto& [standard, body] : bodies) {
    std::vector<RefusedRow> refused(1);  // an entry from an earlier body stays
    auto rows = NormalizeTransactions(body, Options(standard, &refused));
    ASSERT_FALSE(rows) << body;
    EXPECT_EQ(rows.error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(refused.size(), 1u) << body;
  }
}

TEST(RefusedRows, EveryStandardSetsRowsAside) {
  struct Case {
    Standard standard;
    std::string body;
    std::string path;
  };
  const std::vector<Case> cases = {
      {Standard::kUkOpenBanking,
       R"({"Data":{"Transaction":[{"TransactionId":"A","CreditDebitIndicator":"Debit","Status":"Booked",)"
       R"("BookingDateTime":"2025-01-02T10:00:00Z","Amount":{"Amount":"1.00","Currency":"GBP"}},)"
       R"({"TransactionId":"B","CreditDebitIndicator":"Debit","Status":"Booked",)"
       R"("BookingDateTime":"2025-01-02T10:00:00Z","Amount":{"Amount":"string","Currency":"GBP"}}]}})",
       "Data.Transaction[1]"},
      {Standard::kStet,
       R"({"transactions":[{"resourceId":"A","transactionAmount":{"amount":"1.00","currency":"EUR"},)"
       R"("creditDebitIndicator":"DBIT","status":"BOOK","bookingDate":"2025-01-02"},)"
       R"({"resourceId":"B","transactionAmount":{"amount":"1.00","currency":"EURA"},)"
       R"("creditDebitIndicator":"DBIT","status":"BOOK","bookingDate":"2025-01-02"}]})",
       "transactions[1]"},
  };
  for (const auto& c : cases) {
    std::vector<RefusedRow> refused;
    auto rows = NormalizeTransactions(c.body, Options(c.standard, &refused));
    ASSERT_TRUE(rows) << rows.error().message;
    EXPECT_EQ(rows->size(), 1u);
    ASSERT_EQ(refused.size(), 1u);
    EXPECT_EQ(refused[0].path, c.path);
    EXPECT_EQ(refused[0].raw_json.front(), '{');
    EXPECT_EQ(refused[0].raw_json.back(), '}');
  }
}

TEST(RefusedRows, ARowThatIsNotAnObjectIsSetAsideWhole) {
  std::vector<RefusedRow> refused;
  const std::string body = R"({"transactions":{"booked":["a \"quoted\", string",)" + BgRow("T1", R"("1.00")") + "]}}";
  auto rows = NormalizeTransactions(body, Options(Standard::kBerlinGroup, &refused));
  ASSERT_TRUE(rows) << rows.error().message;
  EXPECT_EQ(rows->size(), 1u);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].raw_json, R"("a \"quoted\", string")");
}

TEST(StreamedTransactions, SameRowsSameOrderSameIdsAsCollected) {
  // Lists out of order (information, pending, booked), and twins.
  const std::string body = R"({"transactions":{"information":[)" + BgRow("I1", R"("9.00")") + R"(],"pending":[)" +
                           BgRow("P1", R"("2.00")") + R"(],"booked":[)" + BgRow("T1", R"("1.00")") + "," +
                           BgRow("T1", R"("1.00")") + "]}}";
  // Three ways in: a string without room (copied once), a string with room, and a PaddedBody whose padding holds
  // bytes that would change the parse if they were read as the body's (they are not part of it).
  for (const int way : {0, 1, 2}) {
    std::string input;
    if (way == 1) input.reserve(body.size() + kBodyPadding);
    input = body;
    if (way == 2) input += std::string(kBodyPadding, '"');
    auto collected = NormalizeTransactions(body, Options(Standard::kBerlinGroup));
    ASSERT_TRUE(collected);
    Status status;
    const auto streamed = way == 2 ? Streamed(PaddedBody{std::string_view(input).substr(0, body.size())},
                                              Options(Standard::kBerlinGroup), &status)
                                   : Streamed(input, Options(Standard::kBerlinGroup), &status);
    ASSERT_TRUE(status) << way << ": " << status.error().message;
    EXPECT_EQ(streamed, Lines(*collected));
    ASSERT_EQ(streamed.size(), 4u);
    EXPECT_NE(streamed[0].find("\"booked\""), std::string::npos);
    EXPECT_NE(streamed[3].find("\"info\""), std::string::npos);
  }
}

TEST(StreamedTransactions, ASinkErrorStopsTheWalk) {
  const std::string body = R"({"transactions":{"booked":[)" + BgRow("T1", R"("1.00")") + "," + BgRow("T2", R"("2.00")") +
                           "]}}";
  int calls = 0;
  Status s = NormalizeTransactionsTo(body, Options(Standard::kBerlinGroup), [&](Transaction&) -> Status {
    ++calls;
    return MakeError(ErrorCode::kInternal, "disk full");
  });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message, "disk full");
  EXPECT_EQ(calls, 1);
}

TEST(StreamedTransactions, RefusedRowsAreSetAsideWhileStreaming) {
  const std::string body = R"({"transactions":{"booked":[)" + BgRow("T1", R"("x")") + "," + BgRow("T2", R"("2.00")") +
                           "]}}";
  std::vector<RefusedRow> refused;
  Status status;
  const auto streamed = Streamed(body, Options(Standard::kBerlinGroup, &refused), &status);
  ASSERT_TRUE(status);
  EXPECT_EQ(streamed.size(), 1u);
  EXPECT_EQ(refused.size(), 1u);
}

TEST(TransactionRow, ASetAsideRowIsNormalizedAgainOnItsOwn) {
  const std::string body = R"({"transactions":{"pending":[)" + BgRow("P1", R"("2.50")", "15/11/2019") + "]}}";
  std::vector<RefusedRow> refused;
  NormalizeOptions options = Options(Standard::kBerlinGroup, &refused);
  auto rows = NormalizeTransactions(body, options);
  ASSERT_TRUE(rows);
  ASSERT_EQ(refused.size(), 1u);
  // The same mapping still refuses it; the profile's quirk brings it in.
  EXPECT_FALSE(NormalizeTransactionRow(refused[0].raw_json, refused[0].list_status, options));
  options.quirks.date_order = DateOrder::kDayFirst;
  auto row = NormalizeTransactionRow(refused[0].raw_json, refused[0].list_status, options);
  ASSERT_TRUE(row) << row.error().message;
  EXPECT_EQ(row->status, TransactionStatus::kPending);
  EXPECT_EQ(row->booking_date, Date::FromYmd(2019, 11, 15));
  EXPECT_TRUE(row->id.empty());
  EXPECT_EQ(row->raw_json, refused[0].raw_json);
}

TEST(TransactionRow, MoreThanOneValueIsRefused) {
  auto row = NormalizeTransactionRow(BgRow("A", R"("1")") + "," + BgRow("B", R"("1")"), TransactionStatus::kBooked,
                                     Options(Standard::kBerlinGroup));
  EXPECT_FALSE(row);
}

}  // namespace
}  // namespace bankfeed
