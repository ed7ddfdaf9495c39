#include "bankfeed/datetime.hpp"

#include <array>

#include <date/date.h>

namespace bankfeed {
namespace {

constexpr int64_t kSecondsPerDay = 86400;
// An instant must print as a four-digit year: 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z.
constexpr int64_t kMinUnixSeconds = -62135596800;
constexpr int64_t kMaxUnixSeconds = 253402300799;

// Reads exactly n ASCII digits at s[pos]; false if any is not a digit.
bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

void Append2(std::string& out, unsigned v) {
  out.push_back(static_cast<char>('0' + v / 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

void AppendYmd(std::string& out, date::year_month_day ymd) {
  int y = static_cast<int>(ymd.year());
  if (y < 0 || y > 9999) {  // never produced by our parser, which reads four digits
    out += "0000-00-00";
    return;
  }
  Append2(out, static_cast<unsigned>(y / 100));
  Append2(out, static_cast<unsigned>(y % 100));
  out.push_back('-');
  Append2(out, static_cast<unsigned>(ymd.month()));
  out.push_back('-');
  Append2(out, static_cast<unsigned>(ymd.day()));
}

// Parses YYYY-MM-DD at the start of s.
Result<Date> ParseYmd(std::string_view s) {
  int y, m, d;
  if (s.size() < 10 || !Digits(s, 0, 4, y) || s[4] != '-' || !Digits(s, 5, 2, m) || s[7] != '-' ||
      !Digits(s, 8, 2, d)) {
    return MakeError(ErrorCode::kInvalidInput, "not a date (expected YYYY-MM-DD)");
  }
  const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)},
                                 date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return MakeError(ErrorCode::kInvalidInput, "not a calendar date");
  return Date{static_cast<int32_t>(date::sys_days{ymd}.time_since_epoch().count())};
}

}  // namespace

Result<Date> Date::Parse(std::string_view text) {
  if (text.size() != 10) return MakeError(ErrorCode::kInvalidInput, "not a date (expected YYYY-MM-DD)");
  return ParseYmd(text);
}

Date Date::FromYmd(int year, unsigned month, unsigned day) {
  const date::year_month_day ymd{date::year{year}, date::month{month}, date::day{day}};
  return Date{static_cast<int32_t>(date::sys_days{ymd}.time_since_epoch().count())};
}

void Date::AppendTo(std::string& out) const {
  AppendYmd(out, date::year_month_day{date::sys_days{date::days{days_since_epoch}}});
}

std::string Date::ToString() const {
  std::string s;
  AppendTo(s);
  return s;
}

void DateTime::AppendTo(std::string& out) const {
  int64_t days = unix_seconds / kSecondsPerDay;
  int64_t rem = unix_seconds % kSecondsPerDay;
  if (rem < 0) {
    rem += kSecondsPerDay;
    --days;
  }
  AppendYmd(out, date::year_month_day{date::sys_days{date::days{days}}});
  out.push_back('T');
  Append2(out, static_cast<unsigned>(rem / 3600));
  out.push_back(':');
  Append2(out, static_cast<unsigned>(rem / 60 % 60));
  out.push_back(':');
  Append2(out, static_cast<unsigned>(rem % 60));
  if (fraction_digits > 0) {
    out.push_back('.');
    std::array<char, 9> frac;
    int32_t n = nanos;
    for (int i = 8; i >= 0; --i) {
      frac[static_cast<size_t>(i)] = static_cast<char>('0' + n % 10);
      n /= 10;
    }
    out.append(frac.data(), static_cast<size_t>(fraction_digits));
  }
  out.push_back('Z');
}

std::string DateTime::ToString() const {
  std::string s;
  AppendTo(s);
  return s;
}

Result<DateAndTime> ParseDateOrDateTime(std::string_view s, const TimeZone& zone) {
  BANKFEED_ASSIGN_OR_RETURN(Date date, ParseYmd(s));
  if (s.size() == 10) return DateAndTime{date, std::nullopt};
  auto bad = [] { return MakeError(ErrorCode::kInvalidInput, "not an RFC 3339 date-time"); };
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return bad();
  int hh, mm, ss = 0;
  if (!Digits(s, 11, 2, hh) || s.size() < 16 || s[13] != ':' || !Digits(s, 14, 2, mm)) return bad();
  size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    if (!Digits(s, pos + 1, 2, ss)) return bad();
    pos += 3;
  }
  if (hh > 23 || mm > 59 || ss > 59) return MakeError(ErrorCode::kInvalidInput, "time of day out of range");
  DateTime dt;
  if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
    ++pos;
    int digits = 0;
    int32_t nanos = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (++digits > 9) return MakeError(ErrorCode::kInvalidInput, "more than 9 fraction digits of a second");
      nanos = nanos * 10 + (s[pos] - '0');
      ++pos;
    }
    if (digits == 0) return bad();
    for (int i = digits; i < 9; ++i) nanos *= 10;
    dt.nanos = nanos;
    dt.fraction_digits = static_cast<int8_t>(digits);
  }
  const int64_t local = int64_t{date.days_since_epoch} * kSecondsPerDay + hh * 3600 + mm * 60 + ss;
  auto in_range = [&](int64_t utc) -> Result<DateAndTime> {
    if (utc < kMinUnixSeconds || utc > kMaxUnixSeconds) {
      return MakeError(ErrorCode::kInvalidInput, "date-time out of range (years 0001 to 9999 in UTC)");
    }
    dt.unix_seconds = utc;
    return DateAndTime{date, dt};
  };
  if (pos == s.size()) return in_range(zone.LocalToUtc(local));  // no offset: the bank's local time
  int offset = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    const int sign = s[pos] == '-' ? -1 : 1;
    int oh, om = 0;
    if (!Digits(s, pos + 1, 2, oh)) return bad();
    pos += 3;
    if (pos < s.size() && s[pos] == ':') {
      if (!Digits(s, pos + 1, 2, om)) return bad();
      pos += 3;
    } else if (pos < s.size()) {
      if (!Digits(s, pos, 2, om)) return bad();
      pos += 2;
    }
    if (oh > 23 || om > 59) return MakeError(ErrorCode::kInvalidInput, "UTC offset out of range");
    offset = sign * (oh * 3600 + om * 60);
  } else {
    return bad();
  }
  if (pos != s.size()) return bad();
  return in_range(local - offset);
}

}  // namespace bankfeed
