#include "http/retry_after.hpp"

#include <date/date.h>

#include <algorithm>
#include <sstream>
#include <string>

namespace bankfeed::http {
namespace {

constexpr std::chrono::seconds kMaxWait{366 * 24 * 3600};

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::chrono::system_clock::time_point> ParseHttpDate(std::string_view s) {
  // IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT"; RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT"; asctime
  // "Sun Nov  6 08:49:37 1994". Each must consume the whole value.
  static constexpr const char* kFormats[] = {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT",
                                             "%a %b %e %H:%M:%S %Y"};
  if (s.size() > 64) return std::nullopt;
  for (const char* format : kFormats) {
    std::istringstream in{std::string(s)};
    in.imbue(std::locale::classic());
    date::sys_seconds t;
    in >> date::parse(format, t);
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
  if (*when <= now) return std::chrono::seconds(0);
  const auto wait = std::chrono::ceil<std::chrono::seconds>(*when - now);
  return std::min(wait, kMaxWait);
}

}  // namespace bankfeed::http
