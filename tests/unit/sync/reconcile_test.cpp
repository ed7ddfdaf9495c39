// The reconciler's three passes (docs/DESIGN.md §6), one rule per test.
#include "sync/reconcile.hpp"

#include <gtest/gtest.h>

#include "bankfeed/ids.hpp"

namespace bankfeed::sync {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

Transaction Tx(const char* date, const char* amount, const char* name, const char* bank_id = nullptr,
               TransactionStatus status = TransactionStatus::kBooked) {
  Transaction t;
  t.account_id = "acc_1";
  t.status = status;
  t.amount = *Money::Parse(amount, "EUR");
  if (status == TransactionStatus::kBooked) t.booking_date = D(date);
  t.value_date = D(date);
  if (name) t.creditor = Party{.name = std::string(name)};
  if (bank_id) t.transaction_id = bank_id;
  t.remittance = "card payment";
  return t;
}

Transaction Pending(const char* date, const char* amount, const char* name, const char* bank_id = nullptr) {
  return Tx(date, amount, name, bank_id, TransactionStatus::kPending);
}

// A fetched batch as a connector returns it: ids assigned over the batch.
std::vector<Transaction> Batch(std::vector<Transaction> rows) {
  AssignTransactionIds(rows);
  return rows;
}

// What the store would hold after applying `rec` on top of `stored`.
std::vector<FeedTransaction> Apply(std::vector<FeedTransaction> stored, const Reconciliation& rec) {
  for (const std::string& id : rec.removed) {
    std::erase_if(stored, [&](const FeedTransaction& s) { return s.transaction.id == id; });
  }
  for (const FeedTransaction& m : rec.modified) {
    for (FeedTransaction& s : stored) {
      if (s.transaction.id == m.transaction.id) s = m;
    }
  }
  for (const FeedTransaction& a : rec.added) stored.push_back(a);
  return stored;
}

std::vector<FeedTransaction> FirstSync(std::vector<Transaction> rows, const ReconcileRules& rules = {}) {
  const Reconciliation rec = Reconcile({}, Batch(std::move(rows)), D("2025-01-01"), rules);
  EXPECT_TRUE(rec.modified.empty());
  EXPECT_TRUE(rec.removed.empty());
  return Apply({}, rec);
}

const Date kFrom = D("2025-01-01");
const ReconcileRules kTrusted{true, {}};
const ReconcileRules kUntrusted{false, {}};

TEST(Reconcile, FirstSyncAddsEveryRow) {
  const auto stored = FirstSync({Tx("2025-01-02", "-12.30", "Lidl", "a"), Tx("2025-01-03", "100.00", "ACME", "b")});
  EXPECT_EQ(stored.size(), 2u);
}

TEST(Reconcile, TheSameDataAgainIsNoChange) {
  const std::vector<Transaction> rows{Tx("2025-01-02", "-12.30", "Lidl", "a"), Pending("2025-01-05", "-5.00", "Bar", "p")};
  for (const ReconcileRules& rules : {kTrusted, kUntrusted}) {
    const auto stored = FirstSync(rows, rules);
    EXPECT_TRUE(Reconcile(stored, Batch(rows), kFrom, rules).empty());
  }
}

TEST(Reconcile, UnstableIdsAreNoChangeWhenIdsAreNotTrusted) {
  const auto stored = FirstSync({Tx("2025-01-02", "-12.30", "Lidl", "a1"), Tx("2025-01-03", "-1.00", "Kiosk", "b1")},
                                kUntrusted);
  const auto rec = Reconcile(stored, Batch({Tx("2025-01-02", "-12.30", "Lidl", "a2"), Tx("2025-01-03", "-1.00", "Kiosk", "b2")}),
                             kFrom, kUntrusted);
  EXPECT_TRUE(rec.empty());
}

TEST(Reconcile, AnIdSchemeChangeUnderTrustedIdsIsAModificationNotADuplicate) {
  const auto stored = FirstSync({Tx("2025-01-02", "-12.30", "Lidl", "OLD-1")});
  const auto rec = Reconcile(stored, Batch({Tx("2025-01-02", "-12.30", "Lidl", "NEW-1")}), kFrom, kTrusted);
  ASSERT_EQ(rec.modified.size(), 1u);
  EXPECT_TRUE(rec.added.empty());
  EXPECT_TRUE(rec.removed.empty());
  EXPECT_EQ(rec.modified[0].transaction.id, stored[0].transaction.id);
  EXPECT_EQ(rec.modified[0].transaction.transaction_id, "NEW-1");
}

TEST(Reconcile, ContentChangeUnderATrustedIdIsAModificationKeepingTheFeedId) {
  const auto stored = FirstSync({Tx("2025-01-02", "-12.30", "Lidl", "a")});
  Transaction corrected = Tx("2025-01-02", "-12.30", "Lidl", "a");
  corrected.remittance = "card payment 1234";
  const auto rec = Reconcile(stored, Batch({corrected}), kFrom, kTrusted);
  ASSERT_EQ(rec.modified.size(), 1u);
  EXPECT_EQ(rec.modified[0].transaction.id, stored[0].transaction.id);
  EXPECT_EQ(rec.modified[0].transaction.remittance, "card payment 1234");
  EXPECT_TRUE(rec.added.empty() && rec.removed.empty());
}

TEST(Reconcile, TwinsStayTwins) {
  const Transaction coffee = Tx("2025-01-02", "-3.00", "Cafe");
  const auto two = FirstSync({coffee, coffee}, kUntrusted);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_NE(two[0].transaction.id, two[1].transaction.id);
  EXPECT_TRUE(Reconcile(two, Batch({coffee, coffee}), kFrom, kUntrusted).empty());

  const auto three = Reconcile(two, Batch({coffee, coffee, coffee}), kFrom, kUntrusted);
  ASSERT_EQ(three.added.size(), 1u);
  EXPECT_TRUE(three.removed.empty());
  const auto after = Apply(two, three);
  EXPECT_EQ(after.size(), 3u);
  EXPECT_NE(after[2].transaction.id, after[0].transaction.id);
  EXPECT_NE(after[2].transaction.id, after[1].transaction.id);

  const auto one = Reconcile(two, Batch({coffee}), kFrom, kUntrusted);
  EXPECT_TRUE(one.added.empty());
  EXPECT_EQ(one.removed.size(), 1u);
}

TEST(Reconcile, PendingBookedUnderANewIdAndAmountReplacesThePendingRow) {
  for (const ReconcileRules& rules : {kTrusted, kUntrusted}) {
    const auto stored = FirstSync({Pending("2025-01-03", "-5.00", "Bar", "t2")}, rules);
    const auto rec = Reconcile(stored, Batch({Tx("2025-01-05", "-5.50", "Bar", "t2b")}), kFrom, rules);
    ASSERT_EQ(rec.added.size(), 1u);
    EXPECT_EQ(rec.added[0].pending_transaction_id, stored[0].transaction.id);
    EXPECT_EQ(rec.added[0].transaction.amount.ToString(), "-5.50");
    EXPECT_EQ(rec.removed, std::vector<std::string>{stored[0].transaction.id});
    EXPECT_TRUE(rec.modified.empty());
  }
}

TEST(Reconcile, PendingBookedUnderTheSameTrustedIdIsLinkedWhateverTheAmount) {
  const auto stored = FirstSync({Pending("2025-01-03", "-5.00", "Bar", "t2")});
  const auto rec = Reconcile(stored, Batch({Tx("2025-01-05", "-50.00", "Bar", "t2")}), kFrom, kTrusted);
  ASSERT_EQ(rec.added.size(), 1u);
  EXPECT_EQ(rec.added[0].pending_transaction_id, stored[0].transaction.id);
  EXPECT_EQ(rec.removed.size(), 1u);
}

TEST(Reconcile, ABookingOutsideTheRulesIsNotLinked) {
  const auto stored = FirstSync({Pending("2025-01-03", "-5.00", "Bar")}, kUntrusted);
  const auto check_unlinked = [&](const Transaction& booked) {
    const auto rec = Reconcile(stored, Batch({booked}), kFrom, kUntrusted);
    ASSERT_EQ(rec.added.size(), 1u);
    EXPECT_FALSE(rec.added[0].pending_transaction_id.has_value());
    EXPECT_EQ(rec.removed.size(), 1u);
  };
  check_unlinked(Tx("2025-01-05", "-6.50", "Bar"));               // 30% more than pending; the default allows 20%
  check_unlinked(Tx("2025-01-05", "5.00", "Bar"));                // the other direction
  check_unlinked(Tx("2025-01-20", "-5.00", "Bar"));               // 17 days later; the default allows 10
  check_unlinked(Tx("2025-01-05", "-5.00", "Completely Other"));  // another counterparty
}

TEST(Reconcile, TheClosestExactBookingWins) {
  const auto stored = FirstSync({Pending("2025-01-03", "-5.00", "Bar")}, kUntrusted);
  const auto rec = Reconcile(stored, Batch({Tx("2025-01-04", "-5.40", "Bar"), Tx("2025-01-06", "-5.00", "Bar")}), kFrom,
                             kUntrusted);
  ASSERT_EQ(rec.added.size(), 2u);
  int linked = 0;
  for (const auto& a : rec.added) {
    if (a.pending_transaction_id) {
      ++linked;
      EXPECT_EQ(a.transaction.amount.ToString(), "-5.00");
    }
  }
  EXPECT_EQ(linked, 1);
}

TEST(Reconcile, APendingAmountChangeIsAModification) {
  const auto stored = FirstSync({Pending("2025-01-03", "-40.00", "Fuel", "p1")}, kUntrusted);
  const auto rec = Reconcile(stored, Batch({Pending("2025-01-03", "-38.20", "Fuel", "p9")}), kFrom, kUntrusted);
  ASSERT_EQ(rec.modified.size(), 1u);
  EXPECT_EQ(rec.modified[0].transaction.id, stored[0].transaction.id);
  EXPECT_EQ(rec.modified[0].transaction.amount.ToString(), "-38.20");
  EXPECT_TRUE(rec.added.empty() && rec.removed.empty());
}

TEST(Reconcile, RowsTheBankNoLongerShowsAreRemovedAndRowsBeforeTheWindowIgnored) {
  const auto stored = FirstSync({Tx("2025-01-02", "-12.30", "Lidl", "a"), Tx("2025-01-03", "-1.00", "Kiosk", "b")});
  const auto rec = Reconcile(stored, Batch({Tx("2025-01-02", "-12.30", "Lidl", "a"), Tx("2024-12-20", "-9.99", "Old", "z")}),
                             kFrom, kTrusted);
  EXPECT_TRUE(rec.added.empty());
  EXPECT_EQ(rec.removed, std::vector<std::string>{stored[1].transaction.id});
}

TEST(Reconcile, ANewRowWhoseIdIsTakenGetsAFreshOne) {
  const Transaction coffee = Tx("2025-01-02", "-3.00", "Cafe");
  auto stored = FirstSync({coffee}, kUntrusted);
  stored[0].transaction.remittance = "something else";  // same id, other content: the new row's id is taken
  const auto rec = Reconcile(stored, Batch({coffee}), kFrom, kUntrusted);
  ASSERT_EQ(rec.added.size(), 1u);
  EXPECT_NE(rec.added[0].transaction.id, stored[0].transaction.id);
  EXPECT_EQ(rec.added[0].transaction.id, RederiveId(stored[0].transaction.id, 1));
}

TEST(Reconcile, IsDeterministic) {
  const std::vector<Transaction> rows{Tx("2025-01-02", "-3.00", "Cafe"), Tx("2025-01-02", "-3.00", "Cafe"),
                                      Pending("2025-01-04", "-9.00", "Shop")};
  const auto a = Reconcile({}, Batch(rows), kFrom, kUntrusted);
  const auto b = Reconcile({}, Batch(rows), kFrom, kUntrusted);
  ASSERT_EQ(a.added.size(), b.added.size());
  for (size_t i = 0; i < a.added.size(); ++i) EXPECT_EQ(a.added[i].transaction.id, b.added[i].transaction.id);
}

TEST(NameSimilarity, CountsSharedWordsOverTheShorterName) {
  EXPECT_EQ(NameSimilarity("LIDL", "Lidl Dienstleistung GmbH"), 100);
  EXPECT_EQ(NameSimilarity("Cafe Nero", "CAFE-NERO"), 100);
  EXPECT_EQ(NameSimilarity("Cafe Nero", "Cafe Roma"), 50);
  EXPECT_EQ(NameSimilarity("Shell", "Aral"), 0);
  EXPECT_EQ(NameSimilarity("", "Aral"), 0);
}

}  // namespace
}  // namespace bankfeed::sync
