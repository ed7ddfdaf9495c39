// Construction of the UK Open Banking connector, the provider's metadata and keys, client authentication, and one
// request to the bank with the FAPI headers and the UK error model.
#include "adapters/uk_ob/connector.hpp"

#include <date/date.h>

#include "adapters/common/ais_reads.hpp"
#include "adapters/common/bank_error.hpp"
#include "adapters/common/customer_ip.hpp"
#include "adapters/uk_ob/errors.hpp"
#include "adapters/uk_ob/id_token.hpp"
#include "log/log.hpp"

namespace bankfeed::uk_ob {
namespace {

constexpr std::chrono::seconds kClientTokenMargin{60};

// RFC 7231 IMF-fixdate, as x-fapi-auth-date wants it: "Sun, 10 Sep 2017 19:43:31 GMT".
std::string HttpDate(int64_t unix_seconds) {
  const date::sys_seconds t{std::chrono::seconds(unix_seconds)};
  return date::format("%a, %d %b %Y %H:%M:%S GMT", t);
}

}  // namespace

UkConnector::UkConnector(BankProfile profile, std::unique_ptr<http::Client> client, ClientSigner signer,
                         std::string client_id, adapters::UrlParts base, ConnectorEnvironment env,
                         CredentialSource qwac)
    : profile_(std::move(profile)),
      client_(std::move(client)),
      signer_(std::move(signer)),
      client_id_(std::move(client_id)),
      base_(std::move(base)),
      env_(std::move(env)),
      qwac_(std::move(qwac)) {
  if (env_.sleep) retry_env_.sleep = env_.sleep;
  if (env_.now) retry_env_.now = env_.now;
}

Result<std::unique_ptr<Connector>> UkConnector::Make(const ConnectionOptions& options, ConnectorEnvironment env) {
  BANKFEED_ASSIGN_OR_RETURN(auto connector, Create(options, std::move(env), true));
  return std::unique_ptr<Connector>(std::move(connector));
}

Result<std::unique_ptr<ClientRegistrar>> UkConnector::MakeRegistrar(const ConnectionOptions& options,
                                                                    ConnectorEnvironment env) {
  BANKFEED_ASSIGN_OR_RETURN(auto connector, Create(options, std::move(env), false));
  return std::unique_ptr<ClientRegistrar>(std::move(connector));
}

Result<std::unique_ptr<UkConnector>> UkConnector::Create(const ConnectionOptions& options, ConnectorEnvironment env,
                                                         bool need_client_id) {
  const BankProfile& profile = options.profile;
  const auto fail = [&](std::string message) {
    return tl::unexpected(adapters::BankError(ErrorCode::kConfig, std::move(message), profile.id));
  };
  if (profile.standard != Standard::kUkOpenBanking) return fail("profile.standard: not uk-ob");
  auto base = adapters::ParseUrl(profile.base_url, "profile.base_url");
  if (!base || base->scheme != "https") return fail("profile.base_url: not an https URL");
  if (!profile.oauth2 || profile.oauth2->issuer.empty()) {
    return fail("profile.oauth2.issuer: missing; UK Open Banking banks are OpenID providers");
  }
  if (!profile.jws) return fail("profile.signing.jws: missing");
  if (need_client_id && options.oauth_client_id.empty()) {
    return fail("oauth_client_id: not set; register with the bank first (bankfeed register)");
  }
  TransportOptions transport = profile.transport;
  transport.bank_id = profile.id;
  transport.client_identity = options.qwac;
  transport.ca_bundle_file = options.ca_bundle_file;
  BANKFEED_ASSIGN_OR_RETURN(auto client, http::Client::Make(transport));
  BANKFEED_ASSIGN_OR_RETURN(auto signer, ClientSigner::Make(options.qseal, profile.jws->kid, profile.id));
  return std::unique_ptr<UkConnector>(new UkConnector(profile, std::move(client), std::move(signer),
                                                      options.oauth_client_id, std::move(*base), std::move(env),
                                                      options.qwac));
}

std::chrono::system_clock::time_point UkConnector::Now() const {
  return env_.now ? env_.now() : std::chrono::system_clock::now();
}

int64_t UkConnector::NowSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(Now().time_since_epoch()).count();
}

int64_t UkConnector::WallSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Date UkConnector::Today() const { return profile_.timezone.LocalDate(NowSeconds()); }

std::string UkConnector::ApiUrl(std::string_view path) const { return profile_.base_url + std::string(path); }

Error UkConnector::WithBank(Error e) const {
  if (e.bank_id.empty()) e.bank_id = profile_.id;
  return e;
}

Error UkConnector::BodyError(Error e, std::string_view what, const http::Response& response) const {
  return adapters::AnswerError(std::move(e), what, response, profile_.id);
}

Result<http::Response> UkConnector::Fetch(const std::string& url, std::string_view what) {
  http::Request request;
  request.url = url;
  request.headers.push_back({"Accept", "application/json"});
  auto response = http::SendWithRetry(*client_, std::move(request), profile_.retry, retry_env_);
  if (!response) {
    Error e = WithBank(std::move(response).error());
    e.message = std::string(what) + ": " + e.message;
    return tl::unexpected(std::move(e));
  }
  if (response->status != 200) return tl::unexpected(ErrorFromResponse(*response, profile_.id, what));
  return response;
}

Result<const Discovery*> UkConnector::Provider() {
  std::lock_guard lock(mu_);
  if (discovery_) return &*discovery_;
  const std::string& issuer = profile_.oauth2->issuer;
  // The document is read from the issuer the profile names, over https (the profile loader refused anything else).
  BANKFEED_ASSIGN_OR_RETURN(auto response, Fetch(DiscoveryUrl(issuer), "read the discovery document"));
  BANKFEED_ASSIGN_OR_RETURN(Discovery discovery, ParseDiscovery(response.body, issuer, profile_.quirks.link_hosts,
                                                                profile_.oauth2->client_auth, profile_.id));
  discovery_ = std::move(discovery);
  adapters::TokenEndpoint endpoint{client_.get(), profile_.retry, discovery_->token_endpoint, profile_.id,
                                   [this]() { return ClientAuth(); }, {}};
  // An ID token in a code or refresh answer is validated before its tokens are kept (adapters/uk_ob/id_token.hpp).
  // OpenID Connect Core §12.2: a refresh answer may come without one, so no bank needs a quirk for that; a code
  // answer without one is taken too, the callback's having been validated completely.
  const adapters::TokenCheck check_token = [this](const ConsentGrant& grant, const adapters::TokenResponse& token,
                                                  bool refresh) -> Status {
    if (token.id_token.empty()) return {};
    BANKFEED_ASSIGN_OR_RETURN(const Discovery* provider, Provider());
    IdTokenExpectations expect;
    expect.bank_id = profile_.id;
    expect.issuer = provider->issuer;
    expect.client_id = client_id_;
    expect.back_channel = true;
    expect.subject = grant.id_token_subject;
    // The code's nonce; a refresh's is not looked at (even while a re-authentication has one in flight).
    expect.nonce = refresh ? std::string() : grant.oauth_nonce;
    expect.intent_id = grant.consent_id;
    expect.access_token = token.access_token;
    expect.now = WallSeconds();
    expect.relax.nonce_optional = profile_.oauth2->id_token.nonce_optional;
    BANKFEED_RETURN_IF_ERROR(
        ValidateIdTokenWithKeys(token.id_token, [this](bool reread) { return Keys(reread); }, expect));
    return {};
  };
  tokens_.emplace(std::move(endpoint), env_.now, check_token);
  return &*discovery_;
}

Result<std::shared_ptr<const Jwks>> UkConnector::Keys(bool reread) {
  BANKFEED_ASSIGN_OR_RETURN(const Discovery* provider, Provider());
  std::lock_guard lock(mu_);
  if (jwks_ && !reread) return jwks_;
  BANKFEED_ASSIGN_OR_RETURN(auto response, Fetch(provider->jwks_uri, "read the bank's JWKS"));
  if (response.body.size() > kMaxJwksBytes) {
    return tl::unexpected(WithBank(Error(ErrorCode::kProtocol, "read the bank's JWKS: larger than 256 KiB")));
  }
  auto keys = ParseJwks(response.body);
  if (!keys) return tl::unexpected(BodyError(std::move(keys).error(), "the bank's JWKS", response));
  jwks_ = std::make_shared<const Jwks>(std::move(*keys));
  log::Info("uk.jwks.read", {{"bank", profile_.id}, {"keys", static_cast<int64_t>(jwks_->keys.size())}});
  return jwks_;
}

Result<adapters::FormFields> UkConnector::ClientAuth() {
  if (profile_.oauth2->client_auth == ClientAuthMethod::kTlsClientAuth) {
    return adapters::FormFields{{"client_id", client_id_}};
  }
  // private_key_jwt: the assertion's audience is the token endpoint (the provider is known by now: the token
  // endpoint came from it).
  const std::string audience = discovery_ ? discovery_->token_endpoint : std::string();
  BANKFEED_ASSIGN_OR_RETURN(std::string assertion, signer_.ClientAssertion(client_id_, audience, WallSeconds()));
  return adapters::FormFields{{"client_id", client_id_},
                              {"client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
                              {"client_assertion", std::move(assertion)}};
}

Result<const adapters::GrantTokens*> UkConnector::Tokens() {
  BANKFEED_RETURN_IF_ERROR(Provider());
  return &*tokens_;
}

Result<std::string> UkConnector::ClientToken() {
  BANKFEED_RETURN_IF_ERROR(Provider());
  {
    std::lock_guard lock(mu_);
    if (!client_token_.empty() && WallSeconds() + kClientTokenMargin.count() < client_token_expires_) {
      return client_token_;
    }
  }
  BANKFEED_ASSIGN_OR_RETURN(adapters::FormFields form, ClientAuth());
  form.insert(form.begin(), {{"grant_type", "client_credentials"}, {"scope", profile_.oauth2->scope}});
  BANKFEED_ASSIGN_OR_RETURN(adapters::TokenResponse token,
                            adapters::RequestToken(*client_, profile_.retry, discovery_->token_endpoint, form,
                                                   profile_.id));
  std::lock_guard lock(mu_);
  client_token_ = std::move(token.access_token);
  client_token_expires_ = WallSeconds() + (token.expires_in ? token.expires_in->count() : 300);
  return client_token_;
}

Result<http::Request> UkConnector::BuildRequest(const Call& call) const {
  http::Request request;
  request.method = call.method;
  request.url = call.url;
  request.body = call.body;
  auto& h = request.headers;
  // One id for the request and its FAPI interaction: the bank's logs and ours name the same exchange.
  const std::string interaction = http::NewRequestId();
  h.push_back({"X-Request-ID", interaction});
  h.push_back({"x-fapi-interaction-id", interaction});
  h.push_back({"Accept", "application/json"});
  if (!call.body.empty()) h.push_back({"Content-Type", call.content_type});
  const std::string& token = call.grant ? call.grant->access_token : call.bearer;
  if (!token.empty()) h.push_back({"Authorization", "Bearer " + token});
  // While the customer is present (and unattended for a bank that refuses reads without it: its profile says so).
  BANKFEED_ASSIGN_OR_RETURN(const std::optional<std::string> customer_ip,
                            adapters::CustomerIpHeader(call.psu, call.grant, profile_.quirks));
  if (customer_ip) h.push_back({"x-fapi-customer-ip-address", *customer_ip});
  if (call.psu && call.psu->present() && call.grant && call.grant->authorised_at) {
    h.push_back({"x-fapi-auth-date", HttpDate(call.grant->authorised_at->unix_seconds)});
  }
  for (const auto& [name, value] : profile_.quirks.extra_headers) h.push_back({name, value});
  return request;
}

Result<http::Response> UkConnector::Exchange(const Call& call) {
  for (int attempt = 0;; ++attempt) {
    auto request = BuildRequest(call);
    if (!request) return tl::unexpected(WithBank(request.error()));
    const std::string interaction(*http::FindHeader(request->headers, "x-fapi-interaction-id"));
    auto response = http::SendWithRetry(*client_, std::move(*request), profile_.retry, retry_env_);
    if (!response) {
      Error e = WithBank(response.error());
      e.message = call.operation + ": " + e.message;
      return tl::unexpected(std::move(e));
    }
    // FAPI: the bank echoes the interaction id. Another id means the answer belongs to another exchange.
    if (auto echoed = response->HeaderValue("x-fapi-interaction-id"); echoed && *echoed != interaction) {
      Error e = adapters::BankError(ErrorCode::kProtocol,
                                    call.operation + ": x-fapi-interaction-id: not the one sent", profile_.id,
                                    response->request_id);
      e.http_status = response->status;
      return tl::unexpected(std::move(e));
    }
    if (response->status >= 200 && response->status < 300) return response;
    // An access token the bank no longer takes is renewed once with the refresh token, then the call is made again.
    if (attempt == 0 && response->status == 401 && call.grant && !call.grant->refresh_token.empty()) {
      log::Info("uk.token.rejected", {{"bank", profile_.id}, {"request_id", response->request_id}});
      BANKFEED_ASSIGN_OR_RETURN(const adapters::GrantTokens* tokens, Tokens());
      BANKFEED_RETURN_IF_ERROR(tokens->Refresh(*call.grant));
      continue;
    }
    Error e = ErrorFromResponse(*response, profile_.id, call.operation);
    log::Warn("uk.error", {{"bank", profile_.id},
                           {"status", response->status},
                           {"bank_code", e.bank_code},
                           {"request_id", response->request_id}});
    return tl::unexpected(std::move(e));
  }
}

}  // namespace bankfeed::uk_ob
