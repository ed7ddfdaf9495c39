// Counters the sandbox keeps for tests and the admin endpoint GET /sandbox/stats. Lock-free; any thread may bump.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace bankfeed::sandbox {

struct Stats {
  std::atomic<int64_t> requests{0};                     // every HTTP request
  std::atomic<int64_t> api_requests{0};                 // every bank API (/v1) request
  std::atomic<int64_t> bad_signature{0};                // refused: SIGNATURE_INVALID
  std::atomic<int64_t> missing_signature{0};            // refused: SIGNATURE_MISSING
  std::atomic<int64_t> no_client_certificate{0};        // refused: CERTIFICATE_MISSING
  std::atomic<int64_t> rejected_client_certificate{0};  // TLS connections whose certificate failed verification
  std::atomic<int64_t> quota_refusals{0};               // refused: ACCESS_EXCEEDED
  std::atomic<int64_t> faults_injected{0};

  // {"requests": N, ...} with the keys in the order above.
  std::string ToJson() const;
};

}  // namespace bankfeed::sandbox
