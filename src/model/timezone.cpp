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

int64_t TimeZone::UtcToLocal(int64_t utc_seconds) const {
  if (zone_ == nullptr) return utc_seconds;
  const auto* z = static_cast<const date::time_zone*>(zone_);
  const date::sys_seconds instant{std::chrono::seconds{utc_seconds}};
  return utc_seconds + z->get_info(instant).offset.count();
}

Date TimeZone::LocalDate(int64_t utc_seconds) const {
  const int64_t local = UtcToLocal(utc_seconds);
  int64_t days = local / 86400;
  if (local % 86400 < 0) --days;  // floor, for instants before 1970
  return Date{static_cast<int32_t>(days)};
}

}  // namespace bankfeed
