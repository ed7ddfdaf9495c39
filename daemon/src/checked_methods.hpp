// The sync services' methods take their requests as bytes. gRPC would otherwise parse a request before any of our
// code runs, and answer a string field that is not UTF-8 with INTERNAL and an empty message (protobuf printing a
// line of its own). Each method is registered instead as gRPC's "streamed" form over grpc::ByteBuffer (the wire is
// unchanged: one request, then one response or a stream of them), and ParseRequest names the field.
//
//   ConsentsService::ConsentsService(Core& core) : core_(core) {
//     MarkMethodStreamed(0, CheckedUnary<v1::Consents>(core_, this, 0, &ConsentsService::StartConsent));
//   }
#pragma once

#include <google/protobuf/descriptor.h>
#include <grpcpp/support/method_handler.h>
#include <grpcpp/support/sync_stream.h>

#include <stdexcept>
#include <string>

#include "daemon/src/core.hpp"
#include "daemon/src/proto_input.hpp"

namespace bankfeed::daemon {

// A request that cannot be read, answered like any call: the caller is authenticated first (a stranger gets
// UNAUTHENTICATED whatever it sent), then the call is counted and logged with `refused`.
grpc::Status RefuseRequest(Core& core, grpc::ServerContextBase& context, const std::string& method,
                           const grpc::Status& refused);

// "Consents.StartConsent" for method `index` of `Grpc` (the generated service class), which must take `Request`:
// a registration at the wrong index fails the daemon's start, not a call.
template <class Grpc, class Request>
std::string CheckedMethodName(int index) {
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(Grpc::service_full_name());
  if (service == nullptr || index < 0 || index >= service->method_count() ||
      service->method(index)->input_type() != Request::descriptor()) {
    throw std::logic_error("checked method registered at the wrong index");
  }
  return service->name() + "." + service->method(index)->name();
}

// The one request of a call, read from `stream` and parsed; a request that cannot be read is refused here.
template <class Stream>
grpc::Status ReadCheckedRequest(Core& core, grpc::ServerContext& context, const std::string& method, Stream& stream,
                                google::protobuf::Message& request) {
  grpc::ByteBuffer bytes;
  grpc::Status status = stream.Read(&bytes) ? ParseRequest(bytes, request)
                                            : grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "request: missing");
  return status.ok() ? status : RefuseRequest(core, context, method, status);
}

template <class Grpc, class Service, class Request, class Response>
grpc::internal::MethodHandler* CheckedUnary(Core& core, Service* service, int index,
                                            grpc::Status (Service::*method)(grpc::ServerContext*, const Request*,
                                                                             Response*)) {
  using Streamer = grpc::ServerUnaryStreamer<grpc::ByteBuffer, Response>;
  return new grpc::internal::StreamedUnaryHandler<grpc::ByteBuffer, Response>(
      [&core, service, method, name = CheckedMethodName<Grpc, Request>(index)](grpc::ServerContext* context,
                                                                                 Streamer* stream) {
        Request request;
        if (grpc::Status s = ReadCheckedRequest(core, *context, name, *stream, request); !s.ok()) return s;
        Response response;
        grpc::Status status = (service->*method)(context, &request, &response);
        if (status.ok()) stream->Write(response);  // a client gone by now is no error of ours
        return status;
      });
}

template <class Grpc, class Service, class Request, class Response>
grpc::internal::MethodHandler* CheckedServerStream(
    Core& core, Service* service, int index,
    grpc::Status (Service::*method)(grpc::ServerContext*, const Request*, grpc::internal::WriterInterface<Response>*)) {
  using Streamer = grpc::ServerSplitStreamer<grpc::ByteBuffer, Response>;
  return new grpc::internal::SplitServerStreamingHandler<grpc::ByteBuffer, Response>(
      [&core, service, method, name = CheckedMethodName<Grpc, Request>(index)](grpc::ServerContext* context,
                                                                                 Streamer* stream) {
        Request request;
        if (grpc::Status s = ReadCheckedRequest(core, *context, name, *stream, request); !s.ok()) return s;
        return (service->*method)(context, &request, stream);
      });
}

}  // namespace bankfeed::daemon
