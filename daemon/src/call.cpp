#include "daemon/src/call.hpp"

#include <chrono>
#include <exception>
#include <utility>

#include "common/ip_address.hpp"
#include "daemon/src/checked_methods.hpp"
#include "daemon/src/grpc_status.hpp"
#include "log/log.hpp"
#include "store/sqlite_store.hpp"

namespace bankfeed::daemon {

std::string_view StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return "OK";
    case grpc::StatusCode::CANCELLED: return "CANCELLED";
    case grpc::StatusCode::UNKNOWN: return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND: return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS: return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED: return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED: return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE: return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED: return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL: return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE: return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS: return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED: return "UNAUTHENTICATED";
    default: return "UNKNOWN";
  }
}

grpc::Status RunCall(Core& core, grpc::ServerContextBase* context, const std::string& method,
                     const std::function<grpc::Status(const std::string& tenant)>& body) {
  CallLog call(core, method, *context);
  grpc::Status status = call.Authenticate(*context);
  if (status.ok()) {
    try {
      status = body(call.tenant());
    } catch (const std::exception&) {
      status = grpc::Status(grpc::StatusCode::INTERNAL, "internal error");
    }
  }
  call.Done(status);
  return status;
}

CallLog::CallLog(Core& core, std::string method)
    : core_(core), method_(std::move(method)), start_(std::chrono::steady_clock::now()) {}

grpc::Status CallLog::Authenticate(grpc::ServerContextBase& context) {
  return core_.auth().Authenticate(context, tenant_);
}

CallLog::CallLog(Core& core, std::string method, const grpc::ServerContextBase& context)
    : CallLog(core, std::move(method)) {
  peer_ = context.peer();
}

void CallLog::Done(const grpc::Status& status) const {
  const auto now = std::chrono::steady_clock::now();
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const std::string_view code = StatusCodeName(status.error_code());
  core_.metrics().CountRpc(method_, code, seconds);
  const auto ms = static_cast<int64_t>(seconds * 1000);
  if (status.ok()) {
    log::Debug("rpc", {{"method", method_}, {"tenant", tenant_}, {"grpc_status", code}, {"ms", ms}});
    return;
  }
  if (const std::string_view reason = RefusalReason(status.error_code()); !reason.empty()) {
    // Anyone who reaches the socket can make these: counted each, logged once per interval and source.
    core_.metrics().CountRefusal(reason);
    int64_t count = 0;
    if (!core_.refusals().Admit(RefusalSource(peer_, tenant_, code), now, count)) return;
    log::Info("rpc", {{"method", method_}, {"tenant", tenant_}, {"peer", peer_}, {"grpc_status", code}, {"ms", ms},
                      {"reason", status.error_message()}, {"refusals", count}});
    return;
  }
  log::Info("rpc", {{"method", method_}, {"tenant", tenant_}, {"grpc_status", code}, {"ms", ms},
                    {"reason", status.error_message()}});
}

std::string_view RefusalReason(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::UNAUTHENTICATED: return "unauthenticated";
    case grpc::StatusCode::PERMISSION_DENIED: return "permission_denied";
    case grpc::StatusCode::INVALID_ARGUMENT: return "invalid_argument";
    default: return {};
  }
}

grpc::Status RefuseRequest(Core& core, grpc::ServerContextBase& context, const std::string& method,
                           const grpc::Status& refused) {
  CallLog call(core, method, context);
  grpc::Status status = call.Authenticate(context);
  if (status.ok()) status = refused;
  call.Done(status);
  return status;
}

grpc::Status CheckCustomerId(std::string_view field, std::string_view value) {
  return store::IsHandle(value, "cu_") ? grpc::Status::OK : InvalidArgument(field, "expected cu_ and 24 hex digits");
}
grpc::Status CheckConsentId(std::string_view field, std::string_view value) {
  return store::IsHandle(value, "cg_") ? grpc::Status::OK : InvalidArgument(field, "expected cg_ and 24 hex digits");
}
grpc::Status CheckAccountId(std::string_view field, std::string_view value) {
  return store::IsHashId(value, "acc_") ? grpc::Status::OK : InvalidArgument(field, "expected acc_ and 32 hex digits");
}

grpc::Status CheckPsuIpAddress(std::string_view value) {
  return value.empty() || IsIpAddress(value) ? grpc::Status::OK : InvalidArgument("psu_ip_address", kIpAddressExpected);
}

grpc::Status CheckPageSize(int32_t page_size, size_t& limit) {
  if (page_size == 0) {
    limit = 1000;
    return grpc::Status::OK;
  }
  if (page_size < 0 || static_cast<size_t>(page_size) > kMaxFeedPage) {
    return InvalidArgument("page_size", "expected 1 to " + std::to_string(kMaxFeedPage) + " (0: 1000)");
  }
  limit = static_cast<size_t>(page_size);
  return grpc::Status::OK;
}

}  // namespace bankfeed::daemon
