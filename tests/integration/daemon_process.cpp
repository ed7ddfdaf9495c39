#include "integration/daemon_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "daemon/src/daemon_config.hpp"

extern char** environ;

namespace bankfeed::testing {
namespace fs = std::filesystem;

DaemonProcess::DaemonProcess(const CliWorkspace& workspace, const std::string& extra_yaml)
    : workspace_(workspace), config_(workspace.dir() + "/daemon.yaml"), socket_(workspace.dir() + "/d.sock") {
  tokens_[kTenantA] = "token-of-tenant-a-" + std::string(40, 'a');
  tokens_[kTenantB] = "token-of-tenant-b-" + std::string(40, 'b');
  std::ofstream out(config_);
  out << ReadFileText(workspace.config()) << "daemon:\n  unix_socket: d.sock\n  metrics: 127.0.0.1:0\n"
      << "  log: {level: info}\n  tenants:\n";
  for (const auto& [tenant, token] : tokens_) {
    out << "    - id: " << tenant << "\n      token_sha256: [" << daemon::HashTokenHex(token) << "]\n";
  }
  if (extra_yaml.find("scheduler") == std::string::npos) out << "  scheduler: {enabled: false}\n";
  out << extra_yaml;
}

DaemonProcess::~DaemonProcess() {
  if (pid_ > 0) Stop();
}

bool DaemonProcess::Start(const std::string& today) {
  const std::string ready = workspace_.dir() + "/ready.json";
  fs::remove(ready);
  std::vector<std::string> args = {BANKFEEDD, "--config", config_, "--today", today, "--ready-file", ready};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string err = workspace_.dir() + "/bankfeedd.log";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  const int rc = posix_spawn(&pid_, BANKFEEDD, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    ADD_FAILURE() << "cannot spawn bankfeedd";
    pid_ = -1;
    return false;
  }
  for (int i = 0; i < 600; ++i) {  // 60 s: ASan builds start slowly
    if (fs::exists(ready)) {
      const std::string text = ReadFileText(ready);
      const size_t at = text.find("\"metrics_port\":");
      metrics_port_ = at == std::string::npos ? 0 : std::atoi(text.c_str() + at + 15);
      return true;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      ADD_FAILURE() << "bankfeedd exited before serving: " << log();
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ADD_FAILURE() << "bankfeedd did not become ready: " << log();
  return false;
}

int DaemonProcess::Stop(std::chrono::seconds timeout) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  const auto until = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > until) {
      ADD_FAILURE() << "bankfeedd did not stop within " << timeout.count() << " s of SIGTERM";
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string DaemonProcess::log() const { return ReadFileText(workspace_.dir() + "/bankfeedd.log"); }

std::shared_ptr<grpc::Channel> DaemonProcess::channel() const {
  return grpc::CreateChannel("unix:" + socket_, grpc::InsecureChannelCredentials());
}

std::unique_ptr<grpc::ClientContext> DaemonProcess::Context(const std::string& tenant,
                                                            std::chrono::seconds deadline) const {
  auto ctx = std::make_unique<grpc::ClientContext>();
  if (auto it = tokens_.find(tenant); it != tokens_.end()) ctx->AddMetadata("authorization", "Bearer " + it->second);
  ctx->set_deadline(std::chrono::system_clock::now() + deadline);
  return ctx;
}

std::vector<FeedEntry> ToEntries(const v1::SyncResponse& page) {
  std::vector<FeedEntry> out;
  for (const v1::Change& c : page.changes()) {
    FeedEntry e;
    e.seq = c.sequence();
    e.kind = c.kind() == v1::CHANGE_KIND_ADDED      ? ChangeKind::kAdded
             : c.kind() == v1::CHANGE_KIND_MODIFIED ? ChangeKind::kModified
                                                    : ChangeKind::kRemoved;
    e.customer_handle = c.customer_id();
    e.account_id = c.account_id();
    e.transaction_id = c.transaction_id();
    if (c.has_transaction()) {
      const v1::Transaction& p = c.transaction();
      FeedTransaction ft;
      Transaction& t = ft.transaction;
      t.id = p.id();
      t.account_id = p.account_id();
      t.status = p.status() == v1::TRANSACTION_STATUS_PENDING ? TransactionStatus::kPending
                 : p.status() == v1::TRANSACTION_STATUS_INFO  ? TransactionStatus::kInfo
                                                              : TransactionStatus::kBooked;
      if (auto m = Money::Parse(p.amount().amount(), p.amount().currency())) t.amount = *m;
      if (auto d = Date::Parse(p.booking_date())) t.booking_date = *d;
      if (auto d = Date::Parse(p.value_date())) t.value_date = *d;
      const auto party = [](const v1::Party& in) {
        Party party_out;
        if (!in.name().empty()) party_out.name = in.name();
        return party_out;
      };
      if (p.has_creditor()) t.creditor = party(p.creditor());
      if (p.has_debtor()) t.debtor = party(p.debtor());
      if (!p.remittance().empty()) t.remittance = p.remittance();
      if (!c.pending_transaction_id().empty()) ft.pending_transaction_id = c.pending_transaction_id();
      e.transaction = std::move(ft);
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::string DaemonWorkspaceName(const std::string& prefix) {
  return prefix + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()).substr(0, 16);
}

int RunCtl(const DaemonProcess& d, const std::string& dir, const std::string& tenant, const std::string& args,
           std::string& output) {
  const std::string token_file = dir + "/token", out = dir + "/ctl.out";
  std::ofstream(token_file) << d.token(tenant);
  const std::string command = std::string(BANKFEEDCTL) + " --socket " + d.socket() + " --token-file " + token_file +
                              " " + args + " >" + out + " 2>&1";
  const int status = std::system(command.c_str());
  output = ReadFileText(out);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string HttpGet(int port, const std::string& path) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return "";
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const std::string request = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    if (::write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
      char buf[4096];
      for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) response.append(buf, static_cast<size_t>(n));
    }
  }
  ::close(fd);
  const size_t body = response.find("\r\n\r\n");
  return body == std::string::npos ? "" : response.substr(body + 4);
}

}  // namespace bankfeed::testing
