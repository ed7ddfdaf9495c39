// bankfeed/logging.hpp: where bankfeed's own log lines go.
//
// bankfeed logs one JSON object per line: time, level, event, and named fields. Every field passes through one
// redaction layer (src/log) before it is written: tokens, keys, passwords, IBANs, names and message bodies never
// reach a sink, only ids, statuses, counts and timings do.
//
//   bankfeed::LogOptions o;
//   o.level = bankfeed::LogLevel::kDebug;
//   o.file = "/var/log/bankfeed/bankfeed.log";
//   if (auto s = bankfeed::ConfigureLogging(o); !s) ...
//
// Without a call, bankfeed logs warnings and errors to stderr. The environment can set the same without code:
// BANKFEED_LOG_LEVEL (trace|debug|info|warn|error|off) and BANKFEED_LOG_DIR (one file per process, <pid>.log).
#pragma once

#include <string>

#include "bankfeed/export.hpp"
#include "bankfeed/result.hpp"

namespace bankfeed {

enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError, kOff };

struct LogOptions {
  LogLevel level = LogLevel::kWarn;
  std::string file;  // append to this file (created 0600); empty logs to stderr
};

BANKFEED_EXPORT Status ConfigureLogging(const LogOptions& options);

}  // namespace bankfeed
