// `bankfeed sync`, `feed` and `forget` as a user runs them, against a sandbox bank: the feed in both formats, bad
// cursors, no personal data or token in the database files, and erasure that leaves no row and no byte behind.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <sstream>

#include "bankfeed/store.hpp"
#include "integration/cli_workspace.hpp"
#include "integration/sandbox_fixture.hpp"
#include "integration/sim_scenario.hpp"
#include "tools/sandbox/clock.hpp"

namespace bankfeed::testing {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The database and the files SQLite keeps beside it.
std::string DatabaseBytes(const std::string& dir) {
  std::string all;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) all += ReadFileText(dir + "/feed.db" + suffix);
  return all;
}

// Every BLOB of every table but the store's own bookkeeping (meta: its id and key check), read with a plain SQLite
// connection.
std::vector<std::string> AllBlobs(const std::string& db_path) {
  std::vector<std::string> blobs;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  std::vector<std::string> tables;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'meta'", -1, &st, nullptr);
  while (sqlite3_step(st) == SQLITE_ROW) tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  for (const std::string& t : tables) {
    sqlite3_prepare_v2(db, ("SELECT * FROM \"" + t + "\"").c_str(), -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        if (sqlite3_column_type(st, c) != SQLITE_BLOB) continue;
        blobs.emplace_back(static_cast<const char*>(sqlite3_column_blob(st, c)), sqlite3_column_bytes(st, c));
      }
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return blobs;
}

// Rows per table, except the store's own bookkeeping (meta, sequences).
std::map<std::string, int64_t> RowCounts(const std::string& db_path) {
  std::map<std::string, int64_t> counts;
  sqlite3* db = nullptr;
  sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  std::vector<std::string> tables;
  sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", -1, &st,
                     nullptr);
  while (sqlite3_step(st) == SQLITE_ROW) tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  for (const std::string& t : tables) {
    sqlite3_prepare_v2(db, ("SELECT COUNT(*) FROM \"" + t + "\"").c_str(), -1, &st, nullptr);
    if (sqlite3_step(st) == SQLITE_ROW) counts[t] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return counts;
}

class CliSync : public SandboxTest {
 protected:
  // A five-day simulation bank, its clock on the last day, and a CLI workspace against it.
  std::unique_ptr<CliWorkspace> SmallBank(const std::string& name) {
    SimulationSpec spec;
    spec.days = 5;
    StartBank(SimulationScenario(spec));
    bank().clock().Set(Date{spec.first.days_since_epoch + spec.days - 1});
    return std::make_unique<CliWorkspace>(name, pki_, bank().BaseUrl(), "");
  }
};

TEST_F(CliSync, SyncFeedAndForgetAsAUserRunsThem) {
  SimulationSpec spec;
  spec.days = 20;
  spec.frequency_per_day = 20;
  const std::string yaml = SimulationScenario(spec);
  auto scenario = sandbox::ParseScenario(yaml, "sim.yaml", "berlin-group");
  ASSERT_TRUE(scenario);
  StartBank(yaml);
  const Date today{spec.first.days_since_epoch + spec.days - 1};
  bank().clock().Set(today);
  CliWorkspace cli("cli-sync", pki_, bank().BaseUrl(), "");

  ConsentGrant grant;
  {
    auto store = cli.OpenStore();
    ASSERT_TRUE(store);
    auto customer = store->EnsureCustomer("default", "psu-1");
    ASSERT_TRUE(customer);
    auto connector = Connect(Profile(), [today] {
      return std::chrono::system_clock::time_point(std::chrono::seconds(int64_t{today.days_since_epoch} * 86400 + 43200));
    });
    grant = Consent(*connector, ScaApproach::kRedirect, spec.frequency_per_day);
    ASSERT_TRUE(store->SaveConsent({"default", "", customer->handle, "test-bank", grant}));
  }

  const CliResult sync = cli.Run({"sync", "--today", today.ToString()});
  ASSERT_EQ(sync.exit_code, 0) << sync.out << sync.err;
  EXPECT_NE(sync.out.find(": ok +"), std::string::npos) << sync.out;

  // A bank without a reconfirmation rule does not authorise a consent again: starting over would replace the
  // consent at the bank, so `consent reauth` refuses and leaves the valid consent as it is.
  {
    auto store = cli.OpenStore();
    ASSERT_TRUE(store);
    auto consents = store->ListConsents("default");
    ASSERT_TRUE(consents && consents->size() == 1u);
    const CliResult reauth = cli.Run({"consent", "reauth", "--consent", consents->front().handle});
    EXPECT_EQ(reauth.exit_code, 2) << reauth.out << reauth.err;
    EXPECT_NE(reauth.err.find("no reconfirmation rule"), std::string::npos) << reauth.err;
    auto after = store->LoadConsent("default", consents->front().handle);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->grant.consent_id, grant.consent_id);
    EXPECT_EQ(after->grant.status, ConsentStatus::kValid);
  }

  // JSON Lines: one line per current transaction, then the cursor.
  const TruthKeys truth = TruthAt(*scenario, today);
  const CliResult jsonl = cli.Run({"feed", "--all", "--limit", "37"});
  ASSERT_EQ(jsonl.exit_code, 0) << jsonl.err;
  const auto lines = Lines(jsonl.out);
  ASSERT_EQ(lines.size(), truth.size() + 1);
  EXPECT_EQ(lines.front().rfind("{\"seq\":1,\"change\":\"added\",", 0), 0u) << lines.front();
  ASSERT_EQ(lines.back().rfind("{\"next_cursor\":\"bfc1", 0), 0u) << lines.back();
  EXPECT_NE(lines.back().find("\"has_more\":false"), std::string::npos);
  const std::string cursor = lines.back().substr(16, lines.back().find('"', 16) - 16);

  const CliResult csv = cli.Run({"feed", "--all", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  const auto rows = Lines(csv.out);
  ASSERT_EQ(rows.size(), truth.size() + 1);
  EXPECT_EQ(rows.front().rfind("seq,change,customer,account_id,transaction_id,pending_transaction_id,status", 0), 0u);
  EXPECT_NE(csv.err.find("next_cursor: " + cursor), std::string::npos) << csv.err;

  const CliResult nothing_new = cli.Run({"feed", "--cursor", cursor});
  ASSERT_EQ(nothing_new.exit_code, 0);
  EXPECT_EQ(Lines(nothing_new.out).size(), 1u);
  const CliResult bad = cli.Run({"feed", "--cursor", "bfc1" + std::string(56, '0')});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err, "invalid_argument: cursor: not a cursor of this feed\n");
  EXPECT_TRUE(bad.out.empty());

  // At rest: no IBAN, name, remittance text, PSU id or token of the scenario in any database file.
  std::vector<std::string> secrets = {"psu-1", grant.consent_id};
  if (!grant.access_token.empty()) secrets.push_back(grant.access_token);
  for (const auto& psu : scenario->psus) {
    for (const auto& account : psu.accounts) {
      secrets.push_back(account.iban);
      for (const auto& t : account.transactions) {
        secrets.push_back(t.remittance);
        if (t.counterparty) secrets.push_back(t.counterparty->name), secrets.push_back(t.counterparty->iban);
      }
    }
  }
  std::erase_if(secrets, [](const std::string& s) { return s.size() < 5; });
  std::sort(secrets.begin(), secrets.end());
  secrets.erase(std::unique(secrets.begin(), secrets.end()), secrets.end());
  ASSERT_GT(secrets.size(), 50u);
  const std::string bytes = DatabaseBytes(cli.dir());
  ASSERT_GT(bytes.size(), 10'000u);
  for (const std::string& s : secrets) EXPECT_EQ(bytes.find(s), std::string::npos) << "found in the database files: " << s;

  // Forget: revoked at the bank, then every row and every byte of the customer gone.
  const std::vector<std::string> blobs = AllBlobs(cli.dir() + "/feed.db");
  ASSERT_GT(blobs.size(), truth.size());
  const CliResult forget = cli.Run({"forget", "--psu", "psu-1"});
  ASSERT_EQ(forget.exit_code, 0) << forget.out << forget.err;
  EXPECT_NE(forget.out.find(": revoked"), std::string::npos) << forget.out;
  for (const auto& [table, count] : RowCounts(cli.dir() + "/feed.db")) {
    if (table == "meta" || table == "sequences") continue;  // the store's id and key check; per-tenant positions
    EXPECT_EQ(count, 0) << table;
  }
  const std::string after = DatabaseBytes(cli.dir());
  size_t left = 0;
  for (const std::string& blob : blobs) {
    if (blob.size() >= 16 && after.find(blob.substr(0, 16)) != std::string::npos) ++left;
  }
  EXPECT_EQ(left, 0u) << "of " << blobs.size() << " sealed values";
  auto connector = Connect(Profile());
  auto consent = connector->GetConsent(grant);
  if (consent) {
    EXPECT_NE(consent->status, ConsentStatus::kValid);
  } else {
    EXPECT_TRUE(consent.error().code == ErrorCode::kConsentInvalid || consent.error().code == ErrorCode::kConsentExpired)
        << consent.error().ToString();
  }
  const CliResult again = cli.Run({"forget", "--psu", "psu-1"});
  EXPECT_EQ(again.exit_code, 66) << again.err;  // no such customer any more
}

// A consent the bank refuses (a PSU it does not know) stores nothing about that customer: no row in any table, and
// `forget` finds nobody. A consent it accepts stores the customer with it.
TEST_F(CliSync, ARefusedConsentStartStoresNothingAboutTheCustomer) {
  const std::unique_ptr<CliWorkspace> workspace = SmallBank("cli-refused");
  const CliWorkspace& cli = *workspace;
  const std::vector<std::string> start = {"consent", "start", "--bank", "test-bank", "--valid-until", "2025-12-31"};
  std::vector<std::string> stranger = start;
  stranger.insert(stranger.end(), {"--psu", "psu-stranger"});
  const CliResult refused = cli.Run(stranger);
  EXPECT_NE(refused.exit_code, 0) << refused.out << refused.err;
  EXPECT_EQ(refused.err.find("psu-stranger"), std::string::npos) << refused.err;
  const std::map<std::string, int64_t> after_refusal = RowCounts(cli.dir() + "/feed.db");
  ASSERT_TRUE(after_refusal.contains("customers"));  // the store was opened (and migrated) before the bank was asked
  for (const auto& [table, count] : after_refusal) {
    if (table == "meta" || table == "sequences") continue;  // the store's id and key check; per-tenant positions
    EXPECT_EQ(count, 0) << table;
  }
  EXPECT_EQ(cli.Run({"forget", "--psu", "psu-stranger"}).exit_code, 66);  // no such customer

  std::vector<std::string> known = start;
  known.insert(known.end(), {"--psu", "psu-1"});
  const CliResult accepted = cli.Run(known);
  ASSERT_EQ(accepted.exit_code, 0) << accepted.out << accepted.err;
  const std::map<std::string, int64_t> counts = RowCounts(cli.dir() + "/feed.db");
  EXPECT_EQ(counts.at("customers"), 1);
  EXPECT_EQ(counts.at("consents"), 1);
}

// A consent another process holds (here: a lease through another Store, as bankfeedd's sync takes one) is not
// touched by a CLI consent command or by forget: they say the consent is busy and exit with 69 (unavailable: try
// again).
TEST_F(CliSync, ConsentCommandsAndForgetLeaveAConsentAnotherProcessHoldsAlone) {
  const std::unique_ptr<CliWorkspace> workspace = SmallBank("cli-held");
  const CliWorkspace& cli = *workspace;
  const CliResult started =
      cli.Run({"consent", "start", "--bank", "test-bank", "--valid-until", "2025-12-31", "--psu", "psu-1"});
  ASSERT_EQ(started.exit_code, 0) << started.out << started.err;
  auto store = cli.OpenStore();
  ASSERT_TRUE(store);
  auto consents = store->ListConsents("default");
  ASSERT_TRUE(consents && consents->size() == 1u);
  const std::string handle = consents->front().handle;
  auto lease = store->TryLeaseConsent("default", handle);
  ASSERT_TRUE(lease && *lease);
  const CliResult busy = cli.Run({"consent", "status", "--consent", handle});
  EXPECT_EQ(busy.exit_code, 69) << busy.out << busy.err;
  EXPECT_NE(busy.err.find("busy"), std::string::npos) << busy.err;
  // forget waits for the holder, then gives up with nothing revoked or deleted.
  const CliResult held_forget = cli.Run({"forget", "--psu", "psu-1", "--wait", "0.2"});
  EXPECT_EQ(held_forget.exit_code, 69) << held_forget.out << held_forget.err;
  EXPECT_NE(held_forget.err.find("nothing revoked or deleted"), std::string::npos) << held_forget.err;
  EXPECT_TRUE(store->LoadConsent("default", handle));
  lease->reset();
  const CliResult free = cli.Run({"consent", "status", "--consent", handle});
  EXPECT_EQ(free.exit_code, 0) << free.out << free.err;
  const CliResult forget = cli.Run({"forget", "--psu", "psu-1"});
  EXPECT_EQ(forget.exit_code, 0) << forget.out << forget.err;
  EXPECT_NE(forget.out.find(": revoked"), std::string::npos) << forget.out;
}

// --psu-ip claims the customer is present (their reads are not counted against the quota): only a literal IPv4 or
// IPv6 address is taken, on every command that has it, and the usage error names the option without echoing it.
TEST_F(CliSync, EveryPsuIpOptionTakesOnlyALiteralAddress) {
  auto cli = SmallBank("cli-psu-ip");
  const std::vector<std::vector<std::string>> commands = {
      {"sync"},
      {"fetch", "--consent", "cg_000000000000000000000000"},
      {"consent", "start", "--bank", "test-bank", "--psu", "psu-1"},
      {"consent", "complete", "--consent", "cg_000000000000000000000000", "--callback", "https://tpp.example/cb"}};
  for (const std::vector<std::string>& command : commands) {
    for (const char* bad : {"made-up-ip", "192.0.2.10 ", "192.0.2.10:443", "[2001:db8::1]", "fe80::1%eth0",
                                  "999.0.2.10", "192.0.2.10\r\nX-Injected: 1"}) {
      std::vector<std::string> args = command;
      args.insert(args.end(), {"--psu-ip", bad});
      const CliResult r = cli->Run(args);
      EXPECT_EQ(r.exit_code, 2) << command[0] << " " << bad << ": " << r.err;
      EXPECT_NE(r.err.find("--psu-ip: expected an IPv4 or IPv6 address"), std::string::npos) << r.err;
      EXPECT_EQ(r.err.find(bad), std::string::npos) << r.err;
      EXPECT_EQ(r.out, "");
    }
  }
  // A literal address of either family passes the option (the sync then runs: no consent, nothing to do).
  EXPECT_EQ(cli->Run({"sync", "--psu-ip", "2001:db8::10"}).exit_code, 0);
  EXPECT_EQ(cli->Run({"sync", "--psu-ip", "192.0.2.10"}).exit_code, 0);
}

}  // namespace
}  // namespace bankfeed::testing
