// bankfeedd's checks of what a caller claims (issue 19): the customer's IP address (it exempts their reads from the
// unattended quota) must be a literal address on every RPC that takes it.
#include <gtest/gtest.h>

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
    workspace_ = std::make_unique<CliWorkspace>(
        // The socket's path must stay under 108 bytes: a test's name is too long for it.
        "daemon-args-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()).substr(0, 16), pki_,
        bank().BaseUrl(), "");
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

}  // namespace
}  // namespace bankfeed::testing
