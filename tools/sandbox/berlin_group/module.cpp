#include "tools/sandbox/berlin_group/module.hpp"

#include "tools/sandbox/json_writer.hpp"
#include "tools/sandbox/request_auth.hpp"

namespace bankfeed::sandbox::berlin_group {

void BerlinGroupModule::WriteError(httplib::Response& res, const ApiError& error) const {
  JsonWriter w;
  w.BeginObject().Key("tppMessages").BeginArray();
  w.BeginObject().Key("category").String("ERROR").Key("code").String(error.code).Key("text").String(error.text);
  w.EndObject().EndArray().EndObject();
  for (const auto& [name, value] : error.headers) res.set_header(name, value);
  Json(res, error.status, w.Take());
}

void BerlinGroupModule::Json(httplib::Response& res, int status, std::string body) const {
  res.status = status;
  res.set_content(std::move(body), "application/json");
}

RenderOptions BerlinGroupModule::Options() const {
  return {s_.scenario.behaviour.wire, s_.scenario.behaviour.ids, s_.base_url, s_.clock.Today()};
}

std::optional<ApiError> BerlinGroupModule::Authenticate(const httplib::Request& req) {
  signing::RequestView view;
  view.method = req.method;
  view.target = req.target;
  view.body = req.body;
  view.headers.reserve(req.headers.size());
  for (const auto& [name, value] : req.headers) view.headers.push_back({name, value});
  const SignatureCheck check = VerifyCavageRequest(view, s_.trust);
  switch (check.verdict) {
    case SignatureVerdict::kValid:
      return std::nullopt;
    case SignatureVerdict::kMissing:
      ++s_.stats.missing_signature;
      return ApiError{401, "SIGNATURE_MISSING", check.reason, {}};
    case SignatureVerdict::kInvalid:
      ++s_.stats.bad_signature;
      return ApiError{401, "SIGNATURE_INVALID", check.reason, {}};
  }
  return std::nullopt;
}

void BerlinGroupModule::ExpireConsent(const httplib::Request& req) {
  if (req.has_header("Consent-ID")) consents_.Expire(req.get_header_value("Consent-ID"));
  if (req.path.starts_with("/v1/consents/") && req.matches.size() > 1) consents_.Expire(req.matches[1].str());
}

void BerlinGroupModule::RegisterRoutes(Router& router) {
  const auto api = [this, &router](std::string_view method, const std::string& pattern,
                                   void (BerlinGroupModule::*handler)(ApiCall&), bool paginated = false) {
    router.Api(method, pattern, [this, handler](ApiCall& call) { (this->*handler)(call); }, paginated);
  };
  api("POST", "/v1/consents", &BerlinGroupModule::CreateConsent);
  api("GET", "/v1/consents/([^/]+)", &BerlinGroupModule::GetConsent);
  api("GET", "/v1/consents/([^/]+)/status", &BerlinGroupModule::GetConsentStatus);
  api("DELETE", "/v1/consents/([^/]+)", &BerlinGroupModule::DeleteConsent);
  api("POST", "/v1/consents/([^/]+)/authorisations", &BerlinGroupModule::StartAuthorisation);
  api("GET", "/v1/consents/([^/]+)/authorisations/([^/]+)", &BerlinGroupModule::GetAuthorisation);
  api("GET", "/v1/accounts", &BerlinGroupModule::Accounts);
  api("GET", "/v1/accounts/([^/]+)/balances", &BerlinGroupModule::Balances);
  api("GET", "/v1/accounts/([^/]+)/transactions", &BerlinGroupModule::Transactions, true);
  router.Page("GET", "/sca/([^/]+)", [this](const httplib::Request& req, httplib::Response& res) {
    ScaPage(req, res);
  });
}

}  // namespace bankfeed::sandbox::berlin_group
