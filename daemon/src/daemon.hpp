// The bankfeedd process minus main(): the gRPC server on its listeners (Unix socket; optional TCP with TLS), the
// standard health service and reflection, the scheduler and the metrics endpoint, and the graceful stop.
//
//   auto daemon = Daemon::Create(*config, env);
//   (*daemon)->Start();          // listening when it returns
//   ...                          // SIGTERM: (*daemon)->Shutdown() from another thread
//   (*daemon)->Wait();
#pragma once

#include <grpcpp/server.h>

#include <memory>
#include <string>

#include "daemon/src/core.hpp"
#include "daemon/src/metrics.hpp"
#include "daemon/src/scheduler.hpp"
#include "daemon/src/services.hpp"

namespace bankfeed::daemon {

struct Listening {
  std::string unix_socket;
  int tcp_port = 0;      // 0: no TCP listener
  int metrics_port = 0;  // 0: no metrics endpoint
};

class Daemon {
 public:
  // Opens the store (kConfig for keys and files).
  static Result<std::unique_ptr<Daemon>> Create(DaemonConfig config, ConnectorEnvironment env);
  ~Daemon();

  // Binds the listeners and starts serving, the scheduler and the metrics endpoint. kConfig when a listener cannot
  // be bound (another daemon on the socket, a port in use, a bad TLS key).
  Result<Listening> Start();
  // Stops gracefully: health goes NOT_SERVING, no new sync starts, in-flight calls get `grace` to finish (a running
  // account sync finishes or rolls back; streams end with OK), then the listeners close. Safe to call twice.
  void Shutdown();
  // Until Shutdown has finished.
  void Wait();
  // After Wait: stops what is left of ours (scheduler, metrics endpoint, read-ahead) and closes the store, leaving
  // only gRPC's own objects to destroy. Nothing but the destructor may be called afterwards.
  void Close();

  Core& core() { return *core_; }  // not after Close

 private:
  explicit Daemon(std::unique_ptr<Core> core);

  std::unique_ptr<Core> core_;
  ConsentsService consents_;
  AccountsService accounts_;
  FeedService feed_;
  AdminService admin_;
  SyncScheduler scheduler_;
  MetricsServer metrics_server_;
  std::unique_ptr<grpc::Server> server_;
  std::string socket_path_;
  std::mutex mu_;
  std::condition_variable done_cv_;
  bool shutting_down_ = false;
  bool done_ = false;
};

}  // namespace bankfeed::daemon
