#include "sandbox_fixture.hpp"

#include <cstdlib>

#include "adapters/common/url.hpp"
#include "bankfeed/registration.hpp"
#include "pki/credentials.hpp"
#include "signing/compact_jws.hpp"
#include "tools/sandbox/scenario.hpp"

namespace bankfeed::testing {

std::string ScenarioYaml(int booked, int pending, const std::string& behaviour, const std::string& standard) {
  std::string y = "standard: " + standard + "\npsus:\n  - id: psu-1\n    accounts:\n      - resource_id: acc-1\n"
                  "        iban: DE89370400440532013000\n        currency: EUR\n        name: Girokonto\n"
                  "        balances: [{type: CLBD, amount: \"1234.56\", date: 2025-01-31}]\n"
                  "        transactions:\n";
  if (booked + pending == 0) y += "          []\n";
  for (int i = 0; i < booked; ++i) {
    const int day = 1 + i % 28;
    char date[16];
    std::snprintf(date, sizeof date, "2025-01-%02d", day);
    y += "          - {id: b" + std::to_string(i) + ", status: booked, booking_date: " + date + ", value_date: " + date +
         ", amount: \"-" + std::to_string(1 + i) + ".25\", counterparty: {name: Shop " + std::to_string(i % 7) +
         "}, remittance: \"card " + std::to_string(i) + "\"}\n";
  }
  for (int i = 0; i < pending; ++i) {
    y += "          - {id: p" + std::to_string(i) + ", status: pending, value_date: 2025-01-30, amount: \"-5.00\", "
         "books_on: 2025-02-02, booked: {id: p" + std::to_string(i) + "b, amount: \"-5.50\"}}\n";
  }
  y += "behaviour:\n" + behaviour;
  return y;
}

void SandboxTest::StartBank(const std::string& scenario_yaml) {
  const char* pki = std::getenv("BANKFEED_TEST_PKI");
  ASSERT_NE(pki, nullptr) << "BANKFEED_TEST_PKI unset: run through ctest";
  pki_ = pki;
  auto scenario = sandbox::ParseScenario(scenario_yaml, "test-scenario.yaml");
  ASSERT_TRUE(scenario) << scenario.error().message;
  standard_ = scenario->standard;
  client_id_.clear();
  sandbox::SandboxOptions options;
  options.cert_file = pki_ + "/server.pem";
  options.key_file = pki_ + "/server.key";
  options.client_ca_file = pki_ + "/ca.pem";
  options.published_certificates = {pki_ + "/qseal.pem"};  // where a STET bank finds the QSealC of a url keyId
  options.today = *Date::Parse(kToday);
  options.seed = 7;
  auto bank = sandbox::SandboxServer::Start(std::move(*scenario), options);
  ASSERT_TRUE(bank) << bank.error().ToString();
  bank_ = std::move(*bank);
}

void SandboxTest::TearDown() {
  if (!bank_) return;
  // Every request bankfeed sent was signed and came with the QWAC.
  EXPECT_EQ(bank_->stats().bad_signature.load(), 0);
  EXPECT_EQ(bank_->stats().missing_signature.load(), 0);
  EXPECT_EQ(bank_->stats().no_client_certificate.load(), 0);
  EXPECT_EQ(bank_->stats().rejected_client_certificate.load(), 0);
  bank_->Stop();
}

BankProfile SandboxTest::Profile() const {
  BankProfile p;
  p.id = "test-bank";
  p.display_name = "Test bank";
  p.standard = Standard::kBerlinGroup;
  p.base_url = bank_->BaseUrl();
  p.timezone = *TimeZone::Locate("Europe/Berlin");
  p.sca.approaches = {ScaApproach::kRedirect, ScaApproach::kDecoupled, ScaApproach::kOAuth2};
  p.sca.decoupled_poll_interval = std::chrono::seconds(1);
  p.oauth2 = OAuth2Profile{};
  p.oauth2->authorization_endpoint = bank_->BaseUrl() + "/oauth/authorize";
  p.oauth2->token_endpoint = bank_->BaseUrl() + "/oauth/token";
  p.transport.bank_id = p.id;
  p.transport.total_timeout = std::chrono::milliseconds(10'000);
  p.retry.base_delay = std::chrono::milliseconds(1);
  p.retry.max_delay = std::chrono::milliseconds(5);
  p.quirks.page_cap = 100;
  if (standard_ == "uk-ob") {
    p.standard = Standard::kUkOpenBanking;
    p.standard_version = "3.1.10";
    p.base_url = bank_->BaseUrl() + "/open-banking/v3.1/aisp";
    p.timezone = *TimeZone::Locate("Europe/London");
    p.sca.approaches = {ScaApproach::kOAuth2};
    p.oauth2 = OAuth2Profile{};
    p.oauth2->issuer = bank_->BaseUrl();
    p.oauth2->scope = "accounts";
    p.oauth2->pkce = false;
    p.oauth2->client_auth = ClientAuthMethod::kPrivateKeyJwt;
    p.jws = JwsOptions{};
    p.jws->kid = "bankfeed-test-qseal";
    p.jws->issuer = "0015800001041RHAAY/bankfeed-test";
  } else if (standard_ == "stet") {
    p.standard = Standard::kStet;
    p.standard_version = "1.4.2";
    p.base_url = bank_->BaseUrl() + "/stet/v1";
    p.timezone = *TimeZone::Locate("Europe/Paris");
    p.sca.approaches = {ScaApproach::kOAuth2};
    p.oauth2 = OAuth2Profile{};
    p.oauth2->authorization_endpoint = bank_->BaseUrl() + "/stet/authorize";
    p.oauth2->token_endpoint = bank_->BaseUrl() + "/stet/token";
    p.oauth2->revocation_endpoint = bank_->BaseUrl() + "/stet/revoke";
    p.oauth2->scope = "aisp";
    p.cavage = CavageOptions::StetDefaults();
  }
  return p;
}

std::string SandboxTest::SoftwareStatement() const {
  auto qseal = pki::Credential::Load({pki_ + "/qseal.pem", pki_ + "/qseal.key", "", ""});
  EXPECT_TRUE(qseal);
  if (!qseal) return {};
  const std::string header = R"({"alg":"PS256","kid":"bankfeed-test-qseal","typ":"JWT","x5c":[")" +
                             qseal->CertificateDerBase64() + "\"]}";
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  const std::string claims = R"({"iss":"OpenBanking Ltd","software_id":"bankfeed-test","org_id":"0015800001041RHAAY",)"
                             R"("software_roles":["AISP"],"iat":)" + std::to_string(now) + "}";
  auto ssa = signing::SignCompactJwsPs256(header, claims, qseal->key());
  EXPECT_TRUE(ssa);
  return ssa ? *ssa : std::string();
}

std::string SandboxTest::ClientIdFor(const BankProfile& profile) {
  if (!client_id_.empty()) return client_id_;
  ConnectionOptions options;
  options.profile = profile;
  options.qwac = {pki_ + "/qwac.pem", pki_ + "/qwac.key", "", ""};
  options.qseal = {pki_ + "/qseal.pem", pki_ + "/qseal.key", "", ""};
  options.ca_bundle_file = pki_ + "/ca.pem";
  auto registrar = MakeClientRegistrar(options);
  EXPECT_TRUE(registrar) << registrar.error().ToString();
  if (!registrar) return {};
  auto registration = (*registrar)->Register({SoftwareStatement(), {"https://tpp.example/callback"}});
  EXPECT_TRUE(registration) << registration.error().ToString();
  if (registration) client_id_ = registration->client_id;
  return client_id_;
}

std::unique_ptr<Connector> SandboxTest::Connect(const BankProfile& profile) {
  // The client's clock agrees with the sandbox's simulated date.
  const auto noon = std::chrono::system_clock::time_point(
      std::chrono::seconds(int64_t{Date::Parse(kToday)->days_since_epoch} * 86400 + 12 * 3600));
  return Connect(profile, [noon] { return noon; });
}

std::unique_ptr<Connector> SandboxTest::Connect(const BankProfile& profile,
                                                std::function<std::chrono::system_clock::time_point()> now) {
  ConnectionOptions options;
  options.profile = profile;
  options.qwac = {pki_ + "/qwac.pem", pki_ + "/qwac.key", "", ""};
  options.qseal = {pki_ + "/qseal.pem", pki_ + "/qseal.key", "", ""};
  options.ca_bundle_file = pki_ + "/ca.pem";
  if (profile.standard == Standard::kUkOpenBanking) options.oauth_client_id = ClientIdFor(profile);
  options.qseal_url = kQsealUrl;
  ConnectorEnvironment env;
  env.now = std::move(now);
  env.sleep = [this](std::chrono::milliseconds d) {
    std::lock_guard lock(sleeps_mu_);
    sleeps_.push_back(d);
  };
  auto connector = MakeConnector(options, env);
  EXPECT_TRUE(connector) << connector.error().ToString();
  return connector ? std::move(*connector) : nullptr;
}

PsuContext SandboxTest::Unattended() const {
  PsuContext psu;
  psu.psu_id = "psu-1";
  return psu;
}

PsuContext SandboxTest::Present() const {
  PsuContext psu = Unattended();
  psu.ip_address = "192.0.2.10";
  return psu;
}

std::string SandboxTest::FollowInBrowser(const std::string& url) {
  TransportOptions browser;
  browser.bank_id = "browser";
  browser.ca_bundle_file = pki_ + "/ca.pem";
  auto client = http::Client::Make(browser);
  EXPECT_TRUE(client);
  if (!client) return {};
  http::Request request;
  request.url = url;
  auto attempt = (*client)->Send(request);
  EXPECT_TRUE(attempt.response) << attempt.response.error().ToString();
  if (!attempt.response) return {};
  EXPECT_EQ(attempt.response->status, 302);
  return std::string(attempt.response->HeaderValue("Location").value_or(""));
}

void SandboxTest::SaveConsentOfPsu1(Store& store, const std::string& tenant, const BankProfile& profile,
                                    std::function<std::chrono::system_clock::time_point()> now,
                                    int frequency_per_day) {
  auto customer = store.EnsureCustomer(tenant, "psu-1");
  ASSERT_TRUE(customer) << customer.error().ToString();
  ConsentRecord consent;
  consent.tenant = tenant;
  consent.customer_handle = customer->handle;
  consent.bank_id = profile.id;
  {
    auto connector = Connect(profile, std::move(now));
    consent.grant = Consent(*connector, ScaApproach::kRedirect, frequency_per_day);
  }
  ASSERT_TRUE(store.SaveConsent(consent));
}

ConsentRequest SandboxTest::RequestUntilApril() {
  ConsentRequest request;
  request.valid_until = Date::FromYmd(2025, 4, 30);
  request.redirect_uri = "https://tpp.example/callback";
  return request;
}

ConsentGrant SandboxTest::Consent(Connector& connector, ScaApproach approach, int frequency_per_day) {
  ConsentRequest request = RequestUntilApril();
  request.frequency_per_day = frequency_per_day;
  request.approach = approach;
  ConsentGrant grant;
  auto step = connector.StartConsent(request, Present(), grant);
  EXPECT_TRUE(step) << step.error().ToString();
  if (!step) return grant;
  CallbackParams callback;
  if (step->redirect_url) {
    std::string back = FollowInBrowser(*step->redirect_url);
    EXPECT_EQ(back.rfind("https://tpp.example/callback", 0), 0u) << back;
    auto params = ParseCallbackUrl(back);  // the query's, or the fragment's (the UK hybrid flow)
    EXPECT_TRUE(params) << params.error().ToString();
    if (params) callback = std::move(*params);
  }
  auto status = connector.CompleteConsent(grant, callback, Present());
  EXPECT_TRUE(status) << status.error().ToString();
  EXPECT_EQ(grant.status, ConsentStatus::kValid);
  return grant;
}

Account Acc1() {
  Account a;
  a.id = "acc_test";
  a.resource_id = "acc-1";
  return a;
}

}  // namespace bankfeed::testing
