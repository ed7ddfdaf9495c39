// STET authorization: the customer authorises at the bank with the OAuth2 authorization code flow; the code is
// redeemed for the consent's tokens; the accounts the customer's request covers are declared with PUT /consents
// (where the bank implements it); revocation at the bank's RFC 7009 endpoint where it has one.
#include <algorithm>
#include <set>

#include <simdjson.h>

#include "adapters/common/bank_error.hpp"
#include "adapters/common/customer_ip.hpp"
#include "adapters/common/oauth2.hpp"
#include "adapters/stet/connector.hpp"
#include "adapters/stet/errors.hpp"
#include "common/json_object.hpp"
#include "log/log.hpp"

namespace bankfeed::stet {
namespace {

namespace dom = simdjson::dom;

// The accounts of a GET /accounts answer: each one's `accountId` as the bank wrote it (echoed in PUT /consents,
// whatever its form: iban, or `other` for banks that give no IBAN) and its IBAN when it has one.
struct ListedAccount {
  std::string identification_json;
  std::string iban;
};

Result<std::vector<ListedAccount>> ListedAccounts(const std::string& body) {
  dom::parser parser;
  dom::object root;
  if (parser.parse(body).get_object().get(root) != simdjson::SUCCESS) {
    return MakeError(ErrorCode::kProtocol, "accounts: not a JSON object");
  }
  std::vector<ListedAccount> out;
  dom::element list;
  if (root["accounts"].get(list) != simdjson::SUCCESS || list.is_null()) return out;
  dom::array accounts;
  if (list.get_array().get(accounts) != simdjson::SUCCESS) {
    return MakeError(ErrorCode::kProtocol, "accounts: expected a list");
  }
  size_t index = 0;
  for (dom::element account : accounts) {
    const std::string path = "accounts[" + std::to_string(index++) + "].accountId";
    dom::object id;
    if (account["accountId"].get_object().get(id) != simdjson::SUCCESS) {
      return MakeError(ErrorCode::kProtocol, path + ": missing or not an object");
    }
    ListedAccount a;
    a.identification_json = simdjson::minify(id);
    std::string_view iban;
    if (id["iban"].get_string().get(iban) == simdjson::SUCCESS) a.iban = std::string(iban);
    out.push_back(std::move(a));
  }
  return out;
}

// The customer's request in STET's terms: which listed accounts it covers (kInvalidArgument naming the IBAN's
// index for one the bank does not list).
Result<std::vector<std::string>> CoveredAccounts(const ConsentRequest& request,
                                                 const std::vector<ListedAccount>& listed, std::string_view bank_id) {
  std::vector<std::string> out;
  if (request.scope == ConsentRequest::Scope::kAccountsOnly) return out;
  if (request.scope == ConsentRequest::Scope::kAllAccounts) {
    for (const ListedAccount& a : listed) out.push_back(a.identification_json);
    return out;
  }
  for (size_t i = 0; i < request.ibans.size(); ++i) {
    const auto it = std::find_if(listed.begin(), listed.end(),
                                 [&](const ListedAccount& a) { return a.iban == request.ibans[i]; });
    if (it == listed.end()) {
      return tl::unexpected(adapters::BankError(
          ErrorCode::kInvalidArgument,
          "consent.ibans[" + std::to_string(i) + "]: not among the accounts the customer gave access to at the bank",
          bank_id));
    }
    out.push_back(it->identification_json);
  }
  return out;
}

std::string JsonList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const std::string& item : items) {
    if (out.size() > 1) out += ',';
    out += item;
  }
  return out + "]";
}

}  // namespace

Result<ScaStep> StetConnector::StartConsent(const ConsentRequest& request, const PsuContext& psu,
                                            ConsentGrant& grant) {
  if (request.approach && *request.approach != ScaApproach::kOAuth2) {
    return tl::unexpected(WithBank(Error(ErrorCode::kInvalidArgument,
                                         "consent.approach: STET banks authorise with the OAuth2 code flow")));
  }
  if (request.redirect_uri.empty()) {
    return tl::unexpected(WithBank(Error(ErrorCode::kInvalidArgument, "consent.redirect_uri: missing")));
  }
  const ConsentPermissions& p = request.permissions;
  if (request.scope != ConsentRequest::Scope::kAccountsOnly && p.transactions && !p.credits && !p.debits) {
    return tl::unexpected(
        WithBank(Error(ErrorCode::kInvalidArgument, "consent.permissions: transactions without credits or debits")));
  }
  grant.bank_id = profile_.id;
  grant.approach = ScaApproach::kOAuth2;
  grant.status = ConsentStatus::kReceived;
  grant.request = request;
  grant.oauth_state = adapters::RandomUrlToken(24);
  grant.pkce_verifier = profile_.oauth2->pkce ? adapters::RandomUrlToken(48) : std::string();
  adapters::RememberCustomerIp(grant, psu, profile_.quirks);
  adapters::AuthorizationRequest authorize{client_id_, request.redirect_uri, profile_.oauth2->scope,
                                           grant.oauth_state, {}};
  if (!grant.pkce_verifier.empty()) authorize.code_challenge = adapters::PkceChallenge(grant.pkce_verifier);
  BANKFEED_ASSIGN_OR_RETURN(std::string url, adapters::AuthorizationUrl(*profile_.oauth2, authorize));
  ScaStep step;
  step.approach = ScaApproach::kOAuth2;
  step.redirect_url = std::move(url);
  step.status = grant.status;
  return step;
}

Result<ConsentStatus> StetConnector::CompleteConsent(ConsentGrant& grant, const CallbackParams& callback,
                                                     const PsuContext& psu) {
  BANKFEED_ASSIGN_OR_RETURN(std::string code, adapters::AuthorizationCode(grant, callback, profile_.id));
  BANKFEED_RETURN_IF_ERROR(tokens_.RedeemCode(grant, code, grant.request.redirect_uri));
  grant.authorised_at = DateTime{NowSeconds(), 0, 0};
  adapters::RememberCustomerIp(grant, psu, profile_.quirks);
  if (profile_.quirks.consents_endpoint) {
    // The customer's choice of accounts, among those they gave access to at the bank. Until the bank took it, the
    // grant is not valid (its tokens are kept: the caller may revoke them).
    BANKFEED_ASSIGN_OR_RETURN(http::Response accounts, ReadAccountsAnswer(grant, psu));
    BANKFEED_RETURN_IF_ERROR(PutConsents(grant, psu, accounts.body));
  }
  grant.status = ConsentStatus::kValid;
  log::Info("stet.consent.authorised", {{"bank", profile_.id}});
  return grant.status;
}

Status StetConnector::PutConsents(ConsentGrant& grant, const PsuContext& psu, const std::string& accounts_body) {
  auto listed = ListedAccounts(accounts_body);
  if (!listed) return tl::unexpected(WithBank(Error(listed.error().code, "read accounts: " + listed.error().message)));
  BANKFEED_ASSIGN_OR_RETURN(std::vector<std::string> covered, CoveredAccounts(grant.request, *listed, profile_.id));
  const ConsentPermissions& p = grant.request.permissions;
  const std::vector<std::string> none;
  Call call;
  call.method = "PUT";
  call.url = ApiUrl("/consents");
  call.body = JsonObjectWriter()
                  .Raw("balances", JsonList(p.balances ? covered : none))
                  .Raw("transactions", JsonList(p.transactions ? covered : none))
                  .Bool("trustedBeneficiaries", false)
                  .Bool("psuIdentity", false)
                  .Finish();
  call.grant = &grant;
  call.psu = &psu;
  call.operation = "declare the consented accounts (PUT /consents)";
  BANKFEED_RETURN_IF_ERROR(Exchange(call));
  log::Info("stet.consents.put", {{"bank", profile_.id}, {"accounts", static_cast<int64_t>(covered.size())}});
  return {};
}

Result<Consent> StetConnector::GetConsent(ConsentGrant& grant) {
  // STET has no consent resource: what the bank holds shows on the next read (a 401 whose refresh is refused
  // ends it). This is the grant's own account of it.
  if (grant.access_token.empty() && grant.status == ConsentStatus::kValid) grant.status = ConsentStatus::kExpired;
  Consent consent;
  consent.status = grant.status;
  consent.valid_until = grant.request.valid_until;
  consent.frequency_per_day = grant.request.frequency_per_day;
  consent.recurring = grant.request.recurring;
  consent.sca_method = "oauth2";
  if (grant.request.scope != ConsentRequest::Scope::kAccountsOnly) {
    if (grant.request.permissions.balances) consent.permissions.emplace_back("balances");
    if (grant.request.permissions.transactions) consent.permissions.emplace_back("transactions");
  }
  consent.permissions.insert(consent.permissions.begin(), "accounts");
  if (grant.authorised_at) consent.status_updated_datetime = grant.authorised_at;
  return consent;
}

Status StetConnector::RevokeConsent(ConsentGrant& grant) {
  const std::string& endpoint = profile_.oauth2->revocation_endpoint;
  const std::string& token = !grant.refresh_token.empty() ? grant.refresh_token : grant.access_token;
  if (!endpoint.empty() && !token.empty()) {
    // RFC 7009: revoking the refresh token ends the authorization at the bank. Not revoked: the tokens stay, so
    // that the caller saves them and can try again.
    const adapters::FormFields form = {{"token", token},
                                       {"token_type_hint", token == grant.refresh_token ? "refresh_token"
                                                                                        : "access_token"},
                                       {"client_id", client_id_}};
    BANKFEED_RETURN_IF_ERROR(adapters::RevokeToken(*client_, profile_.retry, endpoint, form, profile_.id));
  }
  grant.access_token.clear();
  grant.refresh_token.clear();
  grant.access_token_expires.reset();
  grant.access_token_refreshed = false;
  grant.oauth_state.clear();
  grant.pkce_verifier.clear();
  grant.status = ConsentStatus::kTerminated;
  log::Info("stet.consent.revoked", {{"bank", profile_.id}, {"at_bank", !endpoint.empty()}});
  return {};
}

}  // namespace bankfeed::stet
