// `bankfeed sandbox`: one mock bank over HTTPS (tools/sandbox/README.md).
//
//   auto scenario = LoadScenarioFile("specs/sandbox/alpha.yaml", "berlin-group");
//   SandboxOptions o;
//   o.cert_file = "server.pem"; o.key_file = "server.key"; o.client_ca_file = "ca.pem";
//   auto server = SandboxServer::Start(std::move(*scenario), o);   // listening on 127.0.0.1, port 0
//   std::cout << (*server)->BaseUrl();                               // https://127.0.0.1:41234
//   (*server)->Stop();
//
// Requests are served on a thread pool; all shared state is guarded inside.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bankfeed/datetime.hpp"
#include "bankfeed/result.hpp"
#include "tools/sandbox/scenario.hpp"

namespace bankfeed::sandbox {

struct Stats;
class SimClock;

// The standards with a sandbox module ("berlin-group", ...), from the table in modules.cpp.
std::vector<std::string> SupportedStandards();

struct SandboxOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port; see Port()
  std::string cert_file, key_file;  // the server's PEM certificate (chain) and key
  std::string client_ca_file;       // PEM: client certificates and signature certificates must chain to it
  std::optional<Date> today;        // default: the scenario's latest date
  uint64_t seed = 0;                // for probability faults
  int threads = 16;                 // worker threads (one per open connection)
  // PEM files of the certificates the TPP publishes at URLs (STET keyIds), loaded once at Start and found by the
  // lower-case hex SHA-256 of their DER (`--published-cert`).
  std::vector<std::string> published_certificates;
};

class SandboxServer {
 public:
  // Loads the TLS material, binds and starts serving before it returns. kInvalidArgument for a standard without a
  // module, kConfig for unusable TLS files or published certificates, kUnavailable when the address cannot be bound.
  static Result<std::unique_ptr<SandboxServer>> Start(Scenario scenario, const SandboxOptions& options);
  ~SandboxServer();  // Stop()s
  SandboxServer(const SandboxServer&) = delete;
  SandboxServer& operator=(const SandboxServer&) = delete;

  int Port() const;
  const std::string& BaseUrl() const;  // "https://<host>:<port>"
  // Stops accepting, lets requests in progress finish and joins the listener. Idempotent.
  void Stop();

  const Stats& stats() const;
  SimClock& clock();

 private:
  struct Impl;
  explicit SandboxServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bankfeed::sandbox
