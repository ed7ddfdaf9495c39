// bankfeedd: the gRPC sidecar that serves the aggregated feed.
//
//   bankfeedd --config /etc/bankfeed/bankfeed.yaml
//   bankfeedd --config bankfeed.yaml --check-config      # validate and exit
//   bankfeedd hash-token < token.txt                     # the token_sha256 for a tenant's bearer token
//
// SIGHUP makes the next use of each bank read its profile again (profiles are otherwise read once).
// Exit codes (sysexits): 0 stopped cleanly (SIGTERM/SIGINT), 2 usage, 78 configuration, 70 anything else.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <future>
#include <thread>

#include "common/text.hpp"
#include "daemon/src/daemon.hpp"
#include "log/log.hpp"
#include "bankfeed/client.hpp"

namespace {

constexpr int kExitUsage = 2;
constexpr int kExitSoftware = 70;
constexpr int kExitConfig = 78;

int Fail(const bankfeed::Error& e) {
  std::cerr << "bankfeedd: " << bankfeed::log::ScrubValue(e.ToString()) << "\n";
  return e.code == bankfeed::ErrorCode::kConfig || e.code == bankfeed::ErrorCode::kInvalidArgument ? kExitConfig
                                                                                                    : kExitSoftware;
}

// Written once the daemon listens, for supervisors and tests: {"unix_socket": ..., "tcp_port": N, "metrics_port": M}.
bool WriteReadyFile(const std::string& path, const bankfeed::daemon::Listening& l) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    std::string socket;
    bankfeed::AppendJsonString(socket, l.unix_socket);
    out << "{\"unix_socket\":" << socket << ",\"tcp_port\":" << l.tcp_port << ",\"metrics_port\":" << l.metrics_port
        << ",\"pid\":" << ::getpid() << "}\n";
    if (!out.flush()) return false;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  return !ec;
}

int HashToken() {
  std::string token;
  std::getline(std::cin, token);
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
  if (token.size() < 32) {
    std::cerr << "bankfeedd hash-token: expected a token of at least 32 characters on stdin "
                 "(e.g. openssl rand -base64 32)\n";
    return kExitUsage;
  }
  std::cout << bankfeed::daemon::HashTokenHex(token) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bankfeedd: serves bankfeed's aggregated, deduplicated feed over gRPC"};
  std::string config_path, today, ready_file;
  bool check_only = false;
  app.add_option("--config", config_path, "bankfeed.yaml with a daemon: section")->check(CLI::ExistingFile);
  app.add_option("--today", today, "Pretend today is this date (sandbox simulations only)");
  app.add_option("--ready-file", ready_file, "Write the listening addresses here (JSON) once serving");
  app.add_flag("--check-config", check_only, "Validate the configuration and exit");
  CLI::App* hash = app.add_subcommand("hash-token", "Print the SHA-256 of a bearer token read from stdin");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kExitUsage;
  }
  if (hash->parsed()) return HashToken();
  if (config_path.empty()) {
    std::cerr << "bankfeedd: --config is required\n";
    return kExitUsage;
  }

  // Signals are taken by one thread with sigwait, before any other thread exists (so all inherit the mask).
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);  // read the bank profiles again
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  auto config = bankfeed::daemon::LoadDaemonConfig(config_path);
  if (!config) return Fail(config.error());
  if (check_only) {
    std::cout << "bankfeedd: " << config_path << ": ok (" << config->tenants.size() << " tenant(s))\n";
    return 0;
  }
  if (auto logging = bankfeed::ConfigureLogging(config->log); !logging) return Fail(logging.error());
  auto env = bankfeed::EnvironmentFor(today);
  if (!env) return Fail(env.error());

  auto daemon = bankfeed::daemon::Daemon::Create(std::move(*config), *env);
  if (!daemon) return Fail(daemon.error());
  auto listening = (*daemon)->Start();
  if (!listening) return Fail(listening.error());
  if (!ready_file.empty() && !WriteReadyFile(ready_file, *listening)) {
    (*daemon)->Shutdown();
    std::cerr << "bankfeedd: --ready-file: cannot be written\n";
    return kExitSoftware;
  }
  std::thread waiter([&] {
    int signal = 0;
    while (sigwait(&signals, &signal) == 0 && signal == SIGHUP) {
      bankfeed::log::Info("daemon.signal", {{"signal", "SIGHUP"}, {"action", "reload bank profiles"}});
      (*daemon)->core().ReloadProfiles();
    }
    bankfeed::log::Info("daemon.signal", {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"}});
    (*daemon)->Shutdown();
  });
  (*daemon)->Wait();
  // Shutdown came from the signal thread; if the server ended otherwise, wake that thread so it can be joined.
  if (waiter.joinable()) {
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
  }
  (*daemon)->Close();  // the store is closed and every log line written: nothing of ours is left to finish
  // What remains is gRPC's own teardown (grpc_shutdown, run by ~Server). In gRPC 1.51 it joins a TCP backup poller
  // that a large response may have started, which sleeps up to 10 s before it notices; the stop should not wait for
  // that. The teardown gets a moment, and the process ends regardless.
  std::promise<void> destroyed;
  std::future<void> done = destroyed.get_future();
  std::thread teardown([&] {
    daemon->reset();
    destroyed.set_value();
  });
  if (done.wait_for(std::chrono::seconds(1)) != std::future_status::ready) std::_Exit(0);
  teardown.join();
  return 0;
}
