// Consents and strong customer authentication for Berlin Group: redirect, decoupled (polled), OAuth2 pre-step,
// with the authorisation started implicitly or explicitly.
#include <algorithm>

#include "adapters/berlin_group/adapter.hpp"
#include "adapters/berlin_group/consent.hpp"
#include "adapters/berlin_group/mapping.hpp"
#include "adapters/common/customer_ip.hpp"
#include "adapters/common/decoupled.hpp"
#include "adapters/common/oauth2.hpp"
#include "log/log.hpp"

namespace bankfeed::berlin_group {
namespace {

Result<Consent> ParseConsent(std::string_view body, const BankProfile& profile, std::string_view what) {
  NormalizeOptions options;
  options.standard = Standard::kBerlinGroup;
  options.timezone = profile.timezone;
  options.quirks = profile.quirks.values;
  simdjson::padded_string padded(body);
  auto consent = MapConsent(padded, options);
  if (!consent) {
    Error e = consent.error();
    e.message = std::string(what) + ": " + e.message;
    e.bank_id = profile.id;
    return tl::unexpected(std::move(e));
  }
  return consent;
}

}  // namespace

Result<ScaStep> BerlinGroupConnector::StartConsent(const ConsentRequest& request, const PsuContext& psu,
                                                   ConsentGrant& grant) {
  ScaApproach approach = request.approach.value_or(profile_.sca.approaches.front());
  const auto& offered = profile_.sca.approaches;
  if (std::find(offered.begin(), offered.end(), approach) == offered.end()) {
    return tl::unexpected(WithBank(Error(ErrorCode::kInvalidArgument,
                                         "consent.approach: " + std::string(ScaApproachName(approach)) +
                                             " is not offered by bank " + profile_.id)));
  }
  if (approach == ScaApproach::kEmbedded) {
    return tl::unexpected(WithBank(Error(ErrorCode::kConfig, "consent.approach: embedded SCA is not supported")));
  }
  if ((approach == ScaApproach::kRedirect || approach == ScaApproach::kOAuth2) && request.redirect_uri.empty()) {
    return tl::unexpected(WithBank(Error(ErrorCode::kInvalidArgument, "consent.redirect_uri: required for " +
                                                                          std::string(ScaApproachName(approach)))));
  }
  BANKFEED_RETURN_IF_ERROR(ConsentRequestBody(request));  // refuse a bad request before anything is sent
  grant = ConsentGrant{};
  grant.bank_id = profile_.id;
  grant.approach = approach;
  grant.psu_id = psu.psu_id;
  grant.request = request;
  adapters::RememberCustomerIp(grant, psu, profile_.quirks);
  if (approach != ScaApproach::kOAuth2) return CreateConsent(grant, psu);

  // OAuth2 pre-step: the customer authorises us first; the consent is created with the token afterwards.
  if (!profile_.oauth2) return tl::unexpected(WithBank(Error(ErrorCode::kConfig, "oauth2: missing in the profile")));
  grant.oauth_state = adapters::RandomUrlToken(24);
  if (profile_.oauth2->pkce) grant.pkce_verifier = adapters::RandomUrlToken(48);
  adapters::AuthorizationRequest auth{client_id_, request.redirect_uri, profile_.oauth2->scope, grant.oauth_state,
                                      profile_.oauth2->pkce ? adapters::PkceChallenge(grant.pkce_verifier) : ""};
  auto url = adapters::AuthorizationUrl(*profile_.oauth2, auth);
  if (!url) return tl::unexpected(WithBank(url.error()));
  ScaStep step;
  step.approach = ScaApproach::kOAuth2;
  step.redirect_url = std::move(*url);
  step.status = ConsentStatus::kReceived;
  return step;
}

Result<ScaStep> BerlinGroupConnector::CreateConsent(ConsentGrant& grant, const PsuContext& psu) {
  const ConsentRequest& request = grant.request;
  Call call;
  call.method = "POST";
  call.url = ApiUrl("/v1/consents");
  BANKFEED_ASSIGN_OR_RETURN(call.body, ConsentRequestBody(request));
  call.grant = &grant;
  call.psu = &psu;
  call.operation = "create consent";
  const bool redirect = grant.approach == ScaApproach::kRedirect;
  if (grant.approach != ScaApproach::kOAuth2) {
    call.headers.push_back({"TPP-Redirect-Preferred", redirect ? "true" : "false"});
    if (!redirect) call.headers.push_back({"TPP-Decoupled-Preferred", "true"});
    if (redirect) call.headers.push_back({"TPP-Redirect-URI", request.redirect_uri});
    if (redirect && !request.nok_redirect_uri.empty()) {
      call.headers.push_back({"TPP-Nok-Redirect-URI", request.nok_redirect_uri});
    }
    call.headers.push_back({"TPP-Explicit-Authorisation-Preferred", profile_.sca.explicit_start ? "true" : "false"});
  }
  BANKFEED_ASSIGN_OR_RETURN(auto response, Exchange(call));
  BANKFEED_ASSIGN_OR_RETURN(auto consent, ParseConsent(response.body, profile_, "create consent"));
  auto answer = ReadAuthorisationAnswer(response.body);
  if (!answer) return tl::unexpected(WithBank(answer.error()));
  if (answer->consent_id.empty()) {
    return tl::unexpected(WithBank(Error(ErrorCode::kProtocol, "create consent: consentId missing in the answer")));
  }
  grant.consent_id = answer->consent_id;
  grant.status = consent.status.value_or(ConsentStatus::kReceived);
  log::Info("bg.consent.created", {{"bank", profile_.id}, {"request_id", response.request_id}});

  // Explicit start: POST the startAuthorisation link, which answers with the approach's own links.
  const bool has_sca_link = answer->links.count("scaRedirect") || answer->links.count("scaStatus");
  std::string from = response.url;
  if (!has_sca_link && grant.approach != ScaApproach::kOAuth2) {
    auto start = std::find_if(answer->links.begin(), answer->links.end(),
                              [](const auto& link) { return link.first.rfind("startAuthorisation", 0) == 0; });
    if (start == answer->links.end()) {
      return tl::unexpected(WithBank(Error(ErrorCode::kProtocol, "create consent: no SCA link in the answer")));
    }
    Call auth;
    auth.method = "POST";
    BANKFEED_ASSIGN_OR_RETURN(auth.url, SameOriginLink(response.url, start->second, "_links.startAuthorisation"));
    auth.body = "{}";
    auth.grant = &grant;
    auth.psu = &psu;
    auth.operation = "start authorisation";
    if (redirect) auth.headers.push_back({"TPP-Redirect-URI", request.redirect_uri});
    BANKFEED_ASSIGN_OR_RETURN(auto auth_response, Exchange(auth));
    auto auth_answer = ReadAuthorisationAnswer(auth_response.body);
    if (!auth_answer) return tl::unexpected(WithBank(auth_answer.error()));
    auth_answer->consent_id = grant.consent_id;
    answer = std::move(auth_answer);
    from = auth_response.url;
  }
  grant.authorisation_id = answer->authorisation_id;

  ScaStep step;
  step.status = grant.status;
  if (auto it = answer->links.find("scaRedirect"); it != answer->links.end()) {
    // The bank's login page may live on another host, but only ever on https.
    BANKFEED_ASSIGN_OR_RETURN(auto url, adapters::ResolveUrl(from, it->second, "_links.scaRedirect"));
    if (url.rfind("https://", 0) != 0) {
      return tl::unexpected(WithBank(Error(ErrorCode::kProtocol, "_links.scaRedirect: not an https URL")));
    }
    grant.approach = ScaApproach::kRedirect;
    step.approach = ScaApproach::kRedirect;
    step.redirect_url = std::move(url);
  } else if (auto status = answer->links.find("scaStatus"); status != answer->links.end()) {
    BANKFEED_ASSIGN_OR_RETURN(grant.sca_status_url, SameOriginLink(from, status->second, "_links.scaStatus"));
    if (grant.approach == ScaApproach::kRedirect) grant.approach = ScaApproach::kDecoupled;
    step.approach = grant.approach;
    if (!answer->psu_message.empty()) step.psu_message = answer->psu_message;
  } else if (grant.approach != ScaApproach::kOAuth2) {
    return tl::unexpected(WithBank(Error(ErrorCode::kProtocol, "start authorisation: no scaRedirect or scaStatus")));
  } else {
    step.approach = ScaApproach::kOAuth2;
  }
  return step;
}

Result<ConsentStatus> BerlinGroupConnector::CompleteConsent(ConsentGrant& grant, const CallbackParams& callback,
                                                            const PsuContext& psu) {
  if (grant.bank_id != profile_.id) {
    return tl::unexpected(WithBank(Error(ErrorCode::kInvalidArgument, "grant.bank_id: belongs to another bank")));
  }
  adapters::RememberCustomerIp(grant, psu, profile_.quirks);
  if (grant.approach == ScaApproach::kDecoupled) {
    const adapters::DecoupledPolling polling{profile_.sca.decoupled_timeout, profile_.sca.decoupled_poll_interval,
                                             env_.now, env_.sleep};
    return adapters::PollDecoupled([&] { return FetchConsentStatus(grant); }, polling, profile_.id);
  }
  if (grant.approach == ScaApproach::kRedirect) return FetchConsentStatus(grant);

  // OAuth2 pre-step: code for tokens, then the consent itself.
  BANKFEED_ASSIGN_OR_RETURN(const std::string code, adapters::AuthorizationCode(grant, callback, profile_.id));
  BANKFEED_RETURN_IF_ERROR(tokens_.RedeemCode(grant, code, grant.request.redirect_uri));
  BANKFEED_RETURN_IF_ERROR(CreateConsent(grant, psu));
  if (grant.status == ConsentStatus::kValid) return grant.status;
  return FetchConsentStatus(grant);
}

Result<ConsentStatus> BerlinGroupConnector::FetchConsentStatus(ConsentGrant& grant) {
  if (grant.consent_id.empty()) {
    return tl::unexpected(WithBank(Error(ErrorCode::kConsentInvalid, "the consent was never created")));
  }
  BANKFEED_RETURN_IF_ERROR(EnsureAccessToken(grant));
  Call call;
  call.url = ApiUrl("/v1/consents/" + adapters::PercentEncode(grant.consent_id) + "/status");
  call.grant = &grant;
  call.operation = "consent status";
  BANKFEED_ASSIGN_OR_RETURN(auto response, Exchange(call));
  BANKFEED_ASSIGN_OR_RETURN(auto consent, ParseConsent(response.body, profile_, "consent status"));
  if (!consent.status) {
    return tl::unexpected(WithBank(Error(ErrorCode::kProtocol, "consent status: consentStatus missing")));
  }
  grant.status = *consent.status;
  return grant.status;
}

Result<Consent> BerlinGroupConnector::GetConsent(ConsentGrant& grant) {
  if (grant.consent_id.empty()) {
    return tl::unexpected(WithBank(Error(ErrorCode::kConsentInvalid, "the consent was never created")));
  }
  BANKFEED_RETURN_IF_ERROR(EnsureAccessToken(grant));
  Call call;
  call.url = ApiUrl("/v1/consents/" + adapters::PercentEncode(grant.consent_id));
  call.grant = &grant;
  call.operation = "get consent";
  BANKFEED_ASSIGN_OR_RETURN(auto response, Exchange(call));
  BANKFEED_ASSIGN_OR_RETURN(auto consent, ParseConsent(response.body, profile_, "get consent"));
  if (!consent.consent_id) consent.consent_id = grant.consent_id;
  if (consent.status) grant.status = *consent.status;
  return consent;
}

Status BerlinGroupConnector::RevokeConsent(ConsentGrant& grant) {
  Status result;
  if (!grant.consent_id.empty()) {
    Call call;
    call.method = "DELETE";
    call.url = ApiUrl("/v1/consents/" + adapters::PercentEncode(grant.consent_id));
    call.grant = &grant;
    call.operation = "revoke consent";
    if (auto token = EnsureAccessToken(grant); !token) {
      result = tl::unexpected(token.error());
    } else if (auto response = Exchange(call); !response) {
      result = tl::unexpected(response.error());
    }
  }
  // Not revoked: the tokens stay (refreshed ones included), so that the caller saves them and can try again; the
  // consent may still be live at the bank, and only they can end it.
  if (!result) return result;
  grant.access_token.clear();
  grant.refresh_token.clear();
  grant.access_token_expires.reset();
  grant.oauth_state.clear();
  grant.pkce_verifier.clear();
  grant.status = ConsentStatus::kTerminated;
  return result;
}

}  // namespace bankfeed::berlin_group
