// The SQLite store's transactions: CommitAccountSync (sequence numbers, atomicity), the feed, the window, ids in
// use, and concurrent use.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "store_test_util.hpp"

namespace bankfeed::store {
namespace {

using testing::D;
using testing::Pending;
using testing::StoreTest;
using testing::Tx;
using testing::TxId;

class StoreFeed : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    store_ = OpenStore();
    ASSERT_NE(store_, nullptr);
    acct_ = MakeAccount(*store_, "t1", "psu-1", 1);
  }

  static AccountCommit CommitOf(const AccountRef& ref, std::vector<FeedTransaction> added,
                                std::vector<FeedTransaction> modified = {}, std::vector<std::string> removed = {}) {
    AccountCommit c;
    c.account = ref;
    c.added = std::move(added);
    c.modified = std::move(modified);
    c.removed = std::move(removed);
    c.state.outcome = SyncOutcome::kOk;
    return c;
  }

  Result<int64_t> Commit(const AccountRef& ref, std::vector<FeedTransaction> added,
                         std::vector<FeedTransaction> modified = {}, std::vector<std::string> removed = {}) {
    const AccountCommit c = CommitOf(ref, std::move(added), std::move(modified), std::move(removed));
    return store_->CommitAccountSync(c);
  }

  std::vector<FeedEntry> ReadAll(std::string_view tenant, int64_t after = 0, size_t limit = 1000) {
    std::vector<FeedEntry> all;
    for (;;) {
      auto page = store_->ReadFeed(tenant, after, limit);
      EXPECT_TRUE(page.has_value()) << page.error().ToString();
      if (!page) return all;
      for (auto& e : page->entries) all.push_back(std::move(e));
      EXPECT_GE(page->last_seq, after);
      after = page->last_seq;
      if (!page->has_more) return all;
    }
  }

  std::unique_ptr<Store> store_;
  AccountRef acct_;
};

TEST_F(StoreFeed, CommitsGetConsecutiveSequenceNumbersAddedModifiedRemoved) {
  EXPECT_EQ(*store_->HeadSeq("t1"), 0);
  auto head = Commit(acct_, {Tx(1, D(2025, 1, 1)), Tx(2, D(2025, 1, 2)), Tx(3, D(2025, 1, 3))});
  ASSERT_TRUE(head.has_value()) << head.error().ToString();
  EXPECT_EQ(*head, 3);
  FeedTransaction changed = Tx(1, D(2025, 1, 1), " changed");
  head = Commit(acct_, {Tx(4, D(2025, 1, 4))}, {changed}, {TxId(2)});
  ASSERT_TRUE(head.has_value()) << head.error().ToString();
  EXPECT_EQ(*head, 6);
  EXPECT_EQ(*store_->HeadSeq("t1"), 6);

  auto page = store_->ReadFeed("t1", 0, 100);
  ASSERT_TRUE(page.has_value());
  // 1's add (seq 1) and 2's add (seq 2) were superseded; 3 added at 3; then 4 added (4), 1 modified (5), 2 removed (6).
  ASSERT_EQ(page->entries.size(), 4u);
  EXPECT_EQ(page->entries[0].seq, 3);
  EXPECT_EQ(page->entries[0].transaction_id, TxId(3));
  EXPECT_EQ(page->entries[0].kind, ChangeKind::kAdded);
  EXPECT_EQ(page->entries[1].seq, 4);
  EXPECT_EQ(page->entries[1].transaction_id, TxId(4));
  EXPECT_EQ(page->entries[2].seq, 5);
  EXPECT_EQ(page->entries[2].kind, ChangeKind::kModified);
  EXPECT_EQ(page->entries[2].transaction->transaction.remittance, std::optional<std::string>("payment 1 changed"));
  EXPECT_EQ(page->entries[3].seq, 6);
  EXPECT_EQ(page->entries[3].kind, ChangeKind::kRemoved);
  EXPECT_EQ(page->entries[3].transaction_id, TxId(2));
  EXPECT_FALSE(page->entries[3].transaction.has_value());
  for (const FeedEntry& e : page->entries) {
    EXPECT_EQ(e.customer_handle, acct_.customer_handle);
    EXPECT_EQ(e.account_id, acct_.account_id);
  }
  EXPECT_EQ(page->last_seq, 6);
  EXPECT_FALSE(page->has_more);

  // A commit without changes writes the state and keeps the head.
  head = Commit(acct_, {});
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(*head, 6);
  // Sequence numbers are never reused, even after the rows are gone.
  head = Commit(acct_, {}, {}, {TxId(1), TxId(3), TxId(4)});
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(*head, 9);
  head = Commit(acct_, {Tx(1, D(2025, 1, 1))});
  ASSERT_TRUE(head.has_value()) << "a removed id can come back";
  EXPECT_EQ(*head, 10);
}

TEST_F(StoreFeed, PagesWithLimitAndHasMore) {
  std::vector<FeedTransaction> added;
  for (uint64_t n = 1; n <= 10; ++n) added.push_back(Tx(n, D(2025, 1, 1)));
  ASSERT_TRUE(Commit(acct_, added).has_value());
  ASSERT_TRUE(Commit(acct_, {}, {}, {TxId(10)}).has_value());  // seq 11; 10's add (seq 10) is superseded

  auto page = store_->ReadFeed("t1", 0, 4);
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->entries.size(), 4u);
  EXPECT_EQ(page->entries.back().seq, 4);
  EXPECT_EQ(page->last_seq, 4);
  EXPECT_TRUE(page->has_more);
  page = store_->ReadFeed("t1", 8, 1);
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].seq, 9);
  EXPECT_TRUE(page->has_more);
  page = store_->ReadFeed("t1", 9, 1);
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].seq, 11) << "the superseded seq 10 is skipped";
  EXPECT_EQ(page->entries[0].kind, ChangeKind::kRemoved);
  EXPECT_FALSE(page->has_more);
  page = store_->ReadFeed("t1", 11, 5);
  ASSERT_TRUE(page.has_value());
  EXPECT_TRUE(page->entries.empty());
  EXPECT_EQ(page->last_seq, 11);
  EXPECT_FALSE(page->has_more);

  const auto all = ReadAll("t1", 0, 3);
  ASSERT_EQ(all.size(), 10u);
  for (size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].seq, all[i].seq);

  EXPECT_EQ(store_->ReadFeed("t1", 0, 0).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->ReadFeed("t1", -1, 10).error().code, ErrorCode::kInvalidArgument);
}

TEST_F(StoreFeed, TrailingSupersededChangesAdvanceTheCursor) {
  ASSERT_TRUE(Commit(acct_, {Tx(1, D(2025, 1, 1)), Tx(2, D(2025, 1, 1))}).has_value());  // 1, 2
  ASSERT_TRUE(Commit(acct_, {}, {Tx(1, D(2025, 1, 1), "x")}).has_value());               // 3
  ASSERT_TRUE(Commit(acct_, {}, {Tx(1, D(2025, 1, 1), "y")}).has_value());               // 4
  auto page = store_->ReadFeed("t1", 0, 1);
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].seq, 2);
  EXPECT_TRUE(page->has_more);
  page = store_->ReadFeed("t1", 2, 10);
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].seq, 4);
  EXPECT_EQ(page->entries[0].transaction->transaction.remittance, std::optional<std::string>("payment 1y"));
}

TEST_F(StoreFeed, TenantsAreIsolated) {
  const AccountRef b = MakeAccount(*store_, "t2", "psu-1", 1);  // same PSU id and account id, another tenant
  ASSERT_NE(b.customer_handle, acct_.customer_handle);
  ASSERT_TRUE(Commit(acct_, {Tx(1, D(2025, 1, 1)), Tx(2, D(2025, 1, 1))}).has_value());
  auto head_b = Commit(b, {Tx(1, D(2025, 1, 1), " of b")});
  ASSERT_TRUE(head_b.has_value());
  EXPECT_EQ(*head_b, 1) << "sequence numbers are per tenant";
  ASSERT_TRUE(Commit(acct_, {}, {}, {TxId(2)}).has_value());
  EXPECT_EQ(*store_->HeadSeq("t1"), 3);
  EXPECT_EQ(*store_->HeadSeq("t2"), 1);
  EXPECT_EQ(*store_->HeadSeq("t3"), 0);

  const auto b_all = ReadAll("t2");
  ASSERT_EQ(b_all.size(), 1u);
  EXPECT_EQ(b_all[0].customer_handle, b.customer_handle);
  EXPECT_EQ(b_all[0].transaction->transaction.remittance, std::optional<std::string>("payment 1 of b"));
  const auto a_all = ReadAll("t1");
  ASSERT_EQ(a_all.size(), 2u);
  for (const auto& e : a_all) EXPECT_EQ(e.customer_handle, acct_.customer_handle);
  auto none = store_->ReadFeed("t3", 0, 10);
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->entries.empty());
  EXPECT_EQ(none->last_seq, 0);
}

TEST_F(StoreFeed, ABadCommitWritesNothing) {
  ASSERT_TRUE(Commit(acct_, {Tx(1, D(2025, 1, 1))}).has_value());
  const auto check = [&](Result<int64_t> r, std::string_view message) {
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().message, message);
  };
  check(Commit(acct_, {Tx(2, D(2025, 1, 2))}, {Tx(9, D(2025, 1, 1))}), "store: modified[0]: no such transaction");
  check(Commit(acct_, {Tx(2, D(2025, 1, 2)), Tx(1, D(2025, 1, 1))}), "store: added[1]: id already in use");
  check(Commit(acct_, {Tx(2, D(2025, 1, 2))}, {}, {TxId(1), TxId(8)}), "store: removed[1]: no such transaction");
  check(Commit(acct_, {Tx(2, D(2025, 1, 2))}, {}, {TxId(2)}), "store: removed[0]: id appears twice in the commit");
  FeedTransaction bad_id = Tx(3, D(2025, 1, 3));
  bad_id.transaction.id = "DE89370400440532013000";
  check(Commit(acct_, {bad_id}), "store: added[0] is not a tx_ id");
  EXPECT_EQ(*store_->HeadSeq("t1"), 1);
  auto page = store_->ReadFeed("t1", 0, 10);
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].transaction_id, TxId(1));
  auto account = store_->GetAccount("t1", acct_);
  ASSERT_TRUE(account.has_value());
  EXPECT_EQ(account->state.outcome, SyncOutcome::kOk) << "the state of the first commit";
  AccountCommit unknown;
  unknown.account = AccountRef{acct_.customer_handle, testing::AccId(42)};
  EXPECT_EQ(store_->CommitAccountSync(unknown).error().code, ErrorCode::kNotFound);
}

// A commit the caller gives up (CommitAccountSync(AccountCommit&&), as a sync does) is released row by row as it is
// sealed; it writes exactly what the same commit passed by reference writes, and a bad one still writes nothing.
TEST_F(StoreFeed, AGivenUpCommitWritesWhatACopiedOneWrites) {
  const AccountRef other = MakeAccount(*store_, "t1", "psu-2", 2);
  std::vector<FeedTransaction> added;
  for (int i = 1; i <= 300; ++i) added.push_back(Tx(i, D(2025, 1, 1 + i % 28)));
  added.push_back(testing::FullTx());
  added.back().transaction.id = TxId(1000);
  added.back().pending_transaction_id = TxId(999);
  const AccountCommit copied = CommitOf(acct_, added, {}, {});
  ASSERT_TRUE(store_->CommitAccountSync(copied).has_value());
  ASSERT_TRUE(store_->CommitAccountSync(CommitOf(other, added, {}, {})).has_value());
  const std::vector<FeedTransaction> modified{Tx(5, D(2025, 1, 6), " changed"), Tx(7, D(2025, 1, 8), " changed")};
  const AccountCommit copied_next = CommitOf(acct_, {Tx(400, D(2025, 2, 1))}, modified, {TxId(9)});
  ASSERT_TRUE(store_->CommitAccountSync(copied_next));
  ASSERT_TRUE(store_->CommitAccountSync(CommitOf(other, {Tx(400, D(2025, 2, 1))}, modified, {TxId(9)})));

  // A bad given-up commit: an id twice, far apart. Nothing is written.
  std::vector<FeedTransaction> twice;
  for (int i = 500; i < 800; ++i) twice.push_back(Tx(i, D(2025, 3, 1)));
  twice.push_back(Tx(510, D(2025, 3, 2)));
  const int64_t head = *store_->HeadSeq("t1");
  auto refused = store_->CommitAccountSync(CommitOf(other, std::move(twice), {}, {}));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().message, "store: added[10]: id appears twice in the commit");  // checked from the back
  EXPECT_EQ(*store_->HeadSeq("t1"), head);
  // Refused by the database, after every row was sealed and released: the kept ids still name the row.
  refused = store_->CommitAccountSync(CommitOf(other, {Tx(801, D(2025, 3, 1)), Tx(12, D(2025, 3, 1))}, {}, {}));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().message, "store: added[1]: id already in use");
  refused = store_->CommitAccountSync(CommitOf(other, {Tx(802, D(2025, 3, 1))}, {Tx(803, D(2025, 3, 1))}, {}));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().message, "store: modified[0]: no such transaction");
  EXPECT_EQ(*store_->HeadSeq("t1"), head);

  std::map<std::string, std::vector<const FeedEntry*>> by_account;
  const std::vector<FeedEntry> all = ReadAll("t1");
  for (const FeedEntry& e : all) by_account[e.customer_handle].push_back(&e);
  ASSERT_EQ(by_account.size(), 2u);
  const auto& a = by_account[acct_.customer_handle];
  const auto& b = by_account[other.customer_handle];
  ASSERT_EQ(a.size(), 302u);  // 301 + 1 added, 2 modified (their adds superseded), 1 removed
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(a[i]->kind, b[i]->kind);
    EXPECT_EQ(a[i]->transaction_id, b[i]->transaction_id);
    ASSERT_EQ(a[i]->transaction.has_value(), b[i]->transaction.has_value());
    if (a[i]->transaction) {
      EXPECT_TRUE(testing::SameFeedTransaction(*a[i]->transaction, *b[i]->transaction));
    }
  }
}

TEST_F(StoreFeed, AFullDatabaseFailsAsUnavailableAndKeepsThePriorData) {
  ASSERT_TRUE(Commit(acct_, {Tx(1, D(2025, 1, 1)), Tx(2, D(2025, 1, 2))}).has_value());
  store_.reset();
  SqliteStoreOptions tiny = Options();
  tiny.max_page_count = 1;  // SQLite raises it to the current size: no room to grow
  store_ = OpenStore(tiny);
  ASSERT_NE(store_, nullptr);
  std::vector<FeedTransaction> many;
  for (uint64_t n = 100; n < 400; ++n) {
    FeedTransaction f = Tx(n, D(2025, 2, 1));
    f.transaction.raw_json.assign(2000, 'r');
    many.push_back(std::move(f));
  }
  AccountCommit c;
  c.account = acct_;
  c.added = std::move(many);
  c.modified = {Tx(1, D(2025, 1, 1), " changed")};
  c.removed = {TxId(2)};
  c.state.outcome = SyncOutcome::kOk;
  c.state.pages = 7;
  auto head = store_->CommitAccountSync(c);
  ASSERT_FALSE(head.has_value());
  EXPECT_EQ(head.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(head.error().message.find("full"), std::string::npos) << head.error().message;
  EXPECT_EQ(*store_->HeadSeq("t1"), 2);
  auto page = store_->ReadFeed("t1", 0, 10);
  ASSERT_TRUE(page.has_value()) << page.error().ToString();
  ASSERT_EQ(page->entries.size(), 2u);
  EXPECT_EQ(page->entries[0].transaction->transaction.remittance, std::optional<std::string>("payment 1"));
  EXPECT_EQ(page->entries[1].transaction_id, TxId(2));
  EXPECT_EQ(store_->GetAccount("t1", acct_)->state.pages, 0);
  // Nothing is stuck: a small commit after the failed one works where there is room.
  store_.reset();
  store_ = OpenStore();
  auto after = Commit(acct_, {Tx(3, D(2025, 1, 3))});
  ASSERT_TRUE(after.has_value()) << after.error().ToString();
  EXPECT_EQ(*after, 3);
}

TEST_F(StoreFeed, LoadWindowSelectsBookedFromTheDateAndEveryPendingRow) {
  FeedTransaction undated = Tx(6, D(2025, 1, 1));
  undated.transaction.booking_date.reset();
  undated.transaction.value_date.reset();
  ASSERT_TRUE(Commit(acct_, {Tx(1, D(2024, 12, 30)), Pending(2, D(2024, 12, 1)), Tx(3, D(2025, 1, 5)),
                             Tx(4, D(2025, 1, 4)), Pending(5, D(2025, 1, 6)), undated})
                  .has_value());
  auto window = store_->LoadWindow(acct_, D(2025, 1, 1));
  ASSERT_TRUE(window.has_value()) << window.error().ToString();
  std::vector<std::string> ids;
  for (const auto& f : *window) ids.push_back(f.transaction.id);
  EXPECT_EQ(ids, (std::vector<std::string>{TxId(2), TxId(3), TxId(4), TxId(5), TxId(6)}));
  // Insertion order, also after a modification.
  ASSERT_TRUE(Commit(acct_, {}, {Tx(3, D(2025, 1, 5), " changed")}).has_value());
  window = store_->LoadWindow(acct_, D(2025, 1, 5));
  ASSERT_TRUE(window.has_value());
  ids.clear();
  for (const auto& f : *window) ids.push_back(f.transaction.id);
  EXPECT_EQ(ids, (std::vector<std::string>{TxId(2), TxId(3), TxId(5), TxId(6)}));
  EXPECT_EQ((*window)[1].transaction.remittance, std::optional<std::string>("payment 3 changed"));
  // The full record comes back, pending link included.
  FeedTransaction linked = testing::FullTx();
  ASSERT_TRUE(Commit(acct_, {linked}).has_value());
  window = store_->LoadWindow(acct_, D(2030, 1, 1));
  ASSERT_TRUE(window.has_value());
  ASSERT_FALSE(window->empty());
  EXPECT_TRUE(testing::SameFeedTransaction(window->back(), linked));
  EXPECT_EQ(store_->LoadWindow(AccountRef{acct_.customer_handle, testing::AccId(5)}, D(2025, 1, 1)).error().code,
            ErrorCode::kNotFound);
}

TEST_F(StoreFeed, TransactionIdsInUse) {
  ASSERT_TRUE(Commit(acct_, {Tx(1, D(2020, 1, 1)), Tx(2, D(2025, 1, 1))}).has_value());
  const AccountRef other = MakeAccount(*store_, "t1", "psu-2", 2);
  ASSERT_TRUE(Commit(other, {Tx(3, D(2025, 1, 1))}).has_value());
  const std::vector<std::string> ids{TxId(3), TxId(1), TxId(9), TxId(1), TxId(2)};
  const std::vector<std::string_view> views(ids.begin(), ids.end());
  auto used = store_->TransactionIdsInUse(acct_, views);
  ASSERT_TRUE(used.has_value());
  EXPECT_EQ(*used, (std::vector<std::string>{TxId(1), TxId(2)}));
  const std::vector<std::string_view> bad{"bad"};
  EXPECT_EQ(store_->TransactionIdsInUse(acct_, bad).error().code, ErrorCode::kInvalidArgument);
  const AccountRef empty = MakeAccount(*store_, "t1", "psu-3", 3);  // no rows: nothing is in use
  auto none = store_->TransactionIdsInUse(empty, views);
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
}

// A page without the raw JSON is the same page but for Transaction::raw_json, which is empty.
TEST_F(StoreFeed, RawJsonCanBeLeftOutOfAPage) {
  FeedTransaction full = testing::FullTx();
  full.transaction.id = TxId(7);
  full.transaction.account_id.reset();
  ASSERT_TRUE(Commit(acct_, {Tx(1, D(2025, 1, 1)), full, Tx(2, D(2025, 1, 3))}).has_value());
  auto with = store_->ReadFeed("t1", 0, 10);
  auto without = store_->ReadFeed("t1", 0, 10, FeedReadOptions{.raw_json = false});
  ASSERT_TRUE(with.has_value() && without.has_value());
  ASSERT_EQ(with->entries.size(), 3u);
  ASSERT_EQ(without->entries.size(), 3u);
  EXPECT_EQ(without->last_seq, with->last_seq);
  for (size_t i = 0; i < 3; ++i) {
    const FeedEntry& a = with->entries[i];
    const FeedEntry& b = without->entries[i];
    EXPECT_EQ(a.seq, b.seq);
    EXPECT_EQ(a.transaction_id, b.transaction_id);
    EXPECT_EQ(a.customer_handle, b.customer_handle);
    EXPECT_EQ(a.account_id, b.account_id);
    ASSERT_TRUE(a.transaction && b.transaction);
    EXPECT_FALSE(a.transaction->transaction.raw_json.empty());
    EXPECT_TRUE(b.transaction->transaction.raw_json.empty());
    FeedTransaction expected = *a.transaction;
    expected.transaction.raw_json.clear();
    EXPECT_TRUE(testing::SameFeedTransaction(expected, *b.transaction));
  }
}

// Several readers page through the feed at once (the store has more than one feed connection) and each sees the
// whole feed, in order, while commits go on.
TEST_F(StoreFeed, ConcurrentFeedReadersEachSeeTheWholeFeed) {
  std::vector<FeedTransaction> rows;
  for (uint64_t n = 1; n <= 60; ++n) rows.push_back(Tx(n, D(2025, 1, 1)));
  ASSERT_TRUE(Commit(acct_, std::move(rows)).has_value());
  const AccountRef second = MakeAccount(*store_, "t1", "psu-2", 2);
  std::atomic<bool> failed{false};
  std::vector<std::thread> readers;
  std::vector<size_t> seen(4, 0);
  for (size_t r = 0; r < seen.size(); ++r) {
    readers.emplace_back([&, r] {
      int64_t after = 0;
      for (;;) {
        auto page = store_->ReadFeed("t1", after, 5, FeedReadOptions{.raw_json = r % 2 == 0});
        if (!page) {
          failed = true;
          return;
        }
        for (const auto& e : page->entries) {
          if (e.seq <= after || !e.transaction) failed = true;
          after = e.seq;
          ++seen[r];
        }
        after = std::max(after, page->last_seq);
        if (!page->has_more) return;
      }
    });
  }
  ASSERT_TRUE(Commit(second, {Tx(100, D(2025, 1, 2))}).has_value());
  for (std::thread& t : readers) t.join();
  EXPECT_FALSE(failed);
  for (size_t r = 0; r < seen.size(); ++r) {
    EXPECT_GE(seen[r], 60u) << "reader " << r;
    EXPECT_LE(seen[r], 61u) << "reader " << r;
  }
}

TEST_F(StoreFeed, ConcurrentCommitsAndReads) {
  const AccountRef second = MakeAccount(*store_, "t1", "psu-2", 2);
  constexpr int kCommits = 40;
  std::atomic<bool> failed{false};
  const auto writer = [&](const AccountRef& ref, uint64_t base) {
    for (int i = 0; i < kCommits; ++i) {
      AccountCommit c;
      c.account = ref;
      c.added = {Tx(base + 2 * static_cast<uint64_t>(i), D(2025, 1, 1)),
                 Tx(base + 2 * static_cast<uint64_t>(i) + 1, D(2025, 1, 2))};
      if (!store_->CommitAccountSync(c)) failed = true;
    }
  };
  std::atomic<bool> done{false};
  int64_t max_seen = 0;
  std::thread reader([&] {
    int64_t after = 0;
    for (int round = 0; (!done || after < 4 * kCommits) && round < 1'000'000; ++round) {
      auto page = store_->ReadFeed("t1", after, 7);
      if (!page) {
        failed = true;
        return;
      }
      for (const auto& e : page->entries) {
        if (e.seq <= after || !e.transaction) failed = true;
        after = e.seq;
      }
      after = std::max(after, page->last_seq);
      max_seen = after;
    }
  });
  std::thread w1(writer, acct_, 1000);
  std::thread w2(writer, second, 5000);
  w1.join();
  w2.join();
  done = true;
  reader.join();
  EXPECT_FALSE(failed);
  EXPECT_EQ(*store_->HeadSeq("t1"), 4 * kCommits);
  EXPECT_EQ(max_seen, 4 * kCommits);
  EXPECT_EQ(ReadAll("t1").size(), static_cast<size_t>(4 * kCommits));
}

}  // namespace
}  // namespace bankfeed::store
