// store/migrations.hpp: the SQLite store's schema, versioned with PRAGMA user_version (internal to src/store).
//
// Migration N takes the schema from version N-1 to N. Each runs in its own write transaction that also sets
// user_version, so a crash leaves the database at one version or the next. A database whose version is newer than
// this build knows is refused with kConfig (an older binary must not write to a newer schema).
#pragma once

#include <functional>
#include <span>

#include "bankfeed/result.hpp"
#include "store/sqlite_db.hpp"

namespace bankfeed::store {

struct Migration {
  int version;      // 1, 2, ...: consecutive
  const char* sql;  // one or more statements
};

// The store's migrations; the last one's version is the schema version this build writes.
std::span<const Migration> StoreMigrations();
int LatestSchemaVersion();

// Runs in the transaction of each migration, after its SQL, with its version: what SQL alone cannot do (migration 1:
// the store id; migration 2: the id secret and the rewrite of the ids).
using MigrationHook = std::function<Status(Db&, int version)>;

// The database's user_version.
Result<int> SchemaVersion(Db& db);

// Applies the migrations newer than the database's version, in order. Returns the version reached.
Result<int> ApplyMigrations(Db& db, std::span<const Migration> migrations, const MigrationHook& hook);

}  // namespace bankfeed::store
