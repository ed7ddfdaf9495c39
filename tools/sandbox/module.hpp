// The boundary between the sandbox core and a standard's module (berlin_group/, uk_ob/, stet/).
//
// The core owns the HTTPS server, client certificates, the scenario, the clock, the quota, OAuth2, faults and the
// statistics. A module registers its routes on a Router and answers them. Bank API routes go through the core's
// checks before the module's handler runs: client certificate, the module's own request authentication (Berlin
// Group: the Cavage signature), latency and injected faults. A new standard is a new folder plus one line in
// modules.cpp; the core does not change.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <httplib.h>

#include "tools/sandbox/clock.hpp"
#include "tools/sandbox/oauth.hpp"
#include "tools/sandbox/published_certs.hpp"
#include "tools/sandbox/quota.hpp"
#include "tools/sandbox/scenario.hpp"
#include "tools/sandbox/stats.hpp"
#include "tools/sandbox/tls.hpp"

namespace bankfeed::sandbox {

// An error answer in the standard's own format (Berlin Group: tppMessages).
struct ApiError {
  int status = 400;
  std::string code;  // e.g. FORMAT_ERROR
  std::string text;  // for people; names fields and reasons, never personal data
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Retry-After
};

// What the core shares with a module. Owned by the server and alive while it runs.
struct Services {
  const Scenario& scenario;
  SimClock& clock;
  Stats& stats;
  Quota& quota;
  OAuthServer& oauth;
  const TrustStore& trust;  // what signature certificates must chain to (--client-ca)
  const PublishedCertificates& published;  // what keyId URLs resolve to (--published-cert; STET)
  std::string base_url;     // "https://127.0.0.1:PORT", set before the first request
};

// One bank API request that passed the core's checks.
struct ApiCall {
  const httplib::Request& req;
  httplib::Response& res;
  int64_t index = 0;  // 1-based among all bank API requests
  int64_t page = 0;   // paginated routes: the page asked for (1 without page=), 0 when malformed
  std::optional<FaultKind> link_fault;  // next_loop / foreign_next to apply to this page's links
  bool link_fault_used = false;         // set by the renderer when it applied link_fault
};

using ApiHandler = std::function<void(ApiCall&)>;
using PageHandler = std::function<void(const httplib::Request&, httplib::Response&)>;

class Router {
 public:
  virtual ~Router() = default;
  // A bank API route. `pattern` is an httplib regex over the path; `paginated` routes read page=N and are where
  // page selectors and link faults apply.
  virtual void Api(std::string_view method, const std::string& pattern, ApiHandler handler, bool paginated) = 0;
  // A customer-facing page: no client certificate, no signature, no faults.
  virtual void Page(std::string_view method, const std::string& pattern, PageHandler handler) = 0;
  // An authorization-server endpoint (token, client registration): a valid client certificate and nothing else;
  // no request authentication, no faults, not counted as a bank API request.
  virtual void Protected(std::string_view method, const std::string& pattern, PageHandler handler) = 0;
};

class StandardModule {
 public:
  virtual ~StandardModule() = default;
  virtual std::string_view standard() const = 0;
  virtual void WriteError(httplib::Response& res, const ApiError& error) const = 0;
  // The error answer to a request: what the core writes. Standards whose errors name the request (STET's "path")
  // override it; the others write WriteError.
  virtual void WriteRequestError(const httplib::Request& /*req*/, httplib::Response& res, const ApiError& error) const {
    WriteError(res, error);
  }
  // The standard's request authentication beyond mTLS; std::nullopt when the request passes. Counts its refusals.
  virtual std::optional<ApiError> Authenticate(const httplib::Request& req) = 0;
  // The consent_expired fault: the consent the request names becomes expired.
  virtual void ExpireConsent(const httplib::Request& req) = 0;
  virtual void RegisterRoutes(Router& router) = 0;
  // Where the standard's bank API lives: an unknown path under one of these gets the API checks and a 404 in the
  // standard's format (and counts as a bank API request). Berlin Group's /v1/ unless a module says otherwise.
  virtual std::vector<std::string> ApiPrefixes() const { return {"/v1/"}; }
  // Called first for every bank API request, before any check: headers every answer of the standard carries
  // (UK Open Banking: x-fapi-interaction-id).
  virtual void BeginApiResponse(const httplib::Request& /*req*/, httplib::Response& /*res*/) {}
};

// modules.cpp: the one explicit table of standards with a module. nullptr for a standard without one.
std::unique_ptr<StandardModule> MakeModule(std::string_view standard, Services& services);

}  // namespace bankfeed::sandbox
