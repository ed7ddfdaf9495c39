#include "daemon/src/daemon.hpp"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/scoped.hpp"
#include "daemon/src/library_logs.hpp"
#include "log/log.hpp"
#include "pki/credentials.hpp"

namespace bankfeed::daemon {
namespace fs = std::filesystem;
namespace {

// Whether something answers on the socket (another bankfeedd): then it is not ours to remove.
bool SocketInUse(const std::string& path) {
  ScopedFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) return false;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) return false;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  return ::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
}

Result<std::string> ReadFile(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kConfig, std::string(what) + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<std::shared_ptr<grpc::ServerCredentials>> TlsCredentials(const TcpListener& tcp) {
  grpc::SslServerCredentialsOptions options(tcp.client_ca_file.empty()
                                                ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                                : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  BANKFEED_ASSIGN_OR_RETURN(pair.private_key, pki::ReadSecretFile(tcp.key_file, "daemon.tcp.key_file"));
  BANKFEED_ASSIGN_OR_RETURN(pair.cert_chain, ReadFile(tcp.certificate_file, "daemon.tcp.certificate_file"));
  options.pem_key_cert_pairs.push_back(std::move(pair));
  if (!tcp.client_ca_file.empty()) {
    BANKFEED_ASSIGN_OR_RETURN(options.pem_root_certs, ReadFile(tcp.client_ca_file, "daemon.tcp.client_ca_file"));
  }
  return grpc::SslServerCredentials(options);
}

}  // namespace

Daemon::Daemon(std::unique_ptr<Core> core)
    : core_(std::move(core)),
      consents_(*core_),
      accounts_(*core_),
      feed_(*core_),
      admin_(*core_),
      scheduler_(*core_),
      metrics_server_(core_->metrics()) {}

Daemon::~Daemon() {
  if (core_) {
    Shutdown();
    Wait();
  }
}

Result<std::unique_ptr<Daemon>> Daemon::Create(DaemonConfig config, ConnectorEnvironment env) {
  BANKFEED_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenSqliteStore(config.client.store));
  return std::unique_ptr<Daemon>(new Daemon(std::make_unique<Core>(std::move(config), std::move(store), std::move(env))));
}

Result<Listening> Daemon::Start() {
  const DaemonConfig& config = core_->config();
  Listening listening;
  socket_path_ = fs::absolute(config.unix_socket).lexically_normal().string();
  if (fs::exists(fs::symlink_status(socket_path_))) {
    if (!fs::is_socket(fs::symlink_status(socket_path_))) {
      return MakeError(ErrorCode::kConfig, "daemon.unix_socket: the path exists and is not a socket");
    }
    if (SocketInUse(socket_path_)) {
      return MakeError(ErrorCode::kConfig, "daemon.unix_socket: another process is listening on it");
    }
    fs::remove(socket_path_);  // a stale socket of a daemon that did not stop cleanly
  }
  RouteLibraryLogs();  // before protobuf or gRPC might log: no plain-text line on stderr
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort("unix:" + socket_path_, grpc::InsecureServerCredentials());
  int tcp_port = 0;
  if (!config.tcp.address.empty()) {
    BANKFEED_ASSIGN_OR_RETURN(auto credentials, TlsCredentials(config.tcp));
    builder.AddListeningPort(config.tcp.address, credentials, &tcp_port);
  }
  builder.RegisterService(&consents_);
  builder.RegisterService(&accounts_);
  builder.RegisterService(&feed_);
  builder.RegisterService(&admin_);
  // The sync server's pollers wake at this interval; Shutdown waits for them, so the default 10 s would make every
  // stop take up to 10 s even with no call in flight.
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::CQ_TIMEOUT_MSEC, 200);
  builder.SetMaxSendMessageSize(16 << 20);
  builder.SetMaxReceiveMessageSize(1 << 20);  // requests are small; a huge one is refused by gRPC itself
  // The socket is created 0600 (umask) and then opened to the configured mode: never wider in between.
  const mode_t old_umask = ::umask(0177);
  server_ = builder.BuildAndStart();
  ::umask(old_umask);
  if (!server_) return MakeError(ErrorCode::kConfig, "daemon: cannot listen on the configured socket or address");
  const auto fail = [this](std::string_view message) {
    server_->Shutdown();
    server_.reset();
    return MakeError(ErrorCode::kConfig, std::string(message));
  };
  if (!config.tcp.address.empty() && tcp_port == 0) return fail("daemon.tcp.address: cannot listen on it");
  if (::chmod(socket_path_.c_str(), config.socket_mode) != 0) return fail("daemon.unix_socket: cannot set its mode");
  if (!config.metrics_address.empty()) {
    if (auto started = metrics_server_.Start(config.metrics_address); !started) return fail(started.error().message);
    listening.metrics_port = metrics_server_.port();
  }
  server_->GetHealthCheckService()->SetServingStatus(true);
  scheduler_.Start();
  listening.unix_socket = socket_path_;
  listening.tcp_port = tcp_port;
  log::Info("daemon.started", {{"unix_socket", socket_path_},
                               {"tcp_port", tcp_port},
                               {"metrics_port", listening.metrics_port},
                               {"tenants", static_cast<int64_t>(config.tenants.size())},
                               {"scheduler", config.scheduler.enabled}});
  return listening;
}

void Daemon::Shutdown() {
  {
    std::lock_guard lock(mu_);
    if (shutting_down_ || !server_) return;
    shutting_down_ = true;
  }
  log::Info("daemon.stopping", {{"grace_s", core_->config().shutdown_grace_seconds}});
  core_->stopping().store(true);
  server_->GetHealthCheckService()->SetServingStatus(false);
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(core_->config().shutdown_grace_seconds));
  core_->pages().Stop();
  scheduler_.Stop();
  metrics_server_.Stop();
  std::error_code ignored;
  fs::remove(socket_path_, ignored);
  log::Info("daemon.stopped", {});
  {
    std::lock_guard lock(mu_);
    done_ = true;
  }
  done_cv_.notify_all();
}

void Daemon::Close() {
  scheduler_.Stop();
  metrics_server_.Stop();
  if (core_) core_->pages().Stop();
  core_.reset();  // the services hold a reference, but no call reaches them once the server has stopped
}

void Daemon::Wait() {
  std::unique_lock lock(mu_);
  done_cv_.wait(lock, [this] { return done_ || !server_; });
  lock.unlock();
  if (server_) server_->Wait();
}

}  // namespace bankfeed::daemon
