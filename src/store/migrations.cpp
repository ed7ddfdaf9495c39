// The SQLite store's schema and its migrations. See store/migrations.hpp.
//
// What is in clear: tenants, the random handles (cu_..., cg_...), bank ids, account ids ("acc_", keyed: see
// crypto/ids.hpp), feed ids ("tx_", keyed, but for the removals that migration 2 and the changes before it wrote,
// which keep the ids the feed's clients knew), a transaction's status, day number, sequence number and change kind,
// and sync state
// (which holds no personal data). Every *_enc column is an AES-256-GCM envelope (crypto::Aead) whose associated data
// names its table and row (sqlite_store_internal.hpp); psu_lookup is an HMAC (crypto::LookupHasher).
#include "store/migrations.hpp"

#include <string>

namespace bankfeed::store {
namespace {

constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE customers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant TEXT NOT NULL,
  handle TEXT NOT NULL UNIQUE,
  psu_lookup BLOB NOT NULL,
  psu_enc BLOB NOT NULL,
  UNIQUE (tenant, psu_lookup)
);

CREATE TABLE consents (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  handle TEXT NOT NULL UNIQUE,
  bank_id TEXT NOT NULL,
  grant_enc BLOB NOT NULL
);
CREATE INDEX consents_by_customer ON consents(customer_id);

CREATE TABLE accounts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  consent_id INTEGER NOT NULL REFERENCES consents(id) ON DELETE CASCADE,
  account_id TEXT NOT NULL,
  account_enc BLOB NOT NULL,
  sync_outcome INTEGER NOT NULL DEFAULT 0,
  sync_retry_at INTEGER,
  sync_state BLOB,
  UNIQUE (customer_id, account_id)
);
CREATE INDEX accounts_by_consent ON accounts(consent_id);

CREATE TABLE balances (
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  ord INTEGER NOT NULL,
  balance_enc BLOB NOT NULL,
  PRIMARY KEY (account_id, ord)
) WITHOUT ROWID;

CREATE TABLE transactions (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  feed_id TEXT NOT NULL,
  status INTEGER NOT NULL,
  day INTEGER,
  seq INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  record_enc BLOB NOT NULL,
  UNIQUE (account_id, feed_id),
  UNIQUE (tenant, seq)
);
CREATE INDEX transactions_window ON transactions(account_id, status, day);

CREATE TABLE removals (
  tenant TEXT NOT NULL,
  seq INTEGER NOT NULL,
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  feed_id TEXT NOT NULL,
  PRIMARY KEY (tenant, seq)
) WITHOUT ROWID;
CREATE INDEX removals_by_account ON removals(account_id);

CREATE TABLE sequences (
  tenant TEXT PRIMARY KEY,
  head_seq INTEGER NOT NULL
) WITHOUT ROWID;
)sql"},
    // Keyed ids: the schema is unchanged; the migration's hook makes the id secret and rewrites the ids
    // (SqliteStore::RekeyIds).
    {2, "-- ids keyed under the store's id secret"},
    // The quarantine: transaction rows a sync could not normalize, kept until a later sync can (issue 21). An entry
    // is named by entry_key, "qr_" + 32 hex digits of an HMAC under the id secret (crypto::IdKeyer::QuarantineKey)
    // of the tenant, account id, occurrence and raw bytes: stable across at-rest key rotations, and without the
    // secret it says nothing about the row. row_enc seals the error and the raw row together
    // (SqliteStore::QuarantineAd). list_status is a TransactionStatus; first_seen and last_seen are unix seconds.
    {3, R"sql(
CREATE TABLE quarantine (
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  entry_key TEXT NOT NULL,
  list_status INTEGER NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  row_enc BLOB NOT NULL,
  PRIMARY KEY (account_id, entry_key)
) WITHOUT ROWID;
)sql"},
};

}  // namespace

std::span<const Migration> StoreMigrations() { return kMigrations; }

int LatestSchemaVersion() { return kMigrations[std::size(kMigrations) - 1].version; }

Result<int> SchemaVersion(Db& db) {
  BANKFEED_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare("PRAGMA user_version", "read schema version"));
  BANKFEED_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  if (!row) return MakeError(ErrorCode::kInternal, "store: read schema version: no row");
  return static_cast<int>(stmt.Int(0));
}

Result<int> ApplyMigrations(Db& db, std::span<const Migration> migrations, const MigrationHook& hook) {
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  BANKFEED_ASSIGN_OR_RETURN(int version, SchemaVersion(db));
  if (version > latest || version < 0) {
    return MakeError(ErrorCode::kConfig, "store: database file " + db.path() + ": schema version " +
                                             std::to_string(version) + " is not one this build knows (it knows up to " +
                                             std::to_string(latest) + "); use a newer bankfeed");
  }
  for (const Migration& m : migrations) {
    if (m.version <= version) continue;
    BANKFEED_ASSIGN_OR_RETURN(WriteTxn txn, WriteTxn::Begin(db, "begin migration"));
    // Another process may have migrated between our read and our write lock.
    BANKFEED_ASSIGN_OR_RETURN(version, SchemaVersion(db));
    if (version >= m.version) continue;  // txn rolls back: nothing was written
    if (version != m.version - 1) {
      return MakeError(ErrorCode::kInternal, "store: migration " + std::to_string(m.version) + " needs version " +
                                                 std::to_string(m.version - 1));
    }
    BANKFEED_RETURN_IF_ERROR(db.Exec(m.sql, "migrate schema"));
    if (hook) BANKFEED_RETURN_IF_ERROR(hook(db, m.version));
    const std::string set = "PRAGMA user_version = " + std::to_string(m.version);
    BANKFEED_RETURN_IF_ERROR(db.Exec(set.c_str(), "set schema version"));
    BANKFEED_RETURN_IF_ERROR(txn.Commit());
    version = m.version;
  }
  return version;
}

}  // namespace bankfeed::store
