// bankfeed_bench_daemon: the daemon's feed bar. A client pages Feed.Sync over bankfeedd's Unix socket through 1M
// stored transactions, 1000 per page, from the empty cursor until has_more is false. Bars: at least 300,000
// transactions/s, and the daemon's peak RSS under 150 MB. Also printed: the daemon's idle RSS.
//
// 1. Fill (not measured; its time is printed apart). A fresh encrypted SQLite store (OpenSqliteStore, key file from
//    crypto::Keyring::Generate) gets --transactions rows (default 1,000,000) spread over --accounts accounts
//    (default 1000; 4 accounts per customer, one consent each, one tenant), written through the real Store API: for
//    each account, ingest_pages.hpp's Berlin Group pages (the ingest bench's realistic rows: UTF-8 counterparty
//    names, IBANs, remittance in its three shapes, exchange rates, pending rows, twins) are normalized with the
//    library (NormalizeTransactions, raw JSON kept, as the connector does), given ids (TransactionIdAssigner over
//    the account's pages) and committed as one CommitAccountSync of added rows with the account's balances. The
//    store is closed before the daemon starts.
// 2. The daemon. A config in the temp dir (tpp certificate paths are dummies: the feed path never opens them; the
//    scheduler is off; log level warn), then the REAL bankfeedd executable (BANKFEED_BANKFEEDD_PATH, or --bankfeedd)
//    as a child process with --ready-file. Once the ready file is there (and its pid is the child's), the daemon
//    settles for --settle-ms and its idle RSS is read (VmRSS of /proc/<pid>/status).
// 3. The client (timed). A gRPC channel to unix:<socket>, bearer token in `authorization` metadata; Feed.Sync from the
//    empty cursor at --page-size (default 1000) until has_more is false. Each response is parsed into a protobuf
//    arena (one block, reset after each page), as a throughput-minded client does. Per change, the client checks
//    the kind (ADDED), the transaction's presence and id, the account and customer, and records a compact key
//    (account index, 16 bytes of the id).
//    Response bytes are each page's serialized size (ByteSizeLong). CPU seconds of the daemon (/proc/<pid>/stat)
//    and of this process over the timed loop are printed, for diagnosis.
// 4. After the loop (untimed): the keys sorted must equal the committed ones (every transaction once, none else);
//    the daemon's VmHWM is read, then SIGTERM, and it must exit 0 within 30 s. The temp dir is removed.
//
// Exit status: 0 when every check passed, 1 otherwise. The bars are printed as PASS/FAIL lines and do not change
// the exit status unless --enforce-bars is given (the ctest smoke runs a small store and checks correctness only).
//
//   bankfeed_bench_daemon                              # 1M transactions over 1000 accounts, 1000 per page
//   bankfeed_bench_daemon --transactions 20000         # the ctest smoke
//   bankfeed_bench_daemon --raw-json                   # ask for Transaction.raw_json too (larger pages)
//   bankfeed_bench_daemon --dir /var/tmp --keep        # keep the store, config and daemon log
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include <google/protobuf/arena.h>
#include <grpcpp/grpcpp.h>

#include "bankfeed/ids.hpp"
#include "bankfeed/normalize.hpp"
#include "bankfeed/store.hpp"
#include "bankfeed/v1/feed.grpc.pb.h"
#include "crypto/keyring.hpp"
#include "daemon/src/daemon_config.hpp"
#include "bench_common.hpp"
#include "ingest_pages.hpp"

extern char** environ;

#ifndef BANKFEED_BANKFEEDD_PATH
#error "BANKFEED_BANKFEEDD_PATH must name the bankfeedd executable"
#endif

namespace bankfeed::bench {
namespace {

namespace fs = std::filesystem;
namespace v1 = ::bankfeed::v1;
using Clock = std::chrono::steady_clock;

constexpr char kTenant[] = "bench";
constexpr char kBankId[] = "bench-bank";
constexpr size_t kAccountsPerCustomer = 4;
constexpr size_t kBankPageSize = 250;           // rows per bank page in the generated input
constexpr double kBarTxPerSecond = 300'000;     // the throughput bar
constexpr double kBarPeakRssBytes = 150e6;      // the memory bar: 150 MB (10^6 bytes; stricter than MiB)
constexpr int64_t kNow = 1735689600;            // 2025-01-01T00:00:00Z: the sync state's times

double Since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

bool Fail(const std::string& what) {
  std::fprintf(stderr, "FAILED: %s\n", what.c_str());
  return false;
}

struct Options {
  size_t transactions = 1'000'000;
  size_t accounts = 1000;
  int page_size = 1000;
  bool raw_json = false;
  bool keep = false;
  bool enforce_bars = false;
  int settle_ms = 500;
  uint64_t seed = 20251121;
  std::string dir;
  std::string bankfeedd = BANKFEED_BANKFEEDD_PATH;
};

bool ParseArgs(int argc, char** argv, Options& opt) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const auto number = [&](size_t& out, size_t min, size_t max) {
      if (i + 1 >= argc) return false;
      char* end = nullptr;
      const unsigned long long v = std::strtoull(argv[++i], &end, 10);
      if (end == argv[i] || *end != '\0' || v < min || v > max) return false;
      out = static_cast<size_t>(v);
      return true;
    };
    const auto text = [&](std::string& out) {
      if (i + 1 >= argc) return false;
      out = argv[++i];
      return true;
    };
    size_t n = 0;
    if (a == "--transactions") {
      if (!number(opt.transactions, 1, 100'000'000)) return false;
    } else if (a == "--accounts") {
      if (!number(opt.accounts, 1, 1'000'000)) return false;
    } else if (a == "--page-size") {
      if (!number(n, 1, 10'000)) return false;
      opt.page_size = static_cast<int>(n);
    } else if (a == "--settle-ms") {
      if (!number(n, 0, 60'000)) return false;
      opt.settle_ms = static_cast<int>(n);
    } else if (a == "--seed") {
      if (!number(n, 0, SIZE_MAX)) return false;
      opt.seed = n;
    } else if (a == "--raw-json") {
      opt.raw_json = true;
    } else if (a == "--keep") {
      opt.keep = true;
    } else if (a == "--enforce-bars") {
      opt.enforce_bars = true;
    } else if (a == "--dir") {
      if (!text(opt.dir)) return false;
    } else if (a == "--bankfeedd") {
      if (!text(opt.bankfeedd)) return false;
    } else {
      return false;
    }
  }
  opt.accounts = std::min(opt.accounts, opt.transactions);
  return true;
}

// --- what the client checks against

// A change as the client records it: the account (index) and the transaction id's 16 bytes.
struct Key {
  std::array<uint8_t, 16> id{};
  uint32_t account = 0;
  friend bool operator==(const Key&, const Key&) = default;
  friend bool operator<(const Key& a, const Key& b) {
    if (a.account != b.account) return a.account < b.account;
    return a.id < b.id;
  }
};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "tx_" + 32 hex digits -> 16 bytes.
bool ParseTxId(std::string_view text, std::array<uint8_t, 16>& out) {
  if (text.size() != 35 || text.substr(0, 3) != "tx_") return false;
  for (size_t i = 0; i < 16; ++i) {
    const int hi = HexValue(text[3 + 2 * i]), lo = HexValue(text[4 + 2 * i]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

struct Expected {
  std::vector<Key> keys;                                  // sorted after the fill
  std::unordered_map<std::string, uint32_t> account_index;  // "acc_…" -> index
  std::vector<std::string> customer_of;                   // by account index: "cu_…"
  size_t pending = 0, twins = 0, customers = 0;
  double json_mb = 0;
};

// --- 1. the fill

bool FillStore(const Options& opt, const fs::path& db, const fs::path& keys, Expected& expected) {
  auto keyring = crypto::Keyring::Generate("bench1");
  if (!keyring) return Fail("keyring: " + keyring.error().ToString());
  if (auto w = keyring->WriteKeyFile(keys.string()); !w) return Fail("key file: " + w.error().ToString());
  SqliteStoreOptions so;
  so.path = db.string();
  so.key_file = keys.string();
  auto opened = OpenSqliteStore(so);
  if (!opened) return Fail("open store: " + opened.error().ToString());
  std::unique_ptr<Store> store = std::move(*opened);

  expected.keys.reserve(opt.transactions);
  size_t json_bytes = 0;
  std::vector<AccountRef> refs;
  for (size_t first = 0; first < opt.accounts; first += kAccountsPerCustomer) {
    const size_t c = first / kAccountsPerCustomer;
    auto customer = store->EnsureCustomer(kTenant, "psu-bench-" + std::to_string(c));
    if (!customer) return Fail("EnsureCustomer: " + customer.error().ToString());
    const ConsentRecord consent = BenchConsent(kTenant, kBankId, customer->handle, c, "psu-bench-" + std::to_string(c));
    auto handle = store->SaveConsent(consent);
    if (!handle) return Fail("SaveConsent: " + handle.error().ToString());
    ++expected.customers;

    std::vector<Account> accounts;
    std::vector<AccountPages> inputs;
    for (size_t ai = first; ai < std::min(first + kAccountsPerCustomer, opt.accounts); ++ai) {
      // The rows: N spread evenly, the first accounts one more.
      const size_t rows = opt.transactions / opt.accounts + (ai < opt.transactions % opt.accounts ? 1 : 0);
      AccountPages pages = GenerateAccountPages(ai, rows, kBankPageSize, opt.seed);
      Account a = BenchAccount(pages);
      a.owner_name = "Bench Customer " + std::to_string(c);  // not part of the id
      accounts.push_back(a);
      inputs.push_back(std::move(pages));
    }
    auto saved = store->SaveAccounts(kTenant, *handle, accounts);
    if (!saved) return Fail("SaveAccounts: " + saved.error().ToString());
    for (size_t k = 0; k < accounts.size(); ++k) accounts[k].id = (*saved)[k];  // the store's keyed ids

    for (size_t k = 0; k < accounts.size(); ++k) {
      const size_t ai = first + k;
      const AccountPages& in = inputs[k];
      expected.account_index.emplace(accounts[k].id, static_cast<uint32_t>(ai));
      expected.customer_of.push_back(customer->handle);
      NormalizeOptions no;
      no.standard = Standard::kBerlinGroup;
      no.account_id = accounts[k].id;
      no.keep_raw_json = true;
      AccountCommit commit;
      commit.account = AccountRef{customer->handle, accounts[k].id};
      TransactionIdAssigner ids;
      for (const std::string& page : in.pages) {
        auto rows = NormalizeTransactions(page, no);
        if (!rows) return Fail("account " + std::to_string(ai) + ": NormalizeTransactions: " + rows.error().ToString());
        for (Transaction& t : *rows) {
          ids.Assign(t);
          Key key;
          key.account = static_cast<uint32_t>(ai);
          if (!ParseTxId(t.id, key.id)) return Fail("account " + std::to_string(ai) + ": unexpected id form");
          expected.keys.push_back(key);
          commit.added.push_back(FeedTransaction{std::move(t), std::nullopt});
        }
      }
      if (commit.added.size() != in.rows) {
        return Fail("account " + std::to_string(ai) + ": " + std::to_string(in.rows) + " rows generated, " +
                    std::to_string(commit.added.size()) + " normalized");
      }
      auto balances = NormalizeBalances(in.balances, no);
      if (!balances) return Fail("account " + std::to_string(ai) + ": NormalizeBalances: " + balances.error().ToString());
      commit.balances = std::move(*balances);
      commit.state.outcome = SyncOutcome::kOk;
      commit.state.last_attempt = DateTime{kNow, 0, 0};
      commit.state.last_success = DateTime{kNow, 0, 0};
      commit.state.pages = static_cast<int64_t>(in.pages.size());
      commit.state.fetched = static_cast<int64_t>(in.rows);
      if (auto seq = store->CommitAccountSync(commit); !seq) {
        return Fail("account " + std::to_string(ai) + ": CommitAccountSync: " + seq.error().ToString());
      }
      expected.pending += in.pending;
      expected.twins += in.twins;
      json_bytes += in.bytes;
    }
  }
  auto head = store->HeadSeq(kTenant);
  if (!head) return Fail("HeadSeq: " + head.error().ToString());
  if (static_cast<size_t>(*head) != opt.transactions || expected.keys.size() != opt.transactions) {
    return Fail("the store's head is " + std::to_string(*head) + " after committing " +
                std::to_string(expected.keys.size()) + " rows, expected " + std::to_string(opt.transactions));
  }
  std::sort(expected.keys.begin(), expected.keys.end());
  if (std::adjacent_find(expected.keys.begin(), expected.keys.end()) != expected.keys.end()) {
    return Fail("two committed rows of one account share an id");
  }
  expected.json_mb = static_cast<double>(json_bytes) / 1e6;
  return true;  // the store closes here, before the daemon opens it
}

// --- 2. the daemon

std::string RandomToken() {
  std::random_device rd;
  std::string token;
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 64; ++i) token += kHex[rd() & 15];
  return token;
}

bool WriteFile(const fs::path& path, const std::string& text, mode_t mode) {
  {
    std::ofstream out(path, std::ios::trunc | std::ios::binary);
    out << text;
    if (!out.flush()) return Fail("cannot write " + path.string());
  }
  if (::chmod(path.c_str(), mode) != 0) return Fail("cannot chmod " + path.string());
  return true;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A /proc/<pid>/status field in kB ("VmRSS", "VmHWM"); -1 when unreadable.
long long ProcStatusKb(pid_t pid, std::string_view field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > field.size() && line.compare(0, field.size(), field) == 0 && line[field.size()] == ':') {
      return std::strtoll(line.c_str() + field.size() + 1, nullptr, 10);
    }
  }
  return -1;
}

// User + system CPU seconds of a process, from /proc/<pid>/stat; -1 when unreadable.
double ProcCpuSeconds(pid_t pid) {
  const std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  const size_t paren = stat.rfind(')');
  if (paren == std::string::npos) return -1;
  std::istringstream fields(stat.substr(paren + 2));
  std::string f;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i) {  // field 3 is the state; 14 utime, 15 stime
    if (i == 14) utime = std::strtoull(f.c_str(), nullptr, 10);
    if (i == 15) stime = std::strtoull(f.c_str(), nullptr, 10);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

double SelfCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double Mib(long long kb) { return static_cast<double>(kb) / 1024.0; }
double Mb(long long kb) { return static_cast<double>(kb) * 1024.0 / 1e6; }

// The child bankfeedd; SIGKILLed on the way out unless it was stopped.
class DaemonProcess {
 public:
  ~DaemonProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }

  bool Start(const std::string& exe, const fs::path& config, const fs::path& ready, const fs::path& log) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::vector<std::string> args{exe, "--config", config.string(), "--ready-file", ready.string()};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc = posix_spawn(&pid_, exe.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      pid_ = -1;
      return Fail("cannot start " + exe + ": " + std::strerror(rc));
    }
    return true;
  }

  // Waits for the ready file; false when the daemon exits first or it takes more than `timeout`.
  bool WaitReady(const fs::path& ready, const fs::path& log, std::chrono::seconds timeout, std::string& json) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return Fail("bankfeedd exited before it was ready (status " + std::to_string(status) + "):\n" + ReadFile(log));
      }
      std::error_code ec;
      if (fs::exists(ready, ec)) {
        json = ReadFile(ready);
        if (!json.empty() && json.back() == '\n') return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return Fail("bankfeedd was not ready within " + std::to_string(timeout.count()) + " s:\n" + ReadFile(log));
  }

  // SIGTERM, then waits up to `timeout`; true when it exited with status 0.
  bool Stop(std::chrono::seconds timeout, std::string& how) {
    if (pid_ <= 0) return false;
    ::kill(pid_, SIGTERM);
    const auto start = Clock::now();
    while (Since(start) < static_cast<double>(timeout.count())) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        char buf[96];
        if (WIFEXITED(status)) {
          std::snprintf(buf, sizeof buf, "exit status %d after %.2f s", WEXITSTATUS(status), Since(start));
        } else {
          std::snprintf(buf, sizeof buf, "killed by signal %d", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
        }
        how = buf;
        return WIFEXITED(status) && WEXITSTATUS(status) == 0;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    how = "still running " + std::to_string(timeout.count()) + " s after SIGTERM";
    return false;
  }

  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

// The integer after "key": in the ready file's flat JSON; -1 when absent.
long long JsonInt(const std::string& json, std::string_view key) {
  const std::string needle = "\"" + std::string(key) + "\":";
  const size_t at = json.find(needle);
  if (at == std::string::npos) return -1;
  return std::strtoll(json.c_str() + at + needle.size(), nullptr, 10);
}

// --- 3. the client

struct RunResult {
  size_t changes = 0, pages = 0;
  double seconds = 0, response_bytes = 0, daemon_cpu = 0, client_cpu = 0;
  std::vector<double> page_ms;
  std::vector<Key> seen;
};

bool PageThrough(const Options& opt, const std::string& socket, const std::string& token, pid_t daemon_pid,
                 const Expected& expected, RunResult& r) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);
  auto channel = grpc::CreateCustomChannel("unix:" + socket, grpc::InsecureChannelCredentials(), args);
  if (!channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10))) {
    return Fail("cannot connect to unix:" + socket);
  }
  auto stub = v1::Feed::NewStub(channel);
  const std::string bearer = "Bearer " + token;
  r.seen.reserve(opt.transactions);
  r.page_ms.reserve(opt.transactions / static_cast<size_t>(opt.page_size) + 2);

  v1::SyncRequest request;
  request.set_page_size(opt.page_size);
  request.set_include_raw_json(opt.raw_json);
  // Each page is parsed into an arena (a block allocated once, reset after the page): no malloc/free per string or
  // sub-message, as a client that cares about throughput does.
  std::vector<char> block(16u << 20);
  google::protobuf::ArenaOptions arena_options;
  arena_options.initial_block = block.data();
  arena_options.initial_block_size = block.size();
  google::protobuf::Arena arena(arena_options);
  std::string failure;
  const double daemon_cpu0 = ProcCpuSeconds(daemon_pid);
  const double client_cpu0 = SelfCpuSeconds();
  const auto start = Clock::now();
  for (;;) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", bearer);
    v1::SyncResponse& response = *google::protobuf::Arena::CreateMessage<v1::SyncResponse>(&arena);
    const auto t = Clock::now();
    const grpc::Status status = stub->Sync(&context, request, &response);
    r.page_ms.push_back(Since(t) * 1e3);
    if (!status.ok()) {
      return Fail("Feed.Sync (page " + std::to_string(r.pages + 1) + "): " + std::to_string(status.error_code()) +
                  " " + status.error_message());
    }
    ++r.pages;
    r.response_bytes += static_cast<double>(response.ByteSizeLong());
    for (const v1::Change& c : response.changes()) {
      Key key;
      const auto account = expected.account_index.find(c.account_id());
      if (c.kind() != v1::CHANGE_KIND_ADDED || !c.has_transaction() || c.transaction().id() != c.transaction_id() ||
          !ParseTxId(c.transaction_id(), key.id) || account == expected.account_index.end() ||
          expected.customer_of[account->second] != c.customer_id() || c.transaction().account_id() != c.account_id() ||
          c.transaction().amount().amount().empty() || (opt.raw_json && c.transaction().raw_json().empty())) {
        if (failure.empty()) failure = "change at sequence " + std::to_string(c.sequence()) + " is not as committed";
        continue;
      }
      key.account = account->second;
      r.seen.push_back(key);
    }
    r.changes += static_cast<size_t>(response.changes_size());
    if (!response.has_more()) break;
    request.set_cursor(response.next_cursor());
    arena.Reset();
  }
  r.seconds = Since(start);
  r.client_cpu = SelfCpuSeconds() - client_cpu0;
  r.daemon_cpu = ProcCpuSeconds(daemon_pid) - daemon_cpu0;
  if (!failure.empty()) return Fail(failure);
  return true;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5));
  return v[i];
}

int Main(int argc, char** argv) {
  Options opt;
  if (!ParseArgs(argc, argv, opt)) {
    std::fprintf(stderr,
                 "usage: %s [--transactions N] [--accounts N] [--page-size N] [--raw-json] [--settle-ms MS] "
                 "[--seed N] [--dir PATH] [--keep] [--enforce-bars] [--bankfeedd PATH]\n"
                 "  defaults: --transactions 1000000 --accounts 1000 --page-size 1000 --settle-ms 500; --dir: a new "
                 "directory under the temp dir\n",
                 argv[0]);
    return 2;
  }
  const fs::path base = opt.dir.empty() ? fs::temp_directory_path() : fs::path(opt.dir);
  const fs::path dir = fs::absolute(base / ("bankfeed-daemon-bench-" + std::to_string(::getpid())));
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    Fail("cannot create " + dir.string() + ": " + ec.message());
    return 1;
  }
  ::chmod(dir.c_str(), 0700);
  struct Cleanup {
    fs::path dir;
    bool keep;
    ~Cleanup() {
      std::error_code ignored;
      if (!keep) fs::remove_all(dir, ignored);
    }
  } cleanup{dir, opt.keep};

  std::printf("bankfeed_bench_daemon: Feed.Sync over bankfeedd's Unix socket, %zu transactions, %d per page%s\n",
              opt.transactions, opt.page_size, opt.raw_json ? ", include_raw_json" : "");
  std::printf("  bankfeedd: %s\n  work dir: %s%s; load average %s\n", opt.bankfeedd.c_str(), dir.string().c_str(),
              opt.keep ? " (kept)" : "", LoadAverage().c_str());
  std::fflush(stdout);

  // 1. Fill.
  Expected expected;
  const auto fill_start = Clock::now();
  if (!FillStore(opt, dir / "feed.db", dir / "at-rest.keys", expected)) return 1;
  const double fill_seconds = Since(fill_start);
  std::uintmax_t db_bytes = 0;
  for (const char* f : {"feed.db", "feed.db-wal"}) {
    std::error_code size_ec;
    const auto size = fs::file_size(dir / f, size_ec);
    if (!size_ec) db_bytes += size;
  }
  std::printf("fill (not measured): %zu transactions (%zu pending, %zu twin pairs) over %zu accounts of %zu customers, "
              "tenant '%s'; %.1f MB of Berlin Group JSON normalized and committed (one CommitAccountSync per account) "
              "in %.1f s; store %.1f MB\n",
              opt.transactions, expected.pending, expected.twins, opt.accounts, expected.customers, kTenant,
              expected.json_mb, fill_seconds, static_cast<double>(db_bytes) / 1e6);
  std::fflush(stdout);

  // 2. Config and daemon.
  const std::string token = RandomToken();
  const fs::path socket = dir / "bankfeedd.sock";
  std::string yaml;
  yaml += "# bankfeed_bench_daemon: the tpp files are never opened on the feed path\n";
  yaml += "tpp:\n";
  yaml += "  qwac: {certificate_file: " + (dir / "unused-qwac.pem").string() + ", key_file: " +
          (dir / "unused-qwac.key").string() + "}\n";
  yaml += "  qseal: {certificate_file: " + (dir / "unused-qseal.pem").string() + ", key_file: " +
          (dir / "unused-qseal.key").string() + "}\n";
  yaml += "  redirect_uri: https://tpp.example/callback\n";
  yaml += "profiles_dir: " + (dir / "profiles").string() + "\n";
  yaml += "store:\n  path: " + (dir / "feed.db").string() + "\n  key_file: " + (dir / "at-rest.keys").string() + "\n";
  yaml += "daemon:\n  unix_socket: " + socket.string() + "\n";
  yaml += "  tenants:\n    - id: " + std::string(kTenant) + "\n      token_sha256: [" + daemon::HashTokenHex(token) + "]\n";
  yaml += "  scheduler: {enabled: false}\n  log: {level: warn}\n";
  const fs::path config = dir / "bankfeed.yaml";
  if (!WriteFile(config, yaml, 0600)) return 1;
  fs::create_directories(dir / "profiles", ec);

  DaemonProcess daemon;
  const fs::path ready = dir / "bankfeedd.ready";
  const fs::path log = dir / "bankfeedd.log";
  const auto start_at = Clock::now();
  if (!daemon.Start(opt.bankfeedd, config, ready, log)) return 1;
  std::string ready_json;
  if (!daemon.WaitReady(ready, log, std::chrono::seconds(60), ready_json)) return 1;
  const double start_seconds = Since(start_at);
  if (JsonInt(ready_json, "pid") != daemon.pid()) {
    Fail("the ready file's pid is not the child's: " + ready_json);
    return 1;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(opt.settle_ms));
  const long long idle_kb = ProcStatusKb(daemon.pid(), "VmRSS");
  const long long idle_hwm_kb = ProcStatusKb(daemon.pid(), "VmHWM");
  std::printf("daemon: pid %d, ready in %.2f s; idle RSS %.1f MiB (%.1f MB), VmHWM so far %.1f MiB\n", daemon.pid(),
              start_seconds, Mib(idle_kb), Mb(idle_kb), Mib(idle_hwm_kb));
  std::fflush(stdout);

  // 3. The measured run.
  RunResult run;
  const bool paged = PageThrough(opt, socket.string(), token, daemon.pid(), expected, run);
  const long long after_kb = ProcStatusKb(daemon.pid(), "VmRSS");
  const long long peak_kb = ProcStatusKb(daemon.pid(), "VmHWM");

  // 4. Checks, stop, figures.
  bool ok = paged;
  std::string check;
  if (paged) {
    std::sort(run.seen.begin(), run.seen.end());
    if (run.changes != opt.transactions) {
      ok = Fail("the feed gave " + std::to_string(run.changes) + " changes, expected " +
                std::to_string(opt.transactions));
    } else if (std::adjacent_find(run.seen.begin(), run.seen.end()) != run.seen.end()) {
      ok = Fail("a transaction id was served twice");
    } else if (run.seen != expected.keys) {
      ok = Fail("the transaction ids served are not the ones committed");
    } else {
      check = "every committed transaction id served exactly once, on its account and customer";
    }
  }
  std::string how;
  const bool stopped = daemon.Stop(std::chrono::seconds(30), how);
  if (!stopped) ok = Fail("bankfeedd on SIGTERM: " + how + "\n" + ReadFile(log));
  if (!paged) return 1;

  const double tps = static_cast<double>(run.changes) / run.seconds;
  const double peak_bytes = static_cast<double>(peak_kb) * 1024.0;
  std::printf("transactions: %zu\n", run.changes);
  std::printf("pages: %zu (page_size %d)\n", run.pages, opt.page_size);
  std::printf("seconds: %.3f\n", run.seconds);
  std::printf("transactions/s: %.0f\n", tps);
  std::printf("response bytes: %.1f MB (%.0f bytes per transaction), %.1f MB/s\n", run.response_bytes / 1e6,
              run.response_bytes / static_cast<double>(run.changes), run.response_bytes / 1e6 / run.seconds);
  std::printf("page latency (client, ms): p50 %.2f, p90 %.2f, p99 %.2f, max %.2f\n", Percentile(run.page_ms, 0.5),
              Percentile(run.page_ms, 0.9), Percentile(run.page_ms, 0.99), Percentile(run.page_ms, 1.0));
  std::printf("CPU over the run: daemon %.2f s (%.0f%% of one core), client %.2f s (%.0f%%); load average %s\n",
              run.daemon_cpu, 100.0 * run.daemon_cpu / run.seconds, run.client_cpu,
              100.0 * run.client_cpu / run.seconds, LoadAverage().c_str());
  std::printf("daemon idle RSS: %.1f MiB (%.1f MB)\n", Mib(idle_kb), Mb(idle_kb));
  std::printf("daemon peak RSS (VmHWM): %.1f MiB (%.1f MB); RSS after the run %.1f MiB\n", Mib(peak_kb), Mb(peak_kb),
              Mib(after_kb));
  std::printf("daemon stop: SIGTERM, %s\n", how.c_str());
  if (!check.empty()) std::printf("check: ok (%s)\n", check.c_str());
  const bool tps_ok = tps >= kBarTxPerSecond;
  const bool rss_ok = peak_kb > 0 && peak_bytes < kBarPeakRssBytes;
  std::printf("%s: throughput %.0f tx/s (bar >= %.0f)\n", tps_ok ? "PASS" : "FAIL", tps, kBarTxPerSecond);
  std::printf("%s: daemon peak RSS %.1f MB (bar < %.0f MB)\n", rss_ok ? "PASS" : "FAIL", peak_bytes / 1e6,
              kBarPeakRssBytes / 1e6);
  std::printf("RESULT transactions=%zu tx_per_s=%.0f peak_rss_mb=%.1f idle_rss_mb=%.1f checks=%s\n", run.changes, tps,
              peak_bytes / 1e6, Mb(idle_kb), ok ? "ok" : "failed");
  if (!ok) return 1;
  if (opt.enforce_bars && !(tps_ok && rss_ok)) return 1;
  return 0;
}

}  // namespace
}  // namespace bankfeed::bench

int main(int argc, char** argv) { return bankfeed::bench::Main(argc, argv); }
