// bankfeed/datetime.hpp: calendar dates, UTC instants and bank time zones.
//
// Banks send dates ("2024-03-31"), date-times with an offset ("2024-03-31T00:30:00+01:00") and date-times without
// one, which mean local time in the bank's zone. ParseDateOrDateTime turns any of them into the local calendar date
// and, when a time was given, the UTC instant, keeping the fractional seconds the bank sent.
//
//   auto tz = bankfeed::TimeZone::Locate("Europe/Berlin");
//   auto v = bankfeed::ParseDateOrDateTime("2024-03-31T00:30:00+01:00", *tz);
//   v->date.ToString();        // "2024-03-31"
//   v->datetime->ToString();   // "2024-03-30T23:30:00Z"
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bankfeed/result.hpp"

namespace bankfeed {

struct BANKFEED_EXPORT Date {
  int32_t days_since_epoch = 0;  // 1970-01-01 is 0

  // Strictly YYYY-MM-DD with a real calendar day.
  static Result<Date> Parse(std::string_view text);
  static Date FromYmd(int year, unsigned month, unsigned day);
  std::string ToString() const;
  void AppendTo(std::string& out) const;

  friend auto operator<=>(const Date&, const Date&) = default;
};

struct BANKFEED_EXPORT DateTime {
  int64_t unix_seconds = 0;
  int32_t nanos = 0;            // 0..999,999,999
  int8_t fraction_digits = 0;   // how many fraction digits the bank sent (0..9); printed back as sent

  // RFC 3339 in UTC with "Z", e.g. "2024-03-30T23:30:00.120Z".
  std::string ToString() const;
  void AppendTo(std::string& out) const;

  friend auto operator<=>(const DateTime&, const DateTime&) = default;
};

// An IANA time zone from the system's tz database, or UTC.
class BANKFEED_EXPORT TimeZone {
 public:
  TimeZone() = default;  // UTC
  static TimeZone Utc() { return {}; }
  // kInvalidArgument when the name is not in the tz database.
  static Result<TimeZone> Locate(std::string_view name);

  bool IsUtc() const { return zone_ == nullptr; }
  std::string_view name() const;
  // Local wall-clock seconds to UTC seconds. A time skipped by a DST jump maps to the instant of the jump; a
  // repeated time maps to its first occurrence.
  int64_t LocalToUtc(int64_t local_seconds) const;
  // UTC seconds to local wall-clock seconds.
  int64_t UtcToLocal(int64_t utc_seconds) const;
  // The local calendar date at a UTC instant (e.g. the bank's "today").
  Date LocalDate(int64_t utc_seconds) const;

 private:
  const void* zone_ = nullptr;  // const date::time_zone*
};

struct DateAndTime {
  Date date;                          // the local calendar date
  std::optional<DateTime> datetime;   // the instant, when a time was given
};

// Accepts YYYY-MM-DD, or YYYY-MM-DDThh:mm[:ss[.fraction]] with an optional offset Z, +hh:mm, +hhmm or +hh.
// Without an offset the time is local to `zone`. Errors name the reason, never the value.
BANKFEED_EXPORT Result<DateAndTime> ParseDateOrDateTime(std::string_view text, const TimeZone& zone);

}  // namespace bankfeed
