// adapters/common/query_date.hpp: a date as a bank wants it in a query filter (profile quirks.date_query_format).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bankfeed/datetime.hpp"

namespace bankfeed::adapters {

// `format`: %Y %m %d and literal characters, as the profile loader checked it ("%Y-%m-%d", "%d.%m.%Y").
std::string FormatQueryDate(const Date& date, std::string_view format);

// The start of `date` in `zone` as an instant with its UTC offset: "2025-01-01T00:00:00+01:00" (STET's dateFrom).
std::string LocalMidnightWithOffset(const Date& date, const TimeZone& zone);

// Date filters as a query: form-encoded ('+' of an offset as %2B, never a space), with the colons of a time
// percent-encoded (%3A) or, for a bank that refuses %3A, left as they are (RFC 3986 allows ':' in a query).
std::string FilterQuery(const std::vector<std::pair<std::string, std::string>>& filter, bool colons_encoded);

}  // namespace bankfeed::adapters
