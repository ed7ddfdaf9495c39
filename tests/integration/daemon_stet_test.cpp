// bankfeedd with a STET bank (issue 22): a real daemon process against the STET sandbox bank, called only through
// its gRPC API and bankfeedctl. The code flow (StartConsent's authorization URL, the customer at the bank,
// CompleteConsent redeeming the code and declaring the accounts with PUT /consents), a sync into the feed, the
// consent's status, and revocation at the bank's RFC 7009 endpoint, after which a sync of that consent is refused.
#include <gtest/gtest.h>


#include "integration/daemon_process.hpp"
#include "integration/sandbox_fixture.hpp"

namespace bankfeed::testing::daemon_stet {  // a namespace of its own: the tests are compiled in batches
namespace {

constexpr char kStetBank[] = "stet-bank";
constexpr char kPsuIp[] = "192.0.2.10";

class DaemonStet : public SandboxTest {
 protected:
  void SetUp() override {
    // January's 12 booked and 2 pending rows, 5 a page.
    ASSERT_NO_FATAL_FAILURE(StartBank(ScenarioYaml(12, 2, "  page_size: 5\n", "stet")));
    workspace_ = std::make_unique<CliWorkspace>(DaemonWorkspaceName("daemon-stet-"), pki_, bank().BaseUrl(), "");
    workspace_->AddStetProfile(kStetBank, bank().BaseUrl());
  }

  // bankfeedctl as tenant A with `args`; its exit code, and stdout and stderr in `output`.
  int Ctl(const DaemonProcess& d, const std::string& args, std::string& output) const {
    return RunCtl(d, workspace_->dir(), kTenantA, args, output);
  }

  std::unique_ptr<CliWorkspace> workspace_;
};

TEST_F(DaemonStet, ConsentSyncFeedAndRevocation) {
  DaemonProcess d(*workspace_);
  ASSERT_TRUE(d.Start(kToday));

  // bankfeedctl starts the consent: the STET authorization URL, with PKCE.
  std::string out;
  ASSERT_EQ(Ctl(d, std::string("consent-start --bank ") + kStetBank + " --psu psu-1 --psu-ip " + kPsuIp +
                       " --approach oauth2 --valid-until 2025-06-30",
                out),
            0)
      << out;
  const auto field = [&out](const std::string& name) {
    const size_t at = out.find(name + ": ");
    if (at == std::string::npos) return std::string();
    const size_t start = at + name.size() + 2;
    return out.substr(start, out.find('\n', start) - start);
  };
  const std::string consent_id = field("consent"), customer_id = field("customer"), sca_url = field("sca_url");
  ASSERT_FALSE(consent_id.empty()) << out;
  EXPECT_EQ(sca_url.rfind(bank().BaseUrl() + "/stet/authorize?", 0), 0u) << sca_url;
  EXPECT_NE(sca_url.find("code_challenge="), std::string::npos) << sca_url;
  EXPECT_NE(sca_url.find("client_id=PSDDE-BAFIN-123456"), std::string::npos) << "the QWAC's organizationIdentifier";

  // The customer authorises at the bank; the daemon redeems the code and declares the accounts (PUT /consents).
  const std::string back = FollowInBrowser(sca_url);
  EXPECT_EQ(back.rfind("https://tpp.example/callback?", 0), 0u) << back;
  v1::CompleteConsentRequest complete;
  complete.set_consent_id(consent_id);
  complete.set_callback_url(back);
  complete.set_psu_ip_address(kPsuIp);
  v1::ConsentState state;
  grpc::Status s = d.consents()->CompleteConsent(d.Context(kTenantA).get(), complete, &state);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(state.status(), v1::CONSENT_STATUS_VALID);
  EXPECT_EQ(state.bank_id(), kStetBank);

  // A sync brings the account's rows into the feed.
  v1::TriggerSyncRequest trigger;
  trigger.set_customer_id(customer_id);
  v1::TriggerSyncResponse synced;
  s = d.admin()->TriggerSync(d.Context(kTenantA).get(), trigger, &synced);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(synced.accounts_size(), 1);
  EXPECT_EQ(synced.accounts(0).outcome(), v1::SYNC_OUTCOME_OK) << synced.accounts(0).error_message();
  EXPECT_EQ(synced.accounts(0).added(), 14);
  EXPECT_EQ(synced.accounts(0).pages(), 3);
  v1::SyncRequest from_start;
  v1::SyncResponse page;
  ASSERT_TRUE(d.feed()->Sync(d.Context(kTenantA).get(), from_start, &page).ok());
  EXPECT_EQ(page.changes_size(), 14);
  int pending = 0;
  for (const v1::Change& change : page.changes()) {
    EXPECT_EQ(change.customer_id(), customer_id);
    pending += change.transaction().status() == v1::TRANSACTION_STATUS_PENDING;
  }
  EXPECT_EQ(pending, 2);

  // Revoked: at the bank too (its refresh token revoked), so the consent's next sync is refused, not run.
  v1::RevokeConsentRequest revoke;
  revoke.set_consent_id(consent_id);
  s = d.consents()->RevokeConsent(d.Context(kTenantA).get(), revoke, &state);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(state.status(), v1::CONSENT_STATUS_TERMINATED);
  const int64_t reads = bank().stats().api_requests.load();
  s = d.admin()->TriggerSync(d.Context(kTenantA).get(), trigger, &synced);
  EXPECT_TRUE(s.ok() ? synced.accounts_size() == 0 || synced.accounts(0).outcome() != v1::SYNC_OUTCOME_OK : true)
      << "a revoked consent synced";
  EXPECT_EQ(bank().stats().api_requests.load(), reads) << "nothing sent to the bank for a revoked consent";
}

}  // namespace
}  // namespace bankfeed::testing::daemon_stet
