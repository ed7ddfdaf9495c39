// The fromBookingDateTime / toBookingDateTime query parameters of UK Open Banking transaction reads: "the UTC ISO 8601
// Date Time ... Time component is optional - set to 00:00:00 for just Date. If the Date Time contains a timezone,
// the ASPSP must ignore the timezone component" (v3.1.11). The date part must also match the scenario's
// behaviour.require.date_format (ISO by default).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "bankfeed/datetime.hpp"

namespace bankfeed::sandbox::uk_ob {

// A point on the bank's calendar: a day and the seconds into it. Ordered.
struct QueryInstant {
  Date date;
  int32_t seconds = 0;  // 0 .. 86399
  friend auto operator<=>(const QueryInstant&, const QueryInstant&) = default;
};

// DATE[Thh:mm[:ss[.fraction]][Z|+hh:mm|+hhmm|+hh|-...]] with DATE in `date_format`; std::nullopt otherwise.
std::optional<QueryInstant> ParseBookingDateTime(std::string_view text, std::string_view date_format);

}  // namespace bankfeed::sandbox::uk_ob
