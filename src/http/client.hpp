// The HTTPS transport: libcurl with OpenSSL, one event loop per Client.
//
// A Client owns a curl multi handle and one worker thread. Any thread may Start requests; they run concurrently
// (up to TransportOptions::max_connections, and max_connections_per_host per host), share connections (keep-alive,
// and HTTP/2 multiplexing where the bank offers it) and complete through futures. A Client makes exactly one attempt
// per request; retries live in retry.hpp.
//
// Make() loads and checks the client certificate before any request, so a missing key, a wrong password, a
// world-readable key file or a certificate that does not match its key is a kConfig error at start-up.
#pragma once

#include <future>
#include <memory>

#include "bankfeed/result.hpp"
#include "bankfeed/transport.hpp"
#include "http/message.hpp"

namespace bankfeed::http {

// One attempt's outcome. `reached_server` is false only when the request provably never left (no connection was
// established), which is what makes retrying a POST safe.
struct Attempt {
  Result<Response> response;
  bool reached_server = true;
};

class Client {
 public:
  static Result<std::unique_ptr<Client>> Make(const TransportOptions& options);
  ~Client();  // waits for the worker; requests still in flight fail with kNetwork "client shut down"
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Adds an X-Request-ID (UUIDv4) unless the request has one.
  std::future<Attempt> Start(Request request);
  Attempt Send(Request request) { return Start(std::move(request)).get(); }

  const TransportOptions& options() const;

 private:
  struct Impl;
  explicit Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bankfeed::http
