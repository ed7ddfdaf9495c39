// The core's Router over httplib: wraps each module route in the checks every request of its kind gets.
#pragma once

#include <httplib.h>

#include "tools/sandbox/faults.hpp"
#include "tools/sandbox/module.hpp"

namespace bankfeed::sandbox {

class HttpRouter final : public Router {
 public:
  HttpRouter(httplib::Server& server, StandardModule& module, Services& services, FaultPlan& faults);

  void Api(std::string_view method, const std::string& pattern, ApiHandler handler, bool paginated) override;
  void Page(std::string_view method, const std::string& pattern, PageHandler handler) override;

  // A route that needs a valid client certificate (OAuth2 token endpoint, client registration, /sandbox admin).
  void Protected(std::string_view method, const std::string& pattern, PageHandler handler) override;
  // Registered last: unknown paths under the module's ApiPrefixes() get the API checks and a 404 in the standard's
  // format, others a plain 404.
  void Fallback();

  // Writes 401 CERTIFICATE_MISSING / CERTIFICATE_INVALID and counts it unless the connection has a valid client
  // certificate.
  bool RequireClientCertificate(const httplib::Request& req, httplib::Response& res);

 private:
  void Register(std::string_view method, const std::string& pattern, httplib::Server::Handler handler);
  void ServeApi(const httplib::Request& req, httplib::Response& res, const ApiHandler& handler, bool paginated);

  httplib::Server& server_;
  StandardModule& module_;
  Services& services_;
  FaultPlan& faults_;
  bool close_connections_ = false;  // see the constructor
};

// page=N of a request target: 1 without one, 0 when it is not a positive integer.
int64_t PageOfTarget(std::string_view target);

}  // namespace bankfeed::sandbox
