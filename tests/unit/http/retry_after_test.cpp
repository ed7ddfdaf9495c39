// Retry-After in both forms (RFC 9110 §10.2.3), including the obsolete date forms recipients must accept.
#include <gtest/gtest.h>

#include <date/date.h>

#include "http/retry_after.hpp"

namespace bankfeed::http {
namespace {

using std::chrono::seconds;

std::chrono::system_clock::time_point At(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
  return date::sys_days(date::year(y) / m / d) + std::chrono::hours(hh) + std::chrono::minutes(mm) + seconds(ss);
}

const auto kNow = At(1994, 11, 6, 8, 49, 0);

TEST(RetryAfter, DelaySeconds) {
  EXPECT_EQ(ParseRetryAfter("120", kNow), seconds(120));
  EXPECT_EQ(ParseRetryAfter("0", kNow), seconds(0));
  EXPECT_EQ(ParseRetryAfter(" 7 ", kNow), seconds(7));
}

TEST(RetryAfter, HugeDelayIsClampedNotOverflowed) {
  EXPECT_EQ(ParseRetryAfter("99999999999999999999999999", kNow), seconds(366 * 24 * 3600));
}

TEST(RetryAfter, AllThreeHttpDateForms) {
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", kNow), seconds(37));
  EXPECT_EQ(ParseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", kNow), seconds(37));
  EXPECT_EQ(ParseRetryAfter("Sun Nov  6 08:49:37 1994", kNow), seconds(37));
}

TEST(RetryAfter, DateInThePastMeansNow) {
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:00:00 GMT", kNow), seconds(0));
}

// Found by fuzzing: a date centuries away overflowed the nanosecond clock arithmetic (UBSan).
TEST(RetryAfter, DatesFarAwayAreClampedOrZeroWithoutOverflow) {
  EXPECT_EQ(ParseRetryAfter("Fri, 31 Dec 9999 23:59:59 GMT", kNow), seconds(366 * 24 * 3600));
  EXPECT_EQ(ParseRetryAfter("Mon, 01 Jan 0001 00:00:00 GMT", kNow), seconds(0));
  EXPECT_FALSE(ParseRetryAfter("Wed, 21 Oct 037 07:28:00 GMT", kNow).has_value());  // a year has four digits
}

TEST(RetryAfter, GarbageIsRejected) {
  for (const char* bad : {"", " ", "-1", "1.5", "10s", "soon", "Sun, 06 Nov 1994 08:49:37",
                          "Sun, 32 Nov 1994 08:49:37 GMT",
                          "Sun, 06 Nov 1994 08:49:37 GMT trailing", "0x10"}) {
    EXPECT_FALSE(ParseRetryAfter(bad, kNow).has_value()) << bad;
  }
}

}  // namespace
}  // namespace bankfeed::http
