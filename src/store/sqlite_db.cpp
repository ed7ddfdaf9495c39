// One sqlite3 connection with a statement cache and write transactions. See store/sqlite_db.hpp.
#include "store/sqlite_db.hpp"
#include "common/scoped.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <system_error>
#include <utility>

namespace bankfeed::store {
namespace {

std::string ErrnoText(int err) { return std::error_code(err, std::generic_category()).message(); }

tl::unexpected<Error> FileError(const std::string& path, std::string_view reason) {
  return tl::unexpected(Error(ErrorCode::kConfig, "store: database file " + path + ": " + std::string(reason)));
}

// Creates `path` with mode 0600 when it is missing; otherwise checks that it is a regular file that group and others
// can neither read nor write. The check is on the opened file (fstat), so a swapped path cannot slip through.
Status PrepareFile(const std::string& path) {
  {
    ScopedFd created(::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (created.get() >= 0) {
      // The umask can only have removed bits; set exactly 0600 either way.
      if (::fchmod(created.get(), 0600) != 0) return FileError(path, "chmod 600 failed: " + ErrnoText(errno));
      return {};
    }
    if (errno != EEXIST) return FileError(path, "cannot create: " + ErrnoText(errno));
  }
  ScopedFd existing(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (existing.get() < 0) return FileError(path, "cannot open: " + ErrnoText(errno));
  struct stat st {};
  if (::fstat(existing.get(), &st) != 0) return FileError(path, "cannot stat: " + ErrnoText(errno));
  if (!S_ISREG(st.st_mode)) return FileError(path, "not a regular file");
  if ((st.st_mode & 077) != 0) {
    char octal[8];
    std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return FileError(path, std::string("readable by group or others (mode ") + octal + "); chmod 600 it");
  }
  return {};
}

}  // namespace

Error SqliteError(int rc, std::string_view what) {
  ErrorCode code = ErrorCode::kInternal;
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
      code = ErrorCode::kUnavailable;
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = ErrorCode::kInvalidInput;
      break;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
      code = ErrorCode::kConfig;
      break;
    case SQLITE_CONSTRAINT:
      code = ErrorCode::kInvalidArgument;
      break;
    default:
      break;
  }
  return Error(code, "store: " + std::string(what) + ": " + sqlite3_errstr(rc));
}

// --- Stmt

Stmt::Stmt(sqlite3_stmt* stmt, std::string_view what, bool* in_use, bool owned)
    : stmt_(stmt), what_(what), in_use_(in_use), owned_(owned) {}

Stmt::Stmt(Stmt&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)),
      what_(other.what_),
      in_use_(std::exchange(other.in_use_, nullptr)),
      owned_(other.owned_) {}

Stmt::~Stmt() {
  if (stmt_ == nullptr) return;
  if (owned_) {
    sqlite3_finalize(stmt_);
  } else {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  if (in_use_ != nullptr) *in_use_ = false;
}

Stmt& Stmt::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Stmt& Stmt::BindText(int index, std::string_view value) {
  sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

namespace {

// A zero-length blob still needs a non-null pointer, or SQLite binds NULL.
const char* BlobData(std::string_view value) {
  static const char kEmpty = 0;
  return value.empty() ? &kEmpty : value.data();
}

}  // namespace

Stmt& Stmt::BindTextNoCopy(int index, std::string_view value) {
  sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8);
  return *this;
}

Stmt& Stmt::BindBlob(int index, std::string_view value) {
  sqlite3_bind_blob64(stmt_, index, BlobData(value), value.size(), SQLITE_TRANSIENT);
  return *this;
}

Stmt& Stmt::BindBlobNoCopy(int index, std::string_view value) {
  sqlite3_bind_blob64(stmt_, index, BlobData(value), value.size(), SQLITE_STATIC);
  return *this;
}

void Stmt::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Stmt& Stmt::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Result<bool> Stmt::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return tl::unexpected(SqliteError(rc, what_));
}

Status Stmt::Run() {
  for (;;) {
    BANKFEED_ASSIGN_OR_RETURN(const bool row, Step());
    if (!row) return {};
  }
}

int64_t Stmt::Changes() const { return sqlite3_changes64(sqlite3_db_handle(stmt_)); }

bool Stmt::IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

int64_t Stmt::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string_view Stmt::Text(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return p == nullptr ? std::string_view()
                      : std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::string_view Stmt::Blob(int column) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  return p == nullptr ? std::string_view()
                      : std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

// --- Db

Result<std::unique_ptr<Db>> Db::Open(const DbOptions& options) {
  if (options.path.empty()) return MakeError(ErrorCode::kConfig, "store: no database path");
  BANKFEED_RETURN_IF_ERROR(PrepareFile(options.path));
  std::unique_ptr<Db> db(new Db());
  db->path_ = options.path;
  // NOMUTEX: the caller serialises every use of the connection.
  const int rc = sqlite3_open_v2(options.path.c_str(), &db->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) return tl::unexpected(SqliteError(rc, "open database"));
  sqlite3_extended_result_codes(db->db_, 1);
  sqlite3_busy_timeout(db->db_, options.busy_timeout_ms);
  {
    // journal_mode answers with the mode now in effect; a file system that cannot do WAL answers another one.
    BANKFEED_ASSIGN_OR_RETURN(Stmt wal, db->Prepare("PRAGMA journal_mode=WAL", "set journal_mode"));
    BANKFEED_ASSIGN_OR_RETURN(const bool row, wal.Step());
    if (!row || wal.Text(0) != "wal") {
      return FileError(options.path, "cannot switch to WAL journal mode");
    }
  }
  BANKFEED_RETURN_IF_ERROR(
      db->Exec("PRAGMA synchronous=FULL; PRAGMA secure_delete=ON; PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;",
               "set pragmas"));
  if (options.max_page_count > 0) {
    BANKFEED_ASSIGN_OR_RETURN(Stmt limit, db->Prepare("PRAGMA max_page_count=" + std::to_string(options.max_page_count),
                                                      "set max_page_count"));
    BANKFEED_RETURN_IF_ERROR(limit.Run());
  }
  return db;
}

Db::~Db() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  cache_.clear();
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

Status Db::Exec(const char* sql, std::string_view what) {
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return tl::unexpected(SqliteError(rc, what));
  return {};
}

Result<Stmt> Db::Prepare(std::string_view sql, std::string_view what) {
  auto it = cache_.find(sql);
  if (it != cache_.end() && !*it->second.in_use) {
    *it->second.in_use = true;
    return Stmt(it->second.stmt, what, it->second.in_use.get(), false);
  }
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    it == cache_.end() ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return tl::unexpected(SqliteError(rc, what));
  }
  if (it != cache_.end()) return Stmt(stmt, what, nullptr, true);  // the cached one is busy further up the stack
  Cached cached;
  cached.sql = std::make_unique<std::string>(sql);
  cached.stmt = stmt;
  cached.in_use = std::make_unique<bool>(true);
  bool* in_use = cached.in_use.get();
  const std::string_view key = *cached.sql;
  cache_.emplace(key, std::move(cached));
  return Stmt(stmt, what, in_use, false);
}

Status Db::RestrictSidecarModes() {
  for (const char* suffix : {"-wal", "-shm"}) {
    const std::string file = path_ + suffix;
    if (::chmod(file.c_str(), 0600) != 0 && errno != ENOENT) {
      return FileError(file, "chmod 600 failed: " + ErrnoText(errno));
    }
  }
  return {};
}

// --- WriteTxn

Result<WriteTxn> WriteTxn::Begin(Db& db, std::string_view what) {
  const int rc = sqlite3_exec(db.handle(), "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return tl::unexpected(SqliteError(rc, what));
  return WriteTxn(&db, what);
}

Result<WriteTxn> WriteTxn::BeginRead(Db& db, std::string_view what) {
  const int rc = sqlite3_exec(db.handle(), "BEGIN", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return tl::unexpected(SqliteError(rc, what));
  return WriteTxn(&db, what);
}

WriteTxn::~WriteTxn() {
  if (db_ != nullptr && sqlite3_get_autocommit(db_->handle()) == 0) {
    sqlite3_exec(db_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

Status WriteTxn::Commit() {
  const int rc = sqlite3_exec(db_->handle(), "COMMIT", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return tl::unexpected(SqliteError(rc, what_));  // the destructor rolls back
  db_ = nullptr;
  return {};
}

}  // namespace bankfeed::store
