// The SQLite Store: transactions, account sync commits and the feed. See store/sqlite_store.hpp.
//
// The change log is kept in two tables. A transaction row carries its latest change (seq, kind): when a later
// change of the row is written, the row's seq moves forward, so an earlier added/modified change is gone from the
// log by itself. A removal deletes the row and leaves a row in `removals` (tenant, seq, account, feed id). ReadFeed
// merges both, ordered by seq. Sequence numbers come from `sequences`, per tenant; they are never reused, since
// the head only grows, whatever is deleted.
#include <openssl/crypto.h>

#include <algorithm>
#include <bit>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <utility>

#include "store/record_codec.hpp"
#include "store/sqlite_store.hpp"

namespace bankfeed::store {
namespace {

// transactions.kind and the feed query's removals hold ChangeKind as an integer.
constexpr int64_t kKindAdded = 0, kKindModified = 1, kKindRemoved = 2;
static_assert(static_cast<int>(ChangeKind::kAdded) == kKindAdded &&
              static_cast<int>(ChangeKind::kModified) == kKindModified &&
              static_cast<int>(ChangeKind::kRemoved) == kKindRemoved);
// transactions.status holds TransactionStatus as an integer; the window query spells the values out, so that each
// branch can use the (account_id, status, day) index.
static_assert(static_cast<int>(TransactionStatus::kBooked) == 0 && static_cast<int>(TransactionStatus::kPending) == 1 &&
              static_cast<int>(TransactionStatus::kInfo) == 2);

// The row's day for the window: the booking date, or the value date for a pending row; then whichever date the
// bank gave. NULL (no date at all) rows are always in the window.
std::optional<int32_t> RowDay(const Transaction& t) {
  const bool pending = t.status == TransactionStatus::kPending;
  const std::optional<Date>& first = pending ? t.value_date : t.booking_date;
  const std::optional<Date>& second = pending ? t.booking_date : t.value_date;
  for (const std::optional<Date>* d : {&first, &second, &t.transaction_date}) {
    if (*d) return (*d)->days_since_epoch;
  }
  return std::nullopt;
}


// A commit's ids, to refuse one that appears twice: open addressing over views, no allocation per id. Never
// holds an empty id (only tx_ ids are inserted), so an empty slot is a null view.
class IdSet {
 public:
  explicit IdSet(size_t ids) : slots_(std::bit_ceil(std::max<size_t>(2 * ids, 16))) {}
  bool Insert(std::string_view id) {  // false if `id` is already in the set
    const size_t mask = slots_.size() - 1;
    for (size_t i = std::hash<std::string_view>{}(id) & mask;; i = (i + 1) & mask) {
      if (slots_[i].data() == nullptr) {
        slots_[i] = id;
        return true;
      }
      if (slots_[i] == id) return false;
    }
  }

 private:
  std::vector<std::string_view> slots_;
};

// Plaintext records, wiped when the scope ends (to their capacity: a reused buffer held longer records before).
struct Plaintexts {
  std::vector<std::string> v;
  ~Plaintexts() {
    for (std::string& s : v) {
      s.resize(s.capacity());
      OPENSSL_cleanse(s.data(), s.size());
    }
  }
};

}  // namespace

Result<int64_t> SqliteStore::ReadHead(Db& db, std::string_view tenant) {
  BANKFEED_ASSIGN_OR_RETURN(Stmt stmt,
                            db.Prepare("SELECT head_seq FROM sequences WHERE tenant = ?1", "select sequences"));
  stmt.BindText(1, tenant);
  BANKFEED_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  return row ? stmt.Int(0) : int64_t{0};
}

Result<int64_t> SqliteStore::HeadSeq(std::string_view tenant) {
  if (tenant.empty()) return MakeError(ErrorCode::kInvalidArgument, "store: tenant is empty");
  std::lock_guard lock(mu_);
  return ReadHead(tenant);
}

Result<std::vector<FeedTransaction>> SqliteStore::LoadWindow(const AccountRef& account, Date from) {
  std::lock_guard lock(read_mu_);
  BANKFEED_ASSIGN_OR_RETURN(const AccountRow row, AccountByRef(*read_db_, account));
  BANKFEED_ASSIGN_OR_RETURN(
      Stmt stmt, read_db_->Prepare("SELECT id, feed_id, record_enc FROM transactions WHERE account_id = ?1 AND status = 1 "
                              "UNION ALL SELECT id, feed_id, record_enc FROM transactions "
                              "WHERE account_id = ?1 AND status IN (0, 2) AND day >= ?2 "
                              "UNION ALL SELECT id, feed_id, record_enc FROM transactions "
                              "WHERE account_id = ?1 AND status IN (0, 2) AND day IS NULL ORDER BY id",
                              "select transactions window"));
  stmt.Bind(1, row.id).Bind(2, from.days_since_epoch);
  std::vector<FeedTransaction> out;
  for (;;) {
    BANKFEED_ASSIGN_OR_RETURN(const bool more, stmt.Step());
    if (!more) break;
    BANKFEED_ASSIGN_OR_RETURN(std::string bytes, Open(stmt.Blob(2), TransactionAd(row.tenant, row.id, stmt.Text(1)),
                                                      "transactions.record_enc"));
    auto decoded = DecodeFeedTransaction(bytes);
    OPENSSL_cleanse(bytes.data(), bytes.size());
    if (!decoded) {
      return MakeError(ErrorCode::kInvalidInput, "store: transactions.record_enc: " + decoded.error().message);
    }
    out.push_back(std::move(*decoded));
  }
  return out;
}

Result<std::vector<std::string>> SqliteStore::TransactionIdsInUse(const AccountRef& account,
                                                                  std::span<const std::string_view> ids) {
  std::lock_guard lock(read_mu_);
  Db& db = *read_db_;
  // One read transaction for every lookup (in autocommit mode each SELECT would open and close its own).
  BANKFEED_ASSIGN_OR_RETURN(WriteTxn snapshot, WriteTxn::BeginRead(db, "ids in use"));
  BANKFEED_ASSIGN_OR_RETURN(const AccountRow row, AccountByRef(db, account));
  std::vector<std::string> out;
  {
    // An account without rows (its first sync) uses none of them, whatever they are: one lookup instead of one per
    // id (the ids are not even read; the commit checks them).
    BANKFEED_ASSIGN_OR_RETURN(
        Stmt any, db.Prepare("SELECT 1 FROM transactions WHERE account_id = ?1 LIMIT 1", "select transactions"));
    BANKFEED_ASSIGN_OR_RETURN(const bool has_rows, any.Bind(1, row.id).Step());
    if (!has_rows) return out;
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!IsHashId(ids[i], "tx_")) {
      return MakeError(ErrorCode::kInvalidArgument, "store: " + Where("ids", i) + " is not a tx_ id");
    }
  }
  std::set<std::string_view> seen;
  for (const std::string_view id : ids) {
    if (!seen.insert(id).second) continue;
    BANKFEED_ASSIGN_OR_RETURN(
        Stmt stmt,
        db.Prepare("SELECT 1 FROM transactions WHERE account_id = ?1 AND feed_id = ?2", "select transactions"));
    BANKFEED_ASSIGN_OR_RETURN(const bool used, stmt.Bind(1, row.id).BindText(2, id).Step());
    if (used) out.emplace_back(id);
  }
  return out;
}

Result<int64_t> SqliteStore::CommitAccountSync(const AccountCommit& commit) { return Commit(commit, nullptr); }

Result<int64_t> SqliteStore::CommitAccountSync(AccountCommit&& commit) { return Commit(commit, &commit); }

// `owned` is null, or `commit` itself when the caller gave it up: then each row is released as soon as it is sealed.
Result<int64_t> SqliteStore::Commit(const AccountCommit& commit, AccountCommit* owned) {
  // Everything that can be checked without the database is checked before the lock: the balances' and the sync
  // state's encodings here, the ids (form, repeats) and the transactions' records as they are sealed, below.
  Plaintexts balances;  // the balances' records
  if (commit.balances) {
    balances.v.reserve(commit.balances->size());
    for (size_t i = 0; i < commit.balances->size(); ++i) {
      auto bytes = EncodeBalance((*commit.balances)[i]);
      if (!bytes)
        return MakeError(ErrorCode::kInvalidArgument, "store: " + Where("balances", i) + ": " + bytes.error().message);
      balances.v.push_back(std::move(*bytes));
    }
  }
  BANKFEED_RETURN_IF_ERROR(EncodeSyncState(commit.state));

  // The sizes, taken now: a given-up commit's lists empty as their rows are sealed.
  const size_t added_rows = commit.added.size();
  const size_t rows = added_rows + commit.modified.size();
  // What the rows' statements bind besides the envelope, by row (added rows first, then modified ones). A given-up
  // row's id is moved into `kept_ids` (reserved, so the views stay valid) before the row is released.
  struct RowKey {
    int64_t status = 0;
    std::optional<int32_t> day;
    std::string_view id;
  };
  std::vector<RowKey> keys(rows);
  std::vector<std::string> kept_ids;
  if (owned != nullptr) kept_ids.reserve(rows);

  // The envelopes: the added and modified rows', then the balances'. Their associated data names the account's
  // row, so they are sealed for the row found now, under a short lock, and the rest outside the lock: another
  // account's commit (a parallel consent) writes meanwhile. Account rows are never reused, so if the account still
  // has that row inside the write transaction, the envelopes are the ones that row needs.
  // Each transaction's id is checked, its record encoded into one plaintext buffer (reused for the next, wiped when
  // done) and sealed; the envelopes go one after another into one buffer (no allocation each), which `sealed`
  // views, by row, once it is complete. The rows are taken from the back, so that a given-up row is released
  // (popped) right after it is sealed, while it is still in the CPU's caches: after the database work it would not
  // be, and a large batch's release would cost as much again.
  Plaintexts plain;
  plain.v.emplace_back();
  std::string envelopes;
  std::vector<std::string_view> sealed;
  IdSet ids(rows + commit.removed.size());  // views of ids in the commit or in kept_ids, which outlive it
  const auto check_form = [&](std::string_view id, std::string_view list, size_t i) -> Status {
    if (!IsHashId(id, "tx_"))
      return MakeError(ErrorCode::kInvalidArgument, "store: " + Where(list, i) + " is not a tx_ id");
    return {};
  };
  const auto check_repeat = [&](std::string_view id, std::string_view list, size_t i) -> Status {
    if (!ids.Insert(id)) {
      return MakeError(ErrorCode::kInvalidArgument, "store: " + Where(list, i) + ": id appears twice in the commit");
    }
    return {};
  };
  const auto seal_all = [&](const AccountRow& row, bool first_time) -> Status {
    const size_t count = rows + balances.v.size();
    std::vector<std::pair<size_t, size_t>> spans(count);  // each envelope's [begin, end) in `envelopes`
    envelopes.clear();
    envelopes.reserve(count * 1024);  // a guess: a record with its bank JSON and the envelope; it grows if short
    const std::string prefix = TransactionAdPrefix(row.tenant, row.id);
    std::string ad;  // TransactionAd(row.tenant, row.id, id), in one reused buffer
    std::string& record = plain.v.front();
    for (const auto* list : {&commit.added, &commit.modified}) {
      const bool added = list == &commit.added;
      const std::string_view name = added ? "added" : "modified";
      const size_t first = added ? 0 : added_rows;
      std::vector<FeedTransaction>* const mine = owned == nullptr ? nullptr : added ? &owned->added : &owned->modified;
      for (size_t i = list->size(); i-- > 0;) {
        const FeedTransaction& f = (*list)[i];
        if (first_time) BANKFEED_RETURN_IF_ERROR(check_form(f.transaction.id, name, i));
        if (Status encoded = EncodeFeedTransactionInto(f, record); !encoded) {
          return MakeError(ErrorCode::kInvalidArgument, "store: " + Where(name, i) + ": " + encoded.error().message);
        }
        ad.assign(prefix).append(f.transaction.id);
        const size_t begin = envelopes.size();
        BANKFEED_RETURN_IF_ERROR(SealAppend(record, ad, envelopes));
        spans[first + i] = {begin, envelopes.size()};
        RowKey& key = keys[first + i];
        key = RowKey{static_cast<int64_t>(f.transaction.status), RowDay(f.transaction), f.transaction.id};
        if (mine != nullptr) {
          key.id = kept_ids.emplace_back(std::move(mine->back().transaction.id));
          mine->pop_back();  // the last row is row i (and `f`): released now
        }
        if (first_time) BANKFEED_RETURN_IF_ERROR(check_repeat(key.id, name, i));
      }
    }
    if (first_time) {
      // After the rows, so that a removed id that repeats a row's is the one named.
      for (size_t i = 0; i < commit.removed.size(); ++i) {
        BANKFEED_RETURN_IF_ERROR(check_form(commit.removed[i], "removed", i));
        BANKFEED_RETURN_IF_ERROR(check_repeat(commit.removed[i], "removed", i));
      }
    }
    for (size_t ord = 0; ord < balances.v.size(); ++ord) {
      const size_t begin = envelopes.size();
      BANKFEED_RETURN_IF_ERROR(
          SealAppend(balances.v[ord], BalanceAd(row.tenant, row.id, static_cast<int64_t>(ord)), envelopes));
      spans[rows + ord] = {begin, envelopes.size()};
    }
    sealed.clear();
    sealed.reserve(count);
    for (const auto& [begin, end] : spans) sealed.emplace_back(envelopes.data() + begin, end - begin);
    return {};
  };
  AccountRow sealed_for;
  {
    std::lock_guard lock(mu_);
    BANKFEED_ASSIGN_OR_RETURN(sealed_for, AccountByRef(commit.account));
  }
  BANKFEED_RETURN_IF_ERROR(seal_all(sealed_for, true));

  std::lock_guard lock(mu_);
  BANKFEED_ASSIGN_OR_RETURN(WriteTxn txn, WriteTxn::Begin(*db_, "commit account sync"));
  BANKFEED_ASSIGN_OR_RETURN(const AccountRow account, AccountByRef(commit.account));
  if (account.id != sealed_for.id || account.tenant != sealed_for.tenant) {
    // The account's row was deleted and made again in between (only forgetting its customer deletes it, and a
    // forgotten customer's handle is never given out again, so this is a safeguard): seal for the new row.
    if (owned != nullptr) {
      return MakeError(ErrorCode::kUnavailable, "store: the account was deleted while its sync was being committed; "
                                                "nothing written");
    }
    BANKFEED_RETURN_IF_ERROR(seal_all(account, false));
  }
  const auto exists = [&](std::string_view id) -> Result<bool> {
    BANKFEED_ASSIGN_OR_RETURN(
        Stmt stmt,
        db_->Prepare("SELECT 1 FROM transactions WHERE account_id = ?1 AND feed_id = ?2", "select transactions"));
    return stmt.Bind(1, account.id).BindText(2, id).Step();
  };
  // Added ids are not looked up here: the UNIQUE (account_id, feed_id) constraint refuses one the account already
  // uses, below.
  const std::span<const RowKey> added_keys(keys.data(), added_rows);
  const std::span<const RowKey> modified_keys(keys.data() + added_rows, rows - added_rows);
  for (size_t i = 0; i < modified_keys.size(); ++i) {
    BANKFEED_ASSIGN_OR_RETURN(const bool stored, exists(modified_keys[i].id));
    if (!stored)
      return MakeError(ErrorCode::kInvalidArgument, "store: " + Where("modified", i) + ": no such transaction");
  }
  for (size_t i = 0; i < commit.removed.size(); ++i) {
    BANKFEED_ASSIGN_OR_RETURN(const bool stored, exists(commit.removed[i]));
    if (!stored)
      return MakeError(ErrorCode::kInvalidArgument, "store: " + Where("removed", i) + ": no such transaction");
  }

  BANKFEED_ASSIGN_OR_RETURN(const int64_t head, ReadHead(account.tenant));
  int64_t seq = head;
  size_t record = 0;
  // One statement per kind for all its rows; each row's values are bound without a copy (they outlive the Stmt).
  const auto write_row = [&](Stmt& stmt, const RowKey& key, int64_t kind) -> Status {
    stmt.Reset();
    stmt.Bind(1, key.status);
    if (key.day) {
      stmt.Bind(2, *key.day);
    } else {
      stmt.BindNull(2);
    }
    return stmt.Bind(3, ++seq)
        .Bind(4, kind)
        .BindBlobNoCopy(5, sealed[record++])
        .BindTextNoCopy(6, account.tenant)
        .Bind(7, account.id)
        .BindTextNoCopy(8, key.id)
        .Run();
  };
  if (!added_keys.empty()) {
    BANKFEED_ASSIGN_OR_RETURN(Stmt insert, db_->Prepare("INSERT INTO transactions(status, day, seq, kind, record_enc, "
                                                        "tenant, account_id, feed_id) "
                                                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                                        "insert transactions"));
    for (size_t i = 0; i < added_keys.size(); ++i) {
      Status written = write_row(insert, added_keys[i], kKindAdded);
      if (!written && written.error().code == ErrorCode::kInvalidArgument) {  // a constraint refused the row
        BANKFEED_ASSIGN_OR_RETURN(const bool used, exists(added_keys[i].id));
        if (used) return MakeError(ErrorCode::kInvalidArgument, "store: " + Where("added", i) + ": id already in use");
      }
      BANKFEED_RETURN_IF_ERROR(written);
    }
  }
  if (!modified_keys.empty()) {
    BANKFEED_ASSIGN_OR_RETURN(Stmt update, db_->Prepare("UPDATE transactions SET status = ?1, day = ?2, seq = ?3, "
                                                        "kind = ?4, record_enc = ?5 "
                                                        "WHERE tenant = ?6 AND account_id = ?7 AND feed_id = ?8",
                                                        "update transactions"));
    for (const RowKey& key : modified_keys) BANKFEED_RETURN_IF_ERROR(write_row(update, key, kKindModified));
  }
  for (const std::string& id : commit.removed) {
    BANKFEED_ASSIGN_OR_RETURN(Stmt del, db_->Prepare("DELETE FROM transactions WHERE account_id = ?1 AND feed_id = ?2",
                                                     "delete transactions"));
    BANKFEED_RETURN_IF_ERROR(del.Bind(1, account.id).BindText(2, id).Run());
    BANKFEED_ASSIGN_OR_RETURN(
        Stmt ins, db_->Prepare("INSERT INTO removals(tenant, seq, account_id, feed_id) VALUES (?1, ?2, ?3, ?4)",
                               "insert removals"));
    BANKFEED_RETURN_IF_ERROR(ins.BindText(1, account.tenant).Bind(2, ++seq).Bind(3, account.id).BindText(4, id).Run());
  }
  if (commit.balances) {
    BANKFEED_ASSIGN_OR_RETURN(Stmt del, db_->Prepare("DELETE FROM balances WHERE account_id = ?1", "delete balances"));
    BANKFEED_RETURN_IF_ERROR(del.Bind(1, account.id).Run());
    for (size_t i = 0; i < commit.balances->size(); ++i) {
      const auto ord = static_cast<int64_t>(i);
      BANKFEED_ASSIGN_OR_RETURN(
          Stmt ins,
          db_->Prepare("INSERT INTO balances(account_id, ord, balance_enc) VALUES (?1, ?2, ?3)", "insert balances"));
      BANKFEED_RETURN_IF_ERROR(ins.Bind(1, account.id).Bind(2, ord).BindBlobNoCopy(3, sealed[record++]).Run());
    }
  }
  BANKFEED_RETURN_IF_ERROR(WriteSyncState(account.id, commit.state));
  BANKFEED_RETURN_IF_ERROR(WriteQuarantine(account, commit.account.account_id, commit));
  if (seq != head) {
    BANKFEED_ASSIGN_OR_RETURN(Stmt upsert,
                              db_->Prepare("INSERT INTO sequences(tenant, head_seq) VALUES (?1, ?2) "
                                           "ON CONFLICT(tenant) DO UPDATE SET head_seq = excluded.head_seq",
                                           "update sequences"));
    BANKFEED_RETURN_IF_ERROR(upsert.BindText(1, account.tenant).Bind(2, seq).Run());
  }
  BANKFEED_RETURN_IF_ERROR(txn.Commit());
  return seq;
}

Result<FeedRead> SqliteStore::ReadFeed(std::string_view tenant, int64_t after_seq, size_t limit,
                                      const FeedReadOptions& options) {
  if (tenant.empty()) return MakeError(ErrorCode::kInvalidArgument, "store: tenant is empty");
  if (limit < 1) return MakeError(ErrorCode::kInvalidArgument, "store: feed limit must be at least 1");
  if (after_seq < 0) return MakeError(ErrorCode::kInvalidArgument, "store: feed position is negative");
  const auto sql_limit = static_cast<int64_t>(std::min<size_t>(limit, std::numeric_limits<int64_t>::max()));

  // On the feed's own query-only connection: a page is read, opened and decoded straight from SQLite's row memory
  // (no copy of the envelopes) without holding up a sync's commit on the main connection.
  // A free feed connection, or else the first one's turn.
  size_t reader = 0;
  std::unique_lock<std::mutex> lock;
  for (; reader < kFeedReaders; ++reader) {
    lock = std::unique_lock(feed_mu_[reader], std::try_to_lock);
    if (lock.owns_lock()) break;
  }
  if (reader == kFeedReaders) lock = std::unique_lock(feed_mu_[reader = 0]);
  Db& db = *feed_db_[reader];
  BANKFEED_ASSIGN_OR_RETURN(WriteTxn snapshot, WriteTxn::BeginRead(db, "read feed"));
  FeedRead read;
  read.entries.reserve(std::min<size_t>(limit, 4096));
  // The accounts this page names (few), with their customer handle, acc_ id and records' associated-data prefix.
  struct PageAccount {
    int64_t row;
    std::string customer_handle, account_id, ad_prefix;
  };
  std::vector<PageAccount> accounts;
  Plaintexts plain;  // one buffer for every record of the page, wiped at the end
  std::string& bytes = plain.v.emplace_back();
  std::string ad;
  BANKFEED_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare("SELECT seq, kind, account_id, feed_id, record_enc FROM transactions "
                                                  "WHERE tenant = ?1 AND seq > ?2 "
                                                  "UNION ALL SELECT seq, 2, account_id, feed_id, NULL FROM removals "
                                                  "WHERE tenant = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
                                                  "read feed"));
  stmt.BindText(1, tenant).Bind(2, after_seq).Bind(3, sql_limit);
  for (;;) {
    BANKFEED_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    const int64_t kind = stmt.Int(1), account_row = stmt.Int(2);
    if (kind != kKindAdded && kind != kKindModified && kind != kKindRemoved) {
      return MakeError(ErrorCode::kInvalidInput, "store: transactions.kind: not a change kind");
    }
    auto names = std::find_if(accounts.begin(), accounts.end(), [&](const auto& a) { return a.row == account_row; });
    if (names == accounts.end()) {
      BANKFEED_ASSIGN_OR_RETURN(Stmt account, db.Prepare("SELECT cu.handle, a.account_id FROM accounts a "
                                                         "JOIN customers cu ON cu.id = a.customer_id WHERE a.id = ?1",
                                                         "select accounts"));
      BANKFEED_ASSIGN_OR_RETURN(const bool found, account.Bind(1, account_row).Step());
      if (!found) return MakeError(ErrorCode::kInternal, "store: read feed: a change names a missing account");
      accounts.push_back({account_row, std::string(account.Text(0)), std::string(account.Text(1)),
                          TransactionAdPrefix(tenant, account_row)});
      names = accounts.end() - 1;
    }
    FeedEntry& e = read.entries.emplace_back();
    e.seq = stmt.Int(0);
    e.kind = static_cast<ChangeKind>(kind);
    e.customer_handle = names->customer_handle;
    e.account_id = names->account_id;
    e.transaction_id = stmt.Text(3);
    if (e.kind != ChangeKind::kRemoved) {
      ad.assign(names->ad_prefix).append(e.transaction_id);
      if (Status opened = aead_.DecryptInto(stmt.Blob(4), ad, bytes); !opened) {
        return MakeError(ErrorCode::kInvalidInput, "store: transactions.record_enc: " + opened.error().message);
      }
      if (Status decoded = DecodeFeedTransactionInto(bytes, e.transaction.emplace(), options.raw_json); !decoded) {
        return MakeError(ErrorCode::kInvalidInput, "store: transactions.record_enc: " + decoded.error().message);
      }
    }
  }
  if (read.entries.empty()) {
    BANKFEED_ASSIGN_OR_RETURN(read.last_seq, ReadHead(db, tenant));
  } else {
    read.last_seq = read.entries.back().seq;
    if (read.entries.size() == limit) {
      BANKFEED_ASSIGN_OR_RETURN(
          Stmt more, db.Prepare("SELECT EXISTS (SELECT 1 FROM transactions WHERE tenant = ?1 AND seq > ?2) "
                                "OR EXISTS (SELECT 1 FROM removals WHERE tenant = ?1 AND seq > ?2)",
                                "read feed"));
      BANKFEED_ASSIGN_OR_RETURN(const bool row, more.BindText(1, tenant).Bind(2, read.last_seq).Step());
      read.has_more = row && more.Int(0) != 0;
    }
  }
  return read;
}

}  // namespace bankfeed::store
