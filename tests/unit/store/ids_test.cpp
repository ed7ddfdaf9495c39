// Keyed ids (issue 19): the account and transaction ids a store hands out are keyed under its id secret, so the
// database file alone does not confirm a guessed IBAN or payment, and one account under two tenants or in two stores
// gets unrelated ids.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bankfeed/ids.hpp"
#include "store_test_util.hpp"

namespace bankfeed::store {
namespace {

using testing::AllFileBytes;
using testing::D;
using testing::RawDb;
using testing::StoreTest;

constexpr char kIban[] = "DE44500105175407324931";

Account KnownAccount() { return testing::SampleAccount(1, kIban, "Owner"); }

class StoreIds : public StoreTest {
 protected:
  // Saves KnownAccount under a new consent of `psu`; returns its stored id.
  std::string SaveKnown(Store& store, std::string_view tenant, std::string_view psu) {
    const auto [consent, customer] = MakeConsent(store, tenant, psu);
    auto ids = store.SaveAccounts(tenant, consent, {KnownAccount()});
    EXPECT_TRUE(ids.has_value()) << ids.error().ToString();
    if (!ids || ids->size() != 1) return {};
    return ids->front();
  }
};

TEST_F(StoreIds, TheFileDoesNotHoldTheAccountIdComputedWithoutTheKey) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const std::string unkeyed = AccountIdFor(KnownAccount());  // what an attacker computes from a guessed IBAN
  const std::string id = SaveKnown(*store, "t1", "psu-1");
  ASSERT_TRUE(IsHashId(id, "acc_")) << id;
  EXPECT_NE(id, unkeyed);
  auto listed = store->ListAccounts("t1");
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().ref.account_id, id);
  EXPECT_EQ(listed->front().account.id, id) << "the record says the same id";
  store.reset();
  const std::string bytes = AllFileBytes(db_path_);
  EXPECT_EQ(bytes.find(unkeyed), std::string::npos);
  EXPECT_EQ(bytes.find(unkeyed.substr(4)), std::string::npos) << "not even its hex digits";
  EXPECT_NE(bytes.find(id), std::string::npos) << "the keyed id is what the file holds";
}

TEST_F(StoreIds, OneAccountGetsAnIdPerTenantAndPerStoreButTheSameIdAgain) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const std::string t1 = SaveKnown(*store, "t1", "psu-1");
  const std::string t2 = SaveKnown(*store, "t2", "psu-1");
  EXPECT_NE(t1, t2);
  EXPECT_EQ(SaveKnown(*store, "t1", "psu-2"), t1) << "one tenant: the same account is the same id";
  auto other = OpenStore(testing::StoreOptions(dir_.path() + "/other.db", key_file_));
  ASSERT_NE(other, nullptr);
  EXPECT_NE(SaveKnown(*other, "t1", "psu-1"), t1) << "another store, even under the same at-rest key";
}

TEST_F(StoreIds, IdsOutliveAKeyRotation) {
  std::string id, tx;
  {
    auto store = OpenStore();
    ASSERT_NE(store, nullptr);
    id = SaveKnown(*store, "t1", "psu-1");
    std::vector<Transaction> rows(1);
    rows[0].id = "tx_00112233445566778899aabbccddeeff";
    ASSERT_TRUE(store->KeyTransactionIds("t1", rows).has_value());
    tx = rows[0].id;
  }
  ASSERT_TRUE(ring_->Rotate("k2").has_value());
  ASSERT_TRUE(ring_->WriteKeyFile(key_file_).has_value());
  { ASSERT_NE(OpenStore(), nullptr); }  // moves the id secret to k2
  // Drop k1: keep the key file's last line, the active key.
  std::string text = testing::ReadAll(key_file_);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  auto only_k2 = crypto::Keyring::Parse(text.substr(text.rfind('\n') + 1), "k2 only", false);
  ASSERT_TRUE(only_k2.has_value());
  ASSERT_TRUE(only_k2->WriteKeyFile(key_file_).has_value());
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(SaveKnown(*store, "t1", "psu-1"), id);
  std::vector<Transaction> rows(1);
  rows[0].id = "tx_00112233445566778899aabbccddeeff";
  ASSERT_TRUE(store->KeyTransactionIds("t1", rows).has_value());
  EXPECT_EQ(rows[0].id, tx);
}

TEST_F(StoreIds, TransactionIdsAreKeyedPerTenantAndTheFileHoldsNoneOfTheMappingsIds) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const auto [consent, customer] = MakeConsent(*store, "t1", "psu-1");
  auto ids = store->SaveAccounts("t1", consent, {KnownAccount()});
  ASSERT_TRUE(ids.has_value());
  std::vector<Transaction> rows;
  for (int n = 0; n < 3; ++n) {
    Transaction t = testing::Tx(static_cast<uint64_t>(n), D(2025, 1, 2)).transaction;
    t.account_id = ids->front();
    t.remittance = "twin";
    rows.push_back(t);
  }
  AssignTransactionIds(rows);  // what a mapping gives: content hashes (twins get distinct ones)
  const std::vector<Transaction> unkeyed = rows;
  ASSERT_TRUE(store->KeyTransactionIds("t1", rows).has_value());
  std::vector<Transaction> other_tenant = unkeyed;
  ASSERT_TRUE(store->KeyTransactionIds("t2", other_tenant).has_value());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_TRUE(IsHashId(rows[i].id, "tx_"));
    EXPECT_NE(rows[i].id, unkeyed[i].id);
    EXPECT_NE(rows[i].id, other_tenant[i].id);
    for (size_t j = 0; j < i; ++j) EXPECT_NE(rows[i].id, rows[j].id) << "twins stay distinct";
  }
  AccountCommit commit;
  commit.account = AccountRef{customer, ids->front()};
  for (const Transaction& t : rows) commit.added.push_back(FeedTransaction{t, std::nullopt});
  ASSERT_TRUE(store->CommitAccountSync(commit).has_value());
  store.reset();
  const std::string bytes = AllFileBytes(db_path_);
  for (const Transaction& t : unkeyed) EXPECT_EQ(bytes.find(t.id.substr(3)), std::string::npos);
  for (const Transaction& t : rows) EXPECT_NE(bytes.find(t.id), std::string::npos);
}

TEST_F(StoreIds, BadIdsAreRefusedNamingTheRowAndNothingIsChanged) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  std::vector<Transaction> rows(2);
  rows[0].id = "tx_00112233445566778899aabbccddeeff";
  rows[1].id = "tx_not-an-id";
  const Status keyed = store->KeyTransactionIds("t1", rows);
  ASSERT_FALSE(keyed.has_value());
  EXPECT_EQ(keyed.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(keyed.error().message, "store: transactions[1].id is not a tx_ id");
  EXPECT_EQ(store->KeyTransactionIds("", rows).error().code, ErrorCode::kInvalidArgument);
}

TEST_F(StoreIds, AStoreWithoutItsIdSecretIsRefusedClearly) {
  { ASSERT_NE(OpenStore(), nullptr); }
  {
    RawDb raw(db_path_);
    ASSERT_EQ(raw.Exec("DELETE FROM meta WHERE key = 'id_secret'"), SQLITE_OK);
  }
  auto store = OpenSqliteStore(Options());
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(store.error().message.find("id_secret missing"), std::string::npos) << store.error().message;
}

}  // namespace
}  // namespace bankfeed::store
