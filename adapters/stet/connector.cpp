// Construction of the STET connector, and one signed request to the bank with the STET headers and error model.
#include "adapters/stet/connector.hpp"

#include <date/date.h>

#include <algorithm>

#include "adapters/common/bank_error.hpp"
#include "adapters/common/client_id.hpp"
#include "adapters/common/customer_ip.hpp"
#include "adapters/stet/errors.hpp"
#include "config/profile_checks.hpp"
#include "log/log.hpp"

namespace bankfeed::stet {

namespace {

// RFC 7231 IMF-fixdate of the real clock (the bank checks it against its own): "Sun, 10 Sep 2017 19:43:31 GMT".
std::string HttpDateNow() {
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  return date::format("%a, %d %b %Y %H:%M:%S GMT", now);
}

// "date" is among the headers the bank wants signed always (not only when present): the request must carry one.
bool SignsDate(const CavageOptions& cavage) {
  const auto listed = [](const std::vector<std::string>& names) {
    return std::find(names.begin(), names.end(), "date") != names.end();
  };
  return listed(cavage.headers) && !listed(cavage.headers_if_present);
}

// The token endpoint, with the client authenticated by its certificate (RFC 8705 tls_client_auth: client_id only).
adapters::TokenEndpoint TokenEndpointOf(const BankProfile& profile, http::Client* client,
                                        const std::string& client_id) {
  adapters::TokenEndpoint endpoint{client, profile.retry, profile.oauth2->token_endpoint, profile.id,
                                   [client_id]() { return Result<adapters::FormFields>({{"client_id", client_id}}); },
                                   {}};
  // STET banks want the scope with the code and the refresh too; some refuse it there (oauth2.scope_in_grants).
  if (profile.oauth2->scope_in_grants) endpoint.grant_fields.emplace_back("scope", profile.oauth2->scope);
  return endpoint;
}

}  // namespace

StetConnector::StetConnector(BankProfile profile, std::unique_ptr<http::Client> client, adapters::CavageSigner signer,
                             std::string client_id, adapters::UrlParts base, ConnectorEnvironment env)
    : profile_(std::move(profile)),
      client_(std::move(client)),
      signer_(std::move(signer)),
      client_id_(std::move(client_id)),
      base_(std::move(base)),
      env_(std::move(env)),
      tokens_(TokenEndpointOf(profile_, client_.get(), client_id_), env_.now) {
  if (env_.sleep) retry_env_.sleep = env_.sleep;
  if (env_.now) retry_env_.now = env_.now;
}

Result<std::unique_ptr<Connector>> StetConnector::Make(const ConnectionOptions& options, ConnectorEnvironment env) {
  BankProfile profile = options.profile;
  const auto fail = [&](std::string message) {
    return tl::unexpected(adapters::BankError(ErrorCode::kConfig, std::move(message), profile.id));
  };
  if (profile.standard != Standard::kStet) return fail("profile.standard: not stet");
  // A group profile's entity: its path segment in the base URL (quirks.path_segment, or the deployment's).
  const bool placeholder = profile.base_url.find(config::kPathSegmentPlaceholder) != std::string::npos;
  if (placeholder != !profile.quirks.path_segment.empty()) {
    return fail(placeholder ? "quirks.path_segment: not set, and base_url has {segment}"
                            : "quirks.path_segment: set, but base_url has no {segment}");
  }
  if (placeholder) {
    if (auto bad = config::CheckPathSegment(profile.quirks.path_segment)) return fail("quirks.path_segment: " + *bad);
    profile.base_url = config::WithPathSegment(profile.base_url, profile.quirks.path_segment);
  }
  auto base = adapters::ParseUrl(profile.base_url, "profile.base_url");
  if (!base || base->scheme != "https") return fail("profile.base_url: not an https URL");
  if (!profile.oauth2 || profile.oauth2->authorization_endpoint.empty() || profile.oauth2->token_endpoint.empty()) {
    return fail("profile.oauth2: missing; STET banks authorise with the OAuth2 authorization code flow");
  }
  TransportOptions transport = profile.transport;
  transport.bank_id = profile.id;
  transport.client_identity = options.qwac;
  transport.ca_bundle_file = options.ca_bundle_file;
  BANKFEED_ASSIGN_OR_RETURN(auto client, http::Client::Make(transport));
  auto signer = adapters::CavageSigner::Make(options.qseal, profile.cavage, options.qseal_url);
  if (!signer) return tl::unexpected(adapters::BankError(signer.error().code, signer.error().message, profile.id));
  BANKFEED_ASSIGN_OR_RETURN(std::string client_id, adapters::MtlsClientId(options));
  return std::unique_ptr<Connector>(new StetConnector(std::move(profile), std::move(client), std::move(*signer),
                                                      std::move(client_id), std::move(*base), std::move(env)));
}

std::chrono::system_clock::time_point StetConnector::Now() const {
  return env_.now ? env_.now() : std::chrono::system_clock::now();
}

int64_t StetConnector::NowSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(Now().time_since_epoch()).count();
}

Date StetConnector::Today() const { return profile_.timezone.LocalDate(NowSeconds()); }

std::string StetConnector::ApiUrl(std::string_view path) const { return profile_.base_url + std::string(path); }

Error StetConnector::WithBank(Error e) const {
  if (e.bank_id.empty()) e.bank_id = profile_.id;
  return e;
}

Result<http::Request> StetConnector::BuildRequest(const Call& call) const {
  http::Request request;
  request.method = call.method;
  request.url = call.url;
  request.body = call.body;
  auto& h = request.headers;
  h.push_back({"X-Request-ID", http::NewRequestId()});
  h.push_back({"Accept", "application/hal+json, application/json"});
  if (!call.body.empty()) h.push_back({"Content-Type", "application/json"});
  if (call.grant) h.push_back({"Authorization", "Bearer " + call.grant->access_token});
  // The PSU context headers only while the customer is present (and the address unattended for a bank that
  // refuses reads without it: its profile says so).
  BANKFEED_ASSIGN_OR_RETURN(const std::optional<std::string> customer_ip,
                            adapters::CustomerIpHeader(call.psu, call.grant, profile_.quirks));
  if (customer_ip) h.push_back({"PSU-IP-Address", *customer_ip});
  if (call.psu && call.psu->present() && call.psu->user_agent && !call.psu->user_agent->empty()) {
    h.push_back({"PSU-User-Agent", *call.psu->user_agent});
  }
  for (const auto& [name, value] : profile_.quirks.extra_headers) h.push_back({name, value});
  if (SignsDate(profile_.cavage)) h.push_back({"Date", HttpDateNow()});
  BANKFEED_RETURN_IF_ERROR(signer_.Sign(request));
  return request;
}

Result<http::Response> StetConnector::Exchange(const Call& call) {
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
    // An access token the bank no longer takes is renewed once with the refresh token, then the call is made again.
    // A refused refresh means the customer's authorisation has ended (expired, or withdrawn at the bank): this
    // answer then says so as kConsentExpired, and the customer must authorise again.
    if (attempt == 0 && response->status == 401 && call.grant && !call.grant->refresh_token.empty()) {
      log::Info("stet.token.rejected", {{"bank", profile_.id}, {"request_id", response->request_id}});
      if (Status refreshed = tokens_.Refresh(*call.grant); !refreshed) {
        if (refreshed.error().code != ErrorCode::kConsentInvalid) return tl::unexpected(refreshed.error());
        Error e = ErrorFromResponse(*response, profile_.id, call.operation);
        e.code = ErrorCode::kConsentExpired;
        return tl::unexpected(std::move(e));
      }
      continue;
    }
    Error e = ErrorFromResponse(*response, profile_.id, call.operation);
    log::Warn("stet.error", {{"bank", profile_.id},
                             {"status", response->status},
                             {"bank_code", e.bank_code},
                             {"request_id", response->request_id}});
    return tl::unexpected(std::move(e));
  }
}

}  // namespace bankfeed::stet
