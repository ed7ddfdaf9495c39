// Counters the sandbox keeps for tests and the admin endpoint GET /sandbox/stats. Lock-free; any thread may bump.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace bankfeed::sandbox {

struct Stats {
  std::atomic<int64_t> requests{0};                     // every HTTP request
  std::atomic<int64_t> api_requests{0};                 // every bank API request (/v1, /open-banking, ...)
  std::atomic<int64_t> bad_signature{0};                // refused: SIGNATURE_INVALID
  std::atomic<int64_t> missing_signature{0};            // refused: SIGNATURE_MISSING
  std::atomic<int64_t> no_client_certificate{0};        // refused: CERTIFICATE_MISSING
  std::atomic<int64_t> rejected_client_certificate{0};  // TLS connections whose certificate failed verification
  std::atomic<int64_t> quota_refusals{0};               // refused: ACCESS_EXCEEDED
  std::atomic<int64_t> faults_injected{0};
  // OpenID Connect / FAPI authorization servers (UK Open Banking): why a client was refused.
  std::atomic<int64_t> bad_registration{0};    // client registration refused (any reason)
  std::atomic<int64_t> bad_client_auth{0};     // token endpoint: invalid_client (mTLS binding or client assertion)
  std::atomic<int64_t> bad_request_object{0};  // authorize: the request object (or its absence) refused
  std::atomic<int64_t> bad_grant{0};           // token endpoint: invalid_grant, invalid_scope, invalid_request, ...
  std::atomic<int64_t> bad_access_token{0};    // bank API: no valid bearer access token (401)

  // {"requests": N, ...} with the keys in the order above.
  std::string ToJson() const;
};

}  // namespace bankfeed::sandbox
