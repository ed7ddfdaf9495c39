#include "tools/sandbox/router.hpp"

#include <charconv>
#include <chrono>
#include <thread>

#include "tools/sandbox/fault_response.hpp"
#include "tools/sandbox/form.hpp"

namespace bankfeed::sandbox {

int64_t PageOfTarget(std::string_view target) {
  auto fields = ParseForm(QueryOf(target));
  if (!fields) return 0;
  const std::string* page = FindField(*fields, "page");
  if (page == nullptr) return 1;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(page->data(), page->data() + page->size(), n);
  if (ec != std::errc() || end != page->data() + page->size() || n < 1 || n > 1'000'000) return 0;
  return n;
}

HttpRouter::HttpRouter(httplib::Server& server, StandardModule& module, Services& services, FaultPlan& faults)
    : server_(server), module_(module), services_(services), faults_(faults) {
  // curl silently repeats a request whose reused keep-alive connection died before any byte came back, so a reset
  // on a reused connection would never reach the client (and would take the next request's place). With reset
  // faults in the scenario every API answer closes its connection, and each request arrives on a fresh one.
  for (const FaultSpec& f : services.scenario.behaviour.faults) {
    if (f.kind == FaultKind::kReset) close_connections_ = true;
  }
}

void HttpRouter::Register(std::string_view method, const std::string& pattern, httplib::Server::Handler handler) {
  if (method == "GET") {
    server_.Get(pattern, std::move(handler));
  } else if (method == "POST") {
    server_.Post(pattern, std::move(handler));
  } else if (method == "DELETE") {
    server_.Delete(pattern, std::move(handler));
  } else if (method == "PUT") {
    server_.Put(pattern, std::move(handler));
  } else if (method == "PATCH") {
    server_.Patch(pattern, std::move(handler));
  }
}

bool HttpRouter::RequireClientCertificate(const httplib::Request& req, httplib::Response& res) {
  switch (ClientCertificateOf(req.ssl)) {
    case ClientCertificate::kValid:
      return true;
    case ClientCertificate::kMissing:
      ++services_.stats.no_client_certificate;
      module_.WriteRequestError(req, res, {401, "CERTIFICATE_MISSING", "a client certificate (QWAC) is required", {}});
      return false;
    case ClientCertificate::kInvalid:
      // Counted once per connection by the TLS verify callback (rejected_client_certificate).
      module_.WriteRequestError(req, res, {401, "CERTIFICATE_INVALID", "the client certificate does not verify", {}});
      return false;
  }
  return false;
}

void HttpRouter::ServeApi(const httplib::Request& req, httplib::Response& res, const ApiHandler& handler,
                          bool paginated) {
  const int64_t index = ++services_.stats.api_requests;
  module_.BeginApiResponse(req, res);
  if (close_connections_) res.set_header("Connection", "close");
  if (req.has_header("X-Request-ID")) res.set_header("X-Request-ID", req.get_header_value("X-Request-ID"));
  if (!RequireClientCertificate(req, res)) return;
  if (auto refused = module_.Authenticate(req)) {
    module_.WriteRequestError(req, res, *refused);
    return;
  }
  if (services_.scenario.behaviour.latency_ms > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(services_.scenario.behaviour.latency_ms));
  }
  ApiCall call{req, res, index, paginated ? PageOfTarget(req.target) : 0, std::nullopt, false};
  const std::optional<FaultSpec> fault = faults_.Select({index, req.path, req.method, call.page});
  if (fault && !IsBodyFault(fault->kind) && !IsLinkFault(fault->kind)) {
    ++services_.stats.faults_injected;  // first: a reset reaches the client before this function returns
    InjectReplacingFault(*fault, req, res, module_);
    return;
  }
  if (fault && IsLinkFault(fault->kind)) call.link_fault = fault->kind;
  handler(call);
  if (call.link_fault_used) ++services_.stats.faults_injected;
  if (fault && IsBodyFault(fault->kind) && ApplyBodyFault(*fault, res)) ++services_.stats.faults_injected;
}

void HttpRouter::Api(std::string_view method, const std::string& pattern, ApiHandler handler, bool paginated) {
  Register(method, pattern, [this, handler = std::move(handler), paginated](const httplib::Request& req,
                                                                            httplib::Response& res) {
    ServeApi(req, res, handler, paginated);
  });
}

void HttpRouter::Page(std::string_view method, const std::string& pattern, PageHandler handler) {
  Register(method, pattern, std::move(handler));
}

void HttpRouter::Protected(std::string_view method, const std::string& pattern, PageHandler handler) {
  Register(method, pattern, [this, handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
    if (RequireClientCertificate(req, res)) handler(req, res);
  });
}

void HttpRouter::Fallback() {
  const ApiHandler not_found = [this](ApiCall& call) {
    module_.WriteRequestError(call.req, call.res, {404, "RESOURCE_UNKNOWN", "no such endpoint", {}});
  };
  const std::vector<std::string> prefixes = module_.ApiPrefixes();
  for (std::string_view method : {"GET", "POST", "DELETE", "PUT", "PATCH"}) {
    for (const std::string& prefix : prefixes) {
      Register(method, prefix + ".*", [this, not_found](const httplib::Request& req, httplib::Response& res) {
        ServeApi(req, res, not_found, false);
      });
    }
    Register(method, ".*", [](const httplib::Request&, httplib::Response& res) {
      res.status = 404;
      res.set_content("not found\n", "text/plain");
    });
  }
}

}  // namespace bankfeed::sandbox
