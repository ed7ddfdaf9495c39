// Requests as they arrive: their bytes are checked before protobuf parses them, so a string field that is not UTF-8
// is INVALID_ARGUMENT naming the field ("ibans[1]: not valid UTF-8"), never protobuf's INTERNAL with an empty
// message (and a plain-text line of protobuf's on stderr).
//
//   v1::SyncRequest request;
//   if (grpc::Status s = ParseRequest(bytes, request); !s.ok()) return s;
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/status.h>

#include <string>
#include <string_view>

namespace bankfeed::daemon {

// The path of the first string field in `wire` (a message of `type`) whose value is not UTF-8, the way protobuf's
// own parser would refuse it: "cursor", "ibans[1]", "transaction.creditor.name". Empty when there is none, and when
// the bytes are not a message of that shape at all (parsing them says so).
std::string InvalidUtf8Field(std::string_view wire, const google::protobuf::Descriptor& type);

// `message` from a request's bytes, or INVALID_ARGUMENT: "<field>: not valid UTF-8", or "request: not a
// bankfeed.v1.X message". The value is never echoed.
grpc::Status ParseRequest(const grpc::ByteBuffer& bytes, google::protobuf::Message& message);

}  // namespace bankfeed::daemon
