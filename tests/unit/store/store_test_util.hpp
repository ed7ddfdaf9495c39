// Helpers for the src/store tests: a scratch store per test, sample records, raw SQLite access and byte scans.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bankfeed/store.hpp"
#include "crypto/keyring.hpp"
#include "unit/pki/pki_test_util.hpp"

namespace bankfeed::store::testing {

using bankfeed::testing::ReadAll;

inline std::string Hex32(uint64_t n) {
  char buf[33];
  std::snprintf(buf, sizeof buf, "%032llx", static_cast<unsigned long long>(n));
  return buf;
}
inline std::string TxId(uint64_t n) { return "tx_" + Hex32(n); }
inline std::string AccId(uint64_t n) { return "acc_" + Hex32(n); }

inline Money M(std::string_view amount, std::string_view currency = "EUR") {
  auto m = Money::Parse(amount, currency);
  EXPECT_TRUE(m.has_value());
  return m ? *m : Money{};
}

inline Date D(int y, unsigned m, unsigned d) { return Date::FromYmd(y, m, d); }

// A booked transaction with a few fields; `tag` goes into the remittance so tests can find it.
inline FeedTransaction Tx(uint64_t n, Date booking, std::string_view tag = "") {
  FeedTransaction f;
  f.transaction.id = TxId(n);
  f.transaction.status = TransactionStatus::kBooked;
  f.transaction.amount = M("-12.30");
  f.transaction.booking_date = booking;
  f.transaction.value_date = booking;
  f.transaction.remittance = "payment " + std::to_string(n) + std::string(tag);
  f.transaction.raw_json = R"({"n":)" + std::to_string(n) + "}";
  return f;
}

inline FeedTransaction Pending(uint64_t n, Date value) {
  FeedTransaction f = Tx(n, value);
  f.transaction.status = TransactionStatus::kPending;
  f.transaction.booking_date.reset();
  return f;
}

// Every field set, with awkward values: fraction digits, a high-scale decimal, empty strings, bytes >= 0x80 and NUL.
inline FeedTransaction FullTx() {
  FeedTransaction f;
  Transaction& t = f.transaction;
  t.id = TxId(0xfeed);
  t.account_id = AccId(7);
  t.status = TransactionStatus::kPending;
  t.amount = M("-1234567890.123456789", "KWD");
  t.booking_date = D(2025, 1, 2);
  t.value_date = D(1969, 12, 31);
  t.transaction_date = Date{-800000};
  t.booking_datetime = DateTime{1735813800, 120000000, 3};
  t.value_datetime = DateTime{-5, 999999999, 9};
  t.transaction_id = "bank-tx-1";
  t.entry_reference = "";
  t.end_to_end_id = "E2E-1";
  t.mandate_id = "MANDATE-9";
  t.creditor_id = "DE98ZZZ09999999999";
  t.creditor = Party{"Lidl Dienstleistung", "DE02120300000000202051", "0000202051",
                     "BYLADEM1001",         "1234********5678",       "Ultimate Creditor"};
  t.debtor = Party{"Zoë Ärger", std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt};
  t.remittance = std::string("card 1234 \xe2\x82\xac\0 end", 18);
  t.remittance_reference = "RF18539007547034";
  t.bank_transaction_code = "PMNT-RCDT-ESCT";
  t.proprietary_code = "NTRF";
  t.merchant_category_code = "5411";
  t.original_amount = M("0.5", "USD");
  t.exchange_rate = *Decimal::Parse("1.000000000000000001");
  t.raw_json = R"({"transactionId":"bank-tx-1","remittanceInformationUnstructured":"card 1234"})";
  f.pending_transaction_id = TxId(0xbeef);
  return f;
}

inline bool SameTransaction(const Transaction& a, const Transaction& b) {
  return a.id == b.id && a.account_id == b.account_id && a.status == b.status && a.amount == b.amount &&
         a.booking_date == b.booking_date && a.value_date == b.value_date && a.transaction_date == b.transaction_date &&
         a.booking_datetime == b.booking_datetime && a.value_datetime == b.value_datetime &&
         a.transaction_id == b.transaction_id && a.entry_reference == b.entry_reference &&
         a.end_to_end_id == b.end_to_end_id && a.mandate_id == b.mandate_id && a.creditor_id == b.creditor_id &&
         a.creditor == b.creditor && a.debtor == b.debtor && a.remittance == b.remittance &&
         a.remittance_reference == b.remittance_reference && a.bank_transaction_code == b.bank_transaction_code &&
         a.proprietary_code == b.proprietary_code && a.merchant_category_code == b.merchant_category_code &&
         a.original_amount == b.original_amount && a.exchange_rate == b.exchange_rate && a.raw_json == b.raw_json &&
         (!a.exchange_rate || a.exchange_rate->scale() == b.exchange_rate->scale()) &&
         a.amount.amount.scale() == b.amount.amount.scale();
}

inline bool SameFeedTransaction(const FeedTransaction& a, const FeedTransaction& b) {
  return SameTransaction(a.transaction, b.transaction) && a.pending_transaction_id == b.pending_transaction_id;
}

inline Account SampleAccount(uint64_t n, std::string_view iban, std::string_view owner) {
  Account a;
  a.id = AccId(n);
  a.resource_id = "res-" + std::to_string(n);
  a.iban = std::string(iban);
  a.currency = "EUR";
  a.name = "Girokonto";
  a.owner_name = std::string(owner);
  a.cash_account_type = "CACC";
  return a;
}

inline Balance SampleBalance(std::string_view type, std::string_view amount) {
  Balance b;
  b.type = std::string(type);
  b.amount = M(amount);
  b.reference_date = D(2025, 1, 31);
  b.credit_limit_included = false;
  b.last_change_datetime = DateTime{1738326000, 500000000, 1};
  return b;
}

// Mode bits of a file, or -1 if it does not exist.
inline int ModeOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 07777);
}

// The bytes of the database file and its -wal and -shm, where they exist.
inline std::string AllFileBytes(const std::string& db_path) {
  std::string all;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::string p = db_path + suffix;
    if (std::filesystem::exists(p)) all += ReadAll(p);
  }
  return all;
}

// A raw connection, for what the Store API does not show (the bytes in the columns, the schema).
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  }
  ~RawDb() { sqlite3_close_v2(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  // Every row of a query, each column as bytes (NULL as "<null>").
  std::vector<std::vector<std::string>> Query(const std::string& sql) {
    std::vector<std::vector<std::string>> rows;
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    while (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
      auto& row = rows.emplace_back();
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        if (sqlite3_column_type(stmt, i) == SQLITE_NULL) {
          row.emplace_back("<null>");
          continue;
        }
        const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
        row.emplace_back(p == nullptr ? "" : std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt, i))));
      }
    }
    sqlite3_finalize(stmt);
    return rows;
  }
  int Exec(const std::string& sql) { return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr); }
  sqlite3* get() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

inline SqliteStoreOptions StoreOptions(const std::string& path, const std::string& key_file,
                                       const std::string& key_env = "") {
  SqliteStoreOptions o;
  o.path = path;
  o.key_file = key_file;
  o.key_env = key_env;
  return o;
}

// A scratch directory with a key file, and a store opened on a database in it.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ring = crypto::Keyring::Generate("k1");
    ASSERT_TRUE(ring.has_value());
    ring_ = std::make_unique<crypto::Keyring>(std::move(*ring));
    key_file_ = dir_.path() + "/at-rest.keys";
    ASSERT_TRUE(ring_->WriteKeyFile(key_file_).has_value());
    db_path_ = dir_.path() + "/bankfeed.db";
  }

  SqliteStoreOptions Options() const { return StoreOptions(db_path_, key_file_); }

  std::unique_ptr<Store> OpenStore(SqliteStoreOptions options) {
    auto store = OpenSqliteStore(options);
    EXPECT_TRUE(store.has_value()) << store.error().ToString();
    return store ? std::move(*store) : nullptr;
  }
  std::unique_ptr<Store> OpenStore() { return OpenStore(Options()); }

  // The customer `psu` of `tenant` (made if new) with one more consent; returns the consent's handle and the
  // customer's, or empty ones after a test failure.
  std::pair<std::string, std::string> MakeConsent(Store& store, std::string_view tenant, std::string_view psu) {
    auto customer = store.EnsureCustomer(tenant, psu);
    EXPECT_TRUE(customer.has_value()) << customer.error().ToString();
    if (!customer) return {};
    ConsentRecord consent;
    consent.tenant = std::string(tenant);
    consent.customer_handle = customer->handle;
    consent.bank_id = "sandbox-alpha";
    consent.grant.bank_id = "sandbox-alpha";
    consent.grant.access_token = "secret-access-" + std::string(psu);
    auto handle = store.SaveConsent(consent);
    EXPECT_TRUE(handle.has_value()) << handle.error().ToString();
    if (!handle) return {};
    return {*handle, customer->handle};
  }

  // A customer with one consent and one account; returns the account.
  AccountRef MakeAccount(Store& store, std::string_view tenant, std::string_view psu, uint64_t account_n) {
    const auto [consent, customer] = MakeConsent(store, tenant, psu);
    if (consent.empty()) return {};
    auto saved = store.SaveAccounts(tenant, consent, {SampleAccount(account_n, "DE89370400440532013000", "Owner")});
    EXPECT_TRUE(saved.has_value()) << saved.error().ToString();
    if (!saved) return {};
    return AccountRef{customer, saved->front()};
  }

  bankfeed::testing::ScratchDir dir_;
  std::unique_ptr<crypto::Keyring> ring_;
  std::string key_file_;
  std::string db_path_;
};

}  // namespace bankfeed::store::testing
