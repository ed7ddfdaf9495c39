// The dateFrom / dateTo of a STET transactions query (README "STET"): per behaviour.stet.date_filter either a
// date-time YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM), an instant read on the bank's wall clock (Europe/Paris), or a
// date YYYY-MM-DD (its midnight). dateFrom is inclusive, dateTo exclusive.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "bankfeed/datetime.hpp"
#include "tools/sandbox/scenario.hpp"

namespace bankfeed::sandbox::stet {

// A moment on the bank's (Paris) wall clock. Ordered.
struct BankMoment {
  Date date;
  int32_t seconds = 0;  // 0 .. 86399
  friend auto operator<=>(const BankMoment&, const BankMoment&) = default;
};

// The moment a filter value names, or std::nullopt when it is not of the form `filter` asks for.
std::optional<BankMoment> ParseStetFilter(std::string_view text, StetDateFilter filter);

}  // namespace bankfeed::sandbox::stet
