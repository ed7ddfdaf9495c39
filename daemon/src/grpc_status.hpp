// bankfeed's Error as a gRPC status. The message is the error's own text (field names and reasons, never personal
// data or secrets) run through the redaction layer once more, so a careless message still cannot leak.
#pragma once

#include <grpcpp/support/status.h>

#include <string_view>

#include "bankfeed/result.hpp"

namespace bankfeed::daemon {

grpc::Status ToGrpcStatus(const Error& error);

// INVALID_ARGUMENT naming the field: "page_size: at most 10000".
grpc::Status InvalidArgument(std::string_view field, std::string_view reason);

}  // namespace bankfeed::daemon
