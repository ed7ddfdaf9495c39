// Fuzzes http::ParseRetryAfter, which reads a header a bank (or anything on the path) controls. Any accepted value
// is a wait between zero and the one-year clamp, and the same input always gives the same answer.
#include <chrono>

#include "fuzz_common.hpp"
#include "http/retry_after.hpp"

namespace fuzz_retry_after {

BANKFEED_FUZZ_TARGET(retry_after) {
  using bankfeed::fuzz::Check;
  const std::string_view text = bankfeed::fuzz::AsText(data, size);
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
  const auto wait = bankfeed::http::ParseRetryAfter(text, now);
  if (!wait) return 0;
  Check(wait->count() >= 0 && wait->count() <= 366LL * 24 * 3600);
  Check(bankfeed::http::ParseRetryAfter(text, now) == wait);
  return 0;
}

}  // namespace fuzz_retry_after
