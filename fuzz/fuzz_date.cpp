// Fuzzes bankfeed::ParseDateOrDateTime in UTC and in Europe/Berlin. On success the local date is the text's own
// YYYY-MM-DD and parses back to the same Date, and the UTC instant's RFC 3339 form parses back to the same DateTime.
#include "fuzz_common.hpp"

namespace fuzz_date {

BANKFEED_FUZZ_TARGET(date) {
  using bankfeed::fuzz::Check;
  const std::string_view text = bankfeed::fuzz::AsText(data, size);
  const bankfeed::TimeZone utc = bankfeed::TimeZone::Utc();
  for (const bankfeed::TimeZone* zone : {&utc, &bankfeed::fuzz::Berlin()}) {
    const auto v = bankfeed::ParseDateOrDateTime(text, *zone);
    if (!v) continue;
    const std::string date = v->date.ToString();
    const auto date_back = bankfeed::Date::Parse(date);
    Check(date == text.substr(0, 10) && date_back.has_value() && *date_back == v->date);
    Check(v->datetime.has_value() == (size > 10));
    if (!v->datetime) continue;
    Check(v->datetime->nanos >= 0 && v->datetime->nanos <= 999'999'999);
    const auto instant_back = bankfeed::ParseDateOrDateTime(v->datetime->ToString(), utc);
    Check(instant_back.has_value() && instant_back->datetime.has_value() && *instant_back->datetime == *v->datetime);
  }
  return 0;
}

}  // namespace fuzz_date
