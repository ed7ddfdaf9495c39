// The SQLite Store: opening, customers and consents. Accounts are in sqlite_store_accounts.cpp, transactions and
// the feed in sqlite_store_feed.cpp. See store/sqlite_store.hpp.
#include "store/sqlite_store.hpp"
#include "common/scoped.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>
#include <cstdlib>
#include <span>
#include <utility>

#include "store/migrations.hpp"

namespace bankfeed {

// SyncOutcomeName and ChangeKindName (declared in store.hpp) are defined with the sync engine, src/sync/engine.cpp.

namespace store {
namespace {

constexpr std::string_view kKeyCheckText = "bankfeed store key check v1";

bool IsLowerHex(std::string_view s) {
  for (const char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string RandomHex(size_t bytes) {
  std::array<unsigned char, 32> raw{};
  if (bytes > raw.size() || RAND_bytes(raw.data(), static_cast<int>(bytes)) != 1) std::abort();
  return crypto::ToHex(std::span<const unsigned char>(raw.data(), bytes));
}

std::string KeyCheckAd(std::string_view store_id) { return "meta.key_check|" + std::string(store_id); }

Status CheckTenant(std::string_view tenant) {
  if (tenant.empty()) return MakeError(ErrorCode::kInvalidArgument, "store: tenant is empty");
  return {};
}

Status CheckHandle(std::string_view handle, std::string_view prefix, std::string_view what) {
  if (!IsHandle(handle, prefix)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "store: " + std::string(what) + " is not a " + std::string(prefix) + " handle");
  }
  return {};
}

}  // namespace

bool IsHandle(std::string_view s, std::string_view prefix) {
  return s.size() == prefix.size() + 24 && s.starts_with(prefix) && IsLowerHex(s.substr(prefix.size()));
}

bool IsHashId(std::string_view s, std::string_view prefix) {
  return s.size() == prefix.size() + 32 && s.starts_with(prefix) && IsLowerHex(s.substr(prefix.size()));
}

std::string RandomHandle(std::string_view prefix) { return std::string(prefix) + RandomHex(12); }

std::string TenantPart(std::string_view tenant) { return std::to_string(tenant.size()) + ":" + std::string(tenant); }

std::string PsuAd(std::string_view tenant, std::string_view customer_handle) {
  return "customers.psu|" + TenantPart(tenant) + "|" + std::string(customer_handle);
}

std::string GrantAd(std::string_view tenant, std::string_view consent_handle) {
  return "consents.grant|" + TenantPart(tenant) + "|" + std::string(consent_handle);
}

std::string AccountAd(std::string_view tenant, std::string_view customer_handle, std::string_view account_id) {
  return "accounts.account|" + TenantPart(tenant) + "|" + std::string(customer_handle) + "|" + std::string(account_id);
}

std::string BalanceAd(std::string_view tenant, int64_t account_row, int64_t ord) {
  return "balances.balance|" + TenantPart(tenant) + "|" + std::to_string(account_row) + "|" + std::to_string(ord);
}

std::string TransactionAdPrefix(std::string_view tenant, int64_t account_row) {
  return "transactions.record|" + TenantPart(tenant) + "|" + std::to_string(account_row) + "|";
}

std::string TransactionAd(std::string_view tenant, int64_t account_row, std::string_view feed_id) {
  return TransactionAdPrefix(tenant, account_row).append(feed_id);
}

SqliteStore::SqliteStore(std::unique_ptr<Db> db, std::shared_ptr<const crypto::Keyring> keys)
    : db_(std::move(db)), keys_(std::move(keys)), aead_(keys_), lookup_(keys_) {}

SqliteStore::~SqliteStore() {
  std::lock_guard lock(mu_);
  if (purge_pending_) (void)PurgeFreedPages();
}

Result<std::string> SqliteStore::CheckKeys(Db& db) {
  std::string store_id, check;
  {
    BANKFEED_ASSIGN_OR_RETURN(Stmt meta, db.Prepare("SELECT key, value FROM meta", "read meta"));
    for (;;) {
      BANKFEED_ASSIGN_OR_RETURN(const bool row, meta.Step());
      if (!row) break;
      if (meta.Text(0) == "store_id") store_id = meta.Text(1);
      if (meta.Text(0) == "key_check") check = meta.Blob(1);
    }
  }
  if (store_id.empty() || check.empty()) {
    return MakeError(ErrorCode::kInvalidInput, "store: meta: store_id or key_check missing");
  }
  auto opened = aead_.Decrypt(check, KeyCheckAd(store_id));
  if (!opened || *opened != kKeyCheckText) {
    return MakeError(ErrorCode::kConfig, "store: database file " + db.path() +
                                             ": the at-rest keyring cannot open this store's data (another key file, "
                                             "or a key the data needs was dropped)");
  }
  // After a rotation, move the check to the active key, so that it keeps working once the old key is dropped.
  BANKFEED_ASSIGN_OR_RETURN(const bool stale, aead_.NeedsReencrypt(check));
  if (stale) {
    BANKFEED_ASSIGN_OR_RETURN(const std::string fresh, aead_.Reencrypt(check, KeyCheckAd(store_id)));
    BANKFEED_ASSIGN_OR_RETURN(Stmt update,
                              db.Prepare("UPDATE meta SET value = ?1 WHERE key = 'key_check'", "update meta"));
    BANKFEED_RETURN_IF_ERROR(update.BindBlob(1, fresh).Run());
  }
  return store_id;
}

Status SqliteStore::Init() {
  std::lock_guard lock(mu_);
  int64_t rekeyed = 0;
  const auto hook = [&](Db& db, int version) -> Status {
    if (version == 1) {
      const std::string id = RandomHex(16);
      BANKFEED_ASSIGN_OR_RETURN(const std::string check, Seal(kKeyCheckText, KeyCheckAd(id)));
      BANKFEED_ASSIGN_OR_RETURN(Stmt insert,
                                db.Prepare("INSERT INTO meta(key, value) VALUES (?1, ?2), (?3, ?4)", "insert meta"));
      insert.BindText(1, "store_id").BindText(2, id).BindText(3, "key_check").BindBlob(4, check);
      return insert.Run();
    }
    if (version == 2) {
      // The keyring must open the store's data before anything is rewritten under it.
      BANKFEED_ASSIGN_OR_RETURN(const std::string store_id, CheckKeys(db));
      BANKFEED_RETURN_IF_ERROR(CreateIdSecret(db, store_id));
      BANKFEED_ASSIGN_OR_RETURN(rekeyed, RekeyIds(db));
    }
    return {};
  };
  if (auto migrated = ApplyMigrations(*db_, StoreMigrations(), hook); !migrated) {
    ids_.reset();  // made in a transaction that rolled back
    return tl::unexpected(std::move(migrated).error());
  }
  BANKFEED_RETURN_IF_ERROR(db_->RestrictSidecarModes());
  BANKFEED_ASSIGN_OR_RETURN(store_id_, CheckKeys(*db_));
  if (!ids_) {  // the secret was not made just now, by migration 2 (it may have been, by another process)
    std::string id_secret;
    BANKFEED_ASSIGN_OR_RETURN(Stmt meta, db_->Prepare("SELECT value FROM meta WHERE key = 'id_secret'", "read meta"));
    BANKFEED_ASSIGN_OR_RETURN(const bool row, meta.Step());
    if (row) id_secret = meta.Blob(0);
    BANKFEED_RETURN_IF_ERROR(LoadIdSecret(id_secret));
  }
  // The rewrite left the old account ids in freed pages and in the WAL: purge them as a forget does. Another process
  // reading the database can keep the WAL from being emptied; the migration is done all the same, and the purge is
  // retried as a failed forget's is (the next forget, and when this store closes).
  if (rekeyed > 0 && !PurgeFreedPages()) purge_pending_ = true;
  return {};
}

Status SqliteStore::OpenReaders(const DbOptions& options) {
  const auto open = [&]() -> Result<std::unique_ptr<Db>> {
    BANKFEED_ASSIGN_OR_RETURN(std::unique_ptr<Db> reader, Db::Open(options));
    BANKFEED_RETURN_IF_ERROR(reader->Exec("PRAGMA query_only=ON", "set query_only"));
    return reader;
  };
  BANKFEED_ASSIGN_OR_RETURN(std::unique_ptr<Db> sync_reads, open());
  std::array<std::unique_ptr<Db>, kFeedReaders> feed_reads;
  for (auto& reader : feed_reads) {
    BANKFEED_ASSIGN_OR_RETURN(reader, open());
  }
  std::scoped_lock lock(read_mu_, feed_mu_[0], feed_mu_[1]);
  read_db_ = std::move(sync_reads);
  feed_db_ = std::move(feed_reads);
  return {};
}

Result<std::string> SqliteStore::Seal(std::string_view plaintext, const std::string& ad) const {
  return aead_.Encrypt(plaintext, ad);
}

Status SqliteStore::SealAppend(std::string_view plaintext, const std::string& ad, std::string& out) const {
  return aead_.EncryptAppend(plaintext, ad, out);
}

Result<std::string> SqliteStore::Open(std::string_view envelope, const std::string& ad, std::string_view column) const {
  auto opened = aead_.Decrypt(envelope, ad);
  if (!opened) {
    return MakeError(ErrorCode::kInvalidInput, "store: " + std::string(column) + ": " + opened.error().message);
  }
  return opened;
}

// --- customers

Result<std::optional<SqliteStore::CustomerRow>> SqliteStore::FindCustomerRow(std::string_view tenant,
                                                                             std::string_view psu_id) {
  // The active key first; then the older keys, for rows written before a rotation.
  std::vector<std::string> key_ids = keys_->key_ids();
  std::swap(key_ids.front(), key_ids.back());
  for (const std::string& key_id : key_ids) {
    BANKFEED_ASSIGN_OR_RETURN(const crypto::LookupValue value,
                              lookup_.LookupWith(key_id, kPsuPurpose, psu_id, crypto::Normalization::kExact));
    BANKFEED_ASSIGN_OR_RETURN(
        Stmt stmt, db_->Prepare("SELECT id, handle, psu_enc FROM customers WHERE tenant = ?1 AND psu_lookup = ?2",
                                "select customers"));
    stmt.BindText(1, tenant).BindBlob(2, std::string_view(reinterpret_cast<const char*>(value.data()), value.size()));
    BANKFEED_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) continue;
    return CustomerRow{stmt.Int(0), std::string(tenant), std::string(stmt.Text(1)), std::string(stmt.Blob(2)),
                       key_id == keys_->active_key_id()};
  }
  return std::nullopt;
}

Result<SqliteStore::CustomerRow> SqliteStore::CustomerByHandle(std::string_view tenant, std::string_view handle) {
  BANKFEED_RETURN_IF_ERROR(CheckHandle(handle, "cu_", "customer handle"));
  BANKFEED_ASSIGN_OR_RETURN(
      Stmt stmt, db_->Prepare("SELECT id, tenant, psu_enc FROM customers WHERE handle = ?1", "select customers"));
  stmt.BindText(1, handle);
  BANKFEED_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  if (!row || (!tenant.empty() && stmt.Text(1) != tenant)) {
    return MakeError(ErrorCode::kNotFound, "store: no such customer");
  }
  return CustomerRow{stmt.Int(0), std::string(stmt.Text(1)), std::string(handle), std::string(stmt.Blob(2)), true};
}

Result<CustomerRecord> SqliteStore::ToCustomerRecord(const CustomerRow& row) const {
  BANKFEED_ASSIGN_OR_RETURN(std::string psu, Open(row.psu_enc, PsuAd(row.tenant, row.handle), "customers.psu_enc"));
  return CustomerRecord{row.tenant, row.handle, std::move(psu)};
}

Result<CustomerRecord> SqliteStore::EnsureCustomer(std::string_view tenant, std::string_view psu_id) {
  BANKFEED_RETURN_IF_ERROR(CheckTenant(tenant));
  if (psu_id.empty()) return MakeError(ErrorCode::kInvalidArgument, "store: PSU id is empty");
  std::lock_guard lock(mu_);
  BANKFEED_ASSIGN_OR_RETURN(WriteTxn txn, WriteTxn::Begin(*db_, "ensure customer"));
  BANKFEED_ASSIGN_OR_RETURN(std::optional<CustomerRow> found, FindCustomerRow(tenant, psu_id));
  BANKFEED_ASSIGN_OR_RETURN(const crypto::LookupValue lookup,
                            lookup_.Lookup(kPsuPurpose, psu_id, crypto::Normalization::kExact));
  const std::string_view lookup_bytes(reinterpret_cast<const char*>(lookup.data()), lookup.size());
  if (found) {
    if (!found->under_active_key) {
      // Written before a key rotation: move its lookup and envelope to the active key.
      BANKFEED_ASSIGN_OR_RETURN(found->psu_enc, aead_.Reencrypt(found->psu_enc, PsuAd(tenant, found->handle)));
      BANKFEED_ASSIGN_OR_RETURN(
          Stmt update,
          db_->Prepare("UPDATE customers SET psu_lookup = ?1, psu_enc = ?2 WHERE id = ?3", "update customers"));
      BANKFEED_RETURN_IF_ERROR(update.BindBlob(1, lookup_bytes).BindBlob(2, found->psu_enc).Bind(3, found->id).Run());
      BANKFEED_RETURN_IF_ERROR(txn.Commit());
    }
    return ToCustomerRecord(*found);
  }
  CustomerRow row{0, std::string(tenant), RandomHandle("cu_"), {}, true};
  BANKFEED_ASSIGN_OR_RETURN(row.psu_enc, Seal(psu_id, PsuAd(tenant, row.handle)));
  BANKFEED_ASSIGN_OR_RETURN(
      Stmt insert, db_->Prepare("INSERT INTO customers(tenant, handle, psu_lookup, psu_enc) VALUES (?1, ?2, ?3, ?4)",
                                "insert customers"));
  BANKFEED_RETURN_IF_ERROR(
      insert.BindText(1, tenant).BindText(2, row.handle).BindBlob(3, lookup_bytes).BindBlob(4, row.psu_enc).Run());
  BANKFEED_RETURN_IF_ERROR(txn.Commit());
  return CustomerRecord{row.tenant, row.handle, std::string(psu_id)};
}

Result<CustomerRecord> SqliteStore::FindCustomer(std::string_view tenant, std::string_view psu_id) {
  BANKFEED_RETURN_IF_ERROR(CheckTenant(tenant));
  std::lock_guard lock(mu_);
  BANKFEED_ASSIGN_OR_RETURN(const std::optional<CustomerRow> found, FindCustomerRow(tenant, psu_id));
  if (!found) return MakeError(ErrorCode::kNotFound, "store: no customer with this PSU id");
  return ToCustomerRecord(*found);
}

Result<CustomerRecord> SqliteStore::GetCustomer(std::string_view tenant, std::string_view customer_handle) {
  BANKFEED_RETURN_IF_ERROR(CheckTenant(tenant));
  std::lock_guard lock(mu_);
  BANKFEED_ASSIGN_OR_RETURN(const CustomerRow row, CustomerByHandle(tenant, customer_handle));
  return ToCustomerRecord(row);
}

// --- consents

Result<std::string> SqliteStore::SaveConsent(const ConsentRecord& record) {
  BANKFEED_RETURN_IF_ERROR(CheckTenant(record.tenant));
  BANKFEED_RETURN_IF_ERROR(CheckHandle(record.customer_handle, "cu_", "customer handle"));
  if (!record.handle.empty()) BANKFEED_RETURN_IF_ERROR(CheckHandle(record.handle, "cg_", "consent handle"));
  const std::string bank_id = record.bank_id.empty() ? record.grant.bank_id : record.bank_id;
  if (bank_id.empty()) return MakeError(ErrorCode::kInvalidArgument, "store: consent bank_id is empty");

  std::lock_guard lock(mu_);
  BANKFEED_ASSIGN_OR_RETURN(WriteTxn txn, WriteTxn::Begin(*db_, "save consent"));
  BANKFEED_ASSIGN_OR_RETURN(const CustomerRow customer, CustomerByHandle(record.tenant, record.customer_handle));
  std::string handle = record.handle;
  int64_t consent_row = 0;
  if (!handle.empty()) {
    BANKFEED_ASSIGN_OR_RETURN(
        Stmt find, db_->Prepare("SELECT id, customer_id FROM consents WHERE handle = ?1", "select consents"));
    find.BindText(1, handle);
    BANKFEED_ASSIGN_OR_RETURN(const bool row, find.Step());
    // Another customer's consent is as unknown as a missing one (it may be another tenant's).
    if (!row || find.Int(1) != customer.id) return MakeError(ErrorCode::kNotFound, "store: no such consent");
    consent_row = find.Int(0);
  } else {
    handle = RandomHandle("cg_");
  }
  std::string json = GrantToJson(record.grant);
  const WipeOnExit wipe(json);
  BANKFEED_ASSIGN_OR_RETURN(const std::string grant_enc, Seal(json, GrantAd(record.tenant, handle)));
  if (consent_row != 0) {
    BANKFEED_ASSIGN_OR_RETURN(
        Stmt update, db_->Prepare("UPDATE consents SET bank_id = ?1, grant_enc = ?2 WHERE id = ?3", "update consents"));
    BANKFEED_RETURN_IF_ERROR(update.BindText(1, bank_id).BindBlob(2, grant_enc).Bind(3, consent_row).Run());
  } else {
    BANKFEED_ASSIGN_OR_RETURN(
        Stmt insert,
        db_->Prepare("INSERT INTO consents(customer_id, handle, bank_id, grant_enc) VALUES (?1, ?2, ?3, ?4)",
                     "insert consents"));
    BANKFEED_RETURN_IF_ERROR(
        insert.Bind(1, customer.id).BindText(2, handle).BindText(3, bank_id).BindBlob(4, grant_enc).Run());
  }
  BANKFEED_RETURN_IF_ERROR(txn.Commit());
  return handle;
}

Result<std::vector<ConsentRecord>> SqliteStore::QueryConsents(std::string_view tenant, int64_t customer_id,
                                                              std::string_view consent_handle) {
  // One statement per filter, so that each can use its index.
  static constexpr std::string_view kByHandle =
      "SELECT cu.tenant, c.handle, cu.handle, c.bank_id, c.grant_enc FROM consents c "
      "JOIN customers cu ON cu.id = c.customer_id WHERE c.handle = ?3 AND cu.tenant = ?1";
  static constexpr std::string_view kByCustomer =
      "SELECT cu.tenant, c.handle, cu.handle, c.bank_id, c.grant_enc FROM consents c "
      "JOIN customers cu ON cu.id = c.customer_id WHERE c.customer_id = ?2 AND cu.tenant = ?1 ORDER BY c.id";
  static constexpr std::string_view kByTenant =
      "SELECT cu.tenant, c.handle, cu.handle, c.bank_id, c.grant_enc FROM consents c "
      "JOIN customers cu ON cu.id = c.customer_id WHERE ?1 = '' OR cu.tenant = ?1 ORDER BY c.id";
  const std::string_view sql = !consent_handle.empty() ? kByHandle : customer_id != 0 ? kByCustomer : kByTenant;
  BANKFEED_ASSIGN_OR_RETURN(Stmt stmt, db_->Prepare(sql, "select consents"));
  stmt.BindText(1, tenant).Bind(2, customer_id).BindText(3, consent_handle);
  std::vector<ConsentRecord> out;
  for (;;) {
    BANKFEED_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    ConsentRecord& r = out.emplace_back();
    r.tenant = stmt.Text(0);
    r.handle = stmt.Text(1);
    r.customer_handle = stmt.Text(2);
    r.bank_id = stmt.Text(3);
    BANKFEED_ASSIGN_OR_RETURN(std::string json, Open(stmt.Blob(4), GrantAd(r.tenant, r.handle), "consents.grant_enc"));
    const WipeOnExit wipe(json);
    auto grant = GrantFromJson(json);
    if (!grant) {
      return MakeError(ErrorCode::kInvalidInput, "store: consents.grant_enc: " + grant.error().message);
    }
    r.grant = std::move(*grant);
  }
  return out;
}

Result<SqliteStore::ConsentRow> SqliteStore::ConsentByHandle(std::string_view tenant, std::string_view handle) {
  BANKFEED_ASSIGN_OR_RETURN(
      Stmt find, db_->Prepare("SELECT c.id, c.customer_id, cu.handle FROM consents c "
                              "JOIN customers cu ON cu.id = c.customer_id WHERE c.handle = ?1 AND cu.tenant = ?2",
                              "select consents"));
  find.BindText(1, handle).BindText(2, tenant);
  BANKFEED_ASSIGN_OR_RETURN(const bool found, find.Step());
  if (!found) return MakeError(ErrorCode::kNotFound, "store: no such consent");
  return ConsentRow{find.Int(0), find.Int(1), std::string(find.Text(2))};
}

Result<ConsentRecord> SqliteStore::LoadConsent(std::string_view tenant, std::string_view consent_handle) {
  BANKFEED_RETURN_IF_ERROR(CheckTenant(tenant));
  BANKFEED_RETURN_IF_ERROR(CheckHandle(consent_handle, "cg_", "consent handle"));
  std::lock_guard lock(mu_);
  BANKFEED_ASSIGN_OR_RETURN(std::vector<ConsentRecord> found, QueryConsents(tenant, 0, consent_handle));
  if (found.empty()) return MakeError(ErrorCode::kNotFound, "store: no such consent");
  return std::move(found.front());
}

Result<std::vector<ConsentRecord>> SqliteStore::ListConsents(std::string_view tenant) {
  std::lock_guard lock(mu_);
  return QueryConsents(tenant, 0, {});
}

Result<std::vector<ConsentRecord>> SqliteStore::ListCustomerConsents(std::string_view tenant,
                                                                     std::string_view customer_handle) {
  BANKFEED_RETURN_IF_ERROR(CheckTenant(tenant));
  std::lock_guard lock(mu_);
  BANKFEED_ASSIGN_OR_RETURN(const CustomerRow customer, CustomerByHandle(tenant, customer_handle));
  return QueryConsents(tenant, customer.id, {});
}

}  // namespace store

Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteStoreOptions& options) {
  if (options.key_file.empty() == options.key_env.empty()) {
    return MakeError(ErrorCode::kConfig, "store: set exactly one of key_file and key_env");
  }
  auto ring = options.key_file.empty() ? crypto::Keyring::LoadEnv(options.key_env)
                                       : crypto::Keyring::LoadFile(options.key_file);
  if (!ring) return tl::unexpected(std::move(ring).error());
  auto keys = std::make_shared<const crypto::Keyring>(std::move(*ring));
  const store::DbOptions db_options{.path = options.path,
                                    .busy_timeout_ms = options.busy_timeout_ms,
                                    .max_page_count = options.max_page_count};
  BANKFEED_ASSIGN_OR_RETURN(std::unique_ptr<store::Db> db, store::Db::Open(db_options));
  auto result = std::make_unique<store::SqliteStore>(std::move(db), std::move(keys));
  BANKFEED_RETURN_IF_ERROR(result->Init());
  BANKFEED_RETURN_IF_ERROR(result->OpenReaders(db_options));
  return std::unique_ptr<Store>(std::move(result));
}

}  // namespace bankfeed
