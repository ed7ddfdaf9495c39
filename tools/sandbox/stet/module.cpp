// The STET module's boundary with the core: error shapes, request authentication, the consent_expired fault and
// the route table.
#include "tools/sandbox/stet/module.hpp"

#include <cctype>
#include <chrono>

#include "tools/sandbox/bearer.hpp"
#include "tools/sandbox/json_writer.hpp"
#include "tools/sandbox/stet/signature.hpp"

namespace bankfeed::sandbox::stet {
namespace {

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

// Now in RFC 3339, UTC, whole seconds.
std::string NowRfc3339() {
  const auto now = std::chrono::system_clock::now();
  return DateTime{std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count(), 0, 0}
      .ToString();
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

void WriteShaped(httplib::Response& res, const ApiError& e, std::string_view path, StetErrorShape shape) {
  JsonWriter w;
  w.BeginObject();
  switch (shape) {
    case StetErrorShape::kStet:
      w.Key("timestamp").String(NowRfc3339()).Key("status").Int(e.status).Key("error").String(ReasonPhrase(e.status));
      w.Key("message").String(e.text).Key("path").String(path);
      break;
    case StetErrorShape::kOAuth:
      w.Key("error").String(Lower(e.code)).Key("error_description").String(e.text);
      break;
    case StetErrorShape::kPlain:
      w.Key("code").String(e.code).Key("message").String(e.text);
      break;
  }
  w.EndObject();
  for (const auto& [name, value] : e.headers) res.set_header(name, value);
  res.status = e.status;
  res.set_content(w.Take(), "application/json");
}

}  // namespace

StetModule::StetModule(Services& services)
    : s_(services), store_(std::chrono::seconds(services.scenario.behaviour.token_ttl_s)) {}

std::string StetModule::Root() const {
  const std::string& segment = s_.scenario.behaviour.stet.path_segment;
  return segment.empty() ? "/stet/v1" : "/stet/" + segment + "/v1";
}

void StetModule::WriteError(httplib::Response& res, const ApiError& error) const {
  WriteShaped(res, error, "", s_.scenario.behaviour.stet.error_shape);
}

void StetModule::WriteRequestError(const httplib::Request& req, httplib::Response& res, const ApiError& error) const {
  // The path as the server decoded it: a %-escape of a byte that is not text (%FF) would make the body invalid JSON.
  const std::string_view path = IsCleanText(req.path) ? std::string_view(req.path) : "(a path that is not text)";
  WriteShaped(res, error, path, s_.scenario.behaviour.stet.error_shape);
}

void StetModule::Json(httplib::Response& res, int status, std::string body) const {
  res.status = status;
  res.set_content(std::move(body), "application/json");
}

std::optional<ApiError> StetModule::Authenticate(const httplib::Request& req) {
  const auto grant = store_.Access(BearerToken(req));
  if (!grant || grant->cert_fingerprint != PeerFingerprint(req)) {
    ++s_.stats.bad_access_token;
    return ApiError{401,
                    "TOKEN_INVALID",
                    "Authorization: no live bearer access token issued over this client certificate",
                    {{"WWW-Authenticate", "Bearer error=\"invalid_token\""}}};
  }
  if (!req.has_header("X-Request-ID")) return StetRefuse(400, "FORMAT_ERROR", "X-Request-ID: missing");
  signing::RequestView view{req.method, req.target, {}, req.body};
  view.headers.reserve(req.headers.size());
  for (const auto& [name, value] : req.headers) view.headers.push_back({name, value});
  const SignatureCheck check = VerifyStetSignature(view, s_.scenario.behaviour.stet, s_.published, s_.trust);
  switch (check.verdict) {
    case SignatureVerdict::kValid:
      return std::nullopt;
    case SignatureVerdict::kMissing:
      ++s_.stats.missing_signature;
      return StetRefuse(401, "SIGNATURE_MISSING", check.reason);
    case SignatureVerdict::kInvalid:
      ++s_.stats.bad_signature;
      return StetRefuse(401, "SIGNATURE_INVALID", check.reason);
  }
  return std::nullopt;
}

void StetModule::ExpireConsent(const httplib::Request& req) {
  if (const auto grant = store_.Access(BearerToken(req))) store_.End(grant->authorization.id);
}

void StetModule::RegisterRoutes(Router& router) {
  using Page = void (StetModule::*)(const httplib::Request&, httplib::Response&);
  const auto page = [this](Page h) {
    return [this, h](const httplib::Request& req, httplib::Response& res) { (this->*h)(req, res); };
  };
  const auto api = [this, &router](std::string_view method, const std::string& pattern, void (StetModule::*h)(ApiCall&),
                                   bool paginated = false) {
    router.Api(method, pattern, [this, h](ApiCall& call) { (this->*h)(call); }, paginated);
  };
  router.Page("GET", "/stet/authorize", page(&StetModule::Authorize));
  router.Protected("POST", "/stet/token", page(&StetModule::Token));
  router.Protected("POST", "/stet/revoke", page(&StetModule::Revoke));
  const std::string root = Root();
  api("GET", root + "/accounts", &StetModule::Accounts);
  api("PUT", root + "/consents", &StetModule::PutConsents);
  api("GET", root + "/accounts/([^/]+)/balances", &StetModule::Balances);
  api("GET", root + "/accounts/([^/]+)/transactions", &StetModule::Transactions, true);
}

}  // namespace bankfeed::sandbox::stet
