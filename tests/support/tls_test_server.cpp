#include "support/tls_test_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <openssl/err.h>

#include <algorithm>

#include "common/text.hpp"
#include <csignal>

namespace bankfeed::testing {
namespace {

// Reads one request (headers, then Content-Length bytes). False on EOF or error.
bool ReadRequest(SSL* ssl, std::string& buffer, RawRequest& out) {
  size_t header_end;
  while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    char chunk[4096];
    const int n = SSL_read(ssl, chunk, sizeof chunk);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
    if (buffer.size() > (1u << 20)) return false;
  }
  out = {};
  const std::string head = buffer.substr(0, header_end);
  size_t line_end = head.find("\r\n");
  const std::string first = head.substr(0, line_end);
  const size_t sp1 = first.find(' '), sp2 = first.rfind(' ');
  out.method = first.substr(0, sp1);
  out.target = first.substr(sp1 + 1, sp2 - sp1 - 1);
  size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    size_t end = head.find("\r\n", pos);
    if (end == std::string::npos) end = head.size();
    const std::string line = head.substr(pos, end - pos);
    if (const size_t colon = line.find(':'); colon != std::string::npos) {
      size_t v = colon + 1;
      while (v < line.size() && line[v] == ' ') ++v;
      out.headers.emplace_back(line.substr(0, colon), line.substr(v));
    }
    pos = end + 2;
  }
  const std::string length = out.Header("Content-Length");
  const size_t body_len = length.empty() ? 0 : std::stoul(length);
  buffer.erase(0, header_end + 4);
  while (buffer.size() < body_len) {
    char chunk[4096];
    const int n = SSL_read(ssl, chunk, sizeof chunk);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
  }
  out.body = buffer.substr(0, body_len);
  buffer.erase(0, body_len);
  return true;
}

}  // namespace

std::string RawRequest::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return v;
  }
  return {};
}

bool Connection::Write(std::string_view bytes) {
  while (!bytes.empty()) {
    const int n = SSL_write(ssl_, bytes.data(), static_cast<int>(std::min<size_t>(bytes.size(), 1 << 20)));
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool Connection::Respond(int status, std::string_view body,
                         const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: " + std::to_string(body.size()) +
                    "\r\n";
  for (const auto& [k, v] : headers) out += k + ": " + v + "\r\n";
  out += "\r\n";
  out += body;
  return Write(out);
}

void Connection::WaitForPeerClose(std::chrono::milliseconds limit) {
  pollfd p{fd_, POLLIN | POLLRDHUP, 0};
  ::poll(&p, 1, static_cast<int>(limit.count()));
}

size_t Connection::Flood(size_t chunk_size, size_t limit) {
  const std::string chunk(chunk_size, 'x');
  size_t sent = 0;
  while (sent < limit && Write(chunk)) sent += chunk_size;
  return sent;
}

std::unique_ptr<TlsTestServer> TlsTestServer::Start(const TlsServerOptions& o, Handler handler) {
  ::signal(SIGPIPE, SIG_IGN);  // a client that hangs up must not kill the test process
  std::unique_ptr<TlsTestServer> s(new TlsTestServer());
  s->handler_ = std::move(handler);
  s->ctx_ = SSL_CTX_new(TLS_server_method());
  if (o.security_level >= 0) {
    SSL_CTX_set_security_level(s->ctx_, o.security_level);
    SSL_CTX_set_cipher_list(s->ctx_, "DEFAULT:@SECLEVEL=0");
  }
  SSL_CTX_set_min_proto_version(s->ctx_, o.min_version);
  if (o.max_version != 0) SSL_CTX_set_max_proto_version(s->ctx_, o.max_version);
  if (SSL_CTX_use_certificate_chain_file(s->ctx_, o.cert_file.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(s->ctx_, o.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    ADD_FAILURE() << "test server: cannot load " << o.cert_file;
    return nullptr;
  }
  if (!o.client_ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(s->ctx_, o.client_ca_file.c_str(), nullptr) != 1) {
      ADD_FAILURE() << "test server: cannot load " << o.client_ca_file;
      return nullptr;
    }
    SSL_CTX_set_verify(s->ctx_, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  }
  s->listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(s->listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(s->listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(s->listen_fd_, 64) != 0 ||
      ::getsockname(s->listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ADD_FAILURE() << "test server: cannot listen on 127.0.0.1";
    return nullptr;
  }
  s->port_ = ntohs(addr.sin_port);
  TlsTestServer* raw = s.get();
  s->acceptor_ = std::make_unique<std::thread>([raw] { raw->AcceptLoop(); });
  return s;
}

TlsTestServer::~TlsTestServer() {
  stop_ = true;
  if (acceptor_) acceptor_->join();
  {
    std::lock_guard lock(fds_mu_);
    for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
  }
  while (live_threads_.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (listen_fd_ >= 0) ::close(listen_fd_);
  if (ctx_ != nullptr) SSL_CTX_free(ctx_);
}

std::string TlsTestServer::Url(std::string_view path, std::string_view host) const {
  return "https://" + std::string(host) + ":" + std::to_string(port_) + std::string(path);
}

void TlsTestServer::AcceptLoop() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    {
      std::lock_guard lock(fds_mu_);
      fds_.insert(fd);
    }
    ++live_threads_;
    ++accepted_;
    std::thread([this, fd] { Serve(fd); }).detach();
  }
}

void TlsTestServer::Serve(int fd) {
  const int now_open = ++open_;
  int seen = max_open_.load();
  while (now_open > seen && !max_open_.compare_exchange_weak(seen, now_open)) {
  }
  SSL* ssl = SSL_new(ctx_);
  SSL_set_fd(ssl, fd);
  bool reset = false;
  if (SSL_accept(ssl) != 1) {
    ++handshake_failures_;
  } else {
    std::string buffer;
    RawRequest request;
    while (!stop_ && ReadRequest(ssl, buffer, request)) {
      ++requests_;
      Connection conn(ssl, fd);
      handler_(request, conn);
      reset = conn.reset();
      if (reset || conn.close()) break;
    }
  }
  ERR_clear_error();
  if (reset) {
    linger l{1, 0};  // RST on close
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  } else {
    SSL_shutdown(ssl);
  }
  SSL_free(ssl);
  {
    std::lock_guard lock(fds_mu_);
    fds_.erase(fd);
  }
  ::close(fd);
  --open_;
  --live_threads_;
}

}  // namespace bankfeed::testing
