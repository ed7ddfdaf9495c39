// bankfeed's Error as a gRPC status. The message is the error's own text (field names and reasons, never personal
// data or secrets) run through the redaction layer once more, so a careless message still cannot leak.
#pragma once

#include <grpcpp/support/status.h>

#include <string_view>

#include "bankfeed/result.hpp"

namespace bankfeed::daemon {

grpc::Status ToGrpcStatus(const Error& error);

// A feed read's error. Every cursor the feed refuses (garbage, corrupt, another store's or another tenant's, ahead of
// the feed) gets one and the same message, "cursor: not a cursor of this feed": a different one would tell a caller
// that a cursor it holds is genuine.
grpc::Status FeedReadStatus(const Error& error);
grpc::Status CursorRefused();

// INVALID_ARGUMENT naming the field: "page_size: at most 10000".
grpc::Status InvalidArgument(std::string_view field, std::string_view reason);

}  // namespace bankfeed::daemon
