// The SQLite Store: accounts, balances, sync state and erasure. See store/sqlite_store.hpp.
#include <openssl/crypto.h>

#include <algorithm>
#include <utility>

#include "store/record_codec.hpp"
#include "store/sqlite_store.hpp"

namespace bankfeed::store {
namespace {

constexpr std::string_view kAccountColumns =
    "SELECT cu.tenant, cu.handle, a.account_id, c.handle, c.bank_id, a.account_enc, a.sync_state, "
    "(SELECT COUNT(*) FROM quarantine q WHERE q.account_id = a.id) FROM accounts a "
    "JOIN customers cu ON cu.id = a.customer_id JOIN consents c ON c.id = a.consent_id ";

Status CheckRef(const AccountRef& ref) {
  if (!IsHandle(ref.customer_handle, "cu_")) {
    return MakeError(ErrorCode::kInvalidArgument, "store: customer handle is not a cu_ handle");
  }
  if (!IsHashId(ref.account_id, "acc_")) {
    return MakeError(ErrorCode::kInvalidArgument, "store: account id is not an acc_ id");
  }
  return {};
}

}  // namespace

Result<SqliteStore::AccountRow> SqliteStore::AccountByRef(Db& db, const AccountRef& ref) {
  BANKFEED_RETURN_IF_ERROR(CheckRef(ref));
  BANKFEED_ASSIGN_OR_RETURN(
      Stmt stmt, db.Prepare("SELECT a.id, a.customer_id, cu.tenant FROM accounts a "
                              "JOIN customers cu ON cu.id = a.customer_id WHERE cu.handle = ?1 AND a.account_id = ?2",
                              "select accounts"));
  stmt.BindText(1, ref.customer_handle).BindText(2, ref.account_id);
  BANKFEED_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  if (!row) return MakeError(ErrorCode::kNotFound, "store: no such account");
  return AccountRow{stmt.Int(0), stmt.Int(1), std::string(stmt.Text(2))};
}

Status SqliteStore::WriteSyncState(int64_t account_row, const SyncState& state) {
  BANKFEED_ASSIGN_OR_RETURN(const std::string bytes, EncodeSyncState(state));
  BANKFEED_ASSIGN_OR_RETURN(Stmt update,
                            db_->Prepare("UPDATE accounts SET sync_outcome = ?1, sync_retry_at = ?2, sync_state = ?3 "
                                         "WHERE id = ?4",
                                         "update accounts sync state"));
  update.Bind(1, static_cast<int64_t>(state.outcome));
  if (state.retry_at) {
    update.Bind(2, state.retry_at->unix_seconds);
  } else {
    update.BindNull(2);
  }
  return update.BindBlob(3, bytes).Bind(4, account_row).Run();
}

Result<std::vector<std::string>> SqliteStore::SaveAccounts(std::string_view tenant, std::string_view consent_handle,
                                                           const std::vector<Account>& accounts) {
  if (tenant.empty()) return MakeError(ErrorCode::kInvalidArgument, "store: tenant is empty");
  if (!IsHandle(consent_handle, "cg_")) {
    return MakeError(ErrorCode::kInvalidArgument, "store: consent handle is not a cg_ handle");
  }
  std::vector<std::string> ids;
  std::vector<std::string> records;
  ids.reserve(accounts.size());
  records.reserve(accounts.size());
  for (size_t i = 0; i < accounts.size(); ++i) {
    BANKFEED_ASSIGN_OR_RETURN(ids.emplace_back(), KeyedAccountId(tenant, accounts[i]));
    Account keyed = accounts[i];
    keyed.id = ids.back();
    auto record = EncodeAccount(keyed);
    if (!record) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "store: accounts[" + std::to_string(i) + "]: " + record.error().message);
    }
    records.push_back(std::move(*record));
  }
  struct WipeAll {
    std::vector<std::string>& v;
    ~WipeAll() {
      for (std::string& s : v) OPENSSL_cleanse(s.data(), s.size());
    }
  } wipe{records};

  std::lock_guard lock(mu_);
  BANKFEED_ASSIGN_OR_RETURN(WriteTxn txn, WriteTxn::Begin(*db_, "save accounts"));
  BANKFEED_ASSIGN_OR_RETURN(const ConsentRow consent, ConsentByHandle(tenant, consent_handle));
  for (size_t i = 0; i < accounts.size(); ++i) {
    BANKFEED_ASSIGN_OR_RETURN(const std::string sealed,
                              Seal(records[i], AccountAd(tenant, consent.customer_handle, ids[i])));
    BANKFEED_ASSIGN_OR_RETURN(Stmt upsert,
                              db_->Prepare("INSERT INTO accounts(customer_id, consent_id, account_id, account_enc) "
                                           "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(customer_id, account_id) DO UPDATE SET "
                                           "consent_id = excluded.consent_id, account_enc = excluded.account_enc",
                                           "upsert accounts"));
    BANKFEED_RETURN_IF_ERROR(
        upsert.Bind(1, consent.customer_id).Bind(2, consent.id).BindText(3, ids[i]).BindBlob(4, sealed).Run());
  }
  BANKFEED_RETURN_IF_ERROR(txn.Commit());
  return ids;
}

Result<std::vector<AccountRecord>> SqliteStore::ListAccounts(std::string_view tenant,
                                                             std::string_view customer_handle) {
  std::lock_guard lock(mu_);
  int64_t customer_row = 0;
  if (!customer_handle.empty()) {
    BANKFEED_ASSIGN_OR_RETURN(const CustomerRow customer, CustomerByHandle(tenant, customer_handle));
    customer_row = customer.id;
  }
  static const std::string kByCustomer = std::string(kAccountColumns) + "WHERE a.customer_id = ?2 ORDER BY a.id";
  static const std::string kByTenant = std::string(kAccountColumns) + "WHERE ?1 = '' OR cu.tenant = ?1 ORDER BY a.id";
  BANKFEED_ASSIGN_OR_RETURN(Stmt stmt, db_->Prepare(customer_row != 0 ? kByCustomer : kByTenant, "select accounts"));
  stmt.BindText(1, tenant).Bind(2, customer_row);
  std::vector<AccountRecord> out;
  for (;;) {
    BANKFEED_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    AccountRecord& r = out.emplace_back();
    r.tenant = stmt.Text(0);
    r.ref.customer_handle = stmt.Text(1);
    r.ref.account_id = stmt.Text(2);
    r.consent_handle = stmt.Text(3);
    r.bank_id = stmt.Text(4);
    BANKFEED_ASSIGN_OR_RETURN(
        std::string bytes,
        Open(stmt.Blob(5), AccountAd(r.tenant, r.ref.customer_handle, r.ref.account_id), "accounts.account_enc"));
    auto account = DecodeAccount(bytes);
    OPENSSL_cleanse(bytes.data(), bytes.size());
    if (!account) return MakeError(ErrorCode::kInvalidInput, "store: accounts.account_enc: " + account.error().message);
    r.account = std::move(*account);
    if (!stmt.IsNull(6)) {
      auto state = DecodeSyncState(stmt.Blob(6));
      if (!state) return MakeError(ErrorCode::kInvalidInput, "store: accounts.sync_state: " + state.error().message);
      r.state = std::move(*state);
    }
    r.state.quarantined = stmt.Int(7);
  }
  return out;
}

Result<AccountRecord> SqliteStore::GetAccount(std::string_view tenant, const AccountRef& account) {
  BANKFEED_RETURN_IF_ERROR(CheckRef(account));
  if (tenant.empty()) return MakeError(ErrorCode::kInvalidArgument, "store: tenant is empty");
  BANKFEED_ASSIGN_OR_RETURN(std::vector<AccountRecord> all, ListAccounts(tenant, account.customer_handle));
  for (AccountRecord& r : all) {
    if (r.ref == account) return std::move(r);
  }
  return MakeError(ErrorCode::kNotFound, "store: no such account");
}

Result<std::vector<Balance>> SqliteStore::GetBalances(std::string_view tenant, const AccountRef& account) {
  if (tenant.empty()) return MakeError(ErrorCode::kInvalidArgument, "store: tenant is empty");
  std::lock_guard lock(mu_);
  BANKFEED_ASSIGN_OR_RETURN(const AccountRow row, AccountByRef(account));
  if (row.tenant != tenant) return MakeError(ErrorCode::kNotFound, "store: no such account");
  BANKFEED_ASSIGN_OR_RETURN(Stmt stmt, db_->Prepare("SELECT ord, balance_enc FROM balances WHERE account_id = ?1 "
                                                    "ORDER BY ord",
                                                    "select balances"));
  stmt.Bind(1, row.id);
  std::vector<Balance> out;
  for (;;) {
    BANKFEED_ASSIGN_OR_RETURN(const bool more, stmt.Step());
    if (!more) break;
    BANKFEED_ASSIGN_OR_RETURN(std::string bytes,
                              Open(stmt.Blob(1), BalanceAd(tenant, row.id, stmt.Int(0)), "balances.balance_enc"));
    auto balance = DecodeBalance(bytes);
    OPENSSL_cleanse(bytes.data(), bytes.size());
    if (!balance) return MakeError(ErrorCode::kInvalidInput, "store: balances.balance_enc: " + balance.error().message);
    out.push_back(std::move(*balance));
  }
  return out;
}

Status SqliteStore::SaveSyncState(const AccountRef& account, const SyncState& state) {
  BANKFEED_RETURN_IF_ERROR(EncodeSyncState(state));  // refuse a bad state before taking the lock
  std::lock_guard lock(mu_);
  BANKFEED_ASSIGN_OR_RETURN(WriteTxn txn, WriteTxn::Begin(*db_, "save sync state"));
  BANKFEED_ASSIGN_OR_RETURN(const AccountRow row, AccountByRef(account));
  BANKFEED_RETURN_IF_ERROR(WriteSyncState(row.id, state));
  return txn.Commit();
}

// --- erasure

Result<ForgetReport> SqliteStore::ForgetCustomer(std::string_view tenant, std::string_view customer_handle,
                                                 const ForgetOptions& options) {
  if (tenant.empty()) return MakeError(ErrorCode::kInvalidArgument, "store: tenant is empty");
  std::lock_guard lock(mu_);
  ForgetReport report;
  std::vector<std::string> consent_handles;  // their lease files go too
  {
    BANKFEED_ASSIGN_OR_RETURN(WriteTxn txn, WriteTxn::Begin(*db_, "forget customer"));
    BANKFEED_ASSIGN_OR_RETURN(const CustomerRow customer, CustomerByHandle(tenant, customer_handle));
    BANKFEED_ASSIGN_OR_RETURN(Stmt handles,
                              db_->Prepare("SELECT handle FROM consents WHERE customer_id = ?1", "forget customer"));
    handles.Bind(1, customer.id);
    while (true) {
      BANKFEED_ASSIGN_OR_RETURN(const bool row, handles.Step());
      if (!row) break;
      consent_handles.emplace_back(handles.Text(0));
    }
    if (const auto& dealt_with = options.dealt_with_consents) {
      const auto unrevoked = std::find_if(consent_handles.begin(), consent_handles.end(), [&](const std::string& h) {
        return std::find(dealt_with->begin(), dealt_with->end(), h) == dealt_with->end();
      });
      if (unrevoked != consent_handles.end()) {
        return MakeError(ErrorCode::kUnavailable, "store: forget customer: consent " + *unrevoked +
                                                      " was added for the customer after its consents were revoked; "
                                                      "nothing deleted; forget it again");
      }
    }
    // Children first, so each count is of this customer's rows (the foreign keys would cascade the same way).
    struct Step {
      const char* sql;
      int64_t* count;
    };
    const Step steps[] = {
        {"DELETE FROM removals WHERE account_id IN (SELECT id FROM accounts WHERE customer_id = ?1)", &report.changes},
        {"DELETE FROM transactions WHERE account_id IN (SELECT id FROM accounts WHERE customer_id = ?1)",
         &report.transactions},
        {"DELETE FROM balances WHERE account_id IN (SELECT id FROM accounts WHERE customer_id = ?1)", &report.balances},
        {"DELETE FROM quarantine WHERE account_id IN (SELECT id FROM accounts WHERE customer_id = ?1)",
         &report.quarantined},
        {"DELETE FROM accounts WHERE customer_id = ?1", &report.accounts},
        {"DELETE FROM consents WHERE customer_id = ?1", &report.consents},
        {"DELETE FROM customers WHERE id = ?1", &report.customers},
    };
    for (const Step& step : steps) {
      BANKFEED_ASSIGN_OR_RETURN(Stmt stmt, db_->Prepare(step.sql, "forget customer"));
      BANKFEED_RETURN_IF_ERROR(stmt.Bind(1, customer.id).Run());
      *step.count = stmt.Changes();
    }
    // Every transaction row held its latest change: those left the log too.
    report.changes += report.transactions;
    BANKFEED_RETURN_IF_ERROR(txn.Commit());
  }
  RemoveConsentLocks(consent_handles);
  if (auto purged = PurgeFreedPages(); !purged) {
    purge_pending_ = true;  // retried by the next ForgetCustomer and when the store closes
    return tl::unexpected(std::move(purged).error());
  }
  purge_pending_ = false;
  return report;
}

Status SqliteStore::PurgeFreedPages() {
  // No read of ours keeps the old pages in use.
  static_assert(kFeedReaders == 2, "take every feed reader's mutex");
  const std::scoped_lock read_locks(read_mu_, feed_mu_[0], feed_mu_[1]);
  // secure_delete has zeroed the deleted cells and freed pages, but the WAL still holds the pages as they were, and
  // a rebalanced b-tree page can keep stale bytes in its unused area. VACUUM rewrites every live page from scratch
  // (through the WAL); the TRUNCATE checkpoint then writes them over the database file, cuts the file to the live
  // pages and empties the WAL.
  BANKFEED_RETURN_IF_ERROR(db_->Exec("VACUUM", "forget customer: vacuum"));
  BANKFEED_ASSIGN_OR_RETURN(Stmt checkpoint,
                            db_->Prepare("PRAGMA wal_checkpoint(TRUNCATE)", "forget customer: checkpoint"));
  BANKFEED_ASSIGN_OR_RETURN(const bool row, checkpoint.Step());
  if (row && checkpoint.Int(0) != 0) {
    return MakeError(
        ErrorCode::kUnavailable,
        "store: forget customer: the rows are deleted, but another connection is reading the database, "
        "so the write-ahead log still holds old pages; they are purged by the next forget or when the store closes");
  }
  return {};
}

}  // namespace bankfeed::store
