// A date in a bank's query format. See adapters/common/query_date.hpp.
#include "adapters/common/query_date.hpp"

#include <cstdio>

#include "adapters/common/url.hpp"

namespace bankfeed::adapters {

std::string FormatQueryDate(const Date& date, std::string_view format) {
  const std::string iso = date.ToString();  // YYYY-MM-DD
  std::string out;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] == '%' && i + 1 < format.size()) {
      char spec = format[++i];
      if (spec == 'Y') out += iso.substr(0, 4);
      else if (spec == 'm') out += iso.substr(5, 2);
      else if (spec == 'd') out += iso.substr(8, 2);
      else out += spec;
    } else {
      out += format[i];
    }
  }
  return out;
}

std::string LocalMidnightWithOffset(const Date& date, const TimeZone& zone) {
  const int64_t local = int64_t{date.days_since_epoch} * 86400;
  const int64_t offset = local - zone.LocalToUtc(local);  // seconds east of UTC at that midnight
  const int64_t minutes = (offset < 0 ? -offset : offset) / 60;
  char zone_text[8];
  std::snprintf(zone_text, sizeof zone_text, "%c%02d:%02d", offset < 0 ? '-' : '+', static_cast<int>(minutes / 60),
                static_cast<int>(minutes % 60));
  return date.ToString() + "T00:00:00" + zone_text;
}

std::string FilterQuery(const std::vector<std::pair<std::string, std::string>>& filter, bool colons_encoded) {
  std::string query = FormEncode(filter);
  if (colons_encoded) return query;
  for (size_t at = query.find("%3A"); at != std::string::npos; at = query.find("%3A", at + 1)) {
    query.replace(at, 3, ":");
  }
  return query;
}

}  // namespace bankfeed::adapters
