// docs/CANONICAL.md transaction ids: deterministic, twins distinct by occurrence, 128 bits of SHA-256.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "bankfeed/ids.hpp"

namespace bankfeed {
namespace {

Transaction Row(std::string_view amount, std::string_view remittance) {
  Transaction t;
  t.amount = *Money::Parse(amount, "EUR");
  t.booking_date = *Date::Parse("2025-01-02");
  t.remittance = std::string(remittance);
  return t;
}

TEST(TransactionIds, FormatIsTxAnd32LowercaseHex) {
  std::vector<Transaction> v{Row("-1.00", "a")};
  AssignTransactionIds(v);
  EXPECT_TRUE(std::regex_match(v[0].id, std::regex("tx_[0-9a-f]{32}"))) << v[0].id;
}

TEST(TransactionIds, DeterministicAcrossRuns) {
  std::vector<Transaction> a{Row("-1.00", "a"), Row("2.00", "b")}, b = a;
  AssignTransactionIds(a);
  AssignTransactionIds(b);
  EXPECT_EQ(a[0].id, b[0].id);
  EXPECT_EQ(a[1].id, b[1].id);
  EXPECT_NE(a[0].id, a[1].id);
}

TEST(TransactionIds, TwinsGetDistinctIdsByOccurrenceOrder) {
  std::vector<Transaction> v{Row("-4.20", "coffee"), Row("-4.20", "coffee"), Row("-4.20", "coffee")};
  AssignTransactionIds(v);
  EXPECT_EQ(std::set<std::string>({v[0].id, v[1].id, v[2].id}).size(), 3u);
  // The first twin keeps its id whether or not the second is present, so a later sync that sees both agrees.
  std::vector<Transaction> single{Row("-4.20", "coffee")};
  AssignTransactionIds(single);
  EXPECT_EQ(single[0].id, v[0].id);
  // Occurrence counts only identical rows: an unrelated row in between changes nothing.
  std::vector<Transaction> mixed{Row("-4.20", "coffee"), Row("9.99", "other"), Row("-4.20", "coffee")};
  AssignTransactionIds(mixed);
  EXPECT_EQ(mixed[0].id, v[0].id);
  EXPECT_EQ(mixed[2].id, v[1].id);
  EXPECT_EQ(TransactionContentDigest(v[0]), TransactionContentDigest(v[1]));
}

// One assigner fed row by row (a stream of pages) gives exactly the ids of one batch call over all rows, also past
// the point where its table grows, with twins spread over the whole stream.
TEST(TransactionIds, StreamingAssignerMatchesBatchAcrossGrowth) {
  std::vector<Transaction> rows;
  for (int i = 0; i < 5000; ++i) rows.push_back(Row(i % 7 == 0 ? "-4.20" : std::to_string(i) + ".00", "r"));
  std::vector<Transaction> batch = rows;
  AssignTransactionIds(batch);
  TransactionIdAssigner stream;
  std::set<std::string> ids;
  for (size_t i = 0; i < rows.size(); ++i) {
    stream.Assign(rows[i]);
    EXPECT_EQ(rows[i].id, batch[i].id) << i;
    ids.insert(rows[i].id);
  }
  EXPECT_EQ(ids.size(), rows.size());  // 715 twins of "-4.20", every one distinct
}

// Pinned ids: the content serialisation must not change under optimisation, or every stored feed would see its rows
// as new. The long fields outgrow the assigner's first scratch buffer (1 KiB); the values were computed before its
// writer moved from string appends to a cursor.
TEST(TransactionIds, KnownAnswers) {
  Transaction t = Row("-1234.56", std::string(3000, 'r'));
  t.creditor = Party{.name = std::string(700, 'n'), .iban = "DE02120300000000202051", .bic = "BYLADEM1001"};
  t.transaction_id = "T-1";
  t.value_datetime = ParseDateOrDateTime("2025-01-02T10:11:12.5+01:00", *TimeZone::Locate("UTC"))->datetime;
  t.original_amount = *Money::Parse("-10", "USD");
  t.exchange_rate = *Decimal::Parse("1.0850");
  std::vector<Transaction> v{t, t, Row("0.01", "")};
  AssignTransactionIds(v);
  EXPECT_EQ(v[0].id, "tx_c9a0740256bc3f4d603d76b24b9fdff2");
  EXPECT_EQ(v[1].id, "tx_a3b673dce69e3de2e0f62b6c1d224ff8");
  EXPECT_EQ(v[2].id, "tx_14888258b2458f30962af61a764134a5");
  EXPECT_EQ(TransactionContentDigest(t), "0f1be67dfc1c0209ad2dbeab356e831d31c91543891ccd058cf7434111e0d6ea");
  std::string fingerprint_hex;
  for (const unsigned char c : TransactionFingerprint(t)) {
    fingerprint_hex += "0123456789abcdef"[c >> 4];
    fingerprint_hex += "0123456789abcdef"[c & 15];
  }
  EXPECT_EQ(fingerprint_hex, "4592128e3b131e8d660f0c4fe9fa1613667110a841e21d1ec231498d0c854b6a");
  Account a;
  a.resource_id = std::string(2000, 'x');
  a.iban = "DE02120300000000202051";
  a.currency = "EUR";
  EXPECT_EQ(AccountIdFor(a), "acc_44440f0012bc6677cef9ca0b834a0435");
}

TEST(TransactionIds, EveryContentFieldCounts) {
  const Transaction base = Row("-1.00", "x");
  std::vector<std::function<void(Transaction&)>> edits = {
      [](Transaction& t) { t.amount = *Money::Parse("-1.01", "EUR"); },
      [](Transaction& t) { t.amount = *Money::Parse("-1.00", "GBP"); },
      [](Transaction& t) { t.status = TransactionStatus::kPending; },
      [](Transaction& t) { t.value_date = *Date::Parse("2025-01-03"); },
      [](Transaction& t) { t.transaction_id = "T1"; },
      [](Transaction& t) { t.account_id = "acc"; },
      [](Transaction& t) { t.remittance = "y"; },
      [](Transaction& t) { t.remittance.reset(); },
      [](Transaction& t) { t.remittance = ""; },
      [](Transaction& t) { t.creditor = Party{.name = "A"}; },
      [](Transaction& t) { t.debtor = Party{.name = "A"}; },
      [](Transaction& t) { t.exchange_rate = *Decimal::Parse("1.1"); },
      [](Transaction& t) { t.end_to_end_id = "E2E"; },
  };
  std::set<std::string> digests{TransactionContentDigest(base)};
  for (auto& edit : edits) {
    Transaction t = base;
    edit(t);
    digests.insert(TransactionContentDigest(t));
  }
  EXPECT_EQ(digests.size(), edits.size() + 1) << "some field does not feed the id";
}

TEST(TransactionIds, RawJsonIsNotContent) {
  Transaction a = Row("-1.00", "x"), b = a;
  b.raw_json = R"({"different":"formatting"})";
  EXPECT_EQ(TransactionContentDigest(a), TransactionContentDigest(b));
}

TEST(AccountIds, DerivedFromBankIdentifiers) {
  Account a;
  a.resource_id = "r1";
  a.iban = "DE89370400440532013000";
  Account b = a;
  b.name = "renamed";  // names change; the id must not
  EXPECT_EQ(AccountIdFor(a), AccountIdFor(b));
  b.resource_id = "r2";
  EXPECT_NE(AccountIdFor(a), AccountIdFor(b));
  EXPECT_TRUE(std::regex_match(AccountIdFor(a), std::regex("acc_[0-9a-f]{32}")));

  // A bank whose resource ids change: known by the identification alone, so a new resource id keeps the id.
  a.resource_id_changes = b.resource_id_changes = true;
  EXPECT_EQ(AccountIdFor(a), AccountIdFor(b));
  b.iban = "DE02120300000000202051";
  EXPECT_NE(AccountIdFor(a), AccountIdFor(b));
}

}  // namespace
}  // namespace bankfeed
