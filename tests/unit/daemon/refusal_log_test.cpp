// Refused calls are logged at most once per interval and source, with a count; the sources tracked are bounded.
#include "daemon/src/refusal_log.hpp"

#include <gtest/gtest.h>

namespace bankfeed::daemon {
namespace {

using namespace std::chrono_literals;
using Clock = RefusalLog::Clock;

TEST(RefusalLog, OneLinePerIntervalAndSourceCarryingTheRefusalsItStandsFor) {
  RefusalLog refusals({.interval = 60s, .max_sources = 8});
  const Clock::time_point t0{};
  int64_t count = 0;
  ASSERT_TRUE(refusals.Admit("a", t0 + 1h, count));
  EXPECT_EQ(count, 1);
  int lines = 0;
  for (int i = 0; i < 2000; ++i) lines += refusals.Admit("a", t0 + 1h + std::chrono::milliseconds(i), count);
  EXPECT_EQ(lines, 0);
  EXPECT_TRUE(refusals.Admit("b", t0 + 1h + 1s, count));  // another source has a line of its own
  EXPECT_EQ(count, 1);
  ASSERT_TRUE(refusals.Admit("a", t0 + 1h + 60s, count));
  EXPECT_EQ(count, 2001);  // the 2,000 not logged, and this one
  EXPECT_FALSE(refusals.Admit("a", t0 + 1h + 61s, count));
}

TEST(RefusalLog, ACallerRotatingSourcesCannotGrowTheTableOrTheLog) {
  RefusalLog refusals({.interval = 60s, .max_sources = 16});
  const Clock::time_point t0 = Clock::time_point{} + 1h;
  int64_t count = 0;
  int lines = 0;
  for (int i = 0; i < 100000; ++i) lines += refusals.Admit("peer-" + std::to_string(i), t0 + 1ms * (i % 1000), count);
  EXPECT_LE(refusals.tracked(), 17u);  // the sources, and one entry all the others share
  EXPECT_LE(lines, 17);
  // An interval later, sources that went quiet make room again.
  EXPECT_TRUE(refusals.Admit("new-peer", t0 + 10min, count));
  EXPECT_LE(refusals.tracked(), 17u);
}

TEST(RefusalLog, TheSourceIsTheAddressWithoutItsPortAndTheTenantAndCode) {
  EXPECT_EQ(RefusalSource("ipv4:192.0.2.10:54321", "", "UNAUTHENTICATED"), "ipv4:192.0.2.10||UNAUTHENTICATED");
  EXPECT_EQ(RefusalSource("ipv6:[2001:db8::1]:443", "acme", "INVALID_ARGUMENT"),
            "ipv6:[2001:db8::1]|acme|INVALID_ARGUMENT");
  EXPECT_EQ(RefusalSource("unix:/run/bankfeed/bankfeedd.sock", "", "UNAUTHENTICATED"),
            "unix:/run/bankfeed/bankfeedd.sock||UNAUTHENTICATED");
}

}  // namespace
}  // namespace bankfeed::daemon
