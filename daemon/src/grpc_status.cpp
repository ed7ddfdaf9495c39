#include "daemon/src/grpc_status.hpp"

#include "log/log.hpp"

namespace bankfeed::daemon {
namespace {

grpc::StatusCode CodeFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput:
    case ErrorCode::kInvalidArgument:
      return grpc::StatusCode::INVALID_ARGUMENT;
    case ErrorCode::kNotFound:
      return grpc::StatusCode::NOT_FOUND;
    case ErrorCode::kConsentExpired:
    case ErrorCode::kConsentInvalid:
    case ErrorCode::kUnauthenticated:  // the bank refused our credentials for this consent: not the caller's
      return grpc::StatusCode::FAILED_PRECONDITION;
    case ErrorCode::kAccessExceeded:
    case ErrorCode::kRateLimited:
      return grpc::StatusCode::RESOURCE_EXHAUSTED;
    case ErrorCode::kUnavailable:
    case ErrorCode::kNetwork:
    case ErrorCode::kTimeout:
      return grpc::StatusCode::UNAVAILABLE;
    case ErrorCode::kProtocol:
    case ErrorCode::kHttp:
    case ErrorCode::kTls:
    case ErrorCode::kConfig:
    case ErrorCode::kInternal:
      return grpc::StatusCode::INTERNAL;
  }
  return grpc::StatusCode::INTERNAL;
}

}  // namespace

grpc::Status ToGrpcStatus(const Error& error) {
  std::string message = log::ScrubValue(error.ToString());
  return grpc::Status(CodeFor(error.code), message);
}

grpc::Status InvalidArgument(std::string_view field, std::string_view reason) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, std::string(field) + ": " + std::string(reason));
}

}  // namespace bankfeed::daemon
