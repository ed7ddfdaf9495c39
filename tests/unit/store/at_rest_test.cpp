// The SQLite store on disk: no personal field or secret in clear in the database, its WAL or its shared-memory
// index (checkpointed or not), and ForgetCustomer leaves neither rows nor bytes of the customer.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "store_test_util.hpp"

namespace bankfeed::store {
namespace {

using testing::AllFileBytes;
using testing::D;
using testing::RawDb;
using testing::StoreTest;
using testing::Tx;
using testing::TxId;

// Distinctive plaintexts: each must never appear in any file.
const std::vector<std::string>& Secrets() {
  static const std::vector<std::string> kSecrets = {
      "PSU-SECRET-ID-8841",     "GB33BUKB20201555555555",
      "DE44500105175407324931", "Maximiliane Plaintextova",
      "Urlaubskasse Geheim",    "Rechnung Zahnarzt Dr Geheimnis",
      "Kreditor Sichtbarkeit",  "FR1420041010050500013M02606",
      "ACCESS-TOKEN-7e1d0c9b",  "REFRESH-TOKEN-55aa77cc",
      "BANK-CONSENT-ID-31337",  "PKCE-VERIFIER-0badc0de",
      "Debitorin Unsichtbar",   "E2E-REF-PLAIN-42",
      "RF18539007547034PLAIN",
  };
  return kSecrets;
}

void ExpectNoSecretIn(const std::string& bytes, const std::string& where) {
  ASSERT_FALSE(bytes.empty()) << where;
  for (const std::string& s : Secrets()) EXPECT_EQ(bytes.find(s), std::string::npos) << s << " found in " << where;
}

class StoreAtRest : public StoreTest {
 protected:
  // A customer with everything: consent with tokens, account, balances, transactions (one removed, one modified).
  AccountRef Populate(Store& store, std::string_view tenant, std::string_view psu, uint64_t account_n,
                      std::string_view tag) {
    auto customer = store.EnsureCustomer(tenant, psu);
    EXPECT_TRUE(customer.has_value());
    if (!customer) return {};
    ConsentRecord consent;
    consent.tenant = std::string(tenant);
    consent.customer_handle = customer->handle;
    consent.bank_id = "sandbox-alpha";
    consent.grant.bank_id = "sandbox-alpha";
    consent.grant.psu_id = std::string(psu);
    consent.grant.consent_id = "BANK-CONSENT-ID-31337" + std::string(tag);
    consent.grant.access_token = "ACCESS-TOKEN-7e1d0c9b" + std::string(tag);
    consent.grant.refresh_token = "REFRESH-TOKEN-55aa77cc" + std::string(tag);
    consent.grant.pkce_verifier = "PKCE-VERIFIER-0badc0de" + std::string(tag);
    consent.grant.request.ibans = {"GB33BUKB20201555555555"};
    auto handle = store.SaveConsent(consent);
    EXPECT_TRUE(handle.has_value());
    if (!handle) return {};
    Account account = testing::SampleAccount(account_n, "DE44500105175407324931", "Maximiliane Plaintextova");
    account.name = "Urlaubskasse Geheim";
    auto ids = store.SaveAccounts(tenant, *handle, {account});
    EXPECT_TRUE(ids.has_value());
    if (!ids) return {};
    const AccountRef ref{customer->handle, ids->front()};

    std::vector<FeedTransaction> added;
    for (uint64_t n = 1; n <= 30; ++n) {
      FeedTransaction f = Tx(account_n * 1000 + n, D(2025, 1, 1 + static_cast<unsigned>(n % 28)));
      Transaction& t = f.transaction;
      t.remittance = "Rechnung Zahnarzt Dr Geheimnis " + std::to_string(n);
      t.creditor.emplace();
      t.creditor->name = "Kreditor Sichtbarkeit";
      t.creditor->iban = "FR1420041010050500013M02606";
      t.debtor.emplace();
      t.debtor->name = "Debitorin Unsichtbar";
      t.end_to_end_id = "E2E-REF-PLAIN-42";
      t.remittance_reference = "RF18539007547034PLAIN";
      t.raw_json = R"({"remittanceInformationUnstructured":"Rechnung Zahnarzt Dr Geheimnis","creditorAccount":)"
                   R"({"iban":"FR1420041010050500013M02606"},"padding":")" +
                   std::string(600, 'p') + "\"}";
      added.push_back(std::move(f));
    }
    AccountCommit commit;
    commit.account = ref;
    commit.added = std::move(added);
    Balance balance = testing::SampleBalance("CLBD", "98765.43");
    balance.account_id = "DE44500105175407324931";
    commit.balances = std::vector<Balance>{balance, testing::SampleBalance("ITAV", "1")};
    EXPECT_TRUE(store.CommitAccountSync(commit).has_value());
    AccountCommit second;
    second.account = ref;
    second.modified = {Tx(account_n * 1000 + 1, D(2025, 1, 2), " Rechnung Zahnarzt Dr Geheimnis")};
    second.removed = {TxId(account_n * 1000 + 2)};
    EXPECT_TRUE(store.CommitAccountSync(second).has_value());
    return ref;
  }
};

TEST_F(StoreAtRest, NoPlaintextInTheDatabaseTheWalOrTheShm) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  Populate(*store, "t1", "PSU-SECRET-ID-8841", 1, "");
  // The WAL holds the writes, not yet checkpointed into the database.
  ASSERT_TRUE(std::filesystem::exists(db_path_ + "-wal"));
  ASSERT_GT(std::filesystem::file_size(db_path_ + "-wal"), 0u);
  ExpectNoSecretIn(testing::ReadAll(db_path_ + "-wal"), "the WAL");
  ExpectNoSecretIn(AllFileBytes(db_path_), "db + wal + shm, before a checkpoint");
  {
    RawDb raw(db_path_);
    ASSERT_EQ(raw.Exec("PRAGMA wal_checkpoint(FULL)"), SQLITE_OK);
  }
  ExpectNoSecretIn(AllFileBytes(db_path_), "db + wal + shm, after a checkpoint");
  // Sanity: the data is there and readable through the store.
  auto feed = store->ReadFeed("t1", 0, 100);
  ASSERT_TRUE(feed.has_value());
  ASSERT_EQ(feed->entries.size(), 30u);
  EXPECT_NE(feed->entries[0].transaction->transaction.raw_json.find("FR1420041010050500013M02606"), std::string::npos);
  store.reset();
  ExpectNoSecretIn(AllFileBytes(db_path_), "the closed database");
  // And the scan would have seen a plaintext: the same text written raw is found.
  {
    RawDb raw(db_path_);
    ASSERT_EQ(raw.Exec("CREATE TABLE canary (x TEXT); INSERT INTO canary VALUES ('Kreditor Sichtbarkeit')"), SQLITE_OK);
  }
  EXPECT_NE(AllFileBytes(db_path_).find("Kreditor Sichtbarkeit"), std::string::npos) << "the scan works";
}

// Every blob and text value of the customer's rows, read raw before the erasure.
struct Traces {
  std::vector<std::string> blobs;  // envelopes and lookups
  int64_t customer_row = 0;
  std::vector<std::string> account_rows;
};

Traces TracesOf(const std::string& db_path, const std::string& handle) {
  Traces t;
  RawDb raw(db_path);
  const auto customer = raw.Query("SELECT id, psu_lookup, psu_enc FROM customers WHERE handle = '" + handle + "'");
  EXPECT_EQ(customer.size(), 1u);
  if (customer.empty()) return t;
  t.customer_row = std::stoll(customer[0][0]);
  t.blobs = {customer[0][1], customer[0][2]};
  const std::string id = customer[0][0];
  for (const auto& r : raw.Query("SELECT grant_enc FROM consents WHERE customer_id = " + id)) t.blobs.push_back(r[0]);
  for (const auto& r : raw.Query("SELECT id, account_enc FROM accounts WHERE customer_id = " + id)) {
    t.account_rows.push_back(r[0]);
    t.blobs.push_back(r[1]);
    for (const auto& b : raw.Query("SELECT balance_enc FROM balances WHERE account_id = " + r[0])) {
      t.blobs.push_back(b[0]);
    }
    for (const auto& x : raw.Query("SELECT record_enc FROM transactions WHERE account_id = " + r[0])) {
      t.blobs.push_back(x[0]);
    }
  }
  return t;
}

TEST_F(StoreAtRest, ForgetCustomerLeavesNoRowsAndNoBytes) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const AccountRef gone = Populate(*store, "t1", "PSU-SECRET-ID-8841", 1, "-a");
  const AccountRef kept = Populate(*store, "t1", "psu-kept", 2, "-b");
  const int64_t head = *store->HeadSeq("t1");
  const Traces a = TracesOf(db_path_, gone.customer_handle);
  const Traces b = TracesOf(db_path_, kept.customer_handle);
  ASSERT_EQ(a.blobs.size(), 2u + 1u + 1u + 2u + 29u);
  for (const std::string& blob : a.blobs) ASSERT_GE(blob.size(), 28u);
  ASSERT_NE(AllFileBytes(db_path_).find(a.blobs.back()), std::string::npos) << "the scan sees a stored envelope";

  auto report = store->ForgetCustomer("t1", gone.customer_handle);
  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  EXPECT_EQ(report->customers, 1);
  EXPECT_EQ(report->consents, 1);
  EXPECT_EQ(report->accounts, 1);
  EXPECT_EQ(report->balances, 2);
  EXPECT_EQ(report->transactions, 29);
  EXPECT_EQ(report->changes, 30) << "29 rows and one removal";

  const auto scan = [&](const std::string& when) {
    const std::string bytes = AllFileBytes(db_path_);
    for (size_t i = 0; i < a.blobs.size(); ++i) {
      EXPECT_EQ(bytes.find(a.blobs[i]), std::string::npos) << "blob " << i << " of the forgotten customer, " << when;
    }
    EXPECT_EQ(bytes.find(gone.customer_handle), std::string::npos) << when;
  };
  scan("with the store open");

  {
    RawDb raw(db_path_);
    // Every table, every row, every column: nothing of the forgotten customer.
    const auto tables = raw.Query("SELECT name FROM sqlite_master WHERE type = 'table'");
    ASSERT_GE(tables.size(), 8u);
    const std::set<std::string> a_blobs(a.blobs.begin(), a.blobs.end());
    for (const auto& table : tables) {
      for (const auto& row : raw.Query("SELECT * FROM \"" + table[0] + "\"")) {
        for (const std::string& value : row) {
          EXPECT_EQ(a_blobs.count(value), 0u) << table[0];
          EXPECT_EQ(value.find(gone.customer_handle), std::string::npos) << table[0];
        }
      }
    }
    const std::string id = std::to_string(a.customer_row);
    EXPECT_EQ(raw.Query("SELECT count(*) FROM customers WHERE id = " + id)[0][0], "0");
    EXPECT_EQ(raw.Query("SELECT count(*) FROM consents WHERE customer_id = " + id)[0][0], "0");
    EXPECT_EQ(raw.Query("SELECT count(*) FROM accounts WHERE customer_id = " + id)[0][0], "0");
    for (const std::string& row : a.account_rows) {
      for (const char* table : {"transactions", "removals", "balances"}) {
        EXPECT_EQ(raw.Query(std::string("SELECT count(*) FROM ") + table + " WHERE account_id = " + row)[0][0], "0")
            << table;
      }
    }
    // The other customer's rows are all there, byte for byte.
    const Traces b_after = TracesOf(db_path_, kept.customer_handle);
    EXPECT_EQ(b_after.blobs, b.blobs);
    EXPECT_EQ(raw.Query("PRAGMA integrity_check")[0][0], "ok");
  }

  // The other customer is intact through the API, and sequence numbers go on from the old head.
  auto customer = store->FindCustomer("t1", "psu-kept");
  ASSERT_TRUE(customer.has_value());
  EXPECT_EQ(store->FindCustomer("t1", "PSU-SECRET-ID-8841").error().code, ErrorCode::kNotFound);
  auto feed = store->ReadFeed("t1", 0, 1000);
  ASSERT_TRUE(feed.has_value());
  EXPECT_EQ(feed->entries.size(), 30u);
  for (const auto& e : feed->entries) EXPECT_EQ(e.customer_handle, kept.customer_handle);
  EXPECT_EQ(store->GetBalances("t1", kept)->size(), 2u);
  EXPECT_EQ(store->ListConsents("t1")->front().grant.access_token, "ACCESS-TOKEN-7e1d0c9b-b");
  AccountCommit next;
  next.account = kept;
  next.added = {Tx(77, D(2025, 3, 1))};
  auto new_head = store->CommitAccountSync(next);
  ASSERT_TRUE(new_head.has_value());
  EXPECT_EQ(*new_head, head + 1);
  EXPECT_EQ(store->ForgetCustomer("t1", gone.customer_handle).error().code, ErrorCode::kNotFound);
  store.reset();
  scan("after closing");
}

}  // namespace
}  // namespace bankfeed::store
