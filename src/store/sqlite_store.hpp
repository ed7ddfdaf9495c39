// store/sqlite_store.hpp: the SQLite Store (internal to src/store; the public entry point is OpenSqliteStore).
//
// Three connections, each with its own mutex (WAL: readers see the last committed state and do not block the
// writer):
//   the main one     every write, and the reads of everything but the two below;
//   sync reads       query-only: the reads a sync makes before its commit (LoadWindow, TransactionIdsInUse), so
//                    they never wait for another account's commit;
//   feed reads       query-only, two of them: ReadFeed, which opens and decodes a page's records straight from
//                    SQLite's row memory, holding none of the others.
//
// Sealing: each envelope's associated data names its column and row, so a blob copied to another row, column,
// customer or tenant fails to open (kInvalidInput):
//   customers.psu_enc          "customers.psu|<tenant>|<customer handle>"
//   consents.grant_enc         "consents.grant|<tenant>|<consent handle>"
//   accounts.account_enc       "accounts.account|<tenant>|<customer handle>|<acc_ id>"
//   balances.balance_enc       "balances.balance|<tenant>|<account row>|<ord>"
//   transactions.record_enc    "transactions.record|<tenant>|<account row>|<tx_ id>"
//   quarantine.row_enc         "quarantine.row|<tenant>|<account row>|<qr_ key>"
//   meta key_check             "meta.key_check|<store id>"
//   meta id_secret             "meta.id_secret|<store id>"
// where <tenant> is its length, ':' and its bytes (so no tenant name can run into the next part). Account rows are
// AUTOINCREMENT ids, never reused.
#pragma once

#include <array>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bankfeed/store.hpp"
#include "crypto/aead.hpp"
#include "crypto/ids.hpp"
#include "crypto/keyring.hpp"
#include "crypto/lookup.hpp"
#include "store/sqlite_db.hpp"

namespace bankfeed::store {

// The lookup purpose of customers.psu_lookup (kExact: PSU ids are compared as given).
inline constexpr std::string_view kPsuPurpose = "psu";

bool IsHandle(std::string_view s, std::string_view prefix);  // prefix + 24 lower-case hex digits
bool IsHashId(std::string_view s, std::string_view prefix);  // prefix + 32 lower-case hex digits
std::string RandomHandle(std::string_view prefix);
// "added[3]": an element of a list the caller passed, for error messages.
inline std::string Where(std::string_view list, size_t index) {
  return std::string(list) + "[" + std::to_string(index) + "]";
}

std::string TenantPart(std::string_view tenant);  // "<length>:<tenant>"
std::string PsuAd(std::string_view tenant, std::string_view customer_handle);
std::string GrantAd(std::string_view tenant, std::string_view consent_handle);
std::string AccountAd(std::string_view tenant, std::string_view customer_handle, std::string_view account_id);
std::string BalanceAd(std::string_view tenant, int64_t account_row, int64_t ord);
std::string TransactionAd(std::string_view tenant, int64_t account_row, std::string_view feed_id);
std::string TransactionAdPrefix(std::string_view tenant, int64_t account_row);  // TransactionAd up to the feed id
std::string QuarantineAd(std::string_view tenant, int64_t account_row, std::string_view entry_key);

class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<Db> db, std::shared_ptr<const crypto::Keyring> keys);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;
  // Migrates the schema, makes or reads the store id, and checks that the keyring opens this store's data.
  Status Init();
  // After Init: opens the query-only connections for the sync's reads and the feed's.
  Status OpenReaders(const DbOptions& options);

  std::string StoreId() const override { return store_id_; }

  Result<CustomerRecord> EnsureCustomer(std::string_view tenant, std::string_view psu_id) override;
  Result<CustomerRecord> FindCustomer(std::string_view tenant, std::string_view psu_id) override;
  Result<CustomerRecord> GetCustomer(std::string_view tenant, std::string_view customer_handle) override;
  Result<std::string> SaveConsent(const ConsentRecord& record) override;
  Result<ConsentRecord> LoadConsent(std::string_view tenant, std::string_view consent_handle) override;
  Result<std::vector<ConsentRecord>> ListConsents(std::string_view tenant) override;
  Result<std::vector<ConsentRecord>> ListCustomerConsents(std::string_view tenant,
                                                          std::string_view customer_handle) override;
  Result<std::unique_ptr<ConsentLease>> TryLeaseConsent(std::string_view tenant,
                                                        std::string_view consent_handle) override;

  Result<std::vector<std::string>> SaveAccounts(std::string_view tenant, std::string_view consent_handle,
                                                const std::vector<Account>& accounts) override;
  Result<std::vector<AccountRecord>> ListAccounts(std::string_view tenant, std::string_view customer_handle) override;
  Result<AccountRecord> GetAccount(std::string_view tenant, const AccountRef& account) override;
  Result<std::vector<Balance>> GetBalances(std::string_view tenant, const AccountRef& account) override;
  Status SaveSyncState(const AccountRef& account, const SyncState& state) override;

  Status KeyTransactionIds(std::string_view tenant, std::span<Transaction> rows) override;
  Result<std::vector<FeedTransaction>> LoadWindow(const AccountRef& account, Date from) override;
  Result<std::vector<std::string>> TransactionIdsInUse(const AccountRef& account,
                                                       std::span<const std::string_view> ids) override;
  Result<std::vector<QuarantineEntry>> LoadQuarantine(const AccountRef& account) override;
  Result<int64_t> CommitAccountSync(const AccountCommit& commit) override;
  Result<int64_t> CommitAccountSync(AccountCommit&& commit) override;

  using Store::ReadFeed;
  Result<FeedRead> ReadFeed(std::string_view tenant, int64_t after_seq, size_t limit,
                            const FeedReadOptions& options) override;
  Result<int64_t> HeadSeq(std::string_view tenant) override;

  using Store::ForgetCustomer;
  Result<ForgetReport> ForgetCustomer(std::string_view tenant, std::string_view customer_handle,
                                      const ForgetOptions& options) override;

 private:
  struct CustomerRow {
    int64_t id = 0;
    std::string tenant;
    std::string handle;
    std::string psu_enc;
    bool under_active_key = true;  // its psu_lookup is the active key's
  };
  struct AccountRow {
    int64_t id = 0;
    int64_t customer_id = 0;
    std::string tenant;
  };
  struct ConsentRow {
    int64_t id = 0;
    int64_t customer_id = 0;
    std::string customer_handle;
  };

  // Seals / opens one envelope; `column` ("transactions.record_enc") names it in errors.
  Result<std::string> Seal(std::string_view plaintext, const std::string& ad) const;
  // CommitAccountSync; `owned` is &commit when the caller gave the commit up, else null.
  Result<int64_t> Commit(const AccountCommit& commit, AccountCommit* owned);
  Status SealAppend(std::string_view plaintext, const std::string& ad, std::string& out) const;  // appended to `out`
  Result<std::string> Open(std::string_view envelope, const std::string& ad, std::string_view column) const;

  // The caller holds mu_ for all of these.
  Result<std::optional<CustomerRow>> FindCustomerRow(std::string_view tenant, std::string_view psu_id);
  Result<CustomerRow> CustomerByHandle(std::string_view tenant, std::string_view handle);  // tenant "" = any
  Result<CustomerRecord> ToCustomerRecord(const CustomerRow& row) const;
  // The tenant's consent with this handle; kNotFound for none, or another tenant's.
  Result<ConsentRow> ConsentByHandle(std::string_view tenant, std::string_view handle);
  Result<AccountRow> AccountByRef(const AccountRef& ref) { return AccountByRef(*db_, ref); }
  Result<AccountRow> AccountByRef(Db& db, const AccountRef& ref);  // on `db`, whose mutex the caller holds
  // Consents of the tenant ("": all), of one customer (0: all), with one handle ("": all).
  Result<std::vector<ConsentRecord>> QueryConsents(std::string_view tenant, int64_t customer_id,
                                                   std::string_view consent_handle);
  Status WriteSyncState(int64_t account_row, const SyncState& state);
  // A commit's quarantine changes (sqlite_store_quarantine.cpp), in the commit's transaction.
  Status WriteQuarantine(const AccountRow& account, std::string_view account_id, const AccountCommit& commit);
  Result<int64_t> ReadHead(std::string_view tenant) { return ReadHead(*db_, tenant); }
  Result<int64_t> ReadHead(Db& db, std::string_view tenant);  // on `db`, whose mutex the caller holds
  Status PurgeFreedPages();
  // Keyed ids (sqlite_store_ids.cpp). The id secret: made by migration 2 (CreateIdSecret, on `db` in its
  // transaction), read by Init (LoadIdSecret, which also moves it to the active key after a rotation). RekeyIds is
  // the rest of migration 2: it rewrites a version 1 store's ids and returns how many rows it rewrote.
  Result<std::string> KeyedAccountId(std::string_view tenant, const Account& account) const;
  Status CreateIdSecret(Db& db, std::string_view store_id);
  Status LoadIdSecret(std::string_view sealed);
  Result<int64_t> RekeyIds(Db& db);
  // The store id and the key check from `db`'s meta table; kConfig when the keyring cannot open the check.
  Result<std::string> CheckKeys(Db& db);
  // Consent leases (sqlite_store_leases.cpp): the directory of their lock files, and the removal of a forgotten
  // customer's (best effort: a file left behind is empty and named by a handle nothing refers to any more).
  std::string LockDir() const;
  void RemoveConsentLocks(const std::vector<std::string>& handles) const;

  std::mutex mu_;
  std::unique_ptr<Db> db_;
  std::mutex read_mu_;            // guards read_db_; taken after mu_ where both are held
  std::unique_ptr<Db> read_db_;  // query-only: LoadWindow and TransactionIdsInUse
  // Query-only, for ReadFeed: a few, so that concurrent feed reads (several clients, or a page read ahead while
  // another is served) do not queue behind each other. Each has its mutex, taken after mu_ and read_mu_ where
  // those are held; PurgeFreedPages takes them all.
  static constexpr size_t kFeedReaders = 2;
  std::array<std::mutex, kFeedReaders> feed_mu_;
  std::array<std::unique_ptr<Db>, kFeedReaders> feed_db_;
  std::shared_ptr<const crypto::Keyring> keys_;
  crypto::Aead aead_;
  crypto::LookupHasher lookup_;
  std::optional<crypto::IdKeyer> ids_;  // set by Init
  std::string store_id_;
  bool purge_pending_ = false;  // a ForgetCustomer deleted rows but could not purge the WAL
};

}  // namespace bankfeed::store
