// One request to a Berlin Group bank: headers by the profile's rules, the Cavage signature, the retry policy,
// bearer-token refresh for the OAuth2 pre-step, and the bank's error answers as typed errors.
#include "adapters/berlin_group/adapter.hpp"
#include "adapters/berlin_group/errors.hpp"
#include "adapters/common/oauth2.hpp"
#include "common/ip_address.hpp"
#include "log/log.hpp"

namespace bankfeed::berlin_group {
namespace {

constexpr auto kTokenRefreshMargin = std::chrono::seconds(60);

bool IsTokenCode(std::string_view code) {
  return code == "TOKEN_INVALID" || code == "TOKEN_EXPIRED" || code == "TOKEN_UNKNOWN";
}

}  // namespace

std::chrono::system_clock::time_point BerlinGroupConnector::Now() const {
  return env_.now ? env_.now() : std::chrono::system_clock::now();
}

int64_t BerlinGroupConnector::NowSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(Now().time_since_epoch()).count();
}

Date BerlinGroupConnector::Today() const { return profile_.timezone.LocalDate(NowSeconds()); }

void BerlinGroupConnector::StoreTokens(ConsentGrant& grant, adapters::TokenResponse token) const {
  grant.access_token = std::move(token.access_token);
  if (!token.refresh_token.empty()) grant.refresh_token = std::move(token.refresh_token);  // rotated
  grant.access_token_expires.reset();
  if (token.expires_in) grant.access_token_expires = DateTime{NowSeconds() + token.expires_in->count(), 0, 0};
}

std::string BerlinGroupConnector::ApiUrl(std::string_view path) const { return profile_.base_url + std::string(path); }

Error BerlinGroupConnector::WithBank(Error e) const {
  if (e.bank_id.empty()) e.bank_id = profile_.id;
  return e;
}

Result<std::string> BerlinGroupConnector::SameOriginLink(std::string_view from, std::string_view href,
                                                         std::string_view what) const {
  auto resolved = adapters::ResolveUrl(from, href, what);
  if (!resolved) {
    Error e = resolved.error();
    e.code = ErrorCode::kProtocol;
    return tl::unexpected(WithBank(std::move(e)));
  }
  auto parts = adapters::ParseUrl(*resolved, what);
  if (!parts || !adapters::SameOrigin(*parts, base_)) {
    return tl::unexpected(WithBank(Error(ErrorCode::kProtocol, std::string(what) +
                                                                   ": points outside the bank's API origin; "
                                                                   "not followed")));
  }
  return resolved;
}

Result<http::Request> BerlinGroupConnector::BuildRequest(const Call& call) const {
  http::Request request;
  request.method = call.method;
  request.url = call.url;
  request.body = call.body;
  auto& h = request.headers;
  h.push_back({"X-Request-ID", http::NewRequestId()});
  h.push_back({"Accept", "application/json"});
  if (!call.body.empty()) h.push_back({"Content-Type", "application/json"});
  if (call.send_consent_id && call.grant && !call.grant->consent_id.empty()) {
    h.push_back({"Consent-ID", call.grant->consent_id});
  }
  if (call.grant && call.grant->approach == ScaApproach::kOAuth2 && !call.grant->access_token.empty()) {
    h.push_back({"Authorization", "Bearer " + call.grant->access_token});
  }
  if (call.psu) {
    const PsuContext& psu = *call.psu;
    switch (profile_.quirks.psu_id) {
      case PsuIdPolicy::kRequired:
        if (psu.psu_id.empty()) {
          return MakeError(ErrorCode::kInvalidArgument, "psu.psu_id: required by bank " + profile_.id);
        }
        [[fallthrough]];
      case PsuIdPolicy::kOptional:
        if (!psu.psu_id.empty()) {
          h.push_back({"PSU-ID", psu.psu_id});
          if (profile_.quirks.psu_id_type) h.push_back({"PSU-ID-Type", *profile_.quirks.psu_id_type});
        }
        break;
      case PsuIdPolicy::kForbidden:
        break;
    }
    if (psu.ip_address) {
      // Sent only as a literal address: anything else would be made-up presence, or header text of the caller's.
      if (!IsIpAddress(*psu.ip_address)) {
        return MakeError(ErrorCode::kInvalidArgument, std::string("psu.ip_address: ") + kIpAddressExpected);
      }
      h.push_back({"PSU-IP-Address", *psu.ip_address});
    }
    if (psu.user_agent) h.push_back({"PSU-User-Agent", *psu.user_agent});
  }
  for (const auto& [name, value] : profile_.quirks.extra_headers) h.push_back({name, value});
  for (const auto& header : call.headers) h.push_back(header);
  BANKFEED_RETURN_IF_ERROR(signer_.Sign(request));
  return request;
}

Result<http::Response> BerlinGroupConnector::Exchange(const Call& call) {
  for (int attempt = 0;; ++attempt) {
    auto request = BuildRequest(call);
    if (!request) return tl::unexpected(WithBank(request.error()));
    auto response = http::SendWithRetry(*client_, std::move(*request), profile_.retry, retry_env_);
    if (!response) {
      Error e = WithBank(response.error());
      e.message = call.operation + ": " + e.message;
      return tl::unexpected(std::move(e));
    }
    if (response->status >= 200 && response->status < 300) return response;
    Error e = ErrorFromResponse(*response, profile_.id, call.operation);
    // An expired bearer token is renewed once with the refresh token, then the call is made again.
    if (attempt == 0 && response->status == 401 && IsTokenCode(e.bank_code) && call.grant &&
        call.grant->approach == ScaApproach::kOAuth2 && !call.grant->refresh_token.empty()) {
      log::Info("bg.token.rejected", {{"bank", profile_.id}, {"request_id", response->request_id}});
      BANKFEED_RETURN_IF_ERROR(RefreshAccessToken(*call.grant));
      continue;
    }
    log::Warn("bg.error", {{"bank", profile_.id},
                           {"status", response->status},
                           {"bank_code", e.bank_code},
                           {"request_id", response->request_id}});
    return tl::unexpected(std::move(e));
  }
}

Status BerlinGroupConnector::EnsureAccessToken(ConsentGrant& grant) {
  if (grant.approach != ScaApproach::kOAuth2) return {};
  if (grant.access_token.empty()) {
    return tl::unexpected(WithBank(Error(ErrorCode::kConsentInvalid, "no access token: the OAuth2 authorization "
                                                                     "was not completed")));
  }
  if (grant.access_token_expires && !grant.refresh_token.empty()) {
    if (NowSeconds() + kTokenRefreshMargin.count() >= grant.access_token_expires->unix_seconds) {
      return RefreshAccessToken(grant);
    }
  }
  return {};
}

Status BerlinGroupConnector::RefreshAccessToken(ConsentGrant& grant) {
  if (!profile_.oauth2 || grant.refresh_token.empty()) {
    return tl::unexpected(WithBank(Error(ErrorCode::kConsentInvalid, "access token expired and no refresh token")));
  }
  auto token = adapters::RequestToken(*client_, profile_.retry, profile_.oauth2->token_endpoint,
                                      {{"grant_type", "refresh_token"},
                                       {"refresh_token", grant.refresh_token},
                                       {"client_id", client_id_}},
                                      profile_.id);
  if (!token) return tl::unexpected(WithBank(token.error()));
  StoreTokens(grant, std::move(*token));
  log::Info("bg.token.refreshed", {{"bank", profile_.id}});
  return {};
}

}  // namespace bankfeed::berlin_group
