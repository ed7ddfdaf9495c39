// Booking date-time query parameters. See uk_ob/query_time.hpp.
#include "tools/sandbox/uk_ob/query_time.hpp"

#include "tools/sandbox/berlin_group/requirements.hpp"

namespace bankfeed::sandbox::uk_ob {
namespace {

// Two digits at `text[at]` no larger than `max`; -1 otherwise.
int TwoDigits(std::string_view text, size_t at, int max) {
  if (text.size() < at + 2 || text[at] < '0' || text[at] > '9' || text[at + 1] < '0' || text[at + 1] > '9') return -1;
  const int v = (text[at] - '0') * 10 + (text[at + 1] - '0');
  return v <= max ? v : -1;
}

// The time zone designator, which the bank ignores but which must be well-formed.
bool IsZone(std::string_view zone) {
  if (zone.empty() || zone == "Z") return true;
  if (zone[0] != '+' && zone[0] != '-') return false;
  zone.remove_prefix(1);
  if (TwoDigits(zone, 0, 23) < 0) return false;
  if (zone.size() == 2) return true;
  if (zone.size() == 5 && zone[2] == ':') return TwoDigits(zone, 3, 59) >= 0;
  return zone.size() == 4 && TwoDigits(zone, 2, 59) >= 0;
}

}  // namespace

std::optional<QueryInstant> ParseBookingDateTime(std::string_view text, std::string_view date_format) {
  const size_t t = text.find('T');
  const auto date = berlin_group::ParseQueryDate(text.substr(0, t), date_format);
  if (!date) return std::nullopt;
  QueryInstant out{*date, 0};
  if (t == std::string_view::npos) return out;
  const std::string_view time = text.substr(t + 1);
  const int hh = TwoDigits(time, 0, 23), mm = time.size() > 2 && time[2] == ':' ? TwoDigits(time, 3, 59) : -1;
  if (hh < 0 || mm < 0) return std::nullopt;
  size_t at = 5;
  int ss = 0;
  if (time.size() > at && time[at] == ':') {
    ss = TwoDigits(time, at + 1, 59);
    if (ss < 0) return std::nullopt;
    at += 3;
    if (time.size() > at && time[at] == '.') {
      const size_t start = ++at;
      while (at < time.size() && time[at] >= '0' && time[at] <= '9') ++at;
      if (at == start || at - start > 9) return std::nullopt;
    }
  }
  if (!IsZone(time.substr(at))) return std::nullopt;
  out.seconds = hh * 3600 + mm * 60 + ss;
  return out;
}

}  // namespace bankfeed::sandbox::uk_ob
