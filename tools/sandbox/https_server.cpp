#include "tools/sandbox/https_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>

#include <algorithm>

#include "common/text.hpp"

namespace bankfeed::sandbox {
namespace {

constexpr int kPollMs = 50;

bool WaitFor(int fd, short events, time_t seconds) {
  pollfd p{fd, events, 0};
  return ::poll(&p, 1, static_cast<int>(seconds * 1000)) > 0;
}

void AddressOf(int fd, bool peer, std::string& ip, int& port) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  const int rc = peer ? ::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len)
                      : ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  if (rc != 0) return;
  char text[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
    ::inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
    port = ntohs(a->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
    ::inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
    port = ntohs(a->sin6_port);
  }
  ip = text;
}

// A TLS stream that remembers the bytes read since the last response went out: httplib reads the request line and
// headers one byte at a time, so when the request is set up this holds exactly the request's head.
class RecordingTlsStream final : public httplib::Stream {
 public:
  RecordingTlsStream(SSL* ssl, int fd, time_t read_timeout, time_t write_timeout)
      : ssl_(ssl), fd_(fd), read_timeout_(read_timeout), write_timeout_(write_timeout) {}

  bool is_readable() const override { return SSL_pending(ssl_) > 0 || WaitFor(fd_, POLLIN, read_timeout_); }
  bool is_writable() const override { return WaitFor(fd_, POLLOUT, write_timeout_); }

  ssize_t read(char* ptr, size_t size) override {
    if (!is_readable()) return -1;
    const int n = SSL_read(ssl_, ptr, static_cast<int>(std::min<size_t>(size, 1 << 20)));
    if (n <= 0) {
      ERR_clear_error();
      return -1;
    }
    if (head_.size() < kMaxHead) head_.append(ptr, static_cast<size_t>(n));
    return n;
  }

  ssize_t write(const char* ptr, size_t size) override {
    head_.clear();  // the answer is going out: the next bytes read are the next request
    size_t done = 0;
    while (done < size) {
      const int n = SSL_write(ssl_, ptr + done, static_cast<int>(std::min<size_t>(size - done, 1 << 20)));
      if (n <= 0) {
        ERR_clear_error();
        return -1;
      }
      done += static_cast<size_t>(n);
    }
    return static_cast<ssize_t>(size);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override { AddressOf(fd_, true, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { AddressOf(fd_, false, ip, port); }
  socket_t socket() const override { return fd_; }

  std::string_view head() const { return head_; }

 private:
  static constexpr size_t kMaxHead = 64 * 1024;
  SSL* ssl_;
  int fd_;
  time_t read_timeout_, write_timeout_;
  std::string head_;
};

}  // namespace

std::optional<httplib::Headers> ParseRawHeaders(std::string_view head) {
  httplib::Headers out;
  size_t end = head.find("\r\n\r\n");
  if (end == std::string_view::npos) end = head.find("\n\n");
  if (end == std::string_view::npos) return std::nullopt;
  head = head.substr(0, end + 1);
  bool first = true;
  for (std::string_view rest = head; !rest.empty();) {
    const size_t eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (first) {  // the request line
      first = false;
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;
    out.emplace(std::string(line.substr(0, colon)), std::string(TrimOws(line.substr(colon + 1))));
  }
  return out;
}

bool HttpsServer::process_and_close_socket(socket_t sock) {
  const timeval read_timeout{static_cast<decltype(timeval::tv_sec)>(read_timeout_sec_), 0};
  const timeval write_timeout{static_cast<decltype(timeval::tv_sec)>(write_timeout_sec_), 0};
  ::setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &read_timeout, sizeof read_timeout);
  ::setsockopt(sock, SOL_SOCKET, SO_SNDTIMEO, &write_timeout, sizeof write_timeout);
  // httplib writes a response's head and body separately: with Nagle's algorithm the body waits for the client's
  // delayed ACK of the head, up to 40 ms per response on loopback.
  const int one = 1;
  ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  SSL* ssl = SSL_new(ssl_context());
  bool ok = ssl != nullptr && SSL_set_fd(ssl, sock) == 1 && SSL_accept(ssl) == 1;
  if (ok) {
    RecordingTlsStream stream(ssl, sock, read_timeout_sec_, write_timeout_sec_);
    for (size_t count = keep_alive_max_count_; count > 0; --count) {
      // Keep-alive: wait for the next request, but notice stop() within kPollMs.
      bool readable = SSL_pending(ssl) > 0;
      for (time_t waited = 0; !readable && svr_sock_ != INVALID_SOCKET && waited < keep_alive_timeout_sec_ * 1000;
           waited += kPollMs) {
        pollfd p{sock, POLLIN, 0};
        readable = ::poll(&p, 1, kPollMs) > 0;
      }
      if (!readable || svr_sock_ == INVALID_SOCKET) break;
      bool connection_closed = false;
      ok = process_request(stream, count == 1, connection_closed, [&](httplib::Request& req) {
        req.ssl = ssl;
        std::optional<httplib::Headers> raw = ParseRawHeaders(stream.head());
        if (!raw) return;
        for (const char* name : {"REMOTE_ADDR", "REMOTE_PORT", "LOCAL_ADDR", "LOCAL_PORT"}) {
          if (req.has_header(name)) raw->emplace(name, req.get_header_value(name));
        }
        req.headers = std::move(*raw);
      });
      if (!ok || connection_closed) break;
    }
    if (ok) SSL_shutdown(ssl);
  }
  ERR_clear_error();
  if (ssl != nullptr) SSL_free(ssl);
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

}  // namespace bankfeed::sandbox
