// The customer's erasure (ForgetCustomer, include/bankfeed/client.hpp) against a real SQLite store and a recording connector: each
// consent is leased before any is revoked, revoked with the grant its last holder saved, and held until the rows are
// gone; a consent held past the wait stops the erasure with nothing revoked or deleted; a consent added while the
// others are revoked is revoked too before anything is deleted, and the store never deletes one nobody revoked.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "bankfeed/client.hpp"
#include "unit/temp_store.hpp"

namespace bankfeed::cli {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

// Revokes every consent, recording the access token each revocation was given. It also checks that the erasure
// holds the consent's lease while the bank is told.
class RecordingConnector : public Connector {
 public:
  struct Log {
    std::mutex mu;
    std::vector<std::string> revoked_with;  // access tokens
    std::vector<bool> leased_meanwhile;     // whether the consent was held during its revocation
    std::function<void()> after_revoke;     // e.g. another process finishing a consent flow meanwhile
    std::optional<Error> fail_after_refresh;  // the bank refreshes the tokens, then the revocation fails so
    std::string fail_only;                    // ... for this bank consent id only (empty: every one)
  };
  RecordingConnector(Store& store, Log& log) : store_(store), log_(log) { profile_.id = "fake-bank"; }

  const BankProfile& profile() const override { return profile_; }
  Result<ScaStep> StartConsent(const ConsentRequest&, const PsuContext&, ConsentGrant&) override { return Refused(); }
  Result<ConsentStatus> CompleteConsent(ConsentGrant&, const CallbackParams&, const PsuContext&) override {
    return Refused();
  }
  Result<Consent> GetConsent(ConsentGrant&) override { return Refused(); }
  Status RevokeConsent(ConsentGrant& grant) override {
    std::lock_guard lock(log_.mu);
    log_.revoked_with.push_back(grant.access_token);
    bool held = false;
    const Result<std::vector<ConsentRecord>> consents = store_.ListConsents("t1");
    if (!consents) return tl::unexpected(consents.error());
    for (const ConsentRecord& c : *consents) {
      if (c.grant.consent_id != grant.consent_id) continue;
      auto lease = store_.TryLeaseConsent("t1", c.handle);
      held = lease && *lease == nullptr;
    }
    log_.leased_meanwhile.push_back(held);
    if (log_.fail_after_refresh && (log_.fail_only.empty() || log_.fail_only == grant.consent_id)) {
      grant.access_token = "token-refreshed-during-revoke";
      return tl::unexpected(*log_.fail_after_refresh);
    }
    grant.status = ConsentStatus::kRevoked;
    grant.access_token.clear();  // as a connector does once the bank has revoked it
    if (log_.after_revoke) log_.after_revoke();
    return {};
  }
  Result<std::vector<Account>> ListAccounts(ConsentGrant&, const PsuContext&) override { return Refused(); }
  Result<std::vector<Balance>> GetBalances(ConsentGrant&, const Account&, const PsuContext&) override {
    return Refused();
  }
  Result<TransactionBatch> GetTransactions(ConsentGrant&, const Account&, const TransactionQuery&,
                                           const PsuContext&) override {
    return Refused();
  }

 private:
  static tl::unexpected<Error> Refused() { return MakeError(ErrorCode::kInternal, "not used by forget"); }

  Store& store_;
  Log& log_;
  BankProfile profile_;
};

class ForgetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::FreshTestDir("forget");
    store_ = testing::OpenTempStore(dir_);
    ASSERT_TRUE(store_);
    auto customer = store_->EnsureCustomer("t1", "psu-1");
    ASSERT_TRUE(customer);
    customer_ = customer->handle;
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  // A valid consent of the customer at the bank, with its bank id and access token.
  std::string AddConsent(const std::string& consent_id, const std::string& token) {
    ConsentRecord record{"t1", "", customer_, "fake-bank", {}};
    record.grant.bank_id = "fake-bank";
    record.grant.status = ConsentStatus::kValid;
    record.grant.consent_id = consent_id;
    record.grant.access_token = token;
    auto handle = store_->SaveConsent(record);
    EXPECT_TRUE(handle) << handle.error().ToString();
    return handle ? *handle : std::string();
  }

  Result<ForgetOutcome> Forget(milliseconds wait) {
    const ConnectorFactory factory = [this](const std::string&) -> Result<std::unique_ptr<Connector>> {
      return std::make_unique<RecordingConnector>(*store_, log_);
    };
    return ForgetCustomer(*store_, factory, "t1", customer_, false, wait);
  }

  fs::path dir_;
  std::unique_ptr<Store> store_;
  std::string customer_;
  RecordingConnector::Log log_;
};

TEST_F(ForgetTest, RevokesWithTheGrantItsHolderSavedAndHoldsTheLeaseUntilTheRowsAreGone) {
  const std::string handle = AddConsent("c-1", "token-before");
  auto lease = store_->TryLeaseConsent("t1", handle);
  ASSERT_TRUE(lease && *lease);
  // The holder (a sync, say) refreshes the token while the erasure waits, then lets go.
  std::thread holder([&] {
    std::this_thread::sleep_for(milliseconds(200));
    auto record = store_->LoadConsent("t1", handle);
    EXPECT_TRUE(record);
    if (record) {
      record->grant.access_token = "token-refreshed";
      EXPECT_TRUE(store_->SaveConsent(*record));
    }
    lease->reset();
  });
  const auto outcome = Forget(milliseconds(10'000));
  holder.join();
  ASSERT_TRUE(outcome) << outcome.error().ToString();
  ASSERT_TRUE(outcome->report);
  EXPECT_EQ(outcome->report->consents, 1);
  ASSERT_EQ(log_.revoked_with.size(), 1u);
  EXPECT_EQ(log_.revoked_with[0], "token-refreshed");  // not the listed grant's
  EXPECT_TRUE(log_.leased_meanwhile[0]);
  EXPECT_EQ(store_->FindCustomer("t1", "psu-1").error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(fs::exists(dir_ / "db.locks" / handle));  // its lease file went with it
  EXPECT_EQ(store_->TryLeaseConsent("t1", handle).error().code, ErrorCode::kNotFound);
}

TEST_F(ForgetTest, AConsentHeldPastTheWaitStopsItBeforeAnyConsentIsRevokedOrAnyRowDeleted) {
  const std::string free_consent = AddConsent("c-1", "token-1");
  const std::string held_consent = AddConsent("c-2", "token-2");
  auto lease = store_->TryLeaseConsent("t1", held_consent);
  ASSERT_TRUE(lease && *lease);
  const auto outcome = Forget(milliseconds(150));
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(outcome.error().message.find("consent " + held_consent + " is busy"), std::string::npos)
      << outcome.error().message;
  EXPECT_TRUE(log_.revoked_with.empty());  // not even the free consent
  EXPECT_TRUE(store_->FindCustomer("t1", "psu-1"));
  EXPECT_TRUE(store_->LoadConsent("t1", free_consent));
  EXPECT_TRUE(store_->LoadConsent("t1", held_consent));
  // The free consent's lease was let go with the failure; once the other is released too, the erasure goes through.
  lease->reset();
  const auto again = Forget(milliseconds(0));
  ASSERT_TRUE(again) << again.error().ToString();
  ASSERT_TRUE(again->report);
  EXPECT_EQ(again->report->consents, 2);
  EXPECT_EQ(log_.revoked_with, (std::vector<std::string>{"token-1", "token-2"}));
}

TEST_F(ForgetTest, AConsentAddedWhileTheOthersAreRevokedIsRevokedTooBeforeAnyRowIsDeleted) {
  AddConsent("c-1", "token-1");
  // While the bank is told about the first consent, a consent flow of the same customer finishes elsewhere.
  std::string added;
  log_.after_revoke = [&] {
    if (added.empty()) added = AddConsent("c-new", "token-new");
  };
  const auto outcome = Forget(milliseconds(0));
  ASSERT_TRUE(outcome) << outcome.error().ToString();
  ASSERT_TRUE(outcome->report);
  EXPECT_EQ(outcome->report->consents, 2);
  EXPECT_EQ(log_.revoked_with, (std::vector<std::string>{"token-1", "token-new"}));
  EXPECT_EQ(log_.leased_meanwhile, (std::vector<bool>{true, true}));
  ASSERT_EQ(outcome->consents.size(), 2u);
  EXPECT_EQ(outcome->consents[1].consent_handle, added);
  EXPECT_EQ(store_->FindCustomer("t1", "psu-1").error().code, ErrorCode::kNotFound);
}

TEST_F(ForgetTest, ConsentsThatKeepBeingAddedStopItWithTheCustomerKept) {
  AddConsent("c-0", "token-0");
  int added = 0;
  log_.after_revoke = [&] {
    const std::string n = std::to_string(++added);
    AddConsent("c-" + n, "token-" + n);
  };
  const auto outcome = Forget(milliseconds(0));
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(outcome.error().message.find("kept being added"), std::string::npos) << outcome.error().message;
  EXPECT_NE(outcome.error().message.find("nothing deleted"), std::string::npos) << outcome.error().message;
  EXPECT_EQ(log_.revoked_with.size(), 4u);  // four rounds, one consent each
  EXPECT_TRUE(store_->FindCustomer("t1", "psu-1"));
  auto consents = store_->ListCustomerConsents("t1", customer_);
  ASSERT_TRUE(consents);
  EXPECT_EQ(consents->size(), 5u);
}

TEST_F(ForgetTest, ARevocationThatFailsDeletesNothingAndKeepsTheTokensTheBankRefreshedForTheNextTry) {
  const std::string revoked = AddConsent("c-1", "token-1");
  const std::string failing = AddConsent("c-2", "token-2");
  log_.fail_after_refresh = MakeError(ErrorCode::kUnavailable, "revoke consent: the bank answered HTTP 503").value();
  log_.fail_only = "c-2";
  const auto outcome = Forget(milliseconds(0));
  ASSERT_TRUE(outcome) << outcome.error().ToString();
  ASSERT_TRUE(outcome->stopped_by);
  EXPECT_EQ(outcome->stopped_by->code, ErrorCode::kUnavailable);
  EXPECT_FALSE(outcome->report);
  EXPECT_TRUE(store_->FindCustomer("t1", "psu-1"));
  // The consent the bank revoked is stored so, without its token; the other keeps the token refreshed meanwhile.
  const auto done = store_->LoadConsent("t1", revoked);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->grant.status, ConsentStatus::kRevoked);
  EXPECT_TRUE(done->grant.access_token.empty());
  const auto kept = store_->LoadConsent("t1", failing);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->grant.access_token, "token-refreshed-during-revoke");
  EXPECT_EQ(kept->grant.status, ConsentStatus::kValid);
  // The next try revokes the other with them, and leaves the revoked one alone.
  log_.fail_after_refresh.reset();
  const auto again = Forget(milliseconds(0));
  ASSERT_TRUE(again && again->report) << (again ? "stopped" : again.error().ToString());
  EXPECT_EQ(again->report->consents, 2);
  EXPECT_EQ(log_.revoked_with, (std::vector<std::string>{"token-1", "token-2", "token-refreshed-during-revoke"}));
}

// The store's own guard, for the moment between the last listing and the delete.
TEST_F(ForgetTest, TheStoreDeletesNothingWhileTheCustomerHasAConsentTheCallerDidNotDealWith) {
  const std::string revoked = AddConsent("c-1", "token-1");
  const std::string unrevoked = AddConsent("c-2", "token-2");
  ForgetOptions options;
  options.dealt_with_consents = std::vector<std::string>{revoked};
  const auto refused = store_->ForgetCustomer("t1", customer_, options);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(refused.error().message.find("consent " + unrevoked + " was added"), std::string::npos)
      << refused.error().message;
  EXPECT_TRUE(store_->FindCustomer("t1", "psu-1"));
  EXPECT_TRUE(store_->LoadConsent("t1", revoked));
  EXPECT_TRUE(store_->LoadConsent("t1", unrevoked));
  // A handle dealt with that is gone already (forgotten meanwhile) is no obstacle.
  options.dealt_with_consents = std::vector<std::string>{unrevoked, "cg_gone", revoked};
  const auto report = store_->ForgetCustomer("t1", customer_, options);
  ASSERT_TRUE(report) << report.error().ToString();
  EXPECT_EQ(report->consents, 2);
  EXPECT_EQ(store_->FindCustomer("t1", "psu-1").error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace bankfeed::cli
