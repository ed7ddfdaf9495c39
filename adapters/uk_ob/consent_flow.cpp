// UK Open Banking account-access consents and the FAPI hybrid flow: the consent created with a client-credentials
// token, the customer sent to the bank with a signed request object, the ID token of the callback validated
// completely before the code is redeemed, revocation.
#include <algorithm>
#include <utility>

#include "adapters/common/ais_reads.hpp"
#include "adapters/common/bank_error.hpp"
#include "adapters/common/customer_ip.hpp"
#include "adapters/common/oauth2.hpp"
#include "adapters/uk_ob/connector.hpp"
#include "adapters/uk_ob/id_token.hpp"
#include "adapters/uk_ob/mapping.hpp"
#include "common/json_object.hpp"
#include "log/log.hpp"

namespace bankfeed::uk_ob {
namespace {

// The UK permission codes for what the customer is asked. kInvalidArgument naming the field for what a UK
// consent cannot say.
Result<std::vector<std::string>> Permissions(const ConsentRequest& request, std::string_view bank_id) {
  const auto refuse = [&](std::string message) {
    return tl::unexpected(adapters::BankError(ErrorCode::kInvalidArgument, "consent." + message, bank_id));
  };
  if (request.scope == ConsentRequest::Scope::kListedAccounts) {
    return refuse("scope: listed-accounts cannot be asked of a UK Open Banking bank: the customer picks the accounts "
                  "at the bank");
  }
  const ConsentPermissions& p = request.permissions;
  std::vector<std::string> out{p.account_details ? "ReadAccountsDetail" : "ReadAccountsBasic"};
  if (request.scope == ConsentRequest::Scope::kAccountsOnly) return out;
  if (p.balances) out.emplace_back("ReadBalances");
  if (p.transactions) {
    if (!p.credits && !p.debits) return refuse("permissions: transactions without credits or debits");
    out.emplace_back(p.transaction_details ? "ReadTransactionsDetail" : "ReadTransactionsBasic");
    if (p.credits) out.emplace_back("ReadTransactionsCredits");
    if (p.debits) out.emplace_back("ReadTransactionsDebits");
  }
  return out;
}

}  // namespace

Result<ScaStep> UkConnector::StartConsent(const ConsentRequest& request, const PsuContext& psu, ConsentGrant& grant) {
  // The customer is identified at the bank, never by the TPP; only their address is kept, for a bank that wants it
  // on unattended reads too.
  adapters::RememberCustomerIp(grant, psu, profile_.quirks);
  if (request.approach && *request.approach != ScaApproach::kOAuth2) {
    return tl::unexpected(WithBank(Error(ErrorCode::kInvalidArgument,
                                         "consent.approach: UK Open Banking authorises with the OAuth2 hybrid flow")));
  }
  if (request.redirect_uri.empty()) {
    return tl::unexpected(WithBank(Error(ErrorCode::kInvalidArgument, "consent.redirect_uri: missing")));
  }
  if (!grant.consent_id.empty() && grant.status == ConsentStatus::kValid) {
    // Re-authentication: the customer authorises the same consent again (the UK 90-day rule); its permissions and
    // expiry stay the bank's.
    BANKFEED_ASSIGN_OR_RETURN(const Discovery* provider, Provider());
    grant.request.redirect_uri = request.redirect_uri;
    log::Info("uk.consent.reauthentication", {{"bank", profile_.id}});
    return AuthorizationStep(grant, *provider);
  }
  BANKFEED_ASSIGN_OR_RETURN(std::vector<std::string> permissions, Permissions(request, profile_.id));
  BANKFEED_ASSIGN_OR_RETURN(const Discovery* provider, Provider());
  BANKFEED_ASSIGN_OR_RETURN(std::string client_token, ClientToken());

  // The consent lasts to the end of its last day in the bank's time.
  const int64_t end_local = (static_cast<int64_t>(request.valid_until.days_since_epoch) + 1) * 86400 - 1;
  const DateTime expires{profile_.timezone.LocalToUtc(end_local), 0, 0};
  std::string data = JsonObjectWriter()
                         .StrList("Permissions", permissions)
                         .Str("ExpirationDateTime", expires.ToString())
                         .Finish();
  Call call;
  call.method = "POST";
  call.url = ApiUrl("/account-access-consents");
  call.body = JsonObjectWriter().Raw("Data", data).Raw("Risk", "{}").Finish();
  call.bearer = client_token;
  call.operation = "create consent";
  BANKFEED_ASSIGN_OR_RETURN(auto response, Exchange(call));
  BANKFEED_ASSIGN_OR_RETURN(
      Consent consent,
      adapters::MapAnswer(MapConsent, response, adapters::MappingOptions(profile_), "create consent", profile_.id));
  if (!consent.consent_id || consent.consent_id->empty()) {
    return tl::unexpected(
        BodyError(Error(ErrorCode::kProtocol, "Data.ConsentId: missing"), "create consent", response));
  }

  grant.bank_id = profile_.id;
  grant.consent_id = *consent.consent_id;
  grant.approach = ScaApproach::kOAuth2;
  grant.status = ConsentStatus::kReceived;
  grant.request = request;
  log::Info("uk.consent.created", {{"bank", profile_.id}, {"request_id", response.request_id}});
  return AuthorizationStep(grant, *provider);
}

Result<ScaStep> UkConnector::AuthorizationStep(ConsentGrant& grant, const Discovery& provider) {
  grant.oauth_state = adapters::RandomUrlToken(24);
  grant.oauth_nonce = adapters::RandomUrlToken(24);
  grant.pkce_verifier.clear();

  RequestObjectClaims claims;
  claims.client_id = client_id_;
  claims.issuer = provider.issuer;
  claims.redirect_uri = grant.request.redirect_uri;
  claims.scope = profile_.oauth2->scope.find("openid") == std::string::npos ? "openid " + profile_.oauth2->scope
                                                                            : profile_.oauth2->scope;
  claims.state = grant.oauth_state;
  claims.nonce = grant.oauth_nonce;
  claims.intent_id = grant.consent_id;
  claims.now = WallSeconds();
  claims.lifetime = profile_.oauth2->request_object_lifetime;
  BANKFEED_ASSIGN_OR_RETURN(std::string request_object, signer_.RequestObject(claims));

  std::string url = provider.authorization_endpoint;
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += adapters::FormEncode({{"client_id", client_id_},
                               {"response_type", "code id_token"},
                               {"scope", claims.scope},
                               {"redirect_uri", grant.request.redirect_uri},
                               {"state", grant.oauth_state},
                               {"nonce", grant.oauth_nonce},
                               {"request", request_object}});
  ScaStep step;
  step.approach = ScaApproach::kOAuth2;
  step.redirect_url = std::move(url);
  step.status = grant.status;
  return step;
}


Result<ConsentStatus> UkConnector::CompleteConsent(ConsentGrant& grant, const CallbackParams& callback,
                                                   const PsuContext& psu) {
  BANKFEED_ASSIGN_OR_RETURN(std::string code, adapters::AuthorizationCode(grant, callback, profile_.id));
  BANKFEED_ASSIGN_OR_RETURN(const Discovery* provider, Provider());

  // The ID token first: nothing from the callback is used before it proves the bank issued it for this request.
  const auto id_token = callback.find("id_token");
  IdTokenExpectations expect;
  expect.bank_id = profile_.id;
  expect.issuer = provider->issuer;
  expect.client_id = client_id_;
  expect.nonce = grant.oauth_nonce;
  expect.intent_id = grant.consent_id;
  expect.code = code;
  expect.state = callback.at("state");
  expect.now = WallSeconds();
  expect.relax.nonce_optional = profile_.oauth2->id_token.nonce_optional;
  expect.relax.s_hash_optional = profile_.oauth2->id_token.s_hash_optional;
  const std::string_view token = id_token == callback.end() ? std::string_view() : std::string_view(id_token->second);
  BANKFEED_ASSIGN_OR_RETURN(const IdTokenClaims claims,
                            ValidateIdTokenWithKeys(token, [this](bool reread) { return Keys(reread); }, expect));

  BANKFEED_ASSIGN_OR_RETURN(const adapters::GrantTokens* tokens, Tokens());
  // The customer's identifier at the bank: the token endpoint's ID tokens (this code's, every refresh's) must name
  // the same one. Kept only with the tokens: a refused code leaves the grant as it was.
  std::string previous_subject = std::exchange(grant.id_token_subject, claims.sub);
  if (auto redeemed = tokens->RedeemCode(grant, code, grant.request.redirect_uri); !redeemed) {
    grant.id_token_subject = std::move(previous_subject);
    return tl::unexpected(std::move(redeemed).error());
  }
  grant.oauth_nonce.clear();
  grant.status = ConsentStatus::kValid;
  grant.authorised_at = DateTime{NowSeconds(), 0, 0};  // the business clock: reconfirmation is counted in its days
  adapters::RememberCustomerIp(grant, psu, profile_.quirks);
  log::Info("uk.consent.authorised", {{"bank", profile_.id}});
  return grant.status;
}

Result<Consent> UkConnector::GetConsent(ConsentGrant& grant) {
  if (grant.consent_id.empty()) {
    return tl::unexpected(WithBank(Error(ErrorCode::kConsentInvalid, "the consent was never created")));
  }
  BANKFEED_ASSIGN_OR_RETURN(std::string client_token, ClientToken());
  Call call;
  call.url = ApiUrl("/account-access-consents/" + adapters::PercentEncode(grant.consent_id));
  call.bearer = std::move(client_token);
  call.operation = "get consent";
  BANKFEED_ASSIGN_OR_RETURN(auto response, Exchange(call));
  BANKFEED_ASSIGN_OR_RETURN(
      Consent consent,
      adapters::MapAnswer(MapConsent, response, adapters::MappingOptions(profile_), "get consent", profile_.id));
  if (!consent.consent_id) consent.consent_id = grant.consent_id;
  // Authorised at the bank is valid here only once the hybrid flow gave this grant its tokens.
  if (consent.status && !(*consent.status == ConsentStatus::kValid && grant.access_token.empty())) {
    grant.status = *consent.status;
  }
  return consent;
}

Status UkConnector::RevokeConsent(ConsentGrant& grant) {
  if (!grant.consent_id.empty()) {
    BANKFEED_ASSIGN_OR_RETURN(std::string client_token, ClientToken());
    Call call;
    call.method = "DELETE";
    call.url = ApiUrl("/account-access-consents/" + adapters::PercentEncode(grant.consent_id));
    call.bearer = std::move(client_token);
    call.operation = "revoke consent";
    // Not revoked: the tokens stay, so that the caller saves them and can try again.
    BANKFEED_RETURN_IF_ERROR(Exchange(call));
  }
  grant.access_token.clear();
  grant.refresh_token.clear();
  grant.access_token_expires.reset();
  grant.id_token_subject.clear();
  grant.oauth_state.clear();
  grant.oauth_nonce.clear();
  grant.pkce_verifier.clear();
  grant.status = ConsentStatus::kTerminated;
  return {};
}

}  // namespace bankfeed::uk_ob
