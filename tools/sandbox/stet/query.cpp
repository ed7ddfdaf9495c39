// STET date filters. See stet/query.hpp.
#include "tools/sandbox/stet/query.hpp"

namespace bankfeed::sandbox::stet {
namespace {

bool DigitsAt(std::string_view s, size_t at, size_t n) {
  if (s.size() < at + n) return false;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

// YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM), exactly: the form STET's examples use.
bool IsStetDateTime(std::string_view s) {
  if (!DigitsAt(s, 0, 4) || s.size() < 20 || s[4] != '-' || !DigitsAt(s, 5, 2) || s[7] != '-' || !DigitsAt(s, 8, 2) ||
      s[10] != 'T' || !DigitsAt(s, 11, 2) || s[13] != ':' || !DigitsAt(s, 14, 2) || s[16] != ':' || !DigitsAt(s, 17, 2)) {
    return false;
  }
  size_t at = 19;
  if (s[at] == '.') {
    if (!DigitsAt(s, at + 1, 3)) return false;
    at += 4;
  }
  const std::string_view zone = s.substr(at);
  if (zone == "Z") return true;
  return zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && DigitsAt(zone, 1, 2) && zone[3] == ':' &&
         DigitsAt(zone, 4, 2);
}

const TimeZone& Paris() {
  // The tz database is part of the build's date-tz; should it lack Paris, UTC is the honest fallback.
  static const TimeZone zone = TimeZone::Locate("Europe/Paris").value_or(TimeZone::Utc());
  return zone;
}

}  // namespace

std::optional<BankMoment> ParseStetFilter(std::string_view text, StetDateFilter filter) {
  if (filter == StetDateFilter::kDate) {
    if (text.size() != 10) return std::nullopt;
    auto date = Date::Parse(text);
    if (!date) return std::nullopt;
    return BankMoment{*date, 0};
  }
  if (!IsStetDateTime(text)) return std::nullopt;
  auto parsed = ParseDateOrDateTime(text, Paris());
  if (!parsed || !parsed->datetime) return std::nullopt;
  const int64_t local = Paris().UtcToLocal(parsed->datetime->unix_seconds);
  const int64_t day = local >= 0 ? local / 86'400 : (local - 86'399) / 86'400;
  return BankMoment{Date{static_cast<int32_t>(day)}, static_cast<int32_t>(local - day * 86'400)};
}

}  // namespace bankfeed::sandbox::stet
