// Retry-After (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace bankfeed::http {

// The wait the header asks for, relative to `now`; a date in the past is zero. nullopt when the value is neither
// 1*DIGIT nor an HTTP-date (IMF-fixdate, or the obsolete RFC 850 and asctime forms recipients must accept).
// Values are clamped to one year so arithmetic on them cannot overflow.
std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value, std::chrono::system_clock::time_point now);

}  // namespace bankfeed::http
