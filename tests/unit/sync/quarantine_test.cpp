// An account's sync with rows the mapping refused (sync/quarantine.hpp, sync/ingest.hpp), against a real temporary
// store: the good rows are stored, the refused ones quarantined, nothing is removed for them, and a later sync whose
// renormalization succeeds brings each into the feed exactly once. The rows' "raw JSON" here is a small text the
// test's renormalizer reads ("row|<booking date>|<amount>|<remittance>"), so the engine's logic is tested apart from
// the mappings (tests/integration/quarantine_test.cpp runs the same through a sandbox bank and the real mapping).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "bankfeed/feed.hpp"
#include "bankfeed/ids.hpp"
#include "sync/ingest.hpp"
#include "unit/temp_store.hpp"

namespace bankfeed::sync {
namespace {

namespace fs = std::filesystem;

constexpr char kTenant[] = "t1";

Date Day(const char* s) { return *Date::Parse(s); }

std::string Raw(const char* date, const char* amount, const char* remittance) {
  return std::string("row|") + date + "|" + amount + "|" + remittance;
}

// The row `raw` describes, as a mapping would give it (no id).
Transaction Row(const std::string& raw, TransactionStatus status = TransactionStatus::kBooked) {
  std::vector<std::string> parts;
  std::stringstream in(raw);
  for (std::string part; std::getline(in, part, '|');) parts.push_back(part);
  Transaction t;
  t.status = status;
  t.booking_date = t.value_date = Day(parts.at(1).c_str());
  if (status == TransactionStatus::kPending) t.booking_date.reset();
  t.amount = *Money::Parse(parts.at(2), "EUR");
  t.remittance = parts.at(3);
  t.raw_json = raw;
  return t;
}

RefusedRow Refused(const std::string& raw, size_t place) {
  return RefusedRow{"transactions.booked[" + std::to_string(place) + "]",
                    Error(ErrorCode::kInvalidInput,
                          "transactions.booked[" + std::to_string(place) + "].bookingDate: not a date"),
                    raw, TransactionStatus::kBooked};
}

class SyncQuarantine : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = bankfeed::testing::FreshTestDir("quarantine");
    store_ = bankfeed::testing::OpenTempStore(dir_);
    ASSERT_TRUE(store_);
    auto customer = store_->EnsureCustomer(kTenant, "psu-1");
    ASSERT_TRUE(customer);
    ConsentRecord record{kTenant, "", customer->handle, "bank", {}};
    record.grant.bank_id = "bank";
    auto consent = store_->SaveConsent(record);
    ASSERT_TRUE(consent);
    Account a;
    a.resource_id = "acc-1";
    a.currency = "EUR";
    auto ids = store_->SaveAccounts(kTenant, *consent, {a});
    ASSERT_TRUE(ids);
    ref_ = AccountRef{customer->handle, ids->front()};
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  // One sync: `rows` fetched over [from, to], `refused` set aside. The renormalizer reads a row when `fixed_`.
  IngestResult Sync(Date from, std::vector<Transaction> rows, std::vector<RefusedRow> refused = {},
                    Date to = Day("2025-03-31")) {
    auto account = store_->GetAccount(kTenant, ref_);
    EXPECT_TRUE(account);
    TransactionBatch batch;
    batch.date_from = from;
    batch.date_to = to;
    batch.pages = 1;
    for (Transaction& t : rows) t.account_id = account->account.id;
    AssignTransactionIds(rows);
    batch.transactions = std::move(rows);
    batch.refused = std::move(refused);
    // As NormalizeTransactionRow under the account's options would: the account id stamped, no id.
    const Renormalizer renormalize = [this, id = account->account.id](const QuarantineEntry& e) -> Result<Transaction> {
      ++renormalized_;
      if (!fixed_) return MakeError(ErrorCode::kInvalidInput, "transactions.booked[0].bookingDate: still not a date");
      Transaction t = Row(e.raw_json, e.list_status);
      t.account_id = id;
      return t;
    };
    auto result = IngestBatch(*store_, *account, std::move(batch), {}, ReconcileRules{}, renormalize,
                              DateTime{now_++, 0, 0});
    EXPECT_TRUE(result) << result.error().ToString();
    return result ? *result : IngestResult{};
  }

  // The feed's current rows by remittance (every one must appear once).
  std::multiset<std::string> Feed() {
    std::map<std::string, std::string> by_id;  // id → remittance; removed ids leave
    auto read = store_->ReadFeed(kTenant, 0, 10000);
    EXPECT_TRUE(read);
    for (const FeedEntry& e : read->entries) {
      if (e.kind == ChangeKind::kRemoved) {
        by_id.erase(e.transaction_id);
      } else if (e.transaction) {
        by_id[e.transaction_id] = e.transaction->transaction.remittance.value_or("");
      }
    }
    std::multiset<std::string> out;
    for (const auto& [id, remittance] : by_id) out.insert(remittance);
    return out;
  }

  std::vector<QuarantineEntry> Quarantine() {
    auto q = store_->LoadQuarantine(ref_);
    EXPECT_TRUE(q);
    return q ? *q : std::vector<QuarantineEntry>{};
  }

  fs::path dir_;
  std::unique_ptr<Store> store_;
  AccountRef ref_;
  bool fixed_ = false;
  int renormalized_ = 0;
  int64_t now_ = 1741600000;
};

using Rows = std::multiset<std::string>;

TEST_F(SyncQuarantine, RefusedRowsAreQuarantinedAndTheirAbsenceRemovesNothing) {
  const std::string a = Raw("2025-03-01", "-1.00", "a"), b = Raw("2025-03-02", "-2.00", "b"),
                    c = Raw("2025-03-03", "-3.00", "c");
  ASSERT_EQ(Sync(Day("2025-02-01"), {Row(a), Row(b), Row(c)}).added, 3);

  // b is refused this time (say the bank changed how it writes its date) and c really went: with a refused row in
  // the batch, neither is removed.
  const IngestResult second = Sync(Day("2025-02-01"), {Row(a)}, {Refused(b, 1)});
  EXPECT_EQ(second.removed, 0);
  EXPECT_EQ(second.added, 0);
  EXPECT_EQ(second.quarantined, 1);
  EXPECT_EQ(Feed(), (Rows{"a", "b", "c"}));
  EXPECT_EQ(store_->GetAccount(kTenant, ref_)->state.quarantined, 1);

  // A complete read (nothing refused) removes what really went, and b back among the fetched rows leaves quarantine.
  const IngestResult third = Sync(Day("2025-02-01"), {Row(a), Row(b)});
  EXPECT_EQ(third.removed, 1);
  EXPECT_EQ(third.quarantined, 0);
  EXPECT_EQ(Feed(), (Rows{"a", "b"}));
  EXPECT_TRUE(Quarantine().empty());
}

TEST_F(SyncQuarantine, APendingRowReplacedByABookedOneIsStillRemovedWhileRowsAreRefused) {
  Transaction pending = Row(Raw("2025-03-05", "-5.00", "card"), TransactionStatus::kPending);
  ASSERT_EQ(Sync(Day("2025-02-01"), {pending}).added, 1);
  const IngestResult r = Sync(Day("2025-02-01"), {Row(Raw("2025-03-06", "-5.00", "card"))},
                              {Refused(Raw("2025-03-06", "-7.00", "x"), 1)});
  EXPECT_EQ(r.added, 1);
  EXPECT_EQ(r.removed, 1) << "the replaced pending row goes: the booked row says where it went";
  EXPECT_EQ(Feed(), (Rows{"card"}));
}

TEST_F(SyncQuarantine, AFixBringsQuarantinedRowsInTheWindowIntoTheFeedOnce) {
  const std::string good = Raw("2025-03-01", "-1.00", "good"), bad = Raw("2025-03-02", "-2.00", "bad");
  ASSERT_EQ(Sync(Day("2025-02-01"), {Row(good)}, {Refused(bad, 1)}).quarantined, 1);
  const QuarantineEntry first = Quarantine().at(0);
  ASSERT_EQ(Sync(Day("2025-02-01"), {Row(good)}, {Refused(bad, 1)}).quarantined, 1);
  const QuarantineEntry again = Quarantine().at(0);
  EXPECT_EQ(again.key, first.key);
  EXPECT_EQ(again.first_seen.unix_seconds, first.first_seen.unix_seconds);
  EXPECT_GT(again.last_seen.unix_seconds, first.last_seen.unix_seconds);

  // The profile is fixed: the bank's rows now all normalize, so the row comes through the fetch.
  const IngestResult fixed = Sync(Day("2025-02-01"), {Row(good), Row(bad)});
  EXPECT_EQ(fixed.added, 1);
  EXPECT_EQ(fixed.quarantined, 0);
  EXPECT_EQ(Feed(), (Rows{"good", "bad"}));
  EXPECT_TRUE(Quarantine().empty());
  EXPECT_EQ(Sync(Day("2025-02-01"), {Row(good), Row(bad)}).added, 0) << "and stays once";
}

TEST_F(SyncQuarantine, RowsFromBeforeTheWindowAreRecoveredFromTheStoreOnce) {
  const std::string twin = Raw("2025-01-10", "-4.00", "twin"), old = Raw("2025-01-12", "-6.00", "old");
  ASSERT_EQ(Sync(Day("2025-01-01"), {}, {Refused(twin, 0), Refused(twin, 1), Refused(old, 2)}).quarantined, 3);
  ASSERT_EQ(Quarantine().size(), 3u) << "twins stay two entries";

  // Still unfixed: kept, with the new error, and tried again on every sync.
  EXPECT_EQ(Sync(Day("2025-03-01"), {}).quarantined, 3);
  EXPECT_EQ(Quarantine().at(0).error, "transactions.booked[0].bookingDate: still not a date");
  EXPECT_GT(renormalized_, 0);

  // Fixed, and older than the window: the bank no longer sends them, the sync adds them itself, both twins.
  fixed_ = true;
  const IngestResult recovered = Sync(Day("2025-03-01"), {});
  EXPECT_EQ(recovered.added, 3);
  EXPECT_EQ(recovered.recovered, 3);
  EXPECT_EQ(recovered.quarantined, 0);
  EXPECT_EQ(Feed(), (Rows{"twin", "twin", "old"}));
  EXPECT_TRUE(Quarantine().empty());
}

TEST_F(SyncQuarantine, ARecoveredRowAlreadyStoredIsNotAddedTwice) {
  // The row reached the feed another way (the bank sent it again, with other bytes, while it was in the window),
  // and its old bytes stayed in quarantine: once it is recovered, it is the stored row, not a new one.
  const std::string bad = Raw("2025-01-10", "-4.00", "same");
  ASSERT_EQ(Sync(Day("2025-01-01"), {}, {Refused(bad, 0)}).quarantined, 1);
  Transaction resent = Row(bad);
  resent.raw_json = bad + "|resent";
  ASSERT_EQ(Sync(Day("2025-01-01"), {resent}, {Refused(bad, 1)}).added, 1);
  ASSERT_EQ(Feed(), (Rows{"same"}));
  ASSERT_EQ(Quarantine().size(), 1u);

  fixed_ = true;
  const IngestResult r = Sync(Day("2025-03-01"), {});
  EXPECT_EQ(r.added, 0);
  EXPECT_EQ(r.quarantined, 0);
  EXPECT_EQ(Feed(), (Rows{"same"}));
}

TEST_F(SyncQuarantine, AFixedRowInsideTheWindowThatTheBankNoLongerSendsIsDropped) {
  const std::string gone = Raw("2025-03-02", "-2.00", "gone");
  ASSERT_EQ(Sync(Day("2025-02-01"), {}, {Refused(gone, 0)}).quarantined, 1);
  fixed_ = true;
  const IngestResult r = Sync(Day("2025-02-01"), {});
  EXPECT_EQ(r.added, 0);
  EXPECT_EQ(r.quarantined, 0);
  EXPECT_TRUE(Feed().empty());
}

TEST_F(SyncQuarantine, RejectedRowsNeverReachTheFeed) {
  Transaction pending = Row(Raw("2025-03-05", "-5.00", "card"), TransactionStatus::kPending);
  ASSERT_EQ(Sync(Day("2025-02-01"), {pending}).added, 1);
  Transaction rejected = pending;
  rejected.status = TransactionStatus::kRejected;
  Transaction other = Row(Raw("2025-03-06", "-8.00", "rejected transfer"));
  other.status = TransactionStatus::kRejected;
  const IngestResult r = Sync(Day("2025-02-01"), {rejected, other});
  EXPECT_EQ(r.added, 0);
  EXPECT_EQ(r.removed, 1) << "the pending row was rejected: no money moved";
  EXPECT_TRUE(Feed().empty());
}

}  // namespace
}  // namespace bankfeed::sync
