// The UK Open Banking sandbox bank (Read/Write API v3.1, FAPI 1.0 Advanced, UK DCR 3.3): an OpenID Connect
// authorization server (discovery, JWKS, dynamic client registration, token endpoint with tls_client_auth and
// private_key_jwt, the hybrid flow with signed request objects and ID tokens) and the Account and Transaction API
// (account-access consents; accounts, balances and paginated transactions behind bearer tokens bound to a consent).
// The wire contract is tools/sandbox/README.md "UK Open Banking".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/sandbox/bearer.hpp"
#include "tools/sandbox/module.hpp"
#include "tools/sandbox/uk_ob/bank_keys.hpp"
#include "tools/sandbox/uk_ob/clients.hpp"
#include "tools/sandbox/uk_ob/consents.hpp"
#include "tools/sandbox/uk_ob/render.hpp"
#include "tools/sandbox/uk_ob/tokens.hpp"

namespace bankfeed::sandbox::uk_ob {

// The API's base path: the profile's base_url is ORIGIN + this.
inline constexpr std::string_view kAispBase = "/open-banking/v3.1/aisp";
inline constexpr std::string_view kConsentsPath = "/open-banking/v3.1/aisp/account-access-consents";

class UkObModule final : public StandardModule {
 public:
  explicit UkObModule(Services& services);

  std::string_view standard() const override { return "uk-ob"; }
  // OBErrorResponse1 (401: no body). The core's own codes (CONSENT_EXPIRED, TOO_MANY_REQUESTS, ...) are written as
  // their UK equivalents; Errors[0].Path is the field a "<field>: <reason>" text names.
  void WriteError(httplib::Response& res, const ApiError& error) const override;
  // A live bearer access token: client-credentials for the consent endpoints, consent-bound for AIS reads.
  std::optional<ApiError> Authenticate(const httplib::Request& req) override;
  void ExpireConsent(const httplib::Request& req) override;
  void RegisterRoutes(Router& router) override;
  std::vector<std::string> ApiPrefixes() const override { return {"/open-banking/"}; }
  // x-fapi-interaction-id: the request's, or a new UUID.
  void BeginApiResponse(const httplib::Request& req, httplib::Response& res) override;

 private:
  // discovery_routes.cpp
  void Discovery(httplib::Response& res) const;
  // registration_routes.cpp
  void Register(const httplib::Request& req, httplib::Response& res);
  void ReadRegistration(const httplib::Request& req, httplib::Response& res);
  void UpdateRegistration(const httplib::Request& req, httplib::Response& res);
  void DeleteRegistration(const httplib::Request& req, httplib::Response& res);
  // The client of /as/register/{client_id}, when the request's bearer token is that client's client-credentials
  // token; otherwise writes 401 and returns std::nullopt.
  std::optional<RegisteredClient> ManagedClient(const httplib::Request& req, httplib::Response& res);
  // token_routes.cpp
  void Token(const httplib::Request& req, httplib::Response& res);
  // authorize_routes.cpp
  void Authorize(const httplib::Request& req, httplib::Response& res);
  // consent_routes.cpp
  void CreateConsent(ApiCall& call);
  void GetConsent(ApiCall& call);
  void DeleteConsent(ApiCall& call);
  // The consent of the path, when it is the calling client's; nullopt (and a 400 written) otherwise.
  std::optional<AccessConsent> OwnConsent(ApiCall& call);
  // ais_routes.cpp
  struct UkRead {
    AccessConsent consent;
    const Psu* psu = nullptr;
    const ScenarioAccount* account = nullptr;  // null for the account list
  };
  std::optional<ApiError> BeginUkRead(ApiCall& call, std::string_view account_id, std::string_view endpoint,
                                      UkRead& out);
  std::optional<ApiError> ConsumeUkQuota(ApiCall& call, const UkRead& read, std::string_view endpoint);
  void Accounts(ApiCall& call);
  void Account(ApiCall& call);
  void Balances(ApiCall& call);
  void Transactions(ApiCall& call);

  // module.cpp
  std::string Issuer() const { return s_.base_url; }
  UkRenderOptions RenderOptions() const;
  void JsonAnswer(httplib::Response& res, int status, std::string body) const;
  std::optional<TokenGrantInfo> BearerGrant(const httplib::Request& req) const;
  // behaviour.require.headers (every API request) and, for AIS reads, oidc.require_customer_ip: 400
  // UK.OBIE.Header.Missing / UK.OBIE.Header.Invalid naming the header.
  std::optional<ApiError> RequiredHeaders(const httplib::Request& req, bool ais_read) const;

  Services& s_;
  BankKeys keys_;
  ClientRegistry clients_;
  TokenStore tokens_;
  AccessConsentStore consents_;
};

// Unix seconds, real time (JWT times).
int64_t UnixNow();
// A UK error for the module's own refusals.
inline ApiError UkRefuse(int status, std::string code, std::string text) {
  return {status, std::move(code), std::move(text), {}};
}

}  // namespace bankfeed::sandbox::uk_ob
