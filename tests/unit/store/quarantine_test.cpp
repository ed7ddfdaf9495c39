// The store's quarantine (migration 3): rows a sync could not normalize, sealed, named by a keyed hash, written
// with the account's sync commit, counted in the sync state, erased by forget, and readable after a key rotation.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "store/migrations.hpp"
#include "store/sqlite_store.hpp"
#include "store/sqlite_db.hpp"
#include "store_test_util.hpp"

namespace bankfeed::store {
namespace {

using testing::AllFileBytes;
using testing::D;
using testing::RawDb;

// A refused row's bytes: an IBAN and a name, so that a byte scan would see them.
const std::string kRaw = R"({"bookingDate":"15/11/2019","creditorName":"Quarantine Qwertz","creditorAccount":)"
                         R"({"iban":"DE44500105175407324931"},"transactionAmount":{"currency":"EUR","amount":"-9.99"}})";
const std::string kError = "transactions.booked[3].bookingDate: not a date (YYYY-MM-DD)";

QuarantineEntry Entry(const std::string& raw, int64_t occurrence, int64_t seen = 1700000000) {
  QuarantineEntry e;
  e.raw_json = raw;
  e.occurrence = occurrence;
  e.list_status = TransactionStatus::kBooked;
  e.error = kError;
  e.first_seen = e.last_seen = DateTime{seen, 0, 0};
  return e;
}

class StoreQuarantine : public testing::StoreTest {
 protected:
  Result<int64_t> Commit(Store& store, const AccountRef& ref, std::vector<QuarantineEntry> put,
                         std::vector<std::string> drop = {}) {
    AccountCommit commit;
    commit.account = ref;
    commit.state.outcome = SyncOutcome::kOk;
    commit.quarantine_put = std::move(put);
    commit.quarantine_drop = std::move(drop);
    return store.CommitAccountSync(commit);
  }
};

TEST_F(StoreQuarantine, EntriesRoundTripSealedUnderKeysThatRevealNothing) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const AccountRef ref = MakeAccount(*store, "t1", "psu-q", 1);
  QuarantineEntry pending = Entry(kRaw + " ", 0, 1700000100);
  pending.list_status = TransactionStatus::kPending;
  ASSERT_TRUE(Commit(*store, ref, {Entry(kRaw, 0), Entry(kRaw, 1), pending}));

  auto loaded = store->LoadQuarantine(ref);
  ASSERT_TRUE(loaded) << loaded.error().ToString();
  ASSERT_EQ(loaded->size(), 3u) << "twins (the same bytes twice) stay two entries";
  std::set<std::string> keys;
  for (const QuarantineEntry& e : *loaded) {
    EXPECT_TRUE(IsHashId(e.key, "qr_")) << e.key;
    keys.insert(e.key);
    EXPECT_EQ(e.error, kError);
  }
  EXPECT_EQ(keys.size(), 3u);
  EXPECT_EQ((*loaded)[0].raw_json, kRaw);
  EXPECT_EQ((*loaded)[1].raw_json, kRaw);
  EXPECT_EQ((*loaded)[0].occurrence + (*loaded)[1].occurrence, 1);
  EXPECT_EQ((*loaded)[2].raw_json, kRaw + " ");
  EXPECT_EQ((*loaded)[2].list_status, TransactionStatus::kPending);
  EXPECT_EQ((*loaded)[2].first_seen.unix_seconds, 1700000100);
  EXPECT_EQ(store->GetAccount("t1", ref)->state.quarantined, 3);

  // Nothing of the row, its error or its occurrence is in clear in the files, and the key is not a plain hash of it.
  store.reset();
  const std::string bytes = AllFileBytes(db_path_);
  for (const char* secret : {"DE44500105175407324931", "Quarantine Qwertz", "15/11/2019", "bookingDate"}) {
    EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
  }
  RawDb raw(db_path_);
  const auto rows = raw.Query("SELECT entry_key, row_enc FROM quarantine ORDER BY entry_key");
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& row : rows) EXPECT_TRUE(keys.contains(row[0]));
}

TEST_F(StoreQuarantine, AKeptEntryKeepsItsKeyAndFirstSeenAndDropDeletes) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const AccountRef ref = MakeAccount(*store, "t1", "psu-q", 1);
  ASSERT_TRUE(Commit(*store, ref, {Entry(kRaw, 0, 1700000000)}));
  const std::string key = store->LoadQuarantine(ref)->front().key;

  QuarantineEntry again = Entry(kRaw, 0, 1700090000);  // the engine keeps first_seen; the store must not lose it
  again.first_seen = DateTime{1700000000, 0, 0};
  again.error = "transactions.booked[0].bookingDate: not a date (YYYY-MM-DD)";
  ASSERT_TRUE(Commit(*store, ref, {again}));
  auto loaded = store->LoadQuarantine(ref);
  ASSERT_EQ(loaded->size(), 1u) << "the same bytes and occurrence: the same entry";
  EXPECT_EQ(loaded->front().key, key);
  EXPECT_EQ(loaded->front().first_seen.unix_seconds, 1700000000);
  EXPECT_EQ(loaded->front().last_seen.unix_seconds, 1700090000);
  EXPECT_EQ(loaded->front().error, again.error);

  ASSERT_TRUE(Commit(*store, ref, {}, {key}));
  EXPECT_TRUE(store->LoadQuarantine(ref)->empty());
  EXPECT_EQ(store->GetAccount("t1", ref)->state.quarantined, 0);
  EXPECT_EQ(Commit(*store, ref, {}, {"not-a-key"}).error().code, ErrorCode::kInvalidArgument);
}

TEST_F(StoreQuarantine, KeysDependOnTenantAndAccount) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const AccountRef a = MakeAccount(*store, "t1", "psu-a", 1);
  const AccountRef b = MakeAccount(*store, "t2", "psu-b", 1);
  ASSERT_TRUE(Commit(*store, a, {Entry(kRaw, 0)}));
  ASSERT_TRUE(Commit(*store, b, {Entry(kRaw, 0)}));
  EXPECT_NE(store->LoadQuarantine(a)->front().key, store->LoadQuarantine(b)->front().key);
}

TEST_F(StoreQuarantine, QuarantineChangesCommitWithTheSyncOrNotAtAll) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const AccountRef ref = MakeAccount(*store, "t1", "psu-q", 1);
  AccountCommit commit;
  commit.account = ref;
  commit.removed = {testing::TxId(42)};  // no such row: the commit is refused
  commit.quarantine_put = {Entry(kRaw, 0)};
  EXPECT_EQ(store->CommitAccountSync(commit).error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(store->LoadQuarantine(ref)->empty()) << "nothing half-stored";
}

TEST_F(StoreQuarantine, AnEnvelopeMovedToAnotherEntryFailsToOpen) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const AccountRef ref = MakeAccount(*store, "t1", "psu-q", 1);
  ASSERT_TRUE(Commit(*store, ref, {Entry(kRaw, 0), Entry(kRaw, 1)}));
  store.reset();
  {
    RawDb raw(db_path_);
    ASSERT_EQ(raw.Exec("UPDATE quarantine SET row_enc = (SELECT row_enc FROM quarantine ORDER BY entry_key LIMIT 1)"),
              SQLITE_OK);
  }
  store = OpenStore();
  auto loaded = store->LoadQuarantine(ref);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(loaded.error().message.find("quarantine.row_enc"), std::string::npos) << loaded.error().message;
  EXPECT_EQ(loaded.error().message.find("Qwertz"), std::string::npos);
}

TEST_F(StoreQuarantine, EntriesSurviveAKeyRotationAndMoveToTheActiveKeyWhenKept) {
  AccountRef ref;
  std::string key;
  {
    auto store = OpenStore();
    ASSERT_NE(store, nullptr);
    ref = MakeAccount(*store, "t1", "psu-q", 1);
    ASSERT_TRUE(Commit(*store, ref, {Entry(kRaw, 0)}));
    key = store->LoadQuarantine(ref)->front().key;
  }
  ASSERT_TRUE(ring_->Rotate("k2").has_value());
  ASSERT_TRUE(ring_->WriteKeyFile(key_file_).has_value());
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  auto loaded = store->LoadQuarantine(ref);
  ASSERT_TRUE(loaded) << loaded.error().ToString();
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ(loaded->front().key, key) << "the key is under the id secret, which a rotation does not change";
  EXPECT_EQ(loaded->front().raw_json, kRaw);
  ASSERT_TRUE(Commit(*store, ref, {loaded->front()}));  // a sync keeps it: written again
  store.reset();
  RawDb raw(db_path_);
  const auto rows = raw.Query("SELECT row_enc FROM quarantine");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0].substr(2, 2), "k2") << "sealed under the active key";
}

TEST_F(StoreQuarantine, ForgetDeletesTheCustomersEntriesAndTheirBytes) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const AccountRef gone = MakeAccount(*store, "t1", "psu-gone", 1);
  const AccountRef kept = MakeAccount(*store, "t1", "psu-kept", 2);
  ASSERT_TRUE(Commit(*store, gone, {Entry(kRaw, 0), Entry(kRaw, 1)}));
  ASSERT_TRUE(Commit(*store, kept, {Entry("{}", 0)}));
  std::vector<std::string> blobs;
  {
    RawDb raw(db_path_);
    for (const auto& row : raw.Query("SELECT row_enc FROM quarantine q JOIN accounts a ON a.id = q.account_id "
                                     "JOIN customers c ON c.id = a.customer_id WHERE c.handle = '" +
                                     gone.customer_handle + "'")) {
      blobs.push_back(row[0]);
    }
  }
  ASSERT_EQ(blobs.size(), 2u);
  auto report = store->ForgetCustomer("t1", gone.customer_handle);
  ASSERT_TRUE(report) << report.error().ToString();
  EXPECT_EQ(report->quarantined, 2);
  EXPECT_EQ(store->LoadQuarantine(kept)->size(), 1u) << "another customer's entries stay";
  const std::string bytes = AllFileBytes(db_path_);
  for (const std::string& blob : blobs) EXPECT_EQ(bytes.find(blob), std::string::npos) << "purged from the file";
}

TEST_F(StoreQuarantine, AStoreAtSchema3IsRefusedByABuildThatKnowsOnly2) {
  { ASSERT_NE(OpenStore(), nullptr); }
  auto db = Db::Open(DbOptions{.path = db_path_});
  ASSERT_TRUE(db) << db.error().ToString();
  EXPECT_EQ(*SchemaVersion(**db), 3);
  const auto migrations = StoreMigrations();
  ASSERT_GE(migrations.size(), 3u);
  auto older = ApplyMigrations(**db, migrations.first(2), {});
  ASSERT_FALSE(older);
  EXPECT_EQ(older.error().code, ErrorCode::kConfig);
  EXPECT_NE(older.error().message.find("schema version 3"), std::string::npos) << older.error().message;
}

}  // namespace
}  // namespace bankfeed::store
