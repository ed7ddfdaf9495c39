// bankfeed/transport.hpp: how bankfeed talks HTTPS to a bank. These options come from a bank profile or the caller;
// the transport itself (src/http) is internal.
//
// Security is not optional: TLS 1.2 or later, peer and host verification always on (there is deliberately no
// switch), no redirect to http: or to another host, and a cap on every response.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "bankfeed/credentials.hpp"

namespace bankfeed {

struct TransportOptions {
  std::string bank_id;                            // named in errors and logs
  std::optional<CredentialSource> client_identity;  // the QWAC for mTLS; none for a bank without mTLS
  std::string ca_bundle_file;                     // PEM CA bundle to trust instead of the system store
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{60'000};  // one attempt, from connect to the last body byte
  long low_speed_bytes_per_second = 1;            // abort when slower than this ...
  std::chrono::seconds low_speed_window{20};      // ... for this long
  size_t max_response_bytes = 32u << 20;          // headers and body together
  int max_connections = 16;                       // requests in flight at once
  int max_connections_per_host = 4;
  int max_redirects = 0;                          // followed only to the same https origin
  bool http2 = true;                              // when the server offers it (ALPN)
};

// How failed requests are retried. Only idempotent requests (GET, HEAD, PUT, DELETE) are retried after a 5xx, a
// reset or a timeout. A POST is retried only when the bank proves it did not process it: a 429 with Retry-After,
// a 503 with Retry-After, or a connection that was never established. A 429 whose body says ACCESS_EXCEEDED is
// never retried: it means the consent's daily quota is gone.
struct RetryOptions {
  int max_attempts = 4;                           // including the first
  std::chrono::milliseconds base_delay{500};      // doubled per attempt, with full jitter
  std::chrono::milliseconds max_delay{30'000};
  std::chrono::seconds max_retry_after{120};      // a longer Retry-After returns kRateLimited with retry_after set
};

}  // namespace bankfeed
