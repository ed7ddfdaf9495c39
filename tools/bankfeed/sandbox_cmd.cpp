// `bankfeed sandbox`: serve one mock bank until SIGTERM or SIGINT (tools/sandbox/README.md).
//
// The signals are blocked before any thread starts and taken with sigwait() on the main thread, so no handler
// runs in signal context; the main thread then stops the server and the process exits 0.
#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "tools/bankfeed/commands.hpp"
#include "tools/bankfeed/io.hpp"
#include "tools/sandbox/server.hpp"

namespace bankfeed::cli {
namespace {

struct SandboxArgs {
  std::string standard;
  std::string scenario;
  std::string listen = "127.0.0.1:0";
  std::string cert, key, client_ca;
  std::string today;
  std::string port_file;
  uint64_t seed = 0;
  std::vector<std::string> published_certs;
};

// "host:port", "[v6]:port"; the port 0-65535.
bool SplitListen(const std::string& listen, std::string& host, int& port) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) return false;
  host = listen.substr(0, colon);
  if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string digits = listen.substr(colon + 1);
  if (digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos) return false;
  port = std::stoi(digits);
  return !host.empty() && port <= 65535;
}

// Temp file in the same directory, then rename: a reader sees no file or the whole port.
bool WritePortFile(const std::string& path, int port) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << port << "\n";
    if (!out.flush()) return false;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

int RunSandbox(const SandboxArgs& args) {
  std::string host;
  int port = 0;
  if (!SplitListen(args.listen, host, port)) {
    PrintError("--listen: expected HOST:PORT, e.g. 127.0.0.1:0");
    return kExitUsage;
  }
  sandbox::SandboxOptions options;
  options.host = host;
  options.port = port;
  options.cert_file = args.cert;
  options.key_file = args.key;
  options.client_ca_file = args.client_ca;
  options.seed = args.seed;
  options.published_certificates = args.published_certs;
  if (!args.today.empty()) {
    auto today = Date::Parse(args.today);
    if (!today) {
      PrintError("--today: expected a date YYYY-MM-DD");
      return kExitUsage;
    }
    options.today = *today;
  }
  auto scenario = sandbox::LoadScenarioFile(args.scenario, args.standard);
  if (!scenario) {
    PrintError(scenario.error().message);
    return scenario.error().code == ErrorCode::kNotFound ? kExitNoInput : kExitConfig;
  }

  // Block the stop signals in every thread the server will start; the main thread takes them with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto server = sandbox::SandboxServer::Start(std::move(*scenario), options);
  if (!server) {
    PrintError(server.error().message);
    return server.error().code == ErrorCode::kUnavailable ? kExitUnavailable : kExitConfig;
  }
  std::cout << "listening on " << (*server)->BaseUrl() << std::endl;
  if (!args.port_file.empty() && !WritePortFile(args.port_file, (*server)->Port())) {
    PrintError("--port-file " + args.port_file + ": cannot be written");
    (*server)->Stop();
    return kExitConfig;
  }
  int signal_number = 0;
  while (sigwait(&stop_signals, &signal_number) != 0) {
  }
  (*server)->Stop();
  return kExitOk;
}

}  // namespace

void AddSandboxCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<SandboxArgs>();
  CLI::App* cmd = app.add_subcommand("sandbox", "Serve a mock bank over HTTPS from a scenario file");
  cmd->add_option("--standard", args->standard, "The bank's API standard")
      ->required()
      ->check(CLI::IsMember(sandbox::SupportedStandards()));
  cmd->add_option("--scenario", args->scenario, "Scenario YAML file (docs/DESIGN.md §5)")->required();
  cmd->add_option("--listen", args->listen, "HOST:PORT to listen on; port 0 picks a free one")
      ->default_val("127.0.0.1:0");
  cmd->add_option("--cert", args->cert, "Server certificate (PEM)")->required();
  cmd->add_option("--key", args->key, "Server private key (PEM)")->required();
  cmd->add_option("--client-ca", args->client_ca, "CA (PEM) that client and signing certificates chain to")
      ->required();
  cmd->add_option("--today", args->today, "Simulated date YYYY-MM-DD (default: the scenario's latest date)");
  cmd->add_option("--port-file", args->port_file, "Write the port here (atomically) once listening");
  cmd->add_option("--seed", args->seed, "Seed for probability faults")->default_val(0);
  cmd->add_option("--published-cert", args->published_certs,
                  "A certificate (PEM) the TPP publishes at a URL; STET keyIds name it by its SHA-256 (repeatable)")
      ->allow_extra_args(false);
  cmd->callback([args, &exit_code] { exit_code = RunSandbox(*args); });
}

}  // namespace bankfeed::cli
