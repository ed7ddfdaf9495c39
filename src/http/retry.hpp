// One request, retried by the rules of RetryOptions (bankfeed/transport.hpp), with typed outcomes.
//
// Returns the Response for 2xx, 3xx that are not followed, and 4xx other than 429: the adapter reads those bodies
// (tppMessages, OBErrorResponse) and maps them to its own errors. Everything else is an Error:
// - 429 whose body says ACCESS_EXCEEDED: kAccessExceeded, never retried;
// - 429 (and 503) with a Retry-After we will not wait for, or out of attempts: kRateLimited with retry_after set;
// - 5xx out of attempts, or a 5xx on a non-idempotent request: kUnavailable;
// - a redirect to another origin or to http:, or any redirect when the profile allows none: kProtocol;
// - transport failures as the Client typed them (kTls, kConfig, kNetwork, kTimeout, kProtocol).
#pragma once

#include <chrono>
#include <functional>

#include "bankfeed/transport.hpp"
#include "http/client.hpp"

namespace bankfeed::http {

// Clock, sleep and randomness, replaceable in tests.
struct RetryEnvironment {
  std::function<std::chrono::system_clock::time_point()> now = [] { return std::chrono::system_clock::now(); };
  std::function<void(std::chrono::milliseconds)> sleep;  // default: std::this_thread::sleep_for
  std::function<double()> uniform01;                     // default: a thread-local PRNG in [0, 1)
};

Result<Response> SendWithRetry(Client& client, Request request, const RetryOptions& retry,
                               const RetryEnvironment& env = {});

// The error a non-2xx status stands for when a caller has nothing more specific: 401 kUnauthenticated,
// 403 kUnauthenticated, 404 kNotFound, 429 kRateLimited, 5xx kUnavailable, else kHttp.
Error StatusError(const Response& response, std::string_view bank_id);

}  // namespace bankfeed::http
