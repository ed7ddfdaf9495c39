// A scriptable HTTPS/1.1 server for transport tests: OpenSSL on 127.0.0.1, port 0, one thread per connection.
//
// Each request goes to a handler that answers through a Connection: a normal response, raw bytes, a trickle, a
// reset, or silence. The server counts requests and tracks how many connections were open at once.
#pragma once

#include <atomic>
#include <functional>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/ssl.h>

namespace bankfeed::testing {

struct RawRequest {
  std::string method, target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string Header(std::string_view name) const;  // case-insensitive, "" when absent
};

class Connection {
 public:
  Connection(SSL* ssl, int fd) : ssl_(ssl), fd_(fd) {}
  bool Write(std::string_view bytes);
  // A complete response with Content-Length.
  bool Respond(int status, std::string_view body, const std::vector<std::pair<std::string, std::string>>& headers = {});
  // Sends RST instead of FIN when the handler returns.
  void ResetOnReturn() { reset_ = true; }
  // Closes the connection after this request (no keep-alive).
  void CloseOnReturn() { close_ = true; }
  // Blocks until the client closes the connection (or `limit` passes): a server that never answers.
  void WaitForPeerClose(std::chrono::milliseconds limit);
  // Writes `chunk` again and again until the client stops reading or closes (a 10 GB body), or `limit` bytes.
  size_t Flood(size_t chunk_size, size_t limit);
  bool reset() const { return reset_; }
  bool close() const { return close_; }

 private:
  SSL* ssl_;
  int fd_;
  bool reset_ = false, close_ = false;
};

struct TlsServerOptions {
  std::string cert_file, key_file;
  std::string client_ca_file;         // set: a client certificate from this CA is required
  int min_version = TLS1_2_VERSION;
  int max_version = 0;                // 0: the highest OpenSSL supports
  int security_level = -1;            // -1: OpenSSL's default; 0 lets TLS 1.1 through (the old-server test)
};

class TlsTestServer {
 public:
  using Handler = std::function<void(const RawRequest&, Connection&)>;

  // Aborts the test process (ADD_FAILURE + nullptr) if the server cannot start.
  static std::unique_ptr<TlsTestServer> Start(const TlsServerOptions& options, Handler handler);
  ~TlsTestServer();

  int port() const { return port_; }
  std::string Url(std::string_view path = "/", std::string_view host = "localhost") const;
  int requests() const { return requests_.load(); }
  int max_open_connections() const { return max_open_.load(); }
  int handshake_failures() const { return handshake_failures_.load(); }
  int connections() const { return accepted_.load(); }

 private:
  TlsTestServer() = default;
  void AcceptLoop();
  void Serve(int fd);

  SSL_CTX* ctx_ = nullptr;
  int listen_fd_ = -1;
  int port_ = 0;
  Handler handler_;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0}, open_{0}, max_open_{0}, handshake_failures_{0}, live_threads_{0},
      accepted_{0};
  std::unique_ptr<std::thread> acceptor_;
  std::mutex fds_mu_;
  std::set<int> fds_;  // open connections, shut down on stop so their threads return
};

}  // namespace bankfeed::testing
