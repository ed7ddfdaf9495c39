// bankfeedd's checks of what a caller claims (issue 19): the customer's IP address (it exempts their reads from the
// unattended quota) must be a literal address on every RPC that takes it; a cursor that is not this tenant's is
// refused exactly like a corrupt one; and sync status shows RFC 3339 times (bankfeedctl's status lines included).
#include <gtest/gtest.h>

#include <regex>

#include "integration/daemon_process.hpp"
#include "integration/sandbox_fixture.hpp"

namespace bankfeed::testing {
namespace {

const std::vector<std::string> kNotAddresses = {
    "made-up",        "192.0.2.10 ",   " 192.0.2.10",     "192.0.2.10:443", "[2001:db8::1]", "[2001:db8::1]:443",
    "fe80::1%eth0",   "999.0.2.10",    "192.0.2",         "0x7f.0.0.1",     "localhost",     "192.0.2.10\r\nX: 1",
    "192.0.2.10,1.2.3.4", std::string(46, '1')};

class DaemonArguments : public SandboxTest {
 protected:
  void SetUp() override {
    StartBank(ScenarioYaml(3, 0, ""));
    workspace_ = std::make_unique<CliWorkspace>(DaemonWorkspaceName("daemon-args-"), pki_, bank().BaseUrl(), "");
  }

  static void ExpectIpRefused(const grpc::Status& s, const std::string& bad) {
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad << ": " << s.error_message();
    EXPECT_EQ(s.error_message(), "psu_ip_address: expected an IPv4 or IPv6 address") << bad;
  }

  std::unique_ptr<CliWorkspace> workspace_;
};

TEST_F(DaemonArguments, EveryMalformedCustomerIpIsRefusedNamingTheFieldOnEveryRpcThatTakesIt) {
  DaemonProcess d(*workspace_);
  ASSERT_TRUE(d.Start(kToday));
  for (const std::string& bad : kNotAddresses) {
    v1::TriggerSyncRequest trigger;
    trigger.set_consent_id("cg_000000000000000000000000");
    trigger.set_psu_ip_address(bad);
    v1::TriggerSyncResponse synced;
    ExpectIpRefused(d.admin()->TriggerSync(d.Context(kTenantA).get(), trigger, &synced), bad);
    v1::StartConsentRequest start;
    start.set_bank_id("test-bank");
    start.set_psu_id("psu-1");
    start.set_psu_ip_address(bad);
    v1::StartConsentResponse started;
    ExpectIpRefused(d.consents()->StartConsent(d.Context(kTenantA).get(), start, &started), bad);
    v1::CompleteConsentRequest complete;
    complete.set_consent_id("cg_000000000000000000000000");
    complete.set_psu_ip_address(bad);
    v1::ConsentState state;
    ExpectIpRefused(d.consents()->CompleteConsent(d.Context(kTenantA).get(), complete, &state), bad);
  }
  // Literal addresses of both families pass the check (and the call goes on to the next: here, no such consent).
  for (const char* good : {"192.0.2.10", "2001:db8::10", "::ffff:192.0.2.10"}) {
    v1::TriggerSyncRequest trigger;
    trigger.set_consent_id("cg_000000000000000000000000");
    trigger.set_psu_ip_address(good);
    v1::TriggerSyncResponse synced;
    EXPECT_EQ(d.admin()->TriggerSync(d.Context(kTenantA).get(), trigger, &synced).error_code(),
              grpc::StatusCode::NOT_FOUND)
        << good;
  }
  EXPECT_EQ(d.Stop(), 0);
  const std::string log = d.log();
  for (const std::string& bad : kNotAddresses) EXPECT_EQ(log.find(bad), std::string::npos) << bad;
}

TEST_F(DaemonArguments, AnotherTenantsCursorIsRefusedExactlyLikeACorruptOne) {
  DaemonProcess d(*workspace_);
  ASSERT_TRUE(d.Start(kToday));
  const auto cursor_of = [&d](const std::string& tenant) {
    v1::SyncResponse page;
    EXPECT_TRUE(d.feed()->Sync(d.Context(tenant).get(), {}, &page).ok());
    return page.next_cursor();
  };
  const std::string own = cursor_of(kTenantA), foreign = cursor_of(kTenantB);
  ASSERT_FALSE(own.empty());
  ASSERT_NE(own, foreign);
  std::string corrupt = own;
  corrupt[10] = corrupt[10] == '0' ? '1' : '0';
  const std::vector<std::string> refused = {foreign, corrupt, "bfc1" + std::string(56, '0'), "not-a-cursor",
                                            std::string(300, 'x')};
  for (const std::string& cursor : refused) {
    v1::SyncRequest request;
    request.set_cursor(cursor);
    v1::SyncResponse page;
    const grpc::Status s = d.feed()->Sync(d.Context(kTenantA).get(), request, &page);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << cursor;
    EXPECT_EQ(s.error_message(), "cursor: not a cursor of this feed") << cursor;
    v1::SubscribeRequest subscribe;
    subscribe.set_cursor(cursor);
    auto context = d.Context(kTenantA);
    auto stream = d.feed()->Subscribe(context.get(), subscribe);
    EXPECT_FALSE(stream->Read(&page));
    const grpc::Status streamed = stream->Finish();
    EXPECT_EQ(streamed.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << cursor;
    EXPECT_EQ(streamed.error_message(), "cursor: not a cursor of this feed") << cursor;
  }
  v1::SyncRequest mine;
  mine.set_cursor(own);
  v1::SyncResponse page;
  EXPECT_TRUE(d.feed()->Sync(d.Context(kTenantA).get(), mine, &page).ok());
  EXPECT_EQ(d.Stop(), 0);
}

TEST_F(DaemonArguments, SyncStatusShowsItsNextRunAsAnRfc3339Time) {
  DaemonProcess d(*workspace_);
  ASSERT_TRUE(d.Start(kToday));
  v1::StartConsentRequest start = RedirectConsentRequest();
  v1::StartConsentResponse started;
  ASSERT_TRUE(d.consents()->StartConsent(d.Context(kTenantA).get(), start, &started).ok());
  v1::CompleteConsentRequest complete;
  complete.set_consent_id(started.consent_id());
  complete.set_callback_url(FollowInBrowser(started.sca_url()));
  v1::ConsentState state;
  ASSERT_TRUE(d.consents()->CompleteConsent(d.Context(kTenantA).get(), complete, &state).ok());
  v1::TriggerSyncRequest trigger;
  trigger.set_customer_id(started.customer_id());
  v1::TriggerSyncResponse synced;
  ASSERT_TRUE(d.admin()->TriggerSync(d.Context(kTenantA).get(), trigger, &synced).ok());
  v1::GetSyncStatusResponse status;
  ASSERT_TRUE(d.admin()->GetSyncStatus(d.Context(kTenantA).get(), {}, &status).ok());
  ASSERT_GT(status.accounts_size(), 0);
  ASSERT_TRUE(status.accounts(0).has_next_run());  // a google.protobuf.Timestamp: RFC 3339 in the JSON mapping

  std::string text;
  ASSERT_EQ(RunCtl(d, workspace_->dir(), kTenantA, "status", text), 0) << text;
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(next run at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n)"))) << text;
  EXPECT_EQ(text.find("unix"), std::string::npos) << text;
  EXPECT_EQ(d.Stop(), 0);
}

}  // namespace
}  // namespace bankfeed::testing
