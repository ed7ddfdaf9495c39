#include "daemon/src/library_logs.hpp"

#include <google/protobuf/stubs/logging.h>
#include <grpc/support/log.h>

#include <mutex>
#include <string>
#include <string_view>

#include "log/log.hpp"

namespace bankfeed::daemon {
namespace {

namespace pb = google::protobuf;

// protobuf's messages name types and fields, gRPC's name peers and states; neither quotes a request's values.
void LogLine(bool error, std::string_view source, std::string_view level, const char* file, int line,
             std::string_view text) {
  const std::initializer_list<log::Field> fields = {
      {"source_level", level}, {"file", file ? file : ""}, {"line", line}, {"text", text}};
  if (error) {
    log::Warn(source, fields);
  } else {
    log::Debug(source, fields);
  }
}

void FromProtobuf(pb::LogLevel level, const char* file, int line, const std::string& message) {
  std::string_view name = "error";
  switch (level) {
    case pb::LOGLEVEL_INFO: name = "info"; break;
    case pb::LOGLEVEL_WARNING: name = "warn"; break;
    case pb::LOGLEVEL_ERROR: name = "error"; break;
    case pb::LOGLEVEL_FATAL: name = "fatal"; break;
  }
  LogLine(level != pb::LOGLEVEL_INFO, "protobuf", name, file, line, message);
}

void FromGrpc(gpr_log_func_args* args) {
  const bool error = args->severity == GPR_LOG_SEVERITY_ERROR;
  const std::string_view name = error ? "error" : args->severity == GPR_LOG_SEVERITY_INFO ? "info" : "debug";
  LogLine(error, "grpc", name, args->file, args->line, args->message ? args->message : "");
}

}  // namespace

void RouteLibraryLogs() {
  static std::once_flag once;
  std::call_once(once, [] {
    pb::SetLogHandler(&FromProtobuf);
    gpr_set_log_function(&FromGrpc);
  });
}

}  // namespace bankfeed::daemon
