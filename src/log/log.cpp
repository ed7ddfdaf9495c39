// JSON-lines logging through spdlog, with every field redacted (see log.hpp).
#include "log/log.hpp"

#include "common/text.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <mutex>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace bankfeed {
namespace log {
namespace {

spdlog::level::level_enum ToSpd(LogLevel l) {
  switch (l) {
    case LogLevel::kTrace: return spdlog::level::trace;
    case LogLevel::kDebug: return spdlog::level::debug;
    case LogLevel::kInfo: return spdlog::level::info;
    case LogLevel::kWarn: return spdlog::level::warn;
    case LogLevel::kError: return spdlog::level::err;
    case LogLevel::kOff: return spdlog::level::off;
  }
  return spdlog::level::warn;
}

constexpr std::pair<std::string_view, LogLevel> kLevelNames[] = {
    {"trace", LogLevel::kTrace}, {"debug", LogLevel::kDebug}, {"info", LogLevel::kInfo},
    {"warn", LogLevel::kWarn},   {"error", LogLevel::kError}, {"off", LogLevel::kOff}};

std::string_view LevelName(LogLevel level) {
  for (const auto& [name, l] : kLevelNames) {
    if (l == level) return name;
  }
  return "error";
}

bool ParseLevel(std::string_view s, LogLevel& out) {
  for (const auto& [name, level] : kLevelNames) {
    if (s == name) {
      out = level;
      return true;
    }
  }
  return false;
}

struct State {
  std::once_flag init;
  std::mutex mu;
  std::shared_ptr<spdlog::logger> logger;
  std::atomic<int> level{static_cast<int>(LogLevel::kWarn)};
};

State& GlobalState() {
  static State s;
  return s;
}

// The file is created 0600 before spdlog opens it (for appending), so a log never becomes world-readable.
Status OpenFileLogger(const std::string& path, std::shared_ptr<spdlog::logger>& out) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return MakeError(ErrorCode::kConfig, "log file " + path + ": cannot be opened for appending");
  ::close(fd);
  try {
    out = std::make_shared<spdlog::logger>("bankfeed",
                                           std::make_shared<spdlog::sinks::basic_file_sink_mt>(path, false));
  } catch (const spdlog::spdlog_ex&) {
    return MakeError(ErrorCode::kConfig, "log file " + path + ": cannot be opened for appending");
  }
  return {};
}

void Install(State& s, std::shared_ptr<spdlog::logger> logger, LogLevel level) {
  // The level is written by Write, not spdlog's %l, which would spell kWarn "warning": one spelling, the config's.
  logger->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ",%v})", spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::trace);  // filtering happens in Enabled()
  logger->flush_on(spdlog::level::trace);   // a crash must not lose the lines before it
  s.logger = std::move(logger);
  s.level.store(static_cast<int>(level));
}

// First use: stderr at warn, unless BANKFEED_LOG_LEVEL / BANKFEED_LOG_DIR say otherwise.
void InitFromEnvironment(State& s) {
  LogLevel level = LogLevel::kWarn;
  if (const char* env = std::getenv("BANKFEED_LOG_LEVEL")) ParseLevel(env, level);
  std::shared_ptr<spdlog::logger> logger;
  if (const char* dir = std::getenv("BANKFEED_LOG_DIR"); dir != nullptr && *dir != '\0') {
    ::mkdir(dir, 0700);
    if (!OpenFileLogger(std::string(dir) + "/" + std::to_string(::getpid()) + ".log", logger)) logger.reset();
  }
  if (!logger) logger = std::make_shared<spdlog::logger>("bankfeed", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  std::lock_guard lock(s.mu);
  Install(s, std::move(logger), level);
}

std::shared_ptr<spdlog::logger> Logger() {
  State& s = GlobalState();
  std::call_once(s.init, [&s] { InitFromEnvironment(s); });
  std::lock_guard lock(s.mu);
  return s.logger;
}

}  // namespace

bool Enabled(LogLevel level) {
  State& s = GlobalState();
  std::call_once(s.init, [&s] { InitFromEnvironment(s); });
  return level != LogLevel::kOff && static_cast<int>(level) >= GlobalState().level.load(std::memory_order_relaxed);
}

void Write(LogLevel level, std::string_view event, std::initializer_list<Field> fields) {
  std::string line;
  line.reserve(128);
  line += "\"level\":\"";
  line += LevelName(level);
  line += "\",\"event\":";
  AppendJsonString(line, ScrubValue(event));
  for (const Field& f : fields) {
    line += ',';
    AppendJsonString(line, f.key);
    line += ':';
    if (const auto* s = std::get_if<std::string>(&f.value)) {
      AppendJsonString(line, Redact(f.key, *s));
    } else if (const auto* i = std::get_if<int64_t>(&f.value)) {
      line += std::to_string(*i);
    } else if (const auto* d = std::get_if<double>(&f.value)) {
      line += std::to_string(*d);
    } else {
      line += std::get<bool>(f.value) ? "true" : "false";
    }
  }
  Logger()->log(ToSpd(level), line);
}

}  // namespace log

Status ConfigureLogging(const LogOptions& options) {
  std::shared_ptr<spdlog::logger> logger;
  if (!options.file.empty()) {
    BANKFEED_RETURN_IF_ERROR(log::OpenFileLogger(options.file, logger));
  } else {
    logger = std::make_shared<spdlog::logger>("bankfeed", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  }
  log::State& s = log::GlobalState();
  // Settle the environment defaults first, so they cannot override this call later.
  std::call_once(s.init, [&s] { log::InitFromEnvironment(s); });
  std::lock_guard lock(s.mu);
  log::Install(s, std::move(logger), options.level);
  return {};
}

}  // namespace bankfeed
