// bankfeedd with a UK Open Banking bank (issue 20): a real daemon process against the UK sandbox bank, called only
// through its gRPC API. The hybrid flow (StartConsent's authorization URL with its signed request object, the
// customer at the bank's /as/authorize, CompleteConsent with the answer in the callback's fragment), a sync into the
// feed, the 90-day rule's `reconfirm_by`, and Consents.ReauthenticateConsent: the same consent authorised again,
// moving reconfirm_by on, and refused for a consent that is not valid, a bank without the rule and another tenant.
#include <gtest/gtest.h>

#include <set>

#include "bankfeed/client.hpp"
#include "integration/daemon_process.hpp"
#include "integration/sandbox_fixture.hpp"
#include "signing/compact_jws.hpp"
#include "tools/sandbox/clock.hpp"

namespace bankfeed::testing::daemon_uk {  // a namespace of its own: the tests are compiled in batches
namespace {

constexpr char kUkBank[] = "uk-bank";        // the sandbox bank with reconfirm_days: 90
constexpr char kNoRuleBank[] = "uk-norule";  // the same bank, profiled without a reconfirmation rule
constexpr char kPsuIp[] = "192.0.2.10";

// The bank's consent id that an authorization URL's signed request object asks the customer to authorise
// (claims.id_token.openbanking_intent_id.value); empty when the URL has none.
std::string IntentIdOf(const std::string& sca_url) {
  auto query = ParseCallbackUrl(sca_url);  // the query's parameters, decoded
  if (!query || !query->contains("request")) return "";
  auto jws = signing::SplitCompactJws(query->at("request"), "request");
  if (!jws) return "";
  const std::string& claims = jws->claims_json;
  const std::string key = R"("openbanking_intent_id":{"value":")";
  const size_t at = claims.find(key);
  if (at == std::string::npos) return "";
  const size_t start = at + key.size();
  return claims.substr(start, claims.find('"', start) - start);
}

struct UkConsent {
  std::string customer_id;
  std::string consent_id;
  std::string sca_url;  // the first authorization URL
};

class DaemonUk : public SandboxTest {
 protected:
  void SetUp() override {
    // January's 12 booked and 2 pending rows (they book on 2025-02-02), 5 a page.
    ASSERT_NO_FATAL_FAILURE(StartBank(ScenarioYaml(12, 2, "  page_size: 5\n", "uk-ob")));
    workspace_ = std::make_unique<CliWorkspace>(DaemonWorkspaceName("daemon-uk-"), pki_, bank().BaseUrl(), "");
    workspace_->AddUkProfile(kUkBank, bank().BaseUrl(), 90);
    workspace_->AddUkProfile(kNoRuleBank, bank().BaseUrl(), 0);
    // The client id the bank issued by dynamic registration, kept where `bankfeed register` keeps it.
    client_id_ = ClientIdFor(Profile());
    ASSERT_FALSE(client_id_.empty());
    auto config = LoadClientConfig(workspace_->config());
    ASSERT_TRUE(config) << config.error().ToString();
    ClientRegistration registration;
    registration.client_id = client_id_;
    for (const char* bank_id : {kUkBank, kNoRuleBank}) {
      const Status saved = SaveRegistration(*config, bank_id, registration);
      ASSERT_TRUE(saved) << saved.error().ToString();
    }
  }

  // Consents.StartConsent at `bank_id` for psu-1 as `tenant`, then the customer's approval (Approve).
  UkConsent ConsentThroughDaemon(const DaemonProcess& d, const std::string& tenant, const std::string& bank_id) {
    v1::StartConsentRequest start;
    start.set_bank_id(bank_id);
    start.set_psu_id("psu-1");
    start.set_psu_ip_address(kPsuIp);
    start.set_valid_until("2025-06-30");
    v1::StartConsentResponse started;
    const grpc::Status s = d.consents()->StartConsent(d.Context(tenant).get(), start, &started);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(started.approach(), v1::SCA_APPROACH_OAUTH2);
    EXPECT_EQ(started.status(), v1::CONSENT_STATUS_RECEIVED);
    EXPECT_EQ(started.sca_url().rfind(bank().BaseUrl() + "/as/authorize?", 0), 0u) << started.sca_url();
    EXPECT_NE(started.sca_url().find("client_id=" + client_id_ + "&"), std::string::npos) << started.sca_url();
    EXPECT_FALSE(IntentIdOf(started.sca_url()).empty()) << "no signed request object naming the bank's consent";
    Approve(d, tenant, started.consent_id(), started.sca_url());
    return {started.customer_id(), started.consent_id(), started.sca_url()};
  }

  // The customer approves at the bank (the sandbox's /as/authorize); CompleteConsent takes the URL their browser came
  // back to, with the code and ID token in its fragment.
  void Approve(const DaemonProcess& d, const std::string& tenant, const std::string& consent_id,
               const std::string& sca_url) {
    const std::string back = FollowInBrowser(sca_url);
    EXPECT_EQ(back.rfind("https://tpp.example/callback#", 0), 0u) << back;
    EXPECT_NE(back.find("id_token="), std::string::npos) << back;
    v1::CompleteConsentRequest complete;
    complete.set_consent_id(consent_id);
    complete.set_callback_url(back);
    complete.set_psu_ip_address(kPsuIp);
    v1::ConsentState state;
    const grpc::Status s = d.consents()->CompleteConsent(d.Context(tenant).get(), complete, &state);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(state.consent_id(), consent_id);
    EXPECT_EQ(state.status(), v1::CONSENT_STATUS_VALID);
  }

  static grpc::Status Reauthenticate(const DaemonProcess& d, const std::string& tenant,
                                     const v1::ReauthenticateConsentRequest& request,
                                     v1::StartConsentResponse& response) {
    return d.consents()->ReauthenticateConsent(d.Context(tenant).get(), request, &response);
  }
  static v1::ReauthenticateConsentRequest ReauthRequest(const std::string& consent_id) {
    v1::ReauthenticateConsentRequest request;
    request.set_consent_id(consent_id);
    request.set_psu_ip_address(kPsuIp);
    return request;
  }

  // Admin.TriggerSync of the customer's accounts: the one UK account, synced without error.
  static v1::AccountSyncResult SyncThroughDaemon(const DaemonProcess& d, const UkConsent& c) {
    v1::TriggerSyncRequest trigger;
    trigger.set_customer_id(c.customer_id);
    v1::TriggerSyncResponse synced;
    const grpc::Status s = d.admin()->TriggerSync(d.Context(kTenantA).get(), trigger, &synced);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(synced.accounts_size(), 1);
    if (synced.accounts_size() != 1) return {};
    EXPECT_EQ(synced.accounts(0).outcome(), v1::SYNC_OUTCOME_OK) << synced.accounts(0).error_message();
    EXPECT_EQ(synced.accounts(0).consent_id(), c.consent_id);
    EXPECT_EQ(synced.accounts(0).bank_id(), kUkBank);
    return synced.accounts(0);
  }

  // Admin.GetSyncStatus's reconfirm_by for the customer's one account.
  static std::string ReconfirmBy(const DaemonProcess& d, const UkConsent& c) {
    v1::GetSyncStatusRequest request;
    request.set_customer_id(c.customer_id);
    v1::GetSyncStatusResponse status;
    const grpc::Status s = d.admin()->GetSyncStatus(d.Context(kTenantA).get(), request, &status);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(status.accounts_size(), 1);
    if (status.accounts_size() != 1) return "";
    EXPECT_EQ(status.accounts(0).consent_id(), c.consent_id);
    return status.accounts(0).reconfirm_by();
  }

  // bankfeedctl as tenant A with `args`; its exit code, and stdout and stderr in `output`.
  int Ctl(const DaemonProcess& d, const std::string& args, std::string& output) const {
    return RunCtl(d, workspace_->dir(), kTenantA, args, output);
  }

  std::unique_ptr<CliWorkspace> workspace_;
  std::string client_id_;
};

TEST_F(DaemonUk, ConsentSyncFeedAndReauthenticationUnderTheSameConsentId) {
  DaemonProcess d(*workspace_);
  ASSERT_TRUE(d.Start(kToday));  // the business clock: noon UTC of 2025-01-31
  const UkConsent c = ConsentThroughDaemon(d, kTenantA, kUkBank);
  ASSERT_FALSE(HasFailure());
  const std::string bank_consent = IntentIdOf(c.sca_url);

  // A sync through the daemon brings the UK account and its rows into the feed.
  const v1::AccountSyncResult synced = SyncThroughDaemon(d, c);
  EXPECT_EQ(synced.added(), 14);
  EXPECT_EQ(synced.pages(), 3);
  v1::SyncRequest from_start;
  v1::SyncResponse page;
  ASSERT_TRUE(d.feed()->Sync(d.Context(kTenantA).get(), from_start, &page).ok());
  EXPECT_FALSE(page.has_more());
  std::multiset<std::string> booked, pending, expected_booked;
  for (int i = 0; i < 12; ++i) expected_booked.insert("-" + std::to_string(1 + i) + ".25");
  for (const v1::Change& change : page.changes()) {
    EXPECT_EQ(change.kind(), v1::CHANGE_KIND_ADDED);
    EXPECT_EQ(change.customer_id(), c.customer_id);
    EXPECT_EQ(change.account_id(), synced.account_id());
    const v1::Transaction& t = change.transaction();
    EXPECT_EQ(t.amount().currency(), "EUR");
    (t.status() == v1::TRANSACTION_STATUS_PENDING ? pending : booked).insert(t.amount().amount());
  }
  EXPECT_EQ(booked, expected_booked);
  EXPECT_EQ(pending, (std::multiset<std::string>{"-5.00", "-5.00"}));
  v1::ListAccountsRequest list;
  list.set_customer_id(c.customer_id);
  v1::ListAccountsResponse accounts;
  ASSERT_TRUE(d.accounts()->ListAccounts(d.Context(kTenantA).get(), list, &accounts).ok());
  ASSERT_EQ(accounts.accounts_size(), 1);
  EXPECT_EQ(accounts.accounts(0).account_id(), synced.account_id());
  EXPECT_EQ(accounts.accounts(0).consent_id(), c.consent_id);
  EXPECT_EQ(accounts.accounts(0).bank_id(), kUkBank);
  EXPECT_EQ(accounts.accounts(0).iban(), "DE89370400440532013000");

  // Authorised on 2025-01-31 (London): the customer must reconfirm 90 days later.
  EXPECT_EQ(ReconfirmBy(d, c), "2025-05-01");

  // 2025-03-03: the daemon runs on the later day (its business clock), the bank's clock moved with it.
  ASSERT_EQ(d.Stop(), 0);
  const Date later = *Date::Parse("2025-03-03");
  bank().clock().Set(later);
  ASSERT_TRUE(d.Start(later.ToString()));
  EXPECT_EQ(ReconfirmBy(d, c), "2025-05-01") << "kept across the restart";

  const int64_t api_calls = stats().api_requests.load();
  v1::StartConsentResponse again;
  const grpc::Status s = Reauthenticate(d, kTenantA, ReauthRequest(c.consent_id), again);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(stats().api_requests.load(), api_calls) << "no new consent is created at the bank";
  EXPECT_EQ(again.consent_id(), c.consent_id);
  EXPECT_EQ(again.customer_id(), c.customer_id);
  EXPECT_EQ(again.approach(), v1::SCA_APPROACH_OAUTH2);
  EXPECT_EQ(again.status(), v1::CONSENT_STATUS_VALID) << "valid while the customer is at the bank";
  EXPECT_EQ(again.sca_url().rfind(bank().BaseUrl() + "/as/authorize?", 0), 0u) << again.sca_url();
  EXPECT_NE(again.sca_url(), c.sca_url);
  EXPECT_EQ(IntentIdOf(again.sca_url()), bank_consent) << "the same consent at the bank";
  EXPECT_EQ(ReconfirmBy(d, c), "2025-05-01") << "moved before the customer authorised";

  Approve(d, kTenantA, c.consent_id, again.sca_url());
  EXPECT_EQ(ReconfirmBy(d, c), "2025-06-01");  // 2025-03-03 + 90 days
  // Reads go on under the renewed authorisation: the same account, the pending rows now booked.
  const v1::AccountSyncResult resynced = SyncThroughDaemon(d, c);
  EXPECT_EQ(resynced.account_id(), synced.account_id());
  EXPECT_EQ(resynced.added(), 2);
  EXPECT_EQ(resynced.removed(), 2);
  EXPECT_EQ(stats().bad_request_object.load(), 0);
  EXPECT_EQ(d.Stop(), 0);
}

TEST_F(DaemonUk, ReauthenticationIsRefusedForAnotherTenantAConsentNotValidAndABankWithoutTheRule) {
  DaemonProcess d(*workspace_);
  ASSERT_TRUE(d.Start(kToday));
  const UkConsent c = ConsentThroughDaemon(d, kTenantA, kUkBank);
  ASSERT_FALSE(HasFailure());
  const auto expect = [](const grpc::Status& s, grpc::StatusCode code, const std::string& prefix) {
    EXPECT_EQ(s.error_code(), code) << s.error_message();
    EXPECT_EQ(s.error_message().rfind(prefix, 0), 0u) << s.error_message();
    EXPECT_EQ(s.error_message().find("psu-1"), std::string::npos) << s.error_message();
  };

  // Another tenant does not have the consent, exactly like one that does not exist; a stranger is not let in.
  v1::StartConsentResponse out;
  expect(Reauthenticate(d, kTenantB, ReauthRequest(c.consent_id), out), grpc::StatusCode::NOT_FOUND,
         "consent_id: not found");
  expect(Reauthenticate(d, kTenantB, ReauthRequest("cg_" + std::string(24, '0')), out), grpc::StatusCode::NOT_FOUND,
         "consent_id: not found");
  EXPECT_EQ(Reauthenticate(d, "", ReauthRequest(c.consent_id), out).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(out.sca_url().empty());
  // Bad arguments name their field.
  expect(Reauthenticate(d, kTenantA, ReauthRequest("cg_nope"), out), grpc::StatusCode::INVALID_ARGUMENT,
         "consent_id: ");
  v1::ReauthenticateConsentRequest bad = ReauthRequest(c.consent_id);
  bad.set_psu_ip_address("psu-1");
  expect(Reauthenticate(d, kTenantA, bad, out), grpc::StatusCode::INVALID_ARGUMENT, "psu_ip_address: ");
  bad = ReauthRequest(c.consent_id);
  bad.set_redirect_uri("http://tpp.example/callback");
  expect(Reauthenticate(d, kTenantA, bad, out), grpc::StatusCode::INVALID_ARGUMENT, "redirect_uri: ");

  // The owner can (bankfeedctl consent-reauth): the same consent at the bank, a new authorization URL.
  std::string printed;
  EXPECT_EQ(Ctl(d, "consent-reauth --consent " + c.consent_id + " --psu-ip " + kPsuIp, printed), 0) << printed;
  EXPECT_NE(printed.find("consent: " + c.consent_id + "\n"), std::string::npos) << printed;
  EXPECT_NE(printed.find("status: CONSENT_STATUS_VALID\n"), std::string::npos) << printed;
  const size_t url = printed.find("sca_url: ");
  ASSERT_NE(url, std::string::npos) << printed;
  const std::string sca_url = printed.substr(url + 9, printed.find('\n', url) - url - 9);
  EXPECT_EQ(IntentIdOf(sca_url), IntentIdOf(c.sca_url));
  EXPECT_NE(sca_url, c.sca_url);

  // A bank without a reconfirmation rule: a start there would not authorise the same consent again.
  const UkConsent norule = ConsentThroughDaemon(d, kTenantA, kNoRuleBank);
  expect(Reauthenticate(d, kTenantA, ReauthRequest(norule.consent_id), out), grpc::StatusCode::FAILED_PRECONDITION,
         "consent_id: bank uk-norule has no reconfirmation rule");

  // A revoked consent is not valid any more: nothing is asked of the bank.
  v1::RevokeConsentRequest revoke;
  revoke.set_consent_id(c.consent_id);
  v1::ConsentState state;
  ASSERT_TRUE(d.consents()->RevokeConsent(d.Context(kTenantA).get(), revoke, &state).ok());
  EXPECT_EQ(state.status(), v1::CONSENT_STATUS_TERMINATED);
  const int64_t api_calls = stats().api_requests.load();
  const grpc::Status refused = Reauthenticate(d, kTenantA, ReauthRequest(c.consent_id), out);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << refused.error_message();
  EXPECT_EQ(refused.error_message(), "consent_id: not valid (terminated); start a new consent");
  EXPECT_TRUE(out.sca_url().empty());
  EXPECT_EQ(Ctl(d, "consent-reauth --consent " + c.consent_id, printed), 70) << printed;
  EXPECT_NE(printed.find("FAILED_PRECONDITION: consent_id: not valid (terminated)"), std::string::npos) << printed;
  EXPECT_EQ(stats().api_requests.load(), api_calls);
  EXPECT_EQ(d.Stop(), 0);
  EXPECT_EQ(d.log().find("psu-1"), std::string::npos) << "the PSU id is never logged";
}

}  // namespace
}  // namespace bankfeed::testing::daemon_uk
