// The UK Open Banking connector against the UK sandbox bank, for what the conformance suite does not cover: the
// hybrid flow's ID token (each check against a bank that gets exactly that one thing wrong), the provider's
// discovery document and keys, dynamic client registration, the refresh-token modes, and the UK error model.
#include <gtest/gtest.h>

#include <thread>

#include "bankfeed/registration.hpp"
#include "sandbox_fixture.hpp"

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

}  // namespace
}  // namespace bankfeed::testing
