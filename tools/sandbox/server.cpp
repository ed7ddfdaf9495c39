#include "tools/sandbox/server.hpp"

#include <csignal>
#include <chrono>
#include <mutex>
#include <thread>

#include <httplib.h>

#include "log/log.hpp"
#include "tools/sandbox/core_routes.hpp"
#include "tools/sandbox/faults.hpp"
#include "tools/sandbox/https_server.hpp"
#include "tools/sandbox/module.hpp"
#include "tools/sandbox/router.hpp"

namespace bankfeed::sandbox {
namespace {

constexpr size_t kMaxRequestBody = 1 << 20;

}  // namespace

struct SandboxServer::Impl {
  Impl(Scenario s, const SandboxOptions& o, TrustStore t, PublishedCertificates p)
      : scenario(std::move(s)),
        clock(o.today.value_or(scenario.latest_date)),
        oauth(std::chrono::seconds(scenario.behaviour.token_ttl_s)),
        trust(std::move(t)),
        published(std::move(p)),
        faults(scenario.behaviour.faults, o.seed),
        services{scenario, clock, stats, quota, oauth, trust, published, {}} {}

  Scenario scenario;
  SimClock clock;
  Stats stats;
  Quota quota;
  OAuthServer oauth;
  TrustStore trust;
  PublishedCertificates published;
  FaultPlan faults;
  Services services;
  std::unique_ptr<StandardModule> module;
  std::unique_ptr<HttpsServer> server;
  std::unique_ptr<HttpRouter> router;
  std::thread listener;
  int port = 0;
  std::once_flag stopped;
};

SandboxServer::SandboxServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SandboxServer::~SandboxServer() { Stop(); }

int SandboxServer::Port() const { return impl_->port; }
const std::string& SandboxServer::BaseUrl() const { return impl_->services.base_url; }
const Stats& SandboxServer::stats() const { return impl_->stats; }
SimClock& SandboxServer::clock() { return impl_->clock; }

void SandboxServer::Stop() {
  std::call_once(impl_->stopped, [this] {
    impl_->server->stop();
    if (impl_->listener.joinable()) impl_->listener.join();
    log::Info("sandbox.stop", {{"port", impl_->port}});
  });
}

Result<std::unique_ptr<SandboxServer>> SandboxServer::Start(Scenario scenario, const SandboxOptions& options) {
  // A client that hangs up while we write must not kill the process (OpenSSL writes with write(2)).
  std::signal(SIGPIPE, SIG_IGN);
  BANKFEED_ASSIGN_OR_RETURN(TrustStore trust, TrustStore::Load(options.client_ca_file));
  BANKFEED_ASSIGN_OR_RETURN(PublishedCertificates published,
                            PublishedCertificates::Load(options.published_certificates));
  auto impl = std::make_unique<Impl>(std::move(scenario), options, std::move(trust), std::move(published));
  impl->module = MakeModule(impl->scenario.standard, impl->services);
  if (!impl->module) {
    return MakeError(ErrorCode::kInvalidArgument, "standard " + impl->scenario.standard + ": no sandbox module");
  }

  Status tls;
  Stats* stats = &impl->stats;
  impl->server = std::make_unique<HttpsServer>([&](SSL_CTX& ctx) {
    tls = ConfigureServerContext(ctx, {options.cert_file, options.key_file, options.client_ca_file}, stats);
    return tls.has_value();
  });
  if (!tls) return tl::unexpected(tls.error());
  if (!impl->server->is_valid()) return MakeError(ErrorCode::kConfig, "TLS: cannot create the server context");

  httplib::Server& svr = *impl->server;
  const int threads = options.threads;
  svr.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  svr.set_payload_max_length(kMaxRequestBody);
  svr.set_keep_alive_timeout(5);
  svr.set_keep_alive_max_count(100);
  svr.set_read_timeout(10);
  svr.set_write_timeout(10);
  svr.set_pre_routing_handler([stats](const httplib::Request&, httplib::Response&) {
    ++stats->requests;
    return httplib::Server::HandlerResponse::Unhandled;
  });
  svr.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
    log::Error("sandbox.exception", {{"method", req.method}, {"path", req.path}});
    res.status = 500;
    res.set_content("", "text/plain");
  });
  svr.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    // The path holds resource and consent ids, never IBANs or names; the query is left out.
    log::Info("sandbox.request", {{"method", req.method}, {"path", req.path}, {"status", res.status}});
  });

  impl->router = std::make_unique<HttpRouter>(svr, *impl->module, impl->services, impl->faults);
  impl->module->RegisterRoutes(*impl->router);
  RegisterCoreRoutes(*impl->router, impl->services);
  impl->router->Fallback();

  if (options.port == 0) {
    impl->port = svr.bind_to_any_port(options.host);
  } else if (svr.bind_to_port(options.host, options.port)) {
    impl->port = options.port;
  } else {
    impl->port = -1;
  }
  if (impl->port <= 0) {
    return MakeError(ErrorCode::kUnavailable,
                     "cannot listen on " + options.host + ":" + std::to_string(options.port));
  }
  const bool ipv6 = options.host.find(':') != std::string::npos;
  impl->services.base_url =
      "https://" + (ipv6 ? "[" + options.host + "]" : options.host) + ":" + std::to_string(impl->port);
  impl->listener = std::thread([&svr] { svr.listen_after_bind(); });
  // Stop() only works once the accept loop runs; wait for it so Start's caller can always stop.
  for (int i = 0; i < 5000 && !svr.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  log::Info("sandbox.start", {{"standard", impl->scenario.standard}, {"port", impl->port}});
  return std::unique_ptr<SandboxServer>(new SandboxServer(std::move(impl)));
}

}  // namespace bankfeed::sandbox
