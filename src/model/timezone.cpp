#include <chrono>
#include <exception>
#include <string>

#include <date/tz.h>

#include "bankfeed/datetime.hpp"

namespace bankfeed {

Result<TimeZone> TimeZone::Locate(std::string_view name) {
  if (name.empty() || name == "UTC" || name == "Etc/UTC") return TimeZone{};
  TimeZone tz;
  try {
    // date::locate_zone throws std::runtime_error for unknown names; keep that inside this function.
    tz.zone_ = date::locate_zone(std::string(name));
  } catch (const std::exception&) {
    return MakeError(ErrorCode::kInvalidArgument, "unknown time zone (expected an IANA name such as Europe/Berlin)");
  }
  return tz;
}

std::string_view TimeZone::name() const {
  if (zone_ == nullptr) return "UTC";
  return static_cast<const date::time_zone*>(zone_)->name();
}

int64_t TimeZone::LocalToUtc(int64_t local_seconds) const {
  if (zone_ == nullptr) return local_seconds;
  const auto* z = static_cast<const date::time_zone*>(zone_);
  const date::local_seconds local{std::chrono::seconds{local_seconds}};
  const date::local_info info = z->get_info(local);
  switch (info.result) {
    case date::local_info::unique:
    case date::local_info::ambiguous:  // the first occurrence
      return local_seconds - info.first.offset.count();
    case date::local_info::nonexistent:  // skipped by a DST jump: the instant of the jump
      return info.second.begin.time_since_epoch().count();
  }
  return local_seconds - info.first.offset.count();
}

}  // namespace bankfeed
