// The Berlin Group NextGenPSD2 1.3 sandbox bank: consents and SCA (redirect, decoupled, explicit start, OAuth2
// pre-step), AIS reads with pagination and quota, Cavage signatures on every /v1 request.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tools/sandbox/berlin_group/consents.hpp"
#include "tools/sandbox/berlin_group/render.hpp"
#include "tools/sandbox/module.hpp"

namespace bankfeed::sandbox::berlin_group {

class BerlinGroupModule final : public StandardModule {
 public:
  explicit BerlinGroupModule(Services& services) : s_(services) {}

  std::string_view standard() const override { return "berlin-group"; }
  void WriteError(httplib::Response& res, const ApiError& error) const override;
  std::optional<ApiError> Authenticate(const httplib::Request& req) override;
  void ExpireConsent(const httplib::Request& req) override;
  void RegisterRoutes(Router& router) override;

  ConsentStore& consents() { return consents_; }

 private:
  // consent_routes.cpp
  void CreateConsent(ApiCall& call);
  void GetConsent(ApiCall& call);
  void GetConsentStatus(ApiCall& call);
  // The consent named in the path after this read counts as a decoupled poll; nullopt when unknown.
  std::optional<Consent> PolledConsent(ApiCall& call);
  void DeleteConsent(ApiCall& call);
  void StartAuthorisation(ApiCall& call);
  void GetAuthorisation(ApiCall& call);
  void ScaPage(const httplib::Request& req, httplib::Response& res);
  void WriteAuthorisationLinks(JsonWriter& w, const Authorisation& auth, bool with_status_links);

  // ais_routes.cpp
  struct Read {
    Consent consent;
    const ScenarioAccount* account = nullptr;  // null for the account list
  };
  std::optional<ApiError> BeginRead(ApiCall& call, std::string_view resource_id, std::string_view endpoint,
                                    Read& out);
  std::optional<ApiError> ConsumeQuota(ApiCall& call, const Read& read, std::string_view endpoint);
  void Accounts(ApiCall& call);
  void Balances(ApiCall& call);
  void Transactions(ApiCall& call);

  RenderOptions Options() const;
  void Json(httplib::Response& res, int status, std::string body) const;

  Services& s_;
  ConsentStore consents_;
};

// An error answer without extra headers.
inline ApiError Refuse(int status, std::string code, std::string text) {
  return {status, std::move(code), std::move(text), {}};
}

}  // namespace bankfeed::sandbox::berlin_group
