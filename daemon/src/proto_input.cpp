#include "daemon/src/proto_input.hpp"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/stubs/common.h>
#include <google/protobuf/wire_format_lite.h>
#include <grpcpp/support/proto_buffer_reader.h>

#include <map>

#include "daemon/src/grpc_status.hpp"

namespace bankfeed::daemon {
namespace {

namespace pb = google::protobuf;
using pb::internal::WireFormatLite;

// Our messages are not recursive; this only bounds a hostile nesting of unknown shape.
constexpr int kMaxDepth = 32;

std::string InvalidUtf8FieldAt(std::string_view wire, const pb::Descriptor& type, int depth) {
  if (depth > kMaxDepth) return {};
  pb::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(wire.data()), static_cast<int>(wire.size()));
  std::map<int, int> occurrences;  // of each repeated field so far, for "ibans[1]"
  while (const uint32_t tag = in.ReadTag()) {
    const pb::FieldDescriptor* field = type.FindFieldByNumber(WireFormatLite::GetTagFieldNumber(tag));
    const bool nested = field != nullptr &&
                        WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED &&
                        (field->type() == pb::FieldDescriptor::TYPE_STRING ||
                         field->type() == pb::FieldDescriptor::TYPE_MESSAGE);
    if (!nested) {
      if (!WireFormatLite::SkipField(&in, tag)) return {};
      continue;
    }
    uint32_t length = 0;
    std::string value;
    if (!in.ReadVarint32(&length) || !in.ReadString(&value, static_cast<int>(length))) return {};
    std::string name = field->name();
    if (field->is_repeated()) name += "[" + std::to_string(occurrences[field->number()]++) + "]";
    if (field->type() == pb::FieldDescriptor::TYPE_STRING) {
      if (!pb::internal::IsStructurallyValidUTF8(value.data(), static_cast<int>(value.size()))) return name;
    } else if (std::string inner = InvalidUtf8FieldAt(value, *field->message_type(), depth + 1); !inner.empty()) {
      return name + "." + inner;
    }
  }
  return {};
}

}  // namespace

std::string InvalidUtf8Field(std::string_view wire, const pb::Descriptor& type) {
  return InvalidUtf8FieldAt(wire, type, 0);
}

grpc::Status ParseRequest(const grpc::ByteBuffer& bytes, pb::Message& message) {
  grpc::ByteBuffer copy(bytes);  // the reader consumes its buffer; the copy shares the request's slices
  grpc::ProtoBufferReader reader(&copy);
  std::string wire;
  const void* data = nullptr;
  int size = 0;
  while (reader.Next(&data, &size)) wire.append(static_cast<const char*>(data), static_cast<size_t>(size));
  if (!reader.status().ok()) return InvalidArgument("request", "cannot be read");
  const pb::Descriptor& type = *message.GetDescriptor();
  if (std::string field = InvalidUtf8Field(wire, type); !field.empty()) {
    return InvalidArgument(field, "not valid UTF-8");
  }
  if (!message.ParseFromString(wire)) return InvalidArgument("request", "not a " + type.full_name() + " message");
  return grpc::Status::OK;
}

}  // namespace bankfeed::daemon
