// bankfeed/store.hpp: where synced data lives (docs/DESIGN.md §6, §7).
//
// The Store is what the sync engine and the feed need from a database, and nothing more, so that a PostgreSQL
// implementation can follow the embedded SQLite one without touching the engine. The SQLite store
// (OpenSqliteStore) runs in WAL mode with secure_delete, keeps its files mode 0600, and seals every personal field
// and token with AES-256-GCM under the at-rest keyring before it reaches the database: a byte scan of the files
// finds no IBAN, name, remittance text, PSU id, consent id or token.
//
// The data, per tenant:
//   customer (a PSU at the caller: "cu_…" handle, the PSU id sealed, found through a keyed HMAC)
//     └ consent (a ConsentGrant at one bank: "cg_…" handle, the grant sealed)
//         └ account (canonical Account, sealed; its sync state in clear)
//             ├ balances (sealed)
//             ├ transactions (canonical Transaction, sealed; status, date and feed position in clear)
//             └ quarantine (rows the mapping refused: raw row and error sealed, under a keyed hash)
// and the tenant's change log: every added, modified or removed transaction gets the next sequence number.
//
//   auto store = bankfeed::OpenSqliteStore({.path = "bankfeed.db", .key_file = "/etc/bankfeed/at-rest.keys"});
//   auto page = (*store)->ReadFeed("default", 0, 1000);
//
// Ids: the account and transaction ids a store hands out are keyed under a secret of the store (its id secret, kept
// sealed in it), per tenant: the database file without the at-rest key says nothing about the account or row behind
// an id, and one account under two tenants, or in two stores, gets unrelated ids. SaveAccounts derives each
// account's id; a sync passes every fetched row through KeyTransactionIds before it reconciles. `bankfeed normalize`
// and `bankfeed fetch`, which have no store, give the mappings' unkeyed ids (bankfeed/ids.hpp).
//
// All methods are safe to call from several threads; a write runs in one database transaction, so a crash leaves
// the old state or the new one. Errors: kInvalidArgument for a caller's bad handle or value, kNotFound for an
// unknown one, kUnavailable for a busy or full database (nothing written), kInvalidInput for a stored row that fails
// to decrypt or parse (named by table and column, never by content), kConfig for keys and files.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bankfeed/connector.hpp"
#include "bankfeed/datetime.hpp"
#include "bankfeed/export.hpp"
#include "bankfeed/model.hpp"
#include "bankfeed/result.hpp"

namespace bankfeed {

// How an account's last sync ended (docs/DESIGN.md §6: one outcome per account, not one failure for everything).
enum class SyncOutcome {
  kNever,              // not synced yet
  kOk,
  kNeedsReconsent,     // the consent expired, was revoked or is invalid: the customer must consent again
  kQuotaExhausted,     // the unattended quota for today is used up (retry_at: the bank's next midnight)
  kRateLimited,        // the bank asked to wait (retry_at from Retry-After)
  kBankUnavailable,    // 5xx, network or timeout after the retries
  kFailed,             // anything else: the bank broke the protocol, bad data on a page, our own set-up
};
BANKFEED_EXPORT std::string_view SyncOutcomeName(SyncOutcome o);  // "ok", "needs_reconsent", ...

struct SyncState {
  SyncOutcome outcome = SyncOutcome::kNever;
  std::string detail;                         // the error code and message; never personal data
  std::optional<Date> last_booked_date;       // the newest booking date stored for the account
  std::optional<Date> window_from;            // the window of the last successful sync
  std::optional<Date> window_to;
  std::optional<DateTime> last_attempt;       // UTC
  std::optional<DateTime> last_success;       // UTC
  std::optional<DateTime> retry_at;           // UTC: not before this (quota, Retry-After)
  int64_t pages = 0;                          // of the last successful sync
  int64_t fetched = 0;                        // transactions fetched by the last successful sync
  // Rows of the account in quarantine (QuarantineEntry) now. Read from the quarantine itself by ListAccounts and
  // GetAccount, so it is always the true count; SaveSyncState and CommitAccountSync do not write it.
  int64_t quarantined = 0;
};

struct CustomerRecord {
  std::string tenant;
  std::string handle;  // "cu_" + 24 hex digits, random
  std::string psu_id;  // decrypted
};

struct ConsentRecord {
  std::string tenant;
  std::string handle;           // "cg_" + 24 hex digits, random
  std::string customer_handle;
  std::string bank_id;
  ConsentGrant grant;           // decrypted; holds tokens
};

struct AccountRef {
  std::string customer_handle;
  std::string account_id;  // canonical "acc_…"
  friend bool operator==(const AccountRef&, const AccountRef&) = default;
};

struct AccountRecord {
  std::string tenant;
  AccountRef ref;
  std::string consent_handle;
  std::string bank_id;
  Account account;  // decrypted
  SyncState state;
};

// A transaction as the feed keeps it: the canonical record (its `id` is the feed's id, stable for the row's life)
// and, for a booked row that replaced a pending one, the pending row's id.
struct FeedTransaction {
  Transaction transaction;
  std::optional<std::string> pending_transaction_id;
};

enum class ChangeKind { kAdded, kModified, kRemoved };
BANKFEED_EXPORT std::string_view ChangeKindName(ChangeKind k);  // "added", "modified", "removed"

// A transaction row the bank sent that could not be normalized (RefusedRow), kept sealed in the store instead of
// failing the sync, and normalized again on the account's later syncs (so a profile or mapping fix brings it into
// the feed). Within an account an entry is named by its raw bytes and its occurrence among identical rows (twins
// stay two entries); in the database only by a keyed hash of both (`key`), which says nothing about the row.
struct QuarantineEntry {
  std::string key;                 // "qr_" + 32 hex digits; set by the store (ignored in AccountCommit)
  std::string raw_json;            // the row's exact bytes (personal data: never log it)
  int64_t occurrence = 0;          // 0 for the first row with these bytes in a fetch, 1 for its twin, ...
  TransactionStatus list_status = TransactionStatus::kBooked;
  std::string error;               // "<path>: <reason>" of the last attempt; never a value
  DateTime first_seen;             // UTC: the sync that first refused it
  DateTime last_seen;              // UTC: the last sync whose fetch held it
};

// Everything one successful account sync writes, in one database transaction: its changes, its balances and its
// sync state. Changes get consecutive sequence numbers in this order: added, modified, removed.
struct AccountCommit {
  AccountRef account;
  std::vector<FeedTransaction> added;     // ids not yet used on this account (see TransactionIdsInUse)
  std::vector<FeedTransaction> modified;  // ids of stored rows; replaces their content
  std::vector<std::string> removed;       // ids of stored rows
  std::optional<std::vector<Balance>> balances;  // replaces the stored balances when set
  SyncState state;
  // Quarantine changes, in the same database transaction: entries written (new, or replacing the stored entry
  // with the same raw bytes and occurrence), then entries deleted (by key, as LoadQuarantine gave it).
  std::vector<QuarantineEntry> quarantine_put;
  std::vector<std::string> quarantine_drop;
};

struct FeedEntry {
  int64_t seq = 0;
  ChangeKind kind = ChangeKind::kAdded;
  std::string customer_handle;
  std::string account_id;
  std::string transaction_id;
  // Added and modified: the transaction as it is now. The store returns a row's content only at its latest change:
  // an added or modified change that a later change of the same row superseded is left out of the page, so reading
  // the log from the start yields every current transaction once and no content that is no longer true.
  std::optional<FeedTransaction> transaction;
};

struct FeedReadOptions {
  // Each transaction's raw JSON as the bank sent it (Transaction::raw_json). A reader that does not show it leaves
  // this off: the field is then empty, and the page lighter to build.
  bool raw_json = true;
};

struct FeedRead {
  std::vector<FeedEntry> entries;  // ascending seq, all > after_seq
  int64_t last_seq = 0;            // the position to continue from (>= the last entry's seq: skipped ones count)
  bool has_more = false;
};

struct ForgetReport {
  int64_t customers = 0, consents = 0, accounts = 0, transactions = 0, balances = 0, changes = 0, quarantined = 0;
};

struct ForgetOptions {
  // When set: the consents the caller has dealt with at their banks (revoked, or found needing no revocation). The
  // erasure then goes ahead only if every consent the customer has at that moment is one of them; a consent added
  // meanwhile (a consent flow finishing in another process) makes it a kUnavailable error with nothing deleted, so
  // that no consent is ever deleted while it may still be live at its bank. Unset: every consent goes.
  std::optional<std::vector<std::string>> dealt_with_consents;
};

// A consent held by one holder (a sync, or an update of its grant) until the lease is destroyed. See
// Store::TryLeaseConsent.
class BANKFEED_EXPORT ConsentLease {
 public:
  virtual ~ConsentLease() = default;
};

class BANKFEED_EXPORT Store {
 public:
  virtual ~Store() = default;

  // A random id made when the store was created; cursors carry it so a cursor of another store is refused.
  virtual std::string StoreId() const = 0;

  // --- customers and consents
  // The customer of `tenant` with this PSU id, created when new.
  virtual Result<CustomerRecord> EnsureCustomer(std::string_view tenant, std::string_view psu_id) = 0;
  // kNotFound when the tenant has no customer with this PSU id.
  virtual Result<CustomerRecord> FindCustomer(std::string_view tenant, std::string_view psu_id) = 0;
  virtual Result<CustomerRecord> GetCustomer(std::string_view tenant, std::string_view customer_handle) = 0;
  // Creates the consent (when `record.handle` is empty a new handle is made and returned) or replaces its grant.
  virtual Result<std::string> SaveConsent(const ConsentRecord& record) = 0;
  virtual Result<ConsentRecord> LoadConsent(std::string_view tenant, std::string_view consent_handle) = 0;
  // Every consent of the tenant (all tenants when `tenant` is empty), or of one customer.
  virtual Result<std::vector<ConsentRecord>> ListConsents(std::string_view tenant) = 0;
  virtual Result<std::vector<ConsentRecord>> ListCustomerConsents(std::string_view tenant,
                                                                  std::string_view customer_handle) = 0;
  // Holds the tenant's consent for the caller alone while the returned lease lives, against every other lease on it
  // through any Store on the same database, in this process or another: the daemon's scheduler and a `bankfeed sync`
  // run never sync one consent at the same time, nor refresh its tokens over each other. Null when another holder
  // has it (nothing waits). A process that dies releases its leases. Load the grant (LoadConsent) after taking the
  // lease, so that what is saved back is what the last holder left. kNotFound when the tenant has no such consent.
  virtual Result<std::unique_ptr<ConsentLease>> TryLeaseConsent(std::string_view tenant,
                                                                std::string_view consent_handle) = 0;

  // --- accounts
  // Adds or updates the consent's accounts; accounts not in the list are kept. Account::id is not read: each account
  // is stored under the store's keyed id for its bank identifiers (those AccountIdFor hashes) and the tenant, so the
  // same account listed again updates its row. Returns the accounts' ids, in order.
  virtual Result<std::vector<std::string>> SaveAccounts(std::string_view tenant, std::string_view consent_handle,
                                                        const std::vector<Account>& accounts) = 0;
  // The tenant's accounts (all tenants when empty), optionally only one customer's.
  virtual Result<std::vector<AccountRecord>> ListAccounts(std::string_view tenant,
                                                          std::string_view customer_handle = {}) = 0;
  virtual Result<AccountRecord> GetAccount(std::string_view tenant, const AccountRef& account) = 0;
  virtual Result<std::vector<Balance>> GetBalances(std::string_view tenant, const AccountRef& account) = 0;
  // Records a sync that wrote no data (it failed, or was refused before it started).
  virtual Status SaveSyncState(const AccountRef& account, const SyncState& state) = 0;

  // --- transactions
  // Replaces each row's id, as a mapping assigned it ("tx_" over the row's content: AssignTransactionIds), with the
  // store's keyed id for it under `tenant`: the id the row is stored and fed under. Distinct ids stay distinct, and
  // the same id always gives the same keyed id. A sync calls it on every fetched row before reconciling (and before
  // TransactionIdsInUse and CommitAccountSync). kInvalidArgument, naming the row, for an id that is not a tx_ id;
  // rows before it are keyed already, so the caller drops the batch.
  virtual Status KeyTransactionIds(std::string_view tenant, std::span<Transaction> rows) = 0;
  // The account's stored rows that a sync of [from, …] must reconcile against: every booked row whose booking date
  // is on or after `from`, and every pending row, in the order they were added.
  virtual Result<std::vector<FeedTransaction>> LoadWindow(const AccountRef& account, Date from) = 0;
  // Which of `ids` the account already uses (for a row outside the window that a new row's id collides with).
  // The ids are views: a sync asks about its new rows' ids without copying them. kInvalidArgument for an id that is
  // not a tx_ id, unless the account has no rows at all (then none is in use, whatever they are).
  virtual Result<std::vector<std::string>> TransactionIdsInUse(const AccountRef& account,
                                                               std::span<const std::string_view> ids) = 0;
  // The account's quarantine (decrypted), oldest first. kNotFound for an unknown account.
  virtual Result<std::vector<QuarantineEntry>> LoadQuarantine(const AccountRef& account) = 0;
  // Writes one account sync atomically. Returns the tenant's sequence number after it. kInvalidArgument (nothing
  // written) for an added id already in use or a modified/removed id not stored.
  virtual Result<int64_t> CommitAccountSync(const AccountCommit& commit) = 0;
  // The same, for a commit the caller gives up (its rows are left moved-from, whatever the outcome): the store may
  // release each row as soon as it has encoded it, while it is still in the CPU's caches, instead of leaving a
  // large batch to be released cold afterwards. The default calls the version above.
  virtual Result<int64_t> CommitAccountSync(AccountCommit&& commit) {
    return CommitAccountSync(static_cast<const AccountCommit&>(commit));
  }

  // --- the feed
  // Changes of `tenant` with seq > after_seq, at most `limit` entries (limit >= 1).
  virtual Result<FeedRead> ReadFeed(std::string_view tenant, int64_t after_seq, size_t limit,
                                    const FeedReadOptions& options) = 0;
  Result<FeedRead> ReadFeed(std::string_view tenant, int64_t after_seq, size_t limit) {
    return ReadFeed(tenant, after_seq, limit, FeedReadOptions{});
  }
  // The tenant's latest sequence number (0 before any change).
  virtual Result<int64_t> HeadSeq(std::string_view tenant) = 0;

  // --- erasure
  // Deletes every row of the customer in every table (its change log entries too) and then purges the freed bytes
  // from the database and its WAL, so nothing of it stays on disk. Revoking its consents at the bank is the
  // caller's job, before this (see ForgetOptions::dealt_with_consents).
  virtual Result<ForgetReport> ForgetCustomer(std::string_view tenant, std::string_view customer_handle,
                                              const ForgetOptions& options) = 0;
  Result<ForgetReport> ForgetCustomer(std::string_view tenant, std::string_view customer_handle) {
    return ForgetCustomer(tenant, customer_handle, ForgetOptions{});
  }
};

struct SqliteStoreOptions {
  std::string path;                 // the database file; created (mode 0600) when missing
  // The at-rest keyring (see README "Encryption at rest"): a key file of mode 0600, or the name of an environment
  // variable holding the key text. Exactly one must be set.
  std::string key_file;
  std::string key_env;
  int busy_timeout_ms = 5000;
  // Tests only: the database's page limit, to simulate a full disk (0: no limit).
  int64_t max_page_count = 0;
};

BANKFEED_EXPORT Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteStoreOptions& options);

}  // namespace bankfeed
