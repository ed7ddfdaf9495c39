#include "daemon/src/refusal_log.hpp"

#include <iterator>

namespace bankfeed::daemon {
namespace {

constexpr char kOverflow[] = "(other sources)";

}  // namespace

RefusalLog::RefusalLog(Options options) : options_(options) {}

bool RefusalLog::Admit(const std::string& source, Clock::time_point now, int64_t& count) {
  std::lock_guard lock(mu_);
  auto it = sources_.find(source);
  if (it == sources_.end()) {
    if (sources_.size() >= options_.max_sources) ForgetIdle(now);
    const std::string& key = sources_.size() < options_.max_sources ? source : std::string(kOverflow);
    it = sources_.find(key);
    if (it == sources_.end()) {
      // One slot beyond max_sources: the shared entry of everyone not tracked on their own.
      it = sources_.emplace(key, Entry{now, 0}).first;
      count = 1;
      return true;
    }
  }
  Entry& e = it->second;
  ++e.unlogged;
  if (now - e.last_line < options_.interval) return false;
  count = e.unlogged;
  e.unlogged = 0;
  e.last_line = now;
  return true;
}

size_t RefusalLog::tracked() const {
  std::lock_guard lock(mu_);
  return sources_.size();
}

// Sources whose last line is an interval old and that were refused nothing since are dropped, at most once per
// interval (a full table full of busy sources must not cost a sweep per call). A busy source keeps its entry, so its
// count is never lost.
void RefusalLog::ForgetIdle(Clock::time_point now) {
  if (now - last_sweep_ < options_.interval) return;
  last_sweep_ = now;
  for (auto it = sources_.begin(); it != sources_.end();) {
    const bool idle = it->second.unlogged == 0 && now - it->second.last_line >= options_.interval;
    it = idle ? sources_.erase(it) : std::next(it);
  }
}

std::string RefusalSource(std::string_view peer, std::string_view tenant, std::string_view code) {
  std::string_view address = peer;
  if (peer.starts_with("ipv4:") || peer.starts_with("ipv6:")) {
    if (const size_t colon = peer.rfind(':'); colon > 4) address = peer.substr(0, colon);
  }
  std::string out(address);
  out += '|';
  out += tenant;
  out += '|';
  out += code;
  return out;
}

}  // namespace bankfeed::daemon
