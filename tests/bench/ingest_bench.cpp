// bankfeed_bench_ingest: issue 5's ingest bar. Normalize, reconcile and store at least 0.6x the throughput of a raw
// prepared SQLite upsert of the same rows, both measured in one run on at least 1M transactions.
//
// Input (generated before any clock starts; ingest_pages.hpp): --accounts accounts of --tx Berlin Group
// transactions each (default 1000 x 1000), as wire JSON pages of 100, 200, 250 or 500 rows (by account), with ids,
// twins and pending rows as banks send them, plus each account's /balances body.
//
// PATH (timed): for every account, exactly the CPU and store work of one first sync of the account by the sync
// engine (src/sync/engine.cpp SyncAccount) behind the Berlin Group connector (adapters/berlin_group/adapter.cpp
// GetTransactions / GetBalances), without the HTTP:
//   normalize   per page: copy the body into a simdjson::padded_string and berlin_group::MapTransactions (with the
//               connector's options: keep_raw_json on, assign_ids off); the pages' rows joined into the batch once
//               at the end (adapters::JoinPages);
//   ids         a TransactionIdAssigner over the whole batch (twins on different pages stay twins), then, inside
//               IngestBatch, store.KeyTransactionIds (the store's keyed ids: one AES block per row);
//   balances    padded copy + berlin_group::MapBalances of the /balances body;
// then SyncAccount's store half, by calling the library's own sync::IngestBatch (src/sync/ingest.cpp), the function
// SyncAccount calls, with default rules and trusted ids. Its steps are timed by IngestBatch itself (IngestTimings):
//   load        store.LoadWindow(account, window_from);
//   reconcile   the last-booked-date scan and sync::Reconcile(stored window, batch, window_from, rules);
//   in_use      unique ids: store.TransactionIdsInUse over the added ids (re-derived if taken);
//   commit      store.CommitAccountSync: added rows, the balances and the sync state in one database transaction;
//               the batch is given up to it, and each row is released as soon as it is sealed (so this phase also
//               holds the freeing of the rows).
// into a fresh encrypted store (OpenSqliteStore, key file from crypto::Keyring::Generate) whose customers,
// consents and accounts were created before the clock starts (4 accounts per customer, one consent each). The
// engine's two SaveConsent calls per account (the grant's quota bookkeeping after each bank call) are not ingest
// and are left out unless --with-grant-saves is given.
//
// BASELINE (timed, same process): a raw prepared SQLite upsert of the same rows. A fresh database file in the same
// directory, with the store's PRAGMAs (journal_mode=WAL, synchronous=FULL, secure_delete=ON, foreign_keys=ON,
// trusted_schema=OFF) and a `transactions` table with the store's columns, UNIQUE constraints and window index
// (src/store/migrations.cpp; only the foreign key to `accounts` is left out, as there is no accounts table), and one
// prepared
//   INSERT ... ON CONFLICT(account_id, feed_id) DO UPDATE SET ...
// stepped for every row, one BEGIN IMMEDIATE ... COMMIT per account, as the path commits. The rows' values are
// read back from run 0's database (below) before any baseline clock starts: the same tenant, account row, feed id,
// status, day, seq and kind, and the same sealed record_enc bytes (so every blob has exactly the size the store
// wrote), bound with SQLITE_STATIC, in the order the path inserted them.
//
// Modes: one per invocation; each prints its own ratio on a final RESULT line, with the mode and whether it is the
// engine's default configuration.
//   sequential    (the default, --threads 1) the accounts one after another, interleaved with the baseline account
//                 by account (below): one consent at a time, as SyncEngine runs with max_parallel = 1 or with a
//                 single consent to sync. The most conservative figure; the one this bench has always reported.
//   --threads N   N workers that each take one customer's consent (4 accounts, synced in turn) at a time, as the
//                 engine's consent workers do: normalization, reconciliation and sealing of one consent overlap
//                 another's commit (the store commits one at a time, on one connection). The engine's DEFAULT is
//                 SyncOptions{max_parallel = 4, per_bank_parallel = 2}: consents at one bank, as here, get 2
//                 workers (--threads 2); consents spread over two or more banks get 4 (--threads 4). The path then
//                 uses up to N cores while the baseline, one connection writing one transaction per account, uses
//                 one: compare the CPU times too.
//
// Run order. Run 0 is the path alone; it makes the baseline's rows and is not counted. Then --reps runs (default 2),
// each into a fresh store and a fresh baseline file in the same directory (deleted afterwards), go account by
// account: the path's sync of account i and the baseline's transaction of account i in turn, the path first on even
// accounts and the baseline first on odd ones. Both sides so see the same machine at the same moments (disk
// flushes, neighbours' load), which matters on a shared box where fsync latency swings by 2x within a minute. Each
// side's time is the sum of its accounts' wall times; the best run of each side is reported, and each run's own
// ratio too. (With --threads N the path runs as a whole, then the baseline.) CPU times (getrusage) are printed next
// to the wall times, for diagnosis only. The ratio is path throughput over baseline throughput on the same rows,
// i.e. baseline seconds / path seconds.
//
// Before printing, every run is checked: the path committed exactly the generated rows (added only, no modified or
// removed), HeadSeq is the row count, run 0's feed read from the start holds every row once per account, and the
// baseline table holds the same number of rows. Any mismatch exits 1. Timing is never asserted.
//
//   bankfeed_bench_ingest                                # 1000 accounts x 1000 tx, run 0 + 2 runs
//   bankfeed_bench_ingest --accounts 200 --tx 500 --reps 3 --dir /var/tmp
//   bankfeed_bench_ingest --threads 2                    # the engine's defaults, consents at one bank
//   bankfeed_bench_ingest --threads 4                    # the engine's defaults, consents at two or more banks
//   bankfeed_bench_ingest --quick                        # 20 x 1000, run 0 + one run: a correctness smoke test
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <simdjson.h>

#include "adapters/berlin_group/mapping.hpp"
#include "adapters/common/pages.hpp"
#include "bankfeed/ids.hpp"
#include "bankfeed/store.hpp"
#include "crypto/keyring.hpp"
#include "bench_common.hpp"
#include "ingest_pages.hpp"
#include "sync/ingest.hpp"
#include "sync/reconcile.hpp"

namespace bankfeed::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr char kTenant[] = "bench";
constexpr char kBankId[] = "bench-bank";
constexpr size_t kAccountsPerCustomer = 4;
constexpr size_t kPageSizes[] = {100, 200, 250, 500};
const Date kWindowFrom = Date::FromYmd(2024, 1, 1);
const Date kWindowTo = Date::FromYmd(2024, 12, 31);
constexpr int64_t kNow = 1735689600;  // 2025-01-01T00:00:00Z: the sync's last_attempt / last_success

double Since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// CPU seconds (user + system) of this thread, or of the whole process with `process`.
double CpuSeconds(bool process = false) {
  rusage usage{};
  getrusage(process ? RUSAGE_SELF : RUSAGE_THREAD, &usage);
  const auto seconds = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

struct Options {
  size_t accounts = 1000;
  size_t tx = 1000;
  int reps = 2;
  uint64_t seed = 20251121;
  std::string dir;
  bool keep = false;
  bool grant_saves = false;
  bool quick = false;
  int threads = 1;
};

struct Input {
  std::vector<AccountPages> accounts;
  size_t rows = 0, pending = 0, twins = 0, pages = 0, bytes = 0, balance_bytes = 0;
};

// --- the path

struct PathTimes {
  double total = 0;
  double cpu = 0;  // user + system CPU seconds of the run (all workers)
  double normalize = 0, ids = 0, balances = 0, load = 0, reconcile = 0, in_use = 0, commit = 0, grants = 0;
};

struct StoreSetup {
  std::unique_ptr<Store> store;
  std::vector<AccountRef> refs;              // by account index
  std::vector<Account> accounts;             // by account index
  std::vector<AccountRecord> records;        // by account index: as the engine reads them (store.ListAccounts)
  std::vector<ConsentRecord> consents;       // by customer
};

bool Fail(const std::string& what) {
  std::fprintf(stderr, "FAILED: %s\n", what.c_str());
  return false;
}

std::nullopt_t FailNone(const std::string& what) {
  Fail(what);
  return std::nullopt;
}

// A fresh store in `dir` with the customers, consents and accounts, and no transactions. Not timed.
std::optional<StoreSetup> OpenFreshStore(const fs::path& dir, const Input& input) {
  fs::create_directories(dir);
  auto keys = crypto::Keyring::Generate("bench1");
  if (!keys) return FailNone("keyring: " + keys.error().ToString());
  if (auto w = keys->WriteKeyFile((dir / "keys").string()); !w) return FailNone("key file: " + w.error().ToString());
  SqliteStoreOptions options;
  options.path = (dir / "feed.db").string();
  options.key_file = (dir / "keys").string();
  auto store = OpenSqliteStore(options);
  if (!store) return FailNone("open store: " + store.error().ToString());
  StoreSetup s;
  s.store = std::move(*store);
  for (size_t first = 0; first < input.accounts.size(); first += kAccountsPerCustomer) {
    const size_t customer_index = first / kAccountsPerCustomer;
    auto customer = s.store->EnsureCustomer(kTenant, "psu-" + std::to_string(customer_index));
    if (!customer) return FailNone("EnsureCustomer: " + customer.error().ToString());
    ConsentRecord consent =
        BenchConsent(kTenant, kBankId, customer->handle, customer_index, "psu-" + std::to_string(customer_index));
    auto handle = s.store->SaveConsent(consent);
    if (!handle) return FailNone("SaveConsent: " + handle.error().ToString());
    consent.handle = *handle;
    std::vector<Account> accounts;
    for (size_t i = first; i < std::min(first + kAccountsPerCustomer, input.accounts.size()); ++i) {
      accounts.push_back(BenchAccount(input.accounts[i]));
    }
    auto saved = s.store->SaveAccounts(kTenant, consent.handle, accounts);
    if (!saved) return FailNone("SaveAccounts: " + saved.error().ToString());
    for (size_t k = 0; k < accounts.size(); ++k) {
      accounts[k].id = (*saved)[k];  // the store's keyed id, as the engine reads it back
      s.accounts.push_back(accounts[k]);
      s.refs.push_back(AccountRef{customer->handle, accounts[k].id});
    }
    for (size_t i = first; i < s.refs.size(); ++i) {
      auto record = s.store->GetAccount(kTenant, s.refs[i]);
      if (!record) return FailNone("GetAccount: " + record.error().ToString());
      s.records.push_back(std::move(*record));
    }
    s.consents.push_back(std::move(consent));
  }
  return s;
}

// The path for one account: what the connector and SyncAccount do. Adds its phase times to `times`. Returns false
// on any error or wrong count.
bool SyncOneAccount(StoreSetup& s, const Input& input, const Options& opt, size_t ai, PathTimes& times) {
  Store& store = *s.store;
  NormalizeOptions options;  // as the connector sets them: account id, the bank's time zone, raw JSON kept
  const sync::ReconcileRules rules{true, SyncRules{}};  // a profile's defaults: bank ids trusted, default sync rules
  const AccountPages& a = input.accounts[ai];
  options.account_id = s.accounts[ai].id;
  options.assign_ids = false;  // as the connector: ids are assigned once, over the whole batch

  // GetTransactions: each page mapped as it arrives, then ids over the whole batch.
  auto t = Clock::now();
  TransactionBatch batch;
  batch.date_from = kWindowFrom;
  batch.date_to = kWindowTo;
  std::vector<std::vector<Transaction>> pages;  // as the connector: kept page by page, joined once at the end
  for (const std::string& page : a.pages) {
    simdjson::padded_string body(page);
    auto rows = berlin_group::MapTransactions(body, options);
    if (!rows) return Fail("account " + std::to_string(ai) + ": MapTransactions: " + rows.error().ToString());
    ++batch.pages;
    pages.push_back(std::move(*rows));
  }
  batch.transactions = adapters::JoinPages(pages);
  times.normalize += Since(t);
  t = Clock::now();
  {
    TransactionIdAssigner ids;
    for (Transaction& row : batch.transactions) ids.Assign(row);
  }
  times.ids += Since(t);
  if (opt.grant_saves) {
    t = Clock::now();
    if (auto g = store.SaveConsent(s.consents[ai / kAccountsPerCustomer]); !g) return Fail("SaveConsent: " + g.error().ToString());
    times.grants += Since(t);
  }

  // GetBalances.
  t = Clock::now();
  std::vector<Balance> balances;
  {
    simdjson::padded_string body(a.balances);
    auto mapped = berlin_group::MapBalances(body, options);
    if (!mapped) return Fail("account " + std::to_string(ai) + ": MapBalances: " + mapped.error().ToString());
    balances = std::move(*mapped);
  }
  times.balances += Since(t);
  if (opt.grant_saves) {
    t = Clock::now();
    if (auto g = store.SaveConsent(s.consents[ai / kAccountsPerCustomer]); !g) return Fail("SaveConsent: " + g.error().ToString());
    times.grants += Since(t);
  }

  // SyncAccount's store half: the library's own function (stored window, reconciliation, unique ids, one commit).
  sync::IngestTimings phases;
  auto ingested = sync::IngestBatch(store, s.records[ai], std::move(batch), std::move(balances), rules,
                                    DateTime{kNow, 0, 0}, &phases);
  if (!ingested) return Fail("account " + std::to_string(ai) + ": IngestBatch: " + ingested.error().ToString());
  times.ids += phases.key_ids;
  times.load += phases.load;
  times.reconcile += phases.reconcile;
  times.in_use += phases.in_use;
  times.commit += phases.commit;

  if (static_cast<size_t>(ingested->fetched) != a.rows || static_cast<size_t>(ingested->added) != a.rows ||
      ingested->modified != 0 || ingested->removed != 0) {
    return Fail("account " + std::to_string(ai) + ": " + std::to_string(a.rows) + " rows generated, " +
                std::to_string(ingested->fetched) + " normalized, " + std::to_string(ingested->added) + " added, " +
                std::to_string(ingested->modified) + " modified, " + std::to_string(ingested->removed) +
                " removed (a fresh store must add every row)");
  }
  return true;
}

// One timed run of the path over every account. With --threads 1 (the default) the accounts run one after another.
// With N > 1, N workers take one customer (its consent: 4 accounts, synced one after another) at a time, as the
// engine's consent workers do (SyncOptions::max_parallel); the phase times are then summed over the workers.
bool RunPath(StoreSetup& s, const Input& input, const Options& opt, PathTimes& times) {
  times = {};
  const auto run_start = Clock::now();
  const double cpu_start = CpuSeconds(opt.threads > 1);
  if (opt.threads <= 1) {
    for (size_t ai = 0; ai < input.accounts.size(); ++ai) {
      if (!SyncOneAccount(s, input, opt, ai, times)) return false;
    }
    times.total = Since(run_start);
    times.cpu = CpuSeconds() - cpu_start;
    return true;
  }
  const size_t customers = (input.accounts.size() + kAccountsPerCustomer - 1) / kAccountsPerCustomer;
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::vector<PathTimes> per_thread(static_cast<size_t>(opt.threads));
  std::vector<std::thread> workers;
  for (size_t w = 0; w < per_thread.size(); ++w) {
    workers.emplace_back([&, w] {
      for (size_t c; !failed && (c = next++) < customers;) {
        for (size_t ai = c * kAccountsPerCustomer; ai < std::min((c + 1) * kAccountsPerCustomer, input.accounts.size()); ++ai) {
          if (!SyncOneAccount(s, input, opt, ai, per_thread[w])) {
            failed = true;
            return;
          }
        }
      }
    });
  }
  for (std::thread& t : workers) t.join();
  times.total = Since(run_start);
  times.cpu = CpuSeconds(true) - cpu_start;
  for (const PathTimes& t : per_thread) {
    times.normalize += t.normalize, times.ids += t.ids, times.balances += t.balances, times.load += t.load;
    times.reconcile += t.reconcile, times.in_use += t.in_use, times.commit += t.commit, times.grants += t.grants;
  }
  return !failed;
}

// After a path run: the head is the row count. With `read_feed`, also the whole feed from the start: every row
// once, as an addition with its content, each account with its generated number of rows.
bool CheckStore(StoreSetup& s, const Input& input, bool read_feed) {
  auto head = s.store->HeadSeq(kTenant);
  if (!head) return Fail("HeadSeq: " + head.error().ToString());
  if (static_cast<size_t>(*head) != input.rows) {
    return Fail("store head seq " + std::to_string(*head) + ", expected " + std::to_string(input.rows));
  }
  if (!read_feed) return true;
  std::map<std::string, size_t> per_account;
  size_t entries = 0;
  int64_t after = 0;
  for (;;) {
    auto page = s.store->ReadFeed(kTenant, after, 10000);
    if (!page) return Fail("ReadFeed: " + page.error().ToString());
    for (const FeedEntry& e : page->entries) {
      if (e.kind != ChangeKind::kAdded || !e.transaction || e.transaction->transaction.id != e.transaction_id) {
        return Fail("feed seq " + std::to_string(e.seq) + " is not an addition with its transaction");
      }
      ++per_account[e.account_id];
      ++entries;
    }
    after = page->last_seq;
    if (!page->has_more) break;
  }
  if (entries != input.rows) {
    return Fail("the feed holds " + std::to_string(entries) + " transactions, expected " + std::to_string(input.rows));
  }
  for (size_t i = 0; i < input.accounts.size(); ++i) {
    if (per_account[s.accounts[i].id] != input.accounts[i].rows) {
      return Fail("account " + std::to_string(i) + ": the feed holds " + std::to_string(per_account[s.accounts[i].id]) +
                  " transactions, expected " + std::to_string(input.accounts[i].rows));
    }
  }
  std::printf("  check: feed read from the start: %zu additions, every account's rows once\n", entries);
  return true;
}

// --- the baseline

// One row of the store's transactions table, as the path wrote it.
struct RawRow {
  int64_t status = 0;
  std::optional<int64_t> day;
  int64_t seq = 0;
  int64_t kind = 0;
  int64_t account_row = 0;
  std::string feed_id;
  std::string record_enc;
};

struct BaselineRows {
  std::string tenant;
  std::vector<std::vector<RawRow>> by_account;  // in commit order
  size_t rows = 0;
  size_t blob_bytes = 0;
};

class Sqlite {
 public:
  ~Sqlite() {
    if (db_ != nullptr) sqlite3_close_v2(db_);
  }
  bool Open(const std::string& path, int flags) {
    if (sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
      return Fail("sqlite open " + path + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory"));
    }
    return true;
  }
  bool Exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string message = err ? err : "?";
      sqlite3_free(err);
      return Fail(std::string("sqlite: ") + sql + ": " + message);
    }
    return true;
  }
  sqlite3* get() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

// The path's rows, read back from its database file (the store is closed). Not timed.
bool ReadBackRows(const fs::path& db_path, const Input& input, BaselineRows& out) {
  Sqlite db;
  if (!db.Open(db_path.string(), SQLITE_OPEN_READONLY)) return false;
  sqlite3_stmt* stmt = nullptr;
  const char* sql =
      "SELECT tenant, account_id, feed_id, status, day, seq, kind, record_enc FROM transactions ORDER BY account_id, seq";
  if (sqlite3_prepare_v2(db.get(), sql, -1, &stmt, nullptr) != SQLITE_OK) {
    return Fail(std::string("read back: ") + sqlite3_errmsg(db.get()));
  }
  out = {};
  out.by_account.reserve(input.accounts.size());
  int64_t current = -1;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (out.tenant.empty()) out.tenant = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    RawRow r;
    r.account_row = sqlite3_column_int64(stmt, 1);
    r.feed_id.assign(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 2)),
                     static_cast<size_t>(sqlite3_column_bytes(stmt, 2)));
    r.status = sqlite3_column_int64(stmt, 3);
    if (sqlite3_column_type(stmt, 4) != SQLITE_NULL) r.day = sqlite3_column_int64(stmt, 4);
    r.seq = sqlite3_column_int64(stmt, 5);
    r.kind = sqlite3_column_int64(stmt, 6);
    r.record_enc.assign(static_cast<const char*>(sqlite3_column_blob(stmt, 7)),
                        static_cast<size_t>(sqlite3_column_bytes(stmt, 7)));
    if (r.account_row != current) {
      out.by_account.emplace_back();
      current = r.account_row;
    }
    out.blob_bytes += r.record_enc.size();
    ++out.rows;
    out.by_account.back().push_back(std::move(r));
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) return Fail(std::string("read back: ") + sqlite3_errmsg(db.get()));
  if (out.rows != input.rows || out.by_account.size() != input.accounts.size()) {
    return Fail("read back " + std::to_string(out.rows) + " rows of " + std::to_string(out.by_account.size()) +
                " accounts, expected " + std::to_string(input.rows) + " of " + std::to_string(input.accounts.size()));
  }
  return true;
}

// The baseline: a fresh database with the store's settings and transactions table, and one prepared upsert.
class Baseline {
 public:
  ~Baseline() {
    if (upsert_ != nullptr) sqlite3_finalize(upsert_);
  }

  // Not timed: the file, the PRAGMAs, the table and the prepared statement.
  bool Open(const fs::path& path) {
    if (!db_.Open(path.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) return false;
    // The store's connection settings (src/store/sqlite_db.cpp Db::Open) and table (src/store/migrations.cpp).
    if (!db_.Exec("PRAGMA journal_mode=WAL") ||
        !db_.Exec("PRAGMA synchronous=FULL; PRAGMA secure_delete=ON; PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;") ||
        !db_.Exec(R"sql(
CREATE TABLE transactions (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  account_id INTEGER NOT NULL,
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
)sql")) {
      return false;
    }
    sqlite3_busy_timeout(db_.get(), 5000);
    const char* sql =
        "INSERT INTO transactions(status, day, seq, kind, record_enc, tenant, account_id, feed_id) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(account_id, feed_id) DO UPDATE SET "
        "status = excluded.status, day = excluded.day, seq = excluded.seq, kind = excluded.kind, "
        "record_enc = excluded.record_enc";
    if (sqlite3_prepare_v3(db_.get(), sql, -1, SQLITE_PREPARE_PERSISTENT, &upsert_, nullptr) != SQLITE_OK) {
      return Fail(std::string("baseline prepare: ") + sqlite3_errmsg(db_.get()));
    }
    return true;
  }

  // Timed: one account's rows, in one transaction. Adds to seconds / cpu_seconds.
  bool Account(const BaselineRows& rows, size_t i) {
    const auto start = Clock::now();
    const double cpu_start = CpuSeconds();
    if (!db_.Exec("BEGIN IMMEDIATE")) return false;
    for (const RawRow& r : rows.by_account[i]) {
      sqlite3_bind_int64(upsert_, 1, r.status);
      if (r.day) {
        sqlite3_bind_int64(upsert_, 2, *r.day);
      } else {
        sqlite3_bind_null(upsert_, 2);
      }
      sqlite3_bind_int64(upsert_, 3, r.seq);
      sqlite3_bind_int64(upsert_, 4, r.kind);
      sqlite3_bind_blob64(upsert_, 5, r.record_enc.data(), r.record_enc.size(), SQLITE_STATIC);
      sqlite3_bind_text64(upsert_, 6, rows.tenant.data(), rows.tenant.size(), SQLITE_STATIC, SQLITE_UTF8);
      sqlite3_bind_int64(upsert_, 7, r.account_row);
      sqlite3_bind_text64(upsert_, 8, r.feed_id.data(), r.feed_id.size(), SQLITE_STATIC, SQLITE_UTF8);
      if (sqlite3_step(upsert_) != SQLITE_DONE) return Fail(std::string("baseline upsert: ") + sqlite3_errmsg(db_.get()));
      sqlite3_reset(upsert_);
    }
    if (!db_.Exec("COMMIT")) return false;
    seconds += Since(start);
    cpu_seconds += CpuSeconds() - cpu_start;
    return true;
  }

  // Not timed: the table must hold every row.
  bool Check(const BaselineRows& rows) {
    sqlite3_stmt* count = nullptr;
    sqlite3_prepare_v2(db_.get(), "SELECT count(*) FROM transactions", -1, &count, nullptr);
    const bool counted = count != nullptr && sqlite3_step(count) == SQLITE_ROW;
    const auto n = counted ? static_cast<size_t>(sqlite3_column_int64(count, 0)) : 0;
    sqlite3_finalize(count);
    if (n != rows.rows) {
      return Fail("the baseline table holds " + std::to_string(n) + " rows, expected " + std::to_string(rows.rows));
    }
    return true;
  }

  double seconds = 0, cpu_seconds = 0;

 private:
  Sqlite db_;
  sqlite3_stmt* upsert_ = nullptr;
};

void RemoveDb(const fs::path& dir, bool keep) {
  if (keep) return;
  std::error_code ec;
  fs::remove_all(dir, ec);
}

bool ParseArgs(int argc, char** argv, Options& opt) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const auto number = [&](size_t& out, size_t min) {
      if (i + 1 >= argc) return false;
      char* end = nullptr;
      const unsigned long long v = std::strtoull(argv[++i], &end, 10);
      if (end == argv[i] || *end != '\0' || v < min) return false;
      out = static_cast<size_t>(v);
      return true;
    };
    size_t n = 0;
    if (a == "--quick") {
      opt.quick = true;
      opt.accounts = 20;
      opt.tx = 1000;
      opt.reps = 1;
    } else if (a == "--accounts") {
      if (!number(opt.accounts, 1)) return false;
    } else if (a == "--tx") {
      if (!number(opt.tx, 1)) return false;
    } else if (a == "--reps") {
      if (!number(n, 1)) return false;
      opt.reps = static_cast<int>(n);
    } else if (a == "--seed") {
      if (!number(n, 0)) return false;
      opt.seed = n;
    } else if (a == "--dir") {
      if (i + 1 >= argc) return false;
      opt.dir = argv[++i];
    } else if (a == "--threads") {
      if (!number(n, 1) || n > 64) return false;
      opt.threads = static_cast<int>(n);
    } else if (a == "--keep") {
      opt.keep = true;
    } else if (a == "--with-grant-saves") {
      opt.grant_saves = true;
    } else {
      return false;
    }
  }
  return true;
}

// The mode's name and how it relates to the engine's defaults (SyncOptions: max_parallel 4, per_bank_parallel 2).
std::string ModeName(int threads) {
  if (threads <= 1) return "sequential (one account after another: one consent at a time)";
  return std::to_string(threads) + " workers (a consent at a time each, as SyncEngine's consent workers)";
}

std::string EngineDefault(int threads) {
  switch (threads) {
    case 1:
      return "no: SyncEngine with max_parallel 1, or a single consent to sync; the most conservative figure";
    case 2:
      return "YES for consents at one bank (as here): max_parallel 4, per_bank_parallel 2 gives 2 workers";
    case 4:
      return "YES for consents at two or more banks: max_parallel 4 (per_bank_parallel 2 at each bank)";
    default:
      return "no: SyncOptions max_parallel " + std::to_string(threads) + " (the default is 4, 2 per bank)";
  }
}

void PrintPhases(const PathTimes& t, int threads) {
  const auto pct = [&](double x) { return 100.0 * x / (t.total * threads); };
  if (threads > 1) std::printf("    phases summed over the %d workers, %% of %d x wall time\n", threads, threads);
  std::printf("    phases of the best path run (s): normalize %.3f (%.0f%%), ids %.3f (%.0f%%), balances %.3f (%.0f%%),\n"
              "      load window %.3f (%.0f%%), reconcile %.3f (%.0f%%), ids in use %.3f (%.0f%%), commit %.3f (%.0f%%)",
              t.normalize, pct(t.normalize), t.ids, pct(t.ids), t.balances, pct(t.balances), t.load, pct(t.load),
              t.reconcile, pct(t.reconcile), t.in_use, pct(t.in_use), t.commit, pct(t.commit));
  if (t.grants > 0) std::printf(", grant saves %.3f (%.0f%%)", t.grants, pct(t.grants));
  const double rest = t.total * threads - (t.normalize + t.ids + t.balances + t.load + t.reconcile + t.in_use +
                                           t.commit + t.grants);
  std::printf(",\n      rest (the loop, the emptied batch's vectors) %.3f (%.0f%%)\n", rest, pct(rest));
}

int Main(int argc, char** argv) {
  Options opt;
  if (!ParseArgs(argc, argv, opt)) {
    std::fprintf(stderr,
                 "usage: %s [--quick] [--accounts N] [--tx N] [--reps N] [--seed N] [--dir PATH] [--keep] "
                 "[--with-grant-saves] [--threads N]\n"
                 "  defaults: --accounts 1000 --tx 1000 --reps 2 (runs after run 0); --dir: a new "
                 "directory under the temp dir\n",
                 argv[0]);
    return 2;
  }
  const fs::path dir = opt.dir.empty() ? fs::temp_directory_path() / ("bankfeed-ingest-bench-" + std::to_string(::getpid()))
                                       : fs::path(opt.dir) / ("bankfeed-ingest-bench-" + std::to_string(::getpid()));
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    Fail("cannot create " + dir.string() + ": " + ec.message());
    return 1;
  }
  // Removes the databases on every way out, failures too (the stores are closed first: they live in inner scopes).
  struct Cleanup {
    fs::path dir;
    bool keep;
    ~Cleanup() {
      std::error_code ignored;
      if (!keep) fs::remove_all(dir, ignored);
    }
  } cleanup{dir, opt.keep};

  const std::string load_start = LoadAverage();
  // Input, untimed.
  const auto gen_start = Clock::now();
  Input input;
  input.accounts.reserve(opt.accounts);
  for (size_t i = 0; i < opt.accounts; ++i) {
    AccountPages a = GenerateAccountPages(i, opt.tx, kPageSizes[i % std::size(kPageSizes)], opt.seed);
    input.rows += a.rows;
    input.pending += a.pending;
    input.twins += a.twins;
    input.pages += a.pages.size();
    input.bytes += a.bytes;
    input.balance_bytes += a.balances.size();
    input.accounts.push_back(std::move(a));
  }
  const double input_mb = static_cast<double>(input.bytes) / (1024.0 * 1024.0);
  std::printf("bankfeed_bench_ingest: %zu accounts x %zu Berlin Group transactions, pages of 100/200/250/500 rows, "
              "seed %llu%s\n",
              opt.accounts, opt.tx, static_cast<unsigned long long>(opt.seed), opt.quick ? " (--quick)" : "");
  std::printf("  input: %zu transactions (%zu pending, %zu twin pairs) in %zu pages, %.1f MB of JSON "
              "(+%.2f MB of balances bodies); generated in %.1f s, untimed\n",
              input.rows, input.pending, input.twins, input.pages, input_mb,
              static_cast<double>(input.balance_bytes) / (1024.0 * 1024.0), Since(gen_start));
  std::printf("  databases in %s; run 0 = path alone (seeds the baseline), then %d run(s) of path and baseline %s, "
              "each into fresh files; best of each side\n",
              dir.string().c_str(), opt.reps,
              opt.threads > 1 ? "one after the other" : "interleaved account by account");
  if (opt.grant_saves) std::printf("  --with-grant-saves: the path also saves the consent twice per account, as the engine does\n");
  std::fflush(stdout);

  PathTimes best_path;
  best_path.total = 1e300;
  double best_baseline = 1e300, best_baseline_cpu = 1e300, best_path_cpu = 1e300;
  double rss_after_path = 0;
  BaselineRows baseline_rows;
  // Run 0: the path alone, into its own store; its rows seed the baseline. Not counted.
  {
    const fs::path path_dir = dir / "path-0";
    PathTimes times;
    {
      std::optional<StoreSetup> s = OpenFreshStore(path_dir, input);
      if (!s) return 1;
      if (!RunPath(*s, input, opt, times)) return 1;
      if (!CheckStore(*s, input, true)) return 1;
    }  // the store is closed here
    rss_after_path = PeakRssMb();
    if (!ReadBackRows(path_dir / "feed.db", input, baseline_rows)) return 1;
    RemoveDb(path_dir, opt.keep);
    std::printf("  run 0 (path alone; seeds the baseline's rows, not counted): path %.3f s (CPU %.3f s)\n", times.total,
                times.cpu);
    std::printf("  baseline rows read back from its database: %zu rows, record_enc %.1f bytes on average\n",
                baseline_rows.rows, static_cast<double>(baseline_rows.blob_bytes) / static_cast<double>(baseline_rows.rows));
    std::fflush(stdout);
  }
  for (int rep = 1; rep <= opt.reps; ++rep) {
    const fs::path path_dir = dir / ("path-" + std::to_string(rep));
    const fs::path base_dir = dir / ("baseline-" + std::to_string(rep));
    fs::create_directories(base_dir);
    PathTimes times;
    Baseline baseline;
    {
      std::optional<StoreSetup> s = OpenFreshStore(path_dir, input);
      if (!s || !baseline.Open(base_dir / "baseline.db")) return 1;
      if (opt.threads > 1) {
        // The workers' path as a whole, then the baseline as a whole.
        if (!RunPath(*s, input, opt, times)) return 1;
        for (size_t ai = 0; ai < input.accounts.size(); ++ai) {
          if (!baseline.Account(baseline_rows, ai)) return 1;
        }
      } else {
        // Account by account, path and baseline in turn (which goes first alternates), so that both see the same
        // machine: the same disk flushes and the same neighbours.
        for (size_t ai = 0; ai < input.accounts.size(); ++ai) {
          const bool path_first = ai % 2 == 0;
          if (!path_first && !baseline.Account(baseline_rows, ai)) return 1;
          const auto start = Clock::now();
          const double cpu_start = CpuSeconds();
          if (!SyncOneAccount(*s, input, opt, ai, times)) return 1;
          times.total += Since(start);
          times.cpu += CpuSeconds() - cpu_start;
          if (path_first && !baseline.Account(baseline_rows, ai)) return 1;
        }
      }
      if (!CheckStore(*s, input, false) || !baseline.Check(baseline_rows)) return 1;
    }
    RemoveDb(path_dir, opt.keep);
    RemoveDb(base_dir, opt.keep);
    std::printf("  run %d: path %.3f s (CPU %.3f s), baseline %.3f s (CPU %.3f s): ratio %.2f\n", rep, times.total,
                times.cpu, baseline.seconds, baseline.cpu_seconds, baseline.seconds / times.total);
    std::fflush(stdout);
    if (times.total < best_path.total) best_path = times;
    best_path_cpu = std::min(best_path_cpu, times.cpu);
    best_baseline = std::min(best_baseline, baseline.seconds);
    best_baseline_cpu = std::min(best_baseline_cpu, baseline.cpu_seconds);
  }

  const double rows = static_cast<double>(input.rows);
  std::printf("rows: %zu\n", input.rows);
  std::printf("input: %.1f MB of Berlin Group JSON\n", input_mb);
  const std::string mode = ModeName(opt.threads);
  std::printf("mode: %s\n", mode.c_str());
  std::printf("path (normalize + reconcile + store, encrypted SQLite store, one commit per account), %s, best of %d:\n",
              opt.threads > 1 ? (std::to_string(opt.threads) + " workers").c_str() : "sequential", opt.reps);
  std::printf("  %.3f s, %.1f MB/s, %.0f tx/s (CPU: best %.3f s)\n", best_path.total, input_mb / best_path.total,
              rows / best_path.total, best_path_cpu);
  PrintPhases(best_path, std::max(1, opt.threads));
  std::printf("baseline (raw prepared SQLite upsert of the same rows, one transaction per account), best of %d:\n"
              "  %.3f s, %.0f rows/s (CPU: best %.3f s)\n",
              opt.reps, best_baseline, rows / best_baseline, best_baseline_cpu);
  const double ratio = best_baseline / best_path.total;
  std::printf("ratio path/baseline = %.2f (bar 0.60), mode: %s\n", ratio, mode.c_str());
  std::printf("  the engine's default configuration? %s\n", EngineDefault(opt.threads).c_str());
  std::printf("  (for diagnosis only, not the bar: CPU-time ratio %.2f; load average %s at the start, %s at the end)\n",
              best_baseline_cpu / best_path_cpu, load_start.c_str(), LoadAverage().c_str());
  std::printf("peak RSS: %.0f MB after run 0 (input + path), %.0f MB overall (+ the baseline's precomputed rows)\n",
              rss_after_path, PeakRssMb());
  std::printf("checks: ok (every run: the path added exactly the generated rows, head seq = %zu, baseline table = "
              "%zu rows)\n",
              input.rows, baseline_rows.rows);
  std::printf("RESULT threads=%d rows=%zu ratio=%.3f bar=0.60 %s engine_default=%s\n", opt.threads, input.rows, ratio,
              ratio >= 0.6 ? "meets" : "below",
              opt.threads == 2 ? "one-bank" : opt.threads == 4 ? "multi-bank" : "no");
  return 0;
}

}  // namespace
}  // namespace bankfeed::bench

int main(int argc, char** argv) { return bankfeed::bench::Main(argc, argv); }
