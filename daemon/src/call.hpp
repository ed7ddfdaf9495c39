// One RPC: authenticate the caller, run the body with their tenant, count and time the call, translate escaping
// exceptions into INTERNAL, and log one JSON line (method, tenant, code, ms; the message only for errors, and it
// never holds personal data). Refusals (UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT) are counted each but
// logged at most once per interval and source, with their count (refusal_log.hpp).
#pragma once

#include <grpcpp/server_context.h>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "daemon/src/core.hpp"

namespace bankfeed::daemon {

grpc::Status RunCall(Core& core, grpc::ServerContextBase* context, const std::string& method,
                     const std::function<grpc::Status(const std::string& tenant)>& body);

// RunCall's bookkeeping in two halves, for a call answered later on another thread (a callback method): the clock
// starts when it is made, and Done counts, times and logs the call once.
class CallLog {
 public:
  CallLog(Core& core, std::string method);
  // With the caller's peer address, under which refusals are counted (refusal_log.hpp).
  CallLog(Core& core, std::string method, const grpc::ServerContextBase& context);
  // Who is calling: sets tenant() on success.
  grpc::Status Authenticate(grpc::ServerContextBase& context);
  const std::string& tenant() const { return tenant_; }
  void Done(const grpc::Status& status) const;

 private:
  Core& core_;
  std::string method_;
  std::string tenant_;
  std::string peer_;
  std::chrono::steady_clock::time_point start_;
};

// The refusal a status code stands for in metrics and the rate-limited log ("unauthenticated", "invalid_argument",
// "permission_denied"), or empty for every other code.
std::string_view RefusalReason(grpc::StatusCode code);

// Checks of the API's ids, naming the field: "customer_id: expected cu_ and 24 hex digits".
grpc::Status CheckCustomerId(std::string_view field, std::string_view value);
grpc::Status CheckConsentId(std::string_view field, std::string_view value);
grpc::Status CheckAccountId(std::string_view field, std::string_view value);

// psu_ip_address: empty (the customer is not present) or a literal IPv4 or IPv6 address (common/ip_address.hpp).
grpc::Status CheckPsuIpAddress(std::string_view value);

// page_size: 0 → 1000, 1..kMaxFeedPage, else INVALID_ARGUMENT.
grpc::Status CheckPageSize(int32_t page_size, size_t& limit);

std::string_view StatusCodeName(grpc::StatusCode code);

}  // namespace bankfeed::daemon
