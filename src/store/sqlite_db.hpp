// store/sqlite_db.hpp: a thin RAII layer over one sqlite3 connection (internal to src/store).
//
//   Db        the connection: opening (file created 0600, refused when group or others can read it), PRAGMAs, a
//             cache of prepared statements, the -wal/-shm file modes;
//   Stmt      a prepared statement borrowed from the cache, reset and unbound when it goes out of scope;
//   WriteTxn  BEGIN IMMEDIATE ... COMMIT, rolled back unless committed.
//
// SQLite errors become bankfeed errors that name the operation, never data: SQLITE_BUSY, LOCKED, FULL and IOERR are
// kUnavailable (retry later; nothing was written), CORRUPT and NOTADB kInvalidInput, CANTOPEN, PERM, READONLY and
// AUTH kConfig, CONSTRAINT kInvalidArgument, anything else kInternal. Messages use sqlite3_errstr (the code's fixed
// text), never sqlite3_errmsg, which can quote parts of a statement.
//
// Not thread-safe: the caller serialises every use of a Db and of its statements (SqliteStore holds a mutex).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bankfeed/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace bankfeed::store {

class Db;

// The bankfeed error for SQLite result code `rc` during `what` (e.g. "insert transactions").
Error SqliteError(int rc, std::string_view what);

class Stmt {
 public:
  Stmt(Stmt&& other) noexcept;
  Stmt& operator=(Stmt&&) = delete;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  // Parameters are 1-based, as in SQL (?1, ?2, ...). Text and blobs are copied by SQLite (SQLITE_TRANSIENT).
  Stmt& Bind(int index, int64_t value);
  Stmt& BindText(int index, std::string_view value);
  Stmt& BindBlob(int index, std::string_view value);
  // Bind without a copy (SQLITE_STATIC): the bytes must stay valid and unchanged until the Stmt is Reset or ends.
  Stmt& BindTextNoCopy(int index, std::string_view value);
  Stmt& BindBlobNoCopy(int index, std::string_view value);
  // Makes the statement ready to run again: resets it and clears every binding.
  void Reset();
  Stmt& BindNull(int index);

  // One step: true with a row, false when done.
  Result<bool> Step();
  // Steps to the end, expecting no row (INSERT, UPDATE, DELETE).
  Status Run();
  // Rows changed by the last Run.
  int64_t Changes() const;

  bool IsNull(int column) const;
  int64_t Int(int column) const;
  // Views valid until the next Step or the end of the Stmt.
  std::string_view Text(int column) const;
  std::string_view Blob(int column) const;

 private:
  friend class Db;
  Stmt(sqlite3_stmt* stmt, std::string_view what, bool* in_use, bool owned);

  sqlite3_stmt* stmt_ = nullptr;
  std::string_view what_;   // a string literal naming the statement in errors
  bool* in_use_ = nullptr;  // the cache's flag, cleared when this Stmt ends
  bool owned_ = false;      // not cached: finalized when this Stmt ends
};

struct DbOptions {
  std::string path;
  int busy_timeout_ms = 5000;
  int64_t max_page_count = 0;  // 0: no limit
};

class Db {
 public:
  // Creates the file with mode 0600 when missing (whatever the umask), refuses an existing file that is not a
  // regular file or that group or others may read or write (kConfig), then opens it in WAL mode with
  // synchronous=FULL, secure_delete=ON, foreign_keys=ON and the busy timeout.
  static Result<std::unique_ptr<Db>> Open(const DbOptions& options);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs SQL without parameters or results (may hold several statements). `what` names it in errors.
  Status Exec(const char* sql, std::string_view what);
  // The cached statement for `sql`. If that statement is in use further up the stack, a fresh one is prepared for
  // this use. `what` must outlive the Stmt (a string literal).
  Result<Stmt> Prepare(std::string_view sql, std::string_view what);

  // Sets the -wal and -shm files (when they exist) to mode 0600.
  Status RestrictSidecarModes();
  const std::string& path() const { return path_; }
  sqlite3* handle() { return db_; }

 private:
  struct Cached {
    std::unique_ptr<std::string> sql;  // the map's key views this text
    sqlite3_stmt* stmt = nullptr;
    std::unique_ptr<bool> in_use;
  };
  Db() = default;

  sqlite3* db_ = nullptr;
  std::string path_;
  std::unordered_map<std::string_view, Cached> cache_;
};

// A write transaction: BEGIN IMMEDIATE (takes the write lock at once, so a busy database fails here and not half
// way), rolled back on destruction unless Commit succeeded. BeginRead starts a deferred transaction instead: the
// statements run in it read one snapshot.
class WriteTxn {
 public:
  static Result<WriteTxn> Begin(Db& db, std::string_view what);
  static Result<WriteTxn> BeginRead(Db& db, std::string_view what);
  WriteTxn(WriteTxn&& other) noexcept : db_(other.db_), what_(other.what_) { other.db_ = nullptr; }
  WriteTxn& operator=(WriteTxn&&) = delete;
  WriteTxn(const WriteTxn&) = delete;
  WriteTxn& operator=(const WriteTxn&) = delete;
  ~WriteTxn();

  Status Commit();

 private:
  WriteTxn(Db* db, std::string_view what) : db_(db), what_(what) {}
  Db* db_;
  std::string_view what_;
};

}  // namespace bankfeed::store
