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
  // The gRPC code says what kind of error it is; the message starts with the field or subject ("cursor: corrupt"),
  // then the bank's context when a bank was involved.
  std::string text = error.ToString();
  const std::string_view code_prefix = ErrorCodeName(error.code);
  if (text.compare(0, code_prefix.size(), code_prefix) == 0 && text.compare(code_prefix.size(), 2, ": ") == 0) {
    text.erase(0, code_prefix.size() + 2);
  }
  return grpc::Status(CodeFor(error.code), log::ScrubValue(text));
}

grpc::Status CursorRefused() { return InvalidArgument("cursor", "not a cursor of this feed"); }

grpc::Status FeedReadStatus(const Error& error) {
  if (error.code == ErrorCode::kInvalidArgument && error.message.starts_with("cursor:")) return CursorRefused();
  return ToGrpcStatus(error);
}

grpc::Status InvalidArgument(std::string_view field, std::string_view reason) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, std::string(field) + ": " + std::string(reason));
}

}  // namespace bankfeed::daemon
