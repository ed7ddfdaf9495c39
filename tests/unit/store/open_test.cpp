// Opening a SQLite store: schema migrations, file modes, PRAGMAs, keys, and the SQLite error mapping.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "store/migrations.hpp"
#include "store/sqlite_db.hpp"
#include "store_test_util.hpp"

namespace bankfeed::store {
namespace {

using testing::ModeOf;
using testing::RawDb;
using testing::StoreTest;

class StoreOpen : public StoreTest {};

DbOptions DbOpts(const std::string& path, int busy_timeout_ms = 5000) {
  DbOptions o;
  o.path = path;
  o.busy_timeout_ms = busy_timeout_ms;
  return o;
}

TEST_F(StoreOpen, CreatesTheSchemaAndReopensIdempotently) {
  std::string id;
  {
    auto store = OpenStore();
    ASSERT_NE(store, nullptr);
    id = store->StoreId();
    EXPECT_EQ(id.size(), 32u);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << "32 lower-case hex digits";
  }
  {
    RawDb raw(db_path_);
    EXPECT_EQ(raw.Query("PRAGMA user_version")[0][0], std::to_string(LatestSchemaVersion()));
    EXPECT_EQ(raw.Query("PRAGMA journal_mode")[0][0], "wal");
    EXPECT_EQ(
        raw.Query("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                  "('meta','customers','consents','accounts','balances','transactions','removals','sequences')")[0][0],
        "8");
  }
  for (int i = 0; i < 2; ++i) {
    auto again = OpenStore();
    ASSERT_NE(again, nullptr);
    EXPECT_EQ(again->StoreId(), id) << "the store id is made once";
  }
  // Another database gets another id.
  auto other = OpenStore(testing::StoreOptions(dir_.path() + "/other.db", key_file_));
  ASSERT_NE(other, nullptr);
  EXPECT_NE(other->StoreId(), id);
}

TEST_F(StoreOpen, MigrationsRunInOrderEachInItsOwnTransaction) {
  auto db = Db::Open(DbOpts(db_path_));
  ASSERT_TRUE(db.has_value()) << db.error().ToString();
  const Migration steps[] = {{1, "CREATE TABLE a (x INTEGER);"},
                             {2, "CREATE TABLE b (y INTEGER);"},
                             {3, "CREATE TABLE c (z INTEGER); CREATE TABLE nope (;"}};
  std::vector<int> hooked;
  auto reached = ApplyMigrations(**db, std::span(steps, 2), [&](Db&, int version) -> Status {
    hooked.push_back(version);
    return {};
  });
  ASSERT_TRUE(reached.has_value()) << reached.error().ToString();
  EXPECT_EQ(*reached, 2);
  EXPECT_EQ(hooked, (std::vector<int>{1, 2})) << "the hook runs once per migration, in order";
  // Idempotent.
  reached = ApplyMigrations(**db, std::span(steps, 2), nullptr);
  ASSERT_TRUE(reached.has_value());
  EXPECT_EQ(*reached, 2);
  // A failing migration leaves the previous version and none of its statements.
  reached = ApplyMigrations(**db, steps, nullptr);
  ASSERT_FALSE(reached.has_value());
  EXPECT_EQ(*SchemaVersion(**db), 2);
  db->reset();
  RawDb raw(db_path_);
  EXPECT_EQ(raw.Query("SELECT count(*) FROM sqlite_master WHERE name = 'c'")[0][0], "0");
}

TEST_F(StoreOpen, RefusesASchemaFromTheFuture) {
  { ASSERT_NE(OpenStore(), nullptr); }
  {
    RawDb raw(db_path_);
    ASSERT_EQ(raw.Exec("PRAGMA user_version = " + std::to_string(LatestSchemaVersion() + 1)), SQLITE_OK);
  }
  auto store = OpenSqliteStore(Options());
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kConfig);
  EXPECT_NE(store.error().message.find("schema version"), std::string::npos) << store.error().message;
}

TEST_F(StoreOpen, FilesAreMode0600WhateverTheUmask) {
  const mode_t old = ::umask(0);
  auto store = OpenStore();
  ::umask(old);
  ASSERT_NE(store, nullptr);
  auto customer = store->EnsureCustomer("t", "psu-1");  // a write, so the WAL and its index exist
  ASSERT_TRUE(customer.has_value());
  EXPECT_EQ(ModeOf(db_path_), 0600);
  EXPECT_EQ(ModeOf(db_path_ + "-wal"), 0600);
  EXPECT_EQ(ModeOf(db_path_ + "-shm"), 0600);
  // Loose sidecars left by someone else are tightened at open.
  store.reset();
  {
    RawDb raw(db_path_);  // keeps -wal and -shm in place while we loosen them
    ASSERT_EQ(raw.Exec("INSERT INTO sequences VALUES ('x', 0)"), SQLITE_OK);
    ASSERT_EQ(::chmod((db_path_ + "-wal").c_str(), 0644), 0);
    ASSERT_EQ(::chmod((db_path_ + "-shm").c_str(), 0644), 0);
    store = OpenStore();
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(ModeOf(db_path_ + "-wal"), 0600);
    EXPECT_EQ(ModeOf(db_path_ + "-shm"), 0600);
  }
}

TEST_F(StoreOpen, RefusesADatabaseOthersCanRead) {
  { ASSERT_NE(OpenStore(), nullptr); }
  ASSERT_EQ(::chmod(db_path_.c_str(), 0640), 0);
  auto store = OpenSqliteStore(Options());
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kConfig);
  EXPECT_NE(store.error().message.find("mode 0640"), std::string::npos) << store.error().message;
  const std::string dir = dir_.path() + "/a-directory";
  ASSERT_EQ(::mkdir(dir.c_str(), 0700), 0);
  store = OpenSqliteStore(testing::StoreOptions(dir, key_file_));
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kConfig);
}

TEST_F(StoreOpen, SetsThePragmas) {
  auto db = Db::Open(DbOpts(db_path_, 1234));
  ASSERT_TRUE(db.has_value());
  const auto value = [&](const char* pragma) {
    auto stmt = (*db)->Prepare(std::string("PRAGMA ") + pragma, "pragma");
    EXPECT_TRUE(stmt.has_value());
    EXPECT_TRUE(*stmt->Step());
    return stmt->Int(0);
  };
  EXPECT_EQ(value("synchronous"), 2);  // FULL
  EXPECT_EQ(value("secure_delete"), 1);
  EXPECT_EQ(value("foreign_keys"), 1);
  EXPECT_EQ(value("busy_timeout"), 1234);
}

TEST_F(StoreOpen, NeedsExactlyOneKeySource) {
  auto store = OpenSqliteStore(testing::StoreOptions(db_path_, ""));
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kConfig);
  store = OpenSqliteStore(testing::StoreOptions(db_path_, key_file_, "BANKFEED_STORE_TEST_KEYS"));
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kConfig);
  // The environment works as well as the file.
  std::string key_text;  // the key lines without the file's comment, joined with ';'
  std::istringstream lines(testing::ReadAll(key_file_));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line[0] != '#') key_text += line + ";";
  }
  ::setenv("BANKFEED_STORE_TEST_KEYS", key_text.c_str(), 1);
  auto from_env = OpenStore(testing::StoreOptions(db_path_, "", "BANKFEED_STORE_TEST_KEYS"));
  ::unsetenv("BANKFEED_STORE_TEST_KEYS");
  ASSERT_NE(from_env, nullptr);
  ASSERT_TRUE(from_env->EnsureCustomer("t", "psu-env").has_value());
  from_env.reset();
  auto from_file = OpenStore();
  ASSERT_NE(from_file, nullptr);
  EXPECT_TRUE(from_file->FindCustomer("t", "psu-env").has_value());
}

TEST_F(StoreOpen, RefusesAnotherKeyring) {
  { ASSERT_NE(OpenStore(), nullptr); }
  auto other = crypto::Keyring::Generate("k1");  // same id, other key
  ASSERT_TRUE(other.has_value());
  const std::string other_file = dir_.path() + "/other.keys";
  ASSERT_TRUE(other->WriteKeyFile(other_file).has_value());
  auto store = OpenSqliteStore(testing::StoreOptions(db_path_, other_file));
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kConfig);
  EXPECT_NE(store.error().message.find("keyring"), std::string::npos) << store.error().message;
}

TEST_F(StoreOpen, ALockedDatabaseIsUnavailableNamingTheOperation) {
  SqliteStoreOptions options = Options();
  options.busy_timeout_ms = 50;
  auto store = OpenStore(options);
  ASSERT_NE(store, nullptr);
  RawDb other(db_path_);  // another process holding the write lock
  ASSERT_EQ(other.Exec("BEGIN IMMEDIATE"), SQLITE_OK);
  auto customer = store->EnsureCustomer("t", "PSU-LOCKED-1");
  ASSERT_FALSE(customer.has_value());
  EXPECT_EQ(customer.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(customer.error().message, "store: ensure customer: database is locked");
  EXPECT_TRUE(store->ListConsents("t").has_value()) << "readers are not blocked in WAL mode";
  ASSERT_EQ(other.Exec("COMMIT"), SQLITE_OK);
  EXPECT_TRUE(store->EnsureCustomer("t", "PSU-LOCKED-1").has_value());
}

TEST(StoreSqliteError, MapsCodesWithoutData) {
  EXPECT_EQ(SqliteError(SQLITE_BUSY, "insert x").code, ErrorCode::kUnavailable);
  EXPECT_EQ(SqliteError(SQLITE_LOCKED, "insert x").code, ErrorCode::kUnavailable);
  EXPECT_EQ(SqliteError(SQLITE_FULL, "insert x").code, ErrorCode::kUnavailable);
  EXPECT_EQ(SqliteError(SQLITE_IOERR_FSYNC, "insert x").code, ErrorCode::kUnavailable);
  EXPECT_EQ(SqliteError(SQLITE_CORRUPT, "insert x").code, ErrorCode::kInvalidInput);
  EXPECT_EQ(SqliteError(SQLITE_READONLY, "insert x").code, ErrorCode::kConfig);
  EXPECT_EQ(SqliteError(SQLITE_CONSTRAINT_UNIQUE, "insert x").code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(SqliteError(SQLITE_FULL, "insert transactions").message,
            "store: insert transactions: database or disk is full");
}

TEST_F(StoreOpen, WriteTxnRollsBackUnlessCommitted) {
  auto db = Db::Open(DbOpts(db_path_));
  ASSERT_TRUE(db.has_value());
  ASSERT_TRUE((*db)->Exec("CREATE TABLE t (x INTEGER)", "create").has_value());
  {
    auto txn = WriteTxn::Begin(**db, "test");
    ASSERT_TRUE(txn.has_value());
    ASSERT_TRUE((*db)->Exec("INSERT INTO t VALUES (1)", "insert").has_value());
  }
  {
    auto txn = WriteTxn::Begin(**db, "test");
    ASSERT_TRUE(txn.has_value());
    ASSERT_TRUE((*db)->Exec("INSERT INTO t VALUES (2)", "insert").has_value());
    ASSERT_TRUE(txn->Commit().has_value());
  }
  auto stmt = (*db)->Prepare("SELECT group_concat(x) FROM t", "select");
  ASSERT_TRUE(stmt.has_value());
  ASSERT_TRUE(*stmt->Step());
  EXPECT_EQ(stmt->Text(0), "2");
  // The same statement while it is in use: a second, uncached one serves the inner use.
  auto inner = (*db)->Prepare("SELECT group_concat(x) FROM t", "select");
  ASSERT_TRUE(inner.has_value());
  ASSERT_TRUE(*inner->Step());
  EXPECT_EQ(inner->Text(0), "2");
}

}  // namespace
}  // namespace bankfeed::store
