// The UK Open Banking connector against the UK sandbox bank, for what the conformance suite does not cover: the
// hybrid flow's ID token (each check against a bank that gets exactly that one thing wrong), the provider's
// discovery document and keys, dynamic client registration, the refresh-token modes, and the UK error model.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <thread>

#include "bankfeed/registration.hpp"
#include "bankfeed/store.hpp"
#include "bankfeed/sync.hpp"
#include "crypto/keyring.hpp"
#include "integration/sim_scenario.hpp"
#include "sandbox_fixture.hpp"
#include "tools/sandbox/clock.hpp"

namespace bankfeed::testing {
namespace {

class UkOpenBanking : public SandboxTest {
 protected:
  // A UK bank with January's rows and `oidc` (YAML lines under behaviour.oidc, indented by four spaces).
  void StartUkBank(const std::string& oidc = "", const std::string& behaviour = "  page_size: 10\n") {
    StartBank(ScenarioYaml(12, 2, behaviour + (oidc.empty() ? "" : "  oidc:\n" + oidc), "uk-ob"));
  }

  // Starts a consent and lets the customer approve it; returns the callback's parameters.
  CallbackParams Approve(Connector& c, ConsentGrant& grant) {
    auto step = c.StartConsent(RequestUntilApril(), Present(), grant);
    EXPECT_TRUE(step) << step.error().ToString();
    if (!step) return {};
    EXPECT_TRUE(step->redirect_url);
    const std::string back = FollowInBrowser(*step->redirect_url);
    EXPECT_EQ(back.rfind("https://tpp.example/callback#", 0), 0u) << "the hybrid flow answers in the fragment";
    auto params = ParseCallbackUrl(back);
    EXPECT_TRUE(params) << params.error().ToString();
    return params ? *params : CallbackParams{};
  }

  // The consent flow against a bank whose ID token has `fault`: refused, naming `claim`, nothing stored.
  void ExpectIdTokenRefused(const std::string& fault, const std::string& claim) {
    SCOPED_TRACE(fault);
    StartUkBank("    id_token_fault: " + fault + "\n");
    auto c = Connect(Profile());
    ASSERT_NE(c, nullptr);
    ConsentGrant grant;
    CallbackParams callback = Approve(*c, grant);
    ASSERT_TRUE(callback.contains("id_token"));
    auto status = c->CompleteConsent(grant, callback, Present());
    ASSERT_FALSE(status) << fault << ": accepted";
    EXPECT_EQ(status.error().code, ErrorCode::kConsentInvalid) << status.error().ToString();
    EXPECT_EQ(status.error().bank_id, "test-bank");
    EXPECT_NE(status.error().message.find("id_token: " + claim), std::string::npos) << status.error().message;
    EXPECT_EQ(status.error().message.find(callback["id_token"].substr(0, 20)), std::string::npos);
    EXPECT_NE(grant.status, ConsentStatus::kValid);
    EXPECT_TRUE(grant.access_token.empty()) << "the code is not redeemed";
    EXPECT_TRUE(grant.refresh_token.empty());
    TearDown();
  }
};

TEST_F(UkOpenBanking, ConsentFlowGivesAValidGrantWithTokens) {
  StartUkBank();
  auto c = Connect(Profile());
  ASSERT_NE(c, nullptr);
  ConsentGrant grant;
  CallbackParams callback = Approve(*c, grant);
  EXPECT_FALSE(grant.consent_id.empty());
  EXPECT_NE(grant.oauth_state, grant.oauth_nonce);
  auto status = c->CompleteConsent(grant, callback, Present());
  ASSERT_TRUE(status) << status.error().ToString();
  EXPECT_EQ(*status, ConsentStatus::kValid);
  EXPECT_FALSE(grant.access_token.empty());
  EXPECT_FALSE(grant.refresh_token.empty());
  EXPECT_TRUE(grant.oauth_state.empty());
  EXPECT_TRUE(grant.oauth_nonce.empty());
  ASSERT_TRUE(grant.authorised_at);
  // The same callback again: the state is spent.
  EXPECT_FALSE(c->CompleteConsent(grant, callback, Present()));
  auto accounts = c->ListAccounts(grant, Present());
  ASSERT_TRUE(accounts) << accounts.error().ToString();
  EXPECT_EQ(accounts->size(), 1u);
}

// The UK 90-day rule: the consent says when the customer must authorise it again, and is authorised again under
// the same id, with new tokens.
TEST_F(UkOpenBanking, AValidConsentIsAuthorisedAgainUnderTheSameId) {
  StartUkBank();
  BankProfile p = Profile();
  p.sca.reconfirm_days = 90;
  auto c = Connect(p);
  ConsentGrant grant = Consent(*c, ScaApproach::kOAuth2);
  ASSERT_EQ(grant.status, ConsentStatus::kValid);
  EXPECT_EQ(ReconfirmBy(grant, p), Date::FromYmd(2025, 5, 1));  // authorised on 2025-01-31 (the test's clock)
  const std::string consent_id = grant.consent_id;
  const std::string access_token = grant.access_token;
  const int64_t created = stats().api_requests.load();
  CallbackParams callback = Approve(*c, grant);
  EXPECT_EQ(stats().api_requests.load(), created) << "no new consent is created";
  EXPECT_EQ(grant.status, ConsentStatus::kValid) << "valid while the customer is at the bank";
  auto status = c->CompleteConsent(grant, callback, Present());
  ASSERT_TRUE(status) << status.error().ToString();
  EXPECT_EQ(grant.consent_id, consent_id);
  EXPECT_NE(grant.access_token, access_token);
  EXPECT_TRUE(c->ListAccounts(grant, Present()));
  p.sca.reconfirm_days = 0;
  EXPECT_EQ(ReconfirmBy(grant, p), std::nullopt) << "no such rule";
}

// Every check of the ID token, each against a bank that gets exactly that one wrong.
TEST_F(UkOpenBanking, EachIdTokenCheckRefusesABankThatGetsItWrong) {
  const std::pair<const char*, const char*> cases[] = {
      {"wrong_key", "signature"},
      {"alg_none", "alg"},
      {"hs256_public_key", "alg"},
      {"bad_c_hash", "c_hash"},
      {"bad_s_hash", "s_hash"},
      {"missing_c_hash", "c_hash"},
      {"missing_s_hash", "s_hash"},
      {"other_nonce", "nonce"},
      {"missing_nonce", "nonce"},
      {"other_intent_id", "openbanking_intent_id"},
      {"expired", "exp"},
      {"future_iat", "iat"},
      {"other_issuer", "iss"},
      {"other_audience", "aud"},
      {"unknown_kid", "kid"},
  };
  for (const auto& [fault, claim] : cases) ExpectIdTokenRefused(fault, claim);
}

// A bank declared to leave nonce or s_hash out gets that relaxation, and only that one.
TEST_F(UkOpenBanking, DeclaredOptionalClaimsRelaxOnlyThemselves) {
  StartUkBank("    id_token_fault: missing_nonce\n");
  BankProfile p = Profile();
  p.oauth2->id_token.nonce_optional = true;
  auto c = Connect(p);
  ConsentGrant grant;
  auto status = c->CompleteConsent(grant, Approve(*c, grant), Present());
  ASSERT_TRUE(status) << status.error().ToString();
  TearDown();
  StartUkBank("    id_token_fault: other_nonce\n");  // a nonce that is there must still match
  p = Profile();
  p.oauth2->id_token.nonce_optional = true;
  c = Connect(p);
  grant = {};
  EXPECT_FALSE(c->CompleteConsent(grant, Approve(*c, grant), Present()));
  TearDown();
  StartUkBank("    id_token_fault: missing_s_hash\n");
  p = Profile();
  p.oauth2->id_token.nonce_optional = true;  // not s_hash
  c = Connect(p);
  grant = {};
  EXPECT_FALSE(c->CompleteConsent(grant, Approve(*c, grant), Present()));
  p.oauth2->id_token.s_hash_optional = true;
  c = Connect(p);
  grant = {};
  EXPECT_TRUE(c->CompleteConsent(grant, Approve(*c, grant), Present()));
}

// Keys rotated after the client cached them: the unknown kid makes it read the JWKS again, once.
TEST_F(UkOpenBanking, AnUnknownKidReadsTheKeysAgainOnce) {
  StartUkBank("    rotate_signing_key: true\n");
  auto c = Connect(Profile());
  ConsentGrant first;
  // The first flow reads the JWKS (key A only); the token is signed with key B.
  auto status = c->CompleteConsent(first, Approve(*c, first), Present());
  ASSERT_TRUE(status) << status.error().ToString();
}

TEST_F(UkOpenBanking, ARefusedAuthorisationIsTyped) {
  StartUkBank("", "  page_size: 10\n  sca_outcome: reject\n");
  auto c = Connect(Profile());
  ConsentGrant grant;
  CallbackParams callback = Approve(*c, grant);
  EXPECT_EQ(callback["error"], "access_denied");
  auto status = c->CompleteConsent(grant, callback, Present());
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kConsentInvalid);
  EXPECT_EQ(status.error().message, "authorization refused: access_denied");
  EXPECT_EQ(grant.status, ConsentStatus::kRejected);
}

// A discovery document that does not stay with the bank is refused before anything is asked of it.
TEST_F(UkOpenBanking, ADiscoveryDocumentOffTheBankIsRefused) {
  for (const char* fault : {"other_issuer", "http_jwks_uri", "foreign_jwks_uri"}) {
    SCOPED_TRACE(fault);
    StartUkBank(std::string("    discovery_fault: ") + fault + "\n");
    BankProfile p = Profile();
    ConnectionOptions options;
    options.profile = p;
    options.qwac = {pki_ + "/qwac.pem", pki_ + "/qwac.key", "", ""};
    options.qseal = {pki_ + "/qseal.pem", pki_ + "/qseal.key", "", ""};
    options.ca_bundle_file = pki_ + "/ca.pem";
    options.oauth_client_id = "never-registered";
    auto c = MakeConnector(options);
    ASSERT_TRUE(c);
    ConsentGrant grant;
    auto step = (*c)->StartConsent(RequestUntilApril(), Present(), grant);
    ASSERT_FALSE(step);
    EXPECT_EQ(step.error().code, ErrorCode::kProtocol) << step.error().ToString();
    EXPECT_EQ(step.error().message.rfind("discovery: ", 0), 0u) << step.error().message;
    EXPECT_TRUE(grant.consent_id.empty());
    TearDown();
  }
}

TEST_F(UkOpenBanking, RegistrationGivesAClientIdAndCanBeUpdatedAndDeleted) {
  StartUkBank();
  BankProfile p = Profile();
  ConnectionOptions options;
  options.profile = p;
  options.qwac = {pki_ + "/qwac.pem", pki_ + "/qwac.key", "", ""};
  options.qseal = {pki_ + "/qseal.pem", pki_ + "/qseal.key", "", ""};
  options.ca_bundle_file = pki_ + "/ca.pem";
  for (ClientAuthMethod method : {ClientAuthMethod::kPrivateKeyJwt, ClientAuthMethod::kTlsClientAuth}) {
    SCOPED_TRACE(ClientAuthMethodName(method));
    options.profile.oauth2->client_auth = method;
    options.oauth_client_id.clear();
    auto registrar = MakeClientRegistrar(options);
    ASSERT_TRUE(registrar) << registrar.error().ToString();
    auto registration = (*registrar)->Register({SoftwareStatement(), {"https://tpp.example/callback"}});
    ASSERT_TRUE(registration) << registration.error().ToString();
    EXPECT_FALSE(registration->client_id.empty());
    EXPECT_EQ(registration->token_endpoint_auth_method, ClientAuthMethodName(method));
    // The client id works: a consent with it, by either client authentication.
    options.oauth_client_id = registration->client_id;
    auto c = MakeConnector(options);
    ASSERT_TRUE(c);
    ConsentGrant grant;
    ASSERT_TRUE((*c)->CompleteConsent(grant, Approve(**c, grant), Present()));
    auto managed = MakeClientRegistrar(options);
    ASSERT_TRUE(managed);
    auto updated = (*managed)->Update({SoftwareStatement(), {"https://tpp.example/callback", "https://tpp.example/b"}});
    ASSERT_TRUE(updated) << updated.error().ToString();
    EXPECT_EQ(updated->client_id, registration->client_id);
    EXPECT_EQ(updated->redirect_uris.size(), 2u);
    ASSERT_TRUE((*managed)->Delete());
    // Gone: the bank no longer knows the client.
    auto after = MakeConnector(options);
    ASSERT_TRUE(after);
    ConsentGrant refused;
    auto step = (*after)->StartConsent(RequestUntilApril(), Present(), refused);
    ASSERT_FALSE(step);
    EXPECT_EQ(step.error().code, ErrorCode::kUnauthenticated) << step.error().ToString();
  }
  auto bad = MakeClientRegistrar(options);
  ASSERT_TRUE(bad);
  auto no_ssa = (*bad)->Register({"not-a-jwt", {"https://tpp.example/callback"}});
  ASSERT_FALSE(no_ssa);
  EXPECT_EQ(no_ssa.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(UkOpenBanking, RefreshTokensThatAreReusedOrNeverIssued) {
  StartUkBank("    refresh_tokens: reuse\n", "  page_size: 10\n  token_ttl_s: 1\n");
  auto c = Connect(Profile());
  ConsentGrant grant = Consent(*c, ScaApproach::kOAuth2);
  const std::string refresh = grant.refresh_token;
  ASSERT_FALSE(refresh.empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ASSERT_TRUE(c->ListAccounts(grant, Present()));
  EXPECT_EQ(grant.refresh_token, refresh) << "kept: the bank re-uses it";
  TearDown();
  StartUkBank("    refresh_tokens: none\n", "  page_size: 10\n  token_ttl_s: 1\n");
  c = Connect(Profile());
  grant = Consent(*c, ScaApproach::kOAuth2);
  EXPECT_TRUE(grant.refresh_token.empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  auto expired = c->ListAccounts(grant, Present());
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, ErrorCode::kUnauthenticated) << expired.error().ToString();
}

TEST_F(UkOpenBanking, ConsentsThatCannotBeAskedOfAUkBankAreRefusedBeforeAnythingIsSent) {
  StartUkBank();
  auto c = Connect(Profile());
  ConsentRequest listed = RequestUntilApril();
  listed.scope = ConsentRequest::Scope::kListedAccounts;
  listed.ibans = {"GB33BUKB20201555555555"};
  ConsentGrant grant;
  const int64_t before = stats().api_requests.load();
  auto step = c->StartConsent(listed, Present(), grant);
  ASSERT_FALSE(step);
  EXPECT_EQ(step.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(step.error().message.find("GB33"), std::string::npos);
  ConsentRequest neither = RequestUntilApril();
  neither.permissions.credits = neither.permissions.debits = false;
  EXPECT_FALSE(c->StartConsent(neither, Present(), grant));
  ConsentRequest decoupled = RequestUntilApril();
  decoupled.approach = ScaApproach::kDecoupled;
  EXPECT_FALSE(c->StartConsent(decoupled, Present(), grant));
  EXPECT_EQ(stats().api_requests.load(), before);
}

// FAPI: the bank echoes the request's interaction id. An answer carrying another belongs to another exchange.
TEST_F(UkOpenBanking, AnAnswerWithAnotherInteractionIdIsRefused) {
  StartUkBank("    wrong_interaction_id: true\n");
  auto c = Connect(Profile());
  ConsentGrant grant;
  auto step = c->StartConsent(RequestUntilApril(), Present(), grant);
  ASSERT_FALSE(step);
  EXPECT_EQ(step.error().code, ErrorCode::kProtocol);
  EXPECT_EQ(step.error().message, "create consent: x-fapi-interaction-id: not the one sent");
  EXPECT_TRUE(grant.consent_id.empty());
}

// A UK bank that refuses AIS reads without x-fapi-customer-ip-address even when the customer is away: refused
// without the quirk, read with it (the address the customer used when they authorised the consent).
TEST_F(UkOpenBanking, CustomerIpRequiredWhenUnattended) {
  StartUkBank("    require_customer_ip: true\n");
  auto plain = Connect(Profile());
  ConsentGrant grant = Consent(*plain, ScaApproach::kOAuth2);
  EXPECT_EQ(grant.customer_ip, "") << "not kept for a bank whose profile does not need it";
  auto refused = plain->GetBalances(grant, Acc1(), Unattended());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().http_status, 400) << refused.error().ToString();
  EXPECT_EQ(refused.error().bank_code, "UK.OBIE.Header.Missing");

  BankProfile p = Profile();
  p.quirks.customer_ip_unattended = true;
  auto quirky = Connect(p);
  ConsentGrant kept = Consent(*quirky, ScaApproach::kOAuth2);
  EXPECT_EQ(kept.customer_ip, "192.0.2.10");
  auto read = quirky->GetBalances(kept, Acc1(), Unattended());
  ASSERT_TRUE(read) << read.error().ToString();
  EXPECT_EQ(kept.usage.at("balances:acc-1"), 1) << "still counted as an unattended read on our side";

  // A grant from before the quirk was declared has no address: refused before anything is sent.
  ConsentGrant old = kept;
  old.customer_ip.clear();
  auto unknown = quirky->GetBalances(old, Acc1(), Unattended());
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(unknown.error().http_status, 0);
}

// A bank that gives its accounts new AccountIds every other day. With the quirk, the sync lists the accounts again
// each time and knows them by their identification: still one account, the same feed, no change. Without it, the
// stored id is one the bank no longer knows and the account's sync fails.
TEST_F(UkOpenBanking, AccountIdsThatChangeOverTime) {
  StartUkBank("", "  page_size: 10\n  account_ids_change_every_days: 2\n");
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("bankfeed-uk-ids-" + std::to_string(::getpid()));
  for (const bool quirk : {true, false}) {
    SCOPED_TRACE(quirk ? "account_ids_change" : "no quirk");
    fs::remove_all(dir);
    fs::create_directories(dir);
    auto keys = crypto::Keyring::Generate("k1");
    ASSERT_TRUE(keys);
    ASSERT_TRUE(keys->WriteKeyFile((dir / "keys").string()));
    auto store = OpenSqliteStore(StoreOptions(dir.string()));
    ASSERT_TRUE(store) << store.error().ToString();

    BankProfile p = Profile();
    p.quirks.values.account_ids_change = quirk;
    int32_t day = Date::Parse(kToday)->days_since_epoch;
    const auto now = [&day] {
      return std::chrono::system_clock::time_point(std::chrono::seconds(int64_t{day} * 86400 + 12 * 3600));
    };
    bank().clock().Set(Date{day});
    auto customer = (*store)->EnsureCustomer("t", "psu-1");
    ASSERT_TRUE(customer);
    ConsentRecord record{"t", "", customer->handle, p.id, {}};
    record.grant = Consent(*Connect(p, now), ScaApproach::kOAuth2);
    ASSERT_TRUE((*store)->SaveConsent(record));

    SyncEngine engine(**store, [&](const std::string&) -> Result<std::unique_ptr<Connector>> {
      return Connect(p, now);
    });
    SyncOptions options;
    options.tenant = "t";
    options.now = now;
    auto first = engine.Run(options);
    ASSERT_TRUE(first && first->all_ok());
    EXPECT_EQ(first->added(), 14);

    ++day;  // 2025-02-01, before the pending rows book: the bank's data is the same, its ids are new
    ASSERT_NE(day / 2, (day - 1) / 2) << "the ids change every other day: not on this one";
    bank().clock().Set(Date{day});
    auto second = engine.Run(options);
    ASSERT_TRUE(second);
    auto accounts = (*store)->ListAccounts("t");
    ASSERT_TRUE(accounts);
    ASSERT_EQ(accounts->size(), 1u) << "never a second account for the same one";
    if (quirk) {
      EXPECT_TRUE(second->all_ok());
      EXPECT_EQ(second->added() + second->modified() + second->removed(), 0);
      EXPECT_EQ((*accounts)[0].account.resource_id, "acc-1-g" + std::to_string(day / 2));
    } else {
      EXPECT_FALSE(second->all_ok()) << "the stored id is one the bank no longer knows";
    }
    store->reset();
  }
  fs::remove_all(dir);
}

// How a bank wants the date-time filters written: a zone after the time, and ':' not percent-encoded. Refused
// without the quirks, read with them; and a bank that wants the standard form refuses the quirky one.
TEST_F(UkOpenBanking, DateTimeFilterForm) {
  const TransactionQuery january{*Date::Parse("2025-01-01"), std::nullopt};
  StartUkBank("", "  page_size: 10\n  require: {date_time_suffix: Z, date_time_colons: literal}\n");
  BankProfile p = Profile();
  auto plain = Connect(p);
  ConsentGrant grant = Consent(*plain, ScaApproach::kOAuth2);
  auto refused = plain->GetTransactions(grant, Acc1(), january, Present());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().http_status, 400) << refused.error().ToString();
  p.quirks.date_time_query_suffix = "Z";
  EXPECT_FALSE(Connect(p)->GetTransactions(grant, Acc1(), january, Present())) << "the colons are still encoded";
  p.quirks.date_time_colons_encoded = false;
  auto read = Connect(p)->GetTransactions(grant, Acc1(), january, Present());
  ASSERT_TRUE(read) << read.error().ToString();
  EXPECT_EQ(read->transactions.size(), 14u);
  TearDown();

  StartUkBank("", "  page_size: 10\n  require: {date_time_suffix: \"+00:00\", date_time_colons: encoded}\n");
  BankProfile q = Profile();
  q.quirks.date_time_query_suffix = "+00:00";
  auto c = Connect(q);
  grant = Consent(*c, ScaApproach::kOAuth2);
  auto offset = c->GetTransactions(grant, Acc1(), january, Present());
  ASSERT_TRUE(offset) << offset.error().ToString() << " ('+' must reach the bank as '+', not a space)";
  EXPECT_EQ(offset->transactions.size(), 14u);
  q.quirks.date_time_colons_encoded = false;
  EXPECT_FALSE(Connect(q)->GetTransactions(grant, Acc1(), january, Present()));
}

// UK banks that write "1,234.56": the UK mapping reads it without a quirk, exactly.
TEST_F(UkOpenBanking, AmountsWithAThousandsSeparator) {
  StartUkBank("", "  page_size: 10\n  wire: {thousands_separator: true}\n");
  auto c = Connect(Profile());
  ConsentGrant grant = Consent(*c, ScaApproach::kOAuth2);
  auto balances = c->GetBalances(grant, Acc1(), Present());
  ASSERT_TRUE(balances) << balances.error().ToString();
  ASSERT_EQ(balances->size(), 1u);
  EXPECT_EQ((*balances)[0].amount.ToString(), "1234.56");
  auto read = c->GetTransactions(grant, Acc1(), {*Date::Parse("2025-01-01"), std::nullopt}, Present());
  ASSERT_TRUE(read) << read.error().ToString();
  EXPECT_EQ(read->transactions.size(), 14u);
}

// UK quirks as profile data: the bank's date format in the filters, no end of the period, a capped window; each
// against a bank that needs it, read wrong without the quirk.
TEST_F(UkOpenBanking, DateFilterQuirks) {
  const TransactionQuery january{*Date::Parse("2025-01-01"), std::nullopt};
  StartUkBank("", "  page_size: 10\n  require: {date_format: \"%d.%m.%Y\", date_to: forbidden}\n");
  BankProfile p = Profile();
  auto plain = Connect(p);
  ConsentGrant grant = Consent(*plain, ScaApproach::kOAuth2);
  auto refused = plain->GetTransactions(grant, Acc1(), january, Present());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument) << refused.error().ToString();
  p.quirks.date_query_format = "%d.%m.%Y";
  p.quirks.send_date_to = false;
  auto quirky = Connect(p);
  auto read = quirky->GetTransactions(grant, Acc1(), january, Present());
  ASSERT_TRUE(read) << read.error().ToString();
  EXPECT_EQ(read->transactions.size(), 14u);
  TearDown();

  StartUkBank("", "  page_size: 10\n  require: {max_window_days: 10}\n");
  p = Profile();
  auto c = Connect(p);
  grant = Consent(*c, ScaApproach::kOAuth2);
  EXPECT_FALSE(c->GetTransactions(grant, Acc1(), january, Present()));
  p.quirks.max_window_days = 10;
  c = Connect(p);
  auto windows = c->GetTransactions(grant, Acc1(), january, Present());
  ASSERT_TRUE(windows) << windows.error().ToString();
  EXPECT_EQ(windows->transactions.size(), 14u);
}

// OpenID Connect Core §§3.1.3.7, 12.2: an ID token in the token endpoint's answers (the code's, every refresh's) is
// validated before any of their tokens is kept, its sub the callback token's; an answer without one is taken.
TEST_F(UkOpenBanking, TheTokenEndpointsIdTokensAreValidatedOnCodeAndRefresh) {
  // token_ttl_s 1: every read renews the access token first (it expires within GrantTokens::kRefreshMargin).
  const std::string short_tokens = "  page_size: 10\n  token_ttl_s: 1\n";
  for (const std::string mode : {"valid", "none"}) {
    SCOPED_TRACE(mode);
    StartUkBank("    token_id_token: " + mode + "\n", short_tokens);
    auto c = Connect(Profile());
    ASSERT_NE(c, nullptr);
    ConsentGrant grant = Consent(*c, ScaApproach::kOAuth2);
    ASSERT_EQ(grant.status, ConsentStatus::kValid);
    EXPECT_EQ(grant.id_token_subject, grant.consent_id) << "the callback token's sub (the sandbox's: the consent id)";
    const std::string access = grant.access_token, refresh = grant.refresh_token;
    auto accounts = c->ListAccounts(grant, Present());
    ASSERT_TRUE(accounts) << accounts.error().ToString();
    EXPECT_NE(grant.access_token, access) << "refreshed";
    EXPECT_NE(grant.refresh_token, refresh) << "rotated";
    TearDown();
  }

  // A bank whose token answers carry an ID token with exactly one thing wrong: the code's answer is refused, and
  // nothing of it is kept.
  const std::pair<const char*, const char*> faults[] = {
      {"other_sub", "sub"}, {"wrong_key", "signature"}, {"other_issuer", "iss"}, {"bad_at_hash", "at_hash"}};
  for (const auto& [fault, claim] : faults) {
    SCOPED_TRACE(fault);
    StartUkBank(std::string("    token_id_token: ") + fault + "\n", short_tokens);
    auto c = Connect(Profile());
    ASSERT_NE(c, nullptr);
    ConsentGrant grant;
    CallbackParams callback = Approve(*c, grant);
    auto status = c->CompleteConsent(grant, callback, Present());
    ASSERT_FALSE(status) << fault << ": accepted";
    EXPECT_EQ(status.error().code, ErrorCode::kConsentInvalid) << status.error().ToString();
    EXPECT_EQ(status.error().bank_id, "test-bank");
    EXPECT_NE(status.error().message.find(std::string("token response id_token: ") + claim), std::string::npos)
        << status.error().message;
    EXPECT_EQ(status.error().message.find("eyJ"), std::string::npos) << "no token in the message";
    EXPECT_NE(grant.status, ConsentStatus::kValid);
    EXPECT_TRUE(grant.access_token.empty()) << "nothing of the refused answer is kept";
    EXPECT_TRUE(grant.refresh_token.empty());
    EXPECT_TRUE(grant.id_token_subject.empty());
    TearDown();
  }

  // A refresh whose ID token names another customer than the one who authorised: refused, and the grant keeps the
  // tokens it had.
  StartUkBank("    token_id_token: valid\n", short_tokens);
  auto c = Connect(Profile());
  ASSERT_NE(c, nullptr);
  ConsentGrant grant = Consent(*c, ScaApproach::kOAuth2);
  ASSERT_EQ(grant.status, ConsentStatus::kValid);
  grant.id_token_subject = "another-customer";
  const ConsentGrant before = grant;
  auto refused = c->ListAccounts(grant, Present());
  ASSERT_FALSE(refused) << "a refresh for another customer was accepted";
  EXPECT_EQ(refused.error().code, ErrorCode::kConsentInvalid) << refused.error().ToString();
  EXPECT_NE(refused.error().message.find("token response id_token: sub"), std::string::npos)
      << refused.error().message;
  EXPECT_EQ(grant.access_token, before.access_token);
  EXPECT_EQ(grant.refresh_token, before.refresh_token);
  EXPECT_EQ(grant.access_token_expires, before.access_token_expires);
  EXPECT_EQ(grant.id_token_subject, "another-customer");
}

}  // namespace
}  // namespace bankfeed::testing
