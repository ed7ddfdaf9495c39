// A real bankfeedd process for integration tests: its configuration beside a CliWorkspace's (same store, profiles
// and TPP credentials) plus a daemon: section with two tenants, started on a Unix socket in the workspace, and the
// gRPC stubs to call it as either tenant.
#pragma once

#include <grpcpp/grpcpp.h>
#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "bankfeed/store.hpp"
#include "bankfeed/v1/accounts.grpc.pb.h"
#include "bankfeed/v1/admin.grpc.pb.h"
#include "bankfeed/v1/consents.grpc.pb.h"
#include "bankfeed/v1/feed.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "integration/cli_workspace.hpp"

namespace bankfeed::testing {

inline constexpr char kTenantA[] = "tenant-a";
inline constexpr char kTenantB[] = "tenant-b";

class DaemonProcess {
 public:
  // `extra_yaml`: more lines under daemon: (indented two spaces), e.g. "  scheduler: {enabled: true, tick_seconds: 1}".
  explicit DaemonProcess(const CliWorkspace& workspace, const std::string& extra_yaml = "");
  ~DaemonProcess();

  // Starts bankfeedd with `--today` and waits until it serves (fails the test otherwise).
  bool Start(const std::string& today);
  // SIGTERM; returns the exit status (-1 after a signal or a timeout, when it is killed).
  int Stop(std::chrono::seconds timeout = std::chrono::seconds(30));
  pid_t pid() const { return pid_; }
  int metrics_port() const { return metrics_port_; }
  const std::string& config() const { return config_; }
  const std::string& socket() const { return socket_; }
  const std::string& token(const std::string& tenant) const { return tokens_.at(tenant); }
  std::string log() const;

  std::shared_ptr<grpc::Channel> channel() const;
  // A context carrying the tenant's bearer token (no token for an empty tenant), with a deadline.
  std::unique_ptr<grpc::ClientContext> Context(const std::string& tenant,
                                               std::chrono::seconds deadline = std::chrono::seconds(60)) const;

  std::unique_ptr<v1::Consents::Stub> consents() const { return v1::Consents::NewStub(channel()); }
  std::unique_ptr<v1::Accounts::Stub> accounts() const { return v1::Accounts::NewStub(channel()); }
  std::unique_ptr<v1::Feed::Stub> feed() const { return v1::Feed::NewStub(channel()); }
  std::unique_ptr<v1::Admin::Stub> admin() const { return v1::Admin::NewStub(channel()); }
  std::unique_ptr<grpc::health::v1::Health::Stub> health() const { return grpc::health::v1::Health::NewStub(channel()); }

 private:
  const CliWorkspace& workspace_;
  std::string config_;
  std::string socket_;
  std::map<std::string, std::string> tokens_;
  pid_t pid_ = -1;
  int metrics_port_ = 0;
};

// Changes of the API as the library's feed entries (for ApplyFeed / FeedKeys): kind, ids, and the fields the
// scenario's truth compares (status, dates, amount, counterparty name, remittance).
std::vector<FeedEntry> ToEntries(const v1::SyncResponse& page);

// A workspace name for the running test: `prefix` and the start of the test's name. The daemon's socket lives in the
// workspace, and a Unix socket's path must stay under 108 bytes.
std::string DaemonWorkspaceName(const std::string& prefix);

// bankfeedctl against `d` as `tenant` (its token in a file of `dir`) with `args`: its exit code (-1 when it did not
// exit), its stdout and stderr together in `output`.
int RunCtl(const DaemonProcess& d, const std::string& dir, const std::string& tenant, const std::string& args,
           std::string& output);

// GET http://127.0.0.1:<port><path>; the body ("" on failure).
std::string HttpGet(int port, const std::string& path);

// Consents.StartConsent for `psu` at the workspace's bank `test-bank`, by redirect, until the end of 2025.
inline v1::StartConsentRequest RedirectConsentRequest(const std::string& psu = "psu-1") {
  v1::StartConsentRequest start;
  start.set_bank_id("test-bank");
  start.set_psu_id(psu);
  start.set_approach(v1::SCA_APPROACH_REDIRECT);
  start.set_valid_until("2025-12-31");
  return start;
}

}  // namespace bankfeed::testing
