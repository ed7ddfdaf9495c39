// One request to a Berlin Group bank: headers by the profile's rules, the Cavage signature, the retry policy,
// bearer-token refresh for the OAuth2 pre-step, and the bank's error answers as typed errors.
#include "adapters/berlin_group/adapter.hpp"
#include "adapters/berlin_group/errors.hpp"
#include "adapters/common/customer_ip.hpp"
#include "adapters/common/page_walk.hpp"
#include "log/log.hpp"

namespace bankfeed::berlin_group {
namespace {

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

std::string BerlinGroupConnector::ApiUrl(std::string_view path) const { return profile_.base_url + std::string(path); }

Error BerlinGroupConnector::WithBank(Error e) const {
  if (e.bank_id.empty()) e.bank_id = profile_.id;
  return e;
}

Result<std::string> BerlinGroupConnector::SameOriginLink(std::string_view from, std::string_view href,
                                                         std::string_view what) const {
  return adapters::FollowableLink(from, href, what, base_, {}, profile_.id);
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
    // While the customer is present (and unattended for a bank that refuses reads without it: its profile says so).
    BANKFEED_ASSIGN_OR_RETURN(const std::optional<std::string> customer_ip,
                              adapters::CustomerIpHeader(&psu, call.grant, profile_.quirks));
    if (customer_ip) h.push_back({"PSU-IP-Address", *customer_ip});
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
      BANKFEED_RETURN_IF_ERROR(tokens_.Refresh(*call.grant));
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
  return tokens_.EnsureFresh(grant);
}

}  // namespace bankfeed::berlin_group
