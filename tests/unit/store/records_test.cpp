// The SQLite store's customers, consents, accounts, balances and sync state; key rotation; envelopes bound to rows.
#include <gtest/gtest.h>

#include <string>

#include "store/sqlite_store.hpp"
#include "store_test_util.hpp"

namespace bankfeed::store {
namespace {

using testing::AccId;
using testing::D;
using testing::RawDb;
using testing::SampleAccount;
using testing::SampleBalance;
using testing::StoreTest;

class StoreRecords : public StoreTest {};

TEST_F(StoreRecords, CustomersAreFoundByPsuIdPerTenant) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  auto a = store->EnsureCustomer("t1", "psu-4711");
  ASSERT_TRUE(a.has_value()) << a.error().ToString();
  EXPECT_TRUE(IsHandle(a->handle, "cu_"));
  EXPECT_EQ(a->tenant, "t1");
  EXPECT_EQ(a->psu_id, "psu-4711");
  auto again = store->EnsureCustomer("t1", "psu-4711");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->handle, a->handle);
  auto other_tenant = store->EnsureCustomer("t2", "psu-4711");
  ASSERT_TRUE(other_tenant.has_value());
  EXPECT_NE(other_tenant->handle, a->handle);

  auto found = store->FindCustomer("t1", "psu-4711");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->handle, a->handle);
  EXPECT_EQ(store->FindCustomer("t1", "PSU-4711").error().code, ErrorCode::kNotFound) << "exact match";
  EXPECT_EQ(store->FindCustomer("t3", "psu-4711").error().code, ErrorCode::kNotFound);
  auto got = store->GetCustomer("t1", a->handle);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->psu_id, "psu-4711");
  EXPECT_EQ(store->GetCustomer("t2", a->handle).error().code, ErrorCode::kNotFound) << "another tenant's handle";
  EXPECT_EQ(store->GetCustomer("t1", "cu_000000000000000000000000").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store->GetCustomer("t1", "psu-4711").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(store->EnsureCustomer("", "psu").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(store->EnsureCustomer("t1", "").error().code, ErrorCode::kInvalidArgument);
}

TEST_F(StoreRecords, ConsentsRoundTripWithTheirSecretsSealed) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  auto customer = store->EnsureCustomer("t1", "psu-1");
  ASSERT_TRUE(customer.has_value());
  ConsentRecord record;
  record.tenant = "t1";
  record.customer_handle = customer->handle;
  record.bank_id = "sandbox-alpha";
  record.grant.bank_id = "sandbox-alpha";
  record.grant.consent_id = "CONSENT-ID-QX81";
  record.grant.status = ConsentStatus::kValid;
  record.grant.psu_id = "psu-1";
  record.grant.access_token = "ACCESS-TOKEN-ZZ93";
  record.grant.refresh_token = "REFRESH-TOKEN-YY27";
  record.grant.pkce_verifier = "PKCE-VERIFIER-XX11";
  record.grant.usage_day = D(2025, 2, 1);
  record.grant.usage["transactions:res-1"] = 2;
  auto handle = store->SaveConsent(record);
  ASSERT_TRUE(handle.has_value()) << handle.error().ToString();
  EXPECT_TRUE(IsHandle(*handle, "cg_"));

  auto loaded = store->LoadConsent("t1", *handle);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().ToString();
  EXPECT_EQ(loaded->handle, *handle);
  EXPECT_EQ(loaded->customer_handle, customer->handle);
  EXPECT_EQ(loaded->bank_id, "sandbox-alpha");
  EXPECT_EQ(loaded->grant.access_token, "ACCESS-TOKEN-ZZ93");
  EXPECT_EQ(loaded->grant.refresh_token, "REFRESH-TOKEN-YY27");
  EXPECT_EQ(loaded->grant.consent_id, "CONSENT-ID-QX81");
  EXPECT_EQ(loaded->grant.status, ConsentStatus::kValid);
  EXPECT_EQ(loaded->grant.usage.at("transactions:res-1"), 2);
  EXPECT_EQ(store->LoadConsent("t2", *handle).error().code, ErrorCode::kNotFound);

  // Replacing the grant keeps the handle.
  record.handle = *handle;
  record.grant.access_token = "ACCESS-TOKEN-NEW";
  auto replaced = store->SaveConsent(record);
  ASSERT_TRUE(replaced.has_value());
  EXPECT_EQ(*replaced, *handle);
  EXPECT_EQ(store->LoadConsent("t1", *handle)->grant.access_token, "ACCESS-TOKEN-NEW");

  // The grant is sealed: no secret in the column.
  RawDb raw(db_path_);
  const auto rows = raw.Query("SELECT grant_enc, bank_id, handle FROM consents");
  ASSERT_EQ(rows.size(), 1u);
  for (const char* secret : {"ACCESS-TOKEN", "REFRESH-TOKEN-YY27", "PKCE-VERIFIER", "CONSENT-ID-QX81", "psu-1"}) {
    EXPECT_EQ(rows[0][0].find(secret), std::string::npos) << secret;
  }
  EXPECT_EQ(rows[0][1], "sandbox-alpha");

  // Lists.
  ConsentRecord second = record;
  second.handle.clear();
  second.bank_id = "sandbox-beta";
  ASSERT_TRUE(store->SaveConsent(second).has_value());
  auto other = store->EnsureCustomer("t2", "psu-9");
  ASSERT_TRUE(other.has_value());
  ConsentRecord third = record;
  third.tenant = "t2";
  third.customer_handle = other->handle;
  third.handle.clear();
  ASSERT_TRUE(store->SaveConsent(third).has_value());
  EXPECT_EQ(store->ListConsents("t1")->size(), 2u);
  EXPECT_EQ(store->ListConsents("t2")->size(), 1u);
  EXPECT_EQ(store->ListConsents("")->size(), 3u);
  EXPECT_EQ(store->ListCustomerConsents("t1", customer->handle)->size(), 2u);
  EXPECT_EQ(store->ListCustomerConsents("t2", customer->handle).error().code, ErrorCode::kNotFound);
  // A consent handle of another customer is refused.
  third.handle = *handle;
  EXPECT_EQ(store->SaveConsent(third).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store->LoadConsent("t1", *handle)->grant.access_token, "ACCESS-TOKEN-NEW");
}

TEST_F(StoreRecords, AccountsBalancesAndSyncStateRoundTrip) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const AccountRef ref = MakeAccount(*store, "t1", "psu-1", 1);
  auto consents = store->ListConsents("t1");
  ASSERT_TRUE(consents.has_value());
  ASSERT_EQ(consents->size(), 1u);
  const std::string consent = consents->front().handle;

  Account second = SampleAccount(2, "FR7630006000011234567890189", "Jean Dupont");
  second.bic = "AGRIFRPP";
  auto second_ids = store->SaveAccounts("t1", consent, {second});
  ASSERT_TRUE(second_ids.has_value());
  ASSERT_EQ(second_ids->size(), 1u);
  const std::string second_id = second_ids->front();
  auto all = store->ListAccounts("t1");
  ASSERT_TRUE(all.has_value()) << all.error().ToString();
  ASSERT_EQ(all->size(), 2u) << "accounts not in the list are kept";
  EXPECT_EQ((*all)[0].ref, ref);
  EXPECT_EQ((*all)[1].account.iban, second.iban);
  EXPECT_EQ((*all)[1].account.bic, std::optional<std::string>("AGRIFRPP"));
  EXPECT_EQ((*all)[1].account.owner_name, second.owner_name);
  EXPECT_EQ((*all)[1].consent_handle, consent);
  EXPECT_EQ((*all)[1].bank_id, "sandbox-alpha");
  EXPECT_EQ((*all)[1].state.outcome, SyncOutcome::kNever);
  EXPECT_EQ(store->ListAccounts("")->size(), 2u);
  EXPECT_EQ(store->ListAccounts("t2")->size(), 0u);
  EXPECT_EQ(store->ListAccounts("t1", ref.customer_handle)->size(), 2u);

  // Updating an account replaces its record.
  second.name = "Renamed";
  ASSERT_TRUE(store->SaveAccounts("t1", consent, {second}).has_value());
  EXPECT_EQ(store->SaveAccounts("t1", consent, {second}).value(), std::vector<std::string>{second_id});
  auto got = store->GetAccount("t1", AccountRef{ref.customer_handle, second_id});
  ASSERT_TRUE(got.has_value()) << got.error().ToString();
  EXPECT_EQ(got->account.name, std::optional<std::string>("Renamed"));
  EXPECT_EQ(store->GetAccount("t2", ref).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store->GetAccount("t1", AccountRef{ref.customer_handle, AccId(99)}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store->GetAccount("t1", AccountRef{ref.customer_handle, "DE89370400440532013000"}).error().code,
            ErrorCode::kInvalidArgument);
  // Account::id is not read: whatever a caller puts there (here an IBAN), the store keys the account's own id.
  Account odd = second;
  odd.id = "DE89370400440532013000";
  EXPECT_EQ(store->SaveAccounts("t1", consent, {odd}).value(), std::vector<std::string>{second_id});
  EXPECT_EQ(store->ListAccounts("t1")->size(), 2u);

  // Sync state.
  SyncState state;
  state.outcome = SyncOutcome::kQuotaExhausted;
  state.detail = "access_exceeded: quota used";
  state.retry_at = DateTime{1738454400, 0, 0};
  state.last_attempt = DateTime{1738400000, 123000000, 3};
  ASSERT_TRUE(store->SaveSyncState(ref, state).has_value());
  got = store->GetAccount("t1", ref);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->state.outcome, SyncOutcome::kQuotaExhausted);
  EXPECT_EQ(got->state.detail, state.detail);
  EXPECT_EQ(got->state.retry_at, state.retry_at);
  EXPECT_EQ(got->state.last_attempt, state.last_attempt);
  EXPECT_EQ(store->SaveSyncState(AccountRef{ref.customer_handle, AccId(99)}, state).error().code, ErrorCode::kNotFound);

  // Balances come with a commit.
  AccountCommit commit;
  commit.account = ref;
  commit.balances = std::vector<Balance>{SampleBalance("CLBD", "1234.56"), SampleBalance("ITAV", "-0.5")};
  ASSERT_TRUE(store->CommitAccountSync(commit).has_value());
  auto balances = store->GetBalances("t1", ref);
  ASSERT_TRUE(balances.has_value()) << balances.error().ToString();
  ASSERT_EQ(balances->size(), 2u);
  EXPECT_EQ((*balances)[0].type, "CLBD");
  EXPECT_EQ((*balances)[0].amount.ToString(), "1234.56");
  EXPECT_EQ((*balances)[1].amount.ToString(), "-0.50");
  EXPECT_EQ((*balances)[1].last_change_datetime, (DateTime{1738326000, 500000000, 1}));
  commit.balances = std::vector<Balance>{SampleBalance("XPCD", "1")};
  ASSERT_TRUE(store->CommitAccountSync(commit).has_value());
  EXPECT_EQ(store->GetBalances("t1", ref)->size(), 1u) << "replaced, not appended";
  commit.balances.reset();
  ASSERT_TRUE(store->CommitAccountSync(commit).has_value());
  EXPECT_EQ(store->GetBalances("t1", ref)->size(), 1u) << "kept when the commit has none";
  EXPECT_EQ(store->GetBalances("t2", ref).error().code, ErrorCode::kNotFound);
}

TEST_F(StoreRecords, DataSurvivesAKeyRotation) {
  AccountRef ref;
  std::string handle;
  {
    auto store = OpenStore();
    ASSERT_NE(store, nullptr);
    ref = MakeAccount(*store, "t1", "psu-rotate", 1);
    AccountCommit commit;
    commit.account = ref;
    commit.added = {testing::Tx(1, D(2025, 1, 2))};
    ASSERT_TRUE(store->CommitAccountSync(commit).has_value());
    handle = ref.customer_handle;
  }
  ASSERT_TRUE(ring_->Rotate("k2").has_value());
  ASSERT_TRUE(ring_->WriteKeyFile(key_file_).has_value());
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  auto found = store->FindCustomer("t1", "psu-rotate");
  ASSERT_TRUE(found.has_value()) << "found through the old key's lookup";
  EXPECT_EQ(found->handle, handle);
  auto ensured = store->EnsureCustomer("t1", "psu-rotate");
  ASSERT_TRUE(ensured.has_value());
  EXPECT_EQ(ensured->handle, handle) << "no second customer for the same PSU";
  auto feed = store->ReadFeed("t1", 0, 10);
  ASSERT_TRUE(feed.has_value()) << feed.error().ToString();
  ASSERT_EQ(feed->entries.size(), 1u);
  EXPECT_EQ(feed->entries[0].transaction->transaction.remittance, std::optional<std::string>("payment 1"));
  auto account = store->GetAccount("t1", ref);
  ASSERT_TRUE(account.has_value());
  EXPECT_EQ(account->account.iban, std::optional<std::string>("DE89370400440532013000"));
  EXPECT_EQ(store->ListConsents("t1")->front().grant.access_token, "secret-access-psu-rotate");
  store.reset();

  // EnsureCustomer moved the lookup and the PSU envelope to k2, and the open moved the key check: with k1 dropped,
  // the customer is still found (the other envelopes would need the re-encryption pass, which is not the store's).
  RawDb raw(db_path_);
  const auto rows = raw.Query("SELECT psu_enc FROM customers");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0].substr(2, 2), "k2");
}

TEST_F(StoreRecords, AnEnvelopeMovedToAnotherRowFailsToOpen) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const AccountRef a = MakeAccount(*store, "t1", "psu-a", 1);
  const AccountRef b = MakeAccount(*store, "t1", "psu-b", 2);
  AccountCommit commit;
  commit.account = a;
  commit.added = {testing::Tx(1, D(2025, 1, 2)), testing::Tx(2, D(2025, 1, 3))};
  ASSERT_TRUE(store->CommitAccountSync(commit).has_value());
  store.reset();
  {
    RawDb raw(db_path_);
    // Swap the two transactions' envelopes, and put customer a's PSU envelope on customer b.
    ASSERT_EQ(raw.Exec("UPDATE transactions SET record_enc = (SELECT record_enc FROM transactions t2 "
                       "WHERE t2.id <> transactions.id)"),
              SQLITE_OK);
    ASSERT_EQ(raw.Exec("UPDATE customers SET psu_enc = (SELECT psu_enc FROM customers WHERE handle = '" +
                       a.customer_handle + "') WHERE handle = '" + b.customer_handle + "'"),
              SQLITE_OK);
  }
  store = OpenStore();
  ASSERT_NE(store, nullptr);
  auto feed = store->ReadFeed("t1", 0, 10);
  ASSERT_FALSE(feed.has_value());
  EXPECT_EQ(feed.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(feed.error().message, "store: transactions.record_enc: envelope: authentication failed");
  auto customer = store->GetCustomer("t1", b.customer_handle);
  ASSERT_FALSE(customer.has_value());
  EXPECT_EQ(customer.error().code, ErrorCode::kInvalidInput);
  EXPECT_TRUE(store->GetCustomer("t1", a.customer_handle).has_value());
}

}  // namespace
}  // namespace bankfeed::store
