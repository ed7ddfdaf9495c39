// The STET (French PSD2 API v1.4) sandbox bank: an OAuth2 authorization server (authorize page, token endpoint
// with certificate-bound tokens, revocation) and the AISP API (accounts, consents, balances, paginated
// transactions) under /stet/v1, every API request authenticated by a bearer token, X-Request-ID and a Cavage
// signature whose keyId names a published certificate. The wire contract is tools/sandbox/README.md "STET".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/sandbox/module.hpp"
#include "tools/sandbox/stet/authorizations.hpp"

namespace bankfeed::sandbox::stet {

class StetModule final : public StandardModule {
 public:
  explicit StetModule(Services& services);

  std::string_view standard() const override { return "stet"; }
  // behaviour.stet.error_shape: stet ({"timestamp","status","error","message","path"}), oauth or plain. Without the
  // request the path is empty; the core writes through WriteRequestError.
  void WriteError(httplib::Response& res, const ApiError& error) const override;
  void WriteRequestError(const httplib::Request& req, httplib::Response& res, const ApiError& error) const override;
  // Bearer token over its client certificate (401), X-Request-ID (400), the Cavage signature (401).
  std::optional<ApiError> Authenticate(const httplib::Request& req) override;
  // consent_expired: the authorization of the request's token ends.
  void ExpireConsent(const httplib::Request& req) override;
  void RegisterRoutes(Router& router) override;
  std::vector<std::string> ApiPrefixes() const override { return {"/stet/"}; }

  // "/stet/v1", or "/stet/<path_segment>/v1".
  std::string Root() const;

 private:
  // oauth_routes.cpp
  void Authorize(const httplib::Request& req, httplib::Response& res);
  void Token(const httplib::Request& req, httplib::Response& res);
  void Revoke(const httplib::Request& req, httplib::Response& res);
  // The form's client_id when it is the one this bank knows for the request's client certificate.
  tl::expected<std::string, OAuthError> Client(const FormFields& form, const httplib::Request& req) const;

  // ais_routes.cpp
  struct Read {
    AccessGrant grant;
    const Psu* psu = nullptr;
    const ScenarioAccount* account = nullptr;  // null for the account list
  };
  std::optional<ApiError> BeginRead(ApiCall& call, std::string_view account_id, std::string_view endpoint,
                                    Read& out);
  std::optional<ApiError> ConsumeQuota(ApiCall& call, const Read& read, std::string_view endpoint);
  bool Covers(const Authorization& a, const std::string& resource_id, std::string_view endpoint) const;
  void Accounts(ApiCall& call);
  void PutConsents(ApiCall& call);
  void Balances(ApiCall& call);
  // transactions.cpp
  void Transactions(ApiCall& call);

  void Json(httplib::Response& res, int status, std::string body) const;
  void Fail(ApiCall& call, const ApiError& error) const { WriteRequestError(call.req, call.res, error); }

  Services& s_;
  AuthorizationStore store_;
};

inline ApiError StetRefuse(int status, std::string code, std::string text) {
  return {status, std::move(code), std::move(text), {}};
}
inline ApiError StetFormatError(std::string text) { return StetRefuse(400, "FORMAT_ERROR", std::move(text)); }

}  // namespace bankfeed::sandbox::stet
