// Refused calls (no or unknown credentials, a request that cannot be read or is out of range) are logged at most
// once per interval per source, each line with the number of refusals from that source it stands for; metrics count
// every one. So a caller who can reach the socket cannot fill the disk, and still shows up in the log.
//
//   int64_t count = 0;
//   if (refusals.Admit(RefusalSource(context.peer(), tenant, code), now, count)) log::Info("rpc", {..., {"count", count}});
//
// Memory is bounded too: at most `max_sources` sources are tracked; beyond them (a caller rotating addresses) the
// rest share one entry, and so one line per interval.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace bankfeed::daemon {

class RefusalLog {
 public:
  using Clock = std::chrono::steady_clock;
  struct Options {
    std::chrono::seconds interval{60};
    size_t max_sources = 256;
  };
  explicit RefusalLog(Options options);

  // Whether to log this refusal from `source` now; then `count` is the refusals it stands for: this one and those
  // from the same source not logged since its last line.
  bool Admit(const std::string& source, Clock::time_point now, int64_t& count);
  size_t tracked() const;

 private:
  struct Entry {
    Clock::time_point last_line;
    int64_t unlogged = 0;
  };
  void ForgetIdle(Clock::time_point now);

  Options options_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> sources_;
  Clock::time_point last_sweep_{};
};

// Who a refusal is counted against: the peer's address without its port (every connection of a TCP client has its
// own), the tenant when the caller was authenticated (so a stranger's flood never hides a tenant's mistakes), and
// the status code.
std::string RefusalSource(std::string_view peer, std::string_view tenant, std::string_view code);

}  // namespace bankfeed::daemon
