// protobuf's and gRPC's own log lines (GOOGLE_LOG, gpr_log), which they would write to stderr as plain text, go
// through bankfeed's logger instead: JSON events "protobuf" and "grpc", redacted like every other line.
//
//   RouteLibraryLogs();  // once, before the server starts
#pragma once

namespace bankfeed::daemon {

void RouteLibraryLogs();

}  // namespace bankfeed::daemon
