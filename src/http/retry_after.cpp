#include "http/retry_after.hpp"

#include <date/date.h>

#include <algorithm>
#include <sstream>
#include <string>

#include "common/text.hpp"

namespace bankfeed::http {
namespace {

constexpr std::chrono::seconds kMaxWait{366 * 24 * 3600};

std::optional<date::sys_seconds> ParseHttpDate(std::string_view s) {
  // IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT"; RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT"; asctime
  // "Sun Nov  6 08:49:37 1994". Each has a fixed-width date part (so "037" is no year), and must consume the whole
  // value.
  struct Form {
    const char* format;
    size_t tail;  // the length from the first space on (the weekday's length varies in RFC 850)
  };
  static constexpr Form kForms[] = {{"%a, %d %b %Y %H:%M:%S GMT", 25},
                                    {"%A, %d-%b-%y %H:%M:%S GMT", 23},
                                    {"%a %b %e %H:%M:%S %Y", 21}};
  if (s.size() > 64) return std::nullopt;
  const size_t space = s.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  for (const Form& form : kForms) {
    if (s.size() - space != form.tail) continue;
    std::istringstream in{std::string(s)};
    in.imbue(std::locale::classic());
    date::sys_seconds t;
    in >> date::parse(form.format, t);
    if (in.fail()) continue;
    in.peek();
    if (!in.eof()) continue;
    return t;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value,
                                                    std::chrono::system_clock::time_point now) {
  value = TrimOws(value);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    long long n = 0;
    for (char c : value) {
      n = n * 10 + (c - '0');
      if (n > kMaxWait.count()) return kMaxWait;
    }
    return std::chrono::seconds(n);
  }
  const auto when = ParseHttpDate(value);
  if (!when) return std::nullopt;
  // Whole seconds on both sides: a parsed date can lie centuries away, beyond what nanosecond time_points hold.
  const auto now_s = std::chrono::floor<std::chrono::seconds>(now);
  if (when->time_since_epoch() <= now_s.time_since_epoch()) return std::chrono::seconds(0);
  const auto wait = when->time_since_epoch() - now_s.time_since_epoch();
  return std::min<std::chrono::seconds>(wait, kMaxWait);
}

}  // namespace bankfeed::http
