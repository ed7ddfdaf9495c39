// docs/CANONICAL.md "Dates and times": local dates, UTC instants, offsets and bank time zones.
#include <gtest/gtest.h>

#include "bankfeed/datetime.hpp"

namespace bankfeed {
namespace {

struct Parsed {
  std::string date, datetime;
};

Parsed P(std::string_view text, std::string_view zone = "UTC") {
  auto tz = TimeZone::Locate(zone);
  EXPECT_TRUE(tz.has_value());
  auto v = ParseDateOrDateTime(text, *tz);
  EXPECT_TRUE(v.has_value()) << text << ": " << (v ? "" : v.error().message);
  if (!v) return {};
  return {v->date.ToString(), v->datetime ? v->datetime->ToString() : "null"};
}

std::string Fail(std::string_view text) {
  auto v = ParseDateOrDateTime(text, TimeZone::Utc());
  EXPECT_FALSE(v.has_value()) << text;
  return v ? "" : v.error().message;
}

TEST(DateTime, WorkedExampleFromCanonical) {
  const Parsed p = P("2024-03-31T00:30:00+01:00");
  EXPECT_EQ(p.date, "2024-03-31");
  EXPECT_EQ(p.datetime, "2024-03-30T23:30:00Z");
}

TEST(DateTime, AllOffsetFormsAreAccepted) {
  for (std::string_view s : {"2024-03-31T00:30:00+01:00", "2024-03-31T00:30:00+0100", "2024-03-31T00:30:00+01"}) {
    EXPECT_EQ(P(s).datetime, "2024-03-30T23:30:00Z") << s;
  }
  EXPECT_EQ(P("2024-03-31T00:30:00Z").datetime, "2024-03-31T00:30:00Z");
  EXPECT_EQ(P("2024-03-31T23:30:00-05:00").date, "2024-03-31") << "the date is local to the offset";
  EXPECT_EQ(P("2024-03-31T23:30:00-05:00").datetime, "2024-04-01T04:30:00Z");
}

TEST(DateTime, DateOnlyHasNoInstant) {
  const Parsed p = P("2025-01-02");
  EXPECT_EQ(p.date, "2025-01-02");
  EXPECT_EQ(p.datetime, "null");
}

TEST(DateTime, NoOffsetMeansTheBanksZone) {
  // Berlin is UTC+2 in summer and UTC+1 in winter.
  EXPECT_EQ(P("2024-07-01T10:00:00", "Europe/Berlin").datetime, "2024-07-01T08:00:00Z");
  EXPECT_EQ(P("2024-01-15T10:00:00", "Europe/Berlin").datetime, "2024-01-15T09:00:00Z");
  EXPECT_EQ(P("2024-07-01T00:30:00", "Europe/London").date, "2024-07-01");
  EXPECT_EQ(P("2024-07-01T00:30:00", "Europe/London").datetime, "2024-06-30T23:30:00Z");
  EXPECT_EQ(P("2024-07-01T10:00:00").datetime, "2024-07-01T10:00:00Z") << "UTC by default";
}

TEST(DateTime, DstGapAndOverlap) {
  // 2024-03-31 02:30 does not exist in Berlin (clocks jump 02:00 -> 03:00 CET->CEST at 01:00Z).
  EXPECT_EQ(P("2024-03-31T02:30:00", "Europe/Berlin").datetime, "2024-03-31T01:00:00Z");
  // 2024-10-27 02:30 happens twice; the first (CEST, UTC+2) is used.
  EXPECT_EQ(P("2024-10-27T02:30:00", "Europe/Berlin").datetime, "2024-10-27T00:30:00Z");
}

TEST(DateTime, FractionalSecondsAreKeptAsSent) {
  EXPECT_EQ(P("2017-10-25T15:30:35.035Z").datetime, "2017-10-25T15:30:35.035Z");
  EXPECT_EQ(P("2017-10-25T15:30:35.1+02:00").datetime, "2017-10-25T13:30:35.1Z");
  EXPECT_EQ(P("2017-10-25T15:30:35.000000001Z").datetime, "2017-10-25T15:30:35.000000001Z");
  EXPECT_EQ(P("2017-10-25T15:30:35.500").datetime, "2017-10-25T15:30:35.500Z");
}

TEST(DateTime, LenientButUnambiguousForms) {
  EXPECT_EQ(P("2017-10-25T15:30Z").datetime, "2017-10-25T15:30:00Z") << "seconds may be omitted";
  EXPECT_EQ(P("2017-10-25 15:30:00Z").datetime, "2017-10-25T15:30:00Z") << "RFC 3339 allows a space";
  EXPECT_EQ(P("2016-02-29").date, "2016-02-29");
}

TEST(DateTime, Rejections) {
  EXPECT_EQ(Fail("2023-02-29"), "not a calendar date");
  EXPECT_EQ(Fail("2023-13-01"), "not a calendar date");
  EXPECT_EQ(Fail("2023-00-10"), "not a calendar date");
  EXPECT_EQ(Fail("25.01.2023"), "not a date (expected YYYY-MM-DD)");
  EXPECT_EQ(Fail("2023-1-5"), "not a date (expected YYYY-MM-DD)");
  EXPECT_EQ(Fail(""), "not a date (expected YYYY-MM-DD)");
  EXPECT_EQ(Fail("2023-01-05T25:00:00Z"), "time of day out of range");
  EXPECT_EQ(Fail("2023-01-05T10:00:00+25:00"), "UTC offset out of range");
  EXPECT_EQ(Fail("2023-01-05T10:00:00.Z"), "not an RFC 3339 date-time");
  EXPECT_EQ(Fail("2023-01-05T10:00:00.1234567891Z"), "more than 9 fraction digits of a second");
  EXPECT_EQ(Fail("2023-01-05T10:00:00Zjunk"), "not an RFC 3339 date-time");
  EXPECT_EQ(Fail("2023-01-05X"), "not an RFC 3339 date-time");
  // Found by fuzz_date: instants outside years 0001-9999 cannot be printed as RFC 3339.
  EXPECT_EQ(Fail("0000-01-01T00:30:00+01:00"), "date-time out of range (years 0001 to 9999 in UTC)");
  EXPECT_EQ(Fail("9999-12-31T23:30:00-01:00"), "date-time out of range (years 0001 to 9999 in UTC)");
  EXPECT_EQ(P("0001-01-01T00:00:00Z").datetime, "0001-01-01T00:00:00Z");
  EXPECT_EQ(P("9999-12-31T23:59:59Z").datetime, "9999-12-31T23:59:59Z");
  EXPECT_EQ(Fail("2023-01-05T10"), "not an RFC 3339 date-time");
}

TEST(TimeZone, UnknownZoneIsAnArgumentError) {
  auto tz = TimeZone::Locate("Mars/Olympus_Mons");
  ASSERT_FALSE(tz.has_value());
  EXPECT_EQ(tz.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(TimeZone::Locate("Europe/Paris")->name(), "Europe/Paris");
  EXPECT_TRUE(TimeZone::Locate("UTC")->IsUtc());
}

TEST(Date, ParseIsStrict) {
  EXPECT_EQ(Date::Parse("2025-01-31")->ToString(), "2025-01-31");
  EXPECT_FALSE(Date::Parse("2025-01-31T00:00:00Z").has_value());
  EXPECT_LT(*Date::Parse("2025-01-31"), *Date::Parse("2025-02-01"));
  EXPECT_EQ(Date::FromYmd(1970, 1, 1).days_since_epoch, 0);
}

}  // namespace
}  // namespace bankfeed
