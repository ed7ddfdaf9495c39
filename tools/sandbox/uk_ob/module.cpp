// The UK Open Banking module's boundary with the core: errors, bearer authentication, the consent_expired fault,
// the interaction id and the route table.
#include "tools/sandbox/uk_ob/module.hpp"

#include <openssl/ssl.h>

#include <chrono>

#include "common/text.hpp"
#include "http/message.hpp"
#include "tools/sandbox/bearer.hpp"
#include "tools/sandbox/json_writer.hpp"

namespace bankfeed::sandbox::uk_ob {
namespace {

constexpr size_t kMaxInteractionId = 128;

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 400:
      return "BadRequest";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 405:
      return "MethodNotAllowed";
    case 409:
      return "Conflict";
    case 429:
      return "TooManyRequests";
    case 500:
      return "InternalServerError";
    case 503:
      return "ServiceUnavailable";
    default:
      return "Error";
  }
}

// The core's codes (faults, fallback) in UK terms.
ApiError Translate(ApiError e) {
  if (e.code == "CONSENT_EXPIRED") {
    e.status = 403;
    e.code = "UK.OBIE.Reauthenticate";
  } else if (e.code == "RESOURCE_UNKNOWN") {
    e.code = "UK.OBIE.Resource.NotFound";
  } else if (e.code == "TOO_MANY_REQUESTS" || e.code == "INTERNAL_SERVER_ERROR" || e.code == "SERVICE_UNAVAILABLE") {
    e.code = "UK.OBIE.UnexpectedError";
  }
  return e;
}

// "Data.Permissions: ..." names the field Data.Permissions; a text without such a prefix names none.
std::string_view FieldPathOf(std::string_view text) {
  const size_t colon = text.find(": ");
  if (colon == std::string_view::npos || colon == 0) return {};
  const std::string_view field = text.substr(0, colon);
  return field.find(' ') == std::string_view::npos ? field : std::string_view();
}

}  // namespace

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

UkObModule::UkObModule(Services& services)
    : s_(services),
      keys_(services.scenario.behaviour.oidc),
      tokens_(std::chrono::seconds(services.scenario.behaviour.token_ttl_s)) {}

void UkObModule::WriteError(httplib::Response& res, const ApiError& raw) const {
  const ApiError error = Translate(raw);
  for (const auto& [name, value] : error.headers) res.set_header(name, value);
  res.status = error.status;
  if (error.status == 401) {
    res.body.clear();  // UK Open Banking: 401 has no body
    return;
  }
  JsonWriter w;
  w.BeginObject();
  w.Key("Code").String(std::to_string(error.status) + " " + std::string(ReasonPhrase(error.status)));
  w.Key("Id").String(http::NewRequestId());
  w.Key("Message").String(error.text);
  w.Key("Errors").BeginArray().BeginObject();
  w.Key("ErrorCode").String(error.code);
  w.Key("Message").String(error.text);
  if (const std::string_view path = FieldPathOf(error.text); !path.empty()) w.Key("Path").String(path);
  w.EndObject().EndArray();
  w.EndObject();
  res.set_content(w.Take(), "application/json");
}

void UkObModule::JsonAnswer(httplib::Response& res, int status, std::string body) const {
  res.status = status;
  res.set_content(std::move(body), "application/json");
}

UkRenderOptions UkObModule::RenderOptions() const {
  UkRenderOptions o{s_.scenario.behaviour.wire, s_.scenario.behaviour.ids, s_.base_url, {}};
  if (const int64_t period = s_.scenario.behaviour.account_ids_change_every_days; period > 0) {
    o.account_id_suffix = "-g" + std::to_string(s_.clock.Today().days_since_epoch / period);
  }
  return o;
}

std::optional<TokenGrantInfo> UkObModule::BearerGrant(const httplib::Request& req) const {
  const std::string token = BearerToken(req);
  if (token.empty()) return std::nullopt;
  return tokens_.AccessGrant(token);
}

std::optional<ApiError> UkObModule::RequiredHeaders(const httplib::Request& req, bool ais_read) const {
  for (const auto& [name, value] : s_.scenario.behaviour.require.headers) {
    if (!req.has_header(name)) return UkRefuse(400, "UK.OBIE.Header.Missing", name + ": required by this bank");
    if (req.get_header_value(name) != value) {
      return UkRefuse(400, "UK.OBIE.Header.Invalid", name + ": a value this bank rejects");
    }
  }
  if (ais_read && s_.scenario.behaviour.oidc.require_customer_ip && !req.has_header("x-fapi-customer-ip-address")) {
    return UkRefuse(400, "UK.OBIE.Header.Missing", "x-fapi-customer-ip-address: required by this bank");
  }
  return std::nullopt;
}

std::optional<ApiError> UkObModule::Authenticate(const httplib::Request& req) {
  const auto grant = BearerGrant(req);
  // Consent endpoints take the client's client-credentials token; AIS reads a token bound to a consent. Either
  // must come over the client certificate it was issued to (RFC 8705 §3).
  const bool consent_endpoint = req.path == kConsentsPath || req.path.starts_with(std::string(kConsentsPath) + "/");
  const bool ok = grant && grant->cert_fingerprint == PeerFingerprint(req) &&
                  (consent_endpoint ? grant->consent_id.empty() && clients_.Get(grant->client_id).has_value()
                                    : !grant->consent_id.empty());
  if (ok) return std::nullopt;
  ++s_.stats.bad_access_token;
  return ApiError{401,
                  "UK.OBIE.Unauthorized",
                  "Authorization: no valid bearer access token for this endpoint",
                  {{"WWW-Authenticate", "Bearer error=\"invalid_token\""}}};
}

void UkObModule::ExpireConsent(const httplib::Request& req) {
  if (req.path.starts_with(std::string(kConsentsPath) + "/") && req.matches.size() > 1) {
    consents_.Expire(req.matches[1].str());
  } else if (const auto grant = BearerGrant(req); grant && !grant->consent_id.empty()) {
    consents_.Expire(grant->consent_id);
  }
}

void UkObModule::BeginApiResponse(const httplib::Request& req, httplib::Response& res) {
  const std::string sent = req.get_header_value("x-fapi-interaction-id");
  const bool usable = !sent.empty() && sent.size() <= kMaxInteractionId && IsPrintableAscii(sent);
  const bool echo = usable && !s_.scenario.behaviour.oidc.wrong_interaction_id;
  res.set_header("x-fapi-interaction-id", echo ? sent : http::NewRequestId());
}

void UkObModule::RegisterRoutes(Router& router) {
  using Handler = void (UkObModule::*)(const httplib::Request&, httplib::Response&);
  const auto as = [this, &router](std::string_view method, const std::string& pattern, Handler h) {
    router.Protected(method, pattern,
                     [this, h](const httplib::Request& req, httplib::Response& res) { (this->*h)(req, res); });
  };
  const auto api = [this, &router](std::string_view method, const std::string& pattern, void (UkObModule::*h)(ApiCall&),
                                   bool paginated = false) {
    router.Api(
        method, pattern, [this, h](ApiCall& call) { (this->*h)(call); }, paginated);
  };
  router.Page("GET", "/.well-known/openid-configuration",
              [this](const httplib::Request&, httplib::Response& res) { Discovery(res); });
  router.Page("GET", "/as/jwks",
              [this](const httplib::Request&, httplib::Response& res) { JsonAnswer(res, 200, keys_.JwksJson()); });
  router.Page("GET", "/as/authorize",
              [this](const httplib::Request& req, httplib::Response& res) { Authorize(req, res); });
  as("POST", "/as/register", &UkObModule::Register);
  as("GET", "/as/register/([^/]+)", &UkObModule::ReadRegistration);
  as("PUT", "/as/register/([^/]+)", &UkObModule::UpdateRegistration);
  as("DELETE", "/as/register/([^/]+)", &UkObModule::DeleteRegistration);
  as("POST", "/as/token", &UkObModule::Token);

  const std::string consents(kConsentsPath), base(kAispBase);
  api("POST", consents, &UkObModule::CreateConsent);
  api("GET", consents + "/([^/]+)", &UkObModule::GetConsent);
  api("DELETE", consents + "/([^/]+)", &UkObModule::DeleteConsent);
  api("GET", base + "/accounts", &UkObModule::Accounts);
  api("GET", base + "/accounts/([^/]+)", &UkObModule::Account);
  api("GET", base + "/accounts/([^/]+)/balances", &UkObModule::Balances);
  api("GET", base + "/accounts/([^/]+)/transactions", &UkObModule::Transactions, true);
}

}  // namespace bankfeed::sandbox::uk_ob
