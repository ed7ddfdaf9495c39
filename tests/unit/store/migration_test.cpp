// Migration 2 (keyed ids) on a store that the release before it wrote (fixtures/store_v1, made by
// fixtures/make_store_v1.sh with that release's CLI, and the feed as that CLI printed it). A client that goes on from
// any cursor ends with exactly the store's transactions under their new ids; nothing is lost, added or changed but
// the ids; the old account ids are gone from the file; a later sync of the same rows changes nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bankfeed/canonical_json.hpp"
#include "bankfeed/ids.hpp"
#include "store_test_util.hpp"
#include "sync/ingest.hpp"

namespace bankfeed::store {
namespace {

using testing::AllFileBytes;
using testing::RawDb;
using testing::ReadAll;

constexpr char kTenant[] = "default";

// One line of the old CLI's `bankfeed feed` JSON Lines.
struct OldEntry {
  int64_t seq = 0;
  std::string change, account_id, transaction_id, pending, json;  // json: the canonical transaction, or ""
};

std::vector<OldEntry> OldFeed() {
  std::vector<OldEntry> out;
  std::istringstream lines(ReadAll(std::string(BANKFEED_STORE_FIXTURES) + "/store_v1/feed.jsonl"));
  static const std::regex kHead(std::string(R"re(^\{"seq":(\d+),"change":"(\w+)","customer":"cu_[0-9a-f]{24}",)re") +
                                 R"re("account_id":"(acc_[0-9a-f]{32})","transaction_id":"(tx_[0-9a-f]{32})",)re" +
                                 R"re("pending_transaction_id":(null|"tx_[0-9a-f]{32}"),"transaction":)re");
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("{\"next_cursor\"")) continue;
    std::smatch m;
    EXPECT_TRUE(std::regex_search(line, m, kHead)) << line.substr(0, 200);
    if (m.empty()) continue;
    OldEntry& e = out.emplace_back();
    e.seq = std::stoll(m[1]);
    e.change = m[2];
    e.account_id = m[3];
    e.transaction_id = m[4];
    e.pending = m[5] == "null" ? "" : std::string(m[5]).substr(1, 35);
    const std::string rest = line.substr(static_cast<size_t>(m.length(0)));
    e.json = rest == "null}" ? "" : rest.substr(0, rest.size() - 1);
  }
  return out;
}

// `json` with every occurrence of `from` replaced by `to`.
std::string Replace(std::string json, const std::string& from, const std::string& to) {
  for (size_t at = json.find(from); at != std::string::npos; at = json.find(from, at + to.size())) {
    json.replace(at, from.size(), to);
  }
  return json;
}

// A transaction's content without its ids: what must survive the migration unchanged.
std::string ContentOf(const std::string& json, const std::string& id, const std::string& account_id) {
  return Replace(Replace(json, id, "<id>"), account_id, "<account>");
}

class StoreMigration : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    const std::string fixtures = std::string(BANKFEED_STORE_FIXTURES) + "/store_v1";
    std::filesystem::copy_file(fixtures + "/bankfeed.db", db_path_);
    std::filesystem::copy_file(fixtures + "/at-rest.keys", key_file_,
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::permissions(db_path_, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    std::filesystem::permissions(key_file_, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    old_ = OldFeed();
    ASSERT_GT(old_.size(), 50u);
    for (const OldEntry& e : old_) old_head_ = std::max(old_head_, e.seq);
  }

  int UserVersion() {
    RawDb raw(db_path_);
    return std::stoi(raw.Query("PRAGMA user_version")[0][0]);
  }

  // The client's copy: transaction id -> canonical JSON.
  using Replica = std::map<std::string, std::string>;

  Replica FromOldFeed(int64_t up_to) const {
    Replica r;
    for (const OldEntry& e : old_) {
      if (e.seq > up_to) continue;
      if (e.change == "removed") {
        r.erase(e.transaction_id);
      } else {
        r[e.transaction_id] = e.json;
      }
    }
    return r;
  }

  // Applies the store's feed after `cursor` to `r`; returns the entries read.
  std::vector<FeedEntry> Follow(Store& store, int64_t cursor, Replica& r) {
    std::vector<FeedEntry> all;
    for (;;) {
      auto page = store.ReadFeed(kTenant, cursor, 97);
      EXPECT_TRUE(page.has_value()) << page.error().ToString();
      if (!page) return all;
      for (FeedEntry& e : page->entries) {
        if (e.kind == ChangeKind::kRemoved) {
          r.erase(e.transaction_id);
        } else {
          r[e.transaction_id] = ToCanonicalJson(e.transaction->transaction);
        }
        all.push_back(std::move(e));
      }
      cursor = page->last_seq;
      if (!page->has_more) return all;
    }
  }

  std::vector<OldEntry> old_;
  int64_t old_head_ = 0;
};

TEST_F(StoreMigration, TheFixtureIsAVersion1Store) {
  EXPECT_EQ(UserVersion(), 1);
  std::set<std::string> changes;
  for (const OldEntry& e : old_) changes.insert(e.change);
  EXPECT_TRUE(changes.contains("added") && changes.contains("removed")) << "rows and removals";
  EXPECT_TRUE(std::any_of(old_.begin(), old_.end(), [](const OldEntry& e) { return !e.pending.empty(); }))
      << "a booked row linked to its pending one";
}

TEST_F(StoreMigration, EveryClientEndsWithTheSameRowsUnderTheirNewIds) {
  const Replica old_rows = FromOldFeed(old_head_);
  std::multiset<std::string> old_contents;
  std::set<std::string> old_accounts;
  for (const OldEntry& e : old_) old_accounts.insert(e.account_id);
  std::map<std::string, std::string> old_account_of;  // old tx id -> old account id
  for (const OldEntry& e : old_) old_account_of[e.transaction_id] = e.account_id;
  for (const auto& [id, json] : old_rows) old_contents.insert(ContentOf(json, id, old_account_of[id]));

  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(UserVersion(), 2);

  // Accounts: keyed ids, none of the old ones, and their records say the same.
  auto accounts = store->ListAccounts(kTenant);
  ASSERT_TRUE(accounts.has_value());
  ASSERT_GE(accounts->size(), old_accounts.size());
  for (const AccountRecord& a : *accounts) {
    EXPECT_FALSE(old_accounts.contains(a.ref.account_id));
    EXPECT_EQ(a.account.id, a.ref.account_id);
    EXPECT_TRUE(old_accounts.contains(AccountIdFor(a.account))) << "the old id was the unkeyed one of this account";
  }

  for (const int64_t cursor : {int64_t{0}, old_head_ / 2, old_head_}) {
    SCOPED_TRACE("cursor " + std::to_string(cursor));
    Replica replica = FromOldFeed(cursor);
    Follow(*store, cursor, replica);
    ASSERT_EQ(replica.size(), old_rows.size()) << "nothing lost, nothing doubled";
    std::multiset<std::string> contents;
    for (const auto& [id, json] : replica) {
      EXPECT_FALSE(old_rows.contains(id)) << "every id changed";
      const size_t at = json.find("\"account_id\":\"");
      ASSERT_NE(at, std::string::npos);
      const std::string account_id = json.substr(at + 14, 36);
      EXPECT_FALSE(old_accounts.contains(account_id));
      contents.insert(ContentOf(json, id, account_id));
    }
    EXPECT_EQ(contents, old_contents) << "the same rows, only the ids changed";
  }

  // From the old head on: each row's old id removed, then the row added under its new id; links re-keyed too.
  Replica replica = FromOldFeed(old_head_);
  const std::vector<FeedEntry> after = Follow(*store, old_head_, replica);
  ASSERT_EQ(after.size(), 2 * old_rows.size());
  size_t linked = 0;
  for (size_t i = 0; i < after.size(); i += 2) {
    EXPECT_EQ(after[i].kind, ChangeKind::kRemoved);
    EXPECT_TRUE(old_rows.contains(after[i].transaction_id));
    EXPECT_EQ(after[i + 1].kind, ChangeKind::kAdded);
    EXPECT_EQ(after[i].seq + 1, after[i + 1].seq);
    const auto& pending = after[i + 1].transaction->pending_transaction_id;
    if (pending) {
      ++linked;
      EXPECT_TRUE(IsHashId(*pending, "tx_"));
      EXPECT_EQ(std::count_if(old_.begin(), old_.end(), [&](const OldEntry& e) { return e.pending == *pending; }), 0);
    }
  }
  EXPECT_GT(linked, 0u);
  EXPECT_EQ(store->HeadSeq(kTenant).value(), old_head_ + static_cast<int64_t>(2 * old_rows.size()));

  // The old account ids are gone from the file (the feed's old transaction ids stay in its removals: a client needs
  // them to drop its rows).
  store.reset();
  const std::string bytes = AllFileBytes(db_path_);
  for (const std::string& id : old_accounts) EXPECT_EQ(bytes.find(id), std::string::npos) << id;
}

TEST_F(StoreMigration, SyncingTheSameRowsAgainChangesNothing) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  auto accounts = store->ListAccounts(kTenant);
  ASSERT_TRUE(accounts.has_value());
  const int64_t head = store->HeadSeq(kTenant).value();
  auto all = store->ReadFeed(kTenant, 0, 100000);
  ASSERT_TRUE(all.has_value());
  for (const AccountRecord& account : *accounts) {
    // What the bank shows now, as a mapping gives it: the stored rows, with fresh unkeyed ids.
    std::vector<Transaction> rows;
    std::optional<Date> from;
    for (const FeedEntry& e : all->entries) {
      if (e.kind == ChangeKind::kRemoved || e.account_id != account.ref.account_id) continue;
      rows.push_back(e.transaction->transaction);
      if (auto d = rows.back().booking_date.value_or(rows.back().value_date.value_or(Date{})); !from || d < *from) {
        from = d;
      }
    }
    if (rows.empty()) continue;
    AssignTransactionIds(rows);
    TransactionBatch batch{std::move(rows), *from, *from, 1, {}};
    auto balances = store->GetBalances(kTenant, account.ref);
    ASSERT_TRUE(balances.has_value());
    sync::ReconcileRules rules;
    auto ingested = sync::IngestBatch(*store, account, std::move(batch), *balances, rules, DateTime{1738540800, 0, 0});
    ASSERT_TRUE(ingested.has_value()) << ingested.error().ToString();
    EXPECT_EQ(ingested->added + ingested->modified + ingested->removed, 0);
  }
  EXPECT_EQ(store->HeadSeq(kTenant).value(), head);
}

TEST_F(StoreMigration, AWrongKeyLeavesTheStoreAsItWas) {
  auto ring = crypto::Keyring::Generate("wrong");
  ASSERT_TRUE(ring.has_value());
  ASSERT_TRUE(ring->WriteKeyFile(key_file_).has_value());
  auto store = OpenSqliteStore(Options());
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kConfig);
  EXPECT_NE(store.error().message.find("cannot open this store's data"), std::string::npos) << store.error().message;
  EXPECT_EQ(UserVersion(), 1);
  RawDb raw(db_path_);
  EXPECT_TRUE(raw.Query("SELECT 1 FROM meta WHERE key = 'id_secret'").empty());
}

}  // namespace
}  // namespace bankfeed::store
