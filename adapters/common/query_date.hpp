// adapters/common/query_date.hpp: a date as a bank wants it in a query filter (profile quirks.date_query_format).
#pragma once

#include <string>
#include <string_view>

#include "bankfeed/datetime.hpp"

namespace bankfeed::adapters {

// `format`: %Y %m %d and literal characters, as the profile loader checked it ("%Y-%m-%d", "%d.%m.%Y").
std::string FormatQueryDate(const Date& date, std::string_view format);

}  // namespace bankfeed::adapters
