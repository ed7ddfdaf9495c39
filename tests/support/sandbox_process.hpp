// Runs the real `bankfeed sandbox` binary as a child process for integration tests.
//
//   SandboxProcessOptions o;
//   o.binary = BANKFEED_CLI;
//   o.scenario = source_dir + "/specs/sandbox/alpha.yaml";
//   o.pki_dir = std::getenv("BANKFEED_TEST_PKI");   // server.pem, server.key and ca.pem are used
//   auto bank = SandboxProcess::Start(o);            // waits until the port file appears
//   ASSERT_TRUE(bank) << bank.error().message;
//   client.Send({"GET", (*bank)->base_url() + "/v1/accounts", ...});
//   // destruction: SIGTERM, wait, SIGKILL after stop_timeout
//
// Start fails fast when the child exits before it listens (the message carries its stderr), and after
// start_timeout otherwise.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "bankfeed/result.hpp"

namespace bankfeed::testing {

struct SandboxProcessOptions {
  std::string binary;                      // the bankfeed executable
  std::string standard = "berlin-group";
  std::string scenario;                    // scenario YAML file
  std::string pki_dir;                     // holds server.pem, server.key, ca.pem (tests/pki/make-test-pki.sh)
  std::vector<std::string> extra_args;     // e.g. {"--today", "2025-01-31", "--seed", "7"}
  std::chrono::milliseconds start_timeout{15'000};
  std::chrono::milliseconds stop_timeout{5'000};
};

class SandboxProcess {
 public:
  static Result<std::unique_ptr<SandboxProcess>> Start(const SandboxProcessOptions& options);
  ~SandboxProcess();
  SandboxProcess(const SandboxProcess&) = delete;
  SandboxProcess& operator=(const SandboxProcess&) = delete;

  int port() const { return port_; }
  std::string base_url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return pid_; }

  // SIGTERM, then waits up to stop_timeout (SIGKILL after it). Returns the exit code, or -1 after a signal.
  // Idempotent: later calls return the first result.
  int Stop();
  // What the child wrote so far.
  std::string Stdout() const;
  std::string Stderr() const;

 private:
  SandboxProcess() = default;
  pid_t pid_ = -1;
  int port_ = 0;
  int exit_code_ = -1;
  bool stopped_ = false;
  std::string dir_;
  std::chrono::milliseconds stop_timeout_{5'000};
};

}  // namespace bankfeed::testing
